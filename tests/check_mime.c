/*
 * check_mime: unit tests for src/mime.c: the built-in table, parsing of
 * a mime.types text, "first addition wins" so a file added before the
 * built-in table overrides it, case-insensitive lookups of the extension
 * of the last path component only, and which types get a charset.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/mime.h"
#include "core/util.h"

static Suite	*mime_suite(void);

static struct mime_table	builtin_table;

static void
builtin_setup(void)
{
	mime_init(&builtin_table);
	mime_add_builtin(&builtin_table);
	mime_finish(&builtin_table);
}

static void
builtin_teardown(void)
{
	mime_free(&builtin_table);
}

/* Lookups in the built-in table alone. */
static const struct {
	const char	*desc;
	const char	*path;
	const char	*want;		/* NULL: no type */
} builtin_cases[] = {
	{ "html", "/index.html", "text/html" },
	{ "htm", "/old.htm", "text/html" },
	{ "css", "/s/site.css", "text/css" },
	{ "js", "/app.js", "text/javascript" },
	{ "json", "/data.json", "application/json" },
	{ "svg", "/logo.svg", "image/svg+xml" },
	{ "png", "/a.png", "image/png" },
	{ "jpeg long form", "/a.jpeg", "image/jpeg" },
	{ "pdf", "/doc.pdf", "application/pdf" },
	{ "woff2", "/f.woff2", "font/woff2" },
	{ "wasm", "/m.wasm", "application/wasm" },
	{ "txt", "/readme.txt", "text/plain" },
	{ "upper-case extension", "/INDEX.HTML", "text/html" },
	{ "mixed-case extension", "/Photo.JpG", "image/jpeg" },
	{ "last extension wins", "/archive.tar.gz", "application/gzip" },
	{ "no extension", "/README", NULL },
	{ "no extension, nested", "/a/b/Makefile", NULL },
	{ "trailing dot", "/file.", NULL },
	{ "dot in a directory name only", "/a.b/c", NULL },
	{ "dot in a directory name, html-looking", "/x.html/readme", NULL },
	{ "dot in a directory, extension in the file", "/a.b/c.css",
	    "text/css" },
	{ "unknown extension", "/a.unknownext", NULL },
	{ "extension longer than any", "/a.abcdefghijklmnopqrstuvwxyz0123456789",
	    NULL },
	{ "no slash at all", "style.css", "text/css" },
	{ "empty path", "", NULL },
	{ "directory path", "/docs/", NULL },
	{ "extension must match whole", "/a.htmlx", NULL },
	{ "extension prefix only", "/a.ht", NULL },
};

START_TEST(test_builtin_lookup)
{
	const char	*got;

	got = mime_lookup(&builtin_table, builtin_cases[_i].path);

	if (builtin_cases[_i].want == NULL)
		ck_assert_msg(got == NULL, "%s: \"%s\" gave \"%s\", want none",
		    builtin_cases[_i].desc, builtin_cases[_i].path, got);
	else
		ck_assert_msg(got != NULL &&
		    strcmp(got, builtin_cases[_i].want) == 0,
		    "%s: \"%s\" gave \"%s\", want \"%s\"",
		    builtin_cases[_i].desc, builtin_cases[_i].path,
		    got != NULL ? got : "(null)", builtin_cases[_i].want);
}
END_TEST

/* The table is sorted and holds each extension once after finish. */
START_TEST(test_builtin_sorted_unique)
{
	size_t	i;

	ck_assert_uint_gt(builtin_table.n, 20);
	for (i = 1; i < builtin_table.n; i++)
		ck_assert_msg(strcmp(builtin_table.entries[i - 1].ext,
		    builtin_table.entries[i].ext) < 0,
		    "entries %zu \"%s\" and %zu \"%s\" out of order", i - 1,
		    builtin_table.entries[i - 1].ext, i,
		    builtin_table.entries[i].ext);
	for (i = 0; i < builtin_table.n; i++)
		ck_assert_msg(mime_lookup(&builtin_table,
		    builtin_table.entries[i].ext) == NULL,
		    "bare \"%s\" (no dot) matched",
		    builtin_table.entries[i].ext);
}
END_TEST

START_TEST(test_empty_table)
{
	struct mime_table	t;

	mime_init(&t);
	mime_finish(&t);
	ck_assert_ptr_null(mime_lookup(&t, "/index.html"));
	mime_free(&t);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(t.entries);
}
END_TEST

/* A mime.types-like text. */
static const char mime_types_text[] =
    "# This is a comment. I love comments.\n"
    "\n"
    "   \n"
    "\t# indented comment\n"
    "application/x-foo\t\tfoo fooo\n"
    "text/x-bar bar   BAZ\tqux\n"
    "application/x-crlf crlf\r\n"
    "application/x-crlf2 crlf2 crlf3\r\n"
    "application/x-noext\n"
    "application/x-noext-crlf\r\n"
    "image/x-comment cmt # trailing comment ext\n"
    "image/x-comment2 cmt2# tight comment\n"
    "notatype ignored1 ignored2\n"
    "  text/x-indented   ind\n"
    "\r\n"
    "application/x-last last";		/* no final newline */

static const struct {
	const char	*desc;
	const char	*path;
	const char	*want;
} text_cases[] = {
	{ "first extension", "/a.foo", "application/x-foo" },
	{ "second extension after tabs", "/a.fooo", "application/x-foo" },
	{ "several extensions 1", "/a.bar", "text/x-bar" },
	{ "upper-case extension in the file", "/a.baz", "text/x-bar" },
	{ "upper-case lookup of upper-case file entry", "/A.BAZ",
	    "text/x-bar" },
	{ "tab-separated extension", "/a.qux", "text/x-bar" },
	{ "CRLF line", "/a.crlf", "application/x-crlf" },
	{ "CRLF line, first of two", "/a.crlf2", "application/x-crlf2" },
	{ "CRLF line, last of two", "/a.crlf3", "application/x-crlf2" },
	{ "before a comment", "/a.cmt", "image/x-comment" },
	{ "before a tight comment", "/a.cmt2", "image/x-comment2" },
	{ "comment words are not extensions", "/a.trailing", NULL },
	{ "comment words are not extensions 2", "/a.tight", NULL },
	{ "line without a slash is not a type", "/a.ignored1", NULL },
	{ "indented line", "/a.ind", "text/x-indented" },
	{ "last line without newline", "/a.last", "application/x-last" },
	{ "comment line is not parsed", "/a.comments", NULL },
	{ "built-in still there", "/a.html", "text/html" },
};

static struct mime_table	text_table;
static size_t			text_added;

static void
text_setup(void)
{
	mime_init(&text_table);
	text_added = mime_add_text(&text_table, mime_types_text,
	    sizeof(mime_types_text) - 1);
	mime_add_builtin(&text_table);
	mime_finish(&text_table);
}

static void
text_teardown(void)
{
	mime_free(&text_table);
}

START_TEST(test_text_lookup)
{
	const char	*got = mime_lookup(&text_table, text_cases[_i].path);

	if (text_cases[_i].want == NULL)
		ck_assert_msg(got == NULL, "%s: \"%s\" gave \"%s\", want none",
		    text_cases[_i].desc, text_cases[_i].path, got);
	else
		ck_assert_msg(got != NULL &&
		    strcmp(got, text_cases[_i].want) == 0,
		    "%s: \"%s\" gave \"%s\", want \"%s\"", text_cases[_i].desc,
		    text_cases[_i].path, got != NULL ? got : "(null)",
		    text_cases[_i].want);
}
END_TEST

START_TEST(test_text_count)
{
	/*
	 * foo fooo bar baz qux crlf crlf2 crlf3 cmt cmt2 ind last: 12.
	 * Types without extensions and lines without a '/' add nothing.
	 */
	ck_assert_uint_eq(text_added, 12);
}
END_TEST

/* No type keeps a CR, a tab or a comment. */
START_TEST(test_text_types_are_clean)
{
	size_t	i;

	for (i = 0; i < text_table.n; i++) {
		ck_assert_msg(strpbrk(text_table.entries[i].type, " \t\r\n#") ==
		    NULL, "type \"%s\" has odd bytes",
		    text_table.entries[i].type);
		ck_assert_msg(strpbrk(text_table.entries[i].ext,
		    " \t\r\n#./") == NULL, "ext \"%s\" has odd bytes",
		    text_table.entries[i].ext);
	}
}
END_TEST

/* A mime.types file added before the built-in table overrides it. */
START_TEST(test_file_overrides_builtin)
{
	static const char	text[] =
	    "application/x-my-html html\n"
	    "text/x-script js\n";
	struct mime_table	t;

	mime_init(&t);
	ck_assert_uint_eq(mime_add_text(&t, text, sizeof(text) - 1), 2);
	mime_add_builtin(&t);
	mime_finish(&t);
	ck_assert_str_eq(mime_lookup(&t, "/index.html"), "application/x-my-html");
	ck_assert_str_eq(mime_lookup(&t, "/a.JS"), "text/x-script");
	/* Others still come from the built-in table. */
	ck_assert_str_eq(mime_lookup(&t, "/a.htm"), "text/html");
	mime_free(&t);
}
END_TEST

/* Added after, the built-in entry wins: first addition wins. */
START_TEST(test_builtin_first_wins)
{
	static const char	text[] = "application/x-my-html html\n";
	struct mime_table	t;

	mime_init(&t);
	mime_add_builtin(&t);
	mime_add_text(&t, text, sizeof(text) - 1);
	mime_finish(&t);
	ck_assert_str_eq(mime_lookup(&t, "/index.html"), "text/html");
	mime_free(&t);
}
END_TEST

/* Duplicates inside one file: the first line wins, one entry is kept. */
START_TEST(test_duplicates)
{
	static const char	text[] =
	    "application/x-one dup\n"
	    "application/x-two DUP other\n"
	    "application/x-three dup\n"
	    "application/x-one dup\n";
	struct mime_table	t;
	size_t			i, seen = 0;

	mime_init(&t);
	ck_assert_uint_eq(mime_add_text(&t, text, sizeof(text) - 1), 5);
	mime_finish(&t);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(mime_lookup(&t, "/x.dup"), "application/x-one");
	ck_assert_str_eq(mime_lookup(&t, "/x.other"), "application/x-two");
	for (i = 0; i < t.n; i++)
		if (strcmp(t.entries[i].ext, "dup") == 0)
			seen++;
	ck_assert_uint_eq(seen, 1);
	mime_free(&t);
}
END_TEST

/* Many entries: growth beyond the first allocation keeps everything. */
START_TEST(test_many_entries)
{
	char			text[64];
	struct mime_table	t;
	int			i, n;

	mime_init(&t);
	for (i = 0; i < 1000; i++) {
		n = snprintf(text, sizeof(text), "application/x-t%d e%d\n", i,
		    i);
		ck_assert_uint_eq(mime_add_text(&t, text, (size_t)n), 1);
	}
	mime_add_builtin(&t);
	mime_finish(&t);
	for (i = 0; i < 1000; i += 37) {
		char	path[32], want[32];

		snprintf(path, sizeof(path), "/f.E%d", i);
		snprintf(want, sizeof(want), "application/x-t%d", i);
		ck_assert_str_eq(mime_lookup(&t, path), want);
	}
	ck_assert_str_eq(mime_lookup(&t, "/a.css"), "text/css");
	mime_free(&t);
}
END_TEST

/* Lines that are not "type/subtype ext...": nothing is added. */
static const struct {
	const char	*desc;
	const char	*text;
} reject_cases[] = {
	{ "empty text", "" },
	{ "only comments", "# a/b c\n#x/y z\n" },
	{ "no slash in the type", "texthtml html\n" },
	{ "type without extensions", "text/html\n" },
	{ "type without extensions, CRLF", "text/html\r\n" },
	{ "only blank lines", "\n\n\r\n \t \n" },
	/* mime.c: "A media type has exactly one '/' and no odd bytes." */
	{ "two slashes in the type (RFC 6838 type/subtype)",
	    "text/html/x weird\n" },
	{ "extension longer than the limit",
	    "application/x-long abcdefghijklmnopqrstuvwxyz0123456789\n" },
};

START_TEST(test_text_rejects)
{
	struct mime_table	t;
	size_t			added;

	mime_init(&t);
	added = mime_add_text(&t, reject_cases[_i].text,
	    strlen(reject_cases[_i].text));
	ck_assert_msg(added == 0 && t.n == 0, "%s: %zu entries added",
	    reject_cases[_i].desc, added);
	mime_free(&t);
}
END_TEST

/* Only len bytes of the text are parsed. */
START_TEST(test_text_uses_len_only)
{
	static const char	text[] = "text/x-a aa\ntext/x-b bb\n";
	struct mime_table	t;

	mime_init(&t);
	ck_assert_uint_eq(mime_add_text(&t, text, 12), 1);
	mime_finish(&t);
	ck_assert_str_eq(mime_lookup(&t, "/x.aa"), "text/x-a");
	ck_assert_ptr_null(mime_lookup(&t, "/x.bb"));
	mime_free(&t);
}
END_TEST

/*
 * Found by tests/fuzz (fuzz_mime): a NUL byte in a word made an entry
 * whose string stopped at the NUL: "e\0x" became "e", and "\0e" an
 * empty extension.  A word with a NUL is skipped, as other bad words are.
 */
START_TEST(test_text_nul_in_word)
{
	static const char	text[] = "text/x-a e\0x \0f g\n"
				    "text/\0b h\n";
	struct mime_table	t;
	size_t			i;

	mime_init(&t);
	ck_assert_uint_eq(mime_add_text(&t, text, sizeof(text) - 1), 1);
	mime_finish(&t);
	for (i = 0; i < t.n; i++)
		ck_assert_uint_gt(strlen(t.entries[i].ext), 0);
	ck_assert_str_eq(mime_lookup(&t, "/x.g"), "text/x-a");
	ck_assert_ptr_null(mime_lookup(&t, "/x.e"));
	ck_assert_ptr_null(mime_lookup(&t, "/x.h"));
	mime_free(&t);
}
END_TEST

static const struct {
	const char	*desc;
	const char	*type;
	int		 want;
} text_type_cases[] = {
	{ "text/html", "text/html", 1 },
	{ "text/plain", "text/plain", 1 },
	{ "text/css", "text/css", 1 },
	{ "text/javascript", "text/javascript", 1 },
	{ "application/javascript", "application/javascript", 1 },
	{ "application/json", "application/json", 1 },
	{ "application/xml", "application/xml", 1 },
	{ "application/xhtml+xml", "application/xhtml+xml", 1 },
	{ "image/svg+xml", "image/svg+xml", 1 },
	{ "application/rss+xml", "application/rss+xml", 1 },
	{ "image/png", "image/png", 0 },
	{ "application/octet-stream", "application/octet-stream", 0 },
	{ "application/pdf", "application/pdf", 0 },
	{ "application/gzip", "application/gzip", 0 },
	{ "textual prefix without slash", "textfoo/x", 0 },
	{ "json prefix only", "application/jsonx", 0 },
	{ "empty", "", 0 },
	/* RFC 9110 section 8.3.1: type and subtype are case-insensitive. */
	{ "upper-case TEXT/PLAIN (RFC 9110 8.3.1)", "TEXT/PLAIN", 1 },
	{ "mixed-case Application/JSON (RFC 9110 8.3.1)", "Application/JSON",
	    1 },
};

START_TEST(test_is_text)
{
	int	got = mime_is_text(text_type_cases[_i].type);

	ck_assert_msg((got != 0) == text_type_cases[_i].want,
	    "%s: \"%s\" gave %d, want %d", text_type_cases[_i].desc,
	    text_type_cases[_i].type, got, text_type_cases[_i].want);
}
END_TEST

/* Every built-in text/ type gets a charset, images and archives not. */
START_TEST(test_builtin_charset_consistency)
{
	size_t	i;

	for (i = 0; i < builtin_table.n; i++) {
		const char	*ty = builtin_table.entries[i].type;

		if (strncmp(ty, "text/", 5) == 0)
			ck_assert_msg(mime_is_text(ty), "\"%s\" not text", ty);
		if (strncmp(ty, "image/", 6) == 0 &&
		    strcmp(ty, "image/svg+xml") != 0)
			ck_assert_msg(!mime_is_text(ty), "\"%s\" is text", ty);
	}
}
END_TEST

static Suite *
mime_suite(void)
{
	Suite	*s = suite_create("mime");
	TCase	*tc;

	tc = tcase_create("builtin");
	tcase_add_checked_fixture(tc, builtin_setup, builtin_teardown);
	tcase_add_loop_test(tc, test_builtin_lookup, 0,
	    (int)UTIL_ARRAY_LEN(builtin_cases));
	tcase_add_test(tc, test_builtin_sorted_unique);
	tcase_add_test(tc, test_builtin_charset_consistency);
	tcase_add_test(tc, test_empty_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_checked_fixture(tc, text_setup, text_teardown);
	tcase_add_loop_test(tc, test_text_lookup, 0,
	    (int)UTIL_ARRAY_LEN(text_cases));
	tcase_add_test(tc, test_text_count);
	tcase_add_test(tc, test_text_types_are_clean);
	tcase_add_test(tc, test_file_overrides_builtin);
	tcase_add_test(tc, test_builtin_first_wins);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_many_entries);
	tcase_add_loop_test(tc, test_text_rejects, 0,
	    (int)UTIL_ARRAY_LEN(reject_cases));
	tcase_add_test(tc, test_text_uses_len_only);
	tcase_add_test(tc, test_text_nul_in_word);
	suite_add_tcase(s, tc);

	tc = tcase_create("is_text");
	tcase_add_loop_test(tc, test_is_text, 0,
	    (int)UTIL_ARRAY_LEN(text_type_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(mime_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
