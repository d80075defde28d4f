/*
 * check_range: unit tests for src/core/range.c: the server's view of a
 * Range header (RFC 9110 section 14), one table row per rule, against
 * representations of 10000 and 0 bytes; the spec syntax both programs
 * share; the sets minihttp-get -r accepts; Content-Range values read by
 * the client and written by the server.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/range.h"

static const struct {
	const char		*why;
	const char		*hdr;
	uint64_t		 size;
	enum range_result	 want;
	size_t			 n;
	struct range		 parts[3];
} cases[] = {
	{ "14.1.2 first-last", "bytes=0-499", 10000, RANGE_OK, 1,
	    { { 0, 499 } } },
	{ "14.1.2 second 500 bytes", "bytes=500-999", 10000, RANGE_OK, 1,
	    { { 500, 999 } } },
	{ "14.1.2 suffix: last 500", "bytes=-500", 10000, RANGE_OK, 1,
	    { { 9500, 9999 } } },
	{ "14.1.2 open range", "bytes=9500-", 10000, RANGE_OK, 1,
	    { { 9500, 9999 } } },
	{ "14.1.2 last clamped to size-1", "bytes=9000-20000", 10000, RANGE_OK,
	    1, { { 9000, 9999 } } },
	{ "14.1.2 suffix longer than file = whole", "bytes=-20000", 10000,
	    RANGE_OK, 1, { { 0, 9999 } } },
	{ "14.1.1 unit is case-insensitive", "Bytes=0-0", 10000, RANGE_OK, 1,
	    { { 0, 0 } } },
	{ "14.1.2 two disjoint parts, sorted", "bytes=5000-5100, 0-99", 10000,
	    RANGE_OK, 2, { { 0, 99 }, { 5000, 5100 } } },
	{ "14.2 overlapping parts coalesced", "bytes=0-499,100-999", 10000,
	    RANGE_OK, 1, { { 0, 999 } } },
	{ "14.2 small gap coalesced", "bytes=0-99,150-199", 10000, RANGE_OK, 1,
	    { { 0, 199 } } },
	{ "14.2 a big gap kept", "bytes=0-99,1000-1099,5000-", 10000, RANGE_OK,
	    3, { { 0, 99 }, { 1000, 1099 }, { 5000, 9999 } } },
	{ "5.6.1 empty list elements", "bytes=,0-1,,", 10000, RANGE_OK, 1,
	    { { 0, 1 } } },
	{ "14.1.2 unsatisfiable part dropped", "bytes=20000-,0-9", 10000,
	    RANGE_OK, 1, { { 0, 9 } } },
	{ "14.1.1 first-pos past the end: 416", "bytes=10000-", 10000,
	    RANGE_UNSATISFIABLE, 0, { { 0, 0 } } },
	{ "14.1.2 zero suffix: 416", "bytes=-0", 10000, RANGE_UNSATISFIABLE,
	    0, { { 0, 0 } } },
	{ "14.1.2 empty representation: 416", "bytes=0-", 0,
	    RANGE_UNSATISFIABLE, 0, { { 0, 0 } } },
	{ "14.1.2 suffix of empty: 416", "bytes=-5", 0, RANGE_UNSATISFIABLE,
	    0, { { 0, 0 } } },
	{ "14.2 unknown unit ignored", "items=0-5", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
	{ "14.1.2 last < first is invalid: ignored", "bytes=500-100", 10000,
	    RANGE_NONE, 0, { { 0, 0 } } },
	{ "14.1.2 no dash: ignored", "bytes=500", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
	{ "14.1.2 signs are not digits", "bytes=+1-2", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
	{ "14.1.2 two dashes", "bytes=1--2", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
	{ "14.1.2 empty set: ignored", "bytes=", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
	{ "overflow: 2^64 digits ignored",
	    "bytes=0-184467440737095516160", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
	{ "overflow: huge first-pos ignored",
	    "bytes=99999999999999999999999-", 10000, RANGE_NONE, 0,
	    { { 0, 0 } } },
};

START_TEST(test_range_table)
{
	struct range		out[RANGE_MAX];
	size_t			n, i;
	enum range_result	r;

	r = range_parse(cases[_i].hdr, strlen(cases[_i].hdr), cases[_i].size,
	    out, &n);
	ck_assert_msg(r == cases[_i].want, "%s: \"%s\": got %d want %d",
	    cases[_i].why, cases[_i].hdr, r, cases[_i].want);
	if (r != RANGE_OK)
		return;
	ck_assert_msg(n == cases[_i].n, "%s: %zu parts", cases[_i].why, n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(out[i].first == cases[_i].parts[i].first &&
		    out[i].last == cases[_i].parts[i].last,
		    "%s: part %zu is %ju-%ju", cases[_i].why, i,
		    (uintmax_t)out[i].first, (uintmax_t)out[i].last);
	}
}
END_TEST

/* 200 overlapping parts of a 2 MiB file: one part, never 200 copies. */
START_TEST(test_overlapping_flood_coalesces)
{
	char		hdr[4096];
	size_t		len, n;
	struct range	out[RANGE_MAX];
	int		i;

	len = (size_t)snprintf(hdr, sizeof(hdr), "bytes=");
	for (i = 0; i < 200; i++)
		len += (size_t)snprintf(hdr + len, sizeof(hdr) - len, "%s%d-",
		    i ? "," : "", i);
	ck_assert_int_eq(range_parse(hdr, len, 2 << 20, out, &n), RANGE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(out[0].first, 0);
	ck_assert_uint_eq(out[0].last, (2 << 20) - 1);
}
END_TEST

/* More distinct parts than RANGE_MAX: the header is ignored (200). */
START_TEST(test_too_many_parts_ignored)
{
	char		hdr[4096];
	size_t		len, n;
	struct range	out[RANGE_MAX];
	int		i;

	len = (size_t)snprintf(hdr, sizeof(hdr), "bytes=");
	for (i = 0; i <= RANGE_MAX; i++)
		len += (size_t)snprintf(hdr + len, sizeof(hdr) - len, "%s%d-%d",
		    i ? "," : "", i * 1000, i * 1000 + 1);
	ck_assert_int_eq(range_parse(hdr, len, 100000, out, &n), RANGE_NONE);
}
END_TEST

/* More than RANGE_SPECS_MAX specs: ignored before any sorting work. */
START_TEST(test_too_many_specs_ignored)
{
	char		hdr[8192];
	size_t		len, n;
	struct range	out[RANGE_MAX];
	int		i;

	len = (size_t)snprintf(hdr, sizeof(hdr), "bytes=");
	for (i = 0; i <= RANGE_SPECS_MAX; i++)
		len += (size_t)snprintf(hdr + len, sizeof(hdr) - len, "%s0-0",
		    i ? "," : "");
	ck_assert_uint_lt(len, sizeof(hdr));
	ck_assert_int_eq(range_parse(hdr, len, 100000, out, &n), RANGE_NONE);
	/* Exactly RANGE_SPECS_MAX is still parsed (and coalesced). */
	len = (size_t)snprintf(hdr, sizeof(hdr), "bytes=");
	for (i = 0; i < RANGE_SPECS_MAX; i++)
		len += (size_t)snprintf(hdr + len, sizeof(hdr) - len, "%s0-0",
		    i ? "," : "");
	ck_assert_int_eq(range_parse(hdr, len, 100000, out, &n), RANGE_OK);
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* range_spec_parse: one spec, as both programs read it. */
static const struct {
	const char	*in;
	uint64_t	 max;
	int		 ok;
	int		 is_suffix;
	uint64_t	 first, last, suffix;
} spec_cases[] = {
	{ "0-499", 1000, 0, 0, 0, 499, 0 },
	{ "5-5", 1000, 0, 0, 5, 5, 0 },
	{ "9500-", 100000, 0, 0, 9500, 100000, 0 },
	{ "-500", 1000, 0, 1, 0, 0, 500 },
	{ "-0", 1000, 0, 1, 0, 0, 0 },
	{ "007-010", 1000, 0, 0, 7, 10, 0 },
	{ "1000-1000", 1000, 0, 0, 1000, 1000, 0 },
	{ "1001-", 1000, -1, 0, 0, 0, 0 },
	{ "0-1001", 1000, -1, 0, 0, 0, 0 },
	{ "-1001", 1000, -1, 0, 0, 0, 0 },
	{ "5-4", 1000, -1, 0, 0, 0, 0 },
	{ "", 1000, -1, 0, 0, 0, 0 },
	{ "-", 1000, -1, 0, 0, 0, 0 },
	{ "5", 1000, -1, 0, 0, 0, 0 },
	{ "--5", 1000, -1, 0, 0, 0, 0 },
	{ "5--6", 1000, -1, 0, 0, 0, 0 },
	{ "5-6-7", 1000, -1, 0, 0, 0, 0 },
	{ " 5-6", 1000, -1, 0, 0, 0, 0 },
	{ "5 -6", 1000, -1, 0, 0, 0, 0 },
	{ "5-6 ", 1000, -1, 0, 0, 0, 0 },
	{ "+5-6", 1000, -1, 0, 0, 0, 0 },
	{ "0x5-6", 1000, -1, 0, 0, 0, 0 },
	{ "18446744073709551615-", UINT64_MAX, 0, 0, UINT64_MAX, UINT64_MAX,
	    0 },
	{ "18446744073709551616-", UINT64_MAX, -1, 0, 0, 0, 0 },
};

START_TEST(test_spec_parse)
{
	struct range_spec	sp;
	int			r;

	memset(&sp, 0xa5, sizeof(sp));
	r = range_spec_parse(spec_cases[_i].in, strlen(spec_cases[_i].in),
	    spec_cases[_i].max, &sp);
	ck_assert_msg(r == spec_cases[_i].ok, "\"%s\": %d", spec_cases[_i].in,
	    r);
	if (r != 0)
		return;
	ck_assert_int_eq(sp.is_suffix, spec_cases[_i].is_suffix);
	ck_assert_uint_eq(sp.first, spec_cases[_i].first);
	ck_assert_uint_eq(sp.last, spec_cases[_i].last);
	ck_assert_uint_eq(sp.suffix, spec_cases[_i].suffix);
}
END_TEST

/* Only len bytes are read: a spec inside a longer header. */
START_TEST(test_spec_parse_uses_len_only)
{
	struct range_spec	sp;

	ck_assert_int_eq(range_spec_parse("0-499,600-", 5, 1000, &sp), 0);
	ck_assert_uint_eq(sp.last, 499);
	ck_assert_int_eq(range_spec_parse("0-4", 2, 1000, &sp), 0);
	ck_assert_uint_eq(sp.last, 1000);
}
END_TEST

/* range_content_parse: Content-Range values (RFC 9110 14.4). */
struct crange_case {
	const char	*in;
	int		 result;
	int		 unsatisfied;
	uint64_t	 first, last;
	int		 has_size;
	uint64_t	 size;
};

static const struct crange_case cranges[] = {
	{ "bytes 0-0/1", 0, 0, 0, 0, 1, 1 },
	{ "bytes 10-20/3000000", 0, 0, 10, 20, 1, 3000000 },
	{ "  bytes 10-20/30 ", 0, 0, 10, 20, 1, 30 },
	{ "BYTES 1-2/3", 0, 0, 1, 2, 1, 3 },
	{ "bytes 0-9/*", 0, 0, 0, 9, 0, 0 },
	{ "bytes */123", 0, 1, 0, 0, 1, 123 },
	{ "bytes */0", 0, 1, 0, 0, 1, 0 },
	{ "bytes 0-9223372036854775806/9223372036854775807", 0, 0, 0,
	    9223372036854775806ULL, 1, 9223372036854775807ULL },
	{ "bytes 5-4/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-10/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes */*", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-1", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes -1/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-1/10x", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-1 /10", -1, 0, 0, 0, 0, 0 },
	{ "bytes=0-1/10", -1, 0, 0, 0, 0, 0 },
	{ "items 0-1/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes", -1, 0, 0, 0, 0, 0 },
	{ "", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-99999999999999999999/*", -1, 0, 0, 0, 0, 0 },
	{ "bytes +0-1/10", -1, 0, 0, 0, 0, 0 },
};

START_TEST(test_content_range_cases)
{
	const struct crange_case	*c = &cranges[_i];
	struct range_content		 cr;
	char				*buf;
	size_t				 len = strlen(c->in);

	/* Exactly len bytes, no NUL: the parser must stay inside. */
	buf = malloc(len + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, c->in, len);
	ck_assert_msg(range_content_parse(buf, len, &cr) == c->result,
	    "%s", c->in);
	if (c->result == 0) {
		ck_assert_int_eq(cr.unsatisfied, c->unsatisfied);
		ck_assert_uint_eq(cr.first, c->first);
		ck_assert_uint_eq(cr.last, c->last);
		ck_assert_int_eq(cr.has_size, c->has_size);
		ck_assert_uint_eq(cr.size, c->size);
	}
	free(buf);
}
END_TEST

/* range_set_ok: the sets minihttp-get -r accepts. */
struct spec_case {
	const char	*in;
	int		 ok;
};

static const struct spec_case specs[] = {
	{ "0-99", 1 }, { "100-", 1 }, { "-500", 1 }, { "0-0", 1 },
	{ "0-9,20-29", 1 }, { "0-9, 20-", 1 }, { "-1 , 5-5", 1 },
	{ "9223372036854775807-", 1 },
	{ "", 0 }, { "-", 0 }, { "5", 0 }, { "9-0", 0 }, { "a-b", 0 },
	{ "0-9,", 0 }, { ",0-9", 0 }, { "0--9", 0 }, { "0-9-", 0 },
	{ "bytes=0-9", 0 }, { "0-9;x", 0 }, { "99999999999999999999-", 0 },
	{ "0-9\r\nX: y", 0 },
};

START_TEST(test_range_spec_cases)
{
	const struct spec_case	*c = &specs[_i];

	ck_assert_msg(range_set_ok(c->in, strlen(c->in)) == c->ok, "%s", c->in);
}
END_TEST

START_TEST(test_range_spec_limit)
{
	char	buf[RANGE_SET_MAX * 4 + 8];
	size_t	i, o = 0;

	for (i = 0; i < RANGE_SET_MAX; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s-1",
		    i == 0 ? "" : ",");
	ck_assert_int_eq(range_set_ok("-1", 2), 1);
	ck_assert_int_eq(range_set_ok(buf, strlen(buf)), 1);
	snprintf(buf + o, sizeof(buf) - o, ",-1");
	ck_assert_int_eq(range_set_ok(buf, strlen(buf)), 0);
}
END_TEST

/* range_content_format: the server's Content-Range values. */
static const struct {
	int		 unsatisfied;
	struct range	 r;
	uint64_t	 size;
	const char	*want;
} format_cases[] = {
	{ 0, { 0, 499 }, 10000, "0-499/10000" },
	{ 0, { 0, 0 }, 1, "0-0/1" },
	{ 1, { 0, 0 }, 10000, "*/10000" },
	{ 1, { 0, 0 }, 0, "*/0" },
	{ 0, { 5, INT64_MAX - 1 }, INT64_MAX,
	    "5-9223372036854775806/9223372036854775807" },
	{ 0, { UINT64_MAX - 1, UINT64_MAX - 1 }, UINT64_MAX,
	    "18446744073709551614-18446744073709551614/18446744073709551615" },
};

START_TEST(test_content_format)
{
	char			 buf[RANGE_CONTENT_MAX];
	const struct range	*r = format_cases[_i].unsatisfied ? NULL :
				    &format_cases[_i].r;
	size_t			 n, want = strlen(format_cases[_i].want);
	struct range_content	 cr;

	n = range_content_format(buf, sizeof(buf), r, format_cases[_i].size);
	ck_assert_uint_eq(n, want);
	ck_assert_str_eq(buf, format_cases[_i].want);
	/* Too small by one: nothing, and nothing past the end. */
	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(range_content_format(buf, want, r,
	    format_cases[_i].size), 0);
	ck_assert_int_eq(buf[want], 'X');
	/* What the server writes, the client reads back (up to INT64_MAX). */
	if (format_cases[_i].size > INT64_MAX)
		return;
	n = range_content_format(buf, sizeof(buf), r, format_cases[_i].size);
	memmove(buf + 6, buf, n + 1);
	memcpy(buf, "bytes ", 6);
	ck_assert_int_eq(range_content_parse(buf, n + 6, &cr), 0);
	ck_assert_int_eq(cr.unsatisfied, format_cases[_i].unsatisfied);
	ck_assert_uint_eq(cr.size, format_cases[_i].size);
	if (r != NULL) {
		ck_assert_uint_eq(cr.first, r->first);
		ck_assert_uint_eq(cr.last, r->last);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("range");
	TCase	*tc = tcase_create("range");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_range_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_overlapping_flood_coalesces);
	tcase_add_test(tc, test_too_many_parts_ignored);
	tcase_add_test(tc, test_too_many_specs_ignored);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_loop_test(tc, test_spec_parse, 0,
	    (int)(sizeof(spec_cases) / sizeof(spec_cases[0])));
	tcase_add_test(tc, test_spec_parse_uses_len_only);
	tcase_add_loop_test(tc, test_range_spec_cases, 0,
	    (int)(sizeof(specs) / sizeof(specs[0])));
	tcase_add_test(tc, test_range_spec_limit);
	tcase_add_loop_test(tc, test_content_range_cases, 0,
	    (int)(sizeof(cranges) / sizeof(cranges[0])));
	tcase_add_loop_test(tc, test_content_format, 0,
	    (int)(sizeof(format_cases) / sizeof(format_cases[0])));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
