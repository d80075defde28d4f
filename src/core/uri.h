/*
 * uri: turns a request target's path into a clean local path.
 * Percent-decodes exactly once, refuses NUL and control bytes, merges
 * slashes and resolves "." and ".." segments clamped at the root, so the
 * result always starts with "/" and never contains a ".." segment.
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
 * Splits an origin-form target at '?' or '#' and normalises its path into
 * out (NUL-terminated).  *query (may be NULL) receives the offset of the
 * '?' in the target, or -1 when there is none.
 */
enum uri_result	uri_normalize(const char *target, size_t len,
		    char *out, size_t outsz, long *query);

/* Percent-encodes a path for a Location header (keeps '/' and unreserved). */
enum uri_result	uri_encode_path(const char *path, char *out, size_t outsz);

#endif
