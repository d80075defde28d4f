/*
 * check_clf: the Combined Log Format line, one table row per rule, and
 * the bounds: a hostile field is escaped and cut, never splits the line.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/clf.h"

#define T	"10/Oct/2000:13:55:36 +0000"

static const struct {
	const char	*why;
	const char	*request;
	int		 status;
	uint64_t	 bytes;
	const char	*referer;
	const char	*agent;
	const char	*want;
} cases[] = {
	{ "a plain GET", "GET / HTTP/1.1", 200, 612, NULL, NULL,
	    "192.0.2.1 - - [" T "] \"GET / HTTP/1.1\" 200 612 \"-\" \"-\"\n" },
	{ "no body bytes: a dash", "HEAD / HTTP/1.1", 200, 0, NULL, NULL,
	    "192.0.2.1 - - [" T "] \"HEAD / HTTP/1.1\" 200 - \"-\" \"-\"\n" },
	{ "referer and agent", "GET /a HTTP/1.0", 404, 153,
	    "http://x/", "curl/8",
	    "192.0.2.1 - - [" T "] \"GET /a HTTP/1.0\" 404 153 "
	    "\"http://x/\" \"curl/8\"\n" },
	{ "a quote is escaped", "GET /\" HTTP/1.1", 400, 1, "a\"b", NULL,
	    "192.0.2.1 - - [" T "] \"GET /\\x22 HTTP/1.1\" 400 1 "
	    "\"a\\x22b\" \"-\"\n" },
	{ "a backslash is escaped", "GET /\\ HTTP/1.1", 400, 1, NULL, "\\",
	    "192.0.2.1 - - [" T "] \"GET /\\x5c HTTP/1.1\" 400 1 "
	    "\"-\" \"\\x5c\"\n" },
	{ "control and non-ASCII bytes", "GET /\x01\xff HTTP/1.1", 400, 1,
	    NULL, "a\tb\n",
	    "192.0.2.1 - - [" T "] \"GET /\\x01\\xff HTTP/1.1\" 400 1 "
	    "\"-\" \"a\\x09b\\x0a\"\n" },
	{ "an empty request line: a dash", "", 408, 0, NULL, NULL,
	    "192.0.2.1 - - [" T "] \"-\" 408 - \"-\" \"-\"\n" },
	{ "the largest byte count", "GET / HTTP/1.1", 206,
	    18446744073709551615ULL, NULL, NULL,
	    "192.0.2.1 - - [" T "] \"GET / HTTP/1.1\" 206 "
	    "18446744073709551615 \"-\" \"-\"\n" },
	{ "an empty referer: a dash", "GET / HTTP/1.1", 200, 5, "", "",
	    "192.0.2.1 - - [" T "] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"\n" },
};

START_TEST(test_clf_table)
{
	struct clf_entry	e;
	char			line[CLF_LINE_MAX];
	size_t			n;

	memset(&e, 0, sizeof(e));
	e.peer = "192.0.2.1";
	e.time = T;
	e.request = cases[_i].request;
	e.request_len = strlen(cases[_i].request);
	e.status = cases[_i].status;
	e.bytes = cases[_i].bytes;
	e.referer = cases[_i].referer;
	e.referer_len = e.referer ? strlen(e.referer) : 0;
	e.agent = cases[_i].agent;
	e.agent_len = e.agent ? strlen(e.agent) : 0;
	n = clf_format(line, sizeof(line), &e);
	ck_assert_msg(n == strlen(cases[_i].want) &&
	    memcmp(line, cases[_i].want, n) == 0,
	    "%s: got [%.*s]", cases[_i].why, (int)n, line);
}
END_TEST

/* Every field at its worst (all escaped) still gives one bounded line. */
START_TEST(test_clf_hostile_fields_bounded)
{
	static char		big[8192];
	struct clf_entry	e;
	char			line[CLF_LINE_MAX];
	size_t			n, i, nl = 0;

	memset(big, '"', sizeof(big));
	memset(&e, 0, sizeof(e));
	e.peer = "2001:db8::1";
	e.time = T;
	e.request = big;
	e.request_len = sizeof(big);
	e.referer = big;
	e.referer_len = sizeof(big);
	e.agent = big;
	e.agent_len = sizeof(big);
	e.status = 400;
	n = clf_format(line, sizeof(line), &e);
	ck_assert_uint_le(n, sizeof(line));
	ck_assert_int_eq(line[n - 1], '\n');
	for (i = 0; i < n; i++)
		if (line[i] == '\n')
			nl++;
	ck_assert_uint_eq(nl, 1);
	/* Each field stops at CLF_FIELD_MAX, on a whole escape. */
	ck_assert_ptr_nonnull(strstr(line, "\" 400 - \""));
	ck_assert_uint_eq(n, strlen("2001:db8::1 - - [" T "] \"") +
	    3 * (CLF_FIELD_MAX / 4 * 4) + strlen("\" 400 - \"\" \"\"\n"));
}
END_TEST

/* A buffer too small for the line: cut, still one line. */
START_TEST(test_clf_small_buffer_cut)
{
	struct clf_entry	e;
	char			line[16];
	size_t			n;

	memset(&e, 0, sizeof(e));
	e.peer = "192.0.2.1";
	e.time = T;
	e.request = "GET / HTTP/1.1";
	e.request_len = 14;
	e.status = 200;
	n = clf_format(line, sizeof(line), &e);
	ck_assert_uint_eq(n, sizeof(line));
	ck_assert_int_eq(line[n - 1], '\n');
	ck_assert_int_eq(memcmp(line, "192.0.2.1 - - [", 15), 0);
}
END_TEST

START_TEST(test_clf_escape_bounds)
{
	char	out[8];

	/* An escape that would not fit whole is left out. */
	ck_assert_uint_eq(clf_escape(out, 6, "ab\"", 3), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(clf_escape(out, sizeof(out), "abcdefghij", 10), 7);
	ck_assert_str_eq(out, "abcdefg");
	ck_assert_uint_eq(clf_escape(out, 1, "abc", 3), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(clf_escape(out, sizeof(out), NULL, 0), 1);
	ck_assert_str_eq(out, "-");
}
END_TEST

/*
 * The definition clf_escape must keep, one byte at a time: plain bytes
 * as they are, the others as \xHH, stopping at the first byte or escape
 * that does not fit whole before the NUL (within CLF_FIELD_MAX).
 */
static size_t
ref_escape(char *dst, size_t size, const char *s, size_t len)
{
	size_t		i, n = 0;
	unsigned char	ch;

	if (size == 0)
		return 0;
	if (size > CLF_FIELD_MAX + 1)
		size = CLF_FIELD_MAX + 1;
	if (s == NULL || len == 0) {
		if (size > 1)
			dst[n++] = '-';
		dst[n] = '\0';
		return n;
	}
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			if (n + 4 >= size)
				break;
			n += (size_t)snprintf(dst + n, 5, "\\x%02x", ch);
		} else {
			if (n + 1 >= size)
				break;
			dst[n++] = (char)ch;
		}
	}
	dst[n] = '\0';
	return n;
}

/*
 * Every byte value, alone and between plain runs: escaped exactly when
 * the definition says so, so the table behind the fast scan is right.
 */
START_TEST(test_clf_escape_bytes)
{
	char	in[5], out[32], want[32];
	size_t	n, w;
	int	c;

	for (c = 0; c < 256; c++) {
		memcpy(in, "ab", 2);
		in[2] = (char)c;
		memcpy(in + 3, "cd", 2);
		n = clf_escape(out, sizeof(out), in, sizeof(in));
		w = ref_escape(want, sizeof(want), in, sizeof(in));
		ck_assert_msg(n == w && strcmp(out, want) == 0,
		    "byte 0x%02x: [%s], want [%s]", c, out, want);
		n = clf_escape(out, sizeof(out), in + 2, 1);
		w = ref_escape(want, sizeof(want), in + 2, 1);
		ck_assert_msg(n == w && strcmp(out, want) == 0,
		    "byte 0x%02x alone: [%s], want [%s]", c, out, want);
	}
}
END_TEST

/*
 * Fields with no byte to escape (one run, the fast case) and with
 * escapes at the start, the middle and the end, into every output size:
 * the same bytes and length as the byte-at-a-time definition, and
 * nothing written past size.
 */
START_TEST(test_clf_escape_runs_every_size)
{
	static const char *const ins[] = {
		"GET /index.html HTTP/1.1",
		"Mozilla/5.0 (X11; Linux x86_64)",
		"\"quoted\"",
		"a\\b\"c",
		"plain then \x01\x02\x7f\xff",
		"\xc3\xa9t\xc3\xa9",
		"x",
	};
	char	out[CLF_FIELD_MAX + 8], want[CLF_FIELD_MAX + 8];
	size_t	i, size, len, n, w;

	for (i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		len = strlen(ins[i]);
		for (size = 0; size <= 4 * len + 2; size++) {
			memset(out, 'Z', sizeof(out));
			memset(want, 'Z', sizeof(want));
			n = clf_escape(out, size, ins[i], len);
			w = ref_escape(want, size, ins[i], len);
			ck_assert_msg(n == w && memcmp(out, want, sizeof(out)) == 0,
			    "\"%s\" into %zu: %zu [%.*s], want %zu [%.*s]",
			    ins[i], size, n, (int)n, out, w, (int)w, want);
		}
	}
}
END_TEST

/* A plain field longer than CLF_FIELD_MAX: one run, cut at the cap. */
START_TEST(test_clf_escape_long_plain_run)
{
	static char	in[3 * CLF_FIELD_MAX];
	static char	out[4 * CLF_FIELD_MAX];
	size_t		n;

	memset(in, 'a', sizeof(in));
	n = clf_escape(out, sizeof(out), in, sizeof(in));
	ck_assert_uint_eq(n, CLF_FIELD_MAX);
	ck_assert_uint_eq(strlen(out), CLF_FIELD_MAX);
	ck_assert_int_eq(memcmp(out, in, n), 0);
}
END_TEST

/* Whether the cut before line[cut] falls in (or just after) a field. */
static int
in_field(size_t cut, const size_t spans[][2], size_t nspans)
{
	size_t	i;

	for (i = 0; i < nspans; i++)
		if (cut >= spans[i][0] && cut <= spans[i][1])
			return 1;
	return 0;
}

/*
 * A line without a byte to escape, into every buffer size: one line of
 * min(size, whole) bytes ending with its only newline, with no NUL.
 * Where the cut falls in a constant piece, the peer, the time or a
 * number, it is the first size - 1 bytes of the whole line exactly.  (A
 * client field keeps one byte of its room for clf_escape's NUL, which
 * the next piece then overwrites: cut there, the line is not a prefix.)
 */
START_TEST(test_clf_cut_every_size)
{
	struct clf_entry	e;
	char			full[CLF_LINE_MAX], line[CLF_LINE_MAX + 1];
	size_t			spans[3][2], len, size, n, i;
	const char		*p;

	memset(&e, 0, sizeof(e));
	e.peer = "2001:db8::1";
	e.time = T;
	e.request = "GET /a/b.html HTTP/1.1";
	e.request_len = strlen(e.request);
	e.status = 200;
	e.bytes = 612;
	e.agent = "curl/8.5.0";
	e.agent_len = strlen(e.agent);
	len = clf_format(full, sizeof(full), &e);
	ck_assert_uint_eq(len, strlen("2001:db8::1 - - [" T "] "
	    "\"GET /a/b.html HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"\n"));
	p = strstr(full, e.request);
	spans[0][0] = (size_t)(p - full);
	spans[0][1] = spans[0][0] + e.request_len;
	p = strstr(full, "\"-\"");
	spans[1][0] = (size_t)(p - full) + 1;
	spans[1][1] = spans[1][0] + 1;
	p = strstr(full, e.agent);
	spans[2][0] = (size_t)(p - full);
	spans[2][1] = spans[2][0] + e.agent_len;
	for (size = 2; size <= len + 1; size++) {
		memset(line, 'Z', sizeof(line));
		n = clf_format(line, size, &e);
		ck_assert_msg(n == (size < len ? size : len),
		    "size %zu gave %zu", size, n);
		ck_assert_int_eq(line[n - 1], '\n');
		ck_assert_ptr_null(memchr(line, '\n', n - 1));
		ck_assert_ptr_null(memchr(line, '\0', n));
		if (size >= len)
			ck_assert_int_eq(memcmp(line, full, len), 0);
		else if (!in_field(size - 1, spans, 3))
			for (i = 0; i < size - 1; i++)
				ck_assert_msg(line[i] == full[i],
				    "size %zu: byte %zu", size, i);
		ck_assert_msg(line[size] == 'Z', "size %zu: wrote past it",
		    size);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("clf");
	TCase	*tc = tcase_create("clf");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_clf_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_clf_hostile_fields_bounded);
	tcase_add_test(tc, test_clf_small_buffer_cut);
	tcase_add_test(tc, test_clf_escape_bounds);
	tcase_add_test(tc, test_clf_escape_bytes);
	tcase_add_test(tc, test_clf_escape_runs_every_size);
	tcase_add_test(tc, test_clf_escape_long_plain_run);
	tcase_add_test(tc, test_clf_cut_every_size);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
