/*
 * check_sandbox: unit tests for src/core/confine.c (the Landlock rights
 * of each ABI, the seccomp allow-list as classic BPF) and, in child
 * processes, the daemon's real sandbox (src/daemon/sandbox.c).
 *
 * The BPF program is run here by a small interpreter of the four
 * instructions it uses, written from the kernel's definitions
 * (linux/filter.h), so that a jump off by one shows up as a wrong
 * verdict for some call.  The child-process cases then check that the
 * kernel accepts the program and that it does what the table says: a
 * listed call works, an unlisted one fails with EPERM, execve kills.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "core/confine.h"
#include "daemon/conf.h"
#include "daemon/sandbox.h"
#include "daemon/sites.h"

#define RET_ALLOW	0x7fff0000U
#define RET_KILL	0x80000000U
#define RET_ARCH	0x80000001U
#define RET_DEFAULT	0x00050001U
#define ARCH		0xc000003eU
#define PROG_MAX	64

static Suite	*sandbox_suite(void);
static uint32_t	 run(const struct confine_insn *, size_t, uint32_t, uint32_t);
static int	 child(int (*)(void));
static int	 try_confined(void);
static int	 try_exec(void);
static int	 try_off(void);
static int	 apply_empty(void);

/* Runs prog on a seccomp_data of arch and nr; returns what it returns. */
static uint32_t
run(const struct confine_insn *prog, size_t n, uint32_t arch, uint32_t nr)
{
	uint32_t	a = 0;
	size_t		pc;

	for (pc = 0; pc < n; pc++) {
		const struct confine_insn *i = &prog[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			ck_assert(i->k == CONFINE_DATA_NR ||
			    i->k == CONFINE_DATA_ARCH);
			a = i->k == CONFINE_DATA_NR ? nr : arch;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			ck_abort_msg("unknown opcode %#x at %zu", i->code, pc);
		}
	}
	ck_abort_msg("the program runs off its end");
	return 0;
}

START_TEST(test_rights_by_abi)
{
	static const struct {
		int		abi;
		uint64_t	fs, net, scoped;
	} t[] = {
		{ 1, 0x1fff, 0, 0 },
		{ 2, 0x3fff, 0, 0 },
		{ 3, 0x7fff, 0, 0 },
		{ 4, 0x7fff, 3, 0 },
		{ 5, 0xffff, 3, 0 },
		{ 6, 0xffff, 3, 3 },
		{ 7, 0xffff, 3, 3 },
		{ 42, 0xffff, 3, 3 },	/* newer: what we know of */
	};
	struct confine_landlock	r;
	size_t			i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(confine_landlock_rights(t[i].abi, &r), 0);
		ck_assert_msg(r.fs_handled == t[i].fs, "ABI %d: fs %#llx",
		    t[i].abi, (unsigned long long)r.fs_handled);
		ck_assert_msg(r.net_handled == t[i].net, "ABI %d: net",
		    t[i].abi);
		ck_assert_msg(r.scoped == t[i].scoped, "ABI %d: scoped",
		    t[i].abi);
		/* Read beneath the roots, write the logs, nothing more. */
		ck_assert(r.fs_read == (CONFINE_FS_READ_FILE |
		    CONFINE_FS_READ_DIR));
		ck_assert(r.fs_log == CONFINE_FS_WRITE_FILE);
		ck_assert(((r.fs_read | r.fs_log) & ~r.fs_handled) == 0);
	}
}
END_TEST

START_TEST(test_no_landlock)
{
	struct confine_landlock	r;

	ck_assert_int_eq(confine_landlock_rights(0, &r), -1);
	ck_assert_int_eq(confine_landlock_rights(-1, &r), -1);
	ck_assert(r.fs_handled == 0 && r.net_handled == 0 && r.scoped == 0);
}
END_TEST

START_TEST(test_bpf_verdicts)
{
	static const int	allow[] = { 0, 1, 3, 232, 300 };
	static const int	kill[] = { 59, 101, 300 };
	struct confine_filter	f;
	struct confine_insn	prog[PROG_MAX];
	size_t			n, i;

	memset(&f, 0, sizeof(f));
	f.arch = ARCH;
	f.nr_limit = 0x40000000U;
	f.allow = allow;
	f.nallow = 5;
	f.kill = kill;
	f.nkill = 3;
	f.ret_allow = RET_ALLOW;
	f.ret_kill = RET_KILL;
	f.ret_arch = RET_ARCH;
	f.ret_default = RET_DEFAULT;
	n = confine_bpf(&f, prog, PROG_MAX);
	ck_assert_uint_eq(n, CONFINE_BPF_LEN(8));
	for (i = 0; i < 5; i++)
		if (allow[i] != 300)
			ck_assert_uint_eq(run(prog, n, ARCH, allow[i]),
			    RET_ALLOW);
	ck_assert_uint_eq(run(prog, n, ARCH, 59), RET_KILL);
	ck_assert_uint_eq(run(prog, n, ARCH, 101), RET_KILL);
	/* In both lists: killed. */
	ck_assert_uint_eq(run(prog, n, ARCH, 300), RET_KILL);
	ck_assert_uint_eq(run(prog, n, ARCH, 2), RET_DEFAULT);
	ck_assert_uint_eq(run(prog, n, ARCH, 231), RET_DEFAULT);
	ck_assert_uint_eq(run(prog, n, ARCH, 233), RET_DEFAULT);
	/* Another architecture, even with an allowed number. */
	ck_assert_uint_eq(run(prog, n, 0x40000003U, 0), RET_ARCH);
	/* x32: an allowed number with the high bit is not allowed. */
	ck_assert_uint_eq(run(prog, n, ARCH, 0x40000000U | 1), RET_DEFAULT);
	ck_assert_uint_eq(run(prog, n, ARCH, UINT32_MAX), RET_DEFAULT);
}
END_TEST

START_TEST(test_bpf_no_limit_and_room)
{
	static const int	allow[] = { 7 };
	struct confine_filter	f;
	struct confine_insn	prog[PROG_MAX];
	size_t			n;

	memset(&f, 0, sizeof(f));
	f.arch = ARCH;
	f.allow = allow;
	f.nallow = 1;
	f.ret_allow = RET_ALLOW;
	f.ret_kill = RET_KILL;
	f.ret_arch = RET_ARCH;
	f.ret_default = RET_DEFAULT;
	ck_assert_uint_eq(confine_bpf(&f, prog, CONFINE_BPF_LEN(1) - 1), 0);
	n = confine_bpf(&f, prog, CONFINE_BPF_LEN(1));
	ck_assert_uint_eq(n, CONFINE_BPF_LEN(1));
	ck_assert_uint_eq(run(prog, n, ARCH, 7), RET_ALLOW);
	ck_assert_uint_eq(run(prog, n, ARCH, 0x40000007U), RET_DEFAULT);
	ck_assert_uint_eq(run(prog, n, ARCH, 8), RET_DEFAULT);
	/* Jumps are 0 or 1 however long the list: they always fit. */
	for (size_t i = 0; i < n; i++)
		ck_assert(prog[i].jt <= 1 && prog[i].jf <= 1);
}
END_TEST

/*
 * Runs fn in a child and returns its wait status.  The child's exit
 * code is fn's result.
 */
static int
child(int (*fn)(void))
{
	pid_t	pid;
	int	st;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(fn());
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* The sandbox of a conf without sites, logs or roots. */
static int
apply_empty(void)
{
	static struct conf	c;
	static struct sites	st;

	c.sandbox = 1;
	c.error_log = (char *)"stderr";
	return sandbox_apply(&c, &st, 0);
}

/*
 * In the child: 0 when the sandbox holds (1..8 say which check failed).
 * No Landlock or no filter for this architecture: only what applies.
 */
static int
try_confined(void)
{
	char	tmp[] = "/tmp/check_sandbox.XXXXXX";
	long	abi;
	int	fd, tf;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);
	/* A file open before, as a log is: it may still be cut. */
	if ((tf = mkstemp(tmp)) == -1 || unlink(tmp) == -1 ||
	    write(tf, "torn", 4) != 4)
		return 6;
	if (apply_empty() == -1)
		return 1;
	if (getpid() <= 0)
		return 2;
	/* An access log cuts a line a full disk tore (log.c). */
	if (ftruncate(tf, 2) == -1)
		return 7;
#ifdef SYS_time
	/* time(3) where there is no vDSO. */
	if (syscall(SYS_time, NULL) == -1)
		return 8;
#endif
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (abi > 0 && (fd != -1 || errno != EACCES))
		return 3;
	if (sandbox_nallowed() > 0 && (syscall(SYS_mkdirat, AT_FDCWD,
	    "/nonexistent-minihttpd", 0700) != -1 || errno != EPERM))
		return 4;
	return 0;
}

static int
try_exec(void)
{
	char	*argv[] = { (char *)"/bin/true", NULL };

	if (apply_empty() == -1)
		return 1;
	execve(argv[0], argv, argv + 1);
	return 2;
}

START_TEST(test_sandbox_confines)
{
	int	st = child(try_confined);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "child status %#x", st);
}
END_TEST

START_TEST(test_sandbox_exec_kills)
{
	int	st;

	if (sandbox_nallowed() == 0)
		return;		/* no filter for this architecture */
	st = child(try_exec);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "child status %#x", st);
}
END_TEST

/* sandbox = false: nothing is applied, the child reads anything. */
static int
try_off(void)
{
	static struct conf	c;
	static struct sites	st;
	int			fd;

	c.sandbox = 0;
	c.error_log = (char *)"stderr";
	if (sandbox_apply(&c, &st, 0) == -1)
		return 1;
	if ((fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC)) == -1)
		return 2;
	close(fd);
	return 0;
}

START_TEST(test_sandbox_off)
{
	int	st = child(try_off);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "child status %#x", st);
}
END_TEST

static Suite *
sandbox_suite(void)
{
	Suite	*s = suite_create("sandbox");
	TCase	*tc;

	tc = tcase_create("confine");
	tcase_add_test(tc, test_rights_by_abi);
	tcase_add_test(tc, test_no_landlock);
	tcase_add_test(tc, test_bpf_verdicts);
	tcase_add_test(tc, test_bpf_no_limit_and_room);
	suite_add_tcase(s, tc);
	tc = tcase_create("apply");
	tcase_add_test(tc, test_sandbox_confines);
	tcase_add_test(tc, test_sandbox_exec_kills);
	tcase_add_test(tc, test_sandbox_off);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(sandbox_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
