/*
 * check_fcache: the open-file cache must never serve a stale file: a
 * rewrite, a rename over the file, a chmod or a removal is noticed on the
 * next lookup; an entry in use is never replaced under its user.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/fcache.h"

static char		 dir[64];
static int		 rootfd = -1;
static struct resolve_opts opts;
static char *const	 index_names[] = { "index.html" };

static void
put(const char *name, const char *text)
{
	char	p[256];
	FILE	*fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/*
 * Only files that have not changed for a while are cached (fcache.c);
 * this moves a file's modification time an hour back.  Its change time
 * stays "now", so the test waits until that has settled too.
 */
static void
age(const char *name)
{
	struct timespec	t[2];
	char		p[256];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 3600;
	t[1] = t[0];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	ck_assert_int_eq(utimensat(AT_FDCWD, p, t, 0), 0);
}

static void
settle(void)
{
	sleep(FCACHE_SETTLE_SECS + 1);
}

static void
setup(void)
{
	char	p[256];

	snprintf(dir, sizeof(dir), "/tmp/check_fcache.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/sub", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	put("a.txt", "first\n");
	put("sub/index.html", "<p>sub</p>\n");
	age("a.txt");
	age("sub/index.html");
	settle();
	rootfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(rootfd, 0);
	memset(&opts, 0, sizeof(opts));
	opts.rootfd = rootfd;
	opts.index = index_names;
	opts.nindex = 1;
}

static void
teardown(void)
{
	char	cmd[128];

	close(rootfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Looks path up and returns the bytes it would serve (static buffer). */
static const char *
body(struct fcache *fc, const char *path, struct fcache_entry **ep)
{
	static char		buf[256];
	struct resolve_result	res;
	enum resolve_kind	k;
	ssize_t			n;

	k = fcache_get(fc, &opts, path, ep, &res);
	if (k != RESOLVE_FILE)
		return NULL;
	if (*ep != NULL) {
		ck_assert_ptr_nonnull((*ep)->data);
		memcpy(buf, (*ep)->data, (size_t)(*ep)->st.st_size);
		buf[(*ep)->st.st_size] = '\0';
	} else {
		n = pread(res.fd, buf, sizeof(buf) - 1, 0);
		buf[n < 0 ? 0 : n] = '\0';
		close(res.fd);
	}
	return buf;
}

START_TEST(test_hit_and_rewrite)
{
	struct fcache		 fc;
	struct fcache_entry	*e1, *e2;

	fcache_init(&fc);
	ck_assert_str_eq(body(&fc, "/a.txt", &e1), "first\n");
	ck_assert_ptr_nonnull(e1);
	fcache_release(e1);
	ck_assert_str_eq(body(&fc, "/a.txt", &e2), "first\n");
	ck_assert_ptr_eq(e1, e2);	/* served from the cache */
	fcache_release(e2);
	/* Same size, new bytes: the times differ, so it is noticed. */
	put("a.txt", "again\n");
	ck_assert_str_eq(body(&fc, "/a.txt", &e2), "again\n");
	/* Just written: served, but not cached (it may change again
	 * within the same clock tick, unnoticed). */
	ck_assert_ptr_null(e2);
	put("a.txt", "third\n");
	ck_assert_str_eq(body(&fc, "/a.txt", &e2), "third\n");
	ck_assert_ptr_null(e2);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_rename_over_and_remove)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	char			 a[256], b[256];
	struct resolve_result	 res;

	fcache_init(&fc);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	fcache_release(e);
	put("b.txt", "replacement\n");
	snprintf(a, sizeof(a), "%s/a.txt", dir);
	snprintf(b, sizeof(b), "%s/b.txt", dir);
	ck_assert_int_eq(rename(b, a), 0);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "replacement\n");
	fcache_release(e);
	ck_assert_int_eq(unlink(a), 0);
	ck_assert_int_eq(fcache_get(&fc, &opts, "/a.txt", &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_index_and_etag)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	fcache_init(&fc);
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_str_eq(e->index, "index.html");
	ck_assert_str_eq(e->rel, "sub/index.html");
	ck_assert(e->etag[0] == '"');
	ck_assert_uint_eq(strlen(e->lastmod), HTTPDATE_LEN);
	fcache_release(e);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_busy_entry_not_replaced)
{
	struct fcache		 fc;
	struct fcache_entry	*held, *e;
	const char		*b;

	fcache_init(&fc);
	ck_assert_str_eq(body(&fc, "/a.txt", &held), "first\n");
	/* A connection still sends "held"; the file changes meanwhile. */
	put("a.txt", "second version\n");
	age("a.txt");
	settle();
	b = body(&fc, "/a.txt", &e);
	ck_assert_str_eq(b, "second version\n");
	ck_assert_ptr_null(e);			/* served uncached */
	ck_assert_int_eq(memcmp(held->data, "first\n", 6), 0);
	fcache_release(held);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "second version\n");
	ck_assert_ptr_eq(e, held);		/* now the slot is refilled */
	fcache_release(e);
	fcache_free(&fc);
}
END_TEST

/*
 * A cached file whose directory is moved out of the root and replaced by
 * a symlink to its new place: the file itself is unchanged, but the path
 * no longer resolves inside the root, so it must not be served.
 */
START_TEST(test_directory_swapped_for_symlink)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	struct resolve_result	 res;
	char			 from[256], to[256];

	fcache_init(&fc);
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_ptr_nonnull(e);		/* cached */
	fcache_release(e);
	snprintf(from, sizeof(from), "%s/sub", dir);
	snprintf(to, sizeof(to), "%s-outside", dir);
	ck_assert_int_eq(rename(from, to), 0);
	ck_assert_int_eq(symlink(to, from), 0);
	ck_assert_int_eq(fcache_get(&fc, &opts, "/sub/", &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	unlink(from);
	rename(to, from);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_long_path_uncached)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	struct resolve_result	 res;
	char			 path[FCACHE_KEY_MAX + 16];

	fcache_init(&fc);
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	ck_assert_int_eq(fcache_get(&fc, &opts, path, &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("fcache");
	TCase	*tc = tcase_create("fcache");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	/* Each set-up waits for file times to settle (about 2 s). */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_hit_and_rewrite);
	tcase_add_test(tc, test_rename_over_and_remove);
	tcase_add_test(tc, test_index_and_etag);
	tcase_add_test(tc, test_busy_entry_not_replaced);
	tcase_add_test(tc, test_directory_swapped_for_symlink);
	tcase_add_test(tc, test_long_path_uncached);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
