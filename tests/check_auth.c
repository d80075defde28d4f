/*
 * check_auth: Basic authentication against htpasswd files on disk
 * (src/daemon/auth.c).  For each scheme the daemon must verify (bcrypt
 * as htpasswd -B writes it, SHA-256 and SHA-512 crypt, yescrypt) the
 * right password passes and a wrong one or an unknown user does not;
 * a missing or garbled Authorization value asks for credentials.  Then
 * the cache: verified credentials are not verified again (counted with
 * auth_crypt_calls, never timed), a wrong password and an unknown user
 * cost a crypt(3) each time, and a reloaded file forgets what the old
 * one verified.
 *
 * Most hashes are made here with libcrypt at the lowest costs, so the
 * suite stays fast; a few literal lines from htpasswd and openssl prove
 * that what those tools write is read.
 */
#include "config.h"

#include <check.h>
#include <crypt.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/htpasswd.h"
#include "core/util.h"
#include "daemon/auth.h"

static Suite	*auth_suite(void);
static void	 setup(void);
static void	 teardown(void);
static const char *put(const char *, const char *);
static void	 make_hash(const char *, unsigned long, const char *, char *,
		    size_t);
static const char *basic(const char *, const char *);
static enum auth_result check(struct auth_file *, const char *,
		    const char *);
static struct auth_file *load(const char *);

static char	dir[64];

/* One directory for the whole run, emptied at the end. */
static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_auth.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char		 p[512];
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Writes text to name in the directory; returns its path (static). */
static const char *
put(const char *name, const char *text)
{
	static char	 p[512];
	FILE		*fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

/* A hash of pass with a fresh salt: prefix and cost as crypt_gensalt. */
static void
make_hash(const char *prefix, unsigned long cost, const char *pass,
    char *out, size_t outsz)
{
	static struct crypt_data	cd;
	char				salt[CRYPT_GENSALT_OUTPUT_SIZE];

	ck_assert_ptr_nonnull(crypt_gensalt_rn(prefix, cost, NULL, 0, salt,
	    sizeof(salt)));
	ck_assert_ptr_nonnull(crypt_rn(pass, salt, &cd, sizeof(cd)));
	ck_assert_uint_lt(strlen(cd.output), outsz);
	util_strlcpy(out, cd.output, outsz);
}

/* The Authorization value of user and pass (static). */
static const char *
basic(const char *user, const char *pass)
{
	static const char	abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	static char		value[1024];
	unsigned char		in[600];
	size_t			len, i, n;
	unsigned long		w;

	len = (size_t)snprintf((char *)in, sizeof(in), "%s:%s", user, pass);
	ck_assert_uint_lt(len, sizeof(in));
	n = (size_t)snprintf(value, sizeof(value), "Basic ");
	for (i = 0; i < len; i += 3) {
		w = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			w |= (unsigned long)in[i + 1] << 8;
		if (i + 2 < len)
			w |= in[i + 2];
		value[n++] = abc[w >> 18 & 63];
		value[n++] = abc[w >> 12 & 63];
		value[n++] = i + 1 < len ? abc[w >> 6 & 63] : '=';
		value[n++] = i + 2 < len ? abc[w & 63] : '=';
	}
	value[n] = '\0';
	return value;
}

static enum auth_result
check(struct auth_file *af, const char *user, const char *pass)
{
	const char	*v = basic(user, pass);

	return auth_check(af, v, strlen(v));
}

static struct auth_file *
load(const char *path)
{
	struct auth_file	*af;
	char			 err[512] = "";

	af = auth_file_load(path, err, sizeof(err));
	ck_assert_msg(af != NULL, "%s refused: %s", path, err);
	return af;
}

/* The schemes made here, at their cheapest cost. */
static const struct {
	const char	*prefix;
	unsigned long	 cost;
} schemes[] = {
	{ "$2b$", 5 },
	{ "$5$", 1000 },
	{ "$6$", 1000 },
	{ "$y$", 1 },
};

/*
 * Per scheme: the right password passes, first by crypt and then from
 * the cache; a wrong one and an unknown user are refused, each time at
 * the cost of one crypt.
 */
START_TEST(test_schemes)
{
	struct auth_file	*af;
	char			 h1[256], h2[256], text[1024];
	unsigned long		 n;

	make_hash(schemes[_i].prefix, schemes[_i].cost, "s3cret pw", h1,
	    sizeof(h1));
	make_hash(schemes[_i].prefix, schemes[_i].cost, "other", h2,
	    sizeof(h2));
	ck_assert_int_eq(strncmp(h1, schemes[_i].prefix,
	    strlen(schemes[_i].prefix)), 0);
	snprintf(text, sizeof(text), "# staff\nalice:%s\nbob:%s\n", h1, h2);
	af = load(put("scheme", text));

	n = auth_crypt_calls();
	ck_assert_int_eq(check(af, "alice", "s3cret pw"), AUTH_OK);
	ck_assert_uint_eq(auth_crypt_calls(), n + 1);
	ck_assert_int_eq(check(af, "alice", "s3cret pw"), AUTH_OK);
	ck_assert_uint_eq(auth_crypt_calls(), n + 1);
	ck_assert_int_eq(check(af, "bob", "other"), AUTH_OK);
	ck_assert_uint_eq(auth_crypt_calls(), n + 2);

	ck_assert_int_eq(check(af, "alice", "s3cret pW"), AUTH_DENIED);
	ck_assert_int_eq(check(af, "alice", "s3cret pW"), AUTH_DENIED);
	ck_assert_int_eq(check(af, "alice", ""), AUTH_DENIED);
	ck_assert_int_eq(check(af, "bob", "s3cret pw"), AUTH_DENIED);
	ck_assert_uint_eq(auth_crypt_calls(), n + 6);

	ck_assert_int_eq(check(af, "carol", "s3cret pw"), AUTH_DENIED);
	ck_assert_int_eq(check(af, "Alice", "s3cret pw"), AUTH_DENIED);
	ck_assert_uint_eq(auth_crypt_calls(), n + 8);

	ck_assert_int_eq(check(af, "alice", "s3cret pw"), AUTH_OK);
	ck_assert_int_eq(check(af, "bob", "other"), AUTH_OK);
	ck_assert_uint_eq(auth_crypt_calls(), n + 8);
	auth_file_free(af);
}
END_TEST

/*
 * Lines the tools wrote:
 *   htpasswd -nbB -C 5 legacy hunter2
 *   openssl passwd -5 -salt saltsalt secret
 *   openssl passwd -6 -salt saltsalt secret
 * and a UTF-8 password, "pässwörd", hashed here.
 */
START_TEST(test_tool_lines)
{
	struct auth_file	*af;
	char			 h[256], text[1024];

	make_hash("$y$", 1, "p\xc3\xa4ssw\xc3\xb6rd", h, sizeof(h));
	snprintf(text, sizeof(text),
	    "legacy:$2y$05$WDJ9V/Mb/wBqL8XxEDdwJuoOxOsWA4POSh3YsXKx8TwGcb7qb/"
	    "vU2\r\n"
	    "sha256:$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA\r\n"
	    "sha512:$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0a"
	    "Dehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1\r\n"
	    "jos\xc3\xa9:%s\r\n", h);
	af = load(put("tools", text));
	ck_assert_int_eq(check(af, "legacy", "hunter2"), AUTH_OK);
	ck_assert_int_eq(check(af, "legacy", "Hunter2"), AUTH_DENIED);
	ck_assert_int_eq(check(af, "sha256", "secret"), AUTH_OK);
	ck_assert_int_eq(check(af, "sha256", "secret "), AUTH_DENIED);
	ck_assert_int_eq(check(af, "sha512", "secret"), AUTH_OK);
	ck_assert_int_eq(check(af, "sha512", "hunter2"), AUTH_DENIED);
	ck_assert_int_eq(check(af, "jos\xc3\xa9", "p\xc3\xa4ssw\xc3\xb6rd"),
	    AUTH_OK);
	ck_assert_int_eq(check(af, "jos\xc3\xa9", "passwort"), AUTH_DENIED);
	auth_file_free(af);
}
END_TEST

/* No credentials, or not Basic ones: ask for them, at no crypt. */
static const char *const missing_values[] = {
	"",
	"Bearer abc.def.ghi",
	"Digest username=\"alice\"",
	"Basic",
	"Basic !!!!",
	"Basic YWxpY2U=",		/* "alice": no colon */
	"Basic YWxpY2U6cHc",		/* "alice:pw", unpadded */
	"Basic YWxpY2U6cAFx",		/* "alice:p\x01q" */
	"BasicYWxpY2U6cHc=",
};

START_TEST(test_missing)
{
	struct auth_file	*af;
	char			 h[256], text[512];
	unsigned long		 n;
	size_t			 i;

	make_hash("$2b$", 5, "pw", h, sizeof(h));
	snprintf(text, sizeof(text), "alice:%s\n", h);
	af = load(put("missing", text));
	n = auth_crypt_calls();
	ck_assert_int_eq(auth_check(af, NULL, 0), AUTH_MISSING);
	for (i = 0; i < UTIL_ARRAY_LEN(missing_values); i++)
		ck_assert_msg(auth_check(af, missing_values[i],
		    strlen(missing_values[i])) == AUTH_MISSING, "\"%s\"",
		    missing_values[i]);
	ck_assert_uint_eq(auth_crypt_calls(), n);
	ck_assert_int_eq(auth_check(af, "basic YWxpY2U6cHc=", 18), AUTH_OK);
	auth_file_free(af);
}
END_TEST

/*
 * A reload makes a new auth_file: the old password no longer passes,
 * the new one does, and even an unchanged line is verified afresh.
 */
START_TEST(test_reload)
{
	struct auth_file	*old, *af, *again;
	char			 h[256], text[512];
	const char		*path;
	unsigned long		 n;

	make_hash("$2b$", 5, "first", h, sizeof(h));
	snprintf(text, sizeof(text), "alice:%s\n", h);
	path = put("reload", text);
	old = load(path);
	ck_assert_int_eq(check(old, "alice", "first"), AUTH_OK);

	make_hash("$2b$", 5, "second", h, sizeof(h));
	snprintf(text, sizeof(text), "alice:%s\n", h);
	put("reload", text);
	af = load(path);
	n = auth_crypt_calls();
	ck_assert_int_eq(check(af, "alice", "first"), AUTH_DENIED);
	ck_assert_int_eq(check(af, "alice", "first"), AUTH_DENIED);
	ck_assert_uint_eq(auth_crypt_calls(), n + 2);
	ck_assert_int_eq(check(af, "alice", "second"), AUTH_OK);
	ck_assert_int_eq(check(af, "alice", "second"), AUTH_OK);
	ck_assert_uint_eq(auth_crypt_calls(), n + 3);
	auth_file_free(old);

	again = load(path);
	ck_assert_int_eq(check(again, "alice", "second"), AUTH_OK);
	ck_assert_uint_eq(auth_crypt_calls(), n + 4);
	ck_assert_int_eq(check(again, "alice", "first"), AUTH_DENIED);
	auth_file_free(again);
	auth_file_free(af);
}
END_TEST

/*
 * Users that share a password, or a slot: the cache answers only for
 * the very user, password and hash it verified.
 */
START_TEST(test_cache_is_exact)
{
	struct auth_file	*af;
	char			 h[256], text[64 * 1024], user[32];
	size_t			 n = 0, i, users = 2 * AUTH_CACHE_SLOTS;
	unsigned long		 calls;

	/* One hash for all: crypt runs, and only the user differs. */
	make_hash("$5$", 1000, "shared", h, sizeof(h));
	for (i = 0; i < users; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "u%zu:%s\n", i, h);
	ck_assert_uint_lt(n, sizeof(text) - 1);
	af = load(put("many", text));
	for (i = 0; i < users; i++) {
		snprintf(user, sizeof(user), "u%zu", i);
		ck_assert_int_eq(check(af, user, "shared"), AUTH_OK);
	}
	/* Every slot taken, some twice: still only exact answers. */
	calls = auth_crypt_calls();
	for (i = 0; i < users; i++) {
		snprintf(user, sizeof(user), "u%zu", i);
		ck_assert_int_eq(check(af, user, "Shared"), AUTH_DENIED);
		ck_assert_int_eq(check(af, user, "shared"), AUTH_OK);
	}
	ck_assert_uint_ge(auth_crypt_calls(), calls + users);
	ck_assert_int_eq(check(af, "u", "shared"), AUTH_DENIED);
	auth_file_free(af);
}
END_TEST

/* What auth_file_load refuses, and the messages it gives. */
START_TEST(test_load_errors)
{
	char	err[512], p[512];
	int	fd;

	snprintf(p, sizeof(p), "%s/absent", dir);
	ck_assert_ptr_null(auth_file_load(p, err, sizeof(err)));
	ck_assert_msg(strstr(err, ": No such file or directory") != NULL,
	    "%s", err);
	ck_assert_int_eq(strncmp(err, p, strlen(p)), 0);

	ck_assert_ptr_null(auth_file_load(dir, err, sizeof(err)));
	ck_assert_str_eq(strchr(err, ':') + 2, "not a regular file");

	/* A FIFO is refused without waiting for a writer. */
	snprintf(p, sizeof(p), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	ck_assert_ptr_null(auth_file_load(p, err, sizeof(err)));
	ck_assert_str_eq(strrchr(err, ':') + 2, "not a regular file");

	snprintf(p, sizeof(p), "%s/huge", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(ftruncate(fd, AUTH_FILE_MAX + 1), 0);
	close(fd);
	ck_assert_ptr_null(auth_file_load(p, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ": larger than 4194304 bytes"));

	util_strlcpy(p, put("weak", "alice:$2y$05$WDJ9V/Mb/wBqL8XxEDdwJuoOxOs"
	    "WA4POSh3YsXKx8TwGcb7qb/vU2\nbob:$apr1$saltsalt$LrttParrLPdxvgutaS"
	    "XWJ0\n"), sizeof(p));
	ck_assert_ptr_null(auth_file_load(p, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ": line 2: Apache MD5"));
	ck_assert_int_eq(strncmp(err, p, strlen(p)), 0);

	/* The error is cut to errsz. */
	ck_assert_ptr_null(auth_file_load(p, err, 4));
	ck_assert_uint_eq(strlen(err), 3);
}
END_TEST

/* A file of exactly AUTH_FILE_MAX bytes is read whole. */
START_TEST(test_load_at_limit)
{
	struct auth_file	*af;
	char			 p[512], *text;
	const char		*line = "legacy:$2y$05$WDJ9V/Mb/wBqL8Xx"
	    "EDdwJuoOxOsWA4POSh3YsXKx8TwGcb7qb/vU2\n";
	size_t			 len = strlen(line);
	FILE			*fp;

	text = malloc(AUTH_FILE_MAX);
	ck_assert_ptr_nonnull(text);
	memset(text, 'x', AUTH_FILE_MAX);
	text[0] = '#';
	text[AUTH_FILE_MAX - len - 1] = '\n';
	memcpy(text + AUTH_FILE_MAX - len, line, len);
	snprintf(p, sizeof(p), "%s/limit", dir);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, AUTH_FILE_MAX, fp), AUTH_FILE_MAX);
	ck_assert_int_eq(fclose(fp), 0);
	free(text);
	af = load(p);
	ck_assert_int_eq(check(af, "legacy", "hunter2"), AUTH_OK);
	auth_file_free(af);
}
END_TEST

/* A file without users loads, and lets nobody in, at no crypt. */
START_TEST(test_empty_file)
{
	struct auth_file	*af;
	unsigned long		 n;

	af = load(put("empty", "# nobody yet\n"));
	n = auth_crypt_calls();
	ck_assert_int_eq(check(af, "alice", "pw"), AUTH_DENIED);
	ck_assert_uint_eq(auth_crypt_calls(), n);
	auth_file_free(af);
	auth_file_free(NULL);
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc;

	tc = tcase_create("check");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_schemes, 0, (int)UTIL_ARRAY_LEN(schemes));
	tcase_add_test(tc, test_tool_lines);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_cache_is_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_load_at_limit);
	tcase_add_test(tc, test_empty_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(auth_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
