/*
 * check_fcache: the open-file cache must never serve a stale file: a
 * rewrite, a rename over the file, a chmod, a removal or a directory
 * swapped on the way is noticed on the next lookup; an entry that goes
 * stale is closed at once, or when the response using it lets go.
 *
 * Most tests run twice (the loop index _i): 0 checks every hit with
 * fstatat (no inotify instance), 1 with inotify watches.  Between a change
 * and the next lookup, loop() does what the worker's event loop does
 * before it reads a request: it applies the pending events.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/fcache.h"

#define POOL		64		/* document roots made in advance */
#define BIG		(64 * 1024)	/* larger than FCACHE_SMALL */
#define WATCHED		1		/* _i of the inotify runs */

static char		 pool[64];	/* one root per test, all settled */
static char		 dir[128];	/* this test's root */
static int		 rootfd = -1;
static struct resolve_opts opts;
static char *const	 index_names[] = { "index.html", "index.htm" };

static void
put_in(const char *top, const char *name, const char *text)
{
	char	p[256];
	FILE	*fp;

	snprintf(p, sizeof(p), "%s/%s", top, name);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
put(const char *name, const char *text)
{
	put_in(dir, name, text);
}

/* name with its modification time an hour back. */
static void
age_in(const char *top, const char *name)
{
	struct timespec	t[2];
	char		p[256];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 3600;
	t[1] = t[0];
	snprintf(p, sizeof(p), "%s/%s", top, name);
	ck_assert_int_eq(utimensat(AT_FDCWD, p, t, 0), 0);
}

static void
path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

/*
 * Only files unchanged for FCACHE_SETTLE_SECS are cached (fcache.c), and
 * a file's change time cannot be set back: so every root is made here,
 * once, and the suite waits for them all to settle together.
 */
static void
make_pool(void)
{
	char	top[128], big[BIG + 1];
	int	i;

	snprintf(pool, sizeof(pool), "/tmp/check_fcache.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(pool));
	memset(big, 'A', BIG);
	big[BIG] = '\0';
	for (i = 0; i < POOL; i++) {
		snprintf(top, sizeof(top), "%s/%d", pool, i);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		put_in(top, "a.txt", "first\n");
		put_in(top, "big.bin", big);
		snprintf(top, sizeof(top), "%s/%d/sub", pool, i);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		put_in(top, "index.html", "<p>sub</p>\n");
		snprintf(top, sizeof(top), "%s/%d/idx", pool, i);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		put_in(top, "index.htm", "<p>htm</p>\n");
		/* Directories to list: "list", and "l2", "l3" (LRU). */
		snprintf(top, sizeof(top), "%s/%d/list", pool, i);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		put_in(top, "one.txt", "1\n");
		put_in(top, "two.txt", "22\n");
		put_in(top, ".dot", "x\n");
		snprintf(top, sizeof(top), "%s/%d/l2", pool, i);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		put_in(top, "in-l2.txt", "2\n");
		snprintf(top, sizeof(top), "%s/%d/l3", pool, i);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		put_in(top, "in-l3.txt", "3\n");
		snprintf(top, sizeof(top), "%s/%d", pool, i);
		age_in(top, "list/one.txt");
		age_in(top, "list/two.txt");
		age_in(top, "a.txt");
		age_in(top, "big.bin");
		age_in(top, "sub/index.html");
		age_in(top, "idx/index.htm");
	}
	sleep(FCACHE_SETTLE_SECS + 1);
}

static void
remove_pool(void)
{
	char	cmd[sizeof(pool) * 2 + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s-*", pool, pool);
	ck_assert_int_eq(system(cmd), 0);
}

/* Takes the first root of the pool no test has taken. */
static void
setup(void)
{
	char	mark[128];
	int	i;

	for (i = 0; i < POOL; i++) {
		snprintf(mark, sizeof(mark), "%s/%d.taken", pool, i);
		if (mkdir(mark, 0700) == 0)
			break;
	}
	ck_assert_int_lt(i, POOL);
	snprintf(dir, sizeof(dir), "%s/%d", pool, i);
	rootfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(rootfd, 0);
	memset(&opts, 0, sizeof(opts));
	opts.rootfd = rootfd;
	opts.index = index_names;
	opts.nindex = 2;
}

static void
teardown(void)
{
	close(rootfd);
}

/* A cache that checks by fstatat (mode 0) or by inotify (WATCHED). */
static void
start(struct fcache *fc, int mode)
{
	fcache_init(fc);
	if (mode == WATCHED) {
		ck_assert_int_ge(fcache_fd(fc), 0);
		fc->test_anyfs = 1;	/* whatever /tmp is */
	} else {
		if (fcache_fd(fc) != -1)
			close(fcache_fd(fc));
		fc->ifd = -1;
	}
}

/* What the worker's loop does before it reads the next request. */
static void
loop(struct fcache *fc, int mode)
{
	if (mode == WATCHED)
		fcache_events(fc);
}

/* Looks path up and returns the bytes it would serve (static buffer). */
static const char *
body(struct fcache *fc, const char *p, struct fcache_entry **ep)
{
	static char		buf[256];
	struct resolve_result	res;
	ssize_t			n;

	if (fcache_get(fc, &opts, p, ep, &res) != RESOLVE_FILE)
		return NULL;
	if (*ep != NULL && (*ep)->data != NULL) {
		n = (*ep)->st.st_size < (off_t)sizeof(buf) - 1 ?
		    (ssize_t)(*ep)->st.st_size : (ssize_t)sizeof(buf) - 1;
		memcpy(buf, (*ep)->data, (size_t)n);
	} else if (*ep != NULL) {
		n = pread((*ep)->fd, buf, sizeof(buf) - 1, 0);
	} else {
		n = pread(res.fd, buf, sizeof(buf) - 1, 0);
		close(res.fd);
	}
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* fd no longer open on inode ino. */
static int
closed(int fd, ino_t ino)
{
	struct stat	st;

	if (fstat(fd, &st) == -1)
		return errno == EBADF;
	return st.st_ino != ino;
}

static const char *
big_prefix(char c)
{
	static char	buf[256];

	memset(buf, c, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	return buf;
}

START_TEST(test_hit)
{
	struct fcache		 fc;
	struct fcache_entry	*e1, *e2;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e1), "first\n");
	ck_assert_ptr_nonnull(e1);
	fcache_release(e1);
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e2), "first\n");
	ck_assert_ptr_eq(e1, e2);	/* served from the cache */
	/* A watched hit costs no fstatat. */
	ck_assert_uint_eq(fc.nstat, _i == WATCHED ? 0 : 1);
	ck_assert_uint_eq(e2->nlinks > 0, _i == WATCHED);
	fcache_release(e2);
	fcache_free(&fc);
}
END_TEST

/* Same size, same directory entry, new bytes. */
START_TEST(test_rewrite_in_place)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_nonnull(e);
	fcache_release(e);
	put("a.txt", "again\n");
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "again\n");
	/* Just written: served, but not cached (it may change again
	 * within the same clock tick, unnoticed). */
	ck_assert_ptr_null(e);
	put("a.txt", "third\n");
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "third\n");
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

/*
 * A change within the same second that even puts the modification time
 * back: the change time (checked) or the write event (watched) tells.
 */
START_TEST(test_change_within_second)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	struct stat		 st;
	struct timespec		 t[2];
	char			 p[256];

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_nonnull(e);
	st = e->st;
	fcache_release(e);
	put("a.txt", "FIRST\n");
	t[0] = st.st_atim;
	t[1] = st.st_mtim;
	path(p, sizeof(p), "a.txt");
	ck_assert_int_eq(utimensat(AT_FDCWD, p, t, 0), 0);
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "FIRST\n");
	ck_assert_ptr_null(e);
	/* A new file, rewritten twice within a second: never cached. */
	put("new.txt", "one\n");
	ck_assert_str_eq(body(&fc, "/new.txt", &e), "one\n");
	ck_assert_ptr_null(e);
	put("new.txt", "two\n");
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/new.txt", &e), "two\n");
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_rename_over)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	char			 a[256], b[256];

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_nonnull(e);
	fcache_release(e);
	put("b.txt", "replacement\n");
	path(a, sizeof(a), "a.txt");
	path(b, sizeof(b), "b.txt");
	ck_assert_int_eq(rename(b, a), 0);
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "replacement\n");
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

/* A deleted file is closed: by its event, or by the lookup (a 404). */
START_TEST(test_delete_closes)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	struct resolve_result	 res;
	char			 p[256];
	ino_t			 ino;
	int			 fd;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/big.bin", &e), big_prefix('A'));
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_null(e->data);	/* too big: served from its fd */
	fd = e->fd;
	ino = e->st.st_ino;
	fcache_release(e);
	ck_assert(!closed(fd, ino));
	path(p, sizeof(p), "big.bin");
	ck_assert_int_eq(unlink(p), 0);
	loop(&fc, _i);
	if (_i == WATCHED) {
		/* Before anyone asks for it again. */
		ck_assert(closed(fd, ino));
		ck_assert_uint_eq(fc.nwatch, 0);
	}
	ck_assert_int_eq(fcache_get(&fc, &opts, "/big.bin", &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	ck_assert(closed(fd, ino));
	fcache_free(&fc);
}
END_TEST

/* Deleted while a response sends it: closed when that response ends. */
START_TEST(test_delete_while_busy)
{
	struct fcache		 fc;
	struct fcache_entry	*held, *e;
	struct resolve_result	 res;
	char			 p[256], buf[16];
	ino_t			 ino;
	int			 fd;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/big.bin", &held), big_prefix('A'));
	ck_assert_ptr_nonnull(held);
	fd = held->fd;
	ino = held->st.st_ino;
	path(p, sizeof(p), "big.bin");
	ck_assert_int_eq(unlink(p), 0);
	loop(&fc, _i);
	ck_assert_int_eq(fcache_get(&fc, &opts, "/big.bin", &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	/* The response still has its file, to the last byte. */
	ck_assert(!closed(fd, ino));
	ck_assert_int_eq(pread(held->fd, buf, 1, BIG - 1), 1);
	ck_assert_int_eq(buf[0], 'A');
	ck_assert_int_eq(held->fd, fd);
	fcache_release(held);
	ck_assert(closed(fd, ino));
	fcache_free(&fc);
}
END_TEST

/*
 * A file in memory is rewritten while a response uses it: the next
 * request gets the new bytes at once, the response keeps the old ones,
 * and its release frees them.
 */
START_TEST(test_busy_entry_invalidated)
{
	struct fcache		 fc;
	struct fcache_entry	*held, *e;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &held), "first\n");
	ck_assert_ptr_nonnull(held->data);
	ck_assert_uint_eq(fc.mem, 6);
	put("a.txt", "second version\n");
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "second version\n");
	ck_assert_ptr_null(e);			/* too new to cache */
	ck_assert_int_eq(memcmp(held->data, "first\n", 6), 0);
	ck_assert_int_eq(held->st.st_size, 6);
	ck_assert_uint_eq(fc.mem, 6);		/* still held */
	fcache_release(held);
	ck_assert_uint_eq(fc.mem, 0);		/* freed by the release */
	ck_assert_ptr_null(fc.retired);
	fcache_free(&fc);
}
END_TEST

/* An entry still busy when the cache is freed is freed by its release. */
START_TEST(test_free_while_busy)
{
	struct fcache		 fc;
	struct fcache_entry	*held;
	ino_t			 ino;
	int			 fd;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/big.bin", &held), big_prefix('A'));
	ck_assert_ptr_nonnull(held);
	fd = held->fd;
	ino = held->st.st_ino;
	fcache_free(&fc);
	ck_assert(!closed(fd, ino));
	fcache_release(held);
	ck_assert(closed(fd, ino));
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

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_ptr_nonnull(e);		/* cached */
	fcache_release(e);
	path(from, sizeof(from), "sub");
	snprintf(to, sizeof(to), "%s-outside-%d", pool, _i);
	ck_assert_int_eq(rename(from, to), 0);
	ck_assert_int_eq(symlink(to, from), 0);
	loop(&fc, _i);
	ck_assert_int_eq(fcache_get(&fc, &opts, "/sub/", &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	ck_assert_uint_eq(fc.nwatch, 0);
	fcache_free(&fc);
}
END_TEST

/* The same, with a real directory of the same shape put in its place. */
START_TEST(test_directory_replaced)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	char			 from[256], to[256];

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/sub/index.html", &e), "<p>sub</p>\n");
	ck_assert_ptr_nonnull(e);
	fcache_release(e);
	path(from, sizeof(from), "sub");
	path(to, sizeof(to), "sub.old");
	ck_assert_int_eq(rename(from, to), 0);
	ck_assert_int_eq(mkdir(from, 0755), 0);
	put("sub/index.html", "<p>new</p>\n");
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/sub/index.html", &e), "<p>new</p>\n");
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

/* An index name earlier in the list appears: it wins at once. */
START_TEST(test_earlier_index_appears)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/idx/", &e), "<p>htm</p>\n");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->index, "index.htm");
	fcache_release(e);
	put("idx/index.html", "<p>html</p>\n");
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/idx/", &e), "<p>html</p>\n");
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_index_and_etag)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->index, "index.html");
	ck_assert_str_eq(e->rel, "sub/index.html");
	ck_assert(e->etag[0] == '"');
	ck_assert_uint_eq(strlen(e->lastmod), HTTPDATE_LEN);
	fcache_release(e);
	fcache_free(&fc);
}
END_TEST

START_TEST(test_long_path_uncached)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	struct resolve_result	 res;
	char			 p[FCACHE_KEY_MAX + 16];

	start(&fc, _i);
	memset(p, 'x', sizeof(p) - 1);
	p[0] = '/';
	p[sizeof(p) - 1] = '\0';
	ck_assert_int_eq(fcache_get(&fc, &opts, p, &e, &res),
	    RESOLVE_NOT_FOUND);
	ck_assert_ptr_null(e);
	fcache_free(&fc);
}
END_TEST

/*
 * Watches run out after _i more (the root, sub, then the file): the
 * entry is still cached, checked by fstatat, and what it had taken is
 * given back.  Once watches are to be had again, new entries use them.
 */
START_TEST(test_watches_exhausted)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, WATCHED);
	fc.test_watches = _i;
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->nlinks, 0);
	ck_assert_uint_eq(fc.nwatch, 0);
	fcache_release(e);
	fcache_events(&fc);
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_uint_eq(fc.nstat, 1);
	fcache_release(e);
	/* No event is looked at for it: the fstatat sees the change. */
	put("sub/index.html", "<p>SUB</p>\n");
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>SUB</p>\n");
	ck_assert_ptr_null(e);
	fc.test_watches = -1;
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_uint_gt(e->nlinks, 0);
	ck_assert_uint_eq(fc.nwatch, 2);	/* the root and a.txt */
	fcache_release(e);
	fcache_free(&fc);
}
END_TEST

/* Entries not watched are checked now and then, asked for or not. */
START_TEST(test_sweep_closes_deleted)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	char			 p[256];
	ino_t			 ino;
	int			 fd;

	start(&fc, WATCHED);
	fc.test_watches = _i;		/* 0: none at all; 1: root only */
	ck_assert_str_eq(body(&fc, "/big.bin", &e), big_prefix('A'));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->nlinks, 0);
	fd = e->fd;
	ino = e->st.st_ino;
	fcache_release(e);
	path(p, sizeof(p), "big.bin");
	ck_assert_int_eq(unlink(p), 0);
	fcache_events(&fc);
	ck_assert(closed(fd, ino));
	fcache_free(&fc);
}
END_TEST

/*
 * Watches are shared and precise: a change elsewhere in a watched
 * directory leaves its entries alone; a change to a file retires every
 * entry that serves it, and only those.
 */
START_TEST(test_watches_shared)
{
	struct fcache		 fc;
	struct fcache_entry	*a, *s, *si, *e;
	char			 p[256];

	start(&fc, WATCHED);
	ck_assert_ptr_nonnull(body(&fc, "/a.txt", &a));
	ck_assert_ptr_nonnull(body(&fc, "/sub/", &s));
	ck_assert_ptr_nonnull(body(&fc, "/sub/index.html", &si));
	ck_assert(a != NULL && s != NULL && si != NULL);
	fcache_release(si);
	/* The root, sub, a.txt and sub/index.html. */
	ck_assert_uint_eq(fc.nwatch, 4);
	/* Held meanwhile, so that a retired entry would show. */
	put("other.txt", "x\n");
	put("sub/other.txt", "x\n");
	path(p, sizeof(p), "other.txt");
	ck_assert_int_eq(unlink(p), 0);
	fcache_events(&fc);
	ck_assert_ptr_null(fc.retired);
	fcache_release(a);
	fcache_release(s);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_eq(e, a);
	fcache_release(e);
	ck_assert_str_eq(body(&fc, "/sub/", &e), "<p>sub</p>\n");
	ck_assert_ptr_eq(e, s);
	fcache_release(e);
	ck_assert_uint_eq(fc.nstat, 0);
	put("sub/index.html", "<p>SUB</p>\n");
	fcache_events(&fc);
	ck_assert_uint_eq(fc.nwatch, 2);	/* the root and a.txt */
	ck_assert_str_eq(body(&fc, "/sub/index.html", &e), "<p>SUB</p>\n");
	ck_assert_ptr_null(e);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_eq(e, a);
	fcache_release(e);
	fcache_free(&fc);
}
END_TEST

/* A chmod that makes the file unreadable is noticed like a rewrite. */
START_TEST(test_chmod)
{
	struct fcache		 fc;
	struct fcache_entry	*e;
	char			 p[256];

	start(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_nonnull(e);
	fcache_release(e);
	path(p, sizeof(p), "a.txt");
	ck_assert_int_eq(chmod(p, 0600), 0);
	loop(&fc, _i);
	ck_assert_str_eq(body(&fc, "/a.txt", &e), "first\n");
	ck_assert_ptr_null(e);		/* looked up afresh */
	fcache_free(&fc);
}
END_TEST

/*
 * The body of the listing of p with o (static buffer), its entry in *ep
 * (busy), or NULL when p is not a listing.
 */
static const char *
list_of(struct fcache *fc, const struct resolve_opts *o, const char *p,
    struct fcache_entry **ep)
{
	static char		buf[4096];
	struct fcache_entry	*fe;
	struct resolve_result	res;

	*ep = NULL;
	if (fcache_get(fc, o, p, &fe, &res) != RESOLVE_LISTING)
		return NULL;
	ck_assert_ptr_null(fe);
	ck_assert_int_eq(fcache_listing(fc, o, &res, ep), 0);
	ck_assert_int_eq(res.fd, -1);
	ck_assert_ptr_nonnull(*ep);
	ck_assert((*ep)->listing);
	ck_assert_uint_eq(strlen((*ep)->data), (*ep)->len);
	snprintf(buf, sizeof(buf), "%s", (*ep)->data);
	return buf;
}

/* Lists "/list/" and lets go of it; returns the entry (maybe freed). */
static struct fcache_entry *
list_once(struct fcache *fc, const char *want, const char *not)
{
	struct fcache_entry	*e;
	const char		*b;

	b = list_of(fc, &opts, "/list/", &e);
	ck_assert_ptr_nonnull(b);
	if (want != NULL)
		ck_assert_msg(strstr(b, want) != NULL, "no %s in %s", want, b);
	if (not != NULL)
		ck_assert_msg(strstr(b, not) == NULL, "%s in %s", not, b);
	fcache_release(e);
	return e;
}

/* A listing asked for again is the one kept: the directory is read once. */
START_TEST(test_listing_kept)
{
	struct fcache		 fc;
	struct fcache_entry	*e1, *e2;

	start(&fc, _i);
	opts.autoindex = 1;
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e1));
	ck_assert_ptr_nonnull(strstr(e1->data, ">one.txt<"));
	ck_assert_ptr_null(strstr(e1->data, ".dot"));
	ck_assert_uint_eq(e1->nlinks > 0, _i == WATCHED);
	fcache_release(e1);
	loop(&fc, _i);
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e2));
	ck_assert_ptr_eq(e1, e2);
	ck_assert_uint_eq(fc.nlisted, 1);
	ck_assert_uint_eq(fc.lmem, sizeof(*e2) + e2->len);
	/* Only the directory listed is watched, besides nothing. */
	ck_assert_uint_eq(fc.nwatch, _i == WATCHED ? 1 : 0);
	fcache_release(e2);
	fcache_free(&fc);
	ck_assert_uint_eq(fc.lmem, 0);
}
END_TEST

/* A name created, renamed or deleted shows in the very next listing. */
START_TEST(test_listing_names_change)
{
	struct fcache		 fc;
	char			 a[256], b[256];

	start(&fc, _i);
	opts.autoindex = 1;
	list_once(&fc, ">one.txt<", ">new.txt<");
	put("list/new.txt", "n\n");
	loop(&fc, _i);
	list_once(&fc, ">new.txt<", NULL);
	ck_assert_uint_eq(fc.nlisted, 2);
	path(a, sizeof(a), "list/new.txt");
	path(b, sizeof(b), "list/renamed.txt");
	ck_assert_int_eq(rename(a, b), 0);
	loop(&fc, _i);
	list_once(&fc, ">renamed.txt<", ">new.txt<");
	ck_assert_int_eq(unlink(b), 0);
	loop(&fc, _i);
	list_once(&fc, ">one.txt<", ">renamed.txt<");
	ck_assert_uint_eq(fc.nlisted, 4);
	fcache_free(&fc);
}
END_TEST

/*
 * A file listed is written (its size changes, the directory's stat does
 * not): the watch tells at once; without one, the listing is made again
 * once FCACHE_LIST_SECS have passed (its time is set back here).
 */
START_TEST(test_listing_file_written)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, _i);
	opts.autoindex = 1;
	e = list_once(&fc, "<td>3</td>", "<td>15</td>");
	put("list/two.txt", "fifteen bytes!\n");
	loop(&fc, _i);
	if (_i != WATCHED) {
		/* Kept (not freed): its directory did not change. */
		ck_assert(e->cached);
		ck_assert_ptr_eq(list_once(&fc, "<td>3</td>", NULL), e);
		e->made.tv_sec -= FCACHE_LIST_SECS + 1;
	}
	list_once(&fc, "<td>15</td>", "<td>3</td>");
	ck_assert_uint_eq(fc.nlisted, 2);
	fcache_free(&fc);
}
END_TEST

/*
 * A directory just changed, without a watch, is listed but not kept: a
 * change within the same clock tick would leave its stat as it was.
 */
START_TEST(test_listing_unsettled_not_kept)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, 0);
	opts.autoindex = 1;
	put("list/new.txt", "n\n");
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e));
	ck_assert(!e->cached);
	ck_assert_ptr_eq(fc.retired, e);
	ck_assert_uint_eq(fc.lmem, 0);
	fcache_release(e);
	ck_assert_ptr_null(fc.retired);
	fcache_free(&fc);
}
END_TEST

/*
 * The dotfiles setting is part of the key: two scopes that differ in it
 * never share a listing of the same directory; two that do not, share.
 */
START_TEST(test_listing_dotfiles_key)
{
	struct fcache		 fc;
	struct fcache_entry	*plain, *dots, *other;
	struct resolve_opts	 withdots, same;

	start(&fc, _i);
	opts.autoindex = 1;
	withdots = opts;
	withdots.dotfiles = 1;
	same = opts;
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &plain));
	ck_assert_ptr_null(strstr(plain->data, ">.dot<"));
	ck_assert_ptr_nonnull(list_of(&fc, &withdots, "/list/", &dots));
	ck_assert_ptr_nonnull(strstr(dots->data, ">.dot<"));
	ck_assert_ptr_ne(plain, dots);
	fcache_release(dots);
	ck_assert_ptr_nonnull(list_of(&fc, &same, "/list/", &other));
	ck_assert_ptr_eq(other, plain);
	fcache_release(other);
	fcache_release(plain);
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &plain));
	ck_assert_ptr_null(strstr(plain->data, ">.dot<"));
	fcache_release(plain);
	ck_assert_uint_eq(fc.nlisted, 2);
	fcache_free(&fc);
}
END_TEST

/* A listing being sent keeps its body when a change retires it. */
START_TEST(test_listing_busy_retired)
{
	struct fcache		 fc;
	struct fcache_entry	*held, *e;

	start(&fc, _i);
	opts.autoindex = 1;
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &held));
	put("list/new.txt", "n\n");
	loop(&fc, _i);
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e));
	ck_assert_ptr_ne(e, held);
	ck_assert_ptr_nonnull(strstr(e->data, ">new.txt<"));
	ck_assert(held->retired);
	ck_assert_ptr_null(strstr(held->data, ">new.txt<"));
	ck_assert_ptr_nonnull(strstr(held->data, ">one.txt<"));
	fcache_release(held);
	fcache_release(e);
	ck_assert_ptr_null(fc.retired);
	fcache_free(&fc);
}
END_TEST

/*
 * Kept listings stay within their memory budget: the least recently
 * used goes first.
 */
START_TEST(test_listing_lru)
{
	struct fcache		 fc;
	struct fcache_entry	*e, *l2, *l3;
	size_t			 cost;

	start(&fc, _i);
	opts.autoindex = 1;
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e));
	cost = sizeof(*e) + e->len;
	fcache_release(e);
	/* Room for two listings of about that size. */
	fc.test_list_mem = 2 * cost + cost / 2;
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/l2/", &l2));
	fcache_release(l2);
	/* "/list/" used again: "/l2/" is now the oldest. */
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e));
	fcache_release(e);
	ck_assert_uint_eq(fc.nlisted, 2);
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/l3/", &l3));
	fcache_release(l3);
	ck_assert_uint_eq(fc.nlisted, 3);
	ck_assert_uint_le(fc.lmem, fc.test_list_mem);
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/list/", &e));
	fcache_release(e);
	ck_assert_uint_eq(fc.nlisted, 3);	/* kept */
	ck_assert_ptr_nonnull(list_of(&fc, &opts, "/l2/", &e));
	fcache_release(e);
	ck_assert_uint_eq(fc.nlisted, 4);	/* evicted, made again */
	ck_assert_uint_le(fc.lmem, fc.test_list_mem);
	fcache_free(&fc);
}
END_TEST

/*
 * A file cached below a listed directory watches that directory too,
 * with fewer events: the listing must still hear of the writes to the
 * files it shows (the watch's events are only ever added to).
 */
START_TEST(test_listing_watch_shared)
{
	struct fcache		 fc;
	struct fcache_entry	*e;

	start(&fc, WATCHED);
	opts.autoindex = 1;
	list_once(&fc, "<td>3</td>", NULL);
	ck_assert_str_eq(body(&fc, "/list/one.txt", &e), "1\n");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_gt(e->nlinks, 0);
	fcache_release(e);
	put("list/two.txt", "fifteen bytes!\n");
	fcache_events(&fc);
	list_once(&fc, "<td>15</td>", "<td>3</td>");
	/* one.txt was not written: its entry stays. */
	ck_assert_str_eq(body(&fc, "/list/one.txt", &e), "1\n");
	ck_assert_ptr_nonnull(e);
	fcache_release(e);
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

	/* The pool is made once and waits for its times to settle. */
	tcase_add_unchecked_fixture(tc, make_pool, remove_pool);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_hit, 0, 2);
	tcase_add_loop_test(tc, test_rewrite_in_place, 0, 2);
	tcase_add_loop_test(tc, test_change_within_second, 0, 2);
	tcase_add_loop_test(tc, test_rename_over, 0, 2);
	tcase_add_loop_test(tc, test_delete_closes, 0, 2);
	tcase_add_loop_test(tc, test_delete_while_busy, 0, 2);
	tcase_add_loop_test(tc, test_busy_entry_invalidated, 0, 2);
	tcase_add_loop_test(tc, test_free_while_busy, 0, 2);
	tcase_add_loop_test(tc, test_directory_swapped_for_symlink, 0, 2);
	tcase_add_loop_test(tc, test_directory_replaced, 0, 2);
	tcase_add_loop_test(tc, test_earlier_index_appears, 0, 2);
	tcase_add_loop_test(tc, test_index_and_etag, 0, 2);
	tcase_add_loop_test(tc, test_long_path_uncached, 0, 2);
	tcase_add_loop_test(tc, test_chmod, 0, 2);
	tcase_add_loop_test(tc, test_watches_exhausted, 0, 3);
	tcase_add_loop_test(tc, test_sweep_closes_deleted, 0, 2);
	tcase_add_test(tc, test_watches_shared);
	tcase_add_loop_test(tc, test_listing_kept, 0, 2);
	tcase_add_loop_test(tc, test_listing_names_change, 0, 2);
	tcase_add_loop_test(tc, test_listing_file_written, 0, 2);
	tcase_add_test(tc, test_listing_unsettled_not_kept);
	tcase_add_loop_test(tc, test_listing_dotfiles_key, 0, 2);
	tcase_add_loop_test(tc, test_listing_busy_retired, 0, 2);
	tcase_add_loop_test(tc, test_listing_lru, 0, 2);
	tcase_add_test(tc, test_listing_watch_shared);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
