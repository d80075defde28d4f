/*
 * fuzz_uri: libFuzzer target for percent-coding and dot segments
 * (uri.c), shared by the server (uri_normalize) and the client (url.c).
 * Properties:
 *  - a normalised path starts with '/', has no "." or ".." segment and
 *    no "//", and normalising it again (when it holds no '%', '?' or
 *    '#', which a second pass would read differently) changes nothing;
 *  - a smaller output buffer gives URI_TOO_LONG or the same path;
 *  - uri_encode writes only what it promises to keep or %XX, and
 *    decoding its output gives back the input; encoding a normalised
 *    path and normalising that gives back the path (decode once);
 *  - uri_remove_dots never lengthens, and on an absolute path with
 *    URI_DOTS_MERGE leaves no dot segment and no "//".
 *
 *	tests/fuzz/run uri
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/uri.h"
#include "core/util.h"

#define OUT_MAX	8192

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	clean_path(const char *, size_t);
static size_t	pct_decode(const char *, size_t, char *);
static void	check_encode(const char *, size_t, int);
static void	check_dots(const char *, size_t, int);

/* Starts with '/', no "." or ".." segment, no empty segment but last. */
static int
clean_path(const char *p, size_t n)
{
	size_t	i, s;

	if (n == 0 || p[0] != '/')
		return 0;
	for (i = 1; i <= n; i = s + 1) {
		for (s = i; s < n && p[s] != '/'; s++)
			;
		if (s - i == 0 && s < n)
			return 0;
		if ((s - i == 1 && p[i] == '.') ||
		    (s - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return 0;
	}
	return 1;
}

/* Reference decoder of what uri_encode wrote (valid by construction). */
static size_t
pct_decode(const char *s, size_t n, char *out)
{
	size_t	i, o = 0;
	int	v;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && (v = uri_pct_value(s + i, n - i)) != -1) {
			out[o++] = (char)v;
			i += 2;
		} else
			out[o++] = s[i];
	}
	return o;
}

static void
check_encode(const char *in, size_t len, int flags)
{
	char		*enc, *dec;
	size_t		 sz = len * 3 + 1, n, i;
	enum uri_result	 r;

	if ((enc = malloc(sz)) == NULL || (dec = malloc(sz)) == NULL)
		abort();
	r = uri_encode(in, len, enc, sz, flags);
	if (r != URI_OK)
		abort();		/* 3 bytes a byte always fits */
	n = strlen(enc);
	if (n >= sz)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)enc[i] <= 0x20 ||
		    (unsigned char)enc[i] >= 0x7f)
			abort();
	if (flags == 0 && (pct_decode(enc, n, dec) != len ||
	    memcmp(dec, in, len) != 0))
		abort();
	/* One byte short of the room needed: TOO_LONG, never overflow. */
	if (n > 0) {
		free(dec);
		if ((dec = malloc(n)) == NULL)
			abort();
		if (uri_encode(in, len, dec, n, flags) != URI_TOO_LONG)
			abort();
	}
	free(enc);
	free(dec);
}

static void
check_dots(const char *in, size_t len, int flags)
{
	char	*p;
	size_t	 n = len;
	int	 r;

	if ((p = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(p, in, len);
	r = uri_remove_dots(p, &n, flags);
	if (n > len)
		abort();
	if (r == 0 && (flags & URI_DOTS_MERGE) && len > 0 && in[0] == '/' &&
	    !clean_path(p, n))
		abort();
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*in, *out, *out2, small[64];
	const char	*t;
	size_t		 len, n, i;
	enum uri_result	 r, r2;
	long		 q;
	int		 v, ref;

	if ((in = malloc(size ? size : 1)) == NULL ||
	    (out = malloc(OUT_MAX)) == NULL || (out2 = malloc(OUT_MAX)) == NULL)
		abort();
	memcpy(in, data, size);
	t = in;
	len = size;

	r = uri_normalize(t, len, out, OUT_MAX, &q);
	if (r == URI_OK) {
		n = strlen(out);
		if (!clean_path(out, n))
			abort();
		if (q != -1 && (q < 0 || (size_t)q >= len || t[q] != '?'))
			abort();
		if (strpbrk(out, "%?#") == NULL) {
			if (uri_normalize(out, n, out2, OUT_MAX, NULL) !=
			    URI_OK || strcmp(out, out2) != 0)
				abort();
		}
		r2 = uri_normalize(t, len, small, sizeof(small), NULL);
		if (r2 == URI_OK ? strcmp(small, out) != 0 :
		    r2 != URI_TOO_LONG)
			abort();
		/* Decode once: encode then normalise is the identity. */
		if (n * 3 + 1 <= OUT_MAX &&
		    uri_encode(out, n, out2, OUT_MAX, 0) == URI_OK) {
			char	back[OUT_MAX];

			if (uri_normalize(out2, strlen(out2), back,
			    sizeof(back), NULL) != URI_OK ||
			    strcmp(back, out) != 0)
				abort();
		}
	}
	for (i = 0; i < 4; i++) {
		check_encode(t, len, (int)i);
		check_dots(t, len, (int)i);
	}
	for (i = 0; i < len; i++) {
		v = uri_pct_value(t + i, len - i);
		ref = t[i] == '%' && len - i >= 3 &&
		    util_hexval((unsigned char)t[i + 1]) != -1 &&
		    util_hexval((unsigned char)t[i + 2]) != -1 ?
		    util_hexval((unsigned char)t[i + 1]) * 16 +
		    util_hexval((unsigned char)t[i + 2]) : -1;
		if (v != ref)
			abort();
	}
	free(in);
	free(out);
	free(out2);
	return 0;
}
