/*
 * fcache: a worker's open-file cache.  A request for a path served a
 * moment ago costs no system call when inotify watches its file and the
 * directories above it, and otherwise one fstatat(2) per path component
 * (the file and each directory above it, none followed if it became a
 * symlink) to prove the file is still the same (inode, size, times) and
 * still inside the root.  The headers are preformatted, and small files
 * are kept in memory so that head and body leave in a single writev(2).
 * An entry found stale leaves the cache at once; one still being sent
 * stays valid for its connection and is closed when it lets go.  Level 2:
 * the filesystem is reached through resolve and the root's directory fd.
 *
 * What the worker must do (fcache.c explains why): watch fcache_fd() for
 * reading with a higher priority than any connection, so that in every
 * loop iteration fcache_events() runs before a connection is read; and
 * call fcache_events() about once a second as well (FCACHE_SWEEP_SECS),
 * which closes the files of entries that are not watched once they are
 * deleted or replaced, whether or not they are asked for again.
 *
 * It also keeps the bodies of directory listings (fcache_listing), so
 * that a big directory is not read and sorted again for every request:
 * the same watches, or the directory's stat, tell when one is stale.
 */
#ifndef MINIHTTPD_FCACHE_H
#define MINIHTTPD_FCACHE_H

#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "core/httpdate.h"
#include "core/resolve.h"

#define FCACHE_SLOTS	1024
#define FCACHE_KEY_MAX	256
#define FCACHE_SMALL	(32 * 1024)		/* kept in memory up to */
#define FCACHE_MEM_MAX	(64 * 1024 * 1024)	/* memory for all of them */
#define FCACHE_ETAG_MAX	64
#define FCACHE_SETTLE_SECS	1	/* newer files are not cached */
#define FCACHE_DEPTH		16	/* deeper paths are not cached */
#define FCACHE_WATCH_BUCKETS	256	/* hash of inotify watches */
#define FCACHE_SWEEP_SECS	1	/* unwatched entries checked every */
#define FCACHE_SWEEP_MAX	64	/* unwatched entries checked at once */
#define FCACHE_LIST_MEM		(8 * 1024 * 1024) /* all listings kept */
#define FCACHE_LIST_BODY	(2 * 1024 * 1024) /* one listing's body */
#define FCACHE_LIST_SECS	1	/* a listing is made again after */
#define FCACHE_LIST_BUCKETS	64	/* hash of listings */

struct fcache;
struct fcache_entry;
struct fcache_watch;

/*
 * An entry's use of one inotify watch: the root, each directory on the
 * way (name: the component below it, in rel) or the file itself.
 */
struct fcache_link {
	struct fcache_entry	*e;
	struct fcache_watch	*w;
	struct fcache_link	*next, **prevp;	/* the watch's links */
	unsigned short		 off, len;	/* name in e->rel; len 0:
						   the file itself */
	int			 last;		/* the file's directory */
};

struct fcache_entry {
	char		 key[FCACHE_KEY_MAX];	/* normalised request path */
	char		 rel[FCACHE_KEY_MAX * 2]; /* file, relative to root */
	unsigned	 busy;			/* connections using it */
	int		 fd;			/* -1 when data holds it all */
	struct stat	 st;
	char		*data;
	const char	*index;			/* index name used, or NULL */
	size_t		 index_pos;		/* its place in the list */
	const char	*type;			/* media type, set by serve.c */
	int		 text;			/* the type takes a charset */
	char		 etag[FCACHE_ETAG_MAX];
	char		 lastmod[HTTPDATE_LEN + 1];

	/* Owned by fcache.c. */
	struct fcache	*fc;			/* NULL once orphaned */
	unsigned	 slot;
	int		 rootfd;
	/*
	 * The lookup options it was found with: a site or location of its
	 * own (root, index, dotfiles...), so part of the key.
	 */
	const struct resolve_opts *opts;
	int		 retired;		/* out of the cache, busy */
	struct fcache_entry *rnext, **rprevp;	/* fc->retired */
	unsigned	 ndirs;			/* directories on the way */
	ino_t		 dirino[FCACHE_DEPTH];
	dev_t		 dirdev[FCACHE_DEPTH];
	unsigned	 nlinks;		/* 0: checked by fstatat */
	struct fcache_link links[FCACHE_DEPTH + 2];

	/*
	 * A listing (fcache_listing): data holds its body, st is the
	 * directory's stat, and the key is the directory (st_dev, st_ino)
	 * with the dotfiles setting, the only other thing the body shows.
	 */
	int		 listing;
	int		 dotfiles;
	size_t		 len;			/* of data */
	struct timespec	 made;
	int		 cached;		/* in fc->lists */
	struct fcache_entry *hnext, **hprevp;	/* hash chain */
	struct fcache_entry *lnewer, *lolder;	/* fc->lnewest...loldest */
};

struct fcache {
	struct fcache_entry	**slots;
	struct fcache_watch	**watches;	/* by wd */
	struct fcache_entry	*retired;	/* busy, out of the cache */
	size_t			 mem;
	struct fcache_entry	**lists;	/* listings, hashed */
	struct fcache_entry	*lnewest, *loldest; /* listings, by use */
	size_t			 lmem;		/* held by listings kept */
	int			 ifd;		/* inotify, or -1 */
	int			 noroot;	/* the root cannot be watched */
	int			 warned;	/* ran out of watches once */
	unsigned		 sweep;		/* next slot to sweep */
	time_t			 swept;
	/* Counters, for tests and benchmarks. */
	unsigned long		 nstat;		/* hits checked by fstatat */
	unsigned long		 nwatch;	/* inotify watches held */
	unsigned long		 nlisted;	/* listing bodies made */
	/* Tests only. */
	long			 test_watches;	/* adds left before a simulated
						   ENOSPC; -1: no limit */
	int			 test_anyfs;	/* watch any filesystem */
	size_t			 test_list_mem;	/* listings kept; 0:
						   FCACHE_LIST_MEM */
};

void	fcache_init(struct fcache *);
/*
 * Looks path up.  For a regular file, returns RESOLVE_FILE and either a
 * cached entry in *e (marked busy: call fcache_release when done), or
 * *e = NULL with an open fd in res that the caller owns (the path could
 * not be cached).  Other kinds come back in res as from resolve_path.
 * The entry's fd and data stay valid until fcache_release, even if the
 * file changes or the entry leaves the cache meanwhile.
 */
enum resolve_kind	fcache_get(struct fcache *, const struct resolve_opts *,
			    const char *path, struct fcache_entry **e,
			    struct resolve_result *res);
void	fcache_release(struct fcache_entry *);
/*
 * The body of the listing of the directory that fcache_get found (a
 * RESOLVE_LISTING: res->fd is taken over and closed), as autoindex_body
 * makes it with o's dotfiles setting and FCACHE_LIST_BODY: kept or made
 * now, in e->data and e->len.  The entry is busy (call fcache_release)
 * and its body stays valid until then.  -1 with errno when the directory
 * cannot be read.
 */
int	fcache_listing(struct fcache *, const struct resolve_opts *,
	    struct resolve_result *res, struct fcache_entry **e);
/* The inotify fd to watch for reading, or -1. */
int	fcache_fd(const struct fcache *);
/*
 * Applies every pending inotify event (never blocks), and checks some
 * unwatched entries if FCACHE_SWEEP_SECS have passed since the last time.
 */
void	fcache_events(struct fcache *);
/* Entries still busy are freed by their last fcache_release. */
void	fcache_free(struct fcache *);
/* The strong ETag of a file: inode, size and modification time. */
void	fcache_etag(const struct stat *, char *, size_t);

#endif
