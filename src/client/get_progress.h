/*
 * get_progress: minihttp-get's progress bar on standard error: bytes
 * so far, the total when known, a bar, the rate and the time left.  It
 * appears only for transfers worth watching (long or large), at most
 * GET_PROGRESS_HZ times a second, and never unless enabled (standard
 * error a terminal, no -s: the caller decides).
 */
#ifndef MINIHTTPD_GET_PROGRESS_H
#define MINIHTTPD_GET_PROGRESS_H

#include <stdint.h>

#define GET_PROGRESS_HZ		10
#define GET_PROGRESS_DELAY_MS	1000		/* shown after this long */
#define GET_PROGRESS_BIG	(1024 * 1024)	/* or for bodies over this */
#define GET_PROGRESS_WIDTH_MAX	200

struct get_progress {
	int		enabled;
	int		shown;		/* drawn at least once */
	int64_t		start;		/* ms */
	int64_t		drawn;		/* ms of the last draw */
	uint64_t	offset;		/* bytes the file had already */
	uint64_t	got;		/* received since start */
	int		has_total;
	uint64_t	total;		/* of the whole file */
	int		width;		/* last line drawn */
};

/*
 * Starts a body of total bytes (has_total 0: unknown) of which offset
 * are already there (-C).
 */
void	get_progress_start(struct get_progress *, int enabled,
	    uint64_t offset, int has_total, uint64_t total);
void	get_progress_add(struct get_progress *, uint64_t n);
/* A redraw while nothing arrives: the rate drops, the clock runs. */
void	get_progress_idle(void *);
/* The final line and its newline, if shown or the body is large. */
void	get_progress_end(struct get_progress *);

#endif
