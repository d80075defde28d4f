/*
 * log: error log and access log.  A line is formatted into a stack
 * buffer and written with one write(2) on an O_APPEND descriptor, which
 * keeps lines from concurrent workers whole.  The destinations are opened
 * by the master before fork (workers may lack the permission later) and
 * reopened on request for log rotation.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/log.h"
#include "core/util.h"

#define LOG_TAG_MAX	48

static int	 err_fd = STDERR_FILENO;
static int	 err_syslog;
static int	 err_level = CONF_LOG_INFO;
static int	 err_startup;
static char	*err_path;
static char	 err_tag[LOG_TAG_MAX];
static int	 acc_fd = -1;
static char	*acc_path;

static void	vlog(int, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static int	open_append(const char *);
static int	reopen(const char *, int *);

static int
open_append(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int
log_open(const char *dest, int level, const char *ident)
{
	int	fd;

	err_level = level;
	fd = STDERR_FILENO;
	if (strcmp(dest, "syslog") != 0 && strcmp(dest, "stderr") != 0 &&
	    (fd = open_append(dest)) == -1)
		return -1;
	/* Leave the previous destination only once the new one is open. */
	if (err_fd != STDERR_FILENO)
		close(err_fd);
	free(err_path);
	err_path = NULL;
	if (err_syslog && strcmp(dest, "syslog") != 0)
		closelog();
	err_fd = fd;
	err_syslog = strcmp(dest, "syslog") == 0;
	if (err_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (fd != STDERR_FILENO)
		err_path = xstrdup(dest);
	return 0;
}

/* Opens path again and swaps it in place of *fd, keeping the number. */
static int
reopen(const char *path, int *fd)
{
	int	nfd;

	if ((nfd = open_append(path)) == -1)
		return -1;
	if (*fd == -1) {
		*fd = nfd;
		return 0;
	}
	if (dup3(nfd, *fd, O_CLOEXEC) == -1) {
		close(nfd);
		return -1;
	}
	close(nfd);
	return 0;
}

int
log_reopen(void)
{
	if (err_path == NULL)
		return 0;
	return reopen(err_path, &err_fd);
}

void
log_set_startup(int on)
{
	err_startup = on;
}

void
log_set_level(int level)
{
	err_level = level;
}

void
log_set_tag(const char *tag)
{
	util_strlcpy(err_tag, tag, sizeof(err_tag));
}

static void
vlog(int level, int with_errno, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char		 line[LOG_LINE_MAX];
	size_t		 n = 0;
	int		 r, save = errno;
	time_t		 now;
	struct tm	 tm;

	if (level > err_level)
		return;
	if (!err_syslog) {
		now = time(NULL);
		localtime_r(&now, &tm);
		n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S ", &tm);
	}
	r = snprintf(line + n, sizeof(line) - n, "minihttpd[%ld]%s%s: %s: ",
	    (long)getpid(), err_tag[0] ? " " : "", err_tag, names[level]);
	if (r > 0)
		n += (size_t)r < sizeof(line) - n ? (size_t)r : 0;
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (r > 0)
		n = n + (size_t)r < sizeof(line) - 1 ? n + (size_t)r :
		    sizeof(line) - 2;
	if (with_errno) {
		r = snprintf(line + n, sizeof(line) - n, ": %s",
		    strerror(save));
		if (r > 0)
			n = n + (size_t)r < sizeof(line) - 1 ? n + (size_t)r :
			    sizeof(line) - 2;
	}
	if (err_syslog) {
		line[n] = '\0';
		syslog(prio[level], "%s", line);
	}
	line[n++] = '\n';
	if (!err_syslog && write(err_fd, line, n) == -1) {
		/* Nowhere left to report it. */
	}
	if (err_startup && level <= CONF_LOG_WARN &&
	    (err_syslog || err_fd != STDERR_FILENO) &&
	    write(STDERR_FILENO, line, n) == -1) {
		/* The terminal is gone: the log has it. */
	}
	errno = save;
}

#define LOGFN(name, level, with_errno)			\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	ap;					\
							\
	va_start(ap, fmt);				\
	vlog(level, with_errno, fmt, ap);		\
	va_end(ap);					\
}

LOGFN(log_error, CONF_LOG_ERROR, 0)
LOGFN(log_warn, CONF_LOG_WARN, 1)
LOGFN(log_warnx, CONF_LOG_WARN, 0)
LOGFN(log_info, CONF_LOG_INFO, 0)
LOGFN(log_debug, CONF_LOG_DEBUG, 0)

/* Switches to dest; on failure the current access log stays. */
int
accesslog_open(const char *dest)
{
	int	fd = -1;

	if (dest[0] != '\0' && strcmp(dest, "-") != 0 &&
	    (fd = open_append(dest)) == -1)
		return -1;
	accesslog_close();
	if (strcmp(dest, "-") == 0)
		acc_fd = STDERR_FILENO;
	else if (fd != -1) {
		acc_fd = fd;
		acc_path = xstrdup(dest);
	}
	return 0;
}

int
accesslog_reopen(void)
{
	if (acc_path == NULL)
		return 0;
	return reopen(acc_path, &acc_fd);
}

int
accesslog_enabled(void)
{
	return acc_fd != -1;
}

void
accesslog_write(const char *line, size_t len)
{
	if (acc_fd != -1 && write(acc_fd, line, len) == -1)
		log_debug("access log write failed: %s", strerror(errno));
}

void
accesslog_close(void)
{
	if (acc_fd != -1 && acc_fd != STDERR_FILENO)
		close(acc_fd);
	acc_fd = -1;
	free(acc_path);
	acc_path = NULL;
}

void
log_files_chown(uid_t uid, gid_t gid)
{
	if (err_path != NULL && fchown(err_fd, uid, gid) == -1)
		log_warn("cannot give %s to the workers", err_path);
	if (acc_path != NULL && fchown(acc_fd, uid, gid) == -1)
		log_warn("cannot give %s to the workers", acc_path);
}
