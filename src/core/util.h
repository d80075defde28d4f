/*
 * util: level 0 helpers shared by every part of minihttpd: bounded string
 * copies, allocation that aborts at start-up, small parsing helpers.
 * Nothing here does I/O or keeps state.
 */
#ifndef MINIHTTPD_UTIL_H
#define MINIHTTPD_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define UTIL_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
char	*xstrdup(const char *);
void	*xreallocarray(void *, size_t, size_t);

/* Copy with truncation; returns the length it tried to create. */
size_t	 util_strlcpy(char *, const char *, size_t);

/* ASCII case-insensitive comparisons that do not depend on the locale. */
int	 util_strncaseeq(const char *, const char *, size_t);
int	 util_tolower(int);
/* The value of a hexadecimal digit, or -1. */
int	 util_hexval(int);

/*
 * Parse a decimal unsigned number from exactly len bytes; no sign, no
 * spaces.  Returns 0 and sets *out, or -1 on an empty string, a non-digit
 * or overflow of max.
 */
int	 util_parse_uint(const char *, size_t, uint64_t max, uint64_t *out);

/*
 * Formats a reason into why (when why is not NULL and whysz > 0) and
 * returns -1: the error return of the checks that explain themselves.
 */
int	 util_why(char *why, size_t whysz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Trim spaces and tabs at both ends of [*p, *p + *len). */
void	 util_trim_ows(const char **p, size_t *len);

#endif
