/*
 * log: error log and access log.  An error-log line is formatted into a
 * stack buffer and written with one write(2) on an O_APPEND descriptor,
 * which keeps lines from concurrent workers whole.  Access-log lines are
 * gathered into a block per process and written with one write(2) per
 * block; a short or failed write never leaves a line torn with another
 * glued onto it (see acc_short).  The destinations are opened by the
 * master before fork (workers may lack the permission later) and
 * reopened on request for log rotation.  A failing access log must
 * neither block the worker nor make its block grow.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * The access-log block: acc_len bytes of whole lines, except that when
 * acc_torn is set it starts with the rest of a line whose beginning is
 * already in the file.  acc_lines counts the lines in it, that rest
 * included.  While acc_failing, the last write failed with acc_errno;
 * acc_lost counts the lines dropped since it started failing, and
 * acc_reported is when that was last said.  acc_now is the last time a
 * caller gave.
 */
static char	 acc_buf[ACCESSLOG_BUF_MAX];
static size_t	 acc_len;
static size_t	 acc_lines;
static int	 acc_torn;
static int	 acc_failing;
static int	 acc_errno;
static unsigned long long acc_lost;
static time_t	 acc_now;
static time_t	 acc_reported;

static void	vlog(int, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static int	open_append(const char *);
static int	reopen(const char *, int *);
static const char *acc_name(void);
static void	acc_consume(size_t);
static int	acc_flush(void);
static void	acc_short(size_t, off_t);
static void	acc_drop_torn(void);

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
	acc_now = time(NULL);
	return 0;
}

/*
 * Writes what the block holds to the file it was gathered for, then, if
 * that file is one, opens the path again.  The rest of a torn line goes
 * to the old file or nowhere: at the top of the new one it would be half
 * a line.
 */
int
accesslog_reopen(void)
{
	(void)acc_flush();
	if (acc_path == NULL)
		return 0;
	if (reopen(acc_path, &acc_fd) == -1)
		return -1;
	if (acc_torn)
		acc_drop_torn();
	return 0;
}

int
accesslog_enabled(void)
{
	return acc_fd != -1;
}

/*
 * Appends a line to the block, adding its newline when it lacks one.
 * A line that does not fit makes the block go out first; while the log
 * is failing it is dropped instead, so that a failing log costs the
 * caller's once-a-second retry and not a write per request.
 */
void
accesslog_write(const char *line, size_t len)
{
	size_t	need;
	int	nl;

	if (acc_fd == -1 || len == 0)
		return;
	if (len > sizeof(acc_buf) - 1)
		len = sizeof(acc_buf) - 1;
	nl = line[len - 1] != '\n';
	need = len + (size_t)nl;
	if (need > sizeof(acc_buf) - acc_len && !acc_failing)
		(void)acc_flush();
	if (need > sizeof(acc_buf) - acc_len) {
		acc_lost++;
		return;
	}
	memcpy(acc_buf + acc_len, line, len);
	acc_len += len;
	if (nl)
		acc_buf[acc_len++] = '\n';
	acc_lines++;
}

int
accesslog_flush(void)
{
	return accesslog_flush_at(time(NULL));
}

/*
 * The caller's periodic flush, which also says, about once a minute,
 * that the log is still failing and how many lines it has cost.
 */
int
accesslog_flush_at(time_t now)
{
	int	r;

	acc_now = now;
	if ((r = acc_flush()) == -1 && (now < acc_reported ||
	    now - acc_reported >= ACCESSLOG_REPORT_SECS)) {
		log_warnx("access log %s: still cannot write (%s), "
		    "%llu lines lost so far", acc_name(), strerror(acc_errno),
		    acc_lost);
		acc_reported = now;
		errno = acc_errno;
	}
	return r;
}

/* Lines that cannot go out on close are lost, and said to be. */
void
accesslog_close(void)
{
	(void)acc_flush();
	acc_lost += acc_lines;
	if (acc_failing || acc_lost > 0)
		log_warnx("access log %s: closed with %llu lines lost",
		    acc_name(), acc_lost);
	if (acc_fd != -1 && acc_fd != STDERR_FILENO)
		close(acc_fd);
	acc_fd = -1;
	free(acc_path);
	acc_path = NULL;
	acc_len = acc_lines = 0;
	acc_torn = acc_failing = 0;
	acc_lost = 0;
}

static const char *
acc_name(void)
{
	return acc_path != NULL ? acc_path : "stderr";
}

/* Drops the first n bytes of the block, and the lines that end in them. */
static void
acc_consume(size_t n)
{
	const char	*p = acc_buf, *end = acc_buf + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		acc_lines--;
		p = nl + 1;
	}
	memmove(acc_buf, acc_buf + n, acc_len - n);
	acc_len -= n;
}

/*
 * Writes the block, whole, with one write(2) unless the kernel takes
 * less.  Returns 0 when the block is empty afterwards, or -1 with errno;
 * what did not go out stays for the next try.
 */
static int
acc_flush(void)
{
	struct stat	st;
	off_t		before = -1;
	size_t		off = 0;
	ssize_t		n;
	int		err = 0;

	if (acc_fd == -1 || acc_len == 0)
		return 0;
	if (fstat(acc_fd, &st) == 0 && S_ISREG(st.st_mode))
		before = st.st_size;
	while (off < acc_len) {
		if ((n = write(acc_fd, acc_buf + off, acc_len - off)) > 0)
			off += (size_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else {
			err = n == 0 ? EIO : errno;
			break;
		}
	}
	if (off == acc_len) {
		acc_len = acc_lines = 0;
		acc_torn = 0;
		if (acc_failing)
			log_warnx("access log %s: writing again, %llu lines "
			    "lost", acc_name(), acc_lost);
		acc_failing = 0;
		acc_lost = 0;
		return 0;
	}
	acc_short(off, before);
	acc_errno = err;
	if (!acc_failing) {
		acc_failing = 1;
		acc_reported = acc_now;
		errno = err;
		log_warn("access log %s: cannot write", acc_name());
	}
	errno = err;
	return -1;
}

/*
 * After a write that took only the first off bytes of the block.  An
 * O_APPEND write is atomic only for the bytes the kernel took, so the
 * file may now end in the middle of a line (a full disk takes what fits
 * in its last block; a pipe takes what fits).  Whoever appends next
 * would glue a line onto that fragment, and with several workers on one
 * file that need not be this process: completing the line on our next
 * flush is not enough.  So the fragment is taken back at once: when the
 * file is a regular file that grew by exactly what we wrote (nobody
 * appended since our fstat before the write), it is truncated to the end
 * of our last whole line, and the torn line stays in the block, whole.
 * That leaves a window of two syscalls: a writer that appends between
 * our write and our second fstat glues its line on (we see the growth
 * and leave the file alone), and one that appends between that fstat
 * and the truncation loses its lines with our fragment, whole.  Both
 * need space the short write just showed is missing.
 *
 * Where that cannot be done (a pipe, a terminal, a file that someone
 * else wrote to meanwhile, or a line begun by an earlier flush), the rest
 * of the line stays at the head of the block and the next flush sends it
 * first, so this process's own output is always whole lines in order.
 */
static void
acc_short(size_t off, off_t before)
{
	struct stat	 st;
	const char	*nl;
	size_t		 whole, frag;

	nl = memrchr(acc_buf, '\n', off);
	whole = nl != NULL ? (size_t)(nl - acc_buf) + 1 : 0;
	frag = off - whole;
	if (frag > 0 && (whole > 0 || !acc_torn) && before != -1 &&
	    fstat(acc_fd, &st) == 0 && st.st_size == before + (off_t)off &&
	    ftruncate(acc_fd, st.st_size - (off_t)frag) == 0) {
		acc_consume(whole);
		acc_torn = 0;
		return;
	}
	acc_consume(off);
	if (off > 0)
		acc_torn = frag > 0;
}

/* Drops the rest of a torn line from the head of the block. */
static void
acc_drop_torn(void)
{
	const char	*nl;

	nl = memchr(acc_buf, '\n', acc_len);
	acc_consume(nl != NULL ? (size_t)(nl - acc_buf) + 1 : acc_len);
	acc_torn = 0;
	acc_lost++;
}

void
log_files_chown(uid_t uid, gid_t gid)
{
	if (err_path != NULL && fchown(err_fd, uid, gid) == -1)
		log_warn("cannot give %s to the workers", err_path);
	if (acc_path != NULL && fchown(acc_fd, uid, gid) == -1)
		log_warn("cannot give %s to the workers", acc_path);
}
