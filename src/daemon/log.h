/*
 * log: the error log (stderr, syslog or a file) and the access log.
 * Each log line is written with a single write(2) to an O_APPEND fd, so
 * lines from different workers never interleave.
 */
#ifndef MINIHTTPD_LOG_H
#define MINIHTTPD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define LOG_LINE_MAX	2048

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
 * accesslog_open returns 0 or -1 with errno.
 */
int	accesslog_open(const char *);
int	accesslog_reopen(void);
int	accesslog_enabled(void);
void	accesslog_write(const char *, size_t);
void	accesslog_close(void);
/*
 * Gives the log files to the workers' user, so that workers that dropped
 * root can reopen them after rotation (the master recreates them first).
 */
void	log_files_chown(uid_t, gid_t);

#endif
