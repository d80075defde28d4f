/*
 * response: the client side of HTTP/1.x framing (RFC 9112): a resumable
 * parser for a response head, the decision of how its body is delimited,
 * and a chunked-body decoder that hands back spans of the caller's
 * buffer instead of copying the body.  Both parsers answer "need more"
 * when the bytes so far are not enough and give the same result however
 * the input is split.  Pure: no I/O, no allocation, no global state.
 */
#ifndef MINIHTTPD_RESPONSE_H
#define MINIHTTPD_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#define RESPONSE_HEAD_MAX	32768	/* status line + header fields */
#define RESPONSE_HEADERS_MAX	100	/* header fields */
#define RESPONSE_CHUNK_LINE_MAX	4096	/* size line with extensions */
#define RESPONSE_TRAILER_MAX	32768	/* all trailer fields */

enum response_parse {
	RESPONSE_DONE = 0,	/* complete */
	RESPONSE_AGAIN,		/* need more bytes (or call again) */
	RESPONSE_ERROR		/* malformed: see the state's error */
};

/* How the body after a head is delimited (RFC 9112 section 6.3). */
enum response_body {
	RESPONSE_BODY_NONE = 0,	/* HEAD, 1xx, 204, 304 */
	RESPONSE_BODY_LENGTH,	/* Content-Length bytes (maybe zero) */
	RESPONSE_BODY_CHUNKED,	/* chunked transfer coding */
	RESPONSE_BODY_CLOSE	/* until the server closes the connection */
};

/* A byte range inside the buffer handed to the parser. */
struct response_str {
	const char	*p;
	size_t		 len;
};

struct response {
	int			major, minor;	/* major is always 1 */
	int			status;		/* 100..599 */
	struct response_str	reason;		/* may be empty */
	size_t			nheaders;
	size_t			head_len;	/* up to the empty line */
	int			has_length;
	uint64_t		content_length;
	int			has_te;		/* Transfer-Encoding sent */
	int			chunked;	/* ... ending in chunked */
	int			close;		/* the server closes after it */
	struct response_str	location;
	struct response_str	content_type;
	struct response_str	content_range;
	struct response_str	last_modified;
	struct response_str	etag;
	struct response_str	date;
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
enum response_parse response_parse(struct response_parser *, const char *buf,
		    size_t len, struct response *r);

/* How the body of r is delimited; head_request: the request was HEAD. */
enum response_body response_body(const struct response *r, int head_request);

/* Chunked decoder state: zero it (or response_chunked_init) first. */
struct response_chunked {
	int		 state;
	uint64_t	 remain;	/* data bytes left in this chunk */
	size_t		 linelen;	/* of the current size line */
	size_t		 trailer;	/* trailer bytes so far */
	const char	*error;		/* static reason once ERROR */
};

void		response_chunked_init(struct response_chunked *);

/*
 * Decodes chunked framing from buf[0..len).  *used receives how many
 * bytes were consumed; *data and *datalen a span of decoded body bytes
 * inside the consumed ones (datalen may be 0).  At most one span is
 * returned per call: while the answer is AGAIN and *used < len, call
 * again with the rest.  DONE once the last chunk and the trailer section
 * (which is skipped) have been consumed: any bytes after *used belong to
 * the next response.  ERROR on bad hex, a size over 64 bits, a missing
 * CRLF, an overlong size line or trailer.
 */
enum response_parse response_chunked(struct response_chunked *,
		    const char *buf, size_t len, size_t *used,
		    const char **data, size_t *datalen);

/* A Content-Range value (RFC 9110 section 14.4). */
struct response_crange {
	int		unsatisfied;	/* "bytes * /size": no first, last */
	uint64_t	first, last;	/* inclusive */
	int		has_size;	/* size known (not "*") */
	uint64_t	size;		/* complete length */
};

/*
 * Parses "bytes FIRST-LAST/SIZE", "bytes FIRST-LAST/ *" or
 * "bytes * /SIZE" (without the spaces before '/').  Returns 0, or -1
 * when the value is malformed, the unit is not bytes, FIRST > LAST or
 * LAST >= SIZE.
 */
int		response_content_range(const char *, size_t,
		    struct response_crange *);

/*
 * Non-zero when spec is a valid byte-range set for "Range: bytes=spec"
 * (RFC 9110 section 14.1.1): a comma-separated list of "FIRST-LAST"
 * (FIRST <= LAST), "FIRST-" and "-SUFFIX", with optional spaces around
 * the commas and at most RESPONSE_RANGE_SPECS_MAX parts.
 */
#define RESPONSE_RANGE_SPECS_MAX	100
int		response_range_spec_ok(const char *spec);

#endif
