/*
 * sandbox: confines a worker once it has everything it needs open
 * (DESIGN section 7): Landlock leaves it reading beneath its document
 * roots and aliases and writing its open log files, nothing else on the
 * file system, and a seccomp filter leaves it the system calls a worker
 * makes.  "sandbox = false" turns both off.  Linux only; on a kernel or
 * an architecture without one of them, the other still applies.
 */
#ifndef MINIHTTPD_SANDBOX_H
#define MINIHTTPD_SANDBOX_H

#include <stddef.h>

#include "daemon/conf.h"
#include "daemon/sites.h"

/*
 * Applies the sandbox of c (nothing when c->sandbox is 0) to the calling
 * process, for good.  What was applied is logged at info level when
 * loud, else at debug level (one worker of a generation speaks for
 * all).  Returns 0, also when the kernel lacks Landlock or seccomp, or
 * -1 (logged) when a step that the kernel offers failed.
 */
int	sandbox_apply(const struct conf *c, const struct sites *st, int loud);

/* The number of system calls the filter allows (for the tests). */
size_t	sandbox_nallowed(void);

#ifdef MINIHTTPD_TEST_HOOKS
/*
 * Test binary only (tests/minihttpd-test): a request for
 * SANDBOX_TEST_PREFIX "open?PATH", "write?PATH" or "exec?PATH" makes
 * the worker try that (open for reading, open for appending and create,
 * execve) and answer with "ok" or the errno name.  Returns 1 with the
 * answer in out when target is such a path, else 0.
 */
#define SANDBOX_TEST_PREFIX	"/.well-known/minihttpd-test/"
int	sandbox_test_hook(const char *target, size_t len, char *out,
	    size_t outsz);
#endif

#endif
