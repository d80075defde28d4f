/*
 * clf: the Combined Log Format line.  Written with plain appends rather
 * than snprintf: the line is rendered once per request, and formatting
 * dominated the cost of logging.
 */
#include "config.h"

#include <string.h>

#include "core/clf.h"

/* An output cursor: p advances, end is the last byte kept for '\n'. */
struct out {
	char	*p;
	char	*end;
};

static void	put(struct out *, const char *, size_t);
static void	put_str(struct out *, const char *);
static void	put_uint(struct out *, uint64_t);
static void	put_field(struct out *, const char *, size_t);

/*
 * The cut is its own branch: in the other, the length of a constant
 * piece stays a constant, and the compiler copies it with a few moves
 * instead of a loop or a call.
 */
static void
put(struct out *o, const char *s, size_t len)
{
	size_t	room = (size_t)(o->end - o->p);

	if (len > room) {
		memcpy(o->p, s, room);
		o->p += room;
		return;
	}
	memcpy(o->p, s, len);
	o->p += len;
}

static void
put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
put_uint(struct out *o, uint64_t v)
{
	char	buf[20], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(o, p, (size_t)(buf + sizeof(buf) - p));
}

/* A client field, escaped, within CLF_FIELD_MAX. */
static void
put_field(struct out *o, const char *s, size_t len)
{
	size_t	room = (size_t)(o->end - o->p);
	size_t	n;

	if (room > CLF_FIELD_MAX + 1)
		room = CLF_FIELD_MAX + 1;
	if (room == 0)
		return;
	n = clf_escape(o->p, room, s, len);
	o->p += n;
}

/*
 * Bytes written as \xHH: controls, DEL, non-ASCII, '"' and '\\'.  A
 * table, so that the scan for a run of plain bytes costs one load per
 * byte; the run is then copied at once.  Most fields have no byte to
 * escape and go through as a single run.
 */
static const unsigned char clf_escaped[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x10 */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x20 '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* 0x50 '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* 0x70 DEL */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x80 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0xf0 */
};

size_t
clf_escape(char *dst, size_t size, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i = 0, n = 0, run, end;
	unsigned char		ch;

	if (size == 0)
		return 0;
	if (size > CLF_FIELD_MAX + 1)
		size = CLF_FIELD_MAX + 1;
	if (s == NULL || len == 0) {
		if (size > 1)
			dst[n++] = '-';
		dst[n] = '\0';
		return n;
	}
	while (i < len) {
		/* Plain bytes, at most as many as fit before the NUL. */
		end = len - i < size - 1 - n ? len : i + (size - 1 - n);
		for (run = i; run < end && !clf_escaped[(unsigned char)s[run]];
		    run++)
			;
		memcpy(dst + n, s + i, run - i);
		n += run - i;
		i = run;
		if (i == len || n + 4 >= size)
			break;
		ch = (unsigned char)s[i++];
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex[ch >> 4];
		dst[n++] = hex[ch & 15];
	}
	dst[n] = '\0';
	return n;
}

size_t
clf_format(char *buf, size_t size, const struct clf_entry *e)
{
	struct out	o = { buf, buf + size - 1 };

	put_str(&o, e->peer);
	put(&o, " - - [", 6);
	put_str(&o, e->time);
	put(&o, "] \"", 3);
	put_field(&o, e->request, e->request_len);
	put(&o, "\" ", 2);
	put_uint(&o, (uint64_t)(e->status > 0 ? e->status : 0));
	put(&o, " ", 1);
	if (e->bytes == 0)
		put(&o, "-", 1);
	else
		put_uint(&o, e->bytes);
	put(&o, " \"", 2);
	put_field(&o, e->referer, e->referer_len);
	put(&o, "\" \"", 3);
	put_field(&o, e->agent, e->agent_len);
	put(&o, "\"", 1);
	*o.p++ = '\n';
	return (size_t)(o.p - buf);
}
