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
/* The access-log block of each process. */
#define ACCESSLOG_BUF_MAX	(64 * 1024)
/* How often a failing access log is reported again, in seconds. */
#define ACCESSLOG_REPORT_SECS	60

/* dest: "stderr", "syslog" or a path.  Returns 0, or -1 with errno. */
int	log_open(const char *dest, int level, const char *ident);
/* Reopens a file destination (after rotation).  Returns 0 or -1. */
int	log_reopen(void);
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
 * The access log: "" = off, "-" = stderr, else a file opened O_APPEND.
 * accesslog_open returns 0 or -1 with errno; it closes (so flushes) the
 * access log it replaces.
 *
 * accesslog_write appends a line (its newline added when missing) to a
 * block of ACCESSLOG_BUF_MAX bytes kept by the process, which goes out
 * with one write(2) when the next line would not fit and on each flush.
 * So the caller must call accesslog_flush at least once a second and
 * before it exits (or forks: the child would inherit the lines);
 * accesslog_reopen and accesslog_close flush first themselves.
 *
 * A log that cannot be written is not waited for and never makes the
 * block grow: the block is kept and retried on each flush, and lines
 * that do not fit meanwhile are dropped and counted (standard error on
 * a blocking pipe still blocks in write(2)).  That is reported at
 * warn level once when it starts failing, then about every
 * ACCESSLOG_REPORT_SECS from the flushes with the number of lines lost,
 * and once when it writes again.  A short write never leaves a line
 * torn with the next one glued onto it (log.c says how).
 *
 * accesslog_flush_at takes the time, for the reports, from the caller;
 * accesslog_flush reads the clock.  Both return 0 when every line has
 * gone out, or -1 with errno when some are still waiting.
 */
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
