/*
 * check_url: minihttp-get's command-line targets -> host, port, path.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "core/url.h"

struct url_case {
	const char	*target;
	const char	*host;
	int		 ipv6;
	unsigned	 port;
	const char	*path;
};

static const struct url_case good[] = {
	/* Bare paths: the local server. */
	{ "index.html", "localhost", 0, 6789, "/index.html" },
	{ "/index.html", "localhost", 0, 6789, "/index.html" },
	{ "/a/b", "localhost", 0, 6789, "/a/b" },
	{ "a/b/", "localhost", 0, 6789, "/a/b/" },
	{ "", "localhost", 0, 6789, "/" },
	{ "/", "localhost", 0, 6789, "/" },
	{ "search?q=1&r=2", "localhost", 0, 6789, "/search?q=1&r=2" },
	{ "notes#1.txt", "localhost", 0, 6789, "/notes%231.txt" },
	{ "foo:bar.html", "localhost", 0, 6789, "/foo:bar.html" },
	{ "localhost:6789/x", "localhost", 0, 6789, "/localhost:6789/x" },
	/* Full URLs. */
	{ "http://example.com/", "example.com", 0, 80, "/" },
	{ "http://example.com", "example.com", 0, 80, "/" },
	{ "HTTP://Example.COM/A", "Example.COM", 0, 80, "/A" },
	{ "http://h:8080/x", "h", 0, 8080, "/x" },
	{ "http://h:/x", "h", 0, 80, "/x" },
	{ "http://h:65535/x", "h", 0, 65535, "/x" },
	{ "http://h:00081/x", "h", 0, 81, "/x" },
	{ "http://h/p?q=1", "h", 0, 80, "/p?q=1" },
	{ "http://h?q=1", "h", 0, 80, "/?q=1" },
	{ "http://h/p#frag", "h", 0, 80, "/p" },
	{ "http://h#frag", "h", 0, 80, "/" },
	{ "http://h/p?q#f", "h", 0, 80, "/p?q" },
	{ "http://127.0.0.1:6789/i.html", "127.0.0.1", 0, 6789, "/i.html" },
	{ "http://my_host-1.example~/", "my_host-1.example~", 0, 80, "/" },
	/* IPv6 literals. */
	{ "http://[::1]:8080/x", "::1", 1, 8080, "/x" },
	{ "http://[::1]/x", "::1", 1, 80, "/x" },
	{ "http://[::1]", "::1", 1, 80, "/" },
	{ "http://[2001:db8::1]:81", "2001:db8::1", 1, 81, "/" },
	{ "http://[::ffff:127.0.0.1]:9/", "::ffff:127.0.0.1", 1, 9, "/" },
	/* Percent-encoding of the path. */
	{ "a b.html", "localhost", 0, 6789, "/a%20b.html" },
	{ "caf\xc3\xa9", "localhost", 0, 6789, "/caf%C3%A9" },
	{ "x%41y", "localhost", 0, 6789, "/x%41y" },
	{ "x%4", "localhost", 0, 6789, "/x%254" },
	{ "x%", "localhost", 0, 6789, "/x%25" },
	{ "x%zz", "localhost", 0, 6789, "/x%25zz" },
	{ "100%", "localhost", 0, 6789, "/100%25" },
	{ "a\tb\x7f", "localhost", 0, 6789, "/a%09b%7F" },
	{ "<\">\\^`{|}[]", "localhost", 0, 6789,
	    "/%3C%22%3E%5C%5E%60%7B%7C%7D%5B%5D" },
	{ "-._~!$&'()*+,;=:@", "localhost", 0, 6789, "/-._~!$&'()*+,;=:@" },
	{ "http://h/a b?c d", "h", 0, 80, "/a%20b?c%20d" },
	{ "http://h/%2e%2E/x", "h", 0, 80, "/%2e%2E/x" },
};

struct url_bad_case {
	const char	*target;
	const char	*reason;
};

static const struct url_bad_case bad[] = {
	{ "ftp://example.com/", "unsupported scheme" },
	{ "httpx://h/", "unsupported scheme" },
	{ "httpss://h/", "unsupported scheme" },
	{ "htt://h/", "unsupported scheme" },
	{ "http:/x", "missing \"//\" after scheme" },
	{ "http:x", "missing \"//\" after scheme" },
	{ "HTTPS:x", "missing \"//\" after scheme" },
	{ "https:/x", "missing \"//\" after scheme" },
	{ "https://", "empty host" },
	{ "https://h:0/", "invalid port" },
	{ "https://u@h/", "user information not supported" },
	{ "http://user@h/", "user information not supported" },
	{ "http://user:pw@h/", "user information not supported" },
	{ "http:///x", "empty host" },
	{ "http://", "empty host" },
	{ "http://:80/", "empty host" },
	{ "http://[]/", "empty host" },
	{ "http://h:0/", "invalid port" },
	{ "http://h:65536/", "invalid port" },
	{ "http://h:99999999999999999999999/", "invalid port" },
	{ "http://h:8a/", "invalid port" },
	{ "http://h:-1/", "invalid port" },
	{ "http://h: 80/", "invalid port" },
	{ "http://h:80:80/", "invalid port" },
	{ "http://h%41/", "invalid host" },
	{ "http://h h/", "invalid host" },
	{ "http://[::1/", "unterminated IPv6 address" },
	{ "http://[::1]x/", "invalid host" },
	{ "http://[::1]:0/", "invalid port" },
	{ "http://[fe80::1%25eth0]/", "IPv6 zone not supported" },
	{ "http://[xyz]/", "invalid IPv6 address" },
	{ "http://[1.2.3.4]/", "invalid IPv6 address" },
};

START_TEST(test_parse_valid_targets)
{
	const struct url_case	*c = &good[_i];
	struct url		 u;
	const char		*reason = "unset";

	ck_assert_msg(url_parse(c->target, &u, &reason) == URL_OK,
	    "%s: %s", c->target, reason);
	ck_assert_ptr_null(reason);
	ck_assert_str_eq(u.host, c->host);
	ck_assert_int_eq(u.ipv6, c->ipv6);
	ck_assert_uint_eq(u.port, c->port);
	ck_assert_str_eq(u.path, c->path);
}
END_TEST

START_TEST(test_reject_bad_targets)
{
	const struct url_bad_case	*c = &bad[_i];
	struct url			 u;
	const char			*reason = NULL;

	ck_assert_msg(url_parse(c->target, &u, &reason) == URL_BAD,
	    "%s accepted", c->target);
	ck_assert_ptr_nonnull(reason);
	ck_assert_str_eq(reason, c->reason);
}
END_TEST

START_TEST(test_reason_may_be_null)
{
	struct url	u;

	ck_assert_int_eq(url_parse("ftp://x/", &u, NULL), URL_BAD);
	ck_assert_int_eq(url_parse("x", &u, NULL), URL_OK);
}
END_TEST

START_TEST(test_long_path_too_long)
{
	static char	 target[URL_PATH_MAX + 10];
	struct url	 u;
	const char	*reason;

	memset(target, 'a', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	ck_assert_int_eq(url_parse(target, &u, &reason), URL_TOO_LONG);
	ck_assert_str_eq(reason, "path too long");

	/* Just fits: "/" + URL_PATH_MAX - 2 bytes + NUL. */
	target[URL_PATH_MAX - 2] = '\0';
	ck_assert_int_eq(url_parse(target, &u, &reason), URL_OK);
	ck_assert_uint_eq(strlen(u.path), URL_PATH_MAX - 1);

	/* Encoding triples the size: a space near the end no longer fits. */
	target[URL_PATH_MAX - 3] = ' ';
	ck_assert_int_eq(url_parse(target, &u, &reason), URL_TOO_LONG);
}
END_TEST

START_TEST(test_long_host_too_long)
{
	static char	 target[URL_HOST_MAX + 32];
	struct url	 u;
	const char	*reason;
	size_t		 n;

	n = strlen("http://");
	memcpy(target, "http://", n);
	memset(target + n, 'h', URL_HOST_MAX);
	target[n + URL_HOST_MAX] = '\0';
	ck_assert_int_eq(url_parse(target, &u, &reason), URL_TOO_LONG);
	ck_assert_str_eq(reason, "host name too long");
	target[n + URL_HOST_MAX - 1] = '\0';
	ck_assert_int_eq(url_parse(target, &u, &reason), URL_OK);
}
END_TEST

struct host_case {
	const char	*target;
	const char	*host_header;
	const char	*authority;
};

static const struct host_case hosts[] = {
	{ "index.html", "localhost:6789", "localhost:6789" },
	{ "http://example.com/", "example.com", "example.com:80" },
	{ "http://example.com:80/", "example.com", "example.com:80" },
	{ "http://example.com:8080/", "example.com:8080",
	    "example.com:8080" },
	{ "http://[::1]/", "[::1]", "[::1]:80" },
	{ "http://[::1]:6789/", "[::1]:6789", "[::1]:6789" },
};

START_TEST(test_host_header_and_authority)
{
	const struct host_case	*c = &hosts[_i];
	struct url		 u;
	char			 buf[URL_AUTHORITY_MAX];

	ck_assert_int_eq(url_parse(c->target, &u, NULL), URL_OK);
	ck_assert_uint_eq(url_host_header(&u, buf, sizeof(buf)),
	    strlen(c->host_header));
	ck_assert_str_eq(buf, c->host_header);
	ck_assert_uint_eq(url_authority(&u, buf, sizeof(buf)),
	    strlen(c->authority));
	ck_assert_str_eq(buf, c->authority);
}
END_TEST

/* The scheme, its default port, and what tells servers apart. */
struct scheme_case {
	const char	*target;
	int		 scheme;
	unsigned	 port;
	const char	*host_header;
	const char	*origin;
};

static const struct scheme_case schemes[] = {
	{ "index.html", URL_SCHEME_HTTP, 6789, "localhost:6789",
	    "http://localhost:6789" },
	{ "http://h/", URL_SCHEME_HTTP, 80, "h", "http://h:80" },
	{ "http://h:443/", URL_SCHEME_HTTP, 443, "h:443", "http://h:443" },
	{ "https://example.com/", URL_SCHEME_HTTPS, 443, "example.com",
	    "https://example.com:443" },
	{ "https://example.com", URL_SCHEME_HTTPS, 443, "example.com",
	    "https://example.com:443" },
	{ "https://h:/x", URL_SCHEME_HTTPS, 443, "h", "https://h:443" },
	{ "https://h:443/x", URL_SCHEME_HTTPS, 443, "h", "https://h:443" },
	{ "https://h:8443/x", URL_SCHEME_HTTPS, 8443, "h:8443",
	    "https://h:8443" },
	{ "https://h:80/", URL_SCHEME_HTTPS, 80, "h:80", "https://h:80" },
	{ "HTTPS://Example.COM/A", URL_SCHEME_HTTPS, 443, "Example.COM",
	    "https://Example.COM:443" },
	{ "HtTpS://h/", URL_SCHEME_HTTPS, 443, "h", "https://h:443" },
	{ "https://[::1]/", URL_SCHEME_HTTPS, 443, "[::1]",
	    "https://[::1]:443" },
	{ "https://[::1]:6790/", URL_SCHEME_HTTPS, 6790, "[::1]:6790",
	    "https://[::1]:6790" },
	{ "https://127.0.0.1:6790/i", URL_SCHEME_HTTPS, 6790,
	    "127.0.0.1:6790", "https://127.0.0.1:6790" },
};

START_TEST(test_scheme_and_default_port)
{
	const struct scheme_case	*c = &schemes[_i];
	struct url			 u;
	char				 buf[URL_ORIGIN_MAX];

	ck_assert_int_eq(url_parse(c->target, &u, NULL), URL_OK);
	ck_assert_int_eq(u.scheme, c->scheme);
	ck_assert_str_eq(url_scheme_name(&u),
	    c->scheme == URL_SCHEME_HTTPS ? "https" : "http");
	ck_assert_uint_eq(u.port, c->port);
	ck_assert_uint_eq(url_host_header(&u, buf, sizeof(buf)),
	    strlen(c->host_header));
	ck_assert_str_eq(buf, c->host_header);
	ck_assert_uint_eq(url_origin(&u, buf, sizeof(buf)), strlen(c->origin));
	ck_assert_str_eq(buf, c->origin);
}
END_TEST

/*
 * http and https on the same host and port are two servers: the same
 * authority, different origins (the key of a kept connection).
 */
START_TEST(test_origin_tells_schemes_apart)
{
	struct url	a, b;
	char		oa[URL_ORIGIN_MAX], ob[URL_ORIGIN_MAX];
	char		aa[URL_AUTHORITY_MAX], ab[URL_AUTHORITY_MAX];

	ck_assert_int_eq(url_parse("http://h:8443/", &a, NULL), URL_OK);
	ck_assert_int_eq(url_parse("https://h:8443/", &b, NULL), URL_OK);
	url_authority(&a, aa, sizeof(aa));
	url_authority(&b, ab, sizeof(ab));
	ck_assert_str_eq(aa, ab);
	url_origin(&a, oa, sizeof(oa));
	url_origin(&b, ob, sizeof(ob));
	ck_assert_str_ne(oa, ob);
	ck_assert_uint_eq(url_origin(&b, ob, 8), 0);
}
END_TEST

START_TEST(test_host_header_too_small)
{
	struct url	u;
	char		buf[8];

	ck_assert_int_eq(url_parse("http://[::1]:8080/", &u, NULL), URL_OK);
	ck_assert_uint_eq(url_host_header(&u, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(url_authority(&u, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(url_host_header(&u, buf, 0), 0);
}
END_TEST

/* Location resolution against a base URL (RFC 3986 section 5.4). */
struct resolve_case {
	const char	*base;
	const char	*ref;
	const char	*host;		/* NULL: URL_BAD expected */
	unsigned	 port;
	const char	*path;		/* or the reason when URL_BAD */
};

#define RB	"http://a:8080/b/c/d;p?q"

static const struct resolve_case resolves[] = {
	/* RFC 3986 section 5.4.1, normal examples (http only). */
	{ RB, "g", "a", 8080, "/b/c/g" },
	{ RB, "./g", "a", 8080, "/b/c/g" },
	{ RB, "g/", "a", 8080, "/b/c/g/" },
	{ RB, "/g", "a", 8080, "/g" },
	{ RB, "//g", "g", 80, "/" },
	{ RB, "?y", "a", 8080, "/b/c/d;p?y" },
	{ RB, "g?y", "a", 8080, "/b/c/g?y" },
	{ RB, "#s", "a", 8080, "/b/c/d;p?q" },
	{ RB, "g#s", "a", 8080, "/b/c/g" },
	{ RB, "g?y#s", "a", 8080, "/b/c/g?y" },
	{ RB, ";x", "a", 8080, "/b/c/;x" },
	{ RB, "g;x", "a", 8080, "/b/c/g;x" },
	{ RB, "", "a", 8080, "/b/c/d;p?q" },
	{ RB, ".", "a", 8080, "/b/c/" },
	{ RB, "./", "a", 8080, "/b/c/" },
	{ RB, "..", "a", 8080, "/b/" },
	{ RB, "../", "a", 8080, "/b/" },
	{ RB, "../g", "a", 8080, "/b/g" },
	{ RB, "../..", "a", 8080, "/" },
	{ RB, "../../", "a", 8080, "/" },
	{ RB, "../../g", "a", 8080, "/g" },
	/* Section 5.4.2, abnormal examples. */
	{ RB, "../../../g", "a", 8080, "/g" },
	{ RB, "../../../../g", "a", 8080, "/g" },
	{ RB, "/./g", "a", 8080, "/g" },
	{ RB, "/../g", "a", 8080, "/g" },
	{ RB, "g.", "a", 8080, "/b/c/g." },
	{ RB, ".g", "a", 8080, "/b/c/.g" },
	{ RB, "g..", "a", 8080, "/b/c/g.." },
	{ RB, "..g", "a", 8080, "/b/c/..g" },
	{ RB, "./../g", "a", 8080, "/b/g" },
	{ RB, "./g/.", "a", 8080, "/b/c/g/" },
	{ RB, "g/./h", "a", 8080, "/b/c/g/h" },
	{ RB, "g/../h", "a", 8080, "/b/c/h" },
	{ RB, "g;x=1/./y", "a", 8080, "/b/c/g;x=1/y" },
	{ RB, "g;x=1/../y", "a", 8080, "/b/c/y" },
	{ RB, "g?y/./x", "a", 8080, "/b/c/g?y/./x" },
	{ RB, "g#s/../x", "a", 8080, "/b/c/g" },
	/* Absolute URLs: any host, http only, dot segments removed. */
	{ RB, "http://g", "g", 80, "/" },
	{ RB, "HTTP://g:81/x/../y?z#f", "g", 81, "/y?z" },
	{ RB, "http://[::1]:6789/a", "::1", 6789, "/a" },
	{ RB, "http:g", NULL, 0, "missing \"//\" after scheme" },
	{ RB, "https://g/", "g", 443, "/" },
	{ RB, "httpx://g/", NULL, 0, "unsupported scheme" },
	{ RB, "ftp://g/", NULL, 0, "unsupported scheme" },
	{ RB, "javascript:alert(1)", NULL, 0, "unsupported scheme" },
	{ RB, "http://u@g/", NULL, 0, "user information not supported" },
	{ RB, "//", NULL, 0, "empty host" },
	/* Bytes a Location should not hold are encoded; escapes kept. */
	{ RB, "a b", "a", 8080, "/b/c/a%20b" },
	{ RB, "%41%zz", "a", 8080, "/b/c/%41%25zz" },
	{ RB, "/\xc3\xa9", "a", 8080, "/%C3%A9" },
	/* A colon after a '/' is no scheme. */
	{ RB, "./x:y", "a", 8080, "/b/c/x:y" },
	{ RB, "x/y:z", "a", 8080, "/b/c/x/y:z" },
	/* Base paths without a directory, IPv6 bases. */
	{ "http://h/", "x", "h", 80, "/x" },
	{ "http://h/?q", "x", "h", 80, "/x" },
	{ "http://h/dir/?q", "?r", "h", 80, "/dir/?r" },
	{ "http://[::1]/a/b", "c", "::1", 80, "/a/c" },
	{ "index.html", "sub/", "localhost", 6789, "/sub/" },
};

START_TEST(test_resolve_cases)
{
	const struct resolve_case	*c = &resolves[_i];
	struct url			 base, u;
	const char			*reason = "unset";
	enum url_result			 r;

	ck_assert_int_eq(url_parse(c->base, &base, NULL), URL_OK);
	r = url_resolve(&base, c->ref, strlen(c->ref), &u, &reason);
	if (c->host == NULL) {
		ck_assert_msg(r == URL_BAD, "%s accepted", c->ref);
		ck_assert_str_eq(reason, c->path);
		return;
	}
	ck_assert_msg(r == URL_OK, "%s: %s", c->ref, reason);
	ck_assert_str_eq(u.host, c->host);
	ck_assert_uint_eq(u.port, c->port);
	ck_assert_str_eq(u.path, c->path);
	ck_assert_int_eq(u.ipv6, strchr(c->host, ':') != NULL);
}
END_TEST

/* Which scheme a resolved Location has. */
struct resolve_scheme_case {
	const char	*base;
	const char	*ref;
	int		 scheme;	/* -1: URL_BAD expected */
	const char	*host;		/* or the reason */
	unsigned	 port;
	const char	*path;
};

static const struct resolve_scheme_case resolve_schemes[] = {
	/* Relative references keep the base's scheme, host and port. */
	{ "https://a:8443/b/c", "d", URL_SCHEME_HTTPS, "a", 8443, "/b/d" },
	{ "https://a/b/c", "../x?y", URL_SCHEME_HTTPS, "a", 443, "/x?y" },
	{ "https://a/b", "/x", URL_SCHEME_HTTPS, "a", 443, "/x" },
	{ "https://a/b", "?q", URL_SCHEME_HTTPS, "a", 443, "/b?q" },
	{ "https://a/b", "", URL_SCHEME_HTTPS, "a", 443, "/b" },
	/* A network-path reference takes the base's scheme too. */
	{ "https://a/b", "//g/x", URL_SCHEME_HTTPS, "g", 443, "/x" },
	{ "https://a/b", "//g:81", URL_SCHEME_HTTPS, "g", 81, "/" },
	{ "http://a/b", "//g/x", URL_SCHEME_HTTP, "g", 80, "/x" },
	/* http -> https and back. */
	{ "http://a/b", "https://a/b", URL_SCHEME_HTTPS, "a", 443, "/b" },
	{ "http://a:8080/", "HTTPS://b:8443/c/../d", URL_SCHEME_HTTPS, "b",
	    8443, "/d" },
	{ "index.html", "https://localhost/", URL_SCHEME_HTTPS, "localhost",
	    443, "/" },
	{ "https://a/", "http://a/", URL_SCHEME_HTTP, "a", 80, "/" },
	{ "https://a/", "ftp://a/", -1, "unsupported scheme", 0, NULL },
	{ "https://a/", "https:x", -1, "missing \"//\" after scheme", 0,
	    NULL },
};

START_TEST(test_resolve_keeps_scheme)
{
	const struct resolve_scheme_case	*c = &resolve_schemes[_i];
	struct url				 base, u;
	const char				*reason = "unset";
	enum url_result				 r;

	ck_assert_int_eq(url_parse(c->base, &base, NULL), URL_OK);
	r = url_resolve(&base, c->ref, strlen(c->ref), &u, &reason);
	if (c->scheme == -1) {
		ck_assert_msg(r == URL_BAD, "%s accepted", c->ref);
		ck_assert_str_eq(reason, c->host);
		return;
	}
	ck_assert_msg(r == URL_OK, "%s: %s", c->ref, reason);
	ck_assert_int_eq(u.scheme, c->scheme);
	ck_assert_str_eq(u.host, c->host);
	ck_assert_uint_eq(u.port, c->port);
	ck_assert_str_eq(u.path, c->path);
}
END_TEST

START_TEST(test_resolve_uses_len_only)
{
	struct url	base, u;

	/* A header value is not NUL-terminated: only len bytes count. */
	ck_assert_int_eq(url_parse("http://h/a/b", &base, NULL), URL_OK);
	ck_assert_int_eq(url_resolve(&base, "c\r\nX: y", 1, &u, NULL), URL_OK);
	ck_assert_str_eq(u.path, "/a/c");
	ck_assert_int_eq(url_resolve(&base, "c\0d", 3, &u, NULL), URL_BAD);
}
END_TEST

START_TEST(test_resolve_too_long)
{
	static char	ref[URL_PATH_MAX + 10];
	struct url	base, u;
	const char	*reason;

	ck_assert_int_eq(url_parse("http://h/a/b", &base, NULL), URL_OK);
	memset(ref, 'x', sizeof(ref) - 1);
	ck_assert_int_eq(url_resolve(&base, ref, strlen(ref), &u, &reason),
	    URL_TOO_LONG);
	/* Fits before encoding, not after. */
	memset(ref, ' ', URL_PATH_MAX / 2);
	ref[URL_PATH_MAX / 2] = '\0';
	ck_assert_int_eq(url_resolve(&base, ref, strlen(ref), &u, &reason),
	    URL_TOO_LONG);
	ref[0] = '?';
	ck_assert_int_eq(url_resolve(&base, ref, strlen(ref), &u, &reason),
	    URL_TOO_LONG);
}
END_TEST

/* -O names. */
struct name_case {
	const char	*path;
	int		 result;
	const char	*name;		/* or the reason */
};

static const struct name_case names[] = {
	{ "/index.html", URL_OK, "index.html" },
	{ "/a/b/c.tar.gz", URL_OK, "c.tar.gz" },
	{ "/a/b/c.txt?x=1/2", URL_OK, "c.txt" },
	{ "/a%20b", URL_OK, "a b" },
	{ "/%C3%A9t%C3%A9", URL_OK, "\xc3\xa9t\xc3\xa9" },
	{ "/%41%zz", URL_OK, "A%zz" },
	{ "/x%2", URL_OK, "x%2" },
	{ "/...", URL_OK, "..." },
	{ "/.hidden", URL_OK, ".hidden" },
	{ "/%2e%2e%2e", URL_OK, "..." },
	{ "/", URL_BAD, "no file name in the URL" },
	{ "/dir/", URL_BAD, "no file name in the URL" },
	{ "/?q=x", URL_BAD, "no file name in the URL" },
	{ "/a/.", URL_BAD, "remote file name is . or .." },
	{ "/a/..", URL_BAD, "remote file name is . or .." },
	{ "/%2e", URL_BAD, "remote file name is . or .." },
	{ "/%2E%2e", URL_BAD, "remote file name is . or .." },
	{ "/a%2fb", URL_BAD, "'/' in the remote file name" },
	{ "/..%2F..%2Fetc%2Fpasswd", URL_BAD, "'/' in the remote file name" },
	{ "/a%00b", URL_BAD, "control character in the remote file name" },
	{ "/a%0Ab", URL_BAD, "control character in the remote file name" },
	{ "/a%7f", URL_BAD, "control character in the remote file name" },
};

START_TEST(test_remote_name_cases)
{
	const struct name_case	*c = &names[_i];
	char			 out[64];
	const char		*reason = "unset";

	ck_assert_int_eq(url_remote_name(c->path, out, sizeof(out), &reason),
	    c->result);
	if (c->result == URL_OK) {
		ck_assert_ptr_null(reason);
		ck_assert_str_eq(out, c->name);
	} else
		ck_assert_str_eq(reason, c->name);
}
END_TEST

START_TEST(test_remote_name_bounds)
{
	char	out[4];

	ck_assert_int_eq(url_remote_name("/abc", out, sizeof(out), NULL),
	    URL_OK);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(url_remote_name("/abcd", out, sizeof(out), NULL),
	    URL_TOO_LONG);
	ck_assert_int_eq(url_remote_name("/%41%42%43", out, sizeof(out), NULL),
	    URL_OK);
	ck_assert_str_eq(out, "ABC");
}
END_TEST

static Suite *
url_suite(void)
{
	Suite	*s = suite_create("url");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_valid_targets, 0,
	    (int)(sizeof(good) / sizeof(good[0])));
	tcase_add_loop_test(tc, test_reject_bad_targets, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_reason_may_be_null);
	tcase_add_test(tc, test_long_path_too_long);
	tcase_add_test(tc, test_long_host_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_host_header_and_authority, 0,
	    (int)(sizeof(hosts) / sizeof(hosts[0])));
	tcase_add_test(tc, test_host_header_too_small);
	tcase_add_loop_test(tc, test_scheme_and_default_port, 0,
	    (int)(sizeof(schemes) / sizeof(schemes[0])));
	tcase_add_test(tc, test_origin_tells_schemes_apart);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolve");
	tcase_add_loop_test(tc, test_resolve_cases, 0,
	    (int)(sizeof(resolves) / sizeof(resolves[0])));
	tcase_add_loop_test(tc, test_resolve_keeps_scheme, 0,
	    (int)(sizeof(resolve_schemes) / sizeof(resolve_schemes[0])));
	tcase_add_test(tc, test_resolve_uses_len_only);
	tcase_add_test(tc, test_resolve_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("remote_name");
	tcase_add_loop_test(tc, test_remote_name_cases, 0,
	    (int)(sizeof(names) / sizeof(names[0])));
	tcase_add_test(tc, test_remote_name_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(url_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
