/*
 * http: HTTP/1.x syntax shared by the server and the client: token and
 * list scanning, the chunked decoder and the reason phrases.  It works
 * on the caller's bytes only and knows nothing of requests or
 * responses: what a field means is decided in request.c (the server)
 * and response.c (the client), never here.
 */
#include "config.h"

#include <string.h>

#include "core/http.h"
#include "core/util.h"

/*
 * Chunked decoder states (RFC 9112 section 7.1).  The second line of an
 * entry says where the lenient dialect (the server) differs from the
 * strict one (the client):
 *
 *	SIZE_START	the first hex digit of a size
 *	SIZE		more digits, then BWS, ';' or CR
 *			  lenient: BWS starts the extensions, LF ends the line
 *	SIZE_WS		BWS after the size, up to ';' or CR
 *			  lenient: not used
 *	EXT		extensions, skipped up to CR
 *			  lenient: CR and DEL are skipped too, LF ends it
 *	SIZE_LF		the LF ending the size line
 *	DATA		chunk data, handed back as spans
 *	DATA_CR		the CR after the data
 *			  lenient: a LF alone ends the data too
 *	DATA_LF		the LF after the data
 *	TRAILER_START	a trailer field, or the CR of the final CRLF
 *			  lenient: a LF alone ends the body
 *	TRAILER		a trailer field, skipped up to CR
 *			  lenient: skipped up to LF
 *	TRAILER_LF	the LF ending a trailer field
 *			  lenient: not used
 *	LAST_LF		the LF of the final CRLF
 */
enum {
	HTTP_CH_SIZE_START = 0,
	HTTP_CH_SIZE,
	HTTP_CH_SIZE_WS,
	HTTP_CH_EXT,
	HTTP_CH_SIZE_LF,
	HTTP_CH_DATA,
	HTTP_CH_DATA_CR,
	HTTP_CH_DATA_LF,
	HTTP_CH_TRAILER_START,
	HTTP_CH_TRAILER,
	HTTP_CH_TRAILER_LF,
	HTTP_CH_LAST_LF,
	HTTP_CH_DONE,
	HTTP_CH_ERROR
};

static int	http_chunk_fail(struct http_chunked *, const char *);
static void	http_chunk_size_done(struct http_chunked *);
static int	http_chunk_size(struct http_chunked *, int);
static int	http_chunk_byte(struct http_chunked *, int);
static int	http_chunk_count(struct http_chunked *, int);

/*
 * Byte classes for the scans every request line and header field goes
 * through: one table load per byte instead of a chain of comparisons
 * and a strchr.  HTTP_C_TCHAR: RFC 9110 section 5.6.2 tchar.
 * HTTP_C_CTL: a control byte that field-content may not hold (RFC 9110
 * section 5.5: anything below 0x20 but HTAB, and DEL).  Bytes from 0x80
 * up are obs-text: in neither class.
 */
#define HTTP_C_TCHAR	0x01
#define HTTP_C_CTL	0x02

static const unsigned char http_class[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2,	/* 0x00 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x10 */
	0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0,	/* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,	/* 0x30 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,	/* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 2,	/* 0x70 */
	/* 0x80 to 0xff: obs-text, 0 */
};

int
http_is_tchar(int c)
{
	return c >= 0 && c <= 0xff && (http_class[c] & HTTP_C_TCHAR) != 0;
}

size_t
http_token_len(const char *s, size_t len)
{
	size_t	n;

	for (n = 0; n < len &&
	    (http_class[(unsigned char)s[n]] & HTTP_C_TCHAR) != 0; n++)
		;
	return n;
}

int
http_text_ok(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (http_class[(unsigned char)s[i]] & HTTP_C_CTL)
			return 0;
	return 1;
}

int
http_list_next(const char **pp, const char *end, struct http_str *elem)
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

int
http_str_caseeq(const struct http_str *s, const char *word)
{
	size_t	len = strlen(word);

	return s->len == len && util_strncaseeq(s->p, word, len);
}

int
http_list_has(const char *p, size_t len, const char *token)
{
	const char	*end = p + len;
	struct http_str	 e;

	while (http_list_next(&p, end, &e))
		if (http_str_caseeq(&e, token))
			return 1;
	return 0;
}

/*
 * The weight of one list member in thousandths ("q=0.5" -> 500), from
 * the text after its name: OWS ";" OWS "q=" qvalue (RFC 9110 section
 * 12.4.2).  No weight means 1000; a malformed one gives -1, and the
 * member is then ignored.
 */
int
http_qvalue(const char *p, size_t len)
{
	size_t	i;
	int	v = 0, digits = 0, whole;

	while (len > 0 && (*p == ';' || *p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	if (len < 2 || util_tolower((unsigned char)p[0]) != 'q' ||
	    p[1] != '=')
		return 1000;
	p += 2;
	len -= 2;
	if (len == 0 || (p[0] != '0' && p[0] != '1'))
		return -1;
	whole = p[0] - '0';
	if (len > 1) {
		if (p[1] != '.' || len > 5)
			return -1;
		for (i = 2; i < len; i++, digits++) {
			if (p[i] < '0' || p[i] > '9')
				return -1;
			v = v * 10 + (p[i] - '0');
		}
	}
	for (; digits < 3; digits++)
		v *= 10;
	if (whole == 1)
		return v == 0 ? 1000 : -1;
	return v;
}

void
http_chunked_init(struct http_chunked *c, enum http_chunked_mode mode)
{
	memset(c, 0, sizeof(*c));
	c->lenient = mode == HTTP_CHUNKED_LENIENT;
}

static int
http_chunk_fail(struct http_chunked *c, const char *why)
{
	c->error = why;
	return -1;
}

/* The end of a size line: data follows, or the trailer section. */
static void
http_chunk_size_done(struct http_chunked *c)
{
	c->linelen = 0;
	c->state = c->remain == 0 ? HTTP_CH_TRAILER_START : HTTP_CH_DATA;
}

/* A byte of the size line before the extensions (SIZE_START to SIZE_WS). */
static int
http_chunk_size(struct http_chunked *c, int ch)
{
	int	h;

	if ((h = util_hexval(ch)) != -1 && c->state != HTTP_CH_SIZE_WS) {
		if (c->remain > (UINT64_MAX >> 4))
			return http_chunk_fail(c, "chunk size too large");
		c->remain = (c->remain << 4) | (uint64_t)h;
		c->state = HTTP_CH_SIZE;
		return 0;
	}
	if (c->state == HTTP_CH_SIZE_START)
		return http_chunk_fail(c, "invalid chunk size");
	if (ch == ' ' || ch == '\t')
		c->state = c->lenient ? HTTP_CH_EXT : HTTP_CH_SIZE_WS;
	else if (ch == ';')
		c->state = HTTP_CH_EXT;
	else if (ch == '\r')
		c->state = HTTP_CH_SIZE_LF;
	else if (ch == '\n' && c->lenient)
		http_chunk_size_done(c);
	else
		return http_chunk_fail(c, ch == '\n' ?
		    "missing CRLF after chunk size" : "invalid chunk size");
	return 0;
}

/*
 * Advances the state machine by one framing byte (never a data byte).
 * Returns 0, or -1 with c->error set.
 */
static int
http_chunk_byte(struct http_chunked *c, int ch)
{
	switch (c->state) {
	case HTTP_CH_SIZE_START:
	case HTTP_CH_SIZE:
	case HTTP_CH_SIZE_WS:
		return http_chunk_size(c, ch);
	case HTTP_CH_EXT:
		if (ch == '\n' && c->lenient)
			http_chunk_size_done(c);
		else if (ch == '\r' && !c->lenient)
			c->state = HTTP_CH_SIZE_LF;
		else if (ch == '\n')
			return http_chunk_fail(c,
			    "missing CRLF after chunk size");
		else if ((ch < 0x20 && ch != '\t' && ch != '\r') ||
		    (ch == 0x7f && !c->lenient))
			return http_chunk_fail(c, "invalid chunk extension");
		return 0;
	case HTTP_CH_SIZE_LF:
		if (ch != '\n')
			return http_chunk_fail(c,
			    "missing CRLF after chunk size");
		http_chunk_size_done(c);
		return 0;
	case HTTP_CH_DATA_CR:
		if (ch == '\r')
			c->state = HTTP_CH_DATA_LF;
		else if (ch == '\n' && c->lenient)
			c->state = HTTP_CH_SIZE_START;
		else
			return http_chunk_fail(c,
			    "missing CRLF after chunk data");
		c->linelen = 0;
		return 0;
	case HTTP_CH_DATA_LF:
		if (ch != '\n')
			return http_chunk_fail(c,
			    "missing CRLF after chunk data");
		c->state = HTTP_CH_SIZE_START;
		c->linelen = 0;
		return 0;
	case HTTP_CH_TRAILER_START:
		if (ch == '\n' && c->lenient)
			c->state = HTTP_CH_DONE;
		else if (ch == '\n')
			return http_chunk_fail(c, "bare LF in trailer section");
		else
			c->state = ch == '\r' ? HTTP_CH_LAST_LF :
			    HTTP_CH_TRAILER;
		return 0;
	case HTTP_CH_TRAILER:
		if (ch == '\r' && !c->lenient)
			c->state = HTTP_CH_TRAILER_LF;
		else if (ch == '\n' && c->lenient) {
			c->state = HTTP_CH_TRAILER_START;
			c->linelen = 0;
		} else if (ch == '\n')
			return http_chunk_fail(c, "bare LF in trailer section");
		return 0;
	case HTTP_CH_TRAILER_LF:
	case HTTP_CH_LAST_LF:
		if (ch != '\n')
			return http_chunk_fail(c,
			    "missing CRLF in trailer section");
		c->state = c->state == HTTP_CH_LAST_LF ? HTTP_CH_DONE :
		    HTTP_CH_TRAILER_START;
		return 0;
	}
	return http_chunk_fail(c, "invalid chunked decoder state");
}

/*
 * Counts the byte that took the machine from state prev to c->state
 * against the limits of the dialect.  Returns 0, or -1 with c->error.
 */
static int
http_chunk_count(struct http_chunked *c, int prev)
{
	switch (c->state) {
	case HTTP_CH_SIZE:
	case HTTP_CH_SIZE_WS:
	case HTTP_CH_EXT:
		/* Lenient: the digits and the extensions apart. */
		if (c->lenient && c->state == HTTP_CH_EXT &&
		    prev != HTTP_CH_EXT) {
			c->linelen = 0;
			return 0;
		}
		if (c->lenient && c->state == HTTP_CH_SIZE) {
			if (++c->linelen > HTTP_CHUNK_SIZE_DIGITS)
				return http_chunk_fail(c,
				    "chunk size too large");
			return 0;
		}
		if (++c->linelen > HTTP_CHUNK_LINE_MAX)
			return http_chunk_fail(c, "chunk size line too long");
		return 0;
	case HTTP_CH_TRAILER:
	case HTTP_CH_TRAILER_LF:
	case HTTP_CH_LAST_LF:
		if (c->lenient) {
			if (c->state == HTTP_CH_TRAILER &&
			    ++c->linelen > HTTP_CHUNK_LINE_MAX)
				return http_chunk_fail(c,
				    "trailer line too long");
			return 0;
		}
		if (++c->trailer > HTTP_CHUNK_TRAILER_MAX)
			return http_chunk_fail(c, "trailer section too large");
		return 0;
	}
	return 0;
}

enum http_parse
http_chunked(struct http_chunked *c, const char *buf, size_t len,
    size_t *used, const char **data, size_t *datalen)
{
	size_t	i = 0, n;
	int	prev;

	*data = NULL;
	*datalen = 0;
	while (i < len && c->state != HTTP_CH_DONE &&
	    c->state != HTTP_CH_ERROR) {
		if (c->state == HTTP_CH_DATA) {
			n = len - i;
			if ((uint64_t)n > c->remain)
				n = (size_t)c->remain;
			*data = buf + i;
			*datalen = n;
			c->remain -= n;
			i += n;
			if (c->remain == 0)
				c->state = HTTP_CH_DATA_CR;
			break;
		}
		prev = c->state;
		if (http_chunk_byte(c, (unsigned char)buf[i]) == -1 ||
		    http_chunk_count(c, prev) == -1) {
			c->state = HTTP_CH_ERROR;
			break;
		}
		i++;
	}
	*used = i;
	if (c->state == HTTP_CH_DONE)
		return HTTP_PARSE_DONE;
	if (c->state == HTTP_CH_ERROR)
		return HTTP_PARSE_ERROR;
	return HTTP_PARSE_AGAIN;
}

static const struct {
	int		 status;
	const char	*reason;
} http_statuses[] = {
#define HTTP_STATUS_ENTRY(code, reason, page)	{ code, reason },
	HTTP_STATUS_LIST(HTTP_STATUS_ENTRY)
#undef HTTP_STATUS_ENTRY
};

const char *
http_reason(int status)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(http_statuses); i++)
		if (http_statuses[i].status == status)
			return http_statuses[i].reason;
	return "Unknown";
}
