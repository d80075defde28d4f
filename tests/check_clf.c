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
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
