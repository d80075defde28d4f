/*
 * resolve: maps a normalised request path to an open file relative to a
 * directory fd of the document root.  Nothing outside the root can be
 * reached: with openat2(RESOLVE_BENEATH) where the kernel has it, and by
 * walking one component at a time with O_NOFOLLOW otherwise.  Symlinks
 * are followed per policy ("inside", "never", "always").  Only the
 * server uses it.  Level 1: the filesystem is reached only through the
 * injected root fd.
 */
#ifndef MINIHTTPD_RESOLVE_H
#define MINIHTTPD_RESOLVE_H

#include <stddef.h>
#include <sys/stat.h>

enum resolve_symlinks {
	RESOLVE_SYMLINKS_INSIDE = 0,
	RESOLVE_SYMLINKS_NEVER,
	RESOLVE_SYMLINKS_ALWAYS
};

struct resolve_opts {
	int			 rootfd;	/* O_DIRECTORY of the root */
	enum resolve_symlinks	 symlinks;
	int			 dotfiles;
	char *const		*index;
	size_t			 nindex;
	int			 autoindex;
	int			 no_openat2;	/* force the portable walk */
	const char		*rootpath;	/* the root's real path, or
						   NULL: absolute symlinks
						   into it are then refused */
};

enum resolve_kind {
	RESOLVE_FILE = 0,	/* fd is a regular file, st filled in */
	RESOLVE_LISTING,	/* fd is the directory to list */
	RESOLVE_REDIRECT,	/* directory named without trailing '/' */
	RESOLVE_NOT_FOUND,	/* 404 */
	RESOLVE_FORBIDDEN,	/* 403 */
	RESOLVE_ERROR		/* 500, errno set */
};

struct resolve_result {
	enum resolve_kind	 kind;
	int			 fd;		/* -1 unless FILE or LISTING */
	struct stat		 st;
	const char		*index;		/* index name used, or NULL */
};

/* path is the output of uri_normalize: starts with '/', no dot segments. */
enum resolve_kind	resolve_path(const struct resolve_opts *,
			    const char *path, struct resolve_result *);

/* Maps an errno from open/openat2 to a resolve_kind. */
enum resolve_kind	resolve_errno(int);

#endif
