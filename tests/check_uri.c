/*
 * check_uri: unit tests for src/core/uri.c: percent-decoding,
 * percent-encoding and dot-segment removal (RFC 3986), and the server's
 * uri_normalize built on them.  uri_normalize is the first line of
 * defence against path traversal (DESIGN section 4): the target is
 * percent-decoded exactly once, NUL and control bytes are refused, and
 * dot segments are resolved (RFC 3986 section 5.2.4) and clamped at the
 * root, so the result always starts with '/' and never climbs.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "core/uri.h"
#include "core/util.h"

static Suite	*uri_suite(void);
static const char *result_name(enum uri_result);

static const char *
result_name(enum uri_result r)
{
	switch (r) {
	case URI_OK:
		return "URI_OK";
	case URI_BAD:
		return "URI_BAD";
	case URI_TOO_LONG:
		return "URI_TOO_LONG";
	}
	return "?";
}

/* Targets that normalise to a path. */
static const struct {
	const char	*desc;
	const char	*target;
	const char	*want;
	long		 query;
} ok_cases[] = {
	{ "root", "/", "/", -1 },
	{ "plain file", "/index.html", "/index.html", -1 },
	{ "nested", "/a/b/c.txt", "/a/b/c.txt", -1 },
	{ "directory with trailing slash", "/a/b/", "/a/b/", -1 },

	/* RFC 3986 section 5.2.4 remove_dot_segments. */
	{ "RFC 3986 5.2.4 example 1", "/a/b/c/./../../g", "/a/g", -1 },
	{ "RFC 3986 5.2.4 example 2 (mid/6)", "/mid/content=5/../6",
	    "/mid/6", -1 },
	{ "single dot segment", "/a/./b", "/a/b", -1 },
	{ "dot-dot segment", "/a/b/../c", "/a/c", -1 },
	{ "dot-dot at the end keeps a trailing slash", "/a/b/..", "/a/", -1 },
	{ "dot at the end keeps a trailing slash", "/a/b/.", "/a/b/", -1 },
	{ "dot-dot slash at the end", "/a/b/../", "/a/", -1 },
	{ "dot alone", "/.", "/", -1 },
	{ "dot-dot alone", "/..", "/", -1 },
	{ "several dot-dots", "/a/b/c/../../..", "/", -1 },
	{ "dot-dot after a dot", "/a/./../b", "/b", -1 },
	{ "triple dot is a name", "/.../x", "/.../x", -1 },
	{ "dot-dot prefix is a name", "/..a/b", "/..a/b", -1 },
	{ "dot-dot suffix is a name", "/a../b", "/a../b", -1 },
	{ "dotfile is a name", "/.well-known/x", "/.well-known/x", -1 },

	/* Clamping at the root: never above "/". */
	{ "clamp at root", "/../../etc/passwd", "/etc/passwd", -1 },
	{ "clamp at root deep", "/a/../../../../b", "/b", -1 },
	{ "clamp then descend then climb", "/../a/../../b/./c", "/b/c", -1 },

	/* Slash merging. */
	{ "double slash", "/a//b", "/a/b", -1 },
	{ "leading double slash", "//a", "/a", -1 },
	{ "many slashes", "////a///b////", "/a/b/", -1 },
	{ "only slashes", "////", "/", -1 },
	{ "slashes around dot-dot", "/a//..//b", "/b", -1 },

	/* Query and fragment are cut; *query is the offset of '?'. */
	{ "query cut", "/a?b=c", "/a", 2 },
	{ "empty query", "/a/?", "/a/", 3 },
	{ "query with a slash and dots", "/a?/../../x", "/a", 2 },
	{ "fragment cut", "/a#frag", "/a", -1 },
	{ "fragment before a '?'", "/a#x?y", "/a", -1 },
	{ "query then fragment", "/p/q?x#y", "/p/q", 4 },
	{ "bad escapes in the query are not decoded", "/a?%zz%00", "/a", 2 },
	{ "encoded '?' is data, not a query", "/a%3Fb", "/a?b", -1 },
	{ "encoded '#' is data", "/a%23b", "/a#b", -1 },

	/* Percent-decoding, exactly once. */
	{ "decode a letter", "/%41%62c", "/Abc", -1 },
	{ "lower-case hex", "/%7e", "/~", -1 },
	{ "decode a space", "/a%20b", "/a b", -1 },
	{ "raw space is kept", "/a b", "/a b", -1 },
	{ "encoded percent stays a percent", "/100%25", "/100%", -1 },
	{ "double encoding decoded once only", "/%252e%252e", "/%2e%2e", -1 },
	{ "double-encoded traversal stays literal",
	    "/a/%252e%252e/%252e%252e/etc", "/a/%2e%2e/%2e%2e/etc", -1 },
	{ "encoded dot-dot resolved and clamped", "/%2e%2e", "/", -1 },
	{ "encoded dot-dot traversal", "/%2e%2e/%2e%2e/etc/passwd",
	    "/etc/passwd", -1 },
	{ "upper-case encoded dot-dot", "/a/%2E%2E/b", "/b", -1 },
	{ "mixed encoded dot-dot", "/a/.%2e/b", "/b", -1 },
	{ "encoded single dot", "/a/%2e/b", "/a/b", -1 },
	{ "encoded slash is a separator after decoding", "/a%2fb", "/a/b",
	    -1 },
	{ "encoded slash traversal clamped", "/..%2f..%2fetc", "/etc", -1 },
	/* Overlong UTF-8 for '.' is two bytes, not a dot. */
	{ "overlong UTF-8 dots stay bytes", "/%c0%ae%c0%ae",
	    "/\xc0\xae\xc0\xae", -1 },
	{ "overlong UTF-8 dots mid-path", "/a/%c0%ae%c0%ae/b",
	    "/a/\xc0\xae\xc0\xae/b", -1 },
	{ "UTF-8 passes through", "/caf%C3%A9", "/caf\xc3\xa9", -1 },
	{ "raw high bytes pass through", "/caf\xc3\xa9", "/caf\xc3\xa9", -1 },

	/* Copied as they are (no '%', "/." or "//"), or not. */
	{ "plain: dots inside names", "/a.b/c.d.e", "/a.b/c.d.e", -1 },
	{ "plain: sub-delims and ':' '@'", "/a:b@c!$&'()*+,;=~_-",
	    "/a:b@c!$&'()*+,;=~_-", -1 },
	{ "plain: a query with dots, slashes and escapes",
	    "/x/y.html?a=/./..//%zz", "/x/y.html", 9 },
	{ "plain: a fragment", "/x/y.html#/../z", "/x/y.html", -1 },
	{ "plain: trailing slash then a query", "/d/?q", "/d/", 3 },
	{ "not plain: a dot segment at the end", "/a/.", "/a/", -1 },
	{ "not plain: a doubled slash at the end", "/a//", "/a/", -1 },
	{ "not plain: a doubled slash before a query", "/a//?q", "/a/", 4 },
	{ "not plain: a dotfile", "/.htaccess", "/.htaccess", -1 },
};

START_TEST(test_normalize_ok)
{
	char		 out[256];
	long		 q = -7;
	enum uri_result	 r;

	memset(out, 'X', sizeof(out));
	r = uri_normalize(ok_cases[_i].target, strlen(ok_cases[_i].target),
	    out, sizeof(out), &q);
	ck_assert_msg(r == URI_OK, "%s: \"%s\" gave %s", ok_cases[_i].desc,
	    ok_cases[_i].target, result_name(r));
	ck_assert_msg(strcmp(out, ok_cases[_i].want) == 0,
	    "%s: \"%s\" gave \"%s\", want \"%s\"", ok_cases[_i].desc,
	    ok_cases[_i].target, out, ok_cases[_i].want);
	ck_assert_msg(q == ok_cases[_i].query, "%s: query %ld, want %ld",
	    ok_cases[_i].desc, q, ok_cases[_i].query);
}
END_TEST

/* Whatever comes out never contains a ".." segment and starts with '/'. */
START_TEST(test_normalize_invariants)
{
	char		 out[256];
	size_t		 n;
	enum uri_result	 r;

	r = uri_normalize(ok_cases[_i].target, strlen(ok_cases[_i].target),
	    out, sizeof(out), NULL);
	ck_assert_msg(r == URI_OK, "%s: %s", ok_cases[_i].desc,
	    result_name(r));
	ck_assert_msg(out[0] == '/', "%s: \"%s\" does not start with '/'",
	    ok_cases[_i].desc, out);
	n = strlen(out);
	ck_assert_msg(strstr(out, "/../") == NULL &&
	    !(n >= 3 && strcmp(out + n - 3, "/..") == 0),
	    "%s: \"%s\" has a dot-dot segment", ok_cases[_i].desc, out);
	ck_assert_msg(strstr(out, "/./") == NULL &&
	    !(n >= 2 && strcmp(out + n - 2, "/.") == 0),
	    "%s: \"%s\" has a dot segment", ok_cases[_i].desc, out);
	ck_assert_msg(strstr(out, "//") == NULL, "%s: \"%s\" has '//'",
	    ok_cases[_i].desc, out);
}
END_TEST

/* Normalising a normalised path changes nothing (when it has no '%'). */
START_TEST(test_normalize_idempotent)
{
	char		 once[256], twice[256];

	ck_assert(uri_normalize(ok_cases[_i].target,
	    strlen(ok_cases[_i].target), once, sizeof(once), NULL) == URI_OK);
	if (strpbrk(once, "%?#") != NULL)
		return;
	ck_assert(uri_normalize(once, strlen(once), twice, sizeof(twice),
	    NULL) == URI_OK);
	ck_assert_msg(strcmp(once, twice) == 0, "%s: \"%s\" then \"%s\"",
	    ok_cases[_i].desc, once, twice);
}
END_TEST

/*
 * The copy of a plain path and the full treatment agree: each target
 * without '%' normalises to the same path as itself with every byte of
 * its path part but '/' percent-encoded, which never takes the copy.
 */
START_TEST(test_normalize_plain_same_as_decoded)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const char		*t = ok_cases[_i].target;
	char			 enc[768], a[256], b[256];
	size_t			 i, n = 0, len = strlen(t);
	long			 qa, qb;

	if (strchr(t, '%') != NULL)
		return;
	for (i = 0; i < len && t[i] != '?' && t[i] != '#'; i++) {
		if (t[i] == '/') {
			enc[n++] = '/';
			continue;
		}
		enc[n++] = '%';
		enc[n++] = hex[(unsigned char)t[i] >> 4];
		enc[n++] = hex[(unsigned char)t[i] & 15];
	}
	memcpy(enc + n, t + i, len - i);
	n += len - i;
	ck_assert(uri_normalize(t, len, a, sizeof(a), &qa) == URI_OK);
	ck_assert(uri_normalize(enc, n, b, sizeof(b), &qb) == URI_OK);
	ck_assert_msg(strcmp(a, b) == 0, "%s: \"%s\" vs \"%s\"",
	    ok_cases[_i].desc, a, b);
	ck_assert_msg((qa == -1) == (qb == -1), "%s: query %ld vs %ld",
	    ok_cases[_i].desc, qa, qb);
}
END_TEST

/* Targets that must be refused (400) or do not fit (414). */
static const struct {
	const char	*desc;
	const char	*target;
	size_t		 len;		/* 0: strlen(target) */
	enum uri_result	 want;
} bad_cases[] = {
	{ "empty", "", 0, URI_BAD },
	{ "relative path", "a/b", 0, URI_BAD },
	{ "asterisk-form", "*", 0, URI_BAD },
	{ "authority-form", "example.com:80", 0, URI_BAD },
	{ "absolute-form is the caller's business", "http://h/a", 0,
	    URI_BAD },
	{ "encoded leading slash", "%2fa", 0, URI_BAD },
	{ "query only", "?a", 0, URI_BAD },
	{ "encoded NUL", "/a%00b", 0, URI_BAD },
	{ "encoded NUL at the end", "/a%00", 0, URI_BAD },
	{ "encoded NUL hiding an extension", "/secret.txt%00.html", 0,
	    URI_BAD },
	{ "raw NUL", "/a\0b", 4, URI_BAD },
	{ "raw tab", "/a\tb", 0, URI_BAD },
	{ "raw CR", "/a\rb", 0, URI_BAD },
	{ "raw LF", "/a\nb", 0, URI_BAD },
	{ "raw ESC", "/a\x1b", 0, URI_BAD },
	{ "raw DEL", "/a\x7f", 0, URI_BAD },
	{ "raw control byte after a plain prefix", "/index.html\x01", 0,
	    URI_BAD },
	{ "raw control byte as the first byte", "/\x1f", 0, URI_BAD },
	{ "encoded tab", "/a%09b", 0, URI_BAD },
	{ "encoded CR", "/a%0db", 0, URI_BAD },
	{ "encoded LF", "/a%0Ab", 0, URI_BAD },
	{ "encoded 0x1f", "/a%1f", 0, URI_BAD },
	{ "encoded DEL", "/a%7f", 0, URI_BAD },
	{ "encoded DEL upper", "/a%7F", 0, URI_BAD },
	{ "bad hex digit", "/a%zz", 0, URI_BAD },
	{ "bad second hex digit", "/a%4g", 0, URI_BAD },
	{ "bad first hex digit", "/a%g4", 0, URI_BAD },
	{ "truncated escape, one digit", "/%4", 0, URI_BAD },
	{ "truncated escape, no digit", "/a%", 0, URI_BAD },
	{ "truncated escape before a query", "/a%4?x", 0, URI_BAD },
	{ "truncated escape before a fragment", "/a%#x", 0, URI_BAD },
	{ "escape with a sign", "/a%+1", 0, URI_BAD },
	{ "escape with a space", "/a% 1", 0, URI_BAD },
	{ "truncated escape cut by len", "/%41", 3, URI_BAD },
};

START_TEST(test_normalize_bad)
{
	char		 out[256];
	long		 q = -7;
	size_t		 len = bad_cases[_i].len != 0 ? bad_cases[_i].len :
			    strlen(bad_cases[_i].target);
	enum uri_result	 r;

	r = uri_normalize(bad_cases[_i].target, len, out, sizeof(out), &q);
	ck_assert_msg(r == bad_cases[_i].want, "%s: \"%.*s\" gave %s, want %s",
	    bad_cases[_i].desc, (int)len, bad_cases[_i].target,
	    result_name(r), result_name(bad_cases[_i].want));
}
END_TEST

/* Output sizes: the path plus its NUL must fit. */
static const struct {
	const char	*desc;
	const char	*target;
	size_t		 outsz;
	enum uri_result	 want;
	const char	*out;
} size_cases[] = {
	{ "fits exactly", "/abc", 5, URI_OK, "/abc" },
	{ "one byte short", "/abc", 4, URI_TOO_LONG, NULL },
	{ "root in 2 bytes", "/", 2, URI_OK, "/" },
	{ "root in 1 byte", "/", 1, URI_TOO_LONG, NULL },
	{ "root in 0 bytes", "/", 0, URI_TOO_LONG, NULL },
	{ "decoded length is what counts", "/%41%42%43", 5, URI_OK, "/ABC" },
	{ "query does not count", "/ab?0123456789", 4, URI_OK, "/ab" },
	{ "long path into a small buffer", "/aaaaaaaaaaaaaaaaaaaaaaaa", 16,
	    URI_TOO_LONG, NULL },
	{ "plain path with a query, fits exactly", "/abc?x", 4, URI_TOO_LONG,
	    NULL },
	{ "plain path with a query, one byte more", "/abc?x", 5, URI_OK,
	    "/abc" },
	{ "not plain: the path before merging must fit", "/a//b", 5,
	    URI_TOO_LONG, NULL },
	{ "not plain: room for the path before merging", "/a//b", 6,
	    URI_OK, "/a/b" },
};

START_TEST(test_normalize_output_size)
{
	char		 out[64];
	enum uri_result	 r;

	memset(out, 'X', sizeof(out));
	r = uri_normalize(size_cases[_i].target, strlen(size_cases[_i].target),
	    out, size_cases[_i].outsz, NULL);
	ck_assert_msg(r == size_cases[_i].want, "%s: gave %s, want %s",
	    size_cases[_i].desc, result_name(r),
	    result_name(size_cases[_i].want));
	if (size_cases[_i].out != NULL)
		ck_assert_str_eq(out, size_cases[_i].out);
	/* Never a byte written at or past out[outsz]. */
	ck_assert_msg(out[size_cases[_i].outsz] == 'X',
	    "%s: wrote past outsz", size_cases[_i].desc);
}
END_TEST

/* The target need not be NUL-terminated: only len bytes are read. */
START_TEST(test_normalize_uses_len_only)
{
	static const char	target[] = "/a/b HTTP/1.1\r\n";
	char			out[32];

	ck_assert(uri_normalize(target, 4, out, sizeof(out), NULL) == URI_OK);
	ck_assert_str_eq(out, "/a/b");
}
END_TEST

/* *query is -1 also on errors, so a caller never uses a stale offset. */
START_TEST(test_normalize_query_reset_on_error)
{
	char	out[32];
	long	q = 99;

	ck_assert(uri_normalize("a?b", 3, out, sizeof(out), &q) == URI_BAD);
	ck_assert_int_eq(q, -1);
	q = 99;
	ck_assert(uri_normalize("/a?b", 4, out, sizeof(out), &q) == URI_OK);
	ck_assert_int_eq(q, 2);
}
END_TEST

/* uri_encode without flags: the server's Location and listing links. */
static const struct {
	const char	*desc;
	const char	*in;
	const char	*want;
} enc_cases[] = {
	{ "plain", "/a/b.html", "/a/b.html" },
	{ "empty", "", "" },
	{ "unreserved kept", "/AZaz09-._~", "/AZaz09-._~" },
	{ "sub-delims, ':' and '@' kept", "/!$&'()*+,;=:@",
	    "/!$&'()*+,;=:@" },
	{ "space", "/a b", "/a%20b" },
	{ "percent", "/100%", "/100%25" },
	{ "question mark", "/a?b", "/a%3Fb" },
	{ "hash", "/a#b", "/a%23b" },
	{ "double quote and angle brackets", "/\"<>", "/%22%3C%3E" },
	{ "CR LF cannot split the header", "/a\r\nSet-Cookie: x",
	    "/a%0D%0ASet-Cookie:%20x" },
	{ "UTF-8", "/caf\xc3\xa9", "/caf%C3%A9" },
	{ "DEL", "/\x7f", "/%7F" },
	{ "backslash", "/a\\b", "/a%5Cb" },
};

START_TEST(test_encode_path)
{
	char		 out[128];
	enum uri_result	 r;

	r = uri_encode(enc_cases[_i].in, strlen(enc_cases[_i].in), out,
	    sizeof(out), 0);
	ck_assert_msg(r == URI_OK, "%s: %s", enc_cases[_i].desc,
	    result_name(r));
	ck_assert_msg(strcmp(out, enc_cases[_i].want) == 0,
	    "%s: got \"%s\", want \"%s\"", enc_cases[_i].desc, out,
	    enc_cases[_i].want);
}
END_TEST

/* Encoding then normalising gives the original path back. */
START_TEST(test_encode_then_normalize_round_trip)
{
	static const char *const paths[] = {
		"/a b/c%d/e?f#g/", "/caf\xc3\xa9/x", "/100%25/", "/~u/",
	};
	char	enc[128], dec[128];
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(paths); i++) {
		ck_assert(uri_encode(paths[i], strlen(paths[i]), enc,
		    sizeof(enc), 0) == URI_OK);
		ck_assert_msg(uri_normalize(enc, strlen(enc), dec, sizeof(dec),
		    NULL) == URI_OK, "\"%s\" -> \"%s\" refused", paths[i], enc);
		ck_assert_msg(strcmp(dec, paths[i]) == 0,
		    "\"%s\" -> \"%s\" -> \"%s\"", paths[i], enc, dec);
	}
}
END_TEST

static const struct {
	const char	*desc;
	const char	*in;
	size_t		 outsz;
	enum uri_result	 want;
} enc_size_cases[] = {
	{ "fits exactly", "/abc", 5, URI_OK },
	{ "one short", "/abc", 4, URI_TOO_LONG },
	{ "escape fits exactly", "/ ", 5, URI_OK },
	{ "escape one short", "/ ", 4, URI_TOO_LONG },
	{ "escape two short", "/ ", 3, URI_TOO_LONG },
	{ "empty into 1 byte", "", 1, URI_OK },
	{ "empty into 0 bytes", "", 0, URI_TOO_LONG },
	{ "one char into 0 bytes", "a", 0, URI_TOO_LONG },
};

START_TEST(test_encode_path_output_size)
{
	char		 out[32];
	enum uri_result	 r;

	memset(out, 'X', sizeof(out));
	r = uri_encode(enc_size_cases[_i].in, strlen(enc_size_cases[_i].in),
	    out, enc_size_cases[_i].outsz, 0);
	ck_assert_msg(r == enc_size_cases[_i].want, "%s: gave %s, want %s",
	    enc_size_cases[_i].desc, result_name(r),
	    result_name(enc_size_cases[_i].want));
	ck_assert_msg(out[enc_size_cases[_i].outsz] == 'X',
	    "%s: wrote past outsz", enc_size_cases[_i].desc);
	if (r == URI_OK)
		ck_assert_uint_lt(strlen(out), enc_size_cases[_i].outsz);
}
END_TEST

/*
 * uri_encode with both flags: the client's request targets ('?' and
 * valid escapes kept).  Moved here with the code from url.c.
 */
START_TEST(test_encode_query_escapes_bounds)
{
	const int	fl = URI_ENCODE_QUERY | URI_ENCODE_ESCAPES;
	char		out[8];

	ck_assert_int_eq(uri_encode("abc", 3, out, 4, fl), URI_OK);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(uri_encode("abcd", 4, out, 4, fl), URI_TOO_LONG);
	ck_assert_int_eq(uri_encode(" ", 1, out, 4, fl), URI_OK);
	ck_assert_str_eq(out, "%20");
	ck_assert_int_eq(uri_encode("a ", 2, out, 4, fl), URI_TOO_LONG);
	ck_assert_int_eq(uri_encode("", 0, out, 1, fl), URI_OK);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(uri_encode("", 0, out, 0, fl), URI_TOO_LONG);
	/* Only len bytes are looked at: "%4" then a hex digit past len. */
	ck_assert_int_eq(uri_encode("%41", 2, out, sizeof(out), fl), URI_OK);
	ck_assert_str_eq(out, "%254");
	/* A NUL inside the range is encoded, not a terminator. */
	ck_assert_int_eq(uri_encode("a\0b", 3, out, sizeof(out), fl),
	    URI_OK);
	ck_assert_str_eq(out, "a%00b");
}
END_TEST

/* What each flag keeps. */
static const struct {
	const char	*in;
	int		 flags;
	const char	*want;
} flag_cases[] = {
	{ "/a?b=%41", 0, "/a%3Fb=%2541" },
	{ "/a?b=%41", URI_ENCODE_QUERY, "/a?b=%2541" },
	{ "/a?b=%41", URI_ENCODE_ESCAPES, "/a%3Fb=%41" },
	{ "/a?b=%41", URI_ENCODE_QUERY | URI_ENCODE_ESCAPES, "/a?b=%41" },
	{ "%zz%4", URI_ENCODE_ESCAPES, "%25zz%254" },
	{ "%%41", URI_ENCODE_ESCAPES, "%25%41" },
	{ "#x", URI_ENCODE_QUERY | URI_ENCODE_ESCAPES, "%23x" },
};

START_TEST(test_encode_flags)
{
	char	out[64];

	ck_assert_int_eq(uri_encode(flag_cases[_i].in,
	    strlen(flag_cases[_i].in), out, sizeof(out),
	    flag_cases[_i].flags), URI_OK);
	ck_assert_msg(strcmp(out, flag_cases[_i].want) == 0,
	    "\"%s\" (flags %d): \"%s\"", flag_cases[_i].in,
	    flag_cases[_i].flags, out);
}
END_TEST

/* uri_pct_value: one escape. */
static const struct {
	const char	*in;
	size_t		 len;		/* 0: strlen */
	int		 want;
} pct_cases[] = {
	{ "%41", 0, 0x41 },
	{ "%7e", 0, 0x7e },
	{ "%7E", 0, 0x7e },
	{ "%00", 0, 0 },
	{ "%ff", 0, 0xff },
	{ "%2e%2e", 0, '.' },
	{ "%4", 0, -1 },
	{ "%", 0, -1 },
	{ "", 0, -1 },
	{ "%zz", 0, -1 },
	{ "%4g", 0, -1 },
	{ "%g4", 0, -1 },
	{ "%+1", 0, -1 },
	{ "A41", 0, -1 },
	{ "%41", 2, -1 },		/* len bounds it */
};

START_TEST(test_pct_value)
{
	size_t	len = pct_cases[_i].len != 0 ? pct_cases[_i].len :
		    strlen(pct_cases[_i].in);

	ck_assert_msg(uri_pct_value(pct_cases[_i].in, len) ==
	    pct_cases[_i].want, "\"%.*s\"", (int)len, pct_cases[_i].in);
}
END_TEST

/*
 * uri_remove_dots: RFC 3986 section 5.2.4 as it is (flags 0, the
 * client's URLs), with slashes merged (the server's paths) and with a
 * climb refused (symlink targets, made absolute by resolve.c).
 */
#define DOTS_ALL	(URI_DOTS_MERGE | URI_DOTS_NO_CLIMB)
static const struct {
	const char	*in;
	int		 flags;
	const char	*want;		/* NULL: -1 */
} dots_cases[] = {
	/* RFC 3986 section 5.2.4's own examples. */
	{ "/a/b/c/./../../g", 0, "/a/g" },
	{ "mid/content=5/../6", 0, "mid/6" },
	/* Section 5.4 (abnormal examples), path part. */
	{ "/b/c/../../../g", 0, "/g" },
	{ "/b/c/../../../../g", 0, "/g" },
	{ "/./g", 0, "/g" },
	{ "/../g", 0, "/g" },
	{ "/b/c/g.", 0, "/b/c/g." },
	{ "/b/c/.g", 0, "/b/c/.g" },
	{ "/b/c/g..", 0, "/b/c/g.." },
	{ "/b/c/..g", 0, "/b/c/..g" },
	{ "/b/c/./../g", 0, "/b/g" },
	{ "/b/c/./g/.", 0, "/b/c/g/" },
	{ "/b/c/g/./h", 0, "/b/c/g/h" },
	{ "/b/c/g/../h", 0, "/b/c/h" },
	/* Step by step. */
	{ "", 0, "" },
	{ "/", 0, "/" },
	{ ".", 0, "" },
	{ "..", 0, "" },
	{ "./a", 0, "a" },
	{ "../a", 0, "a" },
	{ "/.", 0, "/" },
	{ "/..", 0, "/" },
	{ "/a/..", 0, "/" },
	{ "/a/b/..", 0, "/a/" },
	{ "/a/b/.", 0, "/a/b/" },
	{ "a/..", 0, "/" },
	{ "/a//../b", 0, "/a/b" },
	{ "//a", 0, "//a" },
	/* Slashes merged first. */
	{ "/a//../b", URI_DOTS_MERGE, "/b" },
	{ "////a///b////", URI_DOTS_MERGE, "/a/b/" },
	{ "//", URI_DOTS_MERGE, "/" },
	{ "/a/.//..//b", URI_DOTS_MERGE, "/b" },
	/* A climb refused. */
	{ "/..", DOTS_ALL, NULL },
	{ "/../a", DOTS_ALL, NULL },
	{ "/a/../..", DOTS_ALL, NULL },
	{ "/a/../../b", DOTS_ALL, NULL },
	{ "../a", URI_DOTS_NO_CLIMB, NULL },
	{ "..", URI_DOTS_NO_CLIMB, NULL },
	{ "/a/b/../..", DOTS_ALL, "/" },
	{ "/a/../b/..", DOTS_ALL, "/" },
	{ "/a//..", DOTS_ALL, "/" },
	{ "/./a/.", DOTS_ALL, "/a/" },
	{ "./a", URI_DOTS_NO_CLIMB, "a" },
};

START_TEST(test_remove_dots)
{
	char	buf[64];
	size_t	len = strlen(dots_cases[_i].in), n = len;
	int	r;

	memcpy(buf, dots_cases[_i].in, len);
	memset(buf + len, 'X', sizeof(buf) - len);
	r = uri_remove_dots(buf, &n, dots_cases[_i].flags);
	if (dots_cases[_i].want == NULL) {
		ck_assert_msg(r == -1, "\"%s\": not refused",
		    dots_cases[_i].in);
		return;
	}
	ck_assert_msg(r == 0 && n == strlen(dots_cases[_i].want) &&
	    memcmp(buf, dots_cases[_i].want, n) == 0,
	    "\"%s\" (flags %d): %d \"%.*s\", want \"%s\"", dots_cases[_i].in,
	    dots_cases[_i].flags, r, (int)n, buf, dots_cases[_i].want);
	/* In place, within the input: nothing written past it. */
	ck_assert_int_eq(buf[len], 'X');
}
END_TEST

static Suite *
uri_suite(void)
{
	Suite	*s = suite_create("uri");
	TCase	*tc;

	tc = tcase_create("normalize");
	tcase_add_loop_test(tc, test_normalize_ok, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_normalize_invariants, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_normalize_idempotent, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_normalize_plain_same_as_decoded, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_normalize_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_cases));
	tcase_add_loop_test(tc, test_normalize_output_size, 0,
	    (int)UTIL_ARRAY_LEN(size_cases));
	tcase_add_test(tc, test_normalize_uses_len_only);
	tcase_add_test(tc, test_normalize_query_reset_on_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, test_encode_path, 0,
	    (int)UTIL_ARRAY_LEN(enc_cases));
	tcase_add_test(tc, test_encode_then_normalize_round_trip);
	tcase_add_loop_test(tc, test_encode_path_output_size, 0,
	    (int)UTIL_ARRAY_LEN(enc_size_cases));
	tcase_add_test(tc, test_encode_query_escapes_bounds);
	tcase_add_loop_test(tc, test_encode_flags, 0,
	    (int)UTIL_ARRAY_LEN(flag_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_pct_value, 0,
	    (int)UTIL_ARRAY_LEN(pct_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("dots");
	tcase_add_loop_test(tc, test_remove_dots, 0,
	    (int)UTIL_ARRAY_LEN(dots_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(uri_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
