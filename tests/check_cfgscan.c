/*
 * check_cfgscan: unit tests for src/core/cfgscan.c, the second reading of
 * a configuration file.  Each mistake libconfig reports as a bare
 * "syntax error" (or, for adjacent strings, does not report at all) must
 * come out with its line and a sentence saying what to write instead;
 * and valid text, however it is spelled, must never be reported: a false
 * alarm would refuse a good configuration.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/cfgscan.h"
#include "core/util.h"

static Suite	*cfgscan_suite(void);

struct found_case {
	const char		*text;
	enum cfgscan_mode	 mode;
	unsigned		 line;
	const char		*msg;	/* a part of the message */
};

static const struct found_case found_cases[] = {
	{ "document_root = \"/x\";\n\nautoindex = on;\n", CFGSCAN_ALL, 3,
	    "autoindex: use true or false, not on" },
	{ "dotfiles = YES;\n", CFGSCAN_ALL, 1, "dotfiles: use true or false" },
	{ "limits = {\n  a = 1;\n};\nserver_tokens = off\n", CFGSCAN_ALL, 4,
	    "server_tokens: use true or false" },
	{ "workers = auto;\n", CFGSCAN_ALL, 1,
	    "workers: auto is not a value: write a string in double quotes "
	    "(\"auto\")" },
	{ "index = [ \"a\", index2 ];\n", CFGSCAN_ALL, 1,
	    "index: index2 is not a value" },
	{ "a = 1;\nb = 2;\nindex = [ \"x\" ];\n\n\n\nindex = [ \"y\" ];\n",
	    CFGSCAN_ALL, 7, "duplicate setting \"index\" (first at line 3)" },
	{ "sites = ( { names = [ \"a\" ];\n  names = [ \"b\" ]; } );\n",
	    CFGSCAN_ALL, 2, "duplicate setting \"names\" (first at line 1)" },
	{ "x = 1;\nlimits = {\n  max_headers = 1;\n", CFGSCAN_ALL, 0,
	    "group opened at line 2 is not closed (missing '}')" },
	{ "sites = (\n  { a = 1; }\n", CFGSCAN_ALL, 0,
	    "list opened at line 1 is not closed (missing ')')" },
	{ "index = [ \"a\",\n", CFGSCAN_ALL, 0,
	    "array opened at line 1 is not closed" },
	{ "x = 1;\nlimits = {\n  a = 1;\n);\n", CFGSCAN_ALL, 4,
	    "')' does not close the '{' opened at line 2 (expected '}')" },
	{ "a = 1;\n};\n", CFGSCAN_ALL, 2, "'}' closes nothing" },
	{ "index = [ \"a.html\" \"b.html\" ];\n", CFGSCAN_ADJACENT, 1,
	    "index: two adjacent strings are joined by libconfig (\"a.html\" "
	    "\"b.html\" becomes \"a.htmlb.html\"); separate list items with "
	    "commas" },
	{ "index = [ \"a.html\" \"b.html\" ];\n", CFGSCAN_ALL, 1,
	    "index: two adjacent strings" },
	{ "x = 1;\ndocument_root = \"/srv\" # the disk\n  /* more */ \"/www\";\n",
	    CFGSCAN_ADJACENT, 2, "document_root: two adjacent strings" },
	{ "sites = ( { names = [ \"a\" ]; locations = ( { path = \"/p\";\n"
	    "  headers = [ \"A: b\"\n\"C: d\" ]; } ); } );\n", CFGSCAN_ADJACENT,
	    2, "headers: two adjacent" },
	/* The first problem in the text wins, as in libconfig. */
	{ "a = 1;\na = 2;\nautoindex = on;\n", CFGSCAN_ALL, 2,
	    "duplicate setting \"a\"" },
	{ "autoindex = on;\na = 1;\na = 2;\n", CFGSCAN_ALL, 1,
	    "use true or false" },
	{ "a = [ \"x\" \"y\" ];\nb = on;\n", CFGSCAN_ALL, 1, "adjacent" },
};

/* Valid text, or text whose mistake only libconfig can tell. */
static const char *const quiet_cases[] = {
	"",
	"# only a comment \"a\" \"b\"\n",
	"listen = [ \"127.0.0.1:80\", \"[::1]:80\" ];\nworkers = 2;\n"
	    "autoindex = TRUE; dotfiles = False\n"
	    "limits : { max_connections = 0x10; max_headers = -1; };\n"
	    "ratio = 1.5e-3; big = 10L;\n",
	"@include \"a.conf\"\n@include \"b.conf\"\nworkers = 1;\n",
	"a = \"x\\\"\" // \"y\" \"z\"\n/* \"p\" \"q\" */ b = \"w\"\n",
	"sites = (\n  { names = [ \"a\" ]; locations = ( { path = \"/\"; },\n"
	    "  { path = \"/x\"; } ); },\n  { names = [ \"b\" ]; }\n);\n",
	"limits = { a = 1; };\ntimeouts = { a = 1; };\n",
	"a = \"x\"\nb = \"y\"\n",
	/* libconfig's message stands: the scanner does not guess. */
	"autoindex = = true;\n",
	"a = 1;\n\"x\"\n",
	"pid_file = \"/tmp/x;\n",
	"a = 1; $ b = on;\n",
};

START_TEST(test_found)
{
	const struct found_case	*c = &found_cases[_i];
	struct cfgscan_diag	 d;

	memset(&d, 0, sizeof(d));
	ck_assert_msg(cfgscan_check(c->text, strlen(c->text), c->mode, &d)
	    == 1, "case %d: nothing found", _i);
	ck_assert_msg(d.line == c->line, "case %d: line %u, want %u (%s)", _i,
	    d.line, c->line, d.msg);
	ck_assert_msg(strstr(d.msg, c->msg) != NULL, "case %d: \"%s\" does "
	    "not contain \"%s\"", _i, d.msg, c->msg);
}
END_TEST

START_TEST(test_quiet)
{
	const char		*t = quiet_cases[_i];
	struct cfgscan_diag	 d;

	memset(&d, 0, sizeof(d));
	ck_assert_msg(cfgscan_check(t, strlen(t), CFGSCAN_ALL, &d) == 0,
	    "case %d (all): %u: %s", _i, d.line, d.msg);
	ck_assert_msg(cfgscan_check(t, strlen(t), CFGSCAN_ADJACENT, &d) == 0,
	    "case %d (adjacent): %u: %s", _i, d.line, d.msg);
}
END_TEST

/* Adjacent-strings mode leaves libconfig's own errors to libconfig. */
START_TEST(test_adjacent_only)
{
	static const char	*t[] = { "autoindex = on;\n", "a = 1;\na = 2;\n",
				    "limits = {\n" };
	struct cfgscan_diag	 d;
	size_t			 i;

	for (i = 0; i < UTIL_ARRAY_LEN(t); i++)
		ck_assert_msg(cfgscan_check(t[i], strlen(t[i]),
		    CFGSCAN_ADJACENT, &d) == 0, "%zu: %s", i, d.msg);
}
END_TEST

/* Long strings and names are quoted back cut, never past the message. */
START_TEST(test_long_quotes)
{
	char			 text[4096], big[1500];
	struct cfgscan_diag	 d;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(text, sizeof(text), "a = [ \"%s\" \"%s\" ];\n", big, big);
	ck_assert_int_eq(cfgscan_check(text, strlen(text), CFGSCAN_ADJACENT,
	    &d), 1);
	ck_assert_ptr_nonnull(strstr(d.msg, "...\""));
	ck_assert_uint_lt(strlen(d.msg), sizeof(d.msg));
	snprintf(text, sizeof(text), "%s = 1;\n%s = 2;\n", big, big);
	ck_assert_int_eq(cfgscan_check(text, strlen(text), CFGSCAN_ALL, &d),
	    1);
	ck_assert_uint_eq(d.line, 2);
	snprintf(text, sizeof(text), "a = %s;\n", big);
	ck_assert_int_eq(cfgscan_check(text, strlen(text), CFGSCAN_ALL, &d),
	    1);
	ck_assert_uint_eq(d.line, 1);
}
END_TEST

/* Only len bytes are read: the text need not end with a NUL. */
START_TEST(test_length_bound)
{
	static const char	 text[] = "a = 1;\nb = on;\n";
	struct cfgscan_diag	 d;

	ck_assert_int_eq(cfgscan_check(text, 7, CFGSCAN_ALL, &d), 0);
	ck_assert_int_eq(cfgscan_check(text, sizeof(text) - 1, CFGSCAN_ALL,
	    &d), 1);
}
END_TEST

/* Many names in many groups: the duplicate check stays fast. */
START_TEST(test_many_names)
{
	static char		 text[400000];
	struct cfgscan_diag	 d;
	size_t			 n = 0;
	int			 i;

	for (i = 0; i < 20000; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "k%d = %d;\n", i, i);
	ck_assert_int_eq(cfgscan_check(text, n, CFGSCAN_ALL, &d), 0);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "k17 = 0;\n");
	ck_assert_int_eq(cfgscan_check(text, n, CFGSCAN_ALL, &d), 1);
	ck_assert_uint_eq(d.line, 20001);
	ck_assert_str_eq(d.msg, "duplicate setting \"k17\" (first at line 18)");
}
END_TEST

static Suite *
cfgscan_suite(void)
{
	Suite	*s = suite_create("cfgscan");
	TCase	*tc = tcase_create("scan");

	tcase_add_loop_test(tc, test_found, 0,
	    (int)UTIL_ARRAY_LEN(found_cases));
	tcase_add_loop_test(tc, test_quiet, 0,
	    (int)UTIL_ARRAY_LEN(quiet_cases));
	tcase_add_test(tc, test_adjacent_only);
	tcase_add_test(tc, test_long_quotes);
	tcase_add_test(tc, test_length_bound);
	tcase_add_test(tc, test_many_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(cfgscan_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
