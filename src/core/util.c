/*
 * util: bounded strings, start-up allocation and small parsers.  The
 * x*alloc functions exit on failure, so they belong to start-up and
 * reload paths only, never to request handling.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL) {
		fprintf(stderr, "minihttpd: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL) {
		fprintf(stderr, "minihttpd: out of memory\n");
		exit(1);
	}
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size) {
		fprintf(stderr, "minihttpd: allocation overflow\n");
		exit(1);
	}
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL) {
		fprintf(stderr, "minihttpd: out of memory\n");
		exit(1);
	}
	return p;
}

char *
xstrdup(const char *s)
{
	size_t	 len = strlen(s) + 1;
	char	*p = xmalloc(len);

	memcpy(p, s, len);
	return p;
}

size_t
util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size > 0) {
		size_t	n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int
util_tolower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int
util_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
util_strncaseeq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (util_tolower((unsigned char)a[i]) !=
		    util_tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

int
util_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned	d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

void
util_trim_ows(const char **p, size_t *len)
{
	while (*len > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len > 0 && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'))
		(*len)--;
}

int
util_why(char *why, size_t whysz, const char *fmt, ...)
{
	va_list	ap;

	if (why != NULL && whysz > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
	return -1;
}
