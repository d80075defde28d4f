/*
 * fieldrule: the operator's own response header fields ("headers") and
 * redirect targets ("redirect").  Both are checked once, when the
 * configuration is loaded, so that a request never meets a line that
 * could split a response or claim a field the server itself is
 * responsible for; the header lines of each location are merged and
 * preformatted there too, and a request only copies the result.
 *
 * This file must not see a connection or a config file: it takes
 * strings, and the caller says where they came from.  Its whys do not
 * repeat the offending text either, since the caller quotes the value
 * next to the setting's name (as conf.c does for listen_parse).
 *
 * A redirect variable is '$' and the longest run of name characters
 * (letters, digits, '_') after it, or a name between "${" and "}"; the
 * run must be a known name as a whole, so "$hostx" is an unknown
 * variable, never $host then "x" (write "${host}x" for that).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/fieldrule.h"
#include "core/http.h"
#include "core/uri.h"
#include "core/util.h"

#define FIELDRULE_VAR_NAME_MAX	32	/* of an unknown name, in a why */

/* Why the server keeps a field to itself. */
enum fieldrule_owner {
	FIELDRULE_FRAMING,	/* delimits the message */
	FIELDRULE_HOP,		/* hop-by-hop: about this connection only */
	FIELDRULE_OWN		/* describes the response the server built */
};

static const struct {
	const char		*name;
	enum fieldrule_owner	 owner;
} fieldrule_refused[] = {
	{ "Content-Length", FIELDRULE_FRAMING },
	{ "Transfer-Encoding", FIELDRULE_FRAMING },
	{ "Trailer", FIELDRULE_FRAMING },
	{ "Connection", FIELDRULE_HOP },
	{ "Keep-Alive", FIELDRULE_HOP },
	{ "Upgrade", FIELDRULE_HOP },
	{ "TE", FIELDRULE_HOP },
	{ "Proxy-Connection", FIELDRULE_HOP },
	{ "Date", FIELDRULE_OWN },
	{ "Server", FIELDRULE_OWN },
	{ "Content-Range", FIELDRULE_OWN },
	{ "Content-Type", FIELDRULE_OWN },
	{ "Content-Encoding", FIELDRULE_OWN },
	{ "ETag", FIELDRULE_OWN },
	{ "Last-Modified", FIELDRULE_OWN },
	{ "Accept-Ranges", FIELDRULE_OWN },
	{ "Location", FIELDRULE_OWN },
	{ "Vary", FIELDRULE_OWN },
	{ "WWW-Authenticate", FIELDRULE_OWN },
	{ "Allow", FIELDRULE_OWN },
};

enum fieldrule_var {
	FIELDRULE_VAR_DOLLAR = 0,
	FIELDRULE_VAR_SCHEME,
	FIELDRULE_VAR_HOST,
	FIELDRULE_VAR_REQUEST_URI,
	FIELDRULE_VAR_URI
};

static const char *const fieldrule_var_names[] = {
	[FIELDRULE_VAR_DOLLAR] = "$",
	[FIELDRULE_VAR_SCHEME] = "scheme",
	[FIELDRULE_VAR_HOST] = "host",
	[FIELDRULE_VAR_REQUEST_URI] = "request_uri",
	[FIELDRULE_VAR_URI] = "uri",
};

static void	fieldrule_split(const char *, size_t *, const char **,
		    size_t *);
static int	fieldrule_same_name(const char *, const char *);
static int	fieldrule_is_name_char(int);
static int	fieldrule_var_lookup(const char *, size_t);
static int	fieldrule_var(const char *, size_t *, char *, size_t);
static int	fieldrule_starts_slash(const char *, char *, size_t);
static int	fieldrule_template_bytes(const char *, char *, size_t);
static int	fieldrule_url_ok(const char *, size_t);
static int	fieldrule_put(char *, size_t, size_t *, const char *, size_t);
static int	fieldrule_put_var(const char *, const struct fieldrule_vars *,
		    char *, size_t, size_t *, size_t *);

/* A line's name length and its value with the spaces around it cut. */
static void
fieldrule_split(const char *line, size_t *nlen, const char **v, size_t *vlen)
{
	*nlen = http_token_len(line, strlen(line));
	*v = line + *nlen;
	if (**v == ':')
		(*v)++;
	*vlen = strlen(*v);
	util_trim_ows(v, vlen);
}

static int
fieldrule_same_name(const char *a, const char *b)
{
	size_t	na = http_token_len(a, strlen(a));
	size_t	nb = http_token_len(b, strlen(b));

	return na == nb && util_strncaseeq(a, b, na);
}

int
fieldrule_check(const char *line, char *why, size_t whysz)
{
	const char	*v;
	size_t		 len, nlen, ws, vlen, i;

	if (line == NULL || *line == '\0')
		return util_why(why, whysz,
		    "empty: write \"Name: value\"");
	if ((len = strlen(line)) > FIELDRULE_LINE_MAX)
		return util_why(why, whysz, "longer than %d bytes",
		    FIELDRULE_LINE_MAX);
	nlen = http_token_len(line, len);
	ws = nlen + strspn(line + nlen, " \t");
	if (nlen == 0)
		return util_why(why, whysz, line[0] == ':' ?
		    "no field name before ':'" :
		    "the line must begin with a field name");
	if (ws > nlen && line[ws] == ':')
		/* RFC 9112 section 5.1: a request with it gets a 400. */
		return util_why(why, whysz,
		    "no space may come between the field name and ':'");
	if (line[nlen] == '\0')
		return util_why(why, whysz,
		    "no ':' after the field name: write \"Name: value\"");
	if (line[nlen] != ':')
		return util_why(why, whysz, "the field name may hold "
		    "only letters, digits and !#$%%&'*+-.^_`|~");
	v = line + nlen + 1;
	vlen = len - nlen - 1;
	if (!http_text_ok(v, vlen))
		return util_why(why, whysz, "the value holds a control "
		    "character (CR, LF and the like could split the "
		    "response)");
	util_trim_ows(&v, &vlen);
	if (vlen == 0)
		return util_why(why, whysz, "the value is empty");
	for (i = 0; i < UTIL_ARRAY_LEN(fieldrule_refused); i++) {
		if (strlen(fieldrule_refused[i].name) != nlen ||
		    !util_strncaseeq(line, fieldrule_refused[i].name, nlen))
			continue;
		switch (fieldrule_refused[i].owner) {
		case FIELDRULE_FRAMING:
			return util_why(why, whysz, "%s frames the "
			    "message: the server sets it",
			    fieldrule_refused[i].name);
		case FIELDRULE_HOP:
			return util_why(why, whysz, "%s is hop-by-hop: "
			    "the server manages the connection itself",
			    fieldrule_refused[i].name);
		case FIELDRULE_OWN:
			return util_why(why, whysz, "%s describes the "
			    "response: the server sets it",
			    fieldrule_refused[i].name);
		}
	}
	return 0;
}

size_t
fieldrule_merge(const char *const *outer, size_t nouter,
    const char *const *inner, size_t ninner, const char **out, size_t outmax)
{
	size_t	i, j, n = 0;

	for (i = 0; i < nouter; i++) {
		for (j = 0; j < ninner; j++)
			if (fieldrule_same_name(outer[i], inner[j]))
				break;
		if (j < ninner)
			continue;
		if (n < outmax)
			out[n] = outer[i];
		n++;
	}
	for (j = 0; j < ninner; j++) {
		if (n < outmax)
			out[n] = inner[j];
		n++;
	}
	return n;
}

char *
fieldrule_format(const char *const *lines, size_t n, size_t *lenp)
{
	const char	*v;
	char		*buf;
	size_t		 i, nlen, vlen, total = 0, k = 0;

	for (i = 0; i < n; i++) {
		fieldrule_split(lines[i], &nlen, &v, &vlen);
		total += nlen + vlen + 4;
	}
	buf = xmalloc(total + 1);
	for (i = 0; i < n; i++) {
		fieldrule_split(lines[i], &nlen, &v, &vlen);
		memcpy(buf + k, lines[i], nlen);
		k += nlen;
		memcpy(buf + k, ": ", 2);
		k += 2;
		memcpy(buf + k, v, vlen);
		k += vlen;
		memcpy(buf + k, "\r\n", 2);
		k += 2;
	}
	buf[k] = '\0';
	if (lenp != NULL)
		*lenp = k;
	return buf;
}

static int
fieldrule_is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* The variable named s[0..len), or -1. */
static int
fieldrule_var_lookup(const char *s, size_t len)
{
	size_t	i;

	for (i = FIELDRULE_VAR_SCHEME; i < UTIL_ARRAY_LEN(fieldrule_var_names);
	    i++)
		if (strlen(fieldrule_var_names[i]) == len &&
		    memcmp(fieldrule_var_names[i], s, len) == 0)
			return (int)i;
	return -1;
}

/*
 * The variable at p (which points at a '$'), with *used set to the
 * bytes it spans; or -1 with why.  Check and expansion both read
 * variables here, so they cannot disagree on where one ends.
 */
static int
fieldrule_var(const char *p, size_t *used, char *why, size_t whysz)
{
	const char	*name, *end;
	size_t		 len;
	int		 var;

	if (p[1] == '$') {
		*used = 2;
		return FIELDRULE_VAR_DOLLAR;
	}
	if (p[1] == '{') {
		name = p + 2;
		if ((end = strchr(name, '}')) == NULL)
			return util_why(why, whysz,
			    "\"${\" without its \"}\"");
		len = (size_t)(end - name);
		*used = len + 3;
	} else {
		name = p + 1;
		for (len = 0; fieldrule_is_name_char((unsigned char)name[len]);
		    len++)
			;
		*used = len + 1;
	}
	if (len == 0)
		return util_why(why, whysz, "'$' without a variable "
		    "name: write $$ for a dollar sign");
	if ((var = fieldrule_var_lookup(name, len)) == -1)
		return util_why(why, whysz, "unknown variable $%s%.*s%s "
		    "(known: $scheme, $host, $request_uri, $uri; $$ is a "
		    "dollar sign)", p[1] == '{' ? "{" : "",
		    len > FIELDRULE_VAR_NAME_MAX ? FIELDRULE_VAR_NAME_MAX :
		    (int)len, name, p[1] == '{' ? "}" : "");
	return var;
}

/*
 * Whether what p expands to could begin with '/': after "scheme://" it
 * would leave the host empty, and after the leading '/' of a path it
 * would make "//name", which a browser takes for another host (an open
 * redirect).  $uri and $request_uri both begin with '/'.
 */
static int
fieldrule_starts_slash(const char *p, char *why, size_t whysz)
{
	size_t	used;
	int	var;

	if (*p == '/')
		return 1;
	if (*p != '$')
		return 0;
	if ((var = fieldrule_var(p, &used, why, whysz)) == -1)
		return -1;
	return var == FIELDRULE_VAR_URI || var == FIELDRULE_VAR_REQUEST_URI;
}

/*
 * Only visible ASCII: a Location is a URI reference, so a space or a
 * byte above 0x7e has to be percent-encoded, and a control byte (CR
 * and LF above all) would split the response.  A backslash is refused
 * because browsers read it as '/'.
 */
static int
fieldrule_template_bytes(const char *t, char *why, size_t whysz)
{
	unsigned char	c;

	for (; *t != '\0'; t++) {
		c = (unsigned char)*t;
		if (c == '\r' || c == '\n')
			return util_why(why, whysz, "CR or LF would "
			    "split the response");
		if (c == ' ' || c == '\t')
			return util_why(why, whysz, "a space or tab: "
			    "write %%20 or %%09");
		if (c < 0x20 || c == 0x7f)
			return util_why(why, whysz,
			    "a control character");
		if (c > 0x7e)
			return util_why(why, whysz, "a byte outside "
			    "ASCII: percent-encode it");
		if (c == '\\')
			return util_why(why, whysz, "a backslash, which "
			    "browsers read as '/': write %%5C");
	}
	return 0;
}

int
fieldrule_redirect_check(const char *tmpl, char *why, size_t whysz)
{
	const char	*p, *rest;
	size_t		 used;
	int		 r = 0;

	if (tmpl == NULL || *tmpl == '\0')
		return util_why(why, whysz, "empty redirect");
	if (strlen(tmpl) >= FIELDRULE_REDIRECT_MAX)
		return util_why(why, whysz, "longer than %d bytes",
		    FIELDRULE_REDIRECT_MAX - 1);
	if (fieldrule_template_bytes(tmpl, why, whysz) == -1)
		return -1;
	if (strncmp(tmpl, "$scheme://", 10) == 0)
		rest = tmpl + 10;
	else if (strncmp(tmpl, "${scheme}://", 12) == 0)
		rest = tmpl + 12;
	else if (util_strncaseeq(tmpl, "http://", 7))
		rest = tmpl + 7;
	else if (util_strncaseeq(tmpl, "https://", 8))
		rest = tmpl + 8;
	else if (tmpl[0] == '/')
		rest = NULL;
	else
		return util_why(why, whysz, "neither an absolute URL "
		    "(http://, https:// or $scheme://) nor a path starting "
		    "with '/'");
	if (rest != NULL) {
		if (*rest == '\0' || *rest == '?' || *rest == '#' ||
		    (r = fieldrule_starts_slash(rest, why, whysz)) == 1)
			return util_why(why, whysz,
			    "no host after \"://\"");
	} else if ((r = fieldrule_starts_slash(tmpl + 1, why, whysz)) == 1)
		return util_why(why, whysz, "it would start with \"//\", "
		    "which browsers read as a host name");
	if (r == -1)
		return -1;
	for (p = strchr(tmpl, '$'); p != NULL; p = strchr(p + used, '$'))
		if (fieldrule_var(p, &used, why, whysz) == -1)
			return -1;
	return 0;
}

/*
 * What may go into a Location as it is: visible ASCII.  The request
 * parser already keeps anything else out of the target and the Host;
 * this is the second fence, at the place where a CR would do harm.
 */
static int
fieldrule_url_ok(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* Appends s[0..len) to out, keeping room for the NUL; 0 or -1. */
static int
fieldrule_put(char *out, size_t outsz, size_t *n, const char *s, size_t len)
{
	if (!fieldrule_url_ok(s, len) || len >= outsz - *n)
		return -1;
	memcpy(out + *n, s, len);
	*n += len;
	return 0;
}

/*
 * Appends the variable at p to out; *used receives the bytes it spans
 * in the template.  0, or -1 when it is unknown or does not fit.
 */
static int
fieldrule_put_var(const char *p, const struct fieldrule_vars *v,
    char *out, size_t outsz, size_t *n, size_t *used)
{
	switch (fieldrule_var(p, used, NULL, 0)) {
	case FIELDRULE_VAR_DOLLAR:
		return fieldrule_put(out, outsz, n, "$", 1);
	case FIELDRULE_VAR_SCHEME:
		return v->scheme == NULL ? 0 :
		    fieldrule_put(out, outsz, n, v->scheme, strlen(v->scheme));
	case FIELDRULE_VAR_HOST:
		return v->host == NULL ? 0 :
		    fieldrule_put(out, outsz, n, v->host, v->hostlen);
	case FIELDRULE_VAR_REQUEST_URI:
		return v->request_uri == NULL ? 0 : fieldrule_put(out, outsz,
		    n, v->request_uri, v->request_urilen);
	case FIELDRULE_VAR_URI:
		/* Decoded once by uri_normalize: encode it again. */
		if (uri_encode(v->uri == NULL ? "" : v->uri,
		    v->uri == NULL ? 0 : v->urilen, out + *n, outsz - *n,
		    0) != URI_OK)
			return -1;
		*n += strlen(out + *n);
		return 0;
	}
	return -1;
}

size_t
fieldrule_redirect_expand(const char *tmpl, const struct fieldrule_vars *v,
    char *out, size_t outsz)
{
	const char	*p;
	size_t		 n = 0, used;
	int		 r;

	if (outsz == 0)
		return 0;
	for (p = tmpl; *p != '\0'; p += used) {
		if (*p == '$')
			r = fieldrule_put_var(p, v, out, outsz, &n, &used);
		else {
			used = strcspn(p, "$");
			r = fieldrule_put(out, outsz, &n, p, used);
		}
		if (r == -1) {
			out[0] = '\0';
			return 0;
		}
	}
	out[n] = '\0';
	return n;
}
