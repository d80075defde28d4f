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

/* One page per status of HTTP_STATUS_LIST, used when its flag is set. */
#define REPLY_PAGE(code, reason, page)					\
	{ code, page, "<!DOCTYPE html>\n<html><head><title>" #code " "	\
	    reason "</title></head>\n<body><h1>" #code " "		\
	    reason "</h1></body></html>\n" },

static const struct {
	int		 status;
	int		 page;
	const char	*body;
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

size_t
reply_format_head(char *buf, size_t size, const struct reply *r)
{
	struct reply_buf	b = { buf, 0, size, 0 };
	char			date[HTTPDATE_LEN + 1];

	reply_puts(&b, "HTTP/1.1 ");
	reply_put_uint(&b, (uint64_t)r->status);
	reply_put(&b, " ", 1);
	reply_puts(&b, http_reason(r->status));
	reply_puts(&b, "\r\nServer: minihttpd");
	if (r->server_tokens)
		reply_puts(&b, "/" PACKAGE_VERSION);
	if (r->date != NULL) {
		reply_puts(&b, "\r\nDate: ");
		reply_puts(&b, r->date);
	}
	if (r->content_type != NULL) {
		reply_puts(&b, "\r\nContent-Type: ");
		reply_puts(&b, r->content_type);
		if (r->charset != NULL && r->charset[0] != '\0') {
			reply_puts(&b, "; charset=");
			reply_puts(&b, r->charset);
		}
	}
	if (r->has_length) {
		reply_puts(&b, "\r\nContent-Length: ");
		reply_put_uint(&b, r->content_length);
	}
	if (r->lastmod != NULL) {
		reply_puts(&b, "\r\nLast-Modified: ");
		reply_put(&b, r->lastmod, HTTPDATE_LEN);
	} else if (r->last_modified != 0) {
		httpdate_format(r->last_modified, date);
		reply_puts(&b, "\r\nLast-Modified: ");
		reply_put(&b, date, HTTPDATE_LEN);
	}
	if (r->etag != NULL) {
		reply_puts(&b, "\r\nETag: ");
		reply_puts(&b, r->etag);
	}
	if (r->location != NULL) {
		reply_puts(&b, "\r\nLocation: ");
		reply_puts(&b, r->location);
	}
	if (r->allow != NULL) {
		reply_puts(&b, "\r\nAllow: ");
		reply_puts(&b, r->allow);
	}
	if (r->content_range != NULL) {
		reply_puts(&b, "\r\nContent-Range: bytes ");
		reply_puts(&b, r->content_range);
	}
	if (r->content_encoding != NULL) {
		reply_puts(&b, "\r\nContent-Encoding: ");
		reply_puts(&b, r->content_encoding);
	}
	if (r->vary != NULL) {
		reply_puts(&b, "\r\nVary: ");
		reply_puts(&b, r->vary);
	}
	if (r->accept_ranges)
		reply_puts(&b, "\r\nAccept-Ranges: bytes");
	reply_puts(&b, "\r\n");
	if (!r->keepalive)
		reply_puts(&b, "Connection: close\r\n");
	else if (r->http10)
		reply_puts(&b, "Connection: keep-alive\r\n");
	reply_puts(&b, "\r\n");
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
