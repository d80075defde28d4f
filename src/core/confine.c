/*
 * confine: Landlock rights by ABI and the seccomp allow-list as a classic
 * BPF program (see confine.h).  Pure: it only computes.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/confine.h"

/* Classic BPF opcodes (linux/filter.h, linux/bpf_common.h). */
#define OP_LD_W_ABS	0x20	/* BPF_LD | BPF_W | BPF_ABS */
#define OP_JEQ_K	0x15	/* BPF_JMP | BPF_JEQ | BPF_K */
#define OP_JGE_K	0x35	/* BPF_JMP | BPF_JGE | BPF_K */
#define OP_RET_K	0x06	/* BPF_RET | BPF_K */

/* Every file-system right of ABI 1: EXECUTE (bit 0) to MAKE_SYM (12). */
#define FS_ABI1		((CONFINE_FS_MAKE_SYM << 1) - 1)

static void	emit(struct confine_insn *, size_t *, uint16_t, uint8_t, uint8_t,
		    uint32_t);
static void	emit_list(struct confine_insn *, size_t *, const int *, size_t,
		    uint32_t);

int
confine_landlock_rights(int abi, struct confine_landlock *r)
{
	memset(r, 0, sizeof(*r));
	if (abi < 1)
		return -1;
	if (abi > CONFINE_LANDLOCK_ABI_MAX)
		abi = CONFINE_LANDLOCK_ABI_MAX;
	r->fs_handled = FS_ABI1;
	if (abi >= 2)
		r->fs_handled |= CONFINE_FS_REFER;
	if (abi >= 3)
		r->fs_handled |= CONFINE_FS_TRUNCATE;
	if (abi >= 4)
		r->net_handled = CONFINE_NET_BIND_TCP | CONFINE_NET_CONNECT_TCP;
	if (abi >= 5)
		r->fs_handled |= CONFINE_FS_IOCTL_DEV;
	if (abi >= 6)
		r->scoped = CONFINE_SCOPE_ABSTRACT_UNIX | CONFINE_SCOPE_SIGNAL;
	r->fs_read = CONFINE_FS_READ_FILE | CONFINE_FS_READ_DIR;
	r->fs_log = CONFINE_FS_WRITE_FILE;
	return 0;
}

static void
emit(struct confine_insn *out, size_t *n, uint16_t code, uint8_t jt,
    uint8_t jf, uint32_t k)
{
	out[*n].code = code;
	out[*n].jt = jt;
	out[*n].jf = jf;
	out[*n].k = k;
	(*n)++;
}

/*
 * Two instructions per call: "equal: fall through to the return, else
 * skip it".  A jump table would be shorter to run, but every offset here
 * is 0 or 1, so no list can outgrow the 8-bit jump fields.
 */
static void
emit_list(struct confine_insn *out, size_t *n, const int *nr, size_t count,
    uint32_t ret)
{
	size_t	i;

	for (i = 0; i < count; i++) {
		emit(out, n, OP_JEQ_K, 0, 1, (uint32_t)nr[i]);
		emit(out, n, OP_RET_K, 0, 0, ret);
	}
}

size_t
confine_bpf(const struct confine_filter *f, struct confine_insn *out,
    size_t max)
{
	size_t	n = 0;

	if (max < CONFINE_BPF_LEN(f->nallow + f->nkill))
		return 0;
	emit(out, &n, OP_LD_W_ABS, 0, 0, CONFINE_DATA_ARCH);
	emit(out, &n, OP_JEQ_K, 1, 0, f->arch);
	emit(out, &n, OP_RET_K, 0, 0, f->ret_arch);
	emit(out, &n, OP_LD_W_ABS, 0, 0, CONFINE_DATA_NR);
	/* Without a limit, only the number -1 (no call) is refused here. */
	emit(out, &n, OP_JGE_K, 0, 1, f->nr_limit != 0 ? f->nr_limit :
	    UINT32_MAX);
	emit(out, &n, OP_RET_K, 0, 0, f->ret_default);
	/* Kills first: a number in both lists is killed. */
	emit_list(out, &n, f->kill, f->nkill, f->ret_kill);
	emit_list(out, &n, f->allow, f->nallow, f->ret_allow);
	emit(out, &n, OP_RET_K, 0, 0, f->ret_default);
	return n;
}
