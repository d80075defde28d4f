/*
 * daemon: process-level services for the master and workers: pid file,
 * detaching from the terminal, dropping privileges, and the systemd
 * notify protocol (a datagram to $NOTIFY_SOCKET, no libsystemd).
 */
#ifndef MINIHTTPD_DAEMON_H
#define MINIHTTPD_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Opens path (creating it) and takes the lock that says a master runs,
 * held until daemon_pidfile_remove or exit; a stale pid in the file is
 * cleared.  Returns 0 ("" and a lock already held: nothing to do), or -1
 * with a reason in err ("already running as pid N" when another master
 * holds it).
 */
int	daemon_pidfile_lock(const char *path, char *err, size_t errsz);
/* Locks path if need be and writes our pid; 0, or -1 with a reason. */
int	daemon_pidfile_write(const char *path, char *err, size_t errsz);
/*
 * For a process forked by the master: closes its copy of the locked
 * file, so that the lock dies with the master even when a worker
 * outlives it (the master's own copy keeps it held meanwhile).
 */
void	daemon_pidfile_forget(void);
/*
 * The pid of the master that holds path locked, or -1 with a reason in
 * err (no file, no pid in it, or a stale file no master holds).
 */
pid_t	daemon_pidfile_read(const char *path, char *err, size_t errsz);
/* Unlinks path and PATH.reload and lets the lock go. */
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
