/*
 * fuzz_range: libFuzzer target for byte ranges (range.c) and
 * preconditions (cond.c).  Input: 8 bytes of representation size, then
 * lines: a Range value, a Content-Range value, If-Match, If-None-Match,
 * If-Modified-Since, If-Unmodified-Since, If-Range.  Properties:
 *  - every range answered lies in [0, size), they are sorted and
 *    disjoint, at most RANGE_MAX of them, and together no larger than
 *    the representation (the amplification limit);
 *  - a Content-Range that parses is consistent (first <= last < size)
 *    and formats back to a value that parses the same;
 *  - a spec parses to first <= last <= max;
 *  - an entity tag always matches a list holding only itself, and
 *    "*" matches anything;
 *  - cond.c reads only the bytes of each field (each has a buffer of
 *    its own length).
 *
 *	tests/fuzz/run range
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cond.h"
#include "core/range.h"
#include "core/request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check_ranges(const char *, size_t, uint64_t);
static void	check_content(const char *, size_t);
static void	check_cond(struct http_str *, size_t, const char *);
static int	etag_like(const struct http_str *);

/* A strong entity tag: DQUOTE *etagc DQUOTE (RFC 9110 section 8.8.3). */
static int
etag_like(const struct http_str *f)
{
	size_t	i;

	if (f->len < 2 || f->len > 64 || f->p[0] != '"' ||
	    f->p[f->len - 1] != '"')
		return 0;
	for (i = 1; i + 1 < f->len; i++)
		if ((unsigned char)f->p[i] < 0x21 || f->p[i] == '"' ||
		    f->p[i] == 0x7f)
			return 0;
	return 1;
}

static void
check_ranges(const char *h, size_t len, uint64_t size)
{
	struct range		 out[RANGE_MAX];
	struct range_spec	 sp;
	enum range_result	 r;
	uint64_t		 total = 0;
	size_t			 n = 0, i;

	r = range_parse(h, len, size, out, &n);
	if (r == RANGE_OK) {
		if (n == 0 || n > RANGE_MAX)
			abort();
		for (i = 0; i < n; i++) {
			if (out[i].first > out[i].last || out[i].last >= size)
				abort();
			if (i > 0 && out[i].first <= out[i - 1].last + 1)
				abort();	/* not coalesced or not sorted */
			total += out[i].last - out[i].first + 1;
		}
		if (total > size)
			abort();
	}
	if (range_spec_parse(h, len, UINT64_MAX / 2, &sp) == 0 &&
	    !sp.is_suffix && (sp.first > sp.last || sp.last > UINT64_MAX / 2))
		abort();
	(void)range_set_ok(h, len);
}

static void
check_content(const char *v, size_t len)
{
	struct range_content	 rc, rc2;
	struct range		 rg;
	char			 buf[RANGE_CONTENT_MAX + 6];
	size_t			 n;

	if (range_content_parse(v, len, &rc) != 0)
		return;
	if (!rc.unsatisfied && (rc.first > rc.last ||
	    (rc.has_size && rc.last >= rc.size)))
		abort();
	if (rc.unsatisfied && !rc.has_size)
		abort();
	if (!rc.has_size)
		return;
	memcpy(buf, "bytes ", 6);
	rg.first = rc.first;
	rg.last = rc.last;
	n = range_content_format(buf + 6, RANGE_CONTENT_MAX,
	    rc.unsatisfied ? NULL : &rg, rc.size);
	if (n == 0 || n >= RANGE_CONTENT_MAX)
		abort();
	if (range_content_parse(buf, n + 6, &rc2) != 0 ||
	    rc2.unsatisfied != rc.unsatisfied || rc2.size != rc.size ||
	    (!rc.unsatisfied && (rc2.first != rc.first ||
	    rc2.last != rc.last)))
		abort();
}

static void
check_cond(struct http_str *f, size_t nf, const char *etag)
{
	struct request	 req;
	size_t		 i;

	memset(&req, 0, sizeof(req));
	req.method = REQUEST_METHOD_GET;
	if (nf > 2)
		req.if_match = f[2];
	if (nf > 3)
		req.if_none_match = f[3];
	if (nf > 4)
		req.if_modified_since = f[4];
	if (nf > 5)
		req.if_unmodified_since = f[5];
	if (nf > 6)
		req.if_range = f[6];
	(void)cond_evaluate(&req, etag, 784111777);
	req.method = REQUEST_METHOD_PUT;
	(void)cond_evaluate(&req, etag, 0);
	(void)cond_if_range(&req, etag, 784111777, 784111800);
	for (i = 2; i < nf && i < 4; i++) {
		(void)cond_etag_match(f[i].p, f[i].len, etag, 0);
		(void)cond_etag_match(f[i].p, f[i].len, etag, 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_str	 f[7];
	char		*buf, *etag, *own = NULL;
	const char	*p, *end, *nl;
	uint64_t	 rsize = 0;
	size_t		 i, nf = 0;

	if (size < 8)
		return 0;
	for (i = 0; i < 8; i++)
		rsize = rsize << 8 | data[i];
	/* Mostly small sizes, where ranges overlap the end. */
	if (!(rsize >> 63))
		rsize &= 0xffff;
	if ((buf = malloc(size - 8 ? size - 8 : 1)) == NULL)
		abort();
	memcpy(buf, data + 8, size - 8);
	p = buf;
	end = buf + size - 8;
	while (nf < 7) {
		nl = memchr(p, '\n', (size_t)(end - p));
		f[nf].p = p;
		f[nf].len = (size_t)((nl ? nl : end) - p);
		nf++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	/* Each field in a buffer of its own length: no read past it. */
	for (i = 0; i < nf; i++) {
		char	*c;

		if ((c = malloc(f[i].len ? f[i].len : 1)) == NULL)
			abort();
		memcpy(c, f[i].p, f[i].len);
		f[i].p = c;
	}
	if (nf > 0)
		check_ranges(f[0].p, f[0].len, rsize);
	if (nf > 1)
		check_content(f[1].p, f[1].len);
	/* The etag is the fourth field when it looks like one. */
	etag = "\"5e-1a2b-3c4d\"";
	if (nf > 3 && etag_like(&f[3])) {
		if ((etag = own = strndup(f[3].p, f[3].len)) == NULL)
			abort();
		if (!cond_etag_match(etag, strlen(etag), etag, 0) ||
		    !cond_etag_match(etag, strlen(etag), etag, 1))
			abort();
	}
	if (!cond_etag_match("*", 1, etag, 0))
		abort();
	check_cond(f, nf, etag);
	free(own);
	for (i = 0; i < nf; i++)
		free((char *)f[i].p);
	free(buf);
	return 0;
}
