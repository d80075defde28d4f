/*
 * check_htpasswd: unit tests for src/core/htpasswd.c, the syntax of
 * Basic authentication.  An htpasswd file is refused whole, with the
 * line and the reason, at its first bad line: no ':', an empty or
 * unprintable user, a weak hash (DES, MD5, {SHA}), a malformed one, a
 * line too long, a duplicate user.  Authorization values decode with
 * strict base64 (RFC 4648: padding required, its alphabet only, no bits
 * left over), "Basic" in any case and one or more spaces before the
 * token; control bytes are refused in both user and password.  The
 * hashes here are real (htpasswd, openssl passwd, libcrypt), but this
 * suite never verifies one: check_auth does.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/htpasswd.h"
#include "core/util.h"

/* htpasswd -nbB -C 5 legacy hunter2 */
#define H_2Y	"$2y$05$WDJ9V/Mb/wBqL8XxEDdwJuoOxOsWA4POSh3YsXKx8TwGcb7qb/vU2"
#define H_2B	"$2b$05$VhNdvFoGfz9uBwj9wcCdveoS0/vRFtts4GevLzmhHB78UgCY1cj7m"
#define H_2A	"$2a$05$VhNdvFoGfz9uBwj9wcCdveoS0/vRFtts4GevLzmhHB78UgCY1cj7m"
#define H_5	"$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA"
#define H_6	"$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDe" \
		"hy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1"
#define H_Y	"$y$j75$.TzQPEnCItQl.aSOglM9U.$pL54.5bxYGeNvG5Vwn4ZZya0dD" \
		"I69DbTJuVpH6q4Y6/"
#define H_7	"$7$CU..../....V6ZG8AGKgGcnppyrYxflw.$2OlPglcvgxvU8adtPrhX" \
		"jTUsXOVYXlUsqP17e/CTBU8"
#define H_GY	"$gy$j75$7MDeEy81HsRNkQZ1lZBW4/$h4x3zhdenwPCpJppKMLkidByT" \
		"V8XEclYKTpx/LDGqW3"

#define LONG	4096		/* bytes of the generated long values */
#define MANY	1000		/* users of the binary-search test */

static Suite	*htpasswd_suite(void);
static void	 b64(const char *, size_t, char *, size_t);
static char	*repeat(int, size_t);

/* A plain base64 encoder, to build Authorization values. */
static void
b64(const char *in, size_t len, char *out, size_t outsz)
{
	static const char	abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i, n = 0;
	unsigned long		 w;

	ck_assert_uint_lt((len + 2) / 3 * 4, outsz);
	for (i = 0; i < len; i += 3) {
		w = (unsigned long)p[i] << 16;
		if (i + 1 < len)
			w |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < len)
			w |= p[i + 2];
		out[n++] = abc[w >> 18 & 63];
		out[n++] = abc[w >> 12 & 63];
		out[n++] = i + 1 < len ? abc[w >> 6 & 63] : '=';
		out[n++] = i + 2 < len ? abc[w & 63] : '=';
	}
	out[n] = '\0';
}

/* n bytes of c, NUL-terminated, to free. */
static char *
repeat(int c, size_t n)
{
	char	*s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Files that parse, with how many users and one that must be found. */
static const struct {
	const char	*desc;
	const char	*text;
	size_t		 n;
	const char	*user, *hash;
} good_files[] = {
	{ "one htpasswd -B line", "legacy:" H_2Y "\n", 1, "legacy", H_2Y },
	{ "no final newline", "legacy:" H_2Y, 1, "legacy", H_2Y },
	{ "$2b$", "a:" H_2B "\n", 1, "a", H_2B },
	{ "$2a$", "a:" H_2A "\n", 1, "a", H_2A },
	{ "$5$", "a:" H_5 "\n", 1, "a", H_5 },
	{ "$5$ with rounds", "a:$5$rounds=1000$salt$abc\n", 1, "a",
	    "$5$rounds=1000$salt$abc" },
	{ "$6$", "a:" H_6 "\n", 1, "a", H_6 },
	{ "$y$", "a:" H_Y "\n", 1, "a", H_Y },
	{ "$7$", "a:" H_7 "\n", 1, "a", H_7 },
	{ "$gy$", "a:" H_GY "\n", 1, "a", H_GY },
	{ "several schemes, unsorted", "zoe:" H_6 "\nbob:" H_5 "\namy:" H_2Y
	    "\n", 3, "bob", H_5 },
	{ "CRLF", "amy:" H_2Y "\r\nbob:" H_5 "\r\n", 2, "bob", H_5 },
	{ "comments and blank lines", "# staff\n\n# more\namy:" H_2Y
	    "\n\n   \n\t\nbob:" H_5 "\n#end", 2, "amy", H_2Y },
	{ "a comment may hold anything", "#\x01:x y:z\xff\namy:" H_2Y "\n",
	    1, "amy", H_2Y },
	{ "CRLF blank line", "\r\namy:" H_2Y "\r\n\r\n", 1, "amy", H_2Y },
	{ "UTF-8 user name", "jos\xc3\xa9:" H_6 "\n", 1, "jos\xc3\xa9", H_6 },
	{ "user names are case-sensitive", "Amy:" H_5 "\namy:" H_6 "\n", 2,
	    "amy", H_6 },
	{ "spaces in a user name", "amy lee:" H_5 "\n", 1, "amy lee", H_5 },
	{ "empty file", "", 0, NULL, NULL },
	{ "comments only", "# nobody yet\n", 0, NULL, NULL },
};

START_TEST(test_parse_good)
{
	struct htpasswd	 hp;
	char		 why[256] = "";
	const char	*h;

	ck_assert_msg(htpasswd_parse(good_files[_i].text,
	    strlen(good_files[_i].text), &hp, why, sizeof(why)) == 0,
	    "%s: refused: %s", good_files[_i].desc, why);
	ck_assert_msg(hp.n == good_files[_i].n, "%s: %zu users",
	    good_files[_i].desc, hp.n);
	if (good_files[_i].user != NULL) {
		h = htpasswd_find(&hp, good_files[_i].user,
		    strlen(good_files[_i].user));
		ck_assert_msg(h != NULL, "%s: user missing",
		    good_files[_i].desc);
		ck_assert_str_eq(h, good_files[_i].hash);
	}
	htpasswd_free(&hp);
	ck_assert_ptr_null(hp.e);
	ck_assert_uint_eq(hp.n, 0);
}
END_TEST

/* Files refused, with the start of the reason they must give. */
static const struct {
	const char	*desc;
	const char	*text;
	const char	*why;
} bad_files[] = {
	{ "missing colon", "legacy " H_2Y "\n", "line 1: no ':'" },
	{ "user only", "legacy\n", "line 1: no ':'" },
	{ "empty user", ":" H_2Y "\n", "line 1: empty user name" },
	{ "empty hash", "amy:\n", "line 1: empty hash" },
	{ "duplicate user", "amy:" H_2Y "\nbob:" H_5 "\namy:" H_6 "\n",
	    "line 3: duplicate user \"amy\" (first on line 1)" },
	{ "earliest duplicate reported", "zed:" H_5 "\nzed:" H_5 "\namy:" H_5
	    "\namy:" H_5 "\n", "line 2: duplicate user \"zed\"" },
	{ "MD5-crypt", "amy:$1$saltsalt$9xy1btjgzLYfb7hivXtC//\n",
	    "line 1: MD5-crypt ($1$) hashes are weak" },
	{ "Apache MD5", "amy:$apr1$saltsalt$LrttParrLPdxvgutaSXWJ0\n",
	    "line 1: Apache MD5 ($apr1$) hashes are weak" },
	{ "{SHA}", "amy:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n",
	    "line 1: unsalted SHA-1 ({SHA}) hashes are weak" },
	{ "DES crypt", "amy:ZfKYIGuqr46.g\n", "line 1: DES crypt hashes are "
	    "weak" },
	{ "extended DES", "amy:_J9..salt1234567890\n",
	    "line 1: extended DES" },
	{ "plain text", "amy:secret\n", "line 1: not a crypt(3) hash" },
	{ "unknown scheme", "amy:$3$$8846f7eaee8fb117ad06bdd830b7586c\n",
	    "line 1: unknown hash scheme" },
	{ "buggy bcrypt $2x$", "amy:$2x$05$VhNdvFoGfz9uBwj9wcCdveoS0/vRFtts"
	    "4GevLzmhHB78UgCY1cj7m\n", "line 1: unknown hash scheme" },
	{ "bcrypt cut short", "amy:$2y$05$WDJ9V/Mb/wBqL8XxEDdwJuoOxOsWA4P\n",
	    "line 1: malformed bcrypt hash" },
	{ "bcrypt cost 03", "amy:$2y$03$WDJ9V/Mb/wBqL8XxEDdwJuoOxOsWA4POSh3Y"
	    "sXKx8TwGcb7qb/vU2\n", "line 1: malformed bcrypt hash" },
	{ "bcrypt cost 32", "amy:$2y$32$WDJ9V/Mb/wBqL8XxEDdwJuoOxOsWA4POSh3Y"
	    "sXKx8TwGcb7qb/vU2\n", "line 1: malformed bcrypt hash" },
	{ "bcrypt bad byte", "amy:$2y$05$WDJ9V/Mb/wBqL8XxEDdwJuoOxOsWA4POSh3Y"
	    "sXKx8TwGcb7qb/vU!\n", "line 1: malformed bcrypt hash" },
	{ "SHA-crypt without a hash", "amy:$6$saltsalt$\n",
	    "line 1: malformed hash" },
	{ "SHA-crypt salt only", "amy:$6$saltsalt\n",
	    "line 1: malformed hash" },
	{ "trailing space", "amy:" H_2Y " \n", "line 1: space, control byte" },
	{ "tab in the hash", "amy:\t" H_2Y "\n",
	    "line 1: space, control byte" },
	{ "third field", "amy:" H_5 ":staff\n",
	    "line 1: space, control byte or ':'" },
	{ "control byte in user", "a\x01my:" H_5 "\n",
	    "line 1: control byte in the user name" },
	{ "DEL in user", "a\x7fmy:" H_5 "\n",
	    "line 1: control byte in the user name" },
	{ "lone CR in user", "a\rmy:" H_5 "\n",
	    "line 1: control byte in the user name" },
	{ "bad line after comments", "# one\n\namy:" H_5 "\nbob:$1$x$y\n",
	    "line 4: MD5-crypt" },
	{ "CRLF lines counted once", "amy:" H_5 "\r\n\r\nbob\r\n",
	    "line 3: no ':'" },
	{ "indented comment is a line", "  # note\n", "line 1: no ':'" },
};

START_TEST(test_parse_bad)
{
	struct htpasswd	hp;
	char		why[256] = "";

	hp.n = 7;
	ck_assert_msg(htpasswd_parse(bad_files[_i].text,
	    strlen(bad_files[_i].text), &hp, why, sizeof(why)) == -1,
	    "%s: accepted", bad_files[_i].desc);
	ck_assert_msg(strncmp(why, bad_files[_i].why,
	    strlen(bad_files[_i].why)) == 0, "%s: \"%s\", want \"%s...\"",
	    bad_files[_i].desc, why, bad_files[_i].why);
	ck_assert_ptr_null(hp.e);
	ck_assert_uint_eq(hp.n, 0);
	htpasswd_free(&hp);
}
END_TEST

/* Lines at and past the limits, and bytes no literal can hold. */
START_TEST(test_parse_limits)
{
	struct htpasswd	 hp;
	char		 why[256], text[LONG];
	char		*u255 = repeat('u', HTPASSWD_USER_MAX);
	char		*huge = repeat('x', 100000);
	char		*s;
	size_t		 n;

	n = (size_t)snprintf(text, sizeof(text), "%s:%s\n", u255, H_6);
	ck_assert_int_eq(htpasswd_parse(text, n, &hp, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(htpasswd_find(&hp, u255, strlen(u255)));
	htpasswd_free(&hp);

	n = (size_t)snprintf(text, sizeof(text), "u%s:%s\n", u255, H_6);
	ck_assert_int_eq(htpasswd_parse(text, n, &hp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "line 1: user name too long");

	n = (size_t)snprintf(text, sizeof(text), "amy:$6$s$%.*s\n",
	    HTPASSWD_HASH_MAX, huge);
	ck_assert_int_eq(htpasswd_parse(text, n, &hp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "line 1: hash too long");

	/* A huge line, with and without a colon, after a good one. */
	n = strlen(huge) + 64;
	s = malloc(n);
	ck_assert_ptr_nonnull(s);
	n = (size_t)snprintf(s, n, "amy:%s\n%s\n", H_5, huge);
	ck_assert_int_eq(htpasswd_parse(s, n, &hp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "line 2: line too long for a user name and a "
	    "hash");
	s[n - 50] = ':';
	ck_assert_int_eq(htpasswd_parse(s, n, &hp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "line 2: line too long for a user name and a "
	    "hash");
	/* A huge comment is only a comment. */
	s[4 + strlen(H_5) + 1] = '#';
	ck_assert_int_eq(htpasswd_parse(s, n, &hp, why, sizeof(why)), 0);
	ck_assert_uint_eq(hp.n, 1);
	htpasswd_free(&hp);
	free(s);

	/* A NUL byte is a control byte, and len is what counts. */
	ck_assert_int_eq(htpasswd_parse("a\0my:" H_5 "\n",
	    sizeof("a\0my:" H_5 "\n") - 1, &hp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "line 1: control byte in the user name");
	ck_assert_int_eq(htpasswd_parse("amy:" H_5 "\nbob:$1$x$y\n",
	    strlen("amy:" H_5 "\n"), &hp, why, sizeof(why)), 0);
	ck_assert_uint_eq(hp.n, 1);
	htpasswd_free(&hp);

	/* A small why is cut, not overrun. */
	memset(why, 'X', sizeof(why));
	ck_assert_int_eq(htpasswd_parse("amy\n", 4, &hp, why, 8), -1);
	ck_assert_str_eq(why, "line 1:");
	ck_assert_int_eq(why[8], 'X');
	free(u255);
	free(huge);
}
END_TEST

START_TEST(test_find)
{
	struct htpasswd	 hp;
	char		 why[256];
	const char	*text = "carol:" H_5 "\nalice:" H_6 "\nbob:" H_2Y "\n"
	    "al:" H_Y "\n";

	ck_assert_int_eq(htpasswd_parse(text, strlen(text), &hp, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(hp.n, 4);
	ck_assert_str_eq(hp.e[0].user, "al");
	ck_assert_str_eq(hp.e[3].user, "carol");
	ck_assert_str_eq(htpasswd_find(&hp, "alice", 5), H_6);
	ck_assert_str_eq(htpasswd_find(&hp, "al", 2), H_Y);
	ck_assert_str_eq(htpasswd_find(&hp, "alice", 2), H_Y);
	ck_assert_str_eq(htpasswd_find(&hp, "bobby", 3), H_2Y);
	ck_assert_ptr_null(htpasswd_find(&hp, "ali", 3));
	ck_assert_ptr_null(htpasswd_find(&hp, "alicex", 6));
	ck_assert_ptr_null(htpasswd_find(&hp, "Alice", 5));
	ck_assert_ptr_null(htpasswd_find(&hp, "", 0));
	ck_assert_ptr_null(htpasswd_find(&hp, "zed", 3));
	ck_assert_ptr_null(htpasswd_find(&hp, "a", 1));
	ck_assert_ptr_null(htpasswd_find(&hp, "al\0ice", 6));
	htpasswd_free(&hp);

	/* An empty set finds nobody. */
	ck_assert_int_eq(htpasswd_parse("", 0, &hp, why, sizeof(why)), 0);
	ck_assert_ptr_null(htpasswd_find(&hp, "al", 2));
	htpasswd_free(&hp);
}
END_TEST

/* Every user of a large file is found, none that is not in it. */
START_TEST(test_find_many)
{
	struct htpasswd	 hp;
	char		 why[256], user[32];
	char		*text;
	size_t		 i, n = 0, size = MANY * 128;

	text = malloc(size);
	ck_assert_ptr_nonnull(text);
	for (i = 0; i < MANY; i++)
		n += (size_t)snprintf(text + n, size - n, "user%zu:%s\n",
		    (i * 7919) % MANY, H_5);
	ck_assert_int_eq(htpasswd_parse(text, n, &hp, why, sizeof(why)), 0);
	ck_assert_uint_eq(hp.n, MANY);
	for (i = 0; i < MANY; i++) {
		snprintf(user, sizeof(user), "user%zu", i);
		ck_assert_msg(htpasswd_find(&hp, user, strlen(user)) != NULL,
		    "%s missing", user);
		snprintf(user, sizeof(user), "user%zux", i);
		ck_assert_ptr_null(htpasswd_find(&hp, user, strlen(user)));
	}
	htpasswd_free(&hp);
	free(text);
}
END_TEST

/* Authorization values as sent, and what they must give. */
static const struct {
	const char	*desc;
	const char	*value;
	int		 ok;
	const char	*user, *pass;
} basic_cases[] = {
	{ "plain", "Basic dXNlcjpwYXNz", 1, "user", "pass" },
	{ "lower-case scheme", "basic dXNlcjpwYXNz", 1, "user", "pass" },
	{ "upper-case scheme", "BASIC dXNlcjpwYXNz", 1, "user", "pass" },
	{ "extra spaces", "Basic    dXNlcjpwYXNz", 1, "user", "pass" },
	{ "spaces around", "  Basic dXNlcjpwYXNz \t", 1, "user", "pass" },
	{ "two pad digits", "Basic dXNlcjpwYQ==", 1, "user", "pa" },
	{ "one pad digit", "Basic dXNlcjpwYXM=", 1, "user", "pas" },
	{ "no padding needed", "Basic dXNlcnBhc3M6", 1, "userpass", "" },
	{ "'+' and '/'", "Basic dTo+Pj4/", 1, "u", ">>>?" },
	{ "bytes from 0x80", "Basic dTr7/w==", 1, "u", "\xfb\xff" },
	{ "empty user", "Basic OnBhc3M=", 1, "", "pass" },

	{ "no scheme", "dXNlcjpwYXNz", 0, NULL, NULL },
	{ "another scheme", "Bearer dXNlcjpwYXNz", 0, NULL, NULL },
	{ "scheme as a prefix", "Basically dXNlcjpwYXNz", 0, NULL, NULL },
	{ "no space", "BasicdXNlcjpwYXNz", 0, NULL, NULL },
	{ "tab, not a space", "Basic\tdXNlcjpwYXNz", 0, NULL, NULL },
	{ "scheme alone", "Basic", 0, NULL, NULL },
	{ "scheme and spaces", "Basic   ", 0, NULL, NULL },
	{ "empty", "", 0, NULL, NULL },
	{ "missing padding", "Basic dXNlcjpwYQ", 0, NULL, NULL },
	{ "half the padding", "Basic dXNlcjpwYQ=", 0, NULL, NULL },
	{ "too much padding", "Basic dXNlcjpwYXNz====", 0, NULL, NULL },
	{ "padding in the middle", "Basic dXNl=jpwYXNz", 0, NULL, NULL },
	{ "padding group alone", "Basic ====", 0, NULL, NULL },
	{ "bits left over behind the padding", "Basic dXNlcjpwYR==", 0,
	    NULL, NULL },
	{ "bits left over behind one pad", "Basic dXNlcjpwYXN=", 0,
	    NULL, NULL },
	{ "URL-safe alphabet", "Basic dTo-Pj4_", 0, NULL, NULL },
	{ "bad character", "Basic dXNlcj!wYXNz", 0, NULL, NULL },
	{ "space inside the token", "Basic dXNl cjpwYXNz", 0, NULL, NULL },
	{ "a second token", "Basic dXNlcjpwYXNz dXNlcjpwYXNz", 0, NULL,
	    NULL },
	{ "auth-param form", "Basic user=\"x\"", 0, NULL, NULL },
	{ "no colon", "Basic dXNlcnBhc3M=", 0, NULL, NULL },
};

START_TEST(test_basic)
{
	char	user[HTPASSWD_USER_MAX + 1], pass[HTPASSWD_PASS_MAX + 1];
	int	r;

	r = htpasswd_basic(basic_cases[_i].value,
	    strlen(basic_cases[_i].value), user, pass);
	ck_assert_msg(r == (basic_cases[_i].ok ? 0 : -1), "%s: gave %d",
	    basic_cases[_i].desc, r);
	if (r == 0) {
		ck_assert_str_eq(user, basic_cases[_i].user);
		ck_assert_str_eq(pass, basic_cases[_i].pass);
	}
}
END_TEST

/* Credentials, encoded here, and whether they are acceptable. */
static const struct {
	const char	*desc;
	const char	*cred;
	size_t		 len;		/* 0: strlen */
	int		 ok;
	const char	*user, *pass;
} cred_cases[] = {
	{ "colon in the password", "user:pa:ss", 0, 1, "user", "pa:ss" },
	{ "empty password", "user:", 0, 1, "user", "" },
	{ "UTF-8 password", "user:p\xc3\xa4ss", 0, 1, "user", "p\xc3\xa4ss" },
	{ "UTF-8 user", "jos\xc3\xa9:x", 0, 1, "jos\xc3\xa9", "x" },
	{ "spaces kept", " u : p ", 0, 1, " u ", " p " },
	{ "control byte in the user", "us\x01" "er:pass", 0, 0, NULL, NULL },
	{ "newline in the password", "user:pa\nss", 0, 0, NULL, NULL },
	{ "CR in the password", "user:pass\r", 0, 0, NULL, NULL },
	{ "tab in the password", "user:pa\tss", 0, 0, NULL, NULL },
	{ "DEL in the password", "user:pa\x7fss", 0, 0, NULL, NULL },
	{ "NUL in the password", "user:pa\0ss", 10, 0, NULL, NULL },
	{ "NUL in the user", "us\0er:pass", 10, 0, NULL, NULL },
	{ "nothing", "", 0, 0, NULL, NULL },
};

START_TEST(test_basic_encoded)
{
	char	user[HTPASSWD_USER_MAX + 1], pass[HTPASSWD_PASS_MAX + 1];
	char	value[128];
	size_t	len = cred_cases[_i].len;
	int	r;

	if (len == 0)
		len = strlen(cred_cases[_i].cred);
	memcpy(value, "Basic ", 6);
	b64(cred_cases[_i].cred, len, value + 6, sizeof(value) - 6);
	r = htpasswd_basic(value, strlen(value), user, pass);
	ck_assert_msg(r == (cred_cases[_i].ok ? 0 : -1), "%s: gave %d",
	    cred_cases[_i].desc, r);
	if (r == 0) {
		ck_assert_str_eq(user, cred_cases[_i].user);
		ck_assert_str_eq(pass, cred_cases[_i].pass);
	}
}
END_TEST

/* The longest user and password fit; one byte more does not. */
START_TEST(test_basic_long)
{
	char	 user[HTPASSWD_USER_MAX + 1], pass[HTPASSWD_PASS_MAX + 1];
	char	 cred[LONG], value[LONG * 2];
	char	*u = repeat('u', HTPASSWD_USER_MAX + 1);
	char	*p = repeat('\xe4', HTPASSWD_PASS_MAX + 1);
	char	*junk = repeat('A', LONG);

	snprintf(cred, sizeof(cred), "%.*s:%.*s", HTPASSWD_USER_MAX, u,
	    HTPASSWD_PASS_MAX, p);
	memcpy(value, "Basic ", 6);
	b64(cred, strlen(cred), value + 6, sizeof(value) - 6);
	ck_assert_int_eq(htpasswd_basic(value, strlen(value), user, pass), 0);
	ck_assert_uint_eq(strlen(user), HTPASSWD_USER_MAX);
	ck_assert_uint_eq(strlen(pass), HTPASSWD_PASS_MAX);

	snprintf(cred, sizeof(cred), "%s:p", u);
	b64(cred, strlen(cred), value + 6, sizeof(value) - 6);
	ck_assert_int_eq(htpasswd_basic(value, strlen(value), user, pass), -1);

	snprintf(cred, sizeof(cred), "u:%s", p);
	b64(cred, strlen(cred), value + 6, sizeof(value) - 6);
	ck_assert_int_eq(htpasswd_basic(value, strlen(value), user, pass), -1);

	/* Valid base64, far too long: refused before it is decoded. */
	snprintf(value, sizeof(value), "Basic %s", junk);
	ck_assert_int_eq(htpasswd_basic(value, strlen(value), user, pass), -1);
	free(u);
	free(p);
	free(junk);
}
END_TEST

/* Only len bytes are read: the value need not end in NUL. */
START_TEST(test_basic_uses_len_only)
{
	char	user[HTPASSWD_USER_MAX + 1], pass[HTPASSWD_PASS_MAX + 1];
	char	value[] = "Basic dXNlcjpwYXNzZZZZ";

	ck_assert_int_eq(htpasswd_basic(value, 18, user, pass), 0);
	ck_assert_str_eq(user, "user");
	ck_assert_str_eq(pass, "pass");
	ck_assert_int_eq(htpasswd_basic(value, 17, user, pass), -1);
	ck_assert_int_eq(htpasswd_basic("Basic dXNl\0cjpwYXNz", 19, user,
	    pass), -1);
}
END_TEST

static Suite *
htpasswd_suite(void)
{
	Suite	*s = suite_create("htpasswd");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_good, 0,
	    (int)UTIL_ARRAY_LEN(good_files));
	tcase_add_loop_test(tc, test_parse_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_files));
	tcase_add_test(tc, test_parse_limits);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_find_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("basic");
	tcase_add_loop_test(tc, test_basic, 0,
	    (int)UTIL_ARRAY_LEN(basic_cases));
	tcase_add_loop_test(tc, test_basic_encoded, 0,
	    (int)UTIL_ARRAY_LEN(cred_cases));
	tcase_add_test(tc, test_basic_long);
	tcase_add_test(tc, test_basic_uses_len_only);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(htpasswd_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
