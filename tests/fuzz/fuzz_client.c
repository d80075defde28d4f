/*
 * fuzz_client: libFuzzer target for what minihttp-get parses: the URL
 * or path given on its command line (url.c), a Location to follow
 * (url_resolve), the name -O saves under (url_remote_name), and the
 * response head (response.c) followed by a chunked body, decoded
 * strictly as get_xfer does.  Input: a first line (the target), a
 * second (the Location), then the response.  Properties:
 *  - a parsed URL has a host, a path that starts with '/' and holds
 *    only visible ASCII, and "http://AUTHORITY/PATH" rebuilt from it
 *    parses to the same URL;
 *  - a resolved Location has no dot segment in its path (unless the
 *    base had one and the reference kept it: "" or "?q");
 *  - a remote name is never empty, ".", "..", nor holds '/' or a
 *    control byte;
 *  - the response head gives the same answer whole and byte by byte,
 *    and a body span always lies inside the bytes consumed.
 *
 *	tests/fuzz/run client
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/range.h"
#include "core/response.h"
#include "core/url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	*dupn(const uint8_t *, size_t);
static int	visible(const char *);
static int	has_dots(const char *);
static void	check_url(const char *, const char *, size_t);
static void	check_response(const char *, size_t);

/* A NUL-terminated copy in a buffer of exactly that size. */
static char *
dupn(const uint8_t *p, size_t n)
{
	char	*s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static int
visible(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* A "." or ".." segment in the path part (before '?'). */
static int
has_dots(const char *path)
{
	const char	*p, *s, *end = path + strcspn(path, "?");

	for (p = path; p < end; p = s) {
		for (s = p + 1; s < end && *s != '/'; s++)
			;
		if ((s - p == 2 && p[1] == '.') ||
		    (s - p == 3 && p[1] == '.' && p[2] == '.'))
			return 1;
	}
	return 0;
}

static void
check_url(const char *target, const char *loc, size_t loclen)
{
	static struct url	 u, u2, r;
	const char		*why, *p;
	char			 auth[URL_AUTHORITY_MAX], hh[URL_AUTHORITY_MAX];
	char			*again, name[256];
	size_t			 n, al;

	if (url_parse(target, &u, &why) != URL_OK)
		return;
	if (u.host[0] == '\0' || u.path[0] != '/' || !visible(u.path))
		abort();
	if ((al = url_authority(&u, auth, sizeof(auth))) == 0 ||
	    url_host_header(&u, hh, sizeof(hh)) == 0)
		abort();
	n = al + strlen(u.path) + 8;
	if ((again = malloc(n)) == NULL)
		abort();
	snprintf(again, n, "http://%s%s", auth, u.path);
	if (url_parse(again, &u2, &why) == URL_OK &&
	    (strcmp(u.host, u2.host) != 0 || u.port != u2.port ||
	    u.ipv6 != u2.ipv6 || strcmp(u.path, u2.path) != 0)) {
		fprintf(stderr, "client: %s -> %s: %s:%u%s\n", target, again,
		    u2.host, u2.port, u2.path);
		abort();
	}
	free(again);
	if (url_resolve(&u, loc, loclen, &r, &why) == URL_OK) {
		if (r.host[0] == '\0' || r.path[0] != '/' || !visible(r.path))
			abort();
		/* An empty or query-only reference keeps the base path. */
		if (has_dots(r.path) && !has_dots(u.path))
			abort();
	}
	if (url_remote_name(u.path, name, sizeof(name), &why) == URL_OK) {
		if (name[0] == '\0' || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0 || strchr(name, '/') != NULL)
			abort();
		for (p = name; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
	}
}

static void
check_response(const char *buf, size_t len)
{
	struct response_parser	 ps, ps2;
	struct response		 r, r2;
	struct range_content	 rc;
	struct http_chunked	 ch;
	const char		*span;
	enum http_parse		 res, res2 = HTTP_PARSE_AGAIN;
	size_t			 i, off, used, dlen;

	response_init(&ps, &r);
	res = response_parse(&ps, buf, len, &r);
	response_init(&ps2, &r2);
	for (i = 1; i <= len && res2 == HTTP_PARSE_AGAIN; i++)
		res2 = response_parse(&ps2, buf, i, &r2);
	if (res != HTTP_PARSE_AGAIN && res2 != HTTP_PARSE_AGAIN &&
	    res != res2)
		abort();
	if (res != HTTP_PARSE_DONE)
		return;
	if (res2 == HTTP_PARSE_DONE && (r.head_len != r2.head_len ||
	    r.status != r2.status || r.nheaders != r2.nheaders ||
	    r.content_length != r2.content_length))
		abort();
	if (r.head_len > len || r.status < 100 || r.status > 599 ||
	    r.nheaders > RESPONSE_HEADERS_MAX)
		abort();
	if (r.content_range.p != NULL)
		(void)range_content_parse(r.content_range.p,
		    r.content_range.len, &rc);
	if (response_body(&r, 0) != RESPONSE_BODY_CHUNKED)
		return;
	(void)response_body(&r, 1);
	http_chunked_init(&ch, HTTP_CHUNKED_STRICT);
	off = r.head_len;
	do {
		res = http_chunked(&ch, buf + off, len - off, &used, &span,
		    &dlen);
		if (used > len - off || dlen > used || (dlen > 0 &&
		    (span < buf + off || span + dlen > buf + off + used)))
			abort();
		off += used;
	} while (res == HTTP_PARSE_AGAIN && off < len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*nl, *nl2, *rest;
	char		*target, *loc, *resp;
	size_t		 tl, ll, rl;

	if ((nl = memchr(data, '\n', size)) == NULL)
		nl = data + size;
	tl = (size_t)(nl - data);
	rest = nl < data + size ? nl + 1 : nl;
	if ((nl2 = memchr(rest, '\n', (size_t)(data + size - rest))) == NULL)
		nl2 = data + size;
	ll = (size_t)(nl2 - rest);
	target = dupn(data, tl);
	loc = dupn(rest, ll);
	rest = nl2 < data + size ? nl2 + 1 : nl2;
	rl = (size_t)(data + size - rest);
	/* The head alone, in a buffer of its length. */
	if ((resp = malloc(rl ? rl : 1)) == NULL)
		abort();
	memcpy(resp, rest, rl);
	check_url(target, loc, ll);
	check_response(resp, rl);
	free(target);
	free(loc);
	free(resp);
	return 0;
}
