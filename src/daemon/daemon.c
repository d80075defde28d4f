/*
 * daemon: pid file, detaching, privilege drop and systemd notification.
 * The notify protocol is one datagram of "KEY=VALUE" lines to the Unix
 * socket named by $NOTIFY_SOCKET ('@' = abstract namespace), which is
 * all libsystemd's sd_notify does.
 *
 * The pid file is also a lock: the master holds flock(LOCK_EX) on it
 * for its whole life.  The pid written in it cannot say by itself
 * whether a master runs: after a KILL and a reboot or a wrap of the pid
 * counter it may name any process.  The kernel drops the lock with its
 * last holder, so a free lock means a stale file, whatever pid it holds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "core/util.h"

#define PIDFILE_MAX	32
#define PIDFILE_TRIES	3	/* opens that met a file unlinked meanwhile */

/* The master's locked pid file: one per process, so module state. */
static int	pidfile_fd = -1;
static char	pidfile_path[PATH_MAX];

static int	pidfile_open(const char *, char *, size_t);
static pid_t	pidfile_parse(int);

/* Opens (creating it and, once, its directory) path for the lock. */
static int
pidfile_open(const char *path, char *err, size_t errsz)
{
	char		 dir[PATH_MAX];
	const char	*slash;
	int		 fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd == -1 && errno == ENOENT &&
	    (slash = strrchr(path, '/')) != NULL && slash != path &&
	    (size_t)(slash - path) < sizeof(dir)) {
		/* /run/minihttpd does not survive a reboot without systemd. */
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		if (mkdir(dir, 0755) == 0 || errno == EEXIST)
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC |
			    O_NOFOLLOW, 0644);
	}
	if (fd == -1)
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
	return fd;
}

/* The pid in the file open on fd, or -1. */
static pid_t
pidfile_parse(int fd)
{
	char		buf[PIDFILE_MAX];
	ssize_t		n;
	uint64_t	v;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	if (n <= 0 || util_parse_uint(buf, (size_t)n, 4194304, &v) == -1 ||
	    v < 2)
		return -1;
	return (pid_t)v;
}

int
daemon_pidfile_lock(const char *path, char *err, size_t errsz)
{
	struct stat	a, b;
	pid_t		old;
	int		fd, try, held;

	if (path[0] == '\0' || (pidfile_fd != -1 &&
	    strcmp(path, pidfile_path) == 0))
		return 0;
	if (strlen(path) >= sizeof(pidfile_path)) {
		snprintf(err, errsz, "%s: path too long", path);
		return -1;
	}
	for (try = 0; try < PIDFILE_TRIES; try++) {
		if ((fd = pidfile_open(path, err, errsz)) == -1)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			held = errno == EWOULDBLOCK;
			if (!held)
				snprintf(err, errsz, "%s: cannot lock: %s",
				    path, strerror(errno));
			else if ((old = pidfile_parse(fd)) != -1)
				snprintf(err, errsz, "%s: minihttpd is already "
				    "running as pid %ld", path, (long)old);
			else
				snprintf(err, errsz, "%s: minihttpd is already "
				    "running (starting up)", path);
			close(fd);
			return -1;
		}
		/*
		 * A master that stopped between our open and our lock has
		 * unlinked what we locked: a lock on that is no lock.
		 */
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1) {
		snprintf(err, errsz, "%s: replaced while being locked", path);
		return -1;
	}
	/* The pid of a master that is gone must not be taken for ours. */
	if (ftruncate(fd, 0) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (pidfile_fd != -1)
		close(pidfile_fd);
	pidfile_fd = fd;
	util_strlcpy(pidfile_path, path, sizeof(pidfile_path));
	return 0;
}

int
daemon_pidfile_write(const char *path, char *err, size_t errsz)
{
	char	buf[PIDFILE_MAX];
	int	n;

	if (path[0] == '\0')
		return 0;
	if (daemon_pidfile_lock(path, err, errsz) == -1)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(pidfile_fd, 0) == -1 ||
	    pwrite(pidfile_fd, buf, (size_t)n, 0) != n) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		daemon_pidfile_remove(path);
		return -1;
	}
	return 0;
}

void
daemon_pidfile_forget(void)
{
	if (pidfile_fd != -1)
		close(pidfile_fd);
	pidfile_fd = -1;
}

pid_t
daemon_pidfile_read(const char *path, char *err, size_t errsz)
{
	pid_t	pid;
	int	fd, held;

	if (path[0] == '\0') {
		if (err != NULL)
			snprintf(err, errsz, "no pid_file is configured");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (err != NULL)
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	pid = pidfile_parse(fd);
	/* A lock we can take is one no master holds. */
	held = flock(fd, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK;
	close(fd);
	if (pid == -1) {
		if (err != NULL)
			snprintf(err, errsz, "%s: does not hold a process id",
			    path);
		return -1;
	}
	if (!held) {
		if (err != NULL)
			snprintf(err, errsz, "%s: stale, no minihttpd holds it "
			    "(pid %ld is not ours)", path, (long)pid);
		return -1;
	}
	return pid;
}

void
daemon_pidfile_remove(const char *path)
{
	char	status[PATH_MAX];

	if (path[0] == '\0')
		return;
	unlink(path);
	if ((size_t)snprintf(status, sizeof(status), "%s.reload", path) <
	    sizeof(status))
		unlink(status);
	/* Unlinked first: a new master then locks a new file. */
	if (pidfile_fd != -1 && strcmp(path, pidfile_path) == 0)
		daemon_pidfile_forget();
}

int
daemon_detach(int keep_stderr)
{
	int	fd;

	switch (fork()) {
	case -1:
		return -1;
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (!keep_stderr)
		dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return chdir("/");
}

int
daemon_lookup_user(const char *user, const char *group, uid_t *uid,
    gid_t *gid, char *err, size_t errsz)
{
	struct passwd	*pw;
	struct group	*gr;
	const char	*u = user[0] != '\0' ? user : "nobody";

	errno = 0;
	if ((pw = getpwnam(u)) == NULL) {
		snprintf(err, errsz, "user \"%s\" does not exist", u);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group[0] != '\0') {
		if ((gr = getgrnam(group)) == NULL) {
			snprintf(err, errsz, "group \"%s\" does not exist",
			    group);
			return -1;
		}
		*gid = gr->gr_gid;
	} else if (user[0] == '\0' && (gr = getgrnam("nogroup")) != NULL) {
		*gid = gr->gr_gid;
	}
	return 0;
}

int
daemon_drop_privileges(uid_t uid, gid_t gid, char *err, size_t errsz)
{
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		snprintf(err, errsz, "cannot drop privileges to %ld:%ld: %s",
		    (long)uid, (long)gid, strerror(errno));
		return -1;
	}
	/* A process that gave root up must not be able to take it back. */
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		snprintf(err, errsz, "privileges could be regained");
		return -1;
	}
	return 0;
}

void
daemon_notify(const char *fmt, ...)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	char			 msg[512];
	va_list			 ap;
	size_t			 len;
	socklen_t		 slen;
	int			 fd, n;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    (len = strlen(path)) >= sizeof(sun.sun_path))
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	(void)sendto(fd, msg, (size_t)n, MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, slen);
	close(fd);
}

int
daemon_ncpu(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (int)n;
}

int
daemon_status_write(const char *pidfile, unsigned seq, int ok,
    const char *msg)
{
	char	path[PATH_MAX], tmp[PATH_MAX], line[1024];
	int	fd, n;

	if (pidfile[0] == '\0')
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s.reload", pidfile) >=
	    sizeof(path) || (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp",
	    path) >= sizeof(tmp))
		return -1;
	n = snprintf(line, sizeof(line), "%u %s %s\n", seq,
	    ok ? "ok" : "failed", msg);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1)
		return -1;
	if (write(fd, line, (size_t)n) != n || close(fd) == -1 ||
	    rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

unsigned
daemon_status_read(const char *pidfile, int *ok, char *msg, size_t msgsz)
{
	char		path[PATH_MAX], line[1024], *sp, *sp2;
	ssize_t		n;
	uint64_t	seq;
	int		fd;

	*ok = 0;
	msg[0] = '\0';
	if ((size_t)snprintf(path, sizeof(path), "%s.reload", pidfile) >=
	    sizeof(path) || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if ((sp = strchr(line, ' ')) == NULL ||
	    util_parse_uint(line, (size_t)(sp - line), UINT32_MAX, &seq) == -1)
		return 0;
	sp++;
	if ((sp2 = strchr(sp, ' ')) != NULL)
		*sp2++ = '\0';
	*ok = strcmp(sp, "ok") == 0;
	util_strlcpy(msg, sp2 ? sp2 : "", msgsz);
	return (unsigned)seq;
}
