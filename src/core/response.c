/*
 * response: parses HTTP/1.x response heads and decodes chunked bodies
 * for minihttp-get.  Both parsers are strict where leniency has been a
 * source of request smuggling and response splitting (obs-fold, bare LF,
 * whitespace before a colon, conflicting lengths) and bounded in every
 * dimension.  Nothing here reads a socket or allocates memory.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/*
 * Chunked decoder states (RFC 9112 section 7.1):
 *
 *	SIZE_START	first hex digit of a chunk size
 *	SIZE		more hex digits, then BWS, ';' or CR
 *	SIZE_WS		whitespace after the size, before ';' or CR
 *	EXT		chunk extensions, ignored up to CR
 *	SIZE_LF		LF ending the size line
 *	DATA		chunk data, handed back as spans
 *	DATA_CR/LF	CRLF after the data
 *	TRAILER_START	start of a trailer line, or CR of the final CRLF
 *	TRAILER		a trailer field, skipped up to CR
 *	TRAILER_LF	LF ending a trailer field
 *	LAST_LF		LF of the final CRLF
 */
enum {
	RC_SIZE_START = 0,
	RC_SIZE,
	RC_SIZE_WS,
	RC_EXT,
	RC_SIZE_LF,
	RC_DATA,
	RC_DATA_CR,
	RC_DATA_LF,
	RC_TRAILER_START,
	RC_TRAILER,
	RC_TRAILER_LF,
	RC_LAST_LF,
	RC_DONE,
	RC_ERROR
};

static const char	 response_prefix[] = "HTTP/1.";
#define RESPONSE_PREFIX_LEN	(sizeof(response_prefix) - 1)

static enum response_parse response_fail(struct response_parser *,
		    const char *);
static int	 response_is_tchar(int);
static int	 response_is_digit(int);
static int	 response_text_ok(const char *, size_t);
static int	 response_next_elem(const char **, const char *,
		    struct response_str *);
static int	 response_elem_is(const struct response_str *, const char *);
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
static int	 response_chunk_byte(struct response_chunked *, int);
static size_t	 response_digits(const char *, size_t, uint64_t *);

static enum response_parse
response_fail(struct response_parser *p, const char *why)
{
	p->state = RS_ERROR;
	p->error = why;
	return RESPONSE_ERROR;
}

static int
response_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* tchar (RFC 9110 section 5.6.2): the bytes of a header field name. */
static int
response_is_tchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    response_is_digit(c))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/*
 * Field values and reason phrases: HTAB, SP, VCHAR and obs-text.  Any
 * other control byte (NUL and a stray CR above all) is refused rather
 * than passed on to a terminal or a log.
 */
static int
response_text_ok(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char	c = s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

/*
 * Steps through a comma-separated list: sets *elem to the next element
 * with surrounding whitespace removed (possibly empty) and returns 1, or
 * returns 0 at the end (*pp is then NULL).
 */
static int
response_next_elem(const char **pp, const char *end, struct response_str *elem)
{
	const char	*p = *pp, *comma;

	if (p == NULL)
		return 0;
	comma = memchr(p, ',', (size_t)(end - p));
	elem->p = p;
	elem->len = (size_t)((comma != NULL ? comma : end) - p);
	util_trim_ows(&elem->p, &elem->len);
	*pp = comma != NULL ? comma + 1 : NULL;
	return 1;
}

static int
response_elem_is(const struct response_str *e, const char *word)
{
	size_t	len = strlen(word);

	return e->len == len && util_strncaseeq(e->p, word, len);
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
	if (!response_text_ok(r->reason.p, r->reason.len))
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
	struct response_str	 e;
	uint64_t		 n;

	if (len == 0)
		return "invalid Content-Length";
	while (response_next_elem(&p, end, &e)) {
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
	struct response_str	 e;
	int			 any = 0;

	while (response_next_elem(&p, end, &e)) {
		if (e.len == 0)
			continue;
		if (r->chunked)
			return "chunked is not the final transfer coding";
		if (response_elem_is(&e, "chunked"))
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
	struct response_str	 e;

	if (s[0] == ' ' || s[0] == '\t')
		return "obs-fold or whitespace before a header field";
	for (nlen = 0; nlen < len && response_is_tchar((unsigned char)s[nlen]);
	    nlen++)
		;
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
	if (!response_text_ok(v, vlen))
		return "control character in a header field value";

	if (nlen == 14 && util_strncaseeq(s, "content-length", nlen))
		return response_content_length(v, vlen, r);
	if (nlen == 17 && util_strncaseeq(s, "transfer-encoding", nlen))
		return response_transfer_encoding(v, vlen, r);
	if (nlen == 10 && util_strncaseeq(s, "connection", nlen)) {
		cp = v;
		end = v + vlen;
		while (response_next_elem(&cp, end, &e)) {
			if (response_elem_is(&e, "close"))
				p->flags |= RF_CONN_CLOSE;
			else if (response_elem_is(&e, "keep-alive"))
				p->flags |= RF_CONN_KEEPALIVE;
		}
		return NULL;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(fields); i++) {
		struct response_str	*f;

		if (strlen(fields[i].name) != nlen ||
		    !util_strncaseeq(s, fields[i].name, nlen))
			continue;
		f = (struct response_str *)((char *)r + fields[i].off);
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
enum response_parse
response_parse(struct response_parser *p, const char *buf, size_t len,
    struct response *r)
{
	const char	*lf, *why;
	size_t		 from, lim, start, end, n;

	for (;;) {
		if (p->state == RS_DONE)
			return RESPONSE_DONE;
		if (p->state == RS_ERROR)
			return RESPONSE_ERROR;
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
			return RESPONSE_AGAIN;
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
				return RESPONSE_DONE;
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

void
response_chunked_init(struct response_chunked *c)
{
	memset(c, 0, sizeof(*c));
}

/*
 * Advances the chunked state machine by one framing byte (never a data
 * byte).  Returns 0, or -1 with c->error set.
 */
static int
response_chunk_byte(struct response_chunked *c, int ch)
{
	int	h;

	switch (c->state) {
	case RC_SIZE_START:
	case RC_SIZE:
		if ((h = util_hexval(ch)) != -1) {
			if (c->remain > (UINT64_MAX >> 4)) {
				c->error = "chunk size too large";
				return -1;
			}
			c->remain = (c->remain << 4) | (uint64_t)h;
			c->state = RC_SIZE;
			break;
		}
		if (c->state == RC_SIZE_START) {
			c->error = "invalid chunk size";
			return -1;
		}
		/* FALLTHROUGH */
	case RC_SIZE_WS:
		if (ch == ' ' || ch == '\t')
			c->state = RC_SIZE_WS;
		else if (ch == ';')
			c->state = RC_EXT;
		else if (ch == '\r')
			c->state = RC_SIZE_LF;
		else {
			c->error = ch == '\n' ? "missing CRLF after chunk size" :
			    "invalid chunk size";
			return -1;
		}
		break;
	case RC_EXT:
		if (ch == '\r')
			c->state = RC_SIZE_LF;
		else if (ch == '\n') {
			c->error = "missing CRLF after chunk size";
			return -1;
		} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			c->error = "invalid chunk extension";
			return -1;
		}
		break;
	case RC_SIZE_LF:
		if (ch != '\n') {
			c->error = "missing CRLF after chunk size";
			return -1;
		}
		c->state = c->remain == 0 ? RC_TRAILER_START : RC_DATA;
		break;
	case RC_DATA_CR:
	case RC_DATA_LF:
		if (ch != (c->state == RC_DATA_CR ? '\r' : '\n')) {
			c->error = "missing CRLF after chunk data";
			return -1;
		}
		c->state = c->state == RC_DATA_CR ? RC_DATA_LF : RC_SIZE_START;
		c->linelen = 0;
		break;
	case RC_TRAILER_START:
		if (ch == '\n') {
			c->error = "bare LF in trailer section";
			return -1;
		}
		c->state = ch == '\r' ? RC_LAST_LF : RC_TRAILER;
		break;
	case RC_TRAILER:
		if (ch == '\r')
			c->state = RC_TRAILER_LF;
		else if (ch == '\n') {
			c->error = "bare LF in trailer section";
			return -1;
		}
		break;
	case RC_TRAILER_LF:
	case RC_LAST_LF:
		if (ch != '\n') {
			c->error = "missing CRLF in trailer section";
			return -1;
		}
		c->state = c->state == RC_LAST_LF ? RC_DONE : RC_TRAILER_START;
		break;
	}
	if (c->state == RC_SIZE || c->state == RC_SIZE_WS || c->state == RC_EXT) {
		if (++c->linelen > RESPONSE_CHUNK_LINE_MAX) {
			c->error = "chunk size line too long";
			return -1;
		}
	} else if (c->state == RC_TRAILER || c->state == RC_TRAILER_LF ||
	    c->state == RC_LAST_LF) {
		if (++c->trailer > RESPONSE_TRAILER_MAX) {
			c->error = "trailer section too large";
			return -1;
		}
	}
	return 0;
}

enum response_parse
response_chunked(struct response_chunked *c, const char *buf, size_t len,
    size_t *used, const char **data, size_t *datalen)
{
	size_t	i = 0, n;

	*data = NULL;
	*datalen = 0;
	while (i < len && c->state != RC_DONE && c->state != RC_ERROR) {
		if (c->state == RC_DATA) {
			n = len - i;
			if (n > c->remain)
				n = (size_t)c->remain;
			*data = buf + i;
			*datalen = n;
			c->remain -= n;
			i += n;
			if (c->remain == 0)
				c->state = RC_DATA_CR;
			break;
		}
		if (response_chunk_byte(c, (unsigned char)buf[i]) == -1) {
			c->state = RC_ERROR;
			break;
		}
		i++;
	}
	*used = i;
	if (c->state == RC_DONE)
		return RESPONSE_DONE;
	if (c->state == RC_ERROR)
		return RESPONSE_ERROR;
	return RESPONSE_AGAIN;
}

/*
 * The decimal number at the start of s[0..len): returns how many digits
 * it has (0: none, or more than INT64_MAX) and sets *v.
 */
static size_t
response_digits(const char *s, size_t len, uint64_t *v)
{
	size_t	n;

	for (n = 0; n < len && response_is_digit((unsigned char)s[n]); n++)
		;
	if (n == 0 || util_parse_uint(s, n, INT64_MAX, v) == -1)
		return 0;
	return n;
}

int
response_content_range(const char *p, size_t len, struct response_crange *cr)
{
	const char	*end;
	size_t		 n;

	memset(cr, 0, sizeof(*cr));
	util_trim_ows(&p, &len);
	end = p + len;
	if (len < 6 || !util_strncaseeq(p, "bytes ", 6))
		return -1;
	for (p += 6; p < end && *p == ' '; p++)
		;
	if (p < end && *p == '*') {
		cr->unsatisfied = 1;
		p++;
	} else {
		if ((n = response_digits(p, (size_t)(end - p), &cr->first)) == 0)
			return -1;
		p += n;
		if (p == end || *p++ != '-')
			return -1;
		if ((n = response_digits(p, (size_t)(end - p), &cr->last)) == 0)
			return -1;
		p += n;
		if (cr->first > cr->last)
			return -1;
	}
	if (p == end || *p++ != '/')
		return -1;
	if (p < end && *p == '*' && p + 1 == end && !cr->unsatisfied)
		return 0;
	if ((n = response_digits(p, (size_t)(end - p), &cr->size)) == 0 ||
	    p + n != end)
		return -1;
	cr->has_size = 1;
	if (!cr->unsatisfied && cr->last >= cr->size)
		return -1;
	return 0;
}

int
response_range_spec_ok(const char *spec)
{
	const char	*p = spec;
	uint64_t	 a, b;
	size_t		 n, parts = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (++parts > RESPONSE_RANGE_SPECS_MAX)
			return 0;
		if (*p == '-') {
			if ((n = response_digits(p + 1, strlen(p + 1), &b)) == 0)
				return 0;
			p += 1 + n;
		} else {
			if ((n = response_digits(p, strlen(p), &a)) == 0 ||
			    p[n] != '-')
				return 0;
			p += n + 1;
			if ((n = response_digits(p, strlen(p), &b)) > 0 && b < a)
				return 0;
			p += n;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 1;
		if (*p++ != ',')
			return 0;
	}
}
