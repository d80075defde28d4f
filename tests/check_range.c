/*
 * check_range: the Range header (RFC 9110 section 14), one table row per
 * rule, against representations of 10000 and 0 bytes.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
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
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
