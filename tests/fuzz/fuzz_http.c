/*
 * fuzz_http: libFuzzer target for the request parser and the chunked
 * decoder in both dialects (the server skips a request body leniently;
 * minihttp-get decodes a response strictly): the pure code every
 * hostile byte reaches first.  Each input is also fed byte by byte, and
 * both ways must agree (resumability).  The head parsed, its path goes
 * through uri_normalize, its Range through range_parse and its
 * preconditions through cond.c, as the server would.
 *
 *	tests/fuzz/run http
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cond.h"
#include "core/http.h"
#include "core/range.h"
#include "core/request.h"
#include "core/uri.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	request_whole_and_split(const char *, size_t);
static void	chunked_whole_and_split(const char *, size_t,
		    enum http_chunked_mode);
static size_t	chunked_decode(const char *, size_t, size_t,
		    enum http_chunked_mode, char *, enum http_parse *,
		    size_t *);

/*
 * Decodes buf[0..len) handing the decoder at most step bytes at a time
 * (the rest stays "unreceived"), appending the body to out (len bytes
 * of room).  Returns the body length; *res and *consumed the decoder's
 * last answer and how many bytes it took.
 */
static size_t
chunked_decode(const char *buf, size_t len, size_t step,
    enum http_chunked_mode mode, char *out, enum http_parse *res,
    size_t *consumed)
{
	struct http_chunked	 ch;
	const char		*span;
	size_t			 off = 0, avail, used, dlen, olen = 0;
	enum http_parse		 r = HTTP_PARSE_AGAIN;

	http_chunked_init(&ch, mode);
	for (avail = step < len ? step : len; ; ) {
		r = http_chunked(&ch, buf + off, avail - off, &used, &span,
		    &dlen);
		if (used > avail - off || dlen > used || (dlen > 0 &&
		    (span < buf + off || span + dlen > buf + off + used)))
			abort();
		if (dlen > 0)
			memcpy(out + olen, span, dlen);
		olen += dlen;
		off += used;
		if (r != HTTP_PARSE_AGAIN)
			break;
		if (off == avail) {
			if (avail == len)
				break;
			avail = avail + step < len ? avail + step : len;
		}
	}
	*res = r;
	*consumed = off;
	return olen;
}

static void
chunked_whole_and_split(const char *buf, size_t len,
    enum http_chunked_mode mode)
{
	char		*a, *b;
	size_t		 na, nb, ua, ub;
	enum http_parse	 ra, rb;

	if ((a = malloc(len + 1)) == NULL || (b = malloc(len + 1)) == NULL)
		abort();
	na = chunked_decode(buf, len, len, mode, a, &ra, &ua);
	nb = chunked_decode(buf, len, 1, mode, b, &rb, &ub);
	/* However the bytes arrive, the same body and the same verdict. */
	if (ra != rb || ua != ub || na != nb || memcmp(a, b, na) != 0)
		abort();
	if (ra == HTTP_PARSE_DONE && ua > len)
		abort();
	free(a);
	free(b);
}

static void
request_whole_and_split(const char *buf, size_t size)
{
	struct request_limits	 lim = { 1024, 20 };
	struct request_parser	 ps, ps2;
	struct request		 req, req2;
	struct range		 rg[RANGE_MAX];
	enum http_parse		 r, r2 = HTTP_PARSE_AGAIN;
	char			 path[4096];
	size_t			 i, n;
	int			 st = 0, st2 = 0;
	long			 q;

	memset(&ps, 0, sizeof(ps));
	r = request_parse(&ps, buf, size, &lim, &req, &st);
	memset(&ps2, 0, sizeof(ps2));
	for (i = 1; i <= size && r2 == HTTP_PARSE_AGAIN; i++)
		r2 = request_parse(&ps2, buf, i, &lim, &req2, &st2);
	if (r != r2 && !(r == HTTP_PARSE_AGAIN || r2 == HTTP_PARSE_AGAIN))
		abort();
	if (r == HTTP_PARSE_ERROR && r2 == HTTP_PARSE_ERROR && st != st2)
		abort();
	if (r == HTTP_PARSE_ERROR && (st < 400 || st > 599))
		abort();
	if (r != HTTP_PARSE_DONE)
		return;
	if (req.head_len > size || req.head_len > lim.max_head ||
	    req.nheaders > lim.max_headers)
		abort();
	/* Inside the head, or a constant "/" for "GET http://host". */
	if (req.path.p != NULL && (req.path.p < buf ||
	    req.path.p + req.path.len > buf + req.head_len) &&
	    !(req.path.len == 1 && req.path.p[0] == '/'))
		abort();
	if (uri_normalize(req.path.p, req.path.len, path, sizeof(path),
	    &q) == URI_OK && (path[0] != '/' || strstr(path, "/../") ||
	    strstr(path, "/./") || strstr(path, "//")))
		abort();
	if (req.range.p != NULL &&
	    range_parse(req.range.p, req.range.len, 100000, rg, &n) ==
	    RANGE_OK) {
		for (i = 0; i < n; i++)
			if (rg[i].first > rg[i].last || rg[i].last >= 100000 ||
			    (i > 0 && rg[i].first <= rg[i - 1].last))
				abort();
	}
	(void)cond_evaluate(&req, "\"a-b-c\"", 784111777);
	(void)cond_if_range(&req, "\"a-b-c\"", 784111777, 784111800);
	/* A body after the head: the server's lenient skipper. */
	if (req.head_len < size)
		chunked_whole_and_split(buf + req.head_len,
		    size - req.head_len, HTTP_CHUNKED_LENIENT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*buf;

	/* An exact copy: ASan sees any read past the end. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(buf, data, size);
	request_whole_and_split(buf, size);
	/* The whole input as a body too, in both dialects. */
	chunked_whole_and_split(buf, size, HTTP_CHUNKED_STRICT);
	chunked_whole_and_split(buf, size, HTTP_CHUNKED_LENIENT);
	free(buf);
	return 0;
}
