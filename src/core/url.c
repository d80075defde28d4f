/*
 * url: command-line targets of minihttp-get -> scheme, host, port and an
 * encoded request target; Location headers resolved against the current URL.
 * Only the client uses it.  This file only parses and formats; it never
 * resolves names or opens sockets (minihttp-get.c does that), and it
 * leaves percent-coding and dot segments to uri.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "core/uri.h"
#include "core/url.h"
#include "core/util.h"

static int	 url_is_alpha(int);
static size_t	 url_scheme_len(const char *);
static int	 url_scheme_of(const char *, size_t, enum url_scheme *);
static uint16_t	 url_default_port(const struct url *);
static enum url_result url_bad(const char **, const char *);
static enum url_result url_long(const char **, const char *);
static enum url_result url_parse_authority(const char *, size_t,
		    struct url *, const char **);
static enum url_result url_parse_port(const char *, size_t, struct url *,
		    const char **);
static size_t	 url_ref_scheme_len(const char *, size_t);
static enum url_result url_encode(const char *, size_t, char *, size_t);
static void	 url_clean_path(struct url *);

static int
url_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Length of "scheme" when s begins with "scheme://" (RFC 3986 section
 * 3.1 syntax), else 0.
 */
static size_t
url_scheme_len(const char *s)
{
	size_t	i;

	if (!url_is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		unsigned char	c = s[i];

		if (url_is_alpha(c) || (c >= '0' && c <= '9') ||
		    c == '+' || c == '-' || c == '.')
			continue;
		break;
	}
	return strncmp(s + i, "://", 3) == 0 ? i : 0;
}

/* The scheme named by s[0..len), any case: 0, or -1 when unsupported. */
static int
url_scheme_of(const char *s, size_t len, enum url_scheme *scheme)
{
	if (len == 4 && util_strncaseeq(s, "http", 4))
		*scheme = URL_SCHEME_HTTP;
	else if (len == 5 && util_strncaseeq(s, "https", 5))
		*scheme = URL_SCHEME_HTTPS;
	else
		return -1;
	return 0;
}

static uint16_t
url_default_port(const struct url *u)
{
	return u->scheme == URL_SCHEME_HTTPS ? URL_HTTPS_PORT : URL_HTTP_PORT;
}

const char *
url_scheme_name(const struct url *u)
{
	return u->scheme == URL_SCHEME_HTTPS ? "https" : "http";
}

static enum url_result
url_bad(const char **reason, const char *why)
{
	if (reason != NULL)
		*reason = why;
	return URL_BAD;
}

static enum url_result
url_long(const char **reason, const char *why)
{
	if (reason != NULL)
		*reason = why;
	return URL_TOO_LONG;
}

static enum url_result
url_parse_port(const char *p, size_t len, struct url *u, const char **reason)
{
	uint64_t	v;

	if (len == 0)		/* "host:" means the default (RFC 3986 3.2.3) */
		return URL_OK;
	if (util_parse_uint(p, len, 65535, &v) == -1 || v == 0)
		return url_bad(reason, "invalid port");
	u->port = (uint16_t)v;
	return URL_OK;
}

/*
 * authority = host [ ":" port ] where host is a registered name or an
 * IPv6 literal in brackets.  User information and IPv6 zone identifiers
 * are refused: the first hides credentials in shell history and logs,
 * the second has no use for this client.
 */
static enum url_result
url_parse_authority(const char *a, size_t len, struct url *u,
    const char **reason)
{
	const char	*colon;
	size_t		 hlen, i;

	if (memchr(a, '@', len) != NULL)
		return url_bad(reason, "user information not supported");
	if (len > 0 && a[0] == '[') {
		const char	*close = memchr(a, ']', len);
		struct in6_addr	 in6;

		if (close == NULL)
			return url_bad(reason, "unterminated IPv6 address");
		hlen = (size_t)(close - a) - 1;
		if (hlen == 0)
			return url_bad(reason, "empty host");
		if (memchr(a + 1, '%', hlen) != NULL)
			return url_bad(reason, "IPv6 zone not supported");
		if (hlen >= INET6_ADDRSTRLEN)
			return url_bad(reason, "invalid IPv6 address");
		memcpy(u->host, a + 1, hlen);
		u->host[hlen] = '\0';
		if (inet_pton(AF_INET6, u->host, &in6) != 1)
			return url_bad(reason, "invalid IPv6 address");
		u->ipv6 = 1;
		i = hlen + 2;
		if (i == len)
			return URL_OK;
		if (a[i] != ':')
			return url_bad(reason, "invalid host");
		return url_parse_port(a + i + 1, len - i - 1, u, reason);
	}
	colon = memchr(a, ':', len);
	hlen = colon != NULL ? (size_t)(colon - a) : len;
	if (hlen == 0)
		return url_bad(reason, "empty host");
	if (hlen >= sizeof(u->host))
		return url_long(reason, "host name too long");
	for (i = 0; i < hlen; i++) {
		unsigned char	c = a[i];

		if (!url_is_alpha(c) && !(c >= '0' && c <= '9') &&
		    c != '-' && c != '.' && c != '_' && c != '~')
			return url_bad(reason, "invalid host");
	}
	memcpy(u->host, a, hlen);
	u->host[hlen] = '\0';
	if (colon == NULL)
		return URL_OK;
	return url_parse_port(colon + 1, len - hlen - 1, u, reason);
}

enum url_result
url_parse(const char *target, struct url *u, const char **reason)
{
	const char	*auth, *path;
	size_t		 slen, alen, plen;
	enum url_result	 r;

	memset(u, 0, sizeof(*u));
	if (reason != NULL)
		*reason = NULL;
	slen = url_scheme_len(target);
	if (slen == 0) {
		/*
		 * A bare path.  "http:x" and "http:/x" are URLs with a typo
		 * far more often than file names, so say so.
		 */
		if (util_strncaseeq(target, "http:", 5) ||
		    util_strncaseeq(target, "https:", 6))
			return url_bad(reason, "missing \"//\" after scheme");
		util_strlcpy(u->host, URL_DEFAULT_HOST, sizeof(u->host));
		u->port = URL_DEFAULT_PORT;
		u->path[0] = '/';
		plen = strlen(target);
		if (plen > 0 && target[0] == '/') {
			target++;
			plen--;
		}
		if (url_encode(target, plen, u->path + 1,
		    sizeof(u->path) - 1) != URL_OK)
			return url_long(reason, "path too long");
		return URL_OK;
	}
	if (url_scheme_of(target, slen, &u->scheme) == -1)
		return url_bad(reason, "unsupported scheme");
	u->port = url_default_port(u);
	auth = target + slen + 3;
	alen = strcspn(auth, "/?#");
	if ((r = url_parse_authority(auth, alen, u, reason)) != URL_OK)
		return r;
	path = auth + alen;
	plen = strcspn(path, "#");
	if (plen == 0 || path[0] != '/') {
		/* "http://h" and "https://h?q" have the path "/". */
		u->path[0] = '/';
		if (url_encode(path, plen, u->path + 1,
		    sizeof(u->path) - 1) != URL_OK)
			return url_long(reason, "path too long");
		return URL_OK;
	}
	if (url_encode(path, plen, u->path, sizeof(u->path)) != URL_OK)
		return url_long(reason, "path too long");
	return URL_OK;
}

/*
 * The path and query of a request target: '/', '?' and valid %XX
 * escapes are kept, everything else a path may not hold is encoded.
 */
static enum url_result
url_encode(const char *in, size_t len, char *out, size_t outsz)
{
	if (uri_encode(in, len, out, outsz,
	    URI_ENCODE_QUERY | URI_ENCODE_ESCAPES) != URI_OK)
		return URL_TOO_LONG;
	return URL_OK;
}

size_t
url_host_header(const struct url *u, char *buf, size_t size)
{
	int	n;

	if (u->port == url_default_port(u))
		n = snprintf(buf, size, u->ipv6 ? "[%s]" : "%s", u->host);
	else
		n = snprintf(buf, size, u->ipv6 ? "[%s]:%u" : "%s:%u",
		    u->host, (unsigned)u->port);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

size_t
url_authority(const struct url *u, char *buf, size_t size)
{
	int	n;

	n = snprintf(buf, size, u->ipv6 ? "[%s]:%u" : "%s:%u", u->host,
	    (unsigned)u->port);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

size_t
url_origin(const struct url *u, char *buf, size_t size)
{
	int	n;

	n = snprintf(buf, size, u->ipv6 ? "%s://[%s]:%u" : "%s://%s:%u",
	    url_scheme_name(u), u->host, (unsigned)u->port);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

/*
 * Length of the scheme when ref[0..len) begins with "scheme:" before
 * any '/', '?' or '#' (a reference with a scheme, RFC 3986 section
 * 4.3), else 0.
 */
static size_t
url_ref_scheme_len(const char *ref, size_t len)
{
	size_t	i;

	if (len == 0 || !url_is_alpha((unsigned char)ref[0]))
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char	c = ref[i];

		if (c == ':')
			return i;
		if (!url_is_alpha(c) && !(c >= '0' && c <= '9') &&
		    c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

/* Removes dot segments from the path part of u->path, query kept. */
static void
url_clean_path(struct url *u)
{
	size_t	plen = strcspn(u->path, "?"), total = strlen(u->path);
	size_t	n = plen;

	(void)uri_remove_dots(u->path, &n, 0);
	memmove(u->path + n, u->path + plen, total - plen + 1);
}

enum url_result
url_resolve(const struct url *base, const char *ref, size_t len,
    struct url *out, const char **reason)
{
	char		 buf[URL_HOST_MAX + URL_PATH_MAX + 16];
	char		 merged[URL_PATH_MAX];
	const char	*hash, *q, *bq;
	size_t		 slen, plen, qlen, blen, n;
	enum url_scheme	 scheme;
	enum url_result	 r;

	if (reason != NULL)
		*reason = NULL;
	if ((hash = memchr(ref, '#', len)) != NULL)
		len = (size_t)(hash - ref);
	if (memchr(ref, '\0', len) != NULL)
		return url_bad(reason, "NUL in URL");
	slen = url_ref_scheme_len(ref, len);
	if (slen > 0 || (len >= 2 && ref[0] == '/' && ref[1] == '/')) {
		if (slen > 0 && url_scheme_of(ref, slen, &scheme) == -1)
			return url_bad(reason, "unsupported scheme");
		if (slen > 0 && (len < slen + 3 ||
		    memcmp(ref + slen, "://", 3) != 0))
			return url_bad(reason, "missing \"//\" after scheme");
		/* A network-path reference keeps the scheme of the base. */
		n = (size_t)snprintf(buf, sizeof(buf), "%s%s%.*s",
		    slen > 0 ? "" : url_scheme_name(base), slen > 0 ? "" : ":",
		    (int)len, ref);
		if (n >= sizeof(buf))
			return url_long(reason, "URL too long");
		if ((r = url_parse(buf, out, reason)) == URL_OK)
			url_clean_path(out);
		return r;
	}

	memset(out, 0, sizeof(*out));
	out->scheme = base->scheme;
	util_strlcpy(out->host, base->host, sizeof(out->host));
	out->ipv6 = base->ipv6;
	out->port = base->port;
	q = memchr(ref, '?', len);
	plen = q != NULL ? (size_t)(q - ref) : len;
	qlen = len - plen;		/* with its '?' */
	bq = strchr(base->path, '?');
	blen = bq != NULL ? (size_t)(bq - base->path) : strlen(base->path);
	if (plen == 0) {
		/* The same path; a query replaces the base's. */
		n = qlen == 0 ? strlen(base->path) : blen;
		if (n + qlen >= sizeof(merged))
			return url_long(reason, "path too long");
		memcpy(merged, base->path, n);
		memcpy(merged + n, ref, qlen);
		n += qlen;
	} else {
		n = 0;
		if (ref[0] != '/') {
			/* Merge with the base path up to its last '/'. */
			for (n = blen; n > 0 && base->path[n - 1] != '/'; n--)
				;
			memcpy(merged, base->path, n);
		}
		if (n + plen >= sizeof(merged))
			return url_long(reason, "path too long");
		memcpy(merged + n, ref, plen);
		n += plen;
		(void)uri_remove_dots(merged, &n, 0);
		if (n + qlen >= sizeof(merged))
			return url_long(reason, "path too long");
		memcpy(merged + n, ref + plen, qlen);
		n += qlen;
	}
	if (n >= sizeof(merged))
		return url_long(reason, "path too long");
	if (url_encode(merged, n, out->path, sizeof(out->path)) != URL_OK)
		return url_long(reason, "path too long");
	return URL_OK;
}

enum url_result
url_remote_name(const char *path, char *out, size_t size, const char **reason)
{
	const char	*p, *end, *slash;
	size_t		 o = 0;
	int		 c;

	if (reason != NULL)
		*reason = NULL;
	end = path + strcspn(path, "?");
	for (p = slash = path; p < end; p++)
		if (*p == '/')
			slash = p + 1;
	for (p = slash; p < end; p++) {
		/* A '%' that begins no escape is itself. */
		if ((c = uri_pct_value(p, (size_t)(end - p))) != -1)
			p += 2;
		else
			c = (unsigned char)*p;
		if (c == '/')
			return url_bad(reason, "'/' in the remote file name");
		if (c < 0x20 || c == 0x7f)
			return url_bad(reason,
			    "control character in the remote file name");
		if (o + 1 >= size)
			return url_long(reason, "remote file name too long");
		out[o++] = (char)c;
	}
	if (size > 0)
		out[o] = '\0';
	if (o == 0)
		return url_bad(reason, "no file name in the URL");
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		return url_bad(reason, "remote file name is . or ..");
	return URL_OK;
}
