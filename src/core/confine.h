/*
 * confine: the data of a worker's sandbox (DESIGN section 7), as data in,
 * data out: which Landlock access rights a given Landlock ABI knows and
 * which of them a worker keeps, and the classic BPF program of a seccomp
 * allow-list.  Pure: no system call; daemon/sandbox.c applies the result.
 * The kernel's numbers are written here, as the kernel's ABI fixes them,
 * because the system headers of an older distribution lack the newer
 * ones (Debian 12's stop at Landlock ABI 2).
 */
#ifndef MINIHTTPD_CONFINE_H
#define MINIHTTPD_CONFINE_H

#include <stddef.h>
#include <stdint.h>

/* Landlock file-system rights (uapi/linux/landlock.h), and their ABI. */
#define CONFINE_FS_EXECUTE	(1ULL << 0)	/* ABI 1 */
#define CONFINE_FS_WRITE_FILE	(1ULL << 1)
#define CONFINE_FS_READ_FILE	(1ULL << 2)
#define CONFINE_FS_READ_DIR	(1ULL << 3)
#define CONFINE_FS_MAKE_SYM	(1ULL << 12)	/* last of ABI 1 */
#define CONFINE_FS_REFER	(1ULL << 13)	/* ABI 2 */
#define CONFINE_FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#define CONFINE_FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */
/* Network rights (ABI 4) and scopes (ABI 6). */
#define CONFINE_NET_BIND_TCP	(1ULL << 0)
#define CONFINE_NET_CONNECT_TCP	(1ULL << 1)
#define CONFINE_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define CONFINE_SCOPE_SIGNAL	(1ULL << 1)

/* The newest ABI whose rights this file knows (ABI 7 added none). */
#define CONFINE_LANDLOCK_ABI_MAX	7

/*
 * What a worker asks of Landlock.  Every right the ABI knows is handled,
 * so that whatever is not granted by a rule is denied: the document
 * roots and aliases get fs_read beneath them, each open log file gets
 * fs_log, and nothing else is granted.  The network rights are handled
 * with no rule at all: a worker never binds or connects a TCP socket
 * (accept(2) on the inherited listening sockets is not a Landlock
 * right), and the scopes keep it from abstract Unix sockets and from
 * signalling processes outside its domain (the master, other services).
 */
struct confine_landlock {
	uint64_t	fs_handled;
	uint64_t	net_handled;
	uint64_t	scoped;
	uint64_t	fs_read;	/* beneath a document root or alias */
	uint64_t	fs_log;		/* on an open log file */
};

/*
 * The rights for a running ABI (the value landlock_create_ruleset
 * returns for LANDLOCK_CREATE_RULESET_VERSION): those the ABI lacks are
 * masked out, an ABI newer than CONFINE_LANDLOCK_ABI_MAX gets the rights
 * of that one.  Returns 0, or -1 when abi < 1 (no Landlock).
 */
int	confine_landlock_rights(int abi, struct confine_landlock *);

/* One classic BPF instruction, laid out as struct sock_filter. */
struct confine_insn {
	uint16_t	code;
	uint8_t		jt;
	uint8_t		jf;
	uint32_t	k;
};

/*
 * A seccomp allow-list.  The program checks the architecture of the
 * system call first (another one gets ret_arch: a process could
 * otherwise reach the same kernel through numbers of another ABI, as
 * i386 on x86_64), then refuses numbers at or above nr_limit when it is
 * not 0 (x86_64's x32 calls, which carry a high bit), then returns
 * ret_kill for the numbers of kill[], ret_allow for those of allow[] and
 * ret_default for every other one.  The SECCOMP_RET_* values are the
 * caller's.
 */
struct confine_filter {
	uint32_t	 arch;		/* AUDIT_ARCH_* */
	uint32_t	 nr_limit;	/* 0: none */
	const int	*allow;
	size_t		 nallow;
	const int	*kill;
	size_t		 nkill;
	uint32_t	 ret_allow;
	uint32_t	 ret_kill;
	uint32_t	 ret_arch;
	uint32_t	 ret_default;
};

/* Offsets of struct seccomp_data, which the program loads. */
#define CONFINE_DATA_NR		0
#define CONFINE_DATA_ARCH	4

/* The instructions of the program for a filter of n calls in all. */
#define CONFINE_BPF_LEN(n)	(7 + 2 * (n))

/*
 * Writes the program of f into out (max instructions); returns the
 * number written, or 0 when max is too small.
 */
size_t	confine_bpf(const struct confine_filter *f, struct confine_insn *out,
	    size_t max);

#endif
