/*
 * httpdate: HTTP-date formatting and parsing (RFC 9110 section 5.6.7).
 * Pure: no I/O, no locale, no global state.
 */
#ifndef MINIHTTPD_HTTPDATE_H
#define MINIHTTPD_HTTPDATE_H

#include <stddef.h>
#include <time.h>

/* "Sun, 06 Nov 1994 08:49:37 GMT" is 29 bytes. */
#define HTTPDATE_LEN	29

/* The times a date can write: 0000-01-01 to 9999-12-31T23:59:59Z. */
#define HTTPDATE_MIN	(-62167219200LL)
#define HTTPDATE_MAX	253402300799LL

/*
 * Writes HTTPDATE_LEN bytes and a NUL into buf (size >= HTTPDATE_LEN + 1).
 * A time outside [HTTPDATE_MIN, HTTPDATE_MAX] is written as the nearer
 * end, so both formats always have their length.
 */
void	httpdate_format(time_t, char *buf);

/*
 * Parses IMF-fixdate, obsolete RFC 850 and asctime formats.  Returns 0
 * and sets *out, or -1 when the value is not a valid HTTP-date (a
 * recipient then ignores the header).
 */
int	httpdate_parse(const char *, size_t, time_t *out);

/* Common Log Format time: "10/Oct/2000:13:55:36 +0000" (26 bytes + NUL). */
#define HTTPDATE_CLF_LEN	26
void	httpdate_format_clf(time_t, char *buf);

#endif
