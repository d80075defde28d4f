/*
 * get_common: messages, deadlines and verbose dumps for minihttp-get.
 * Messages are one line each; when a progress line is on the terminal
 * it is ended first, so that a message never lands in the middle of it.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/get_common.h"

static int	get_quiet;
static int	get_dirty;

static void	get_vmsg(const char *, va_list);

void
get_msg_quiet(int quiet)
{
	get_quiet = quiet;
}

void
get_msg_dirty(int dirty)
{
	get_dirty = dirty;
}

static void
get_vmsg(const char *fmt, va_list ap)
{
	if (get_dirty) {
		fputc('\n', stderr);
		get_dirty = 0;
	}
	fputs(GET_NAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
get_err(int code, const char *fmt, ...)
{
	va_list	ap;

	if (get_quiet && code != GET_EUSAGE)
		return code;
	va_start(ap, fmt);
	get_vmsg(fmt, ap);
	va_end(ap);
	return code;
}

void
get_notice(const char *fmt, ...)
{
	va_list	ap;

	if (get_quiet)
		return;
	va_start(ap, fmt);
	get_vmsg(fmt, ap);
	va_end(ap);
}

void
get_info(const char *fmt, ...)
{
	va_list	ap;

	if (get_dirty) {
		fputc('\n', stderr);
		get_dirty = 0;
	}
	fputs("* ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
get_append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	if (*n >= size)
		return -1;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= size - *n)
		return -1;
	*n += (size_t)r;
	return 0;
}

int64_t
get_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
get_deadline_set(struct get_deadline *d, double secs)
{
	d->secs = secs;
	d->at = secs > 0 ? get_now() + (int64_t)(secs * 1000) : -1;
}

int
get_deadline_ms(const struct get_deadline *d)
{
	int64_t	left;

	if (d->at == -1)
		return -1;
	left = d->at - get_now();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

void
get_print_prefixed(const char *prefix, const char *p, size_t len)
{
	const char	*eol;
	size_t		 n;

	if (get_dirty) {
		fputc('\n', stderr);
		get_dirty = 0;
	}
	while (len > 0) {
		eol = memchr(p, '\n', len);
		n = eol != NULL ? (size_t)(eol - p) + 1 : len;
		fprintf(stderr, "%s%.*s\n", prefix,
		    (int)(n >= 2 && p[n - 2] == '\r' ? n - 2 :
		    (p[n - 1] == '\n' ? n - 1 : n)), p);
		p += n;
		len -= n;
	}
}
