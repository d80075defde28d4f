/*
 * check_fieldrule: unit tests for src/core/fieldrule.c, the operator's
 * "headers" lines and "redirect" templates (DESIGN section 3a).  Both
 * end up in responses, so the hostile cases matter most: a CR or LF
 * that would split a response, a control byte, a field the server must
 * keep to itself (framing, hop-by-hop, its own), in any letter case; a
 * redirect that would become "//host" (an open redirect), an unknown
 * $variable, and expansions that do not fit.  Inner levels replace
 * same-named outer lines and add the rest, never the nginx way of
 * dropping the whole outer set.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fieldrule.h"
#include "core/http.h"
#include "core/util.h"

static Suite	*fieldrule_suite(void);
static void	 vary_case(const char *, int, char *, size_t);
static size_t	 count(const char *const *);

/* Lines an operator may write. */
static const struct {
	const char	*desc;
	const char	*line;
	const char	*formatted;
} ok_lines[] = {
	{ "simple", "X-Frame-Options: DENY", "X-Frame-Options: DENY\r\n" },
	{ "list value", "Cache-Control: public, max-age=31536000, immutable",
	    "Cache-Control: public, max-age=31536000, immutable\r\n" },
	{ "HSTS", "Strict-Transport-Security: max-age=63072000",
	    "Strict-Transport-Security: max-age=63072000\r\n" },
	{ "no space after the colon", "X-A:b", "X-A: b\r\n" },
	{ "spaces and tabs around the value", "X-A: \t b c \t ",
	    "X-A: b c\r\n" },
	{ "inner tab kept", "X-Tab: a\tb", "X-Tab: a\tb\r\n" },
	{ "name case as written", "x-lower:  V", "x-lower: V\r\n" },
	{ "every tchar in the name", "X!#$%&'*+-.^_`|~0: v",
	    "X!#$%&'*+-.^_`|~0: v\r\n" },
	{ "quotes and semicolons", "Content-Security-Policy: default-src "
	    "'self'; img-src *", "Content-Security-Policy: default-src "
	    "'self'; img-src *\r\n" },
	{ "angle brackets", "Link: </a.css>; rel=preload",
	    "Link: </a.css>; rel=preload\r\n" },
	{ "colons in the value", "X-A: a:b::c", "X-A: a:b::c\r\n" },
	{ "UTF-8 as obs-text", "X-Name: caf\xc3\xa9",
	    "X-Name: caf\xc3\xa9\r\n" },
	{ "obs-text edges", "X-Name: \x80\xff", "X-Name: \x80\xff\r\n" },
	{ "one-byte value", "X: 1", "X: 1\r\n" },
	{ "refused name as a prefix", "Content-Lengthx: 1",
	    "Content-Lengthx: 1\r\n" },
	{ "refused name as a suffix", "X-Date: today", "X-Date: today\r\n" },
	{ "plural of a refused name", "Dates: x", "Dates: x\r\n" },
	{ "Set-Cookie is the operator's", "Set-Cookie: a=b; Secure",
	    "Set-Cookie: a=b; Secure\r\n" },
	{ "a field that only looks like one", "X-A: b\\r\\nC: d",
	    "X-A: b\\r\\nC: d\r\n" },
};

START_TEST(test_check_ok)
{
	char	why[256] = "";

	ck_assert_msg(fieldrule_check(ok_lines[_i].line, why,
	    sizeof(why)) == 0, "%s: refused: %s", ok_lines[_i].desc, why);
}
END_TEST

/* Lines that are refused, with a word the why must hold. */
static const struct {
	const char	*desc;
	const char	*line;
	const char	*why;
} bad_lines[] = {
	{ "empty", "", "empty" },
	{ "colon alone", ":", "no field name" },
	{ "no name", ": v", "no field name" },
	{ "leading space", " X-A: v", "begin with a field name" },
	{ "leading tab", "\tX-A: v", "begin with a field name" },
	{ "leading CR LF", "\r\nX-A: v", "begin with a field name" },
	{ "obs-fold line", " folded", "begin with a field name" },
	{ "no colon", "X-A", "no ':'" },
	{ "space instead of a colon", "X-A v", "field name may hold" },
	{ "space before the colon", "X-A : v", "no space" },
	{ "tab before the colon", "X-A\t: v", "no space" },
	{ "space inside the name", "X A: v", "field name may hold" },
	{ "parenthesis in the name", "X(A): v", "field name may hold" },
	{ "slash in the name", "X/A: v", "field name may hold" },
	{ "UTF-8 in the name", "X\xc3\xa9: v", "field name may hold" },
	{ "CR LF in the name", "X-A\r\n: v", "field name may hold" },
	{ "empty value", "X-A:", "empty" },
	{ "spaces only", "X-A:    ", "empty" },
	{ "tabs and spaces only", "X-A: \t \t", "empty" },
	{ "CR LF injection", "X-A: a\r\nSet-Cookie: x=y", "control" },
	{ "bare LF", "X-A: a\nb", "control" },
	{ "bare CR", "X-A: a\rb", "control" },
	{ "trailing CR LF", "X-A: a\r\n", "control" },
	{ "CR LF CR LF (body injection)", "X-A: a\r\n\r\n<html>", "control" },
	{ "0x01", "X-A: \x01", "control" },
	{ "0x01 inside", "X-A: a\x01z", "control" },
	{ "ESC", "X-A: \x1b[31mred", "control" },
	{ "DEL", "X-A: a\x7f", "control" },
	{ "vertical tab", "X-A: a\vb", "control" },
	{ "form feed", "X-A: a\fb", "control" },
	{ "obs-text cannot hide a CR", "X-A: \xff\r\xff", "control" },
	{ "control in an empty-looking value", "X-A: \x1f", "control" },
};

START_TEST(test_check_bad)
{
	char	why[256] = "";

	ck_assert_msg(fieldrule_check(bad_lines[_i].line, why,
	    sizeof(why)) == -1, "%s: accepted", bad_lines[_i].desc);
	ck_assert_msg(strstr(why, bad_lines[_i].why) != NULL,
	    "%s: why \"%s\" lacks \"%s\"", bad_lines[_i].desc, why,
	    bad_lines[_i].why);
	ck_assert_msg(http_text_ok(why, strlen(why)),
	    "%s: control bytes in the why", bad_lines[_i].desc);
}
END_TEST

/* The fields fieldrule.h lists, and what their why must say. */
static const struct {
	const char	*name;
	const char	*why;
} refused[] = {
	{ "Content-Length", "frames the message" },
	{ "Transfer-Encoding", "frames the message" },
	{ "Trailer", "frames the message" },
	{ "Connection", "hop-by-hop" },
	{ "Keep-Alive", "hop-by-hop" },
	{ "Upgrade", "hop-by-hop" },
	{ "TE", "hop-by-hop" },
	{ "Proxy-Connection", "hop-by-hop" },
	{ "Date", "the server sets it" },
	{ "Server", "the server sets it" },
	{ "Content-Range", "the server sets it" },
	{ "Content-Type", "the server sets it" },
	{ "Content-Encoding", "the server sets it" },
	{ "ETag", "the server sets it" },
	{ "Last-Modified", "the server sets it" },
	{ "Accept-Ranges", "the server sets it" },
	{ "Location", "the server sets it" },
	{ "Vary", "the server sets it" },
	{ "WWW-Authenticate", "the server sets it" },
	{ "Allow", "the server sets it" },
};

/* The name in one of four cases: as listed, lower, upper, alternating. */
static void
vary_case(const char *name, int how, char *out, size_t outsz)
{
	size_t	i;

	for (i = 0; name[i] != '\0' && i + 1 < outsz; i++) {
		switch (how) {
		case 1:
			out[i] = (char)util_tolower((unsigned char)name[i]);
			break;
		case 2:
			out[i] = name[i] >= 'a' && name[i] <= 'z' ?
			    (char)(name[i] - 'a' + 'A') : name[i];
			break;
		case 3:
			out[i] = i % 2 == 0 ?
			    (char)util_tolower((unsigned char)name[i]) :
			    name[i] >= 'a' && name[i] <= 'z' ?
			    (char)(name[i] - 'a' + 'A') : name[i];
			break;
		default:
			out[i] = name[i];
			break;
		}
	}
	out[i] = '\0';
}

START_TEST(test_check_refused_names)
{
	char	name[64], line[128], why[256];
	int	how;

	for (how = 0; how < 4; how++) {
		vary_case(refused[_i].name, how, name, sizeof(name));
		snprintf(line, sizeof(line), "%s: x", name);
		why[0] = '\0';
		ck_assert_msg(fieldrule_check(line, why, sizeof(why)) == -1,
		    "\"%s\" accepted", line);
		ck_assert_msg(strstr(why, refused[_i].name) != NULL,
		    "\"%s\": why \"%s\" does not name the field", line, why);
		ck_assert_msg(strstr(why, refused[_i].why) != NULL,
		    "\"%s\": why \"%s\" lacks \"%s\"", line, why,
		    refused[_i].why);
		/* Even without a space, and with an odd value. */
		snprintf(line, sizeof(line), "%s:0", name);
		ck_assert_msg(fieldrule_check(line, why, sizeof(why)) == -1,
		    "\"%s\" accepted", line);
	}
}
END_TEST

/* Size limits and a refusal without a why buffer. */
START_TEST(test_check_sizes)
{
	char	*line, why[256];
	size_t	 n;

	line = malloc(FIELDRULE_LINE_MAX + 2);
	ck_assert_ptr_nonnull(line);
	memcpy(line, "X-A: ", 5);
	memset(line + 5, 'v', FIELDRULE_LINE_MAX - 5);
	line[FIELDRULE_LINE_MAX] = '\0';
	ck_assert_int_eq(fieldrule_check(line, why, sizeof(why)), 0);
	line[FIELDRULE_LINE_MAX] = 'v';
	line[FIELDRULE_LINE_MAX + 1] = '\0';
	ck_assert_int_eq(fieldrule_check(line, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "longer than"));
	free(line);

	/* A megabyte of name, then of value: refused, no crash. */
	n = 1 << 20;
	line = malloc(n + 1);
	ck_assert_ptr_nonnull(line);
	memset(line, 'X', n);
	line[n] = '\0';
	ck_assert_int_eq(fieldrule_check(line, why, sizeof(why)), -1);
	memcpy(line, "X-A: ", 5);
	ck_assert_int_eq(fieldrule_check(line, NULL, 0), -1);
	free(line);

	ck_assert_int_eq(fieldrule_check(NULL, why, sizeof(why)), -1);
	ck_assert_int_eq(fieldrule_check("X-A: a\r\n", why, 1), -1);
	ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(test_format_one)
{
	const char	*lines[1] = { ok_lines[_i].line };
	char		*s;
	size_t		 len = 99;

	s = fieldrule_format(lines, 1, &len);
	ck_assert_msg(strcmp(s, ok_lines[_i].formatted) == 0,
	    "%s: \"%s\", want \"%s\"", ok_lines[_i].desc, s,
	    ok_lines[_i].formatted);
	ck_assert_uint_eq(len, strlen(s));
	free(s);
}
END_TEST

START_TEST(test_format_many)
{
	static const char *const lines[] = {
		"A: 1", "b:2", "C:\t3 ", "X-Name: caf\xc3\xa9",
	};
	char	*s;
	size_t	 len = 99;

	s = fieldrule_format(lines, UTIL_ARRAY_LEN(lines), &len);
	ck_assert_str_eq(s, "A: 1\r\nb: 2\r\nC: 3\r\nX-Name: caf\xc3\xa9\r\n");
	ck_assert_uint_eq(len, strlen(s));
	free(s);

	s = fieldrule_format(lines, 0, &len);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);

	s = fieldrule_format(NULL, 0, &len);
	ck_assert_str_eq(s, "");
	free(s);

	s = fieldrule_format(lines, 1, NULL);
	ck_assert_str_eq(s, "A: 1\r\n");
	free(s);
}
END_TEST

/* Merges: outer and inner sets, and what comes out. */
#define MERGE_MAX	8
static const struct {
	const char	*desc;
	const char	*outer[MERGE_MAX];
	const char	*inner[MERGE_MAX];
	const char	*want[MERGE_MAX];
} merge_cases[] = {
	{ "both empty", { NULL }, { NULL }, { NULL } },
	{ "outer only", { "A: 1", "B: 2" }, { NULL }, { "A: 1", "B: 2" } },
	{ "inner only", { NULL }, { "A: 1", "B: 2" }, { "A: 1", "B: 2" } },
	{ "inner adds", { "A: 1" }, { "B: 2" }, { "A: 1", "B: 2" } },
	{ "inner replaces, case-insensitively",
	    { "A: 1", "B: 2", "C: 3" }, { "b: 9", "D: 4" },
	    { "A: 1", "C: 3", "b: 9", "D: 4" } },
	{ "every outer line of that name goes",
	    { "X: 1", "Y: 2", "x: 3" }, { "X: 0" }, { "Y: 2", "X: 0" } },
	{ "inner lines all kept, in order, duplicates too",
	    { "A: 1" }, { "Z: 1", "A: 2", "Z: 2" },
	    { "Z: 1", "A: 2", "Z: 2" } },
	{ "a name is the whole token, not a prefix",
	    { "X-A: 1", "X-AB: 2" }, { "X-A: 3" },
	    { "X-AB: 2", "X-A: 3" } },
	{ "no space before the colon counts the same",
	    { "Cache-Control: no-cache" }, { "cache-control:max-age=60" },
	    { "cache-control:max-age=60" } },
	{ "outer order kept", { "C: 1", "B: 1", "A: 1" }, { "D: 1" },
	    { "C: 1", "B: 1", "A: 1", "D: 1" } },
};

static size_t
count(const char *const *v)
{
	size_t	n = 0;

	while (n < MERGE_MAX && v[n] != NULL)
		n++;
	return n;
}

START_TEST(test_merge)
{
	const char	*out[MERGE_MAX + 1];
	size_t		 no = count(merge_cases[_i].outer);
	size_t		 ni = count(merge_cases[_i].inner);
	size_t		 nw = count(merge_cases[_i].want);
	size_t		 n, k;

	out[nw] = "sentinel";
	n = fieldrule_merge(merge_cases[_i].outer, no, merge_cases[_i].inner,
	    ni, out, nw);
	ck_assert_msg(n == nw, "%s: %zu lines, want %zu", merge_cases[_i].desc,
	    n, nw);
	for (k = 0; k < nw; k++)
		ck_assert_msg(out[k] == merge_cases[_i].want[k] ||
		    strcmp(out[k], merge_cases[_i].want[k]) == 0,
		    "%s: line %zu is \"%s\", want \"%s\"",
		    merge_cases[_i].desc, k, out[k],
		    merge_cases[_i].want[k]);
	ck_assert_str_eq(out[nw], "sentinel");
}
END_TEST

/* The count says how many there are even when out is too small. */
START_TEST(test_merge_overflow)
{
	static const char *const outer[] = { "A: 1", "B: 2", "C: 3" };
	static const char *const inner[] = { "b: 9", "D: 4" };
	const char	*out[4] = { "x", "x", "x", "x" };

	ck_assert_uint_eq(fieldrule_merge(outer, 3, inner, 2, NULL, 0), 4);
	ck_assert_uint_eq(fieldrule_merge(outer, 3, inner, 2, out, 2), 4);
	ck_assert_str_eq(out[0], "A: 1");
	ck_assert_str_eq(out[1], "C: 3");
	ck_assert_str_eq(out[2], "x");
	ck_assert_uint_eq(fieldrule_merge(outer, 3, inner, 2, out, 3), 4);
	ck_assert_str_eq(out[2], "b: 9");
	ck_assert_str_eq(out[3], "x");
	ck_assert_uint_eq(fieldrule_merge(outer, 3, inner, 2, out, 4), 4);
	ck_assert_str_eq(out[3], "D: 4");
}
END_TEST

/* Merged then formatted: what a response carries for a location. */
START_TEST(test_merge_then_format)
{
	static const char *const site[] = {
		"Strict-Transport-Security: max-age=63072000",
		"Cache-Control: no-cache",
	};
	static const char *const loc[] = {
		"cache-control: public, max-age=31536000, immutable",
	};
	const char	*out[4];
	char		*s;
	size_t		 n, len;

	n = fieldrule_merge(site, 2, loc, 1, out, 4);
	ck_assert_uint_eq(n, 2);
	s = fieldrule_format(out, n, &len);
	ck_assert_str_eq(s, "Strict-Transport-Security: max-age=63072000\r\n"
	    "cache-control: public, max-age=31536000, immutable\r\n");
	free(s);
}
END_TEST

/* Redirect templates an operator may write. */
static const char *const redirect_ok[] = {
	"https://$host$request_uri",
	"http://example.com/",
	"https://example.com",
	"HTTPS://example.com/",
	"https://[::1]:8443/",
	"https://$host:8443$request_uri",
	"$scheme://$host$uri",
	"${scheme}://${host}${request_uri}",
	"https://${host}x/",
	"https://example.com$request_uri",
	"https://$host/a?b=c#frag",
	"/",
	"/new/",
	"/new$uri",
	"/new${uri}",
	"/new/?from=$uri",
	"/a$$b",
	"/price$$",
	"/$$",
	"/$$uri",
	"/$host",
	"/%20",
	"/?x",
	"/#top",
};

START_TEST(test_redirect_check_ok)
{
	char	why[256] = "";

	ck_assert_msg(fieldrule_redirect_check(redirect_ok[_i], why,
	    sizeof(why)) == 0, "\"%s\" refused: %s", redirect_ok[_i], why);
}
END_TEST

static const struct {
	const char	*desc;
	const char	*tmpl;
	const char	*why;
} redirect_bad[] = {
	{ "empty", "", "empty" },
	{ "relative path", "new/", "neither" },
	{ "host without a scheme", "example.com/x", "neither" },
	{ "another scheme", "ftp://example.com/", "neither" },
	{ "javascript", "javascript:alert(1)", "neither" },
	{ "scheme without slashes", "http:/x", "neither" },
	{ "starts with $host", "$host/x", "neither" },
	{ "starts with $request_uri", "$request_uri", "neither" },
	{ "starts with $uri", "$uri", "neither" },
	{ "$scheme without ://", "$scheme:/x", "neither" },
	{ "$schemex", "$schemex://h/", "neither" },
	{ "network-path reference", "//evil.example/", "//" },
	{ "/$uri becomes //", "/$uri", "//" },
	{ "/${uri} becomes //", "/${uri}", "//" },
	{ "/$request_uri becomes //", "/$request_uri", "//" },
	{ "/${request_uri} becomes //", "/${request_uri}x", "//" },
	{ "backslash after the slash", "/\\evil.example/", "backslash" },
	{ "backslash inside", "https://h/a\\b", "backslash" },
	{ "no host", "https://", "no host" },
	{ "empty host then a path", "https:///x", "no host" },
	{ "empty host then a query", "http://?x", "no host" },
	{ "empty host then a fragment", "http://#x", "no host" },
	{ "host from $uri is empty", "https://$uri", "no host" },
	{ "host from $request_uri is empty", "$scheme://$request_uri",
	    "no host" },
	{ "host from ${uri} is empty", "${scheme}://${uri}", "no host" },
	{ "dollar at the end", "/a$", "without a variable name" },
	{ "dollar before a slash", "/a$/b", "without a variable name" },
	{ "dollar before a dash", "/a$-b", "without a variable name" },
	{ "empty braces", "/a${}", "without a variable name" },
	{ "$hostx is not $host then x", "/$hostx",
	    "unknown variable $hostx" },
	{ "$hostx in a URL", "https://$hostx/", "unknown variable $hostx" },
	{ "upper case name", "/$HOST", "unknown variable $HOST" },
	{ "$uri_x", "/a$uri_x", "unknown variable $uri_x" },
	{ "$uri2", "/a$uri2", "unknown variable $uri2" },
	{ "unknown name", "/$foo", "unknown variable $foo" },
	{ "nginx's $args", "/x?$args", "unknown variable $args" },
	{ "unknown name in braces", "/${foo}", "unknown variable ${foo}" },
	{ "unterminated brace", "/${host", "without its" },
	{ "brace with a slash", "/${ho/st}", "unknown variable ${ho/st}" },
	{ "unknown after a good one", "https://$host/$bad",
	    "unknown variable $bad" },
	{ "space", "/a b", "space" },
	{ "space in braces", "/${ host }", "space" },
	{ "tab", "/a\tb", "space" },
	{ "CR LF injection", "/a\r\nSet-Cookie: x=y", "CR or LF" },
	{ "trailing CR LF", "https://$host$request_uri\r\n", "CR or LF" },
	{ "bare LF", "/a\nb", "CR or LF" },
	{ "control byte", "/a\x01", "control" },
	{ "ESC", "/\x1b[0m", "control" },
	{ "DEL", "/\x7f", "control" },
	{ "UTF-8", "/caf\xc3\xa9", "outside ASCII" },
	{ "obs-text", "/\x80", "outside ASCII" },
};

START_TEST(test_redirect_check_bad)
{
	char	why[256] = "";

	ck_assert_msg(fieldrule_redirect_check(redirect_bad[_i].tmpl, why,
	    sizeof(why)) == -1, "%s: accepted", redirect_bad[_i].desc);
	ck_assert_msg(strstr(why, redirect_bad[_i].why) != NULL,
	    "%s: why \"%s\" lacks \"%s\"", redirect_bad[_i].desc, why,
	    redirect_bad[_i].why);
	ck_assert_msg(http_text_ok(why, strlen(why)),
	    "%s: control bytes in the why", redirect_bad[_i].desc);
}
END_TEST

START_TEST(test_redirect_check_sizes)
{
	char	*t, why[256];
	size_t	 n;

	t = malloc(FIELDRULE_REDIRECT_MAX + 1);
	ck_assert_ptr_nonnull(t);
	memset(t, 'a', FIELDRULE_REDIRECT_MAX);
	t[0] = '/';
	t[FIELDRULE_REDIRECT_MAX - 1] = '\0';
	ck_assert_int_eq(fieldrule_redirect_check(t, why, sizeof(why)), 0);
	t[FIELDRULE_REDIRECT_MAX - 1] = 'a';
	t[FIELDRULE_REDIRECT_MAX] = '\0';
	ck_assert_int_eq(fieldrule_redirect_check(t, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "longer than"));
	free(t);

	/* A megabyte of dollars: refused at once, no crash. */
	n = 1 << 20;
	t = malloc(n + 1);
	ck_assert_ptr_nonnull(t);
	memset(t, '$', n);
	t[0] = '/';
	t[n] = '\0';
	ck_assert_int_eq(fieldrule_redirect_check(t, NULL, 0), -1);
	free(t);

	ck_assert_int_eq(fieldrule_redirect_check(NULL, why, sizeof(why)),
	    -1);
	/* The why is cut to its buffer, NUL included. */
	ck_assert_int_eq(fieldrule_redirect_check("/$hostx", why, 8), -1);
	ck_assert_uint_eq(strlen(why), 7);
}
END_TEST

/* Expansions: the template, the variables (NULL: the defaults), out. */
#define V_SCHEME	"https"
#define V_HOST		"example.com"
#define V_REQUEST_URI	"/a%20b?x=1"
#define V_URI		"/a b"
static const struct {
	const char	*desc;
	const char	*tmpl;
	const char	*host;
	const char	*request_uri;
	const char	*uri;
	size_t		 outsz;		/* 0: FIELDRULE_REDIRECT_MAX */
	const char	*want;		/* NULL: expect 0 */
} expand_cases[] = {
	{ "the usual https redirect", "https://$host$request_uri", NULL,
	    NULL, NULL, 0, "https://example.com/a%20b?x=1" },
	{ "scheme, host and path", "$scheme://$host$uri", NULL, NULL, NULL,
	    0, "https://example.com/a%20b" },
	{ "braced names", "${scheme}://${host}x${uri}", NULL, NULL, NULL, 0,
	    "https://example.comx/a%20b" },
	{ "a plain path", "/new/", NULL, NULL, NULL, 0, "/new/" },
	{ "dollar", "/p$$", NULL, NULL, NULL, 0, "/p$" },
	{ "dollar then a name is literal", "/$$host", NULL, NULL, NULL, 0,
	    "/$host" },
	{ "two dollars in a row", "/$$$$", NULL, NULL, NULL, 0, "/$$" },
	{ "$uri: '?' and '#' encoded", "/new$uri", NULL, NULL,
	    "/x?y#z", 0, "/new/x%3Fy%23z" },
	{ "$uri: spaces and percent encoded", "/new$uri", NULL, NULL,
	    "/a b/100%", 0, "/new/a%20b/100%25" },
	{ "$uri: UTF-8 encoded", "/new$uri", NULL, NULL, "/caf\xc3\xa9", 0,
	    "/new/caf%C3%A9" },
	{ "$uri: CR LF encoded, cannot split", "/new$uri", NULL, NULL,
	    "/a\r\nSet-Cookie: x", 0, "/new/a%0D%0ASet-Cookie:%20x" },
	{ "$uri: a '$' in the path is not a variable", "/new$uri", NULL,
	    NULL, "/$host", 0, "/new/$host" },
	{ "$request_uri as received", "https://h$request_uri", NULL,
	    "/a/../b?q=%41#f", NULL, 0, "https://h/a/../b?q=%41#f" },
	{ "$request_uri starting // stays after the host",
	    "https://$host$request_uri", NULL, "//evil.example/", NULL, 0,
	    "https://example.com//evil.example/" },
	{ "host with a port", "http://$host/", "example.com:8080", NULL,
	    NULL, 0, "http://example.com:8080/" },
	{ "hostile host with CR LF", "https://$host/", "h\r\nX: y", NULL,
	    NULL, 0, NULL },
	{ "hostile host with a space", "https://$host/", "h x", NULL, NULL,
	    0, NULL },
	{ "hostile request_uri with LF", "https://h$request_uri", NULL,
	    "/a\nb", NULL, 0, NULL },
	{ "hostile request_uri with high bytes", "https://h$request_uri",
	    NULL, "/caf\xc3\xa9", NULL, 0, NULL },
	{ "unchecked template with CR", "/a\r\n", NULL, NULL, NULL, 0,
	    NULL },
	{ "unchecked template, unknown variable", "/$hostx", NULL, NULL,
	    NULL, 0, NULL },
	{ "unchecked template, lone dollar", "/a$", NULL, NULL, NULL, 0,
	    NULL },
	{ "unchecked template, open brace", "/${uri", NULL, NULL, NULL, 0,
	    NULL },
	{ "fits exactly", "/new/", NULL, NULL, NULL, 6, "/new/" },
	{ "one byte short", "/new/", NULL, NULL, NULL, 5, NULL },
	{ "one byte", "/", NULL, NULL, NULL, 2, "/" },
	{ "no room for the NUL", "/", NULL, NULL, NULL, 1, NULL },
	{ "host fits exactly", "https://$host", NULL, NULL, NULL, 20,
	    "https://example.com" },
	{ "host one short", "https://$host", NULL, NULL, NULL, 19, NULL },
	{ "$uri fits exactly", "$uri", NULL, NULL, "/a b", 7, "/a%20b" },
	{ "$uri's escape does not fit", "$uri", NULL, NULL, "/a b", 6,
	    NULL },
	{ "$uri raw length fits but not encoded", "/x$uri", NULL, NULL,
	    "/    ", 8, NULL },
	{ "dollar fits exactly", "/$$", NULL, NULL, NULL, 3, "/$" },
	{ "dollar one short", "/$$", NULL, NULL, NULL, 2, NULL },
};

START_TEST(test_redirect_expand)
{
	struct fieldrule_vars	 v;
	char			 out[FIELDRULE_REDIRECT_MAX + 1];
	size_t			 outsz, n;

	v.scheme = V_SCHEME;
	v.host = expand_cases[_i].host != NULL ? expand_cases[_i].host :
	    V_HOST;
	v.hostlen = strlen(v.host);
	v.request_uri = expand_cases[_i].request_uri != NULL ?
	    expand_cases[_i].request_uri : V_REQUEST_URI;
	v.request_urilen = strlen(v.request_uri);
	v.uri = expand_cases[_i].uri != NULL ? expand_cases[_i].uri : V_URI;
	v.urilen = strlen(v.uri);
	outsz = expand_cases[_i].outsz != 0 ? expand_cases[_i].outsz :
	    FIELDRULE_REDIRECT_MAX;
	memset(out, 'X', sizeof(out));
	n = fieldrule_redirect_expand(expand_cases[_i].tmpl, &v, out, outsz);
	ck_assert_msg(out[outsz] == 'X', "%s: wrote past outsz",
	    expand_cases[_i].desc);
	if (expand_cases[_i].want == NULL) {
		ck_assert_msg(n == 0, "%s: gave \"%.*s\", want 0",
		    expand_cases[_i].desc, (int)outsz, out);
		ck_assert_msg(out[0] == '\0', "%s: out not emptied",
		    expand_cases[_i].desc);
		return;
	}
	ck_assert_msg(n != 0 && strcmp(out, expand_cases[_i].want) == 0,
	    "%s: gave %zu \"%.*s\", want \"%s\"", expand_cases[_i].desc, n,
	    (int)outsz, out, expand_cases[_i].want);
	ck_assert_uint_eq(n, strlen(out));
}
END_TEST

/* Every template the check accepts expands to a safe Location value. */
START_TEST(test_redirect_expand_checked)
{
	struct fieldrule_vars	v = {
		V_SCHEME, V_HOST, sizeof(V_HOST) - 1,
		V_REQUEST_URI, sizeof(V_REQUEST_URI) - 1,
		"/x y?\r\n#", 8,
	};
	char			out[FIELDRULE_REDIRECT_MAX];
	size_t			n;

	n = fieldrule_redirect_expand(redirect_ok[_i], &v, out, sizeof(out));
	ck_assert_msg(n > 0, "\"%s\" did not expand", redirect_ok[_i]);
	ck_assert_msg(strpbrk(out, " \t\r\n\\") == NULL,
	    "\"%s\" gave \"%s\"", redirect_ok[_i], out);
	ck_assert_msg(strncmp(out, "//", 2) != 0, "\"%s\" gave \"%s\"",
	    redirect_ok[_i], out);
}
END_TEST

/* Large values against the documented buffer size. */
START_TEST(test_redirect_expand_huge)
{
	struct fieldrule_vars	 v;
	char			 out[FIELDRULE_REDIRECT_MAX];
	char			*big;
	size_t			 n = 3000;

	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	big[0] = '/';
	big[n] = '\0';
	memset(&v, 0, sizeof(v));
	v.scheme = "http";
	v.host = big + 1;
	v.hostlen = n - 1;
	v.request_uri = big;
	v.request_urilen = n;
	v.uri = big;
	v.urilen = n;
	ck_assert_uint_eq(fieldrule_redirect_expand("/x$uri", &v, out,
	    sizeof(out)), 0);
	ck_assert_uint_eq(fieldrule_redirect_expand("https://h$request_uri",
	    &v, out, sizeof(out)), 0);
	ck_assert_uint_eq(fieldrule_redirect_expand("https://$host/", &v, out,
	    sizeof(out)), 0);
	/* Spaces triple when encoded: 700 of them no longer fit. */
	memset(big + 1, ' ', 700);
	v.urilen = 701;
	ck_assert_uint_eq(fieldrule_redirect_expand("$uri", &v, out,
	    sizeof(out)), 0);
	v.urilen = 600;
	ck_assert_uint_eq(fieldrule_redirect_expand("$uri", &v, out,
	    sizeof(out)), 1 + 599 * 3);
	/* Only hostlen bytes of the host are used. */
	v.host = "example.com:80junk";
	v.hostlen = 14;
	ck_assert_uint_gt(fieldrule_redirect_expand("http://$host/", &v, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "http://example.com:80/");
	/* Missing variables expand to nothing. */
	memset(&v, 0, sizeof(v));
	ck_assert_uint_gt(fieldrule_redirect_expand("/a$uri$request_uri", &v,
	    out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/a");
	ck_assert_uint_eq(fieldrule_redirect_expand("/", &v, out, 0), 0);
	free(big);
}
END_TEST

static Suite *
fieldrule_suite(void)
{
	Suite	*s = suite_create("fieldrule");
	TCase	*tc;

	tc = tcase_create("check");
	tcase_add_loop_test(tc, test_check_ok, 0,
	    (int)UTIL_ARRAY_LEN(ok_lines));
	tcase_add_loop_test(tc, test_check_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_lines));
	tcase_add_loop_test(tc, test_check_refused_names, 0,
	    (int)UTIL_ARRAY_LEN(refused));
	tcase_add_test(tc, test_check_sizes);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format_one, 0,
	    (int)UTIL_ARRAY_LEN(ok_lines));
	tcase_add_test(tc, test_format_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_loop_test(tc, test_merge, 0,
	    (int)UTIL_ARRAY_LEN(merge_cases));
	tcase_add_test(tc, test_merge_overflow);
	tcase_add_test(tc, test_merge_then_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("redirect");
	tcase_add_loop_test(tc, test_redirect_check_ok, 0,
	    (int)UTIL_ARRAY_LEN(redirect_ok));
	tcase_add_loop_test(tc, test_redirect_check_bad, 0,
	    (int)UTIL_ARRAY_LEN(redirect_bad));
	tcase_add_test(tc, test_redirect_check_sizes);
	tcase_add_loop_test(tc, test_redirect_expand, 0,
	    (int)UTIL_ARRAY_LEN(expand_cases));
	tcase_add_loop_test(tc, test_redirect_expand_checked, 0,
	    (int)UTIL_ARRAY_LEN(redirect_ok));
	tcase_add_test(tc, test_redirect_expand_huge);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(fieldrule_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
