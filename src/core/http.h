/*
 * http: the HTTP/1.x syntax both programs share (RFC 9110, RFC 9112):
 * tokens, field-value bytes, comma-separated lists, the chunked transfer
 * coding and the reason phrases.  The server's request parser
 * (request.c), its response heads (reply.c) and the client's response
 * parser (response.c) are built on it; it knows neither side.
 * Pure: no I/O, no allocation, no global state.
 */
#ifndef MINIHTTPD_HTTP_H
#define MINIHTTPD_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* What every resumable parser of HTTP/1.x syntax answers. */
enum http_parse {
	HTTP_PARSE_DONE = 0,	/* complete */
	HTTP_PARSE_AGAIN,	/* need more bytes (or call again) */
	HTTP_PARSE_ERROR	/* malformed: see the parser's error */
};

/* A byte range inside the buffer handed to a parser. */
struct http_str {
	const char	*p;
	size_t		 len;
};

/* Non-zero for a tchar (RFC 9110 section 5.6.2). */
int		 http_is_tchar(int);
/* The length of the token at the start of s[0..len) (0: none). */
size_t		 http_token_len(const char *s, size_t len);
/*
 * Non-zero when s[0..len) holds only the bytes of a field value or a
 * reason phrase: HTAB, SP, VCHAR and obs-text.  Any other control byte
 * (NUL and a stray CR above all) is refused.
 */
int		 http_text_ok(const char *s, size_t len);

/*
 * Steps through a comma-separated list (RFC 9110 section 5.6.1) that
 * ends at end: sets *elem to the next member with the whitespace around
 * it removed (possibly empty, as after a trailing comma) and returns 1,
 * or returns 0 when there is none left (*pp is then NULL).  Start with
 * *pp at the first byte of the list.
 */
int		 http_list_next(const char **pp, const char *end,
		    struct http_str *elem);
/* Non-zero when s is word, ignoring ASCII case. */
int		 http_str_caseeq(const struct http_str *s, const char *word);
/* Non-zero when the header value (a comma list) contains token. */
int		 http_list_has(const char *p, size_t len, const char *token);
/*
 * The weight of one member of a weighted list in thousandths ("q=0.5"
 * -> 500), from the text after its name: OWS ";" OWS "q=" qvalue (RFC
 * 9110 section 12.4.2).  No weight gives 1000; a malformed one gives
 * -1, and the member is then to be ignored.
 */
int		 http_qvalue(const char *p, size_t len);

/*
 * The chunked transfer coding (RFC 9112 section 7.1): one resumable
 * decoder for both programs.  It hands back the data as spans of the
 * caller's buffer: the server drops them (a request body it does not
 * read), the client writes them out.  It reads in one of two dialects:
 *
 *	STRICT	(the client) lines end in CRLF; a size line is at most
 *		HTTP_CHUNK_LINE_MAX bytes and the size fits 64 bits;
 *		the trailer section is at most HTTP_CHUNK_TRAILER_MAX.
 *	LENIENT	(the server: RFC 9112 section 2.2 lets a recipient
 *		accept a bare LF) a lone LF ends a line too; a size has
 *		at most HTTP_CHUNK_SIZE_DIGITS digits, its extensions at
 *		most HTTP_CHUNK_LINE_MAX bytes, and so has each trailer
 *		line.
 */
#define HTTP_CHUNK_LINE_MAX	4096	/* size line, extensions,
					   trailer line */
#define HTTP_CHUNK_TRAILER_MAX	32768	/* strict: all trailer fields */
#define HTTP_CHUNK_SIZE_DIGITS	15	/* lenient: a size below 2^60 */

enum http_chunked_mode {
	HTTP_CHUNKED_STRICT = 0,
	HTTP_CHUNKED_LENIENT
};

/* Decoder state: http_chunked_init it (zero is STRICT) before a body. */
struct http_chunked {
	int		 state;
	int		 lenient;
	uint64_t	 remain;	/* data bytes left in this chunk */
	size_t		 linelen;	/* of the current line */
	size_t		 trailer;	/* trailer bytes so far */
	const char	*error;		/* static reason once ERROR */
};

void		 http_chunked_init(struct http_chunked *,
		    enum http_chunked_mode);

/*
 * Decodes chunked framing from buf[0..len).  *used receives how many
 * bytes were consumed; *data and *datalen a span of body bytes inside
 * the consumed ones (datalen may be 0).  At most one span is returned
 * per call: while the answer is AGAIN and *used < len, call again with
 * the rest.  DONE once the last chunk and the trailer section (which is
 * skipped) have been consumed: any bytes after *used belong to the next
 * message.  ERROR (with c->error) on bad hex, a size too large, a
 * missing line end, an overlong line or trailer section; the byte at
 * fault is not counted in *used.  DONE and ERROR stick.
 */
enum http_parse	 http_chunked(struct http_chunked *, const char *buf,
		    size_t len, size_t *used, const char **data,
		    size_t *datalen);

/*
 * The statuses minihttpd sends, with their reason phrases (RFC 9110
 * section 15), and whether it has an error page for them.  A list macro
 * so that reply.c builds its pages from the same phrases at compile
 * time.
 */
#define HTTP_STATUS_LIST(X)						\
	X(100, "Continue", 0)						\
	X(200, "OK", 0)							\
	X(206, "Partial Content", 0)					\
	X(304, "Not Modified", 0)					\
	X(301, "Moved Permanently", 1)					\
	X(302, "Found", 1)						\
	X(303, "See Other", 1)						\
	X(307, "Temporary Redirect", 1)					\
	X(308, "Permanent Redirect", 1)					\
	X(400, "Bad Request", 1)					\
	X(401, "Unauthorized", 1)					\
	X(403, "Forbidden", 1)						\
	X(404, "Not Found", 1)						\
	X(405, "Method Not Allowed", 1)					\
	X(408, "Request Timeout", 1)					\
	X(412, "Precondition Failed", 1)				\
	X(414, "URI Too Long", 1)					\
	X(416, "Range Not Satisfiable", 1)				\
	X(417, "Expectation Failed", 1)					\
	X(421, "Misdirected Request", 1)				\
	X(431, "Request Header Fields Too Large", 1)			\
	X(500, "Internal Server Error", 1)				\
	X(501, "Not Implemented", 1)					\
	X(503, "Service Unavailable", 1)				\
	X(505, "HTTP Version Not Supported", 1)

/* The reason phrase of a status in HTTP_STATUS_LIST, else "Unknown". */
const char	*http_reason(int status);

#endif
