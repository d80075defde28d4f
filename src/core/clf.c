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

static void
put(struct out *o, const char *s, size_t len)
{
	size_t	room = (size_t)(o->end - o->p);

	if (len > room)
		len = room;
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

size_t
clf_escape(char *dst, size_t size, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, n = 0;
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
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			if (n + 4 >= size)
				break;
			dst[n++] = '\\';
			dst[n++] = 'x';
			dst[n++] = hex[ch >> 4];
			dst[n++] = hex[ch & 15];
		} else {
			if (n + 1 >= size)
				break;
			dst[n++] = (char)ch;
		}
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
