/*
 * get_out: the outputs of minihttp-get.  A complete file appears under
 * its name in one rename (or link, when it must not replace a file), so
 * a reader never sees half of it; a failed transfer leaves nothing
 * behind unless -C asked to keep it.  The state the signal handler
 * needs is kept in a few sig_atomic_t-guarded globals.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client/get_common.h"
#include "client/get_out.h"
#include "core/util.h"

/* What an interrupting signal must clean up. */
static char			get_sig_tmp[PATH_MAX];
static volatile sig_atomic_t	get_sig_unlink;
static volatile sig_atomic_t	get_sig_fd = -1;
static struct timespec		get_sig_times[2];
static volatile sig_atomic_t	get_sig_touch;

static int			get_stdout_failed;

static int	get_out_fail(struct get_out *, const char *, int);
static int	get_out_place(struct get_out *);
static void	get_out_touch(struct get_out *);
static void	get_out_disarm(void);
static void	get_out_on_signal(int);

void
get_out_discard(struct get_out *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = GET_OUT_DISCARD;
	o->fd = -1;
	o->mtime = -1;
}

static int
get_out_fail(struct get_out *o, const char *what, int err)
{
	int	rc;

	rc = get_err(GET_ELOCAL, "%s %s: %s", what, o->name, strerror(err));
	get_out_abort(o);
	return rc;
}

int
get_out_open(struct get_out *o, const char *name, int flags, uint64_t offset,
    mode_t mode)
{
	struct stat	 st;
	const char	*base;
	int		 n, oflags = O_WRONLY | O_CLOEXEC | O_NOCTTY;

	get_out_discard(o);
	if (name == NULL || strcmp(name, "-") == 0) {
		o->kind = GET_OUT_STDOUT;
		o->name = "standard output";
		o->fd = STDOUT_FILENO;
		return GET_OK;
	}
	o->name = name;
	o->noclobber = (flags & GET_OUT_NOCLOBBER) != 0;
	if (stat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return get_out_fail(o, "cannot create", EISDIR);
		if ((o->fd = open(name, oflags)) == -1)
			return get_out_fail(o, "cannot open", errno);
		o->kind = GET_OUT_DIRECT;
		return GET_OK;
	}
	if (flags & GET_OUT_INPLACE_AT) {
		o->kind = GET_OUT_INPLACE;
		if ((o->fd = open(name, oflags | O_CREAT, mode)) == -1)
			return get_out_fail(o, "cannot open", errno);
		if (ftruncate(o->fd, (off_t)offset) == -1 ||
		    lseek(o->fd, (off_t)offset, SEEK_SET) == -1)
			return get_out_fail(o, "cannot resume", errno);
		get_sig_fd = o->fd;
		return GET_OK;
	}
	if (o->noclobber && lstat(name, &st) == 0) {
		return get_err(GET_ELOCAL, "%s exists: --clobber replaces it",
		    name);
	}
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (*base == '\0')
		return get_out_fail(o, "cannot create", EISDIR);
	n = snprintf(o->tmp, sizeof(o->tmp), "%.*s.%s.XXXXXX",
	    (int)(base - name), name, base);
	if (n < 0 || (size_t)n >= sizeof(o->tmp)) {
		o->tmp[0] = '\0';
		return get_out_fail(o, "cannot create", ENAMETOOLONG);
	}
	if ((o->fd = mkstemp(o->tmp)) == -1) {
		o->tmp[0] = '\0';
		return get_out_fail(o, "cannot create", errno);
	}
	o->kind = GET_OUT_TEMP;
	util_strlcpy(get_sig_tmp, o->tmp, sizeof(get_sig_tmp));
	get_sig_unlink = 1;
	if (fchmod(o->fd, mode) == -1)
		return get_out_fail(o, "cannot create", errno);
	return GET_OK;
}

void
get_out_set_mtime(struct get_out *o, time_t t)
{
	if (o->kind != GET_OUT_TEMP && o->kind != GET_OUT_INPLACE)
		return;
	o->mtime = t;
	if (o->kind == GET_OUT_INPLACE) {
		/* An interrupted -C leaves a file the next -C can resume. */
		get_sig_touch = 0;
		get_sig_times[0].tv_nsec = UTIME_OMIT;
		get_sig_times[1].tv_sec = t;
		get_sig_times[1].tv_nsec = 0;
		get_sig_touch = 1;
	}
}

int
get_out_write(struct get_out *o, const char *p, size_t len)
{
	ssize_t	n;

	if (o->kind == GET_OUT_DISCARD)
		return GET_OK;
	while (len > 0) {
		n = write(o->fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			if (o->kind == GET_OUT_STDOUT)
				get_stdout_failed = 1;
			return get_err(GET_ELOCAL, "write error: %s: %s",
			    o->name, strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return GET_OK;
}

static void
get_out_touch(struct get_out *o)
{
	struct timespec	ts[2];

	if (o->mtime == -1 || o->fd == -1)
		return;
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = o->mtime;
	ts[1].tv_nsec = 0;
	(void)futimens(o->fd, ts);
}

/*
 * Moves the complete temporary file to its name.  Without --clobber a
 * hard link does it only if the name is still free, whatever appeared
 * there since the check in get_out_open; file systems without links
 * fall back to a check and a rename.
 */
static int
get_out_place(struct get_out *o)
{
	struct stat	st;

	if (!o->noclobber)
		return rename(o->tmp, o->name);
	if (link(o->tmp, o->name) == 0)
		return unlink(o->tmp) == -1 && errno != ENOENT ? -1 : 0;
	if (errno == EEXIST)
		return -1;
	if (lstat(o->name, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(o->tmp, o->name);
}

int
get_out_commit(struct get_out *o)
{
	int	err = 0;

	switch (o->kind) {
	case GET_OUT_DISCARD:
	case GET_OUT_STDOUT:
		return GET_OK;
	case GET_OUT_TEMP:
	case GET_OUT_INPLACE:
		get_out_touch(o);
		if (fsync(o->fd) == -1 && errno != EINVAL)
			err = errno;
		break;
	case GET_OUT_DIRECT:
		break;
	}
	if (close(o->fd) == -1 && err == 0)
		err = errno;
	o->fd = -1;
	if (err == 0 && o->kind == GET_OUT_TEMP && get_out_place(o) == -1)
		err = errno;
	if (err == EEXIST) {
		get_out_abort(o);
		return get_err(GET_ELOCAL, "%s exists: --clobber replaces it",
		    o->name);
	}
	if (err != 0)
		return get_out_fail(o, "write error:", err);
	o->tmp[0] = '\0';
	get_out_disarm();
	get_out_discard(o);
	return GET_OK;
}

void
get_out_abort(struct get_out *o)
{
	if (o->kind == GET_OUT_INPLACE)
		get_out_touch(o);
	if (o->fd != -1 && o->kind != GET_OUT_STDOUT)
		close(o->fd);
	o->fd = -1;
	if (o->tmp[0] != '\0')
		unlink(o->tmp);
	o->tmp[0] = '\0';
	get_out_disarm();
	o->kind = GET_OUT_DISCARD;
}

int
get_out_stdout_failed(void)
{
	return get_stdout_failed;
}

static void
get_out_disarm(void)
{
	get_sig_unlink = 0;
	get_sig_touch = 0;
	get_sig_fd = -1;
}

/* Async-signal-safe: unlink and futimens only, then die of the signal. */
static void
get_out_on_signal(int sig)
{
	if (get_sig_unlink)
		unlink(get_sig_tmp);
	if (get_sig_touch && get_sig_fd != -1)
		futimens(get_sig_fd, get_sig_times);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
get_out_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = get_out_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
