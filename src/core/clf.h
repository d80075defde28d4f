/*
 * clf: renders one access-log line in the Combined Log Format, the
 * format of Apache, nginx and lighttpd, so that every log analyser reads
 * it:
 *
 *	PEER - - [TIME] "REQUEST LINE" STATUS BYTES "REFERER" "USER-AGENT"
 *
 * The fields that come from the client are escaped (quotes, backslashes,
 * control and non-ASCII bytes become \xHH), so a line can never be
 * forged or split.  The server renders it; the client never does.  Pure:
 * no I/O, no allocation.
 */
#ifndef MINIHTTPD_CLF_H
#define MINIHTTPD_CLF_H

#include <stddef.h>
#include <stdint.h>

/* Longest rendering of one client field (before the line cap). */
#define CLF_FIELD_MAX	512
/* A whole line, newline included: longer lines are cut, never split. */
#define CLF_LINE_MAX	2048

struct clf_entry {
	const char	*peer;		/* address as text */
	const char	*time;		/* "10/Oct/2000:13:55:36 +0000" */
	const char	*request;	/* the request line as received */
	size_t		 request_len;
	int		 status;
	uint64_t	 bytes;		/* body bytes sent; 0 is "-" */
	const char	*referer;	/* NULL: "-" */
	size_t		 referer_len;
	const char	*agent;		/* NULL: "-" */
	size_t		 agent_len;
};

/*
 * Writes the line, newline included, into buf (at least CLF_LINE_MAX
 * bytes is always enough) and returns its length.  A line that does not
 * fit is cut and still ends with a newline.  size must be at least 2.
 */
size_t	clf_format(char *buf, size_t size, const struct clf_entry *);

/*
 * Escapes len bytes of s into dst (room for size bytes, NUL included):
 * at most CLF_FIELD_MAX bytes of output, "-" when s is empty.  Returns
 * the length written.
 */
size_t	clf_escape(char *dst, size_t size, const char *s, size_t len);

#endif
