/*
 * response: parses the HTTP/1.x response heads minihttp-get receives.
 * The parser is strict where leniency has been a source of request
 * smuggling and response splitting (obs-fold, bare LF, whitespace before
 * a colon, conflicting lengths) and bounded in every dimension.  It must
 * not read a socket, allocate memory or decode a body: the client's
 * get_xfer.c does the reading, http.c's decoder the chunked framing.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/http.h"
#include "core/response.h"
#include "core/util.h"

/* Head parser states. */
enum {
	RS_STATUS = 0,		/* waiting for the status line */
	RS_HEADERS,		/* header fields until the empty line */
	RS_DONE,
	RS_ERROR
};

/* Connection options seen so far (parser flags). */
#define RF_CONN_CLOSE		0x01
#define RF_CONN_KEEPALIVE	0x02

static const char	 response_prefix[] = "HTTP/1.";
#define RESPONSE_PREFIX_LEN	(sizeof(response_prefix) - 1)

static enum http_parse response_fail(struct response_parser *,
		    const char *);
static int	 response_is_digit(int);
static const char *response_status_line(const char *, size_t,
		    struct response *);
static const char *response_header(struct response_parser *, const char *,
		    size_t, struct response *);
static const char *response_content_length(const char *, size_t,
		    struct response *);
static const char *response_transfer_encoding(const char *, size_t,
		    struct response *);
static const char *response_finish(struct response_parser *,
		    struct response *);

static enum http_parse
response_fail(struct response_parser *p, const char *why)
{
	p->state = RS_ERROR;
	p->error = why;
	return HTTP_PARSE_ERROR;
}

static int
response_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] */
static const char *
response_status_line(const char *s, size_t len, struct response *r)
{
	if (len < RESPONSE_PREFIX_LEN ||
	    memcmp(s, response_prefix, RESPONSE_PREFIX_LEN) != 0)
		return "not an HTTP/1.x response";
	if (len < 8 || !response_is_digit((unsigned char)s[7]))
		return "invalid HTTP version";
	r->major = 1;
	r->minor = s[7] - '0';
	if (len < 12 || s[8] != ' ' || !response_is_digit((unsigned char)s[9]) ||
	    !response_is_digit((unsigned char)s[10]) ||
	    !response_is_digit((unsigned char)s[11]))
		return "invalid status line";
	r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (r->status < 100 || r->status > 599)
		return "invalid status code";
	/* Some servers omit the SP before an empty reason: accept that. */
	if (len > 12 && s[12] != ' ')
		return "invalid status line";
	r->reason.p = s + (len > 12 ? 13 : 12);
	r->reason.len = len > 12 ? len - 13 : 0;
	if (!http_text_ok(r->reason.p, r->reason.len))
		return "invalid reason phrase";
	return NULL;
}

/*
 * Content-Length may repeat (in several fields or as a list) only with
 * the same value (RFC 9110 section 8.6); anything else could frame the
 * body two ways.
 */
static const char *
response_content_length(const char *v, size_t len, struct response *r)
{
	const char		*p = v, *end = v + len;
	struct http_str		 e;
	uint64_t		 n;

	if (len == 0)
		return "invalid Content-Length";
	while (http_list_next(&p, end, &e)) {
		if (util_parse_uint(e.p, e.len, INT64_MAX, &n) == -1)
			return "invalid Content-Length";
		if (r->has_length && r->content_length != n)
			return "conflicting Content-Length";
		r->has_length = 1;
		r->content_length = n;
	}
	return NULL;
}

/*
 * chunked must be the last coding and appear once (RFC 9112 section
 * 6.1); other codings are passed through undecoded, the body then ending
 * when the connection closes.
 */
static const char *
response_transfer_encoding(const char *v, size_t len, struct response *r)
{
	const char		*p = v, *end = v + len;
	struct http_str		 e;
	int			 any = 0;

	while (http_list_next(&p, end, &e)) {
		if (e.len == 0)
			continue;
		if (r->chunked)
			return "chunked is not the final transfer coding";
		if (http_str_caseeq(&e, "chunked"))
			r->chunked = 1;
		any = 1;
	}
	if (!any)
		return "invalid Transfer-Encoding";
	r->has_te = 1;
	return NULL;
}

static const char *
response_header(struct response_parser *p, const char *s, size_t len,
    struct response *r)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "location", offsetof(struct response, location) },
		{ "content-type", offsetof(struct response, content_type) },
		{ "content-range", offsetof(struct response, content_range) },
		{ "last-modified", offsetof(struct response, last_modified) },
		{ "etag", offsetof(struct response, etag) },
		{ "date", offsetof(struct response, date) },
	};
	const char		*v, *cp, *end;
	size_t			 nlen, vlen, i;
	struct http_str		 e;

	if (s[0] == ' ' || s[0] == '\t')
		return "obs-fold or whitespace before a header field";
	nlen = http_token_len(s, len);
	if (nlen == len || (s[nlen] != ':' && s[nlen] != ' ' &&
	    s[nlen] != '\t'))
		return "invalid header field name";
	if (s[nlen] != ':')
		return "whitespace before a colon in a header field";
	if (nlen == 0)
		return "empty header field name";
	if (++r->nheaders > p->max_headers)
		return "too many header fields";
	v = s + nlen + 1;
	vlen = len - nlen - 1;
	util_trim_ows(&v, &vlen);
	if (!http_text_ok(v, vlen))
		return "control character in a header field value";

	if (nlen == 14 && util_strncaseeq(s, "content-length", nlen))
		return response_content_length(v, vlen, r);
	if (nlen == 17 && util_strncaseeq(s, "transfer-encoding", nlen))
		return response_transfer_encoding(v, vlen, r);
	if (nlen == 10 && util_strncaseeq(s, "connection", nlen)) {
		cp = v;
		end = v + vlen;
		while (http_list_next(&cp, end, &e)) {
			if (http_str_caseeq(&e, "close"))
				p->flags |= RF_CONN_CLOSE;
			else if (http_str_caseeq(&e, "keep-alive"))
				p->flags |= RF_CONN_KEEPALIVE;
		}
		return NULL;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(fields); i++) {
		struct http_str	*f;

		if (strlen(fields[i].name) != nlen ||
		    !util_strncaseeq(s, fields[i].name, nlen))
			continue;
		f = (struct http_str *)((char *)r + fields[i].off);
		if (f->p == NULL) {	/* the first one wins */
			f->p = v;
			f->len = vlen;
		}
		break;
	}
	return NULL;
}

/* Checks that need the whole head, and the persistence decision. */
static const char *
response_finish(struct response_parser *p, struct response *r)
{
	if (r->has_te && r->has_length)
		return "both Content-Length and Transfer-Encoding";
	if (r->has_te && r->minor == 0)
		return "Transfer-Encoding in an HTTP/1.0 response";
	if (r->minor == 0)
		r->close = !(p->flags & RF_CONN_KEEPALIVE);
	else
		r->close = (p->flags & RF_CONN_CLOSE) != 0;
	return NULL;
}

void
response_init(struct response_parser *p, struct response *r)
{
	memset(p, 0, sizeof(*p));
	memset(r, 0, sizeof(*r));
	p->max_head = RESPONSE_HEAD_MAX;
	p->max_headers = RESPONSE_HEADERS_MAX;
}

/*
 * Takes one complete line at a time, so that a line split across reads
 * is parsed exactly as if it had arrived whole.  Only the prefix of the
 * status line is checked early, so that a peer that is not an HTTP/1.x
 * server is noticed without waiting for a line end that may never come.
 */
enum http_parse
response_parse(struct response_parser *p, const char *buf, size_t len,
    struct response *r)
{
	const char	*lf, *why;
	size_t		 from, lim, start, end, n;

	for (;;) {
		if (p->state == RS_DONE)
			return HTTP_PARSE_DONE;
		if (p->state == RS_ERROR)
			return HTTP_PARSE_ERROR;
		start = p->pos;
		if (p->state == RS_STATUS) {
			n = len - start < RESPONSE_PREFIX_LEN ?
			    len - start : RESPONSE_PREFIX_LEN;
			if (memcmp(buf + start, response_prefix, n) != 0)
				return response_fail(p,
				    "not an HTTP/1.x response");
		}
		from = p->scanned > start ? p->scanned : start;
		lim = len < p->max_head ? len : p->max_head;
		lf = from < lim ? memchr(buf + from, '\n', lim - from) : NULL;
		if (lf == NULL) {
			p->scanned = lim > from ? lim : from;
			if (len > p->max_head)
				return response_fail(p,
				    "response head too large");
			return HTTP_PARSE_AGAIN;
		}
		end = (size_t)(lf - buf);
		if (end == start || buf[end - 1] != '\r')
			return response_fail(p, "bare LF in response head");
		n = end - 1 - start;	/* line length without CRLF */
		p->pos = p->scanned = end + 1;
		if (p->state == RS_STATUS) {
			why = response_status_line(buf + start, n, r);
			p->state = RS_HEADERS;
		} else if (n == 0) {
			r->head_len = p->pos;
			if ((why = response_finish(p, r)) == NULL) {
				p->state = RS_DONE;
				return HTTP_PARSE_DONE;
			}
		} else
			why = response_header(p, buf + start, n, r);
		if (why != NULL)
			return response_fail(p, why);
	}
}

enum response_body
response_body(const struct response *r, int head_request)
{
	if (head_request || r->status < 200 || r->status == 204 ||
	    r->status == 304)
		return RESPONSE_BODY_NONE;
	if (r->chunked)
		return RESPONSE_BODY_CHUNKED;
	if (r->has_te)
		return RESPONSE_BODY_CLOSE;
	if (r->has_length)
		return RESPONSE_BODY_LENGTH;
	return RESPONSE_BODY_CLOSE;
}
