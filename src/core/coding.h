/*
 * coding: choosing a precompressed representation (FILE.br, FILE.zst,
 * FILE.gz) by the client's Accept-Encoding (RFC 9110 section 12.5.3).
 * Pure.
 */
#ifndef MINIHTTPD_CODING_H
#define MINIHTTPD_CODING_H

#include <stddef.h>

enum coding {
	CODING_BR = 0,
	CODING_ZSTD,
	CODING_GZIP
};
#define CODING_MAX	3

/*
 * "br", "zstd", "gzip" (config names and Content-Encoding values); NULL
 * for a value outside enum coding.
 */
const char	*coding_name(enum coding);
/* ".br", ".zst", ".gz"; NULL for a value outside enum coding. */
const char	*coding_suffix(enum coding);
/*
 * A config name to its coding; -1 when unknown.  Config names are exact
 * (case-sensitive, no "x-gzip"), like every other config value; NULL is
 * unknown.  Returns 0 and sets *out otherwise.
 */
int		 coding_parse(const char *, enum coding *);

/*
 * The coding to try, of the n in list (the operator's order), by the
 * q-values of Accept-Encoding ae (NULL: none acceptable): the highest
 * q above 0 wins, ties going to the earlier in list; "*" gives its q to
 * every coding not named; "x-gzip" is gzip.  Codings are compared case-
 * insensitively.  Returns an index into list, or -1 for identity (none
 * acceptable, or identity has a strictly higher q than every coding).
 *
 * try is a bitmask of the indexes still worth trying (a variant that
 * does not exist is left out and the caller asks again).
 *
 * In detail:
 *  - Only ae[0..len) is read; it need not be NUL-terminated.  An empty
 *    value (or one of only commas and blanks) accepts no coding (RFC
 *    9110 section 12.5.3).  NULL, no header at all, is treated the same
 *    way, although the RFC would allow any coding: serving a compressed
 *    variant to a client that did not ask for one is not worth it.
 *  - The list syntax and the weights are those of http.h
 *    (http_list_next, http_qvalue): q is 0, 0.x with up to three
 *    decimals, 1 or 1.000 (RFC 9110 section 12.4.2), names are case-
 *    insensitive and blanks around "," and ";" are allowed.  A member
 *    whose weight is malformed ("q=2", "q=0.5000", "q=", "q=x") is
 *    ignored as if it were absent; it does
 *    not count as an occurrence for the next rule.
 *  - When a coding is named twice, the first occurrence wins ("gzip"
 *    and "x-gzip" are the same coding); so does the first "*" and the
 *    first "identity".
 *  - Identity competes only when the header weighs it, by name or else
 *    through "*": "identity;q=1, gzip;q=0.5" and "*, gzip;q=0.5" give
 *    -1, but "gzip;q=0.5" alone gives gzip, since identity that is not
 *    mentioned is acceptable (RFC 9110 section 12.5.3) but not
 *    preferred.  A tie between identity and a coding goes to the coding.
 *  - "identity;q=0" (or "*;q=0") with no acceptable coding still
 *    returns -1: the caller then sends identity anyway, which a server
 *    may do (RFC 9110 section 12.5.3) rather than answer 415.
 *  - Bit i of try stands for list[i]; a clear bit excludes that index
 *    (not the coding: the same coding at another index may still win),
 *    and the best of the rest is returned.  Indexes at or past the
 *    width of unsigned, and entries outside enum coding, are never
 *    chosen.
 */
int		 coding_choose(const char *ae, size_t len,
		    const enum coding *list, size_t n, unsigned try);

#endif
