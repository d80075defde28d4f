/*
 * http: HTTP/1.x request head parsing and response head formatting
 * (RFC 9110, RFC 9112).  The parser works in place on the connection's
 * buffer and is resumable: called again with more bytes, it continues
 * where it stopped and answers "need more" until the head is complete.
 * Pure: no I/O, no allocation, no global state.
 */
#ifndef MINIHTTPD_HTTP_H
#define MINIHTTPD_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum http_method {
	HTTP_METHOD_UNKNOWN = 0,	/* a valid token we do not know: 501 */
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_POST,
	HTTP_METHOD_PUT,
	HTTP_METHOD_DELETE,
	HTTP_METHOD_CONNECT,
	HTTP_METHOD_OPTIONS,
	HTTP_METHOD_TRACE,
	HTTP_METHOD_PATCH
};

enum http_parse {
	HTTP_PARSE_DONE = 0,	/* head complete, request filled in */
	HTTP_PARSE_AGAIN,	/* need more bytes */
	HTTP_PARSE_ERROR	/* answer with *status and close */
};

/* A byte range inside the buffer handed to the parser. */
struct http_str {
	const char	*p;
	size_t		 len;
};

struct http_limits {
	size_t	max_head;	/* request line + headers, bytes */
	size_t	max_headers;	/* number of header fields */
};

/* Resumable state: zero it before the first call for each request. */
struct http_parser {
	size_t	scanned;	/* bytes already searched for the end */
	size_t	line_end;	/* end of the request line once seen, else 0 */
	int	line_ok;	/* the request line alone passed its checks */
};

struct http_request {
	enum http_method	method;
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
	struct http_str		referer;
	struct http_str		user_agent;
};

/*
 * Parses the head at the start of buf[0..len).  On HTTP_PARSE_ERROR,
 * *status is 400, 414, 431 or 505 and the connection must be closed
 * after the answer.  A transfer coding other than a lone "chunked" is a
 * 400 too: the body's length is then unknown, so the framing is broken.
 */
enum http_parse	http_parse_request(struct http_parser *, const char *buf,
		    size_t len, const struct http_limits *,
		    struct http_request *, int *status);

/*
 * Discards a chunked body.  Zero the state before the first call.
 * *used receives how many bytes of buf were consumed.  Returns DONE when
 * the last chunk and trailers were consumed, AGAIN when more bytes are
 * needed, ERROR on malformed framing.
 */
struct http_chunked {
	int		state;
	uint64_t	remain;
	size_t		linelen;
};
enum http_parse	http_chunked_skip(struct http_chunked *, const char *buf,
		    size_t len, size_t *used);

/* Everything a response head may carry; zero fields are left out. */
struct http_response {
	int		 status;
	int		 keepalive;
	int		 server_tokens;		/* add the version to Server */
	const char	*date;			/* preformatted HTTP-date */
	const char	*content_type;
	const char	*charset;		/* appended when non-empty */
	int		 has_length;
	uint64_t	 content_length;
	time_t		 last_modified;		/* 0 = none */
	const char	*lastmod;		/* the same, preformatted */
	const char	*etag;
	const char	*location;
	const char	*allow;
	const char	*content_range;		/* value after "bytes " */
	const char	*content_encoding;
	const char	*vary;
	int		 accept_ranges;		/* "Accept-Ranges: bytes" */
	int		 http10;		/* answer to an HTTP/1.0 request */
};

/*
 * Writes the status line and headers, ending with the empty line.
 * Returns the length, or 0 when it does not fit in size.
 */
size_t		 http_format_head(char *buf, size_t size,
		    const struct http_response *);
const char	*http_reason(int status);
/* A short fixed HTML body for an error status; never echoes the request. */
const char	*http_error_body(int status, size_t *len);
const char	*http_method_str(enum http_method);

/* Non-zero when the header value (a comma list) contains token. */
int		 http_list_has(const char *p, size_t len, const char *token);
/*
 * Non-zero when an Accept-Encoding value accepts coding with a q-value
 * above zero, named or through "*" (RFC 9110 section 12.5.3).
 */
int		 http_accepts_coding(const char *p, size_t len,
		    const char *coding);

#endif
