/*
 * uri: request-target path -> clean local path.  The order matters and
 * is fixed: cut the query, percent-decode once, refuse NUL and control
 * bytes, then resolve dot segments on the decoded bytes.  Decoding after
 * normalising would let "%2e%2e" climb; decoding twice would let
 * "%252e%252e" do the same, so neither happens.
 */
#include "config.h"

#include <string.h>

#include "core/uri.h"
#include "core/util.h"

static size_t	normalize(char *, size_t);

/*
 * Resolves "." and ".." segments and merges slashes in place; p[0] is
 * '/'.  The write index never passes the read index, and ".." never
 * removes the leading '/', so the result stays inside the root.  A path
 * ending in "/", "/." or "/.." keeps a trailing slash.  Returns the new
 * length.
 */
static size_t
normalize(char *p, size_t n)
{
	size_t	r = 1, w = 1, s, e;

	while (r < n) {
		if (p[r] == '/') {
			r++;
			continue;
		}
		s = r;
		for (e = s; e < n && p[e] != '/'; e++)
			;
		if (e - s == 1 && p[s] == '.') {
			/* nothing */
		} else if (e - s == 2 && p[s] == '.' && p[s + 1] == '.') {
			if (w > 1) {
				w--;
				while (w > 1 && p[w - 1] != '/')
					w--;
			}
		} else {
			memmove(p + w, p + s, e - s);
			w += e - s;
			if (e < n)
				p[w++] = '/';
		}
		r = e;
	}
	p[w] = '\0';
	return w;
}

enum uri_result
uri_normalize(const char *t, size_t len, char *out, size_t outsz, long *query)
{
	size_t	i, n = 0;
	int	hi, lo;
	unsigned char c;

	if (query != NULL)
		*query = -1;
	if (len == 0 || t[0] != '/')
		return URI_BAD;
	for (i = 0; i < len; i++) {
		c = (unsigned char)t[i];
		if (c == '?' || c == '#') {
			if (query != NULL && c == '?')
				*query = (long)i;
			break;
		}
		if (c == '%') {
			if (i + 2 >= len ||
			    (hi = util_hexval((unsigned char)t[i + 1])) == -1 ||
			    (lo = util_hexval((unsigned char)t[i + 2])) == -1)
				return URI_BAD;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return URI_BAD;
		if (n + 1 >= outsz)
			return URI_TOO_LONG;
		out[n++] = (char)c;
	}
	normalize(out, n);
	return URI_OK;
}

enum uri_result
uri_encode_path(const char *path, char *out, size_t outsz)
{
	static const char	hex[] = "0123456789ABCDEF";
	static const char	keep[] = "-._~!$&'()*+,;=:@/";
	size_t			n = 0;
	unsigned char		c;

	for (; *path != '\0'; path++) {
		c = (unsigned char)*path;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(keep, c) != NULL) {
			if (n + 1 >= outsz)
				return URI_TOO_LONG;
			out[n++] = (char)c;
		} else {
			if (n + 3 >= outsz)
				return URI_TOO_LONG;
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	if (outsz == 0)
		return URI_TOO_LONG;
	out[n] = '\0';
	return URI_OK;
}
