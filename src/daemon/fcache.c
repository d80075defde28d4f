/*
 * fcache: direct-mapped cache of resolved files.  It must never serve a
 * stale file, never follow a directory that became a symlink, and never
 * keep a file open once no response needs it and it is gone.
 *
 * Ownership.  A slot holds a pointer to an entry; the entry owns its fd
 * and its in-memory copy.  A connection given an entry counts itself in
 * e->busy and uses e->fd and e->data until fcache_release.  An entry
 * found stale is retired at once: out of its slot, off its watches, and
 * destroyed (fd closed, memory freed) then, or by the last release when
 * busy (it waits on fc->retired).  So a deleted file is closed as soon
 * as its last download ends, and a download never loses its file.  The
 * other choice, a dup(2) of the fd for each response, costs a system
 * call per request and would still need a count for the memory copy.
 *
 * Validation, chosen per entry:
 *
 *  - Watched (e->nlinks > 0).  When the entry is made, inotify watches
 *    are put on the root, on each directory on the way and on the file,
 *    and only then is the path checked once more with fstatat, so that
 *    any change after that check queues an event.  A directory's watch
 *    reports names created, deleted and moved in or out, its own
 *    attributes, move and deletion; the file's, writes, attributes
 *    (chmod, times, link count: a delete) and its move or deletion.  An
 *    event retires the entries that go through the name it carries, or
 *    through the directory at all for the directory's own events; a new
 *    name in the directory of an index file retires it when an earlier
 *    index name could now win.  A hit costs no system call.
 *
 *  - Checked (e->nlinks == 0): one fstatat(2) per path component on
 *    every hit, with AT_SYMLINK_NOFOLLOW: every directory on the way must
 *    still be that same directory (not a symlink put in its place, not
 *    another directory renamed there), and the file the same file
 *    (inode, size, times).  This is the fallback when there is no
 *    inotify, when a watch cannot be added (ENOSPC: out of
 *    fs.inotify.max_user_watches), when the path crosses a mount, or
 *    when the filesystem is not one where every change goes through this
 *    kernel (NFS, CIFS or FUSE would not report another host's change).
 *    fcache_events also re-checks a few of these entries every
 *    FCACHE_SWEEP_SECS, so that a deleted file nobody asks for again is
 *    closed too.
 *
 * Any difference sends the request through resolve_path again, which
 * applies the symlink and dotfile policies afresh.  A path reached
 * through a symlink is never cached, since neither check covers it.
 *
 * Why a hit does not read the inotify fd.  An event is queued by the
 * writer's own system call before it returns, so a change that is done
 * is already in the queue.  The worker polls the inotify fd with its
 * connections and runs fcache_events first (a higher libevent priority),
 * so every change made before the loop polled is applied before any
 * request read after that poll is answered.  What is left is a request
 * whose bytes arrive during that loop iteration and are read in it, on
 * a connection that was already readable (pipelined behind another
 * request, or the first on a connection accepted in that iteration): it
 * may get the version current when the loop polled, at most one
 * iteration old.  Closing that window takes a system call per hit:
 * measured here, a read(2) of the inotify fd that returns EAGAIN costs
 * 1.7 us and poll(2) with no timeout 2.0 us, against 2.7 us for an
 * fstatat of one name and 6.7 us for a file one directory down; so it
 * would cost most of what the watches save.
 *
 * File times are coarse (a kernel tick): two writes of the same size
 * within one tick leave every field fstatat reports unchanged.  So a file
 * changed in the last FCACHE_SETTLE_SECS is served but not cached; any
 * later change to a cached file then carries a later time.  (Git calls
 * this the "racy" case and solves it the same way.)  Watched entries need
 * it too: the last check compares the file with the stat taken when it
 * was opened, before its watch existed.
 *
 * Not reported by inotify, hence not seen for a watched entry: writes
 * through a shared mapping until the writer closes the file, and a mount
 * over a directory on the way.
 *
 * Listings.  Reading, stat'ing and sorting a directory of 10000 entries
 * takes tens of milliseconds, so the body of a listing (autoindex_body:
 * the rows, which depend only on the directory and the dotfiles setting)
 * is kept, keyed by the directory's device and inode and that setting;
 * serve adds the head, which shows the request path, for each request.
 * A listing request still goes through resolve_path (the index files
 * and the symlink and dotfile policies are decided afresh), and the
 * directory it finds must be the one listed, unchanged: same inode and
 * times, so that a name created, removed or renamed in it is seen even
 * without inotify.  Its watch (one, on the directory itself) is added
 * before the directory is read, so that every change after the read
 * queues an event; with IN_MODIFY, it also reports the writes to the
 * files listed, whose sizes and times the rows show.  A listing that
 * cannot be watched is kept only when the directory has not changed for
 * FCACHE_SETTLE_SECS (the racy case above), and either kind is made
 * again after FCACHE_LIST_SECS: neither a file changed in an unwatched
 * directory nor the time of a subdirectory (a change inside it) changes
 * the stat of the directory listed or is reported on its watch.  Bodies
 * are bounded by FCACHE_LIST_BODY (autoindex cuts longer ones short
 * with a note) and all of them by FCACHE_LIST_MEM, least recently used
 * first out; a listing being sent is freed by its last release.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "daemon/fcache.h"
#include "daemon/log.h"
#include "core/autoindex.h"
#include "core/util.h"

#define DIR_EVENTS	(IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
			    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | \
			    IN_ONLYDIR)
#define LIST_EVENTS	(DIR_EVENTS | IN_MODIFY | IN_CLOSE_WRITE)
#define FILE_EVENTS	(IN_ATTRIB | IN_MODIFY | IN_CLOSE_WRITE | \
			    IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW)
#define EVENT_BUF	(16 * (sizeof(struct inotify_event) + NAME_MAX + 1))
#define PROC_PATH_MAX	(32 + FCACHE_KEY_MAX * 2)

/* One inotify watch, shared by every entry whose path goes through it. */
struct fcache_watch {
	int			 wd;
	int			 gone;		/* the kernel dropped it */
	unsigned		 hold;		/* being walked: keep it */
	struct fcache_link	*links;
	struct fcache_watch	*next;		/* hash chain */
};

static uint32_t	hash(const char *);
static int	same(const struct stat *, const struct stat *);
static int	settled(const struct stat *);
static int	walk_dirs(int, struct fcache_entry *, int);
static int	index_clear(const struct fcache_entry *,
		    const struct resolve_opts *);
static int	check(struct fcache_entry *, const struct resolve_opts *);
static int	local_fs(int);
static struct fcache_watch *watch_add(struct fcache *, const char *,
		    uint32_t);
static void	watch_put(struct fcache *, struct fcache_watch *);
static void	link_add(struct fcache_entry *, struct fcache_watch *,
		    size_t, int);
static int	watch_entry(struct fcache *, struct fcache_entry *, int);
static void	unwatch(struct fcache *, struct fcache_entry *);
static int	one_dev(const struct fcache_entry *);
static void	retire(struct fcache *, struct fcache_entry *);
static void	destroy(struct fcache_entry *);
static void	fill(struct fcache *, struct fcache_entry *,
		    struct resolve_result *);
static struct fcache_entry *entry_new(struct fcache *,
		    const struct resolve_opts *, const char *,
		    struct resolve_result *, unsigned);
static int	affects(const struct inotify_event *,
		    const struct fcache_link *);
static void	apply(struct fcache *, const struct inotify_event *);
static void	sweep(struct fcache *);
static void	watches_short(struct fcache *);
static int	watch_listing(struct fcache *, struct fcache_entry *, int);
static unsigned	list_bucket(const struct stat *, int);
static size_t	list_cost(const struct fcache_entry *);
static int	list_fresh(const struct fcache_entry *, const struct stat *);
static void	list_use(struct fcache *, struct fcache_entry *);
static void	list_insert(struct fcache *, struct fcache_entry *);
static void	list_unlink(struct fcache *, struct fcache_entry *);

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

/*
 * An index file found after other index names were tried stays the
 * answer only while none of those names exists.  0 when none does.
 */
static int
index_clear(const struct fcache_entry *e, const struct resolve_opts *o)
{
	char		p[sizeof(e->rel)];
	struct stat	st;
	size_t		i, dirlen;

	if (e->index == NULL || e->index_pos == 0)
		return 0;
	dirlen = strlen(e->rel) - strlen(e->index);
	for (i = 0; i < e->index_pos && i < o->nindex; i++) {
		if ((size_t)snprintf(p, sizeof(p), "%.*s%s", (int)dirlen,
		    e->rel, o->index[i]) >= sizeof(p))
			return -1;
		if (fstatat(e->rootfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    errno != ENOENT)
			return -1;
	}
	return 0;
}

/* The per-hit check of an unwatched entry (o NULL: not the index). */
static int
check(struct fcache_entry *e, const struct resolve_opts *o)
{
	struct stat	st;

	if (fstatat(e->rootfd, e->rel, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !same(&st, &e->st))
		return -1;
	if (e->ndirs > 0 && walk_dirs(e->rootfd, e, 0) == -1)
		return -1;
	return o == NULL ? 0 : index_clear(e, o);
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

/*
 * Filesystems whose every change goes through this kernel, so through
 * inotify.  Network and FUSE filesystems, and overlays (whose layers may
 * be changed underneath), are checked by fstatat instead.
 */
static int
local_fs(int fd)
{
	static const uint32_t	 magic[] = {
		0xef53,		/* ext2, ext3, ext4 */
		0x58465342,	/* xfs */
		0x9123683e,	/* btrfs */
		0x01021994,	/* tmpfs */
		0x858458f6,	/* ramfs */
		0xf2f52010,	/* f2fs */
		0x2fc12fc1,	/* zfs */
	};
	struct statfs		 sf;
	size_t			 i;

	if (fstatfs(fd, &sf) == -1)
		return 0;
	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if ((uint32_t)sf.f_type == magic[i])
			return 1;
	return 0;
}

void
fcache_etag(const struct stat *st, char *buf, size_t size)
{
	snprintf(buf, size, "\"%llx-%llx-%llx\"",
	    (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
	    (unsigned long long)st->st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)st->st_mtim.tv_nsec);
}

/*
 * Watches path (the kernel gives the same wd for an inode it already
 * watches, so the watch is shared).  IN_MASK_ADD: a directory watched
 * for a listing (LIST_EVENTS) must not lose IN_MODIFY when a file below
 * it is cached (DIR_EVENTS); its file entries then also see the writes
 * to the files next to theirs, which retire nothing but the written
 * file's entry.  NULL with errno when it cannot.
 */
static struct fcache_watch *
watch_add(struct fcache *fc, const char *path, uint32_t mask)
{
	struct fcache_watch	*w;
	unsigned		 b;
	int			 wd;

	if ((wd = inotify_add_watch(fc->ifd, path, mask | IN_MASK_ADD)) ==
	    -1)
		return NULL;
	b = (unsigned)wd % FCACHE_WATCH_BUCKETS;
	for (w = fc->watches[b]; w != NULL; w = w->next)
		if (w->wd == wd)
			return w;
	if (fc->test_watches == 0 || (w = calloc(1, sizeof(*w))) == NULL) {
		inotify_rm_watch(fc->ifd, wd);
		errno = fc->test_watches == 0 ? ENOSPC : ENOMEM;
		return NULL;
	}
	if (fc->test_watches > 0)
		fc->test_watches--;
	w->wd = wd;
	w->next = fc->watches[b];
	fc->watches[b] = w;
	fc->nwatch++;
	return w;
}

/* Removes w once no entry uses it and no event is being applied to it. */
static void
watch_put(struct fcache *fc, struct fcache_watch *w)
{
	struct fcache_watch	**wp;

	if (w->links != NULL || w->hold > 0)
		return;
	wp = &fc->watches[(unsigned)w->wd % FCACHE_WATCH_BUCKETS];
	while (*wp != w)
		wp = &(*wp)->next;
	*wp = w->next;
	if (!w->gone && fc->ifd != -1)
		inotify_rm_watch(fc->ifd, w->wd);
	fc->nwatch--;
	free(w);
}

/* Links e to w for the path component at off (file itself: off 0, 0). */
static void
link_add(struct fcache_entry *e, struct fcache_watch *w, size_t off,
    int file)
{
	struct fcache_link	*l = &e->links[e->nlinks++];
	size_t			 len;

	len = file ? 0 : strcspn(e->rel + off, "/");
	l->e = e;
	l->w = w;
	l->off = (unsigned short)off;
	l->len = (unsigned short)len;
	l->last = !file && e->rel[off + len] == '\0';
	if ((l->next = w->links) != NULL)
		l->next->prevp = &l->next;
	l->prevp = &w->links;
	w->links = l;
}

/*
 * Watches the root, each directory of e->rel and the file (fd open on
 * it).  The paths go through /proc/self/fd, so that the root is the very
 * directory rootfd names.  -1 (nothing watched) when any watch fails.
 */
static int
watch_entry(struct fcache *fc, struct fcache_entry *e, int fd)
{
	struct fcache_watch	*w;
	char			 p[PROC_PATH_MAX];
	size_t			 i, base;
	int			 n;

	if (fc->ifd == -1 || fc->noroot || fc->watches == NULL ||
	    (!fc->test_anyfs && !local_fs(fd)))
		return -1;
	n = snprintf(p, sizeof(p), "/proc/self/fd/%d", e->rootfd);
	if (n < 0 || (size_t)n + 1 + strlen(e->rel) >= sizeof(p))
		return -1;
	base = (size_t)n;
	/* The root: follow the magic link, it is not a symlink to refuse. */
	if ((w = watch_add(fc, p, DIR_EVENTS)) == NULL) {
		if (errno != ENOSPC && errno != ENOMEM) {
			log_warn("cannot watch %s, cached files will be "
			    "checked by fstatat", p);
			fc->noroot = 1;
		}
		goto fail;
	}
	link_add(e, w, 0, 0);
	p[base] = '/';
	for (i = 0; e->rel[i] != '\0'; i++) {
		if (e->rel[i] != '/')
			continue;
		if (e->nlinks > FCACHE_DEPTH) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(p + base + 1, e->rel, i);
		p[base + 1 + i] = '\0';
		if ((w = watch_add(fc, p, DIR_EVENTS | IN_DONT_FOLLOW)) ==
		    NULL)
			goto fail;
		link_add(e, w, i + 1, 0);
	}
	util_strlcpy(p + base + 1, e->rel, sizeof(p) - base - 1);
	if ((w = watch_add(fc, p, FILE_EVENTS)) == NULL)
		goto fail;
	link_add(e, w, 0, 1);
	return 0;
fail:
	if (errno == ENOSPC)
		watches_short(fc);
	unwatch(fc, e);
	return -1;
}

static void
watches_short(struct fcache *fc)
{
	if (fc->warned)
		return;
	log_warnx("out of inotify watches (fs.inotify.max_user_watches): "
	    "some cached files are checked by fstatat on every request");
	fc->warned = 1;
}

static void
unwatch(struct fcache *fc, struct fcache_entry *e)
{
	struct fcache_link	*l;
	unsigned		 i;

	for (i = 0; i < e->nlinks; i++) {
		l = &e->links[i];
		if ((*l->prevp = l->next) != NULL)
			l->next->prevp = l->prevp;
		watch_put(fc, l->w);
	}
	e->nlinks = 0;
}

/*
 * The root, every directory on the way and the file on one device:
 * a mount on the way would not be reported.
 */
static int
one_dev(const struct fcache_entry *e)
{
	struct stat	st;
	unsigned	i;

	if (fstat(e->rootfd, &st) == -1 || st.st_dev != e->st.st_dev)
		return 0;
	for (i = 0; i < e->ndirs; i++)
		if (e->dirdev[i] != e->st.st_dev)
			return 0;
	return 1;
}

/* Takes e out of the cache now; destroys it now or at its last release. */
static void
retire(struct fcache *fc, struct fcache_entry *e)
{
	if (e->listing)
		list_unlink(fc, e);
	else if (fc->slots[e->slot] == e)
		fc->slots[e->slot] = NULL;
	unwatch(fc, e);
	if (e->busy == 0) {
		destroy(e);
		return;
	}
	e->retired = 1;
	if ((e->rnext = fc->retired) != NULL)
		e->rnext->rprevp = &e->rnext;
	e->rprevp = &fc->retired;
	fc->retired = e;
}

static void
destroy(struct fcache_entry *e)
{
	struct fcache	*fc = e->fc;

	if (e->retired && fc != NULL) {
		if ((*e->rprevp = e->rnext) != NULL)
			e->rnext->rprevp = e->rprevp;
	}
	if (e->fd != -1)
		close(e->fd);
	if (e->data != NULL) {
		/* A listing's memory is counted while it is kept. */
		if (fc != NULL && !e->listing)
			fc->mem -= (size_t)e->st.st_size;
		free(e->data);
	}
	free(e);
}

/* Takes over res->fd; reads a small file into memory and closes it. */
static void
fill(struct fcache *fc, struct fcache_entry *e, struct resolve_result *res)
{
	size_t	size = (size_t)res->st.st_size, got = 0;
	ssize_t	n;

	e->fd = res->fd;
	res->fd = -1;
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

/*
 * A new entry for path, resolved to the open file in res, or NULL when
 * it cannot be cached (res untouched).  Watches first, then the check
 * with no symlink followed: what changes after it is an event.
 */
static struct fcache_entry *
entry_new(struct fcache *fc, const struct resolve_opts *o, const char *path,
    struct resolve_result *res, unsigned slot)
{
	struct fcache_entry	*e;
	struct stat		 st;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->fc = fc;
	e->slot = slot;
	e->rootfd = o->rootfd;
	e->opts = o;
	e->fd = -1;
	e->st = res->st;
	e->index = res->index;
	while (e->index != NULL && e->index_pos < o->nindex &&
	    o->index[e->index_pos] != e->index)
		e->index_pos++;
	util_strlcpy(e->key, path, sizeof(e->key));
	if ((size_t)snprintf(e->rel, sizeof(e->rel), "%s%s", path + 1,
	    e->index ? e->index : "") >= sizeof(e->rel))
		goto fail;
	watch_entry(fc, e, res->fd);
	if (walk_dirs(o->rootfd, e, 1) == -1 ||
	    fstatat(o->rootfd, e->rel, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !same(&st, &res->st) || index_clear(e, o) == -1)
		goto fail;
	if (e->nlinks > 0 && !one_dev(e))
		unwatch(fc, e);
	fill(fc, e, res);
	return e;
fail:
	unwatch(fc, e);
	free(e);
	return NULL;
}

void
fcache_init(struct fcache *fc)
{
	memset(fc, 0, sizeof(*fc));
	fc->test_watches = -1;
	fc->slots = calloc(FCACHE_SLOTS, sizeof(*fc->slots));
	fc->watches = calloc(FCACHE_WATCH_BUCKETS, sizeof(*fc->watches));
	fc->lists = calloc(FCACHE_LIST_BUCKETS, sizeof(*fc->lists));
	if ((fc->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		log_warn("cannot create an inotify instance, cached files "
		    "will be checked by fstatat");
}

int
fcache_fd(const struct fcache *fc)
{
	return fc->ifd;
}

enum resolve_kind
fcache_get(struct fcache *fc, const struct resolve_opts *o, const char *path,
    struct fcache_entry **ep, struct resolve_result *res)
{
	struct fcache_entry	*e = NULL;
	enum resolve_kind	 k;
	unsigned		 slot = 0;
	int			 cacheable;

	*ep = NULL;
	cacheable = fc->slots != NULL && strlen(path) < FCACHE_KEY_MAX;
	if (cacheable) {
		slot = (hash(path) ^ (uint32_t)((uintptr_t)o >> 4)) %
		    FCACHE_SLOTS;
		e = fc->slots[slot];
	}
	if (e != NULL && e->opts == o && strcmp(e->key, path) == 0) {
		if (e->nlinks == 0)
			fc->nstat++;
		if (e->nlinks > 0 || check(e, o) == 0) {
			e->busy++;
			*ep = e;
			memset(res, 0, sizeof(*res));
			res->kind = RESOLVE_FILE;
			res->fd = -1;
			res->st = e->st;
			res->index = e->index;
			return RESOLVE_FILE;
		}
		retire(fc, e);
	}
	k = resolve_path(o, path, res);
	if (k != RESOLVE_FILE || !cacheable || !settled(&res->st) ||
	    (e = entry_new(fc, o, path, res, slot)) == NULL)
		return k;
	if (fc->slots[slot] != NULL)
		retire(fc, fc->slots[slot]);
	fc->slots[slot] = e;
	e->busy++;
	*ep = e;
	return k;
}

void
fcache_release(struct fcache_entry *e)
{
	if (e == NULL || e->busy == 0)
		return;
	if (--e->busy == 0 && e->retired)
		destroy(e);
}

/* Whether ev changes what the entry of l resolves to. */
static int
affects(const struct inotify_event *ev, const struct fcache_link *l)
{
	const struct fcache_entry	*e = l->e;

	/* The file's events, and a directory's own, carry no name. */
	if (l->len == 0 || ev->len == 0 || ev->name[0] == '\0')
		return 1;
	if (strncmp(ev->name, e->rel + l->off, l->len) == 0 &&
	    ev->name[l->len] == '\0')
		return 1;
	return l->last && e->index_pos > 0 &&
	    (ev->mask & (IN_CREATE | IN_MOVED_TO)) != 0;
}

static void
apply(struct fcache *fc, const struct inotify_event *ev)
{
	struct fcache_watch	*w;
	struct fcache_link	*l;
	size_t			 i;

	if (fc->slots == NULL || fc->watches == NULL)
		return;
	if (ev->mask & IN_Q_OVERFLOW) {
		struct fcache_entry	*e, *older;

		for (i = 0; i < FCACHE_SLOTS; i++)
			if (fc->slots[i] != NULL && fc->slots[i]->nlinks > 0)
				retire(fc, fc->slots[i]);
		for (e = fc->lnewest; e != NULL; e = older) {
			older = e->lolder;
			if (e->nlinks > 0)
				retire(fc, e);
		}
		return;
	}
	for (w = fc->watches[(unsigned)ev->wd % FCACHE_WATCH_BUCKETS];
	    w != NULL && w->wd != ev->wd; w = w->next)
		;
	if (w == NULL)
		return;		/* removed already */
	if (ev->mask & IN_IGNORED)
		w->gone = 1;
	/* Retiring an entry unlinks it from w: start over each time. */
	w->hold++;
again:
	for (l = w->links; l != NULL; l = l->next)
		if (affects(ev, l)) {
			retire(fc, l->e);
			goto again;
		}
	w->hold--;
	watch_put(fc, w);
}

/* Checks up to FCACHE_SWEEP_MAX unwatched entries, once in a while. */
static void
sweep(struct fcache *fc)
{
	struct fcache_entry	*e;
	struct timespec		 now;
	size_t			 i, n = 0;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (fc->slots == NULL || (fc->swept != 0 &&
	    now.tv_sec - fc->swept < FCACHE_SWEEP_SECS))
		return;
	fc->swept = now.tv_sec;
	for (i = 0; i < FCACHE_SLOTS && n < FCACHE_SWEEP_MAX; i++) {
		e = fc->slots[fc->sweep++ % FCACHE_SLOTS];
		if (e == NULL || e->nlinks > 0)
			continue;
		n++;
		if (check(e, NULL) == -1)
			retire(fc, e);
	}
}

void
fcache_events(struct fcache *fc)
{
	union {
		struct inotify_event	ev;
		char			b[EVENT_BUF];
	}				 u;
	const struct inotify_event	*ev;
	ssize_t				 n;
	size_t				 off;

	while (fc->ifd != -1) {
		if ((n = read(fc->ifd, u.b, sizeof(u.b))) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (off = 0; off + sizeof(*ev) <= (size_t)n;
		    off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(u.b + off);
			apply(fc, ev);
		}
	}
	sweep(fc);
}

void
fcache_free(struct fcache *fc)
{
	struct fcache_entry	*e;
	size_t			 i;

	/* Closing the instance drops every watch at once. */
	if (fc->ifd != -1)
		close(fc->ifd);
	fc->ifd = -1;
	for (i = 0; fc->slots != NULL && i < FCACHE_SLOTS; i++)
		if (fc->slots[i] != NULL)
			retire(fc, fc->slots[i]);
	while (fc->lnewest != NULL)
		retire(fc, fc->lnewest);
	/* Still being sent: their last fcache_release frees them. */
	while ((e = fc->retired) != NULL) {
		fc->retired = e->rnext;
		e->fc = NULL;
	}
	free(fc->slots);
	free(fc->watches);
	free(fc->lists);
	fc->slots = NULL;
	fc->watches = NULL;
	fc->lists = NULL;
}

/*
 * The one watch of a listing: its directory (fd open on it), for every
 * change to its names and to the files in it.  -1 when it cannot.
 */
static int
watch_listing(struct fcache *fc, struct fcache_entry *e, int fd)
{
	struct fcache_watch	*w;
	char			 p[PROC_PATH_MAX];

	if (fc->ifd == -1 || fc->watches == NULL ||
	    (!fc->test_anyfs && !local_fs(fd)))
		return -1;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	if ((w = watch_add(fc, p, LIST_EVENTS)) == NULL) {
		if (errno == ENOSPC)
			watches_short(fc);
		return -1;
	}
	link_add(e, w, 0, 1);	/* like a file: every event retires it */
	return 0;
}

static unsigned
list_bucket(const struct stat *st, int dotfiles)
{
	uint64_t	h;

	h = (uint64_t)st->st_ino * 2654435761u ^ (uint64_t)st->st_dev ^
	    (uint64_t)dotfiles;
	return (unsigned)(h % FCACHE_LIST_BUCKETS);
}

/* The memory a kept listing counts for. */
static size_t
list_cost(const struct fcache_entry *e)
{
	return sizeof(*e) + e->len;
}

/* Still the directory listed (st: as resolved now), and young enough. */
static int
list_fresh(const struct fcache_entry *e, const struct stat *st)
{
	struct timespec	now;
	long long	ms;

	if (!same(&e->st, st))
		return 0;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	ms = (long long)(now.tv_sec - e->made.tv_sec) * 1000 +
	    (now.tv_nsec - e->made.tv_nsec) / 1000000;
	return ms >= 0 && ms < FCACHE_LIST_SECS * 1000;
}

/* Moves a kept listing to the newest end. */
static void
list_use(struct fcache *fc, struct fcache_entry *e)
{
	if (fc->lnewest == e)
		return;
	e->lnewer->lolder = e->lolder;
	if (e->lolder != NULL)
		e->lolder->lnewer = e->lnewer;
	else
		fc->loldest = e->lnewer;
	e->lnewer = NULL;
	e->lolder = fc->lnewest;
	fc->lnewest->lnewer = e;
	fc->lnewest = e;
}

/* Keeps e, making room for it by retiring the least recently used. */
static void
list_insert(struct fcache *fc, struct fcache_entry *e)
{
	struct fcache_entry	**b;
	size_t			  max = FCACHE_LIST_MEM;

	if (fc->test_list_mem > 0)
		max = fc->test_list_mem;
	while (fc->loldest != NULL && fc->lmem + list_cost(e) > max)
		retire(fc, fc->loldest);
	b = &fc->lists[list_bucket(&e->st, e->dotfiles)];
	if ((e->hnext = *b) != NULL)
		e->hnext->hprevp = &e->hnext;
	e->hprevp = b;
	*b = e;
	e->lnewer = NULL;
	if ((e->lolder = fc->lnewest) != NULL)
		e->lolder->lnewer = e;
	else
		fc->loldest = e;
	fc->lnewest = e;
	fc->lmem += list_cost(e);
	e->cached = 1;
}

static void
list_unlink(struct fcache *fc, struct fcache_entry *e)
{
	if (!e->cached)
		return;
	if ((*e->hprevp = e->hnext) != NULL)
		e->hnext->hprevp = e->hprevp;
	if (e->lnewer != NULL)
		e->lnewer->lolder = e->lolder;
	else
		fc->lnewest = e->lolder;
	if (e->lolder != NULL)
		e->lolder->lnewer = e->lnewer;
	else
		fc->loldest = e->lnewer;
	fc->lmem -= list_cost(e);
	e->cached = 0;
}

int
fcache_listing(struct fcache *fc, const struct resolve_opts *o,
    struct resolve_result *res, struct fcache_entry **ep)
{
	struct fcache_entry	*e = NULL;
	int			 fd = res->fd, dotfiles = o->dotfiles != 0;
	int			 save, keep;

	res->fd = -1;
	*ep = NULL;
	if (fc->lists != NULL)
		for (e = fc->lists[list_bucket(&res->st, dotfiles)];
		    e != NULL; e = e->hnext)
			if (e->st.st_ino == res->st.st_ino &&
			    e->st.st_dev == res->st.st_dev &&
			    e->dotfiles == dotfiles)
				break;
	if (e != NULL) {
		if (list_fresh(e, &res->st)) {
			close(fd);
			list_use(fc, e);
			e->busy++;
			*ep = e;
			return 0;
		}
		retire(fc, e);
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		close(fd);
		return -1;
	}
	e->fc = fc;
	e->listing = 1;
	e->dotfiles = dotfiles;
	e->fd = -1;
	e->rootfd = -1;
	e->st = res->st;
	/* Watched before it is read: any later change is an event. */
	watch_listing(fc, e, fd);
	if (autoindex_body(fd, dotfiles, FCACHE_LIST_BODY, &e->data,
	    &e->len) == -1) {
		save = errno;
		unwatch(fc, e);
		close(fd);
		free(e);
		errno = save;
		return -1;
	}
	close(fd);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &e->made);
	fc->nlisted++;
	e->busy = 1;
	*ep = e;
	keep = fc->lists != NULL && (e->nlinks > 0 || settled(&e->st));
	log_debug("listed directory %llu:%llu, %zu bytes, %s",
	    (unsigned long long)e->st.st_dev,
	    (unsigned long long)e->st.st_ino, e->len, !keep ? "not kept" :
	    e->nlinks > 0 ? "kept, watched" : "kept, checked by its stat");
	if (keep)
		list_insert(fc, e);
	else
		retire(fc, e);	/* served once, freed by its release */
	return 0;
}
