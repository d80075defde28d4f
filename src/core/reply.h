/*
 * reply: the heads of the responses minihttpd sends, and its fixed
 * error pages.  Only the server uses it; the client reads responses in
 * response.c.  Pure: it formats into the caller's buffer and keeps no
 * state.
 */
#ifndef MINIHTTPD_REPLY_H
#define MINIHTTPD_REPLY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Everything a response head may carry; zero fields are left out. */
struct reply {
	int		 status;
	int		 keepalive;
	int		 server_tokens;		/* add the version to Server */
	const char	*date;			/* HTTPDATE_LEN bytes, as
						   httpdate_format writes */
	const char	*content_type;
	const char	*charset;		/* appended when non-empty */
	int		 has_length;
	uint64_t	 content_length;
	time_t		 last_modified;		/* 0 = none */
	const char	*lastmod;		/* the same, preformatted
						   (HTTPDATE_LEN bytes) */
	const char	*etag;
	const char	*location;
	const char	*allow;
	const char	*content_range;		/* value after "bytes " */
	const char	*content_encoding;
	const char	*vary;
	int		 accept_ranges;		/* "Accept-Ranges: bytes" */
	const char	*fields;		/* more lines, each ending
						   in CRLF (configured
						   headers) */
	size_t		 fields_len;
	int		 http10;		/* answer to an HTTP/1.0 request */
};

/*
 * Writes the status line and headers, ending with the empty line.
 * Returns the length, or 0 when it does not fit in size.
 */
size_t		 reply_format_head(char *buf, size_t size, const struct reply *);
/*
 * A short fixed HTML body for an error status (the 500 one for a status
 * without its own page); never echoes the request.
 */
const char	*reply_error_body(int status, size_t *len);

/*
 * The head of one part of a multipart/byteranges body (RFC 9110 section
 * 14.6): the delimiter line (after a CRLF unless first), Content-Type
 * (with charset when not NULL or empty) and Content-Range (crange is
 * the value after "bytes "), then the empty line.  Returns the length,
 * or 0 when it does not fit in size.
 */
size_t		 reply_part_head(char *buf, size_t size, const char *boundary,
		    const char *type, const char *charset, const char *crange,
		    int first);
/* The closing delimiter of a multipart body; 0 when it does not fit. */
size_t		 reply_parts_end(char *buf, size_t size, const char *boundary);

#endif
