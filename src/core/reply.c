/*
 * reply: formats the response heads of minihttpd and holds its error
 * pages.  It must not decide what to answer (serve.c does) nor send
 * anything (conn.c does); it writes bytes into the caller's buffer or
 * hands back constant ones.  The reason phrases are http.c's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/http.h"
#include "core/httpdate.h"
#include "core/reply.h"
#include "core/util.h"

/* An output buffer that remembers running out of room. */
struct reply_buf {
	char	*p;
	size_t	 len;
	size_t	 size;
	int	 overflow;
};

static void	reply_put(struct reply_buf *, const char *, size_t);
static void	reply_puts(struct reply_buf *, const char *);
static void	reply_put_uint(struct reply_buf *, uint64_t);
static void	reply_status_line(struct reply_buf *, int);

/* A string literal: its length is known at compile time. */
#define REPLY_PUTL(b, lit)	reply_put((b), (lit), sizeof(lit) - 1)

/*
 * One entry per status of HTTP_STATUS_LIST: its page, used when the
 * flag is set, and the start of its head, status line and Server field
 * up to the version, preformatted so that a head begins with one copy.
 */
#define REPLY_PAGE(code, reason, page)					\
	{ code, page, "<!DOCTYPE html>\n<html><head><title>" #code " "	\
	    reason "</title></head>\n<body><h1>" #code " "		\
	    reason "</h1></body></html>\n",				\
	    REPLY_LINE(code, reason), sizeof(REPLY_LINE(code, reason)) - 1 },
#define REPLY_LINE(code, reason)					\
	"HTTP/1.1 " #code " " reason "\r\nServer: minihttpd"

static const struct {
	int		 status;
	int		 page;
	const char	*body;
	const char	*line;
	size_t		 line_len;
} reply_pages[] = {
	HTTP_STATUS_LIST(REPLY_PAGE)
};

const char *
reply_error_body(int status, size_t *len)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(reply_pages); i++)
		if (reply_pages[i].status == status && reply_pages[i].page) {
			*len = strlen(reply_pages[i].body);
			return reply_pages[i].body;
		}
	return reply_error_body(500, len);
}

/*
 * The overflow is its own branch: in the other, a constant length stays
 * constant once this is inlined, and the copy becomes a few moves.
 */
static void
reply_put(struct reply_buf *b, const char *s, size_t n)
{
	if (b->overflow || n > b->size - b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
reply_puts(struct reply_buf *b, const char *s)
{
	reply_put(b, s, strlen(s));
}

static void
reply_put_uint(struct reply_buf *b, uint64_t v)
{
	char	tmp[24];
	size_t	i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	reply_put(b, tmp + i, sizeof(tmp) - i);
}

/* The status line and "Server: minihttpd", without a CRLF. */
static void
reply_status_line(struct reply_buf *b, int status)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(reply_pages); i++)
		if (reply_pages[i].status == status) {
			reply_put(b, reply_pages[i].line,
			    reply_pages[i].line_len);
			return;
		}
	REPLY_PUTL(b, "HTTP/1.1 ");
	reply_put_uint(b, (uint64_t)status);
	REPLY_PUTL(b, " ");
	reply_puts(b, http_reason(status));
	REPLY_PUTL(b, "\r\nServer: minihttpd");
}

size_t
reply_format_head(char *buf, size_t size, const struct reply *r)
{
	struct reply_buf	b = { buf, 0, size, 0 };
	char			date[HTTPDATE_LEN + 1];

	reply_status_line(&b, r->status);
	if (r->server_tokens)
		REPLY_PUTL(&b, "/" PACKAGE_VERSION);
	if (r->date != NULL) {
		REPLY_PUTL(&b, "\r\nDate: ");
		reply_put(&b, r->date, HTTPDATE_LEN);
	}
	if (r->content_type != NULL) {
		REPLY_PUTL(&b, "\r\nContent-Type: ");
		reply_puts(&b, r->content_type);
		if (r->charset != NULL && r->charset[0] != '\0') {
			REPLY_PUTL(&b, "; charset=");
			reply_puts(&b, r->charset);
		}
	}
	if (r->has_length) {
		REPLY_PUTL(&b, "\r\nContent-Length: ");
		reply_put_uint(&b, r->content_length);
	}
	if (r->lastmod != NULL) {
		REPLY_PUTL(&b, "\r\nLast-Modified: ");
		reply_put(&b, r->lastmod, HTTPDATE_LEN);
	} else if (r->last_modified != 0) {
		httpdate_format(r->last_modified, date);
		REPLY_PUTL(&b, "\r\nLast-Modified: ");
		reply_put(&b, date, HTTPDATE_LEN);
	}
	if (r->etag != NULL) {
		REPLY_PUTL(&b, "\r\nETag: ");
		reply_puts(&b, r->etag);
	}
	if (r->location != NULL) {
		REPLY_PUTL(&b, "\r\nLocation: ");
		reply_puts(&b, r->location);
	}
	if (r->allow != NULL) {
		REPLY_PUTL(&b, "\r\nAllow: ");
		reply_puts(&b, r->allow);
	}
	if (r->content_range != NULL) {
		REPLY_PUTL(&b, "\r\nContent-Range: bytes ");
		reply_puts(&b, r->content_range);
	}
	if (r->content_encoding != NULL) {
		REPLY_PUTL(&b, "\r\nContent-Encoding: ");
		reply_puts(&b, r->content_encoding);
	}
	if (r->vary != NULL) {
		REPLY_PUTL(&b, "\r\nVary: ");
		reply_puts(&b, r->vary);
	}
	if (r->accept_ranges)
		REPLY_PUTL(&b, "\r\nAccept-Ranges: bytes");
	REPLY_PUTL(&b, "\r\n");
	if (r->fields_len > 0)
		reply_put(&b, r->fields, r->fields_len);
	if (!r->keepalive)
		REPLY_PUTL(&b, "Connection: close\r\n");
	else if (r->http10)
		REPLY_PUTL(&b, "Connection: keep-alive\r\n");
	REPLY_PUTL(&b, "\r\n");
	return b.overflow ? 0 : b.len;
}

size_t
reply_part_head(char *buf, size_t size, const char *boundary,
    const char *type, const char *charset, const char *crange, int first)
{
	int	n;

	n = snprintf(buf, size, "%s--%s\r\nContent-Type: %s%s%s\r\n"
	    "Content-Range: bytes %s\r\n\r\n", first ? "" : "\r\n",
	    boundary, type, charset != NULL && *charset != '\0' ?
	    "; charset=" : "", charset != NULL ? charset : "", crange);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

size_t
reply_parts_end(char *buf, size_t size, const char *boundary)
{
	int	n;

	n = snprintf(buf, size, "\r\n--%s--\r\n", boundary);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}
