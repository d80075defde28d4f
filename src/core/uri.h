/*
 * uri: the RFC 3986 routines both programs share: percent-decoding,
 * percent-encoding and dot-segment removal.  On top of them the server
 * turns a request target's path into a clean local path
 * (uri_normalize); the client builds its request targets with them
 * (url.c), and path resolution cleans symlink targets (resolve.c).
 * Pure: works on caller buffers only.
 */
#ifndef MINIHTTPD_URI_H
#define MINIHTTPD_URI_H

#include <stddef.h>

enum uri_result {
	URI_OK = 0,
	URI_BAD,		/* malformed or forbidden bytes: 400 */
	URI_TOO_LONG		/* does not fit the output buffer: 414 */
};

/*
 * The byte the escape "%XX" at the start of p[0..len) stands for, or -1
 * when p does not begin with '%' and two hex digits.
 */
int		uri_pct_value(const char *p, size_t len);

/*
 * Percent-encodes in[0..len) into out (NUL-terminated).  Kept as they
 * are: unreserved characters, sub-delims, ':', '@' and '/'; with
 * URI_ENCODE_QUERY also '?', with URI_ENCODE_ESCAPES also a '%' that
 * begins a valid escape.  Every other byte, NUL included, becomes %XX.
 */
#define URI_ENCODE_QUERY	0x01
#define URI_ENCODE_ESCAPES	0x02
enum uri_result	uri_encode(const char *in, size_t len, char *out,
		    size_t outsz, int flags);

/*
 * remove_dot_segments (RFC 3986 section 5.2.4) on path[0..*len) in
 * place; *len receives the new length (never more), and no NUL is
 * added.  With URI_DOTS_MERGE, runs of '/' are merged first; with
 * URI_DOTS_NO_CLIMB, a ".." above the root is an error (-1, path then
 * undefined) instead of being dropped.  Returns 0 or -1.
 */
#define URI_DOTS_MERGE		0x01
#define URI_DOTS_NO_CLIMB	0x02
int		uri_remove_dots(char *path, size_t *len, int flags);

/*
 * The server's request path: splits an origin-form target at '?' or '#'
 * and normalises its path into out (NUL-terminated): percent-decoded
 * exactly once, NUL and control bytes refused, slashes merged and "."
 * and ".." segments resolved clamped at the root, so that the result
 * always starts with "/" and never contains a ".." segment.  *query
 * (may be NULL) receives the offset of the '?' in the target, or -1
 * when there is none.
 */
enum uri_result	uri_normalize(const char *target, size_t len,
		    char *out, size_t outsz, long *query);

#endif
