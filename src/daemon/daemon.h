/*
 * daemon: process-level services for the master and workers: pid file,
 * detaching from the terminal, dropping privileges, and the systemd
 * notify protocol (a datagram to $NOTIFY_SOCKET, no libsystemd).
 */
#ifndef MINIHTTPD_DAEMON_H
#define MINIHTTPD_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

/* Returns 0, or -1 with a reason in err (a live master already owns it). */
int	daemon_pidfile_write(const char *path, char *err, size_t errsz);
/* Returns -1 with a reason when a live master already owns path. */
int	daemon_pidfile_check(const char *path, char *err, size_t errsz);
/* Returns the pid recorded in path, or -1 with a reason in err. */
pid_t	daemon_pidfile_read(const char *path, char *err, size_t errsz);
void	daemon_pidfile_remove(const char *path);
/*
 * Forks into the background, starts a new session and points stdio at
 * /dev/null (stderr too unless keep_stderr).  Returns 0 in the daemon.
 */
int	daemon_detach(int keep_stderr);
/*
 * Resolves user and group ("" = nobody/nogroup) into ids.  Returns 0 or
 * -1 with a reason in err.
 */
int	daemon_lookup_user(const char *user, const char *group, uid_t *,
	    gid_t *, char *err, size_t errsz);
/* setgroups, setgid, setuid and a check that root cannot come back. */
int	daemon_drop_privileges(uid_t, gid_t, char *err, size_t errsz);
/* Sends one notify message when $NOTIFY_SOCKET is set; best effort. */
void	daemon_notify(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/*
 * The outcome of the latest reload, for "minihttpd -s reload": one line
 * "SEQ ok|failed MESSAGE" in PIDFILE.reload, replaced atomically.
 */
int	daemon_status_write(const char *pidfile, unsigned seq, int ok,
	    const char *msg);
/* Returns the sequence number (0 if none) and the rest of the line. */
unsigned daemon_status_read(const char *pidfile, int *ok, char *msg,
	    size_t msgsz);
/* Number of online CPUs, at least 1. */
int	daemon_ncpu(void);

#endif
