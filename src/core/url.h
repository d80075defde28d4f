/*
 * url: turns what a user gives minihttp-get on its command line into the
 * server to connect to and the request target to send.  A bare path
 * ("index.html", "/a/b?q") means the local server at localhost:6789; a
 * full "http://host[:port]/path?query" URL names any HTTP server (port
 * 80 by default), "https://..." any HTTPS server (port 443).  The path
 * and query are percent-encoded where they must be (spaces, control
 * bytes, non-ASCII bytes, characters not allowed in a path or query,
 * '%' not followed by two hex digits), keeping '/', '?' and valid %XX
 * escapes as they are.  Only the client
 * uses it.  Pure: works on caller buffers only; no I/O, no name
 * resolution.
 */
#ifndef MINIHTTPD_URL_H
#define MINIHTTPD_URL_H

#include <stddef.h>
#include <stdint.h>

#define URL_DEFAULT_HOST	"localhost"
#define URL_DEFAULT_PORT	6789	/* bare paths: local minihttpd */
#define URL_HTTP_PORT		80	/* http:// URLs without a port */
#define URL_HTTPS_PORT		443	/* https:// URLs without a port */
#define URL_HOST_MAX		256	/* host name, NUL included */
#define URL_PATH_MAX		8192	/* path + query + NUL */
/* "[" host "]:" port, NUL included: what url_authority may write. */
#define URL_AUTHORITY_MAX	(URL_HOST_MAX + 8)
/* "https://" and the authority: what url_origin may write. */
#define URL_ORIGIN_MAX		(URL_AUTHORITY_MAX + 8)

enum url_result {
	URL_OK = 0,
	URL_BAD,		/* malformed or unsupported: see *reason */
	URL_TOO_LONG		/* host or path does not fit the struct */
};

enum url_scheme {
	URL_SCHEME_HTTP = 0,	/* bare paths too */
	URL_SCHEME_HTTPS
};

struct url {
	enum url_scheme	scheme;
	char		host[URL_HOST_MAX];	/* without brackets */
	int		ipv6;			/* IPv6 literal */
	uint16_t	port;
	char		path[URL_PATH_MAX];	/* encoded, query kept */
};

/*
 * Parses a command-line target into u.  A target that begins with
 * "scheme://" is a URL: only "http" and "https" (any case) are
 * accepted, user information is refused, the fragment is dropped.
 * Anything else is a path on the local server, relative to its root; there '#' is an ordinary byte
 * (encoded as %23) while '?' still starts the query.  On failure
 * *reason (when not NULL) receives a short static explanation.
 */
enum url_result	url_parse(const char *target, struct url *u,
		    const char **reason);

/* "http" or "https". */
const char	*url_scheme_name(const struct url *);

/*
 * The Host header value: the host, in brackets when IPv6, followed by
 * ":port" unless the port is the scheme's default (80 for http, 443
 * for https).  Returns the length, or 0 when it does not fit in size.
 */
size_t		url_host_header(const struct url *, char *, size_t);

/* "host:port" (brackets for IPv6) for messages.  Same returns. */
size_t		url_authority(const struct url *, char *, size_t);

/*
 * "scheme://host:port": what tells two servers apart, so the key of a
 * kept connection (http and https on one port are different servers).
 * Same returns.
 */
size_t		url_origin(const struct url *, char *, size_t);

/*
 * Resolves ref[0..len), the value of a Location header, against base
 * (RFC 3986 section 5.2) into out: an absolute "http://" or "https://"
 * URL, a network-path ("//host/x", with the scheme of base), an
 * absolute path, a query alone or a relative path (both keep the
 * scheme, host and port of base).  Dot segments are removed from the
 * result, the fragment is dropped, and what must be is percent-encoded
 * as by url_parse.  A scheme other than http and https is URL_BAD with
 * *reason "unsupported scheme".  base and out may not be the same struct.
 */
enum url_result	url_resolve(const struct url *base, const char *ref,
		    size_t len, struct url *out, const char **reason);

/*
 * The local file name for a request path, as minihttp-get -O saves it:
 * the last path component, before any query, percent-decoded.  Names
 * that are empty, "." or "..", or that contain '/', NUL or another
 * control byte once decoded are URL_BAD (with *reason); a name that
 * does not fit in size is URL_TOO_LONG.
 */
enum url_result	url_remote_name(const char *path, char *out, size_t size,
		    const char **reason);

#endif
