/*
 * range: byte ranges (RFC 9110 section 14) for both programs: the
 * byte-range-set syntax of a Range header and the Content-Range value.
 * The server parses Range against a representation length, clamps,
 * sorts and coalesces it (range_parse) and formats Content-Range
 * (range_content_format); the client checks the set it will ask for
 * (range_set_ok, minihttp-get -r) and parses the Content-Range it gets
 * back (range_content_parse).  Pure: no I/O, no allocation.
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
/* The most specs minihttp-get -r lets a user ask for. */
#define RANGE_SET_MAX	100
/* Room for any Content-Range value range_content_format writes. */
#define RANGE_CONTENT_MAX	64

struct range {
	uint64_t	first;
	uint64_t	last;		/* inclusive */
};

enum range_result {
	RANGE_NONE = 0,		/* no usable Range: send 200 */
	RANGE_OK,		/* *n parts in out[], sorted, disjoint */
	RANGE_UNSATISFIABLE	/* 416 with Content-Range: bytes * /size */
};

/* One byte-range-spec: "FIRST-LAST", "FIRST-" or "-SUFFIX". */
struct range_spec {
	int		is_suffix;	/* "-SUFFIX": the last SUFFIX bytes */
	uint64_t	first;
	uint64_t	last;		/* inclusive; max when "FIRST-" */
	uint64_t	suffix;
};

/*
 * Parses one spec from s[0..len), without the whitespace around it.
 * Numbers are digits only, at most max; LAST must not be below FIRST.
 * Returns 0, or -1 on bad syntax.
 */
int		range_spec_parse(const char *s, size_t len, uint64_t max,
		    struct range_spec *);

/*
 * The server's view of a Range header value h[0..len) for a
 * representation of size bytes.  A syntactically invalid header is
 * ignored, an unknown unit too; a valid one where no part overlaps the
 * representation is unsatisfiable.
 */
enum range_result	range_parse(const char *h, size_t len, uint64_t size,
			    struct range *out, size_t *n);

/*
 * Non-zero when set[0..len) is a byte-range-set a client may send as
 * "Range: bytes=SET": a comma-separated list of specs with optional
 * whitespace around the commas, no empty member, numbers up to
 * INT64_MAX and at most RANGE_SET_MAX specs.
 */
int		range_set_ok(const char *set, size_t len);

/* A Content-Range value (RFC 9110 section 14.4). */
struct range_content {
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
int		range_content_parse(const char *, size_t,
		    struct range_content *);

/*
 * Writes the Content-Range value after "bytes ": "FIRST-LAST/SIZE" for
 * r, or "* /SIZE" (without the space) when r is NULL.  Returns the
 * length, or 0 when it does not fit in bufsz (RANGE_CONTENT_MAX always
 * does).
 */
size_t		range_content_format(char *buf, size_t bufsz,
		    const struct range *r, uint64_t size);

#endif
