/*
 * request: the server's parser of HTTP/1.x request heads (RFC 9110,
 * RFC 9112).  It works in place on the connection's buffer and is
 * resumable: called again with more bytes, it continues where it
 * stopped and answers "need more" until the head is complete.  Only
 * minihttpd uses it; the client parses responses in response.c.
 * Pure: no I/O, no allocation, no global state.
 */
#ifndef MINIHTTPD_REQUEST_H
#define MINIHTTPD_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/http.h"

enum request_method {
	REQUEST_METHOD_UNKNOWN = 0,	/* a valid token we do not know: 501 */
	REQUEST_METHOD_GET,
	REQUEST_METHOD_HEAD,
	REQUEST_METHOD_POST,
	REQUEST_METHOD_PUT,
	REQUEST_METHOD_DELETE,
	REQUEST_METHOD_CONNECT,
	REQUEST_METHOD_OPTIONS,
	REQUEST_METHOD_TRACE,
	REQUEST_METHOD_PATCH
};

struct request_limits {
	size_t	max_head;	/* request line + headers, bytes */
	size_t	max_headers;	/* number of header fields */
};

/* Resumable state: zero it before the first call for each request. */
struct request_parser {
	size_t	scanned;	/* bytes already searched for the end */
	size_t	line_end;	/* end of the request line once seen, else 0 */
	int	line_ok;	/* the request line alone passed its checks */
};

struct request {
	enum request_method	method;
	struct http_str		method_name;
	struct http_str		target;		/* as sent */
	struct http_str		path;		/* origin-form part of target */
	int			major, minor;	/* minor is 1 for 1.x, x >= 1 */
	struct http_str		host;
	int			keepalive;	/* after version + Connection */
	int			has_length;
	uint64_t		content_length;
	int			chunked;
	int			expect_continue;
	int			expect_other;	/* an expectation we lack: 417 */
	size_t			nheaders;
	size_t			head_len;	/* bytes consumed by the head */
	struct http_str		if_modified_since;
	struct http_str		if_none_match;
	struct http_str		if_match;
	struct http_str		if_unmodified_since;
	struct http_str		if_range;
	struct http_str		range;
	struct http_str		accept_encoding;
	struct http_str		authorization;	/* a second one is a 400 */
	struct http_str		referer;
	struct http_str		user_agent;
};

/*
 * Parses the head at the start of buf[0..len).  On HTTP_PARSE_ERROR,
 * *status is 400, 414, 431 or 505 and the connection must be closed
 * after the answer.  A transfer coding other than a lone "chunked" is a
 * 400 too: the body's length is then unknown, so the framing is broken.
 */
enum http_parse	request_parse(struct request_parser *, const char *buf,
		    size_t len, const struct request_limits *,
		    struct request *, int *status);

#endif
