/*
 * sandbox: Landlock and a seccomp filter for a worker (see sandbox.h).
 *
 * The order matters.  A worker calls sandbox_apply once it has opened
 * all it keeps open: the listening and hand-off sockets, the roots and
 * log files it inherited, its event loop, the cache's inotify fd and
 * libevent's signal pipe.  Landlock checks a path when it is opened, so
 * none of those is affected; from then on the worker opens files beneath
 * the roots for reading and nothing else.  Log rotation stays possible
 * because the master reopens the logs and passes the new files to the
 * workers (worker.c, master.c): a worker never creates a file.
 *
 * The seccomp filter is classic BPF made by core/confine.c from the
 * table below (no libseccomp).  A call not in the table fails with EPERM
 * rather than killing the worker: the table was found by tracing the
 * workers through every end-to-end suite, and a rare path it missed
 * (a libc fallback, a new kernel's variant of a call) should fail one
 * request, logged, not take down every connection of the worker.  Calls
 * that only an attacker makes (execve, ptrace, ...) kill the process.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include "core/confine.h"
#include "daemon/log.h"
#include "daemon/sandbox.h"

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION	(1U << 0)
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS	0x80000000U
#endif

/*
 * The architecture the filter is written for, or none: no filter.  Nor
 * in a sanitizer build: LeakSanitizer ptraces the process at exit.
 */
#if defined(__SANITIZE_ADDRESS__)
#elif defined(__x86_64__) && !defined(__ILP32__)
#define SANDBOX_ARCH		AUDIT_ARCH_X86_64
#define SANDBOX_NR_LIMIT	0x40000000U	/* __X32_SYSCALL_BIT */
#elif defined(__aarch64__)
#define SANDBOX_ARCH		AUDIT_ARCH_AARCH64
#define SANDBOX_NR_LIMIT	0
#endif

/*
 * struct landlock_ruleset_attr of ABI 6; older headers stop at the
 * first field.  The kernel takes the size it is given.
 */
struct ll_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};

#ifdef SANDBOX_ARCH
/*
 * What a worker calls once it serves, and why.  Calls that only exist on
 * some architectures are in #ifdef.
 */
static const int allowed[] = {
	/*
	 * Requests, responses (sendmsg: head and body), the logs
	 * (ftruncate: an access log cuts a line a full disk tore).
	 */
	SYS_read, SYS_write, SYS_pread64, SYS_sendfile, SYS_close,
	SYS_ftruncate,
	/* Accepting; the hand-off and control channels (SCM_RIGHTS). */
	SYS_accept4, SYS_recvfrom, SYS_sendto, SYS_recvmsg, SYS_sendmsg,
	SYS_shutdown, SYS_getsockname, SYS_getpeername,
	/* kTLS, when OpenSSL turns it on for a connection. */
	SYS_setsockopt,
	/*
	 * Files beneath the roots: resolve (openat2, or openat and
	 * readlinkat for the portable walk), fstat (newfstatat in glibc),
	 * listings (getdents64, lseek for rewinddir), the cache's inotify
	 * watches and its look at the file system (fstatfs).
	 */
	SYS_openat, SYS_openat2, SYS_newfstatat, SYS_fstat, SYS_getdents64,
	SYS_lseek, SYS_readlinkat, SYS_fcntl, SYS_inotify_add_watch,
	SYS_inotify_rm_watch, SYS_fstatfs,
	/* Taking the master's reopened logs in place of the old ones. */
	SYS_dup3,
	/* The event loop (epoll_pwait: aarch64 has no epoll_wait). */
	SYS_epoll_pwait, SYS_epoll_ctl,
	/* malloc, malloc_trim, OpenSSL's buffers. */
	SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise, SYS_brk,
	/* Time, when the vDSO cannot; random bytes (OpenSSL). */
	SYS_clock_gettime, SYS_gettimeofday, SYS_getrandom,
	/* Signals through libevent, abort(3), exit. */
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn,
	SYS_restart_syscall, SYS_tgkill, SYS_getpid, SYS_exit,
	SYS_exit_group,
	/* libc: locks; qsort(3) sizes its buffer by the memory (sysinfo). */
	SYS_futex, SYS_sysinfo,
#ifdef SYS_epoll_wait
	SYS_epoll_wait,
#endif
#ifdef SYS_time
	SYS_time,	/* time(3) where there is no vDSO */
#endif
};

/* Calls only an attacker makes: they kill the worker outright. */
static const int killed[] = {
	SYS_execve, SYS_execveat, SYS_ptrace, SYS_process_vm_readv,
	SYS_process_vm_writev, SYS_kexec_load, SYS_init_module,
	SYS_finit_module, SYS_delete_module, SYS_bpf, SYS_perf_event_open,
	SYS_userfaultfd, SYS_setns, SYS_unshare, SYS_mount, SYS_umount2,
	SYS_pivot_root, SYS_chroot, SYS_personality,
};

/* syslog(3) reconnects to /dev/log when syslogd restarted. */
static const int for_syslog[] = { SYS_socket, SYS_connect };

#define NALLOWED	(sizeof(allowed) / sizeof(allowed[0]))
#define NKILLED		(sizeof(killed) / sizeof(killed[0]))
#define NSYSLOG		(sizeof(for_syslog) / sizeof(for_syslog[0]))
#define FILTER_MAX	CONFINE_BPF_LEN(NALLOWED + NSYSLOG + NKILLED)
#endif

static int	landlock_apply(const struct conf *, const struct sites *,
		    int *, int *, size_t *, size_t *);
static int	landlock_add(int, int, uint64_t);
static int	always_follows(const struct conf *);
static int	seccomp_apply(const struct conf *, size_t *);

size_t
sandbox_nallowed(void)
{
#ifdef SANDBOX_ARCH
	return NALLOWED;
#else
	return 0;
#endif
}

static int
landlock_add(int ruleset, int fd, uint64_t access)
{
	struct landlock_path_beneath_attr	pb;

	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	return (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
}

/*
 * symlinks = "always" in any site or location: links may lead anywhere,
 * and the operator asked for that, so reading is left to file
 * permissions (writing and executing stay confined).
 */
static int
always_follows(const struct conf *c)
{
	size_t	i, j;

	for (i = 0; i < c->nsites; i++) {
		if (c->sites[i].s.symlinks == RESOLVE_SYMLINKS_ALWAYS)
			return 1;
		for (j = 0; j < c->sites[i].nlocs; j++)
			if (c->sites[i].locs[j].s.symlinks ==
			    RESOLVE_SYMLINKS_ALWAYS)
				return 1;
	}
	return 0;
}

/*
 * *abi is 0 when Landlock cannot be used, *lacks then says why; that
 * is not an error.  Returns 0 or -1 with errno.
 */
static int
landlock_apply(const struct conf *c, const struct sites *st, int *abi,
    int *lacks, size_t *ntrees, size_t *nlogs)
{
	struct confine_landlock	r;
	struct ll_ruleset_attr	attr;
	struct stat		sb;
	size_t			i, size, n;
	int			rs, fd, logs[LOG_FILES_MAX], save;

	*abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	/*
	 * ENOSYS: no Landlock in this kernel; EOPNOTSUPP: disabled at
	 * boot; EPERM: a service manager's seccomp filter.  Not errors.
	 */
	if (*abi < 0 || confine_landlock_rights(*abi, &r) == -1) {
		*lacks = *abi < 0 ? errno : ENOSYS;
		*abi = 0;
		return 0;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = r.fs_handled;
	attr.handled_access_net = r.net_handled;
	attr.scoped = r.scoped;
	size = r.scoped ? sizeof(attr) : r.net_handled ?
	    offsetof(struct ll_ruleset_attr, scoped) :
	    offsetof(struct ll_ruleset_attr, handled_access_net);
	if ((rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size,
	    0)) == -1)
		return -1;
	*ntrees = 0;
	if (always_follows(c)) {
		if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
		    landlock_add(rs, fd, r.fs_read) == -1)
			goto fail;
		close(fd);
		(*ntrees)++;
	} else
		for (i = 0; i < st->nroots; i++) {
			if (landlock_add(rs, st->roots[i].fd, r.fs_read) == -1)
				goto fail;
			(*ntrees)++;
		}
	/*
	 * Workers never open a log (the master hands them over), so these
	 * rules only say what the logs are.  Landlock takes no rule for a
	 * pipe or a terminal ("/dev/stdout" under a supervisor): skipped.
	 */
	n = log_file_fds(logs, LOG_FILES_MAX);
	*nlogs = 0;
	for (i = 0; i < n; i++) {
		if (fstat(logs[i], &sb) == -1 || !S_ISREG(sb.st_mode))
			continue;
		if (landlock_add(rs, logs[i], r.fs_log) == -1)
			goto fail;
		(*nlogs)++;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) == -1)
		goto fail;
	close(rs);
	return 0;
fail:
	save = errno;
	close(rs);
	errno = save;
	return -1;
}

/*
 * *n is the number of calls allowed, or 0 when there is no filter for
 * this architecture or the kernel lacks seccomp.  Returns 0 or -1.
 */
static int
seccomp_apply(const struct conf *c, size_t *n)
{
#ifdef SANDBOX_ARCH
	struct confine_filter	f;
	struct confine_insn	prog[FILTER_MAX];
	struct sock_filter	sf[FILTER_MAX];
	struct sock_fprog	fp;
	int			calls[NALLOWED + NSYSLOG];
	size_t			i, len, ncalls = NALLOWED;

	memcpy(calls, allowed, sizeof(allowed));
	if (strcmp(c->error_log, "syslog") == 0) {
		memcpy(calls + NALLOWED, for_syslog, sizeof(for_syslog));
		ncalls += NSYSLOG;
	}
	memset(&f, 0, sizeof(f));
	f.arch = SANDBOX_ARCH;
	f.nr_limit = SANDBOX_NR_LIMIT;
	f.allow = calls;
	f.nallow = ncalls;
	f.kill = killed;
	f.nkill = NKILLED;
	f.ret_allow = SECCOMP_RET_ALLOW;
	f.ret_kill = SECCOMP_RET_KILL_PROCESS;
	f.ret_arch = SECCOMP_RET_KILL_PROCESS;
	f.ret_default = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
	if ((len = confine_bpf(&f, prog, FILTER_MAX)) == 0) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; i < len; i++) {
		sf[i].code = prog[i].code;
		sf[i].jt = prog[i].jt;
		sf[i].jf = prog[i].jf;
		sf[i].k = prog[i].k;
	}
	fp.len = (unsigned short)len;
	fp.filter = sf;
	/*
	 * A kernel built without seccomp says EINVAL here; after this
	 * probe, EINVAL from the install means a program it refused,
	 * which is an error, not a reason to run without a filter.
	 */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == -1 && errno == EINVAL) {
		*n = 0;
		return 0;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) == -1)
		return -1;
	*n = ncalls;
	return 0;
#else
	*n = 0;
	return 0;
#endif
}

int
sandbox_apply(const struct conf *c, const struct sites *st, int loud)
{
	char	ll[96], sc[64];
	size_t	ntrees = 0, nlogs = 0, ncalls = 0;
	int	abi = 0, lacks = 0;

	if (!c->sandbox) {
		if (loud)
			log_info("sandbox: off (sandbox = false)");
		return 0;
	}
	if (landlock_apply(c, st, &abi, &lacks, &ntrees, &nlogs) == -1) {
		log_warn("sandbox: landlock");
		return -1;
	}
	if (seccomp_apply(c, &ncalls) == -1) {
		log_warn("sandbox: seccomp");
		return -1;
	}
	if (abi > 0)
		snprintf(ll, sizeof(ll), "landlock ABI %d (%zu read-only "
		    "tree%s%s, %zu log file%s)", abi, ntrees,
		    ntrees == 1 ? "" : "s", always_follows(c) ?
		    ": symlinks = always" : "", nlogs, nlogs == 1 ? "" : "s");
	else if (lacks == ENOSYS)
		snprintf(ll, sizeof(ll), "no landlock in this kernel");
	else
		snprintf(ll, sizeof(ll), "no landlock (%s)", strerror(lacks));
#ifdef SANDBOX_ARCH
	if (ncalls > 0)
		snprintf(sc, sizeof(sc), "seccomp %zu syscalls", ncalls);
	else
		snprintf(sc, sizeof(sc), "no seccomp in this kernel");
#elif defined(__SANITIZE_ADDRESS__)
	snprintf(sc, sizeof(sc), "no seccomp in a sanitizer build");
#else
	snprintf(sc, sizeof(sc), "no seccomp filter for this architecture");
#endif
	if (loud)
		log_info("sandbox: %s, %s", ll, sc);
	else
		log_debug("sandbox: %s, %s", ll, sc);
	return 0;
}

#ifdef MINIHTTPD_TEST_HOOKS
int
sandbox_test_hook(const char *target, size_t len, char *out, size_t outsz)
{
	extern char	**environ;
	char		  buf[PATH_MAX + 64], *op, *arg, *argv[2];
	size_t		  plen = strlen(SANDBOX_TEST_PREFIX);
	int		  fd = -1;

	if (len < plen || memcmp(target, SANDBOX_TEST_PREFIX, plen) != 0)
		return 0;
	if (len >= sizeof(buf)) {
		snprintf(out, outsz, "too long\n");
		return 1;
	}
	memcpy(buf, target, len);
	buf[len] = '\0';
	op = buf + plen;
	if ((arg = strchr(op, '?')) == NULL) {
		snprintf(out, outsz, "usage: open|write|exec?PATH\n");
		return 1;
	}
	*arg++ = '\0';
	errno = 0;
	if (strcmp(op, "open") == 0)
		fd = open(arg, O_RDONLY | O_CLOEXEC);
	else if (strcmp(op, "write") == 0)
		fd = open(arg, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	else if (strcmp(op, "exec") == 0) {
		argv[0] = arg;
		argv[1] = NULL;
		(void)execve(arg, argv, environ);
	} else
		errno = EINVAL;
	if (fd != -1) {
		close(fd);
		snprintf(out, outsz, "ok\n");
	} else
		snprintf(out, outsz, "%s\n", strerrorname_np(errno) != NULL ?
		    strerrorname_np(errno) : "?");
	return 1;
}
#endif
