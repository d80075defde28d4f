/*
 * fuzz_http: libFuzzer target for the request parser, the chunked
 * decoder (the server's lenient dialect on a request body), URI
 * normalisation, Range parsing and the preconditions: the pure code
 * every hostile byte reaches first.  Each input is also fed byte by
 * byte, and both ways must agree (resumability).
 *
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -I../../src \
 *	    -I$BUILDDIR fuzz_http.c \
 *	    ../../src/core/{http,request,uri,range,cond,httpdate,util}.c
 *	./a.out -max_total_time=60
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*buf = (const char *)data;
	struct request_limits	 lim = { 1024, 20 };
	struct request_parser	 ps, ps2;
	struct request		 req, req2;
	struct http_chunked	 ch;
	const char		*span;
	struct range		 rg[RANGE_MAX];
	enum http_parse		 r, r2 = HTTP_PARSE_AGAIN;
	char			 path[4096];
	size_t			 i, used, n, off, dlen;
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
	if (r == HTTP_PARSE_DONE) {
		if (req.head_len > size)
			abort();
		if (uri_normalize(req.path.p, req.path.len, path, sizeof(path),
		    &q) == URI_OK && (path[0] != '/' || strstr(path, "/../") ||
		    strstr(path, "/./")))
			abort();
		if (req.range.p != NULL &&
		    range_parse(req.range.p, req.range.len, 100000, rg, &n) ==
		    RANGE_OK) {
			for (i = 0; i < n; i++)
				if (rg[i].first > rg[i].last ||
				    rg[i].last >= 100000 ||
				    (i > 0 && rg[i].first <= rg[i - 1].last))
					abort();
		}
		(void)cond_evaluate(&req, "\"a-b-c\"", 784111777);
		(void)cond_if_range(&req, "\"a-b-c\"", 784111777, 784111800);
		if (req.head_len < size) {
			http_chunked_init(&ch, HTTP_CHUNKED_LENIENT);
			off = req.head_len;
			do {
				r = http_chunked(&ch, buf + off, size - off,
				    &used, &span, &dlen);
				if (used > size - off || dlen > used ||
				    (dlen > 0 && (span < buf + off ||
				    span + dlen > buf + off + used)))
					abort();
				off += used;
			} while (r == HTTP_PARSE_AGAIN && off < size);
		}
	}
	return 0;
}
