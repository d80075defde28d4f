/*
 * response: the client side of HTTP/1.x framing (RFC 9112): a resumable
 * parser for the heads of the responses minihttp-get receives, and the
 * decision of how a body is delimited.  The parser answers "need more"
 * when the bytes so far are not enough and gives the same result however
 * the input is split.  The chunked decoder, tokens and lists are
 * http.c's; Content-Range values are range.c's.  Only the client uses
 * this file.  Pure: no I/O, no allocation, no global state.
 */
#ifndef MINIHTTPD_RESPONSE_H
#define MINIHTTPD_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/http.h"

#define RESPONSE_HEAD_MAX	32768	/* status line + header fields */
#define RESPONSE_HEADERS_MAX	100	/* header fields */

/* How the body after a head is delimited (RFC 9112 section 6.3). */
enum response_body {
	RESPONSE_BODY_NONE = 0,	/* HEAD, 1xx, 204, 304 */
	RESPONSE_BODY_LENGTH,	/* Content-Length bytes (maybe zero) */
	RESPONSE_BODY_CHUNKED,	/* chunked transfer coding */
	RESPONSE_BODY_CLOSE	/* until the server closes the connection */
};

struct response {
	int			major, minor;	/* major is always 1 */
	int			status;		/* 100..599 */
	struct http_str		reason;		/* may be empty */
	size_t			nheaders;
	size_t			head_len;	/* up to the empty line */
	int			has_length;
	uint64_t		content_length;
	int			has_te;		/* Transfer-Encoding sent */
	int			chunked;	/* ... ending in chunked */
	int			close;		/* the server closes after it */
	struct http_str		location;
	struct http_str		content_type;
	struct http_str		content_range;
	struct http_str		last_modified;
	struct http_str		etag;
	struct http_str		date;
};

/*
 * Resumable state.  The buffer passed on each call holds every byte of
 * the response received so far, starting with the status line, at the
 * same address (the struct response points into it).
 */
struct response_parser {
	int		 state;
	size_t		 pos;		/* first unparsed line */
	size_t		 scanned;	/* searched for LF up to here */
	size_t		 max_head;	/* set by response_init */
	size_t		 max_headers;
	int		 flags;		/* Connection options seen */
	const char	*error;		/* static reason once ERROR */
};

/* Zeroes both and sets the default limits; call before each response. */
void		response_init(struct response_parser *, struct response *);

/*
 * Parses the head at the start of buf[0..len).  DONE: r is complete and
 * the body (if any) starts at buf + r->head_len.  Lines must end in CRLF;
 * obs-fold, whitespace before a colon, control bytes in values, a
 * conflicting or invalid Content-Length, Content-Length together with
 * Transfer-Encoding, and heads over the limits are errors.
 */
enum http_parse	response_parse(struct response_parser *, const char *buf,
		    size_t len, struct response *r);

/* How the body of r is delimited; head_request: the request was HEAD. */
enum response_body response_body(const struct response *r, int head_request);

#endif
