/*
 * range: the Range request header (RFC 9110 section 14).  Parses
 * "bytes=" range sets against a representation length, clamps, sorts
 * and coalesces them.  Pure: no I/O, no allocation.
 */
#ifndef MINIHTTPD_RANGE_H
#define MINIHTTPD_RANGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * At most this many parts are answered; a request that still asks for
 * more after coalescing gets the whole representation (as nginx's
 * max_ranges does), so no request can make the answer much larger
 * than the file.
 */
#define RANGE_MAX	16
/* Specs beyond this many make the header ignored outright. */
#define RANGE_SPECS_MAX	256
/* Parts closer than this are merged: a part header costs about as much. */
#define RANGE_GAP	80

struct range {
	uint64_t	first;
	uint64_t	last;		/* inclusive */
};

enum range_result {
	RANGE_NONE = 0,		/* no usable Range: send 200 */
	RANGE_OK,		/* *n parts in out[], sorted, disjoint */
	RANGE_UNSATISFIABLE	/* 416 with Content-Range: bytes * /size */
};

enum range_result	range_parse(const char *, size_t, uint64_t size,
			    struct range *out, size_t *n);

#endif
