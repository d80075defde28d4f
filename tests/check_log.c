/*
 * check_log: the access log is written in blocks of whole lines: a line
 * reaches the file on a flush or when the block would overflow, a short
 * write never leaves a torn line with another glued onto it, and a log
 * that cannot be written drops and counts lines and says so at warn
 * level, once, then about once a minute, then when it writes again.
 * The logs form a set, one id per site: ids with the same path share a
 * log, a new set reuses the logs of the active one that it keeps (lines
 * waiting included), and all of the above holds for each log apart.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/log.h"

/* A fixed clock for the reports, far from the real one. */
#define T0		((time_t)1000000)
/* Lines of this length fill the block exactly. */
#define LINE64		64
#define BLOCK_LINES	(ACCESSLOG_BUF_MAX / LINE64)
/* Descriptors looked at when counting the open ones. */
#define FD_SCAN		256
/* Ids of the 100-sites set. */
#define SITES		100

static char	dir[64];
static char	acc[128], acc1[128], err[128], link_[128];
static char	acc_b[128], acc_b1[128], acc_c[128], nodir[128];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_log.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(acc, sizeof(acc), "%s/access.log", dir);
	snprintf(acc1, sizeof(acc1), "%s/access.log.1", dir);
	snprintf(err, sizeof(err), "%s/error.log", dir);
	snprintf(link_, sizeof(link_), "%s/link", dir);
	snprintf(acc_b, sizeof(acc_b), "%s/b.log", dir);
	snprintf(acc_b1, sizeof(acc_b1), "%s/b.log.1", dir);
	snprintf(acc_c, sizeof(acc_c), "%s/c.log", dir);
	snprintf(nodir, sizeof(nodir), "%s/nodir/x.log", dir);
	ck_assert_int_eq(log_open(err, CONF_LOG_INFO, "check_log"), 0);
}

static void
teardown(void)
{
	accesslog_close();
	unlink(acc);
	unlink(acc1);
	unlink(err);
	unlink(link_);
	unlink(acc_b);
	unlink(acc_b1);
	unlink(acc_c);
	rmdir(dir);
}

/* Line i, exactly len bytes with its newline (len >= 16). */
static void
make_line(char *buf, size_t len, unsigned i)
{
	int	n;

	n = snprintf(buf, len, "line %08u ", i);
	memset(buf + n, 'a' + (char)(i % 26), len - 1 - (size_t)n);
	buf[len - 1] = '\n';
}

static void
write_lines(unsigned from, unsigned count, size_t len)
{
	char		line[LOG_LINE_MAX];
	unsigned	i;

	for (i = from; i < from + count; i++) {
		make_line(line, len, i);
		accesslog_write(line, len);
	}
}

static void
write_lines_id(size_t id, unsigned from, unsigned count, size_t len)
{
	char		line[LOG_LINE_MAX];
	unsigned	i;

	for (i = from; i < from + count; i++) {
		make_line(line, len, i);
		accesslog_write_id(id, line, len);
	}
}

/* What write_lines(from, count, len) should produce, at out. */
static size_t
expect_lines(char *out, unsigned from, unsigned count, size_t len)
{
	unsigned	i;

	for (i = from; i < from + count; i++)
		make_line(out + (size_t)(i - from) * len, len, i);
	return (size_t)count * len;
}

/* Reads a whole file into a new buffer; *len gets its size. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	int		 fd;

	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	n = read(fd, buf, (size_t)st.st_size);
	ck_assert_int_eq(n, st.st_size);
	buf[n] = '\0';
	close(fd);
	*len = (size_t)n;
	return buf;
}

static off_t
file_size(const char *path)
{
	struct stat	st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

/* The file holds exactly lines from..from+count-1 of length len. */
static void
assert_lines(const char *path, unsigned from, unsigned count, size_t len)
{
	char	*got, *want;
	size_t	 glen, wlen;

	got = slurp(path, &glen);
	want = malloc((size_t)count * len + 1);
	ck_assert_ptr_nonnull(want);
	wlen = expect_lines(want, from, count, len);
	ck_assert_uint_eq(glen, wlen);
	ck_assert(memcmp(got, want, wlen) == 0);
	free(got);
	free(want);
}

/* How many times the error log holds s. */
static int
errlog_count(const char *s)
{
	char		*log, *p;
	size_t		 len;
	int		 n = 0;

	log = slurp(err, &len);
	for (p = log; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	free(log);
	return n;
}

static const struct {
	unsigned	count;
	size_t		len;
} whole_cases[] = {
	{ 1, 16 },
	{ 1, LOG_LINE_MAX },
	{ 3, 100 },
	{ BLOCK_LINES, LINE64 },	/* the block exactly full */
	{ 500, 131 },
	{ 20, 1000 },
};

START_TEST(test_lines_whole_after_flush)
{
	unsigned	count = whole_cases[_i].count;
	size_t		len = whole_cases[_i].len;

	ck_assert_int_eq(accesslog_open(acc), 0);
	ck_assert_int_eq(accesslog_enabled(), 1);
	write_lines(0, count, len);
	ck_assert_int_eq(file_size(acc), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, count, len);
	ck_assert_int_eq(accesslog_flush_at(T0 + 1), 0);
	assert_lines(acc, 0, count, len);
	ck_assert_int_eq(errlog_count("access log"), 0);
}
END_TEST

START_TEST(test_newline_added)
{
	char	*got;
	size_t	 len;

	ck_assert_int_eq(accesslog_open(acc), 0);
	accesslog_write("no newline", 10);
	accesslog_write("with newline\n", 13);
	accesslog_write("", 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	got = slurp(acc, &len);
	ck_assert_str_eq(got, "no newline\nwith newline\n");
	free(got);
}
END_TEST

START_TEST(test_overflow_writes_block)
{
	ck_assert_int_eq(accesslog_open(acc), 0);
	write_lines(0, BLOCK_LINES, LINE64);
	ck_assert_int_eq(file_size(acc), 0);
	/* One more line does not fit: the full block goes out first. */
	write_lines(BLOCK_LINES, 1, LINE64);
	assert_lines(acc, 0, BLOCK_LINES, LINE64);
	write_lines(BLOCK_LINES + 1, 10, LINE64);
	assert_lines(acc, 0, BLOCK_LINES, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, BLOCK_LINES + 11, LINE64);
}
END_TEST

/* Appends what the non-blocking pipe holds to out at *len. */
static void
drain(int fd, char *out, size_t size, size_t *len)
{
	ssize_t	n;

	while ((n = read(fd, out + *len, size - *len)) > 0)
		*len += (size_t)n;
	ck_assert(n == -1 && errno == EAGAIN);
}

/*
 * Standard error is a small non-blocking pipe that nobody reads: the
 * kernel takes part of the block, ending in the middle of a line.  The
 * rest of that line must come first on the next flush, before lines
 * written since.
 */
START_TEST(test_pipe_short_write_no_torn_line)
{
	enum { LEN = 100, FIRST = 200, MORE = 50, ROOM = 4096 };
	char	*got, *want;
	size_t	 glen = 0, wlen, size = (FIRST + MORE) * LEN + 1;
	int	 p[2], cap, tries;

	got = malloc(size);
	want = malloc(size);
	ck_assert(got != NULL && want != NULL);
	ck_assert_int_eq(pipe2(p, O_NONBLOCK), 0);
	/* Leave the log ROOM bytes: the pipe cannot shrink below a page. */
	cap = fcntl(p[1], F_SETPIPE_SZ, ROOM);
	ck_assert_int_ge(cap, ROOM);
	memset(got, 'x', (size_t)cap - ROOM);
	ck_assert_int_eq(write(p[1], got, (size_t)cap - ROOM), cap - ROOM);
	ck_assert_int_eq(dup2(p[1], STDERR_FILENO), STDERR_FILENO);
	ck_assert_int_eq(accesslog_open("-"), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);

	write_lines(0, FIRST, LEN);
	ck_assert_int_eq(accesslog_flush_at(T0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(read(p[0], got, (size_t)cap - ROOM), cap - ROOM);
	drain(p[0], got, size, &glen);
	ck_assert_uint_eq(glen, ROOM);
	ck_assert(got[glen - 1] != '\n');	/* the pipe took part of a line */
	ck_assert_int_eq(errlog_count("access log stderr: cannot write: "),
	    1);

	write_lines(FIRST, MORE, LEN);
	for (tries = 0; accesslog_flush_at(T0 + 1) == -1; tries++) {
		ck_assert_int_lt(tries, 100);
		drain(p[0], got, size, &glen);
	}
	drain(p[0], got, size, &glen);
	wlen = expect_lines(want, 0, FIRST + MORE, LEN);
	ck_assert_uint_eq(glen, wlen);
	ck_assert(memcmp(got, want, wlen) == 0);
	ck_assert_int_eq(errlog_count("cannot write"), 1);
	ck_assert_int_eq(errlog_count(
	    "access log stderr: writing again, 0 lines lost"), 1);
	free(got);
	free(want);
}
END_TEST

/*
 * A regular file that takes only part of the block (here a file-size
 * limit; a full disk does the same): the file must end with a whole line
 * at once, not only after our next flush, since another worker may
 * append to it first.
 */
START_TEST(test_file_short_write_no_torn_line)
{
	static const char other[] = "another worker's line\n";
	struct rlimit	 rl, low;
	char		*got, *want;
	size_t		 glen, wlen;
	int		 fd;

	ck_assert(signal(SIGXFSZ, SIG_IGN) != SIG_ERR);
	ck_assert_int_eq(accesslog_open(acc), 0);
	write_lines(0, 100, LINE64);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	low = rl;
	low.rlim_cur = 15 * LINE64 + 40;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &low), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), -1);
	ck_assert_int_eq(errno, EFBIG);
	assert_lines(acc, 0, 15, LINE64);
	write_lines(100, 5, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 1), -1);
	assert_lines(acc, 0, 15, LINE64);

	/* Space again, and another writer is first to use it. */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	fd = open(acc, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, other, sizeof(other) - 1),
	    (ssize_t)sizeof(other) - 1);
	close(fd);
	ck_assert_int_eq(accesslog_flush_at(T0 + 2), 0);
	want = malloc(105 * LINE64 + sizeof(other));
	ck_assert_ptr_nonnull(want);
	wlen = expect_lines(want, 0, 15, LINE64);
	memcpy(want + wlen, other, sizeof(other) - 1);
	wlen += sizeof(other) - 1;
	wlen += expect_lines(want + wlen, 15, 90, LINE64);
	got = slurp(acc, &glen);
	ck_assert_uint_eq(glen, wlen);
	ck_assert(memcmp(got, want, wlen) == 0);
	free(got);
	free(want);
	ck_assert_int_eq(errlog_count("cannot write: File too large"), 1);
	ck_assert_int_eq(errlog_count("writing again, 0 lines lost"), 1);
}
END_TEST

/*
 * /dev/full refuses everything.  Steps of a failing log: at time T0 +
 * at, write lines more, flush; the block holds BLOCK_LINES lines that
 * wait, so every later line is lost.
 */
static const struct {
	time_t		at;
	unsigned	more;
	unsigned long long lost;	/* so far */
	int		reports;	/* "still cannot write" so far */
} full_steps[] = {
	{ 0, 10, 10, 0 },
	{ 1, 0, 10, 0 },
	{ 59, 5, 15, 0 },
	{ 60, 0, 15, 1 },
	{ 61, 20, 35, 1 },
	{ 119, 0, 35, 1 },
	{ 120, 0, 35, 2 },
	{ 200, 1, 36, 3 },
	{ 201, 0, 36, 3 },
};

START_TEST(test_full_disk_counts_and_reports)
{
	char		msg[128];
	unsigned	next = BLOCK_LINES;
	size_t		i;
	int		reports = 0;

	ck_assert_int_eq(accesslog_open("/dev/full"), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	write_lines(0, BLOCK_LINES, LINE64);
	ck_assert_int_eq(errlog_count("access log"), 0);
	for (i = 0; i < sizeof(full_steps) / sizeof(full_steps[0]); i++) {
		write_lines(next, full_steps[i].more, LINE64);
		next += full_steps[i].more;
		ck_assert_int_eq(accesslog_flush_at(T0 + full_steps[i].at),
		    -1);
		ck_assert_int_eq(errno, ENOSPC);
		ck_assert_int_eq(errlog_count("access log /dev/full: cannot "
		    "write: No space left on device"), 1);
		ck_assert_int_eq(errlog_count("still cannot write (No space "
		    "left on device)"), full_steps[i].reports);
		/* A report made at this step gives the count so far. */
		snprintf(msg, sizeof(msg), "%llu lines lost so far",
		    full_steps[i].lost);
		if (full_steps[i].reports > reports)
			ck_assert_int_eq(errlog_count(msg), 1);
		reports = full_steps[i].reports;
	}
	ck_assert_int_eq(errlog_count("writing again"), 0);
	/* What waits in the block is lost on close, and counted. */
	accesslog_close();
	snprintf(msg, sizeof(msg), "access log /dev/full: closed with %llu "
	    "lines lost", (unsigned long long)BLOCK_LINES + 36);
	ck_assert_int_eq(errlog_count(msg), 1);
}
END_TEST

/*
 * A log that fails, then works again after a rotation: the lines kept
 * in the block reach the new file, and the recovery is said once, with
 * the count of what was dropped meanwhile.
 */
START_TEST(test_recovery_reported)
{
	char	msg[256];

	ck_assert_int_eq(symlink("/dev/full", link_), 0);
	ck_assert_int_eq(accesslog_open(link_), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	write_lines(0, BLOCK_LINES + 7, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 1), -1);
	ck_assert_int_eq(unlink(link_), 0);
	ck_assert_int_eq(symlink(acc, link_), 0);
	ck_assert_int_eq(accesslog_reopen(), 0);
	ck_assert_int_eq(errlog_count("writing again"), 0);
	ck_assert_int_eq(accesslog_flush_at(T0 + 2), 0);
	assert_lines(acc, 0, BLOCK_LINES, LINE64);
	snprintf(msg, sizeof(msg), "access log %s: writing again, 7 lines "
	    "lost", link_);
	ck_assert_int_eq(errlog_count(msg), 1);
	/* Said once: a later flush that works is silent. */
	write_lines(BLOCK_LINES + 7, 1, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 3), 0);
	accesslog_close();
	ck_assert_int_eq(errlog_count("writing again"), 1);
	ck_assert_int_eq(errlog_count("lines lost"), 1);
}
END_TEST

/* Lines written before a rotation land in the renamed file. */
START_TEST(test_reopen_flushes)
{
	ck_assert_int_eq(accesslog_open(acc), 0);
	write_lines(0, 3, 80);
	ck_assert_int_eq(rename(acc, acc1), 0);
	ck_assert_int_eq(accesslog_reopen(), 0);
	assert_lines(acc1, 0, 3, 80);
	ck_assert_int_eq(file_size(acc), 0);
	write_lines(3, 2, 80);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 3, 2, 80);
	assert_lines(acc1, 0, 3, 80);
}
END_TEST

/*
 * What a confined worker does on USR1 (worker.c): the files come from
 * the master, in log_file_fds order (the error log, then the access
 * log), and take the place of the old ones; lines gathered before go to
 * the old file.
 */
START_TEST(test_adopt_passed_files)
{
	char	err1[160];
	int	fds[LOG_FILES_MAX], nfd[2];
	size_t	n;

	snprintf(err1, sizeof(err1), "%s.1", err);
	ck_assert_int_eq(accesslog_open(acc), 0);
	n = log_file_fds(fds, LOG_FILES_MAX);
	ck_assert_uint_eq(n, 2);
	write_lines(0, 3, 80);
	ck_assert_int_eq(rename(acc, acc1), 0);
	ck_assert_int_eq(rename(err, err1), 0);
	nfd[0] = open(err, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	nfd[1] = open(acc, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	ck_assert(nfd[0] != -1 && nfd[1] != -1);
	/* A count that does not match changes nothing. */
	ck_assert_int_eq(log_files_adopt(nfd, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(log_files_adopt(nfd, 2), 0);
	close(nfd[0]);
	close(nfd[1]);
	/* The numbers are kept: log_file_fds gives the same ones. */
	ck_assert_uint_eq(log_file_fds(nfd, 2), 2);
	ck_assert_int_eq(nfd[0], fds[0]);
	ck_assert_int_eq(nfd[1], fds[1]);
	assert_lines(acc1, 0, 3, 80);
	write_lines(3, 2, 80);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 3, 2, 80);
	log_warnx("after adopting");
	ck_assert_int_eq(errlog_count("after adopting"), 1);
	unlink(err1);
}
END_TEST

START_TEST(test_close_flushes)
{
	ck_assert_int_eq(accesslog_open(acc), 0);
	write_lines(0, 4, 70);
	accesslog_close();
	ck_assert_int_eq(accesslog_enabled(), 0);
	assert_lines(acc, 0, 4, 70);
	/* Switching to another log closes, so flushes, this one. */
	ck_assert_int_eq(accesslog_open(acc1), 0);
	write_lines(4, 2, 70);
	ck_assert_int_eq(accesslog_open(""), 0);
	ck_assert_int_eq(accesslog_enabled(), 0);
	assert_lines(acc1, 4, 2, 70);
	ck_assert_int_eq(errlog_count("access log"), 0);
}
END_TEST

/* Opens a set of n paths and makes it the active one. */
static void
use_set(char *const *paths, size_t n)
{
	struct accesslog_set	*s;
	size_t			 bad = n;

	s = accesslog_set_open(paths, n, &bad);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(bad, n);
	accesslog_set_commit(s);
	ck_assert_uint_eq(accesslog_count(), n);
}

/* Marks the open descriptors below FD_SCAN in isopen; counts them. */
static int
fds_open(unsigned char *isopen)
{
	int	fd, n = 0;

	for (fd = 0; fd < FD_SCAN; fd++) {
		isopen[fd] = fcntl(fd, F_GETFD) != -1;
		n += isopen[fd];
	}
	return n;
}

/* Two sites with two files: each file gets its own lines, and only them. */
START_TEST(test_set_ids_own_files)
{
	char *const	paths[] = { acc, "", acc_b };

	use_set(paths, 3);
	ck_assert_int_eq(accesslog_enabled_id(0), 1);
	ck_assert_int_eq(accesslog_enabled_id(1), 0);
	ck_assert_int_eq(accesslog_enabled_id(2), 1);
	ck_assert_int_eq(accesslog_enabled_id(3), 0);
	ck_assert_int_eq(accesslog_enabled(), 1);
	write_lines_id(0, 0, 3, 90);
	write_lines_id(1, 50, 3, 90);		/* off: nowhere */
	write_lines_id(2, 100, 5, 90);
	write_lines_id(7, 200, 5, 90);		/* no such id: nowhere */
	write_lines(3, 2, 90);			/* id 0 */
	ck_assert_int_eq(file_size(acc), 0);
	ck_assert_int_eq(file_size(acc_b), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, 5, 90);
	assert_lines(acc_b, 100, 5, 90);
	ck_assert_int_eq(errlog_count("access log"), 0);
}
END_TEST

/*
 * Three sites on one path share one log and one block: their lines reach
 * the file whole, in the order written, block overflows included, and
 * the file is opened once.
 */
START_TEST(test_set_shared_path)
{
	enum { LEN = 100, COUNT = 3 * ACCESSLOG_BUF_MAX / LEN };
	char *const	 paths[] = { acc, acc_b, acc, acc };
	unsigned char	 before[FD_SCAN], after[FD_SCAN];
	unsigned	 i;
	int		 n;

	n = fds_open(before);
	use_set(paths, 4);
	ck_assert_int_eq(fds_open(after), n + 2);
	for (i = 0; i < COUNT; i++)
		write_lines_id((size_t[]){ 0, 2, 3 }[i % 3], i, 1, LEN);
	ck_assert_uint_eq(accesslog_blocks(), 1);
	/* Whole blocks went out when full, never a part of a line. */
	ck_assert_int_gt(file_size(acc), 0);
	ck_assert_int_eq(file_size(acc) % LEN, 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, COUNT, LEN);
	ck_assert_int_eq(file_size(acc_b), 0);
}
END_TEST

/*
 * A new set that keeps a path takes the log as it is: the lines waiting
 * in its block are written once, after the commit, to the same file
 * (here renamed meanwhile, which a reopen would have left behind), and
 * the old set's commit neither flushes nor closes it.
 */
START_TEST(test_set_reuse_keeps_lines)
{
	char *const		 one[] = { acc };
	char *const		 two[] = { acc_b, acc };
	struct accesslog_set	*s;
	unsigned char		 before[FD_SCAN], after[FD_SCAN];
	struct stat		 st;
	int			 n;

	use_set(one, 1);
	write_lines_id(0, 0, 5, 80);
	ck_assert_int_eq(rename(acc, acc1), 0);
	n = fds_open(before);
	s = accesslog_set_open(two, 2, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(fds_open(after), n + 1);	/* acc_b only */
	ck_assert_int_eq(file_size(acc1), 0);
	/* Still the old set's id 0. */
	write_lines_id(0, 5, 1, 80);
	accesslog_set_commit(s);
	ck_assert_uint_eq(accesslog_count(), 2);
	ck_assert_int_eq(fds_open(after), n + 1);
	ck_assert_int_eq(file_size(acc1), 0);
	ck_assert_uint_eq(accesslog_blocks(), 1);
	write_lines_id(1, 6, 2, 80);		/* the same log, now id 1 */
	write_lines_id(0, 100, 1, 80);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc1, 0, 8, 80);
	assert_lines(acc_b, 100, 1, 80);
	ck_assert(stat(acc, &st) == -1 && errno == ENOENT);
	ck_assert_int_eq(accesslog_flush_at(T0 + 1), 0);
	assert_lines(acc1, 0, 8, 80);
	ck_assert_int_eq(errlog_count("access log"), 0);
}
END_TEST

/*
 * Discarding a set closes what it opened and nothing else: the active
 * set's fd and the lines waiting in its block are untouched.
 */
START_TEST(test_set_discard_closes_new_only)
{
	char *const		 one[] = { acc };
	char *const		 more[] = {
		acc_b, acc, "-", acc_c, acc_b, ""
	};
	struct accesslog_set	*s;
	unsigned char		 before[FD_SCAN], during[FD_SCAN],
				 after[FD_SCAN];
	int			 fd, n, nnew = 0;

	use_set(one, 1);
	write_lines(0, 4, 70);
	n = fds_open(before);
	s = accesslog_set_open(more, 6, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(fds_open(during), n + 2);	/* acc_b, acc_c */
	accesslog_set_discard(s);
	ck_assert_int_eq(fds_open(after), n);
	for (fd = 0; fd < FD_SCAN; fd++) {
		ck_assert_int_eq(after[fd], before[fd]);
		if (during[fd] && !before[fd]) {
			nnew++;
			ck_assert(fcntl(fd, F_GETFD) == -1 && errno == EBADF);
		}
	}
	ck_assert_int_eq(nnew, 2);
	ck_assert_uint_eq(accesslog_count(), 1);
	ck_assert_int_eq(file_size(acc), 0);
	write_lines(4, 2, 70);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, 6, 70);
	ck_assert_int_eq(errlog_count("access log"), 0);
}
END_TEST

/*
 * A block is allocated on a log's first line: a site never written to
 * costs none, and a hundred sites on one path cost one.
 */
START_TEST(test_set_blocks_lazy)
{
	char	*paths[SITES + 1];
	size_t	 i;

	for (i = 0; i < SITES; i++)
		paths[i] = acc;
	paths[SITES] = acc_b;
	use_set(paths, SITES + 1);
	ck_assert_uint_eq(accesslog_blocks(), 0);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	ck_assert_uint_eq(accesslog_blocks(), 0);
	for (i = 0; i < SITES; i++)
		write_lines_id(i, (unsigned)i, 1, 64);
	ck_assert_uint_eq(accesslog_blocks(), 1);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, SITES, 64);
	write_lines_id(SITES, 0, 1, 64);
	ck_assert_uint_eq(accesslog_blocks(), 2);
	/* accesslog_open makes a new set of one log, without a block yet. */
	ck_assert_int_eq(accesslog_open(acc_c), 0);
	ck_assert_uint_eq(accesslog_count(), 1);
	ck_assert_uint_eq(accesslog_blocks(), 0);
	assert_lines(acc_b, 0, 1, 64);		/* flushed on close */
}
END_TEST

/* A rotation renames every file: each one's lines stay in the old one. */
START_TEST(test_set_reopen_all)
{
	char *const	paths[] = { acc, acc_b, "-", acc };

	use_set(paths, 4);
	write_lines_id(0, 0, 3, 80);
	write_lines_id(1, 10, 2, 80);
	write_lines_id(3, 3, 1, 80);
	ck_assert_int_eq(rename(acc, acc1), 0);
	ck_assert_int_eq(rename(acc_b, acc_b1), 0);
	ck_assert_int_eq(accesslog_reopen(), 0);
	assert_lines(acc1, 0, 4, 80);
	assert_lines(acc_b1, 10, 2, 80);
	ck_assert_int_eq(file_size(acc), 0);
	ck_assert_int_eq(file_size(acc_b), 0);
	write_lines_id(3, 4, 2, 80);
	write_lines_id(1, 12, 1, 80);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 4, 2, 80);
	assert_lines(acc_b, 12, 1, 80);
	assert_lines(acc1, 0, 4, 80);
	assert_lines(acc_b1, 10, 2, 80);
}
END_TEST

/*
 * A path that cannot be opened: no set, *bad names it, what was opened
 * before it is closed again, and the active set carries on.
 */
START_TEST(test_set_open_fails)
{
	char *const		 one[] = { acc };
	char *const		 bad_paths[] = {
		acc_b, acc, "", nodir, acc_c
	};
	char *const		 dir_paths[] = { "-", dir };
	unsigned char		 before[FD_SCAN], after[FD_SCAN];
	size_t			 bad = 99;
	int			 n;

	use_set(one, 1);
	write_lines(0, 3, 70);
	n = fds_open(before);
	errno = 0;
	ck_assert_ptr_null(accesslog_set_open(bad_paths, 5, &bad));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(bad, 3);
	ck_assert_ptr_null(accesslog_set_open(dir_paths, 2, &bad));
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(fds_open(after), n);
	ck_assert(memcmp(before, after, sizeof(before)) == 0);
	ck_assert_uint_eq(accesslog_count(), 1);
	ck_assert_int_eq(accesslog_enabled(), 1);
	/* accesslog_open fails the same way, and keeps the set too. */
	ck_assert_int_eq(accesslog_open(nodir), -1);
	ck_assert_int_eq(errno, ENOENT);
	write_lines(3, 2, 70);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	assert_lines(acc, 0, 5, 70);
	ck_assert_int_eq(errlog_count("access log"), 0);
}
END_TEST

/*
 * A failing log next to a working one: only the failing one drops lines
 * and is reported (by its path); the other is written as usual, and is
 * closed without a word.
 */
START_TEST(test_set_failing_log_alone)
{
	char *const	paths[] = { "/dev/full", acc, "/dev/full" };
	char		msg[256];

	use_set(paths, 3);
	write_lines_id(0, 0, BLOCK_LINES, LINE64);
	write_lines_id(1, 0, 5, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0), -1);
	ck_assert_int_eq(errno, ENOSPC);
	assert_lines(acc, 0, 5, LINE64);
	write_lines_id(2, 0, 3, LINE64);	/* the same, failing, log */
	write_lines_id(1, 5, 2, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 1), -1);
	assert_lines(acc, 0, 7, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 60), -1);
	ck_assert_int_eq(errlog_count("access log /dev/full: cannot write: "
	    "No space left on device"), 1);
	ck_assert_int_eq(errlog_count("access log /dev/full: still cannot "
	    "write (No space left on device), 3 lines lost so far"), 1);
	accesslog_close();
	snprintf(msg, sizeof(msg), "access log /dev/full: closed with %llu "
	    "lines lost", (unsigned long long)BLOCK_LINES + 3);
	ck_assert_int_eq(errlog_count(msg), 1);
	snprintf(msg, sizeof(msg), "access log %s", acc);
	ck_assert_int_eq(errlog_count(msg), 0);
	ck_assert_int_eq(errlog_count("access log"), 3);
}
END_TEST

/*
 * Short writes on one log of two: standard error, a small pipe, takes
 * part of a line, and a regular file next to it is unaffected; the pipe
 * gets the rest of the line first, then the lines since.
 */
START_TEST(test_set_short_write_per_log)
{
	enum { LEN = 100, FIRST = 200, MORE = 50, ROOM = 4096 };
	char *const	 paths[] = { acc, "-" };
	char		*got, *want;
	size_t		 glen = 0, wlen, size = (FIRST + MORE) * LEN + 1;
	int		 p[2], cap, tries;

	got = malloc(size);
	want = malloc(size);
	ck_assert(got != NULL && want != NULL);
	ck_assert_int_eq(pipe2(p, O_NONBLOCK), 0);
	cap = fcntl(p[1], F_SETPIPE_SZ, ROOM);
	ck_assert_int_ge(cap, ROOM);
	memset(got, 'x', (size_t)cap - ROOM);
	ck_assert_int_eq(write(p[1], got, (size_t)cap - ROOM), cap - ROOM);
	ck_assert_int_eq(dup2(p[1], STDERR_FILENO), STDERR_FILENO);
	use_set(paths, 2);

	write_lines_id(1, 0, FIRST, LEN);
	write_lines_id(0, 0, 10, LEN);
	ck_assert_int_eq(accesslog_flush_at(T0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	assert_lines(acc, 0, 10, LEN);
	ck_assert_int_eq(read(p[0], got, (size_t)cap - ROOM), cap - ROOM);
	drain(p[0], got, size, &glen);
	ck_assert_uint_eq(glen, ROOM);
	ck_assert(got[glen - 1] != '\n');

	write_lines_id(1, FIRST, MORE, LEN);
	write_lines_id(0, 10, 5, LEN);
	for (tries = 0; accesslog_flush_at(T0 + 1) == -1; tries++) {
		ck_assert_int_lt(tries, 100);
		drain(p[0], got, size, &glen);
	}
	drain(p[0], got, size, &glen);
	wlen = expect_lines(want, 0, FIRST + MORE, LEN);
	ck_assert_uint_eq(glen, wlen);
	ck_assert(memcmp(got, want, wlen) == 0);
	assert_lines(acc, 0, 15, LEN);
	ck_assert_int_eq(errlog_count("access log stderr: cannot write: "),
	    1);
	ck_assert_int_eq(errlog_count(
	    "access log stderr: writing again, 0 lines lost"), 1);
	ck_assert_int_eq(errlog_count("access log"), 2);
	free(got);
	free(want);
}
END_TEST

/*
 * A failing log of a set recovers after a rotation, and says so once; a
 * set that then drops the other log flushes and closes it.
 */
START_TEST(test_set_recovery_per_log)
{
	char *const	 paths[] = { link_, acc_b };
	char *const	 next[] = { link_ };
	char		 msg[256];

	ck_assert_int_eq(symlink("/dev/full", link_), 0);
	use_set(paths, 2);
	ck_assert_int_eq(accesslog_flush_at(T0), 0);
	write_lines_id(0, 0, BLOCK_LINES + 7, LINE64);
	write_lines_id(1, 0, 2, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 1), -1);
	ck_assert_int_eq(unlink(link_), 0);
	ck_assert_int_eq(symlink(acc, link_), 0);
	ck_assert_int_eq(accesslog_reopen(), 0);
	write_lines_id(1, 2, 1, LINE64);
	ck_assert_int_eq(accesslog_flush_at(T0 + 2), 0);
	assert_lines(acc, 0, BLOCK_LINES, LINE64);
	assert_lines(acc_b, 0, 3, LINE64);
	snprintf(msg, sizeof(msg), "access log %s: writing again, 7 lines "
	    "lost", link_);
	ck_assert_int_eq(errlog_count(msg), 1);
	write_lines_id(1, 3, 1, LINE64);
	use_set(next, 1);
	assert_lines(acc_b, 0, 4, LINE64);
	ck_assert_uint_eq(accesslog_blocks(), 1);
	ck_assert_int_eq(errlog_count("access log"), 2);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("log");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_lines_whole_after_flush, 0,
	    (int)(sizeof(whole_cases) / sizeof(whole_cases[0])));
	tcase_add_test(tc, test_newline_added);
	tcase_add_test(tc, test_overflow_writes_block);
	tcase_add_test(tc, test_pipe_short_write_no_torn_line);
	tcase_add_test(tc, test_file_short_write_no_torn_line);
	tcase_add_test(tc, test_full_disk_counts_and_reports);
	tcase_add_test(tc, test_recovery_reported);
	tcase_add_test(tc, test_reopen_flushes);
	tcase_add_test(tc, test_adopt_passed_files);
	tcase_add_test(tc, test_close_flushes);
	tcase_add_test(tc, test_set_ids_own_files);
	tcase_add_test(tc, test_set_shared_path);
	tcase_add_test(tc, test_set_reuse_keeps_lines);
	tcase_add_test(tc, test_set_discard_closes_new_only);
	tcase_add_test(tc, test_set_blocks_lazy);
	tcase_add_test(tc, test_set_reopen_all);
	tcase_add_test(tc, test_set_open_fails);
	tcase_add_test(tc, test_set_failing_log_alone);
	tcase_add_test(tc, test_set_short_write_per_log);
	tcase_add_test(tc, test_set_recovery_per_log);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
