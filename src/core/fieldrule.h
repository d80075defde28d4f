/*
 * fieldrule: response header fields an operator configures ("headers"),
 * checked at load, merged across levels and preformatted once; and the
 * "redirect" templates with their $variables.  Pure.
 */
#ifndef MINIHTTPD_FIELDRULE_H
#define MINIHTTPD_FIELDRULE_H

#include <stddef.h>

#define FIELDRULE_REDIRECT_MAX	2048	/* an expanded redirect, bytes */
#define FIELDRULE_LINE_MAX	1024	/* a configured "Name: value" line */

/*
 * Checks a configured "Name: value" line: the name a token (RFC 9110
 * section 5.1), a colon, a value of visible ASCII, obs-text, spaces and
 * tabs (no CR, LF, NUL or other controls), not empty; and not a field
 * that frames the message, is hop-by-hop or is the server's own
 * (Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade,
 * TE, Trailer, Proxy-Connection, Date, Server, Content-Range,
 * Content-Type, Content-Encoding, ETag, Last-Modified, Accept-Ranges,
 * Location, Vary, WWW-Authenticate, Allow).  At most FIELDRULE_LINE_MAX
 * bytes.  Returns 0, or -1 with why (which does not repeat the line).
 */
int	fieldrule_check(const char *line, char *why, size_t whysz);

/*
 * Merges an inner level's lines into an outer level's: every outer line
 * whose name (case-insensitively) no inner line has, in order, then
 * every inner line.  Writes at most outmax pointers; returns how many
 * the merge has (more than outmax means it did not fit).
 */
size_t	fieldrule_merge(const char *const *outer, size_t nouter,
	    const char *const *inner, size_t ninner, const char **out,
	    size_t outmax);

/*
 * "Name: value\r\n" for each line (the value with its surrounding
 * spaces trimmed, the name as written).  Returns a malloc'd string
 * (xmalloc) and its length in *len (len may be NULL); "" for n = 0.
 * The lines are expected to have passed fieldrule_check.
 */
char	*fieldrule_format(const char *const *lines, size_t n, size_t *len);

/*
 * A redirect template: an absolute URL ("https://...") or a path
 * ("/new/"), with $scheme, $host, $request_uri and $uri; "$$" is a
 * dollar.  Any other $name is an error.  Returns 0, or -1 with why.
 *
 * A name is the longest run of letters, digits and '_' after the '$'
 * ("$hostx" is unknown, not $host then "x"), or is written "${host}".
 * The template is visible ASCII without a backslash, shorter than
 * FIELDRULE_REDIRECT_MAX; a URL's host part may not be empty, and a
 * path may not start "//" (nor "/$uri" or "/$request_uri", which would
 * expand to "//..."): browsers read that as another host.
 */
int	fieldrule_redirect_check(const char *tmpl, char *why, size_t whysz);

struct fieldrule_vars {
	const char	*scheme;	/* "http" or "https" */
	const char	*host;		/* canonical Host, or the site's
					   first name */
	size_t		 hostlen;
	const char	*request_uri;	/* target as received */
	size_t		 request_urilen;
	const char	*uri;		/* normalised path, decoded */
	size_t		 urilen;
};

/*
 * Expands a checked template into out.  $uri is percent-encoded again
 * (a decoded path may hold spaces, '?' or '#'); $request_uri is copied
 * as received (the request line allows only visible ASCII).  Returns
 * the length written (NUL-terminated), 0 when it does not fit, or when
 * the template is not one fieldrule_redirect_check accepts as far as
 * its variables go, or a byte other than visible ASCII would go out
 * (out is then "").  FIELDRULE_REDIRECT_MAX is the size meant
 * for out.
 */
size_t	fieldrule_redirect_expand(const char *tmpl,
	    const struct fieldrule_vars *, char *out, size_t outsz);

#endif
