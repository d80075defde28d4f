/*
 * check_log: the access log is written in blocks of whole lines: a line
 * reaches the file on a flush or when the block would overflow, a short
 * write never leaves a torn line with another glued onto it, and a log
 * that cannot be written drops and counts lines and says so at warn
 * level, once, then about once a minute, then when it writes again.
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

static char	dir[64];
static char	acc[128], acc1[128], err[128], link_[128];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_log.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(acc, sizeof(acc), "%s/access.log", dir);
	snprintf(acc1, sizeof(acc1), "%s/access.log.1", dir);
	snprintf(err, sizeof(err), "%s/error.log", dir);
	snprintf(link_, sizeof(link_), "%s/link", dir);
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
	tcase_add_test(tc, test_close_flushes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
