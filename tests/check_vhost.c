/*
 * check_vhost: unit tests for src/core/vhost.c: the canonical form of a
 * Host or SNI name (case, port, trailing dot, IPv6 literals, refused
 * bytes and lengths), the validation of configured site names, the
 * choice of a site by name (exact first, then the longest "*." suffix,
 * never the bare domain of a wildcard) and of a location by path (exact
 * first, then the longest prefix), conflicts reported with both
 * indexes, and a randomised comparison of both lookups against a
 * linear search on tables of realistic size.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/util.h"
#include "core/vhost.h"

#define SCALE_PREFIXES	1000	/* generated prefix locations */
#define SCALE_EXACTS	200	/* generated exact locations */
#define SCALE_SITES	100
#define SCALE_NAMES	3	/* names per site */
#define SCALE_LOOKUPS	20000
#define SCALE_PATH_MAX	16	/* bytes of a generated path, with NUL */

static Suite	*vhost_suite(void);
static uint64_t	 rnd(uint64_t *);
static void	 rnd_path(uint64_t *, char *, size_t, size_t);
static void	 rnd_name(uint64_t *, char *, size_t, size_t);
static int	 brute_loc(const struct vhost_loc *, size_t, const char *);
static int	 brute_name(const struct vhost_name *, size_t, const char *);

/* Host field values and SNI names; want NULL: refused. */
static const struct {
	const char	*desc;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*want;
} canon_cases[] = {
	{ "plain", "example.com", 0, "example.com" },
	{ "upper case", "Example.COM", 0, "example.com" },
	{ "single label", "localhost", 0, "localhost" },
	{ "port", "example.com:80", 0, "example.com" },
	{ "five-digit port", "example.com:65535", 0, "example.com" },
	{ "empty port (RFC 3986)", "example.com:", 0, "example.com" },
	{ "six-digit port", "example.com:123456", 0, NULL },
	{ "port with a letter", "example.com:8a", 0, NULL },
	{ "negative port", "example.com:-1", 0, NULL },
	{ "two colons", "example.com::80", 0, NULL },
	{ "two ports", "example.com:80:80", 0, NULL },
	{ "port with a space", "example.com: 80", 0, NULL },
	{ "trailing dot", "example.com.", 0, "example.com" },
	{ "trailing dot and port", "Example.com.:8080", 0, "example.com" },
	{ "two trailing dots", "example.com..", 0, NULL },
	{ "leading dot", ".example.com", 0, NULL },
	{ "empty label inside", "a..example.com", 0, NULL },
	{ "dot alone", ".", 0, NULL },
	{ "port alone", ":80", 0, NULL },
	{ "empty", "", 0, NULL },
	{ "IPv4", "127.0.0.1", 0, "127.0.0.1" },
	{ "IPv4 and port", "127.0.0.1:8080", 0, "127.0.0.1" },
	{ "IPv6", "[::1]", 0, "[::1]" },
	{ "IPv6 and port", "[::1]:8080", 0, "[::1]" },
	{ "IPv6 and empty port", "[::1]:", 0, "[::1]" },
	{ "IPv6 upper-case hex", "[2001:DB8::1]", 0, "[2001:db8::1]" },
	{ "IPv6 with IPv4 tail", "[::ffff:192.0.2.1]:443", 0,
	    "[::ffff:192.0.2.1]" },
	{ "IPv6 unclosed", "[::1", 0, NULL },
	{ "IPv6 empty", "[]", 0, NULL },
	{ "IPv6 without a colon", "[1.2.3.4]", 0, NULL },
	{ "IPv6 then junk", "[::1]x", 0, NULL },
	{ "IPv6 two closing brackets", "[::1]]", 0, NULL },
	{ "IPv6 bad digit", "[::g]", 0, NULL },
	{ "IPv6 zone id", "[fe80::1%25eth0]", 0, NULL },
	{ "IPvFuture", "[v1.fe]", 0, NULL },
	{ "IPv6 bad port", "[::1]:http", 0, NULL },
	{ "bare IPv6", "::1", 0, NULL },
	{ "unreserved", "A-b_C~d.example", 0, "a-b_c~d.example" },
	{ "sub-delims", "x!$&'()*+,;=.example", 0, "x!$&'()*+,;=.example" },
	{ "percent refused", "ex%41mple.com", 0, NULL },
	{ "space", "exa mple.com", 0, NULL },
	{ "tab", "example.com\t", 0, NULL },
	{ "CR LF", "example.com\r\nX: y", 0, NULL },
	{ "slash", "example.com/a", 0, NULL },
	{ "backslash", "example.com\\a", 0, NULL },
	{ "userinfo", "user@example.com", 0, NULL },
	{ "UTF-8", "caf\xc3\xa9.example", 0, NULL },
	{ "DEL", "example\x7f.com", 0, NULL },
	{ "NUL inside", "exa\0mple.com", 12, NULL },
	{ "NUL at the end", "example.com\0", 12, NULL },
	{ "only len bytes are read", "example.com/path", 11, "example.com" },
	{ "len cuts a port", "example.com:80x", 14, "example.com" },
};

START_TEST(test_canon)
{
	char	out[VHOST_NAME_MAX + 1];
	size_t	len = canon_cases[_i].len != 0 ? canon_cases[_i].len :
		    strlen(canon_cases[_i].in), n;

	memset(out, 'X', sizeof(out));
	n = vhost_host_canon(canon_cases[_i].in, len, out, sizeof(out));
	if (canon_cases[_i].want == NULL) {
		ck_assert_msg(n == 0, "%s: \"%.*s\" gave \"%s\", want refused",
		    canon_cases[_i].desc, (int)len, canon_cases[_i].in, out);
		return;
	}
	ck_assert_msg(n == strlen(canon_cases[_i].want) &&
	    strcmp(out, canon_cases[_i].want) == 0,
	    "%s: \"%.*s\" gave %zu \"%s\", want \"%s\"", canon_cases[_i].desc,
	    (int)len, canon_cases[_i].in, n, n != 0 ? out : "",
	    canon_cases[_i].want);
}
END_TEST

/* Canonical output is a fixed point. */
START_TEST(test_canon_idempotent)
{
	char	once[VHOST_NAME_MAX + 1], twice[VHOST_NAME_MAX + 1];
	size_t	len = canon_cases[_i].len != 0 ? canon_cases[_i].len :
		    strlen(canon_cases[_i].in), n;

	if ((n = vhost_host_canon(canon_cases[_i].in, len, once,
	    sizeof(once))) == 0)
		return;
	ck_assert_uint_eq(vhost_host_canon(once, n, twice, sizeof(twice)), n);
	ck_assert_str_eq(once, twice);
}
END_TEST

/* Lengths: VHOST_NAME_MAX and outsz - 1 are the limits of the result. */
static const struct {
	const char	*desc;
	size_t		 len;		/* of the host part, letters and dots */
	const char	*tail;		/* appended: "", ".", ":80", ".:80" */
	size_t		 outsz;
	size_t		 want;
} len_cases[] = {
	{ "VHOST_NAME_MAX fits", VHOST_NAME_MAX, "", 300, VHOST_NAME_MAX },
	{ "one more is refused", VHOST_NAME_MAX + 1, "", 300, 0 },
	{ "the trailing dot does not count", VHOST_NAME_MAX, ".", 300,
	    VHOST_NAME_MAX },
	{ "nor does the port", VHOST_NAME_MAX, ".:80", 300, VHOST_NAME_MAX },
	{ "fits outsz exactly", 10, "", 11, 10 },
	{ "outsz one short", 10, "", 10, 0 },
	{ "outsz counts the result, not the input", 10, ".:8080", 11, 10 },
	{ "outsz 1", 1, "", 1, 0 },
	{ "outsz 0", 1, "", 0, 0 },
};

START_TEST(test_canon_lengths)
{
	char	in[512], out[320];
	size_t	i, n, len = len_cases[_i].len;

	/* Labels of 9 letters and a dot, never ending on a dot. */
	for (i = 0; i < len; i++)
		in[i] = i % 10 == 9 && i + 1 < len ? '.' : 'A' + i % 10;
	util_strlcpy(in + len, len_cases[_i].tail, sizeof(in) - len);
	memset(out, 'X', sizeof(out));
	n = vhost_host_canon(in, strlen(in), out, len_cases[_i].outsz);
	ck_assert_msg(n == len_cases[_i].want, "%s: gave %zu, want %zu",
	    len_cases[_i].desc, n, len_cases[_i].want);
	if (n != 0) {
		ck_assert_uint_eq(strlen(out), n);
		ck_assert_int_eq(out[0], 'a');
	}
	/* Never a byte written at or past out[outsz]. */
	ck_assert_msg(out[len_cases[_i].outsz] == 'X', "%s: wrote past outsz",
	    len_cases[_i].desc);
}
END_TEST

/* Configured names that are valid, and what they become. */
static const struct {
	const char	*in;
	const char	*want;
} name_ok_cases[] = {
	{ "example.com", "example.com" },
	{ "Example.COM", "example.com" },
	{ "example.com.", "example.com" },
	{ "*.example.org", "*.example.org" },
	{ "*.Example.ORG.", "*.example.org" },
	{ "*.org", "*.org" },
	{ "localhost", "localhost" },
	{ "a_b.example", "a_b.example" },
	{ "xn--bcher-kva.example", "xn--bcher-kva.example" },
	{ "127.0.0.1", "127.0.0.1" },
	{ "[::1]", "[::1]" },
	{ "[2001:DB8::1]", "[2001:db8::1]" },
	{ "[::ffff:192.0.2.1]", "[::ffff:192.0.2.1]" },
};

START_TEST(test_name_ok)
{
	char	name[64], why[128] = "";

	util_strlcpy(name, name_ok_cases[_i].in, sizeof(name));
	ck_assert_msg(vhost_name_check(name, why, sizeof(why)) == 0,
	    "\"%s\": refused: %s", name_ok_cases[_i].in, why);
	ck_assert_str_eq(name, name_ok_cases[_i].want);
}
END_TEST

/*
 * A checked exact name is what vhost_host_canon makes of a Host field
 * naming it, so a client can always reach it.
 */
START_TEST(test_name_is_canonical)
{
	char	name[64], out[VHOST_NAME_MAX + 1];

	util_strlcpy(name, name_ok_cases[_i].in, sizeof(name));
	ck_assert_int_eq(vhost_name_check(name, NULL, 0), 0);
	if (name[0] == '*')
		return;
	ck_assert_uint_eq(vhost_host_canon(name, strlen(name), out,
	    sizeof(out)), strlen(name));
	ck_assert_str_eq(out, name);
}
END_TEST

/* Configured names that are refused, and a word of why. */
static const struct {
	const char	*in;
	const char	*why;
} name_bad_cases[] = {
	{ "", "empty name" },
	{ ".", "empty name" },
	{ "*", "'*' alone" },
	{ "*.", "'*' alone" },
	{ "*example.com", "followed by '.'" },
	{ "**.example.com", "followed by '.'" },
	{ "a.*.com", "whole first label" },
	{ "*.*.example.com", "whole first label" },
	{ "example.*", "whole first label" },
	{ "*..", "needs a domain" },
	{ "example..com", "empty label" },
	{ ".example.com", "empty label" },
	{ "*..example.com", "empty label at byte 2" },
	{ "a.b..c", "empty label at byte 4" },
	{ "example.com..", "empty last label" },
	{ "example.com:80", "no port" },
	{ "exa mple.com", "byte 0x20 at 3" },
	{ "*.exa mple.com", "byte 0x20 at 5" },
	{ "ex%41mple.com", "byte 0x25" },
	{ "caf\xc3\xa9.example", "byte 0xc3" },
	{ "a/b", "byte 0x2f" },
	{ "[::1", "IPv6" },
	{ "[]", "IPv6" },
	{ "[1.2.3.4]", "IPv6" },
	{ "[::1]:80", "IPv6" },
	{ "[::1].", "IPv6" },
	{ "[fe80::1%eth0]", "IPv6" },
	{ "*.[::1]", "byte 0x5b" },
};

START_TEST(test_name_bad)
{
	char	name[64], why[128] = "";

	util_strlcpy(name, name_bad_cases[_i].in, sizeof(name));
	ck_assert_msg(vhost_name_check(name, why, sizeof(why)) == -1,
	    "\"%s\": accepted as \"%s\"", name_bad_cases[_i].in, name);
	ck_assert_msg(strstr(why, name_bad_cases[_i].why) != NULL,
	    "\"%s\": why \"%s\", want \"%s\" in it", name_bad_cases[_i].in,
	    why, name_bad_cases[_i].why);
	/* A refused name is left as written, for the error message. */
	ck_assert_str_eq(name, name_bad_cases[_i].in);
}
END_TEST

START_TEST(test_name_lengths)
{
	char	name[512], why[128];
	size_t	i;

	/* A label of 63 bytes is fine, 64 is not. */
	memset(name, 'a', 63);
	util_strlcpy(name + 63, ".example", sizeof(name) - 63);
	ck_assert_int_eq(vhost_name_check(name, why, sizeof(why)), 0);
	memset(name, 'a', 64);
	util_strlcpy(name + 64, ".example", sizeof(name) - 64);
	ck_assert_int_eq(vhost_name_check(name, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "longer than 63") != NULL, "%s", why);

	/* VHOST_NAME_MAX in all, with a trailing dot that does not count. */
	for (i = 0; i < VHOST_NAME_MAX; i++)
		name[i] = i % 10 == 9 ? '.' : 'a';
	name[VHOST_NAME_MAX] = '.';
	name[VHOST_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(vhost_name_check(name, why, sizeof(why)), 0);
	ck_assert_uint_eq(strlen(name), VHOST_NAME_MAX);
	name[VHOST_NAME_MAX] = 'a';
	name[VHOST_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(vhost_name_check(name, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "longer than 255") != NULL, "%s", why);

	/* why is bounded by whysz, and may be absent. */
	memset(why, 'X', sizeof(why));
	ck_assert_int_eq(vhost_name_check(name, why, 8), -1);
	ck_assert_uint_eq(strlen(why), 7);
	ck_assert_int_eq(why[8], 'X');
	ck_assert_int_eq(vhost_name_check(name, NULL, 0), -1);
}
END_TEST

/* The names of one address, as conf.c would hand them over. */
static const struct vhost_name lookup_names[] = {
	{ "example.com", 1 },
	{ "www.example.com", 2 },
	{ "*.example.com", 3 },
	{ "*.example.org", 4 },
	{ "*.b.example.org", 5 },
	{ "x.b.example.org", 6 },
	{ "[::1]", 7 },
	{ "127.0.0.1", 8 },
	{ "*.net", 9 },
};

/* Host field values and the site they choose. */
static const struct {
	const char	*desc;
	const char	*host;
	int		 want;
} lookup_cases[] = {
	{ "exact", "example.com", 1 },
	{ "exact, any case and port", "EXAMPLE.com:443", 1 },
	{ "exact beats the wildcard", "www.example.com.", 2 },
	{ "wildcard", "foo.example.com", 3 },
	{ "wildcard, two labels deep", "a.b.example.com", 3 },
	{ "wildcard, any case", "FOO.Example.Com", 3 },
	{ "wildcard not the bare domain", "example.org", -1 },
	{ "wildcard one label", "a.example.org", 4 },
	{ "longest wildcard wins", "a.b.example.org", 5 },
	{ "longest wildcard, deeper", "y.x.b.example.org", 5 },
	{ "exact under a wildcard", "x.b.example.org", 6 },
	{ "the longer wildcard's bare domain takes the shorter",
	    "b.example.org", 4 },
	{ "IPv6 with a port", "[::1]:8080", 7 },
	{ "IPv4", "127.0.0.1:80", 8 },
	{ "top-level wildcard", "example.net", 9 },
	{ "top-level wildcard's bare domain", "net", -1 },
	{ "unknown", "example.edu", -1 },
	{ "a suffix that is not at a dot", "xexample.com", -1 },
	{ "a suffix of a name is not the name", "com", -1 },
	{ "a longer name with the name inside", "example.com.evil", -1 },
	{ "the wildcard's own text", "*.example.org", 4 },
};

START_TEST(test_names_find)
{
	struct vhost_names	 t;
	char			 host[VHOST_NAME_MAX + 1];
	size_t			 n, a = 99, b = 99;

	ck_assert_int_eq(vhost_names_build(&t, lookup_names,
	    UTIL_ARRAY_LEN(lookup_names), &a, &b), 0);
	n = vhost_host_canon(lookup_cases[_i].host,
	    strlen(lookup_cases[_i].host), host, sizeof(host));
	ck_assert_msg(n != 0, "%s: \"%s\" not canonical", lookup_cases[_i].desc,
	    lookup_cases[_i].host);
	ck_assert_msg(vhost_names_find(&t, host, n) == lookup_cases[_i].want,
	    "%s: \"%s\" gave %d, want %d", lookup_cases[_i].desc, host,
	    vhost_names_find(&t, host, n), lookup_cases[_i].want);
	vhost_names_free(&t);
}
END_TEST

/* Only len bytes of the host are read; an empty table finds nothing. */
START_TEST(test_names_find_edges)
{
	struct vhost_names	t;

	ck_assert_int_eq(vhost_names_build(&t, lookup_names,
	    UTIL_ARRAY_LEN(lookup_names), NULL, NULL), 0);
	ck_assert_uint_eq(t.nexact, 5);
	ck_assert_uint_eq(t.nwild, 4);
	ck_assert_str_eq(t.wild[0].name, ".b.example.org");
	ck_assert_int_eq(vhost_names_find(&t, "example.comXYZ", 11), 1);
	ck_assert_int_eq(vhost_names_find(&t, "a.example.org.evil", 13), 4);
	ck_assert_int_eq(vhost_names_find(&t, "example.com", 10), -1);
	ck_assert_int_eq(vhost_names_find(&t, "", 0), -1);
	ck_assert_int_eq(vhost_names_find(&t, ".example.org", 12), -1);
	vhost_names_free(&t);
	vhost_names_free(&t);

	ck_assert_int_eq(vhost_names_build(&t, NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(vhost_names_find(&t, "example.com", 11), -1);
	vhost_names_free(&t);
}
END_TEST

/* Conflicts among names: the two indexes, earliest second member. */
static const struct {
	const char	*desc;
	const char	*names[6];	/* NULL-terminated */
	int		 dup_a;		/* -1: no conflict */
	int		 dup_b;
} name_dup_cases[] = {
	{ "exact twice", { "a.com", "b.com", "a.com" }, 0, 2 },
	{ "wildcard twice", { "*.a.com", "a.com", "*.a.com" }, 0, 2 },
	{ "a wildcard and its bare domain differ", { "a.com", "*.a.com" },
	    -1, -1 },
	{ "a wildcard and a subdomain differ", { "*.a.com", "x.a.com" },
	    -1, -1 },
	{ "the earliest conflict", { "x", "y", "y", "x" }, 1, 2 },
	{ "three times", { "z", "z", "z" }, 0, 1 },
	{ "far apart", { "q", "a", "b", "c", "q" }, 0, 4 },
	{ "wildcard conflict first", { "*.c", "a", "*.c", "a" }, 0, 2 },
};

START_TEST(test_names_dups)
{
	struct vhost_name	in[6];
	struct vhost_names	t;
	size_t			n, a = 99, b = 99;
	int			r;

	for (n = 0; name_dup_cases[_i].names[n] != NULL; n++) {
		in[n].name = name_dup_cases[_i].names[n];
		in[n].site = (int)n;
	}
	r = vhost_names_build(&t, in, n, &a, &b);
	if (name_dup_cases[_i].dup_a == -1) {
		ck_assert_msg(r == 0, "%s: conflict %zu, %zu",
		    name_dup_cases[_i].desc, a, b);
		vhost_names_free(&t);
		return;
	}
	ck_assert_msg(r == -1 && a == (size_t)name_dup_cases[_i].dup_a &&
	    b == (size_t)name_dup_cases[_i].dup_b,
	    "%s: gave %d (%zu, %zu), want (%d, %d)", name_dup_cases[_i].desc,
	    r, a, b, name_dup_cases[_i].dup_a, name_dup_cases[_i].dup_b);
	/* A failed build leaves an empty table, safe to search and free. */
	ck_assert_int_eq(vhost_names_find(&t, "a.com", 5), -1);
	vhost_names_free(&t);
}
END_TEST

/* One site's locations. */
static const struct vhost_loc lookup_locs[] = {
	{ "/", 0, 1 },
	{ "/", 1, 2 },
	{ "/a/", 0, 3 },
	{ "/ab/", 0, 4 },
	{ "/a/b/", 0, 5 },
	{ "/a/b/c/d/", 0, 6 },
	{ "/admin", 0, 7 },
	{ "/a/b/index.html", 1, 8 },
	{ "/docs/", 0, 9 },
	{ "/a/b/x", 0, 10 },
	{ "/exact-only", 1, 11 },
};

static const struct {
	const char	*desc;
	const char	*path;
	int		 want;
} loc_cases[] = {
	{ "exact root before the root prefix", "/", 2 },
	{ "root prefix", "/x", 1 },
	{ "shorter than a prefix", "/a", 1 },
	{ "prefix itself", "/a/", 3 },
	{ "under a prefix", "/a/x", 3 },
	{ "sibling /ab/", "/ab/", 4 },
	{ "under sibling /ab/", "/ab/c", 4 },
	{ "/ab is shorter than /ab/", "/ab", 1 },
	{ "/abc is under neither /a/ nor /ab/", "/abc", 1 },
	{ "nested", "/a/b/", 5 },
	{ "nested, deeper", "/a/b/c/", 5 },
	{ "nested chain, deepest", "/a/b/c/d/e", 6 },
	{ "one short of the deepest", "/a/b/c/d", 5 },
	{ "exact before a prefix", "/a/b/index.html", 8 },
	{ "exact is whole: shorter", "/a/b/index.htm", 5 },
	{ "exact is whole: longer", "/a/b/index.html.bak", 5 },
	{ "plain string prefix", "/admin", 7 },
	{ "plain string prefix, longer word", "/administrator", 7 },
	{ "plain string prefix, under it", "/admin/users", 7 },
	{ "one short of /admin", "/admi", 1 },
	{ "/docs without its slash", "/docs", 1 },
	{ "under /docs/", "/docs/x", 9 },
	{ "/a/bc is under /a/ only", "/a/bc", 3 },
	{ "greatest entry not a prefix: /a/b0 after /a/b/x", "/a/b0", 3 },
	{ "/a/b/x as a prefix", "/a/b/xyz", 10 },
	{ "/a/b/y sorts after /a/b/x", "/a/b/y", 5 },
	{ "exact only, equal", "/exact-only", 11 },
	{ "exact only, longer falls to the root", "/exact-only/x", 1 },
	{ "before every entry", "", -1 },
};

START_TEST(test_locs_find)
{
	struct vhost_locs	t;
	size_t			a = 99, b = 99;
	int			r;

	ck_assert_int_eq(vhost_locs_build(&t, lookup_locs,
	    UTIL_ARRAY_LEN(lookup_locs), &a, &b), 0);
	r = vhost_locs_find(&t, loc_cases[_i].path, strlen(loc_cases[_i].path));
	ck_assert_msg(r == loc_cases[_i].want, "%s: \"%s\" gave %d, want %d",
	    loc_cases[_i].desc, loc_cases[_i].path, r, loc_cases[_i].want);
	ck_assert_int_eq(r, brute_loc(lookup_locs, UTIL_ARRAY_LEN(lookup_locs),
	    loc_cases[_i].path));
	vhost_locs_free(&t);
}
END_TEST

/* Without a root location some paths match nothing. */
START_TEST(test_locs_no_match)
{
	static const struct vhost_loc	in[] = {
		{ "/a/", 0, 1 },
		{ "/b", 1, 2 },
	};
	struct vhost_locs		t;

	ck_assert_int_eq(vhost_locs_build(&t, in, UTIL_ARRAY_LEN(in), NULL,
	    NULL), 0);
	ck_assert_int_eq(vhost_locs_find(&t, "/", 1), -1);
	ck_assert_int_eq(vhost_locs_find(&t, "/a", 2), -1);
	ck_assert_int_eq(vhost_locs_find(&t, "/a/", 3), 1);
	ck_assert_int_eq(vhost_locs_find(&t, "/b", 2), 2);
	ck_assert_int_eq(vhost_locs_find(&t, "/bb", 3), -1);
	ck_assert_int_eq(vhost_locs_find(&t, "/0", 2), -1);
	ck_assert_int_eq(vhost_locs_find(&t, "/z", 2), -1);
	ck_assert_int_eq(vhost_locs_find(&t, "", 0), -1);
	vhost_locs_free(&t);

	ck_assert_int_eq(vhost_locs_build(&t, NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(vhost_locs_find(&t, "/", 1), -1);
	vhost_locs_free(&t);
	vhost_locs_free(&t);
}
END_TEST

/* Only len bytes of the path are read. */
START_TEST(test_locs_uses_len_only)
{
	struct vhost_locs	t;

	ck_assert_int_eq(vhost_locs_build(&t, lookup_locs,
	    UTIL_ARRAY_LEN(lookup_locs), NULL, NULL), 0);
	ck_assert_int_eq(vhost_locs_find(&t, "/a/b/ HTTP/1.1", 5), 5);
	ck_assert_int_eq(vhost_locs_find(&t, "/ab/", 3), 1);
	ck_assert_int_eq(vhost_locs_find(&t, "/a/b/index.html", 14), 5);
	ck_assert_int_eq(vhost_locs_find(&t, "/admin", 5), 1);
	ck_assert_int_eq(vhost_locs_find(&t, "/x", 0), -1);
	vhost_locs_free(&t);
}
END_TEST

/* Parents: the longest other prefix location, in sorted order. */
START_TEST(test_locs_parents)
{
	static const struct vhost_loc	in[] = {
		{ "/ab/", 0, 0 },
		{ "/a/b/c/", 0, 1 },
		{ "/", 0, 2 },
		{ "/a/b/", 0, 3 },
		{ "/a/", 0, 4 },
		{ "/b/", 0, 5 },
		{ "/a/b/c/", 1, 6 },
	};
	static const struct {
		const char	*path;
		int		 parent;
	} want[] = {
		{ "/", -1 }, { "/a/", 0 }, { "/a/b/", 1 }, { "/a/b/c/", 2 },
		{ "/ab/", 0 }, { "/b/", 0 },
	};
	struct vhost_locs		t;
	size_t				i;

	ck_assert_int_eq(vhost_locs_build(&t, in, UTIL_ARRAY_LEN(in), NULL,
	    NULL), 0);
	ck_assert_uint_eq(t.nprefix, UTIL_ARRAY_LEN(want));
	ck_assert_uint_eq(t.nexact, 1);
	for (i = 0; i < UTIL_ARRAY_LEN(want); i++) {
		ck_assert_str_eq(t.prefix[i].path, want[i].path);
		ck_assert_msg(t.parent[i] == want[i].parent,
		    "\"%s\": parent %d, want %d", want[i].path, t.parent[i],
		    want[i].parent);
	}
	vhost_locs_free(&t);
}
END_TEST

/* A chain nested ten deep, each with a sibling that sorts in between. */
START_TEST(test_locs_deep_chain)
{
	struct vhost_loc	in[20];
	struct vhost_locs	t;
	char			paths[20][32], path[40];
	size_t			i, n = 0;

	for (i = 0; i < 10; i++) {
		memset(paths[n], 0, sizeof(paths[n]));
		memset(paths[n], 'a', i + 1);
		paths[n][0] = '/';
		in[n].path = paths[n];
		in[n].exact = 0;
		in[n].id = (int)n;
		n++;
		memcpy(paths[n], paths[n - 1], sizeof(paths[n]));
		paths[n][i + 1] = 'b';
		in[n].path = paths[n];
		in[n].exact = 0;
		in[n].id = (int)n;
		n++;
	}
	ck_assert_int_eq(vhost_locs_build(&t, in, n, NULL, NULL), 0);
	for (i = 0; i < 12; i++) {
		memset(path, 0, sizeof(path));
		memset(path, 'a', i + 1);
		path[0] = '/';
		ck_assert_int_eq(vhost_locs_find(&t, path, strlen(path)),
		    brute_loc(in, n, path));
		path[i + 1] = 'c';
		ck_assert_int_eq(vhost_locs_find(&t, path, strlen(path)),
		    brute_loc(in, n, path));
		path[i + 1] = 'b';
		path[i + 2] = 'c';
		ck_assert_int_eq(vhost_locs_find(&t, path, strlen(path)),
		    brute_loc(in, n, path));
	}
	vhost_locs_free(&t);
}
END_TEST

/* Conflicts among locations: same path and same exactness. */
static const struct {
	const char	*desc;
	struct vhost_loc locs[4];
	size_t		 n;
	int		 dup_a;		/* -1: no conflict */
	int		 dup_b;
} loc_dup_cases[] = {
	{ "prefix and exact of one path differ",
	    { { "/a/", 0, 0 }, { "/a/", 1, 1 } }, 2, -1, -1 },
	{ "prefix twice", { { "/a/", 0, 0 }, { "/b", 0, 1 }, { "/a/", 0, 2 } },
	    3, 0, 2 },
	{ "exact twice", { { "/", 1, 0 }, { "/", 0, 1 }, { "/", 1, 2 } },
	    3, 0, 2 },
	{ "the earliest conflict",
	    { { "/x", 1, 0 }, { "/y", 0, 1 }, { "/y", 0, 2 }, { "/x", 1, 3 } },
	    4, 1, 2 },
	{ "slash matters", { { "/a", 0, 0 }, { "/a/", 0, 1 } }, 2, -1, -1 },
};

START_TEST(test_locs_dups)
{
	struct vhost_locs	t;
	size_t			a = 99, b = 99;
	int			r;

	r = vhost_locs_build(&t, loc_dup_cases[_i].locs, loc_dup_cases[_i].n,
	    &a, &b);
	if (loc_dup_cases[_i].dup_a == -1) {
		ck_assert_msg(r == 0, "%s: conflict %zu, %zu",
		    loc_dup_cases[_i].desc, a, b);
		vhost_locs_free(&t);
		return;
	}
	ck_assert_msg(r == -1 && a == (size_t)loc_dup_cases[_i].dup_a &&
	    b == (size_t)loc_dup_cases[_i].dup_b,
	    "%s: gave %d (%zu, %zu), want (%d, %d)", loc_dup_cases[_i].desc,
	    r, a, b, loc_dup_cases[_i].dup_a, loc_dup_cases[_i].dup_b);
	ck_assert_int_eq(vhost_locs_find(&t, "/a/", 3), -1);
	vhost_locs_free(&t);
}
END_TEST

/* xorshift64*: the same sequence on every libc. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/*
 * '/' then up to max - 1 bytes of "ab/": a small alphabet, so that
 * random paths share long prefixes and nest deeply.
 */
static void
rnd_path(uint64_t *s, char *p, size_t size, size_t max)
{
	size_t	i, n = (size_t)(rnd(s) % max);

	p[0] = '/';
	for (i = 1; i <= n && i + 1 < size; i++)
		p[i] = "ab/"[rnd(s) % 3];
	p[i] = '\0';
}

/* 1 to max labels of "a", "b", "c" or "ab". */
static void
rnd_name(uint64_t *s, char *p, size_t size, size_t max)
{
	static const char	*labels[] = { "a", "b", "c", "ab" };
	size_t			i, n = 1 + (size_t)(rnd(s) % max);

	p[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			util_strlcpy(p + strlen(p), ".", size - strlen(p));
		util_strlcpy(p + strlen(p), labels[rnd(s) % 4],
		    size - strlen(p));
	}
}

/* The reference: a linear search written straight from the definition. */
static int
brute_loc(const struct vhost_loc *v, size_t n, const char *path)
{
	size_t	i, best = 0, len;
	int	id = -1;

	for (i = 0; i < n; i++)
		if (v[i].exact && strcmp(v[i].path, path) == 0)
			return v[i].id;
	for (i = 0; i < n; i++) {
		len = strlen(v[i].path);
		if (!v[i].exact && strncmp(v[i].path, path, len) == 0 &&
		    (id == -1 || len > best)) {
			best = len;
			id = v[i].id;
		}
	}
	return id;
}

static int
brute_name(const struct vhost_name *v, size_t n, const char *host)
{
	size_t	i, best = 0, hlen = strlen(host), slen;
	int	site = -1;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, host) == 0)
			return v[i].site;
	for (i = 0; i < n; i++) {
		if (v[i].name[0] != '*')
			continue;
		/* "*.x" matches "y.x": the host ends in ".x" and is longer. */
		slen = strlen(v[i].name) - 1;
		if (hlen > slen && strcmp(host + hlen - slen,
		    v[i].name + 1) == 0 && slen > best) {
			best = slen;
			site = v[i].site;
		}
	}
	return site;
}

START_TEST(test_scale_locs)
{
	static char		paths[SCALE_PREFIXES + SCALE_EXACTS]
				    [SCALE_PATH_MAX];
	static struct vhost_loc	in[SCALE_PREFIXES + SCALE_EXACTS];
	struct vhost_locs	t;
	char			path[SCALE_PATH_MAX];
	uint64_t		seed = 0x9e3779b97f4a7c15ULL;
	size_t			n = 0, i, hits = 0;
	int			want, got, exact;

	while (n < UTIL_ARRAY_LEN(in)) {
		exact = n >= SCALE_PREFIXES;
		rnd_path(&seed, paths[n], sizeof(paths[n]), 8);
		for (i = 0; i < n; i++)
			if (in[i].exact == exact &&
			    strcmp(in[i].path, paths[n]) == 0)
				break;
		if (i < n)
			continue;
		in[n].path = paths[n];
		in[n].exact = exact;
		in[n].id = (int)n;
		n++;
	}
	ck_assert_int_eq(vhost_locs_build(&t, in, n, NULL, NULL), 0);
	ck_assert_uint_eq(t.nprefix, SCALE_PREFIXES);
	for (i = 0; i < SCALE_LOOKUPS; i++) {
		rnd_path(&seed, path, sizeof(path), 12);
		want = brute_loc(in, n, path);
		got = vhost_locs_find(&t, path, strlen(path));
		ck_assert_msg(got == want, "\"%s\": gave %d, want %d", path,
		    got, want);
		hits += want != -1 && !in[want].exact && strlen(path) >
		    strlen(in[want].path);
	}
	/* The comparison means something only if prefixes were hit. */
	ck_assert_msg(hits > SCALE_LOOKUPS / 4, "only %zu prefix hits", hits);
	vhost_locs_free(&t);
}
END_TEST

START_TEST(test_scale_names)
{
	static char		names[SCALE_SITES * SCALE_NAMES][64];
	static struct vhost_name in[SCALE_SITES * SCALE_NAMES];
	struct vhost_names	t;
	char			host[64], canon[VHOST_NAME_MAX + 1];
	uint64_t		seed = 0x243f6a8885a308d3ULL;
	size_t			n = 0, i, hlen, exact_hits = 0, wild_hits = 0;
	int			want, got;

	while (n < UTIL_ARRAY_LEN(in)) {
		names[n][0] = '\0';
		if (rnd(&seed) % 3 == 0)
			util_strlcpy(names[n], "*.", sizeof(names[n]));
		rnd_name(&seed, names[n] + strlen(names[n]),
		    sizeof(names[n]) - strlen(names[n]), 4);
		ck_assert_int_eq(vhost_name_check(names[n], NULL, 0), 0);
		for (i = 0; i < n; i++)
			if (strcmp(names[i], names[n]) == 0)
				break;
		if (i < n)
			continue;
		in[n].name = names[n];
		in[n].site = (int)(n / SCALE_NAMES);
		n++;
	}
	ck_assert_int_eq(vhost_names_build(&t, in, n, NULL, NULL), 0);
	for (i = 0; i < SCALE_LOOKUPS; i++) {
		rnd_name(&seed, host, sizeof(host), 5);
		/* Now and then as a client may write it. */
		if (rnd(&seed) % 4 == 0) {
			host[0] = (char)(host[0] - 'a' + 'A');
			util_strlcpy(host + strlen(host), ".:8080",
			    sizeof(host) - strlen(host));
		}
		hlen = vhost_host_canon(host, strlen(host), canon,
		    sizeof(canon));
		ck_assert_msg(hlen != 0, "\"%s\" not canonical", host);
		want = brute_name(in, n, canon);
		got = vhost_names_find(&t, canon, hlen);
		ck_assert_msg(got == want, "\"%s\": gave %d, want %d", host,
		    got, want);
		if (want != -1 && brute_name(t.exact, t.nexact, canon) != -1)
			exact_hits++;
		else if (want != -1)
			wild_hits++;
	}
	ck_assert_msg(exact_hits > SCALE_LOOKUPS / 20 &&
	    wild_hits > SCALE_LOOKUPS / 20, "%zu exact and %zu wildcard hits",
	    exact_hits, wild_hits);
	vhost_names_free(&t);
}
END_TEST

/*
 * Found by tests/fuzz (fuzz_rules): a lookup compared len bytes of a
 * shorter name that shared its hash slot, reading past the name's end.
 * The name here ends a page followed by an unmapped one, and every
 * three-letter host is looked up, so that some probe that name's slot.
 */
START_TEST(test_names_find_reads_only_the_name)
{
	struct vhost_names	 t;
	struct vhost_name	 in[1];
	size_t			 pg = (size_t)sysconf(_SC_PAGESIZE), a, b;
	char			*map, host[4];
	int			 i;

	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(map != MAP_FAILED);
	ck_assert_int_eq(mprotect(map + pg, pg, PROT_NONE), 0);
	memcpy(map + pg - 2, "a", 2);
	in[0].name = map + pg - 2;
	in[0].site = 7;
	ck_assert_int_eq(vhost_names_build(&t, in, 1, &a, &b), 0);
	for (i = 0; i < 26 * 26 * 26; i++) {
		host[0] = (char)('a' + i / 676);
		host[1] = (char)('a' + i / 26 % 26);
		host[2] = (char)('a' + i % 26);
		host[3] = '\0';
		ck_assert_int_eq(vhost_names_find(&t, host, 3), -1);
	}
	ck_assert_int_eq(vhost_names_find(&t, "a", 1), 7);
	vhost_names_free(&t);
	munmap(map, 2 * pg);
}
END_TEST

static Suite *
vhost_suite(void)
{
	Suite	*s = suite_create("vhost");
	TCase	*tc;

	tc = tcase_create("canon");
	tcase_add_loop_test(tc, test_canon, 0,
	    (int)UTIL_ARRAY_LEN(canon_cases));
	tcase_add_loop_test(tc, test_canon_idempotent, 0,
	    (int)UTIL_ARRAY_LEN(canon_cases));
	tcase_add_loop_test(tc, test_canon_lengths, 0,
	    (int)UTIL_ARRAY_LEN(len_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("name_check");
	tcase_add_loop_test(tc, test_name_ok, 0,
	    (int)UTIL_ARRAY_LEN(name_ok_cases));
	tcase_add_loop_test(tc, test_name_is_canonical, 0,
	    (int)UTIL_ARRAY_LEN(name_ok_cases));
	tcase_add_loop_test(tc, test_name_bad, 0,
	    (int)UTIL_ARRAY_LEN(name_bad_cases));
	tcase_add_test(tc, test_name_lengths);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_names_find, 0,
	    (int)UTIL_ARRAY_LEN(lookup_cases));
	tcase_add_test(tc, test_names_find_edges);
	tcase_add_test(tc, test_names_find_reads_only_the_name);
	tcase_add_loop_test(tc, test_names_dups, 0,
	    (int)UTIL_ARRAY_LEN(name_dup_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("locs");
	tcase_add_loop_test(tc, test_locs_find, 0,
	    (int)UTIL_ARRAY_LEN(loc_cases));
	tcase_add_test(tc, test_locs_no_match);
	tcase_add_test(tc, test_locs_uses_len_only);
	tcase_add_test(tc, test_locs_parents);
	tcase_add_test(tc, test_locs_deep_chain);
	tcase_add_loop_test(tc, test_locs_dups, 0,
	    (int)UTIL_ARRAY_LEN(loc_dup_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_add_test(tc, test_scale_locs);
	tcase_add_test(tc, test_scale_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(vhost_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
