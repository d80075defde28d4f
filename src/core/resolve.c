/*
 * resolve: request path -> open file, never outside the document root.
 *
 * Every open is relative to the root's directory fd.  With openat2 the
 * kernel enforces the policy atomically: RESOLVE_BENEATH refuses any
 * component (symlink or "..") that would leave the root, and
 * RESOLVE_NO_SYMLINKS refuses symlinks altogether.  Where openat2 is
 * missing, the path is walked one component at a time with O_NOFOLLOW;
 * a symlink met on the way is read, spliced into the remaining path,
 * normalised lexically (refusing to climb above the root) and the walk
 * restarts from the root fd.  RESOLVE_BENEATH refuses every absolute
 * symlink; when the root's real path is known, such a refusal is retried
 * with the walk, which follows an absolute symlink whose target lies
 * under that path, so "inside" means inside however the link is written.
 *
 * Opens use O_NONBLOCK so that a FIFO in the tree cannot block a worker;
 * anything that is neither a regular file nor a directory is refused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#endif

#include "core/resolve.h"
#include "core/uri.h"
#include "core/util.h"

#define RESOLVE_MAX_LINKS	40
#define RESOLVE_OPEN_FLAGS	(O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

static int	open_beneath(const struct resolve_opts *, const char *);
static int	open_walk(const struct resolve_opts *, const char *);
static int	splice_link(const struct resolve_opts *, char *, size_t,
		    size_t, const char *, size_t, const char *);
static int	has_dotfile(const char *);
static enum resolve_kind	open_index(const struct resolve_opts *,
		    const char *, struct resolve_result *);

enum resolve_kind
resolve_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
	case ENAMETOOLONG:
	case EXDEV:		/* RESOLVE_BENEATH: would leave the root */
	case ELOOP:		/* a refused or looping symlink */
		return RESOLVE_NOT_FOUND;
	case EACCES:
	case EPERM:
		return RESOLVE_FORBIDDEN;
	default:
		return RESOLVE_ERROR;
	}
}

/* Non-zero when a component of p starts with '.'. */
static int
has_dotfile(const char *p)
{
	size_t	i;

	for (i = 0; p[i] != '\0'; i++)
		if (p[i] == '.' && (i == 0 || p[i - 1] == '/'))
			return 1;
	return 0;
}

/*
 * Opens rel (relative, no dot segments; "" = the root itself).  Returns
 * an fd, or -1 with errno.
 */
static int
open_beneath(const struct resolve_opts *o, const char *rel)
{
#if defined(HAVE_LINUX_OPENAT2_H) && defined(SYS_openat2)
	struct open_how	how;
	int		fd;

	if (!o->no_openat2) {
		memset(&how, 0, sizeof(how));
		how.flags = RESOLVE_OPEN_FLAGS;
		how.resolve = RESOLVE_NO_MAGICLINKS;
		if (o->symlinks != RESOLVE_SYMLINKS_ALWAYS)
			how.resolve |= RESOLVE_BENEATH;
		if (o->symlinks == RESOLVE_SYMLINKS_NEVER)
			how.resolve |= RESOLVE_NO_SYMLINKS;
		do {
			fd = (int)syscall(SYS_openat2, o->rootfd,
			    rel[0] == '\0' ? "." : rel, &how, sizeof(how));
		} while (fd == -1 && errno == EAGAIN);
		if (fd != -1 || (errno != ENOSYS && errno != E2BIG &&
		    errno != EPERM && !(errno == EXDEV && o->rootpath &&
		    o->symlinks == RESOLVE_SYMLINKS_INSIDE)))
			return fd;
		/* EXDEV: maybe an absolute symlink into the root. */
		/* EPERM: a seccomp filter may refuse openat2; walk instead. */
	}
#endif
	return open_walk(o, rel);
}

/*
 * Replaces the component at cs of path (NUL-terminated, relative) with
 * the link text, followed by rest (the path after the component, from
 * its '/', so a trailing slash survives), then removes dot segments
 * (uri.c) made relative to the root: a ".." that would leave it is
 * refused, not clamped.  Returns -1 when the result would leave the
 * root or does not fit.
 */
static int
splice_link(const struct resolve_opts *o, char *path, size_t size, size_t cs,
    const char *link, size_t ll, const char *rest)
{
	char	tmp[PATH_MAX + 1];
	size_t	n, rl;
	int	trail;

	if (ll == 0)
		return -1;
	if (link[0] == '/') {
		/* Absolute: only into the root, then relative to it. */
		if (o->rootpath == NULL)
			return -1;
		rl = strlen(o->rootpath);
		if (rl == 1)
			rl = 0;			/* the root is "/" */
		if (ll < rl || memcmp(link, o->rootpath, rl) != 0 ||
		    (ll > rl && link[rl] != '/'))
			return -1;
		link += rl;
		ll -= rl;
		cs = 0;
	}
	/* Rooted at "/" for the dot segments, relative again after. */
	n = (size_t)snprintf(tmp, sizeof(tmp), "/%.*s%.*s%s", (int)cs, path,
	    (int)ll, link, rest);
	if (n >= sizeof(tmp) || n - 1 >= size)
		return -1;
	trail = n > 1 && tmp[n - 1] == '/';
	if (uri_remove_dots(tmp, &n, URI_DOTS_MERGE | URI_DOTS_NO_CLIMB) == -1)
		return -1;
	/* A trailing slash only where the spliced path had one. */
	if (n > 1 && tmp[n - 1] == '/' && !trail)
		n--;
	memcpy(path, tmp + 1, n - 1);
	path[n - 1] = '\0';
	return 0;
}

/* The portable walk: one component at a time, never following blindly. */
static int
open_walk(const struct resolve_opts *o, const char *rel)
{
	char		 path[PATH_MAX], link[PATH_MAX], comp[NAME_MAX + 1];
	size_t		 cs, ce, len;
	ssize_t		 ll;
	struct stat	 lst;
	int		 dfd, fd, links = 0, last, flags, save;

	if (util_strlcpy(path, rel, sizeof(path)) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
restart:
	if ((dfd = fcntl(o->rootfd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	len = strlen(path);
	for (cs = 0; cs < len; cs = ce + 1) {
		for (ce = cs; ce < len && path[ce] != '/'; ce++)
			;
		if (ce - cs > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(comp, path + cs, ce - cs);
		comp[ce - cs] = '\0';
		last = ce >= len - (path[len - 1] == '/' ? 1 : 0);
		flags = RESOLVE_OPEN_FLAGS | O_NOFOLLOW;
		if (!last || path[len - 1] == '/')
			flags |= O_DIRECTORY;
		fd = openat(dfd, comp, flags);
		/* With O_DIRECTORY a symlink gives ENOTDIR, not ELOOP. */
		if (fd == -1 && errno == ENOTDIR && (flags & O_DIRECTORY) &&
		    fstatat(dfd, comp, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(lst.st_mode))
			errno = ELOOP;
		if (fd == -1 && errno == ELOOP) {
			if (o->symlinks == RESOLVE_SYMLINKS_NEVER)
				goto fail;
			if (o->symlinks == RESOLVE_SYMLINKS_ALWAYS) {
				fd = openat(dfd, comp, flags & ~O_NOFOLLOW);
			} else {
				ll = readlinkat(dfd, comp, link,
				    sizeof(link) - 1);
				if (ll == -1)
					goto fail;
				if (++links > RESOLVE_MAX_LINKS ||
				    splice_link(o, path, sizeof(path), cs, link,
				    (size_t)ll, path + ce) == -1) {
					errno = EXDEV;
					goto fail;
				}
				close(dfd);
				goto restart;
			}
		}
		if (fd == -1)
			goto fail;
		close(dfd);
		dfd = fd;
		if (last)
			break;
	}
	if (len == 0 && (fd = openat(dfd, ".", RESOLVE_OPEN_FLAGS)) != -1) {
		close(dfd);
		dfd = fd;
	}
	return dfd;
fail:
	save = errno;
	close(dfd);
	errno = save;
	return -1;
}

static enum resolve_kind
open_index(const struct resolve_opts *o, const char *rel,
    struct resolve_result *res)
{
	char		 p[PATH_MAX];
	size_t		 i;
	int		 fd;
	struct stat	 st;
	enum resolve_kind k = RESOLVE_NOT_FOUND;

	for (i = 0; i < o->nindex; i++) {
		if ((size_t)snprintf(p, sizeof(p), "%s%s", rel, o->index[i]) >=
		    sizeof(p))
			continue;
		if ((fd = open_beneath(o, p)) == -1) {
			if ((k = resolve_errno(errno)) != RESOLVE_NOT_FOUND)
				return k;
			continue;
		}
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			close(fd);
			continue;
		}
		res->fd = fd;
		res->st = st;
		res->index = o->index[i];
		return RESOLVE_FILE;
	}
	return k;
}

enum resolve_kind
resolve_path(const struct resolve_opts *o, const char *path,
    struct resolve_result *res)
{
	const char	*rel = path[0] == '/' ? path + 1 : path;
	size_t		 len = strlen(path);
	int		 fd, save;

	memset(res, 0, sizeof(*res));
	res->fd = -1;
	if (!o->dotfiles && has_dotfile(path))
		return res->kind = RESOLVE_NOT_FOUND;
	if ((fd = open_beneath(o, rel)) == -1)
		return res->kind = resolve_errno(errno);
	if (fstat(fd, &res->st) == -1) {
		save = errno;
		close(fd);
		errno = save;
		return res->kind = RESOLVE_ERROR;
	}
	if (S_ISREG(res->st.st_mode)) {
		res->fd = fd;
		return res->kind = RESOLVE_FILE;
	}
	if (!S_ISDIR(res->st.st_mode)) {
		close(fd);
		return res->kind = RESOLVE_FORBIDDEN;
	}
	if (len == 0 || path[len - 1] != '/') {
		close(fd);
		return res->kind = RESOLVE_REDIRECT;
	}
	res->kind = open_index(o, rel, res);
	if (res->kind == RESOLVE_NOT_FOUND) {
		if (o->autoindex) {
			res->fd = fd;
			return res->kind = RESOLVE_LISTING;
		}
		res->kind = RESOLVE_FORBIDDEN;
	}
	close(fd);
	return res->kind;
}
