/*
 * fcache: a worker's open-file cache.  A request for a path served a
 * moment ago costs one fstatat(2) per path component (the file and each
 * directory above it, none followed if it became a symlink) to prove the
 * file is still the same (inode, size, times) and still inside the root;
 * the headers are preformatted, and small files are
 * kept in memory so that head and body leave in a single writev(2).  An
 * entry in use by a connection is never replaced under it.  Level 2: the
 * filesystem is reached through resolve and the root's directory fd.
 */
#ifndef MINIHTTPD_FCACHE_H
#define MINIHTTPD_FCACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "core/httpdate.h"
#include "core/resolve.h"

#define FCACHE_SLOTS	1024
#define FCACHE_KEY_MAX	256
#define FCACHE_SMALL	(32 * 1024)		/* kept in memory up to */
#define FCACHE_MEM_MAX	(64 * 1024 * 1024)	/* memory for all of them */
#define FCACHE_ETAG_MAX	64
#define FCACHE_SETTLE_SECS	1	/* newer files are not cached */
#define FCACHE_DEPTH		16	/* deeper paths are not cached */

struct fcache_entry {
	char		 key[FCACHE_KEY_MAX];	/* normalised request path */
	char		 rel[FCACHE_KEY_MAX * 2]; /* file, relative to root */
	int		 used;
	unsigned	 busy;			/* connections using it */
	int		 fd;			/* -1 when data holds it all */
	struct stat	 st;
	char		*data;
	const char	*index;			/* index name used, or NULL */
	const char	*type;			/* media type, set by serve.c */
	int		 text;			/* the type takes a charset */
	unsigned	 ndirs;			/* directories on the way */
	ino_t		 dirino[FCACHE_DEPTH];
	dev_t		 dirdev[FCACHE_DEPTH];
	char		 etag[FCACHE_ETAG_MAX];
	char		 lastmod[HTTPDATE_LEN + 1];
};

struct fcache {
	struct fcache_entry	*slots;
	size_t			 mem;
};

void	fcache_init(struct fcache *);
/*
 * Looks path up.  For a regular file, returns RESOLVE_FILE and either a
 * cached entry in *e (marked busy: call fcache_release when done), or
 * *e = NULL with an open fd in res that the caller owns (the path could
 * not be cached).  Other kinds come back in res as from resolve_path.
 */
enum resolve_kind	fcache_get(struct fcache *, const struct resolve_opts *,
			    const char *path, struct fcache_entry **e,
			    struct resolve_result *res);
void	fcache_release(struct fcache_entry *);
void	fcache_free(struct fcache *);
/* The strong ETag of a file: inode, size and modification time. */
void	fcache_etag(const struct stat *, char *, size_t);

#endif
