/*
 * log: the error log (stderr, syslog or a file) and the access log.
 * Each error-log line is written with a single write(2) to an O_APPEND
 * fd, and the access log is written in blocks of whole lines, so lines
 * from different workers never interleave.
 */
#ifndef MINIHTTPD_LOG_H
#define MINIHTTPD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define LOG_LINE_MAX	2048
/* The block of each access log in each process. */
#define ACCESSLOG_BUF_MAX	(64 * 1024)
/* How often a failing access log is reported again, in seconds. */
#define ACCESSLOG_REPORT_SECS	60

/* dest: "stderr", "syslog" or a path.  Returns 0, or -1 with errno. */
int	log_open(const char *dest, int level, const char *ident);
/* Reopens a file destination (after rotation).  Returns 0 or -1. */
int	log_reopen(void);
/*
 * The log files of this process, for a master that reopened them to
 * pass to its workers (daemon/sandbox.c: a confined worker cannot open
 * a path): the error log when it is a file, then every access log that
 * is a file, in the order of the active set.  Writes at most max fds and
 * returns their number.  log_files_adopt takes n fds in that order (the
 * master's, whose set the worker has by fork) in place of the current
 * ones, keeping their numbers; the caller still closes fds.  Returns 0,
 * or -1 with errno (EINVAL: n is not the number of files).
 */
/* At most what one SCM_RIGHTS message carries (SCM_MAX_FD). */
#define LOG_FILES_MAX	253
size_t	log_file_fds(int *fds, size_t max);
int	log_files_adopt(const int *fds, size_t n);
void	log_set_level(int);
/* While on, every error-log line is copied to stderr (start-up). */
void	log_set_startup(int);
/* Tag added to every line, e.g. "worker 1234" (copied). */
void	log_set_tag(const char *);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * The access logs: a set of them, one id per site, each path "" (off),
 * "-" (stderr) or a file opened O_APPEND.  Ids with the same path share
 * one log.  accesslog_write_id appends a line (its newline added when
 * missing) to the block of ACCESSLOG_BUF_MAX bytes that the process keeps
 * for that log, allocated on the log's first line; the block goes out
 * with one write(2) when the next line would not fit and on each flush.
 * So the caller must call accesslog_flush at least once a second and
 * before it exits (or forks: the child would inherit the lines);
 * accesslog_reopen, accesslog_close and the commit of a set that drops a
 * log flush first themselves.
 *
 * A log that cannot be written is not waited for and never makes its
 * block grow: the block is kept and retried on each flush, and lines
 * that do not fit meanwhile are dropped and counted (standard error on
 * a blocking pipe still blocks in write(2)).  That is reported at warn
 * level, naming the log, once when it starts failing, then about every
 * ACCESSLOG_REPORT_SECS from the flushes with the number of lines lost,
 * and once when it writes again.  A short write never leaves a line
 * torn with the next one glued onto it (log.c says how).
 *
 * accesslog_flush, accesslog_flush_at, accesslog_reopen, accesslog_close
 * and log_files_chown act on every log of the active set.  The flushes
 * take the time for the reports from the caller (accesslog_flush reads
 * the clock) and return 0 when every line has gone out, or -1 with errno
 * when some are still waiting.  accesslog_open(path) makes a set of that
 * one log, id 0 (0, or -1 with errno and the current set kept), and
 * accesslog_enabled and accesslog_write act on id 0.
 */
struct accesslog_set;

/*
 * Opens the logs of a new generation: paths[i] is "" (off), "-" (stderr)
 * or an absolute file path, for ids 0..n-1; equal paths share one log.
 * A path the active set already has open is reused as it is (same fd,
 * same block), so a reload neither reopens nor loses lines.  Returns the
 * set, or NULL with errno and *bad = the index that failed (bad may be
 * NULL); the active set is untouched either way.
 */
struct accesslog_set *accesslog_set_open(char *const *paths, size_t n,
		    size_t *bad);
/*
 * Makes set the active one; logs of the old set that it does not reuse
 * are flushed and closed.
 */
void	accesslog_set_commit(struct accesslog_set *);
/*
 * Drops a set that was opened and not committed (closing only what it
 * opened itself).
 */
void	accesslog_set_discard(struct accesslog_set *);
int	accesslog_enabled_id(size_t);
void	accesslog_write_id(size_t, const char *, size_t);
/* Ids in the active set. */
size_t	accesslog_count(void);
/* Blocks the active set holds (for the tests). */
size_t	accesslog_blocks(void);

int	accesslog_open(const char *);
int	accesslog_reopen(void);
int	accesslog_enabled(void);
void	accesslog_write(const char *, size_t);
int	accesslog_flush(void);
int	accesslog_flush_at(time_t);
void	accesslog_close(void);
/*
 * Gives the log files to the workers' user, so that workers that dropped
 * root can reopen them after rotation (the master recreates them first).
 */
void	log_files_chown(uid_t, gid_t);

#endif
