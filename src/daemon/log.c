/*
 * log: error log and access log.  An error-log line is formatted into a
 * stack buffer and written with one write(2) on an O_APPEND descriptor,
 * which keeps lines from concurrent workers whole.  The access logs form
 * a set (one id per site, sites with the same path sharing one log);
 * each log's lines are gathered into a block per process and written
 * with one write(2) per block; a short or failed write never leaves a
 * line torn with another glued onto it (see acc_short).  The
 * destinations are opened by the master before fork (workers may lack
 * the permission later), kept as they are by a reload that keeps their
 * path, and reopened on request for log rotation.  A failing access log
 * must neither block the worker nor make its block grow.
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

/*
 * One access log: a destination and its block.  The block, allocated on
 * the first line (a process that never writes to a log holds none),
 * holds len bytes of whole lines, except that when torn is set it starts
 * with the rest of a line whose beginning is already in the file.  lines
 * counts the lines in it, that rest included.  While failing, the last
 * write failed with err; lost counts the lines dropped since it started
 * failing, and reported is when that was last said.  refs counts the
 * sets that hold the log: a set being prepared shares the logs of the
 * active one whose paths it keeps, fd and block included.
 */
struct acc_log {
	char		*path;		/* NULL: standard error */
	int		 fd;
	unsigned	 refs;
	char		*buf;
	size_t		 len;
	size_t		 lines;
	int		 torn;
	int		 failing;
	int		 err;
	unsigned long long lost;
	time_t		 reported;
};

/* ids[i] is the log of id i (NULL: off); logs has each of them once. */
struct accesslog_set {
	struct acc_log	**ids;
	size_t		  nids;
	struct acc_log	**logs;
	size_t		  nlogs;
};

/* The active set; acc_now is the last time a caller gave. */
static struct accesslog_set *acc_set;
static time_t	 acc_now;

static void	vlog(int, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static int	open_append(const char *);
static int	reopen(const char *, int *);
static struct acc_log *acc_find(const struct accesslog_set *, const char *);
static struct acc_log *acc_new(const char *);
static void	acc_unref(struct acc_log *);
static void	acc_release(struct accesslog_set *);
static const char *acc_name(const struct acc_log *);
static void	acc_append(struct acc_log *, const char *, size_t);
static void	acc_consume(struct acc_log *, size_t);
static void	acc_fail(struct acc_log *, int);
static int	acc_flush(struct acc_log *);
static int	acc_flush_report(struct acc_log *, time_t);
static void	acc_short(struct acc_log *, size_t, off_t);
static void	acc_drop_torn(struct acc_log *);

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

size_t
log_file_fds(int *fds, size_t max)
{
	size_t	i, n = 0;

	if (err_path != NULL && n < max)
		fds[n++] = err_fd;
	for (i = 0; acc_set != NULL && i < acc_set->nlogs; i++)
		if (acc_set->logs[i]->path != NULL && n < max)
			fds[n++] = acc_set->logs[i]->fd;
	return n;
}

/*
 * The same steps as log_reopen and accesslog_reopen, with files the
 * master opened: each block goes to the old file first, then the new
 * file takes the old one's number.
 */
int
log_files_adopt(const int *fds, size_t n)
{
	struct acc_log	*l;
	size_t		 i, k = 0;
	int		 cur[LOG_FILES_MAX];

	if (n != log_file_fds(cur, LOG_FILES_MAX)) {
		errno = EINVAL;
		return -1;
	}
	if (err_path != NULL && dup3(fds[k++], err_fd, O_CLOEXEC) == -1)
		return -1;
	for (i = 0; acc_set != NULL && i < acc_set->nlogs; i++) {
		l = acc_set->logs[i];
		if (l->path == NULL)
			continue;
		if (k == n)
			break;
		(void)acc_flush(l);
		if (dup3(fds[k++], l->fd, O_CLOEXEC) == -1)
			return -1;
		if (l->torn)
			acc_drop_torn(l);
	}
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

/* The log of the set with that path ("-": standard error), or NULL. */
static struct acc_log *
acc_find(const struct accesslog_set *s, const char *path)
{
	struct acc_log	*l;
	size_t		 i;

	for (i = 0; s != NULL && i < s->nlogs; i++) {
		l = s->logs[i];
		if (l->path == NULL ? strcmp(path, "-") == 0 :
		    strcmp(path, l->path) == 0)
			return l;
	}
	return NULL;
}

/* Opens path ("-": standard error).  Returns the log, or NULL with errno. */
static struct acc_log *
acc_new(const char *path)
{
	struct acc_log	*l;
	int		 save;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->fd = STDERR_FILENO;
	if (strcmp(path, "-") == 0)
		return l;
	if ((l->path = strdup(path)) == NULL ||
	    (l->fd = open_append(path)) == -1) {
		save = errno;
		free(l->path);
		free(l);
		errno = save;
		return NULL;
	}
	return l;
}

/*
 * A set no longer holds l; the last one to let go flushes and closes it.
 * Lines that cannot go out then are lost, and said to be.
 */
static void
acc_unref(struct acc_log *l)
{
	if (--l->refs > 0)
		return;
	(void)acc_flush(l);
	l->lost += l->lines;
	if (l->failing || l->lost > 0)
		log_warnx("access log %s: closed with %llu lines lost",
		    acc_name(l), l->lost);
	if (l->path != NULL)
		close(l->fd);
	free(l->path);
	free(l->buf);
	free(l);
}

static void
acc_release(struct accesslog_set *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nlogs; i++)
		acc_unref(s->logs[i]);
	free(s->ids);
	free(s->logs);
	free(s);
}

/*
 * Each distinct path is opened once, or taken from the active set as it
 * is: its fd, its block and the lines waiting there carry on into the
 * new set, so a reload that keeps a log neither reopens it nor writes
 * its lines twice.
 */
struct accesslog_set *
accesslog_set_open(char *const *paths, size_t n, size_t *bad)
{
	struct accesslog_set	*s;
	struct acc_log		*l;
	size_t			 i = 0;
	int			 save;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto fail;
	if ((s->ids = calloc(n + 1, sizeof(*s->ids))) == NULL ||
	    (s->logs = calloc(n + 1, sizeof(*s->logs))) == NULL)
		goto fail;
	s->nids = n;
	for (i = 0; i < n; i++) {
		if (paths[i][0] == '\0')
			continue;
		if ((l = acc_find(s, paths[i])) == NULL) {
			if ((l = acc_find(acc_set, paths[i])) == NULL &&
			    (l = acc_new(paths[i])) == NULL)
				goto fail;
			l->refs++;
			s->logs[s->nlogs++] = l;
		}
		s->ids[i] = l;
	}
	return s;
fail:
	save = errno;
	if (bad != NULL)
		*bad = i;
	acc_release(s);
	errno = save;
	return NULL;
}

void
accesslog_set_commit(struct accesslog_set *s)
{
	struct accesslog_set	*old = acc_set;

	if (s == old)
		return;
	acc_set = s;
	acc_now = time(NULL);
	acc_release(old);
}

void
accesslog_set_discard(struct accesslog_set *s)
{
	if (s != acc_set)
		acc_release(s);
}

/* A set of one log, id 0; on failure the current access logs stay. */
int
accesslog_open(const char *dest)
{
	struct accesslog_set	*s;
	char *const		 paths[] = { (char *)dest };

	if ((s = accesslog_set_open(paths, 1, NULL)) == NULL)
		return -1;
	accesslog_set_commit(s);
	return 0;
}

size_t
accesslog_count(void)
{
	return acc_set != NULL ? acc_set->nids : 0;
}

size_t
accesslog_blocks(void)
{
	size_t	i, n = 0;

	for (i = 0; acc_set != NULL && i < acc_set->nlogs; i++)
		n += acc_set->logs[i]->buf != NULL;
	return n;
}

/*
 * Writes what each block holds to the file it was gathered for, then, if
 * that file is one, opens the path again.  The rest of a torn line goes
 * to the old file or nowhere: at the top of the new one it would be half
 * a line.  A log that cannot be reopened keeps its old file.
 */
int
accesslog_reopen(void)
{
	struct acc_log	*l;
	size_t		 i;
	int		 r = 0, save = 0;

	for (i = 0; acc_set != NULL && i < acc_set->nlogs; i++) {
		l = acc_set->logs[i];
		(void)acc_flush(l);
		if (l->path == NULL)
			continue;
		if (reopen(l->path, &l->fd) == -1) {
			if (r == 0)
				save = errno;
			r = -1;
			log_warn("access log %s: cannot reopen", l->path);
			continue;
		}
		if (l->torn)
			acc_drop_torn(l);
	}
	if (r == -1)
		errno = save;
	return r;
}

int
accesslog_enabled_id(size_t id)
{
	return acc_set != NULL && id < acc_set->nids &&
	    acc_set->ids[id] != NULL;
}

int
accesslog_enabled(void)
{
	return accesslog_enabled_id(0);
}

void
accesslog_write_id(size_t id, const char *line, size_t len)
{
	if (accesslog_enabled_id(id) && len > 0)
		acc_append(acc_set->ids[id], line, len);
}

void
accesslog_write(const char *line, size_t len)
{
	accesslog_write_id(0, line, len);
}

/*
 * Appends a line to the block, adding its newline when it lacks one.
 * A line that does not fit makes the block go out first; while the log
 * is failing it is dropped instead, so that a failing log costs the
 * caller's once-a-second retry and not a write per request.
 */
static void
acc_append(struct acc_log *l, const char *line, size_t len)
{
	size_t	need;
	int	nl;

	if (l->buf == NULL && (l->buf = malloc(ACCESSLOG_BUF_MAX)) == NULL) {
		acc_fail(l, errno);
		l->lost++;
		return;
	}
	if (len > ACCESSLOG_BUF_MAX - 1)
		len = ACCESSLOG_BUF_MAX - 1;
	nl = line[len - 1] != '\n';
	need = len + (size_t)nl;
	if (need > ACCESSLOG_BUF_MAX - l->len && !l->failing)
		(void)acc_flush(l);
	if (need > ACCESSLOG_BUF_MAX - l->len) {
		l->lost++;
		return;
	}
	memcpy(l->buf + l->len, line, len);
	l->len += len;
	if (nl)
		l->buf[l->len++] = '\n';
	l->lines++;
}

int
accesslog_flush(void)
{
	return accesslog_flush_at(time(NULL));
}

/*
 * The caller's periodic flush of every log of the active set.  Returns
 * -1 with the errno of the first log that still has lines waiting.
 */
int
accesslog_flush_at(time_t now)
{
	size_t	i;
	int	r = 0, save = 0;

	acc_now = now;
	for (i = 0; acc_set != NULL && i < acc_set->nlogs; i++)
		if (acc_flush_report(acc_set->logs[i], now) == -1 && r == 0) {
			save = errno;
			r = -1;
		}
	if (r == -1)
		errno = save;
	return r;
}

/*
 * Flushes l and says, about once a minute, that it is still failing and
 * how many lines it has cost.
 */
static int
acc_flush_report(struct acc_log *l, time_t now)
{
	int	r;

	if ((r = acc_flush(l)) == -1 && (now < l->reported ||
	    now - l->reported >= ACCESSLOG_REPORT_SECS)) {
		log_warnx("access log %s: still cannot write (%s), "
		    "%llu lines lost so far", acc_name(l), strerror(l->err),
		    l->lost);
		l->reported = now;
		errno = l->err;
	}
	return r;
}

void
accesslog_close(void)
{
	struct accesslog_set	*old = acc_set;

	acc_set = NULL;
	acc_release(old);
}

static const char *
acc_name(const struct acc_log *l)
{
	return l->path != NULL ? l->path : "stderr";
}

/* Drops the first n bytes of the block, and the lines that end in them. */
static void
acc_consume(struct acc_log *l, size_t n)
{
	const char	*p = l->buf, *end = l->buf + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		l->lines--;
		p = nl + 1;
	}
	memmove(l->buf, l->buf + n, l->len - n);
	l->len -= n;
}

/* The log failed with err: said once, when it starts. */
static void
acc_fail(struct acc_log *l, int err)
{
	l->err = err;
	if (!l->failing) {
		l->failing = 1;
		l->reported = acc_now;
		errno = err;
		log_warn("access log %s: cannot write", acc_name(l));
	}
}

/*
 * Writes the block, whole, with one write(2) unless the kernel takes
 * less.  Returns 0 when the block is empty afterwards, or -1 with errno;
 * what did not go out stays for the next try.  A log without a block
 * failed only if there was no memory for one.
 */
static int
acc_flush(struct acc_log *l)
{
	struct stat	st;
	off_t		before = -1;
	size_t		off = 0;
	ssize_t		n;
	int		err = 0;

	if (l->buf == NULL && l->failing) {
		errno = l->err;
		return -1;
	}
	if (l->len == 0)
		return 0;
	if (fstat(l->fd, &st) == 0 && S_ISREG(st.st_mode))
		before = st.st_size;
	while (off < l->len) {
		if ((n = write(l->fd, l->buf + off, l->len - off)) > 0)
			off += (size_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else {
			err = n == 0 ? EIO : errno;
			break;
		}
	}
	if (off == l->len) {
		l->len = l->lines = 0;
		l->torn = 0;
		if (l->failing)
			log_warnx("access log %s: writing again, %llu lines "
			    "lost", acc_name(l), l->lost);
		l->failing = 0;
		l->lost = 0;
		return 0;
	}
	acc_short(l, off, before);
	acc_fail(l, err);
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
acc_short(struct acc_log *l, size_t off, off_t before)
{
	struct stat	 st;
	const char	*nl;
	size_t		 whole, frag;

	nl = memrchr(l->buf, '\n', off);
	whole = nl != NULL ? (size_t)(nl - l->buf) + 1 : 0;
	frag = off - whole;
	if (frag > 0 && (whole > 0 || !l->torn) && before != -1 &&
	    fstat(l->fd, &st) == 0 && st.st_size == before + (off_t)off &&
	    ftruncate(l->fd, st.st_size - (off_t)frag) == 0) {
		acc_consume(l, whole);
		l->torn = 0;
		return;
	}
	acc_consume(l, off);
	if (off > 0)
		l->torn = frag > 0;
}

/* Drops the rest of a torn line from the head of the block. */
static void
acc_drop_torn(struct acc_log *l)
{
	const char	*nl;

	nl = memchr(l->buf, '\n', l->len);
	acc_consume(l, nl != NULL ? (size_t)(nl - l->buf) + 1 : l->len);
	l->torn = 0;
	l->lost++;
}

/* The error log and every file of the active access-log set. */
void
log_files_chown(uid_t uid, gid_t gid)
{
	struct acc_log	*l;
	size_t		 i;

	if (err_path != NULL && fchown(err_fd, uid, gid) == -1)
		log_warn("cannot give %s to the workers", err_path);
	for (i = 0; acc_set != NULL && i < acc_set->nlogs; i++) {
		l = acc_set->logs[i];
		if (l->path != NULL && fchown(l->fd, uid, gid) == -1)
			log_warn("cannot give %s to the workers", l->path);
	}
}
