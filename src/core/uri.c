/*
 * uri: percent-coding and dot segments, and the server's request path.
 * Nothing else in the tree decodes an escape, encodes a byte or removes
 * a dot segment.  This file must not know about hosts, schemes or the
 * filesystem: url.c, resolve.c and serve.c bring those.
 *
 * uri_normalize's order matters and is fixed: cut the query,
 * percent-decode once, refuse NUL and control bytes, then resolve dot
 * segments on the decoded bytes.  Decoding after normalising would let
 * "%2e%2e" climb; decoding twice would let "%252e%252e" do the same, so
 * neither happens.
 */
#include "config.h"

#include <string.h>

#include "core/uri.h"
#include "core/util.h"

static int	uri_keep(int, int);
static int	uri_plain(const char *, size_t, size_t *);

int
uri_pct_value(const char *p, size_t len)
{
	int	hi, lo;

	if (len < 3 || p[0] != '%' ||
	    (hi = util_hexval((unsigned char)p[1])) == -1 ||
	    (lo = util_hexval((unsigned char)p[2])) == -1)
		return -1;
	return hi << 4 | lo;
}

/* Bytes uri_encode leaves as they are (RFC 3986 pchar and '/'). */
static int
uri_keep(int c, int flags)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	if (c == '?')
		return (flags & URI_ENCODE_QUERY) != 0;
	return c != '\0' && strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

enum uri_result
uri_encode(const char *in, size_t len, char *out, size_t outsz, int flags)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i, n = 0;
	unsigned char		c;

	if (outsz == 0)
		return URI_TOO_LONG;
	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (uri_keep(c, flags) || ((flags & URI_ENCODE_ESCAPES) &&
		    uri_pct_value(in + i, len - i) != -1)) {
			if (n + 1 >= outsz)
				return URI_TOO_LONG;
			out[n++] = (char)c;
			continue;
		}
		if (n + 3 >= outsz)
			return URI_TOO_LONG;
		out[n++] = '%';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 15];
	}
	out[n] = '\0';
	return URI_OK;
}

/*
 * The steps are those of RFC 3986 section 5.2.4, on one buffer: the
 * output (p[0..w)) never passes the input still to read (p[r..len)),
 * and the '/' that steps B and C put back goes where the input was.
 */
int
uri_remove_dots(char *p, size_t *lenp, int flags)
{
	size_t	len = *lenp, r, w, n;

	if (flags & URI_DOTS_MERGE) {
		for (r = w = 0; r < len; r++)
			if (p[r] != '/' || w == 0 || p[w - 1] != '/')
				p[w++] = p[r];
		len = w;
	}
	for (r = w = 0; r < len;) {
		n = len - r;
		if ((n >= 3 && memcmp(p + r, "../", 3) == 0) ||
		    (n >= 2 && memcmp(p + r, "./", 2) == 0)) {
			/* A: a relative path's leading "../" or "./". */
			if (p[r + 1] == '.' && (flags & URI_DOTS_NO_CLIMB))
				return -1;
			r += p[r + 1] == '.' ? 3 : 2;
		} else if (n >= 3 && memcmp(p + r, "/./", 3) == 0)
			r += 2;				/* B */
		else if (n == 2 && memcmp(p + r, "/.", 2) == 0)
			p[++r] = '/';			/* B */
		else if ((n >= 4 && memcmp(p + r, "/../", 4) == 0) ||
		    (n == 3 && memcmp(p + r, "/..", 3) == 0)) {
			/* C: drop the last output segment. */
			if (w == 0 && (flags & URI_DOTS_NO_CLIMB))
				return -1;
			r += n == 3 ? 2 : 3;
			p[r] = '/';
			while (w > 0 && p[--w] != '/')
				;
		} else if ((n == 1 && p[r] == '.') ||
		    (n == 2 && memcmp(p + r, "..", 2) == 0)) {
			/* D: a lone "." or "..". */
			if (n == 2 && (flags & URI_DOTS_NO_CLIMB))
				return -1;
			r = len;
		} else {
			/* E: the first segment, with its leading '/' if any. */
			do
				p[w++] = p[r++];
			while (r < len && p[r] != '/');
		}
	}
	*lenp = w;
	return 0;
}

/*
 * The bytes at which uri_plain stops to look closer: the end of the
 * path ('?', '#'), '%', the control bytes uri_normalize refuses, and '/',
 * which may start a dot segment or a run of slashes.  Every other byte
 * stands for itself in the normal form.
 */
static const unsigned char uri_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x10 */
	0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* 0x20 # % / */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* 0x30 ? */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x50 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* 0x70 DEL */
	/* 0x80 to 0xff: 0 */
};

/*
 * Most targets have nothing to decode, no dot segment and no doubled
 * slash, so their path is already its normal form.  Returns 1 with *end
 * at the '?' or '#' that ends such a path (or at len), 0 when the path
 * needs the full treatment.  A path that starts with '/' and holds
 * neither "/." nor "//" has no dot segment for uri_remove_dots to act
 * on and no slashes to merge.
 */
static int
uri_plain(const char *t, size_t len, size_t *end)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)t[i];
		if (!uri_special[c])
			continue;
		if (c == '?' || c == '#')
			break;
		if (c != '/' || (i + 1 < len && (t[i + 1] == '.' ||
		    t[i + 1] == '/')))
			return 0;
	}
	*end = i;
	return 1;
}

enum uri_result
uri_normalize(const char *t, size_t len, char *out, size_t outsz, long *query)
{
	size_t	i, n = 0;
	int	v;
	unsigned char c;

	if (query != NULL)
		*query = -1;
	if (len == 0 || t[0] != '/')
		return URI_BAD;
	if (uri_plain(t, len, &n) && n < outsz) {
		memcpy(out, t, n);
		out[n] = '\0';
		if (query != NULL && n < len && t[n] == '?')
			*query = (long)n;
		return URI_OK;
	}
	n = 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)t[i];
		if (c == '?' || c == '#') {
			if (query != NULL && c == '?')
				*query = (long)i;
			break;
		}
		if (c == '%') {
			if ((v = uri_pct_value(t + i, len - i)) == -1)
				return URI_BAD;
			c = (unsigned char)v;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return URI_BAD;
		if (n + 1 >= outsz)
			return URI_TOO_LONG;
		out[n++] = (char)c;
	}
	/* Clamped at the root: what stays is never above it. */
	(void)uri_remove_dots(out, &n, URI_DOTS_MERGE);
	out[n] = '\0';
	return URI_OK;
}
