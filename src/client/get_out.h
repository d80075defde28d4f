/*
 * get_out: where minihttp-get writes a body.  Standard output; a device
 * or FIFO written directly; a regular file written under a temporary
 * name and renamed into place only once complete; or, with -C, a
 * regular file written in place and kept, partial, when the transfer
 * fails so that the next -C resumes it.  It also owns the signal
 * handlers that clean up after an interrupted transfer.
 */
#ifndef MINIHTTPD_GET_OUT_H
#define MINIHTTPD_GET_OUT_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum get_out_kind {
	GET_OUT_DISCARD = 0,
	GET_OUT_STDOUT,
	GET_OUT_DIRECT,		/* not a regular file: /dev/null, a FIFO */
	GET_OUT_TEMP,		/* temporary file renamed on success */
	GET_OUT_INPLACE		/* -C: in place, kept when it fails */
};

struct get_out {
	enum get_out_kind	 kind;
	int			 fd;
	const char		*name;		/* for messages */
	int			 noclobber;
	time_t			 mtime;		/* -1: leave it */
	char			 tmp[PATH_MAX];
};

#define GET_OUT_NOCLOBBER	0x01	/* refuse to replace a file (-O) */
#define GET_OUT_INPLACE_AT	0x02	/* -C: in place from offset */

/* Discards the body (nothing is opened). */
void	get_out_discard(struct get_out *);

/*
 * Opens the output named name (NULL or "-": standard output).  With
 * GET_OUT_INPLACE_AT a regular file keeps its first offset bytes and is
 * written from there.  Returns an exit status after printing why.
 */
int	get_out_open(struct get_out *, const char *name, int flags,
	    uint64_t offset, mode_t mode);

/* The modification time to give the file once written (-R). */
void	get_out_set_mtime(struct get_out *, time_t);

int	get_out_write(struct get_out *, const char *, size_t);

/* Completes the output: fsync, mtime, rename into place. */
int	get_out_commit(struct get_out *);

/* Gives up: a temporary file is removed, an in-place one kept. */
void	get_out_abort(struct get_out *);

/* Non-zero once writing to standard output has failed. */
int	get_out_stdout_failed(void);

/* SIGINT, SIGTERM, SIGHUP: clean up as get_out_abort, then die. */
void	get_out_signals(void);

#endif
