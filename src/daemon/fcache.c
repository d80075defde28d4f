/*
 * fcache: direct-mapped cache of resolved files.  Validation re-walks the
 * resolved path without following anything: every directory on the way
 * must still be that same directory (not a symlink put in its place, not
 * another directory renamed there), and the file must still be the same
 * file (inode, size, times) -- one fstatat(2) per path component, with
 * AT_SYMLINK_NOFOLLOW.  Any difference (a rewrite, a rename over it, a
 * chmod, a directory moved out of the root and replaced by a symlink)
 * sends the request through resolve_path again, which applies the
 * symlink and dotfile policies afresh.  A path that was reached through
 * a symlink is never cached, since that check cannot cover it.
 *
 * File times are coarse (a kernel tick): two writes of the same size
 * within one tick leave every field fstatat reports unchanged.  So a file
 * changed in the last FCACHE_SETTLE_SECS is served but not cached; any
 * later change to a cached file then carries a later time.  (Git calls
 * this the "racy" case and solves it the same way.)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/fcache.h"
#include "core/util.h"

static uint32_t	hash(const char *);
static int	same(const struct stat *, const struct stat *);
static int	settled(const struct stat *);
static int	walk_dirs(int, struct fcache_entry *, int);
static void	drop(struct fcache *, struct fcache_entry *);
static void	fill(struct fcache *, struct fcache_entry *,
		    struct resolve_result *);

/* FNV-1a. */
static uint32_t
hash(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int
same(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	    a->st_size == b->st_size && a->st_mode == b->st_mode &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * The directories of e->rel, each checked with lstat semantics: record
 * their identities (record != 0), or compare with the recorded ones.
 * Returns 0 when all are real directories (and, comparing, the same).
 */
static int
walk_dirs(int rootfd, struct fcache_entry *e, int record)
{
	char		p[sizeof(e->rel)];
	struct stat	st;
	size_t		i, n = 0;

	util_strlcpy(p, e->rel, sizeof(p));
	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] != '/')
			continue;
		if (n == FCACHE_DEPTH)
			return -1;
		p[i] = '\0';
		if (fstatat(rootfd, p, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISDIR(st.st_mode))
			return -1;
		p[i] = '/';
		if (record) {
			e->dirino[n] = st.st_ino;
			e->dirdev[n] = st.st_dev;
		} else if (e->dirino[n] != st.st_ino ||
		    e->dirdev[n] != st.st_dev)
			return -1;
		n++;
	}
	if (record)
		e->ndirs = (unsigned)n;
	return record || n == e->ndirs ? 0 : -1;
}

/* Not changed in the last FCACHE_SETTLE_SECS, by either time. */
static int
settled(const struct stat *st)
{
	struct timespec	now;

	clock_gettime(CLOCK_REALTIME_COARSE, &now);
	return st->st_mtim.tv_sec + FCACHE_SETTLE_SECS < now.tv_sec &&
	    st->st_ctim.tv_sec + FCACHE_SETTLE_SECS < now.tv_sec;
}

void
fcache_etag(const struct stat *st, char *buf, size_t size)
{
	snprintf(buf, size, "\"%llx-%llx-%llx\"",
	    (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
	    (unsigned long long)st->st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)st->st_mtim.tv_nsec);
}

void
fcache_init(struct fcache *fc)
{
	size_t	i;

	fc->mem = 0;
	fc->slots = calloc(FCACHE_SLOTS, sizeof(*fc->slots));
	for (i = 0; fc->slots != NULL && i < FCACHE_SLOTS; i++)
		fc->slots[i].fd = -1;
}

static void
drop(struct fcache *fc, struct fcache_entry *e)
{
	if (e->fd != -1)
		close(e->fd);
	if (e->data != NULL) {
		fc->mem -= (size_t)e->st.st_size;
		free(e->data);
	}
	e->fd = -1;
	e->data = NULL;
	e->used = 0;
}

/*
 * Takes over res->fd (key and rel are set); reads a small file into
 * memory and closes it.
 */
static void
fill(struct fcache *fc, struct fcache_entry *e, struct resolve_result *res)
{
	size_t	size = (size_t)res->st.st_size, got = 0;
	ssize_t	n;

	e->st = res->st;
	e->fd = res->fd;
	e->index = res->index;
	e->type = NULL;
	e->busy = 0;
	e->used = 1;
	fcache_etag(&e->st, e->etag, sizeof(e->etag));
	httpdate_format(e->st.st_mtime, e->lastmod);
	if (size > FCACHE_SMALL || fc->mem + size > FCACHE_MEM_MAX ||
	    (e->data = malloc(size ? size : 1)) == NULL)
		return;
	while (got < size && (n = pread(e->fd, e->data + got, size - got,
	    (off_t)got)) > 0)
		got += (size_t)n;
	if (got != size) {
		/* Changed while we read it: keep serving from the fd. */
		free(e->data);
		e->data = NULL;
		return;
	}
	fc->mem += size;
	close(e->fd);
	e->fd = -1;
}

enum resolve_kind
fcache_get(struct fcache *fc, const struct resolve_opts *o, const char *path,
    struct fcache_entry **ep, struct resolve_result *res)
{
	struct fcache_entry	*e = NULL;
	struct stat		 st;
	enum resolve_kind	 k;

	*ep = NULL;
	if (fc->slots != NULL && strlen(path) < FCACHE_KEY_MAX)
		e = &fc->slots[hash(path) % FCACHE_SLOTS];
	if (e != NULL && e->used && strcmp(e->key, path) == 0 &&
	    fstatat(o->rootfd, e->rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same(&st, &e->st) &&
	    (e->ndirs == 0 || walk_dirs(o->rootfd, e, 0) == 0)) {
		e->busy++;
		*ep = e;
		memset(res, 0, sizeof(*res));
		res->kind = RESOLVE_FILE;
		res->fd = -1;
		res->st = e->st;
		res->index = e->index;
		return RESOLVE_FILE;
	}
	k = resolve_path(o, path, res);
	if (k != RESOLVE_FILE || e == NULL || e->busy > 0 ||
	    !settled(&res->st))
		return k;
	if (e->used)
		drop(fc, e);
	util_strlcpy(e->key, path, sizeof(e->key));
	snprintf(e->rel, sizeof(e->rel), "%s%s", path + 1,
	    res->index ? res->index : "");
	/* Only what the no-follow re-walk can prove is cached. */
	if (walk_dirs(o->rootfd, e, 1) == -1 ||
	    fstatat(o->rootfd, e->rel, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !same(&st, &res->st))
		return k;
	fill(fc, e, res);
	res->fd = -1;
	e->busy++;
	*ep = e;
	return k;
}

void
fcache_release(struct fcache_entry *e)
{
	if (e != NULL && e->busy > 0)
		e->busy--;
}

void
fcache_free(struct fcache *fc)
{
	size_t	i;

	for (i = 0; fc->slots != NULL && i < FCACHE_SLOTS; i++)
		if (fc->slots[i].used)
			drop(fc, &fc->slots[i]);
	free(fc->slots);
	fc->slots = NULL;
}
