/*
 * request: the request head parser of minihttpd.  It must not answer,
 * log or decide anything: it fills in a struct request that points into
 * the caller's buffer, or names the status of the error (serve.c and
 * conn.c act on it).  The token, list and field-value syntax it uses is
 * http.c's, shared with the client.
 *
 * The parser first finds the end of the head (an empty line), scanning
 * only bytes it has not seen before, then parses the complete head in
 * one pass.  Line endings: CRLF, or a bare LF (RFC 9112 section 2.2
 * allows a recipient to accept it); a CR anywhere else is an error.
 *
 *	state			what ends it
 *	find head end		LF LF or LF CR LF seen -> parse; limit -> 414/431
 *	request line		method SP target SP HTTP/x.y (CR) LF
 *	header lines		name ":" OWS value OWS (CR) LF, until empty line
 *	checks			Host rules, framing (CL/TE), keep-alive
 */
#include "config.h"

#include <string.h>

#include "core/http.h"
#include "core/request.h"
#include "core/util.h"

#define REQUEST_CL_MAX	((uint64_t)1 << 62)

/* The header fields the parser acts on; the others are only counted. */
enum request_field {
	REQUEST_F_OTHER = 0,
	REQUEST_F_HOST,
	REQUEST_F_CONNECTION,
	REQUEST_F_CONTENT_LENGTH,
	REQUEST_F_TRANSFER_ENCODING,
	REQUEST_F_EXPECT,
	REQUEST_F_IF_MODIFIED_SINCE,
	REQUEST_F_IF_NONE_MATCH,
	REQUEST_F_IF_MATCH,
	REQUEST_F_IF_UNMODIFIED_SINCE,
	REQUEST_F_IF_RANGE,
	REQUEST_F_RANGE,
	REQUEST_F_ACCEPT_ENCODING,
	REQUEST_F_AUTHORIZATION,
	REQUEST_F_REFERER,
	REQUEST_F_USER_AGENT
};

static int	request_line(const char *, size_t, struct request *, int *);
static int	request_header(const char *, size_t, struct request *, int *,
		    int *);
static int	request_find_end(struct request_parser *, const char *,
		    size_t, size_t, size_t, size_t *, int *);
static int	request_valid_host(const char *, size_t);
static int	request_name_is(const char *, const char *, size_t);
static enum request_field request_field(const char *, size_t);

/* The lengths are kept so that the lookup needs no strlen. */
#define REQUEST_METHOD(name, m)	{ name, sizeof(name) - 1, m }

static const struct {
	const char		*name;
	size_t			 len;
	enum request_method	 m;
} request_methods[] = {
	REQUEST_METHOD("GET", REQUEST_METHOD_GET),
	REQUEST_METHOD("HEAD", REQUEST_METHOD_HEAD),
	REQUEST_METHOD("POST", REQUEST_METHOD_POST),
	REQUEST_METHOD("PUT", REQUEST_METHOD_PUT),
	REQUEST_METHOD("DELETE", REQUEST_METHOD_DELETE),
	REQUEST_METHOD("CONNECT", REQUEST_METHOD_CONNECT),
	REQUEST_METHOD("OPTIONS", REQUEST_METHOD_OPTIONS),
	REQUEST_METHOD("TRACE", REQUEST_METHOD_TRACE),
	REQUEST_METHOD("PATCH", REQUEST_METHOD_PATCH),
};

/*
 * Looks for the empty line that ends the head, starting where the last
 * call stopped.  Returns 1 with *end set past the empty line, 0 for
 * "need more", -1 with *status when a limit is exceeded.
 */
static int
request_find_end(struct request_parser *ps, const char *buf, size_t start,
    size_t len, size_t max, size_t *end, int *status)
{
	size_t		 i = ps->scanned > start ? ps->scanned : start;
	const char	*nl;

	/* memchr jumps from LF to LF: the bytes between need no look. */
	for (; i < len; i++) {
		if ((nl = memchr(buf + i, '\n', len - i)) == NULL) {
			i = len;
			break;
		}
		i = (size_t)(nl - buf);
		if (ps->line_end == 0) {
			ps->line_end = i + 1;
			if (i - start > max) {
				*status = 414;
				return -1;
			}
		}
		if (i + 1 >= len || (buf[i + 1] == '\r' && i + 2 >= len))
			break;		/* the terminator may be split */
		if (buf[i + 1] == '\n')
			*end = i + 2;
		else if (buf[i + 1] == '\r' && buf[i + 2] == '\n')
			*end = i + 3;
		else
			continue;
		if (*end - start > max) {
			*status = 431;
			return -1;
		}
		return 1;
	}
	ps->scanned = i;
	if (len - start > max) {
		*status = ps->line_end == 0 ? 414 : 431;
		return -1;
	}
	return 0;
}

enum http_parse
request_parse(struct request_parser *ps, const char *buf, size_t len,
    const struct request_limits *lim, struct request *req, int *status)
{
	size_t	start = 0, end = 0, p, eol;
	int	r, conn = 0;

	/*
	 * RFC 9112 section 2.2: a server should ignore at least one empty
	 * line received before the request line.
	 */
	while (start < 4 && start < len && (buf[start] == '\n' ||
	    buf[start] == '\r'))
		start++;
	if (start == len)
		return HTTP_PARSE_AGAIN;
	/*
	 * A byte that cannot start a method (a TLS ClientHello starts
	 * with 0x16) is a 400 at once, not after the header deadline.
	 */
	if (!http_is_tchar((unsigned char)buf[start])) {
		*status = 400;
		return HTTP_PARSE_ERROR;
	}

	if ((r = request_find_end(ps, buf, start, len, lim->max_head, &end,
	    status)) == 0) {
		/*
		 * A bad request line (an HTTP/0.9 one has no version) is
		 * answered at once, not after the header deadline.
		 */
		if (ps->line_end != 0 && !ps->line_ok) {
			memset(req, 0, sizeof(*req));
			if (request_line(buf + start, ps->line_end - 1 -
			    start, req, status) == -1)
				return HTTP_PARSE_ERROR;
			ps->line_ok = 1;
		}
		return HTTP_PARSE_AGAIN;
	}
	if (r == -1) {
		/*
		 * A bad request line is what is wrong, however much came
		 * after it: the same answer whether the bytes arrived at
		 * once (431 here) or one by one (400 above).
		 */
		if (*status == 431 && ps->line_end != 0 && !ps->line_ok) {
			memset(req, 0, sizeof(*req));
			if (request_line(buf + start, ps->line_end - 1 - start,
			    req, &r) == -1)
				*status = r;
		}
		return HTTP_PARSE_ERROR;
	}

	memset(req, 0, sizeof(*req));
	req->head_len = end;
	eol = ps->line_end - 1;
	if (request_line(buf + start, eol - start, req, status) == -1)
		return HTTP_PARSE_ERROR;

	for (p = eol + 1; p < end; p = eol + 1) {
		eol = (size_t)((const char *)memchr(buf + p, '\n', end - p) -
		    buf);
		if (eol == p || (eol == p + 1 && buf[p] == '\r'))
			break;
		if (++req->nheaders > lim->max_headers) {
			*status = 431;
			return HTTP_PARSE_ERROR;
		}
		if (request_header(buf + p, eol - p, req, status, &conn) == -1)
			return HTTP_PARSE_ERROR;
	}

	*status = 400;
	/*
	 * RFC 9112 section 6.1: Transfer-Encoding in HTTP/1.0 means the
	 * framing is faulty; answering 400 and closing is the safe way.
	 */
	if (req->minor == 0 && req->chunked)
		return HTTP_PARSE_ERROR;
	/* RFC 9112 section 3.2: HTTP/1.1 requests carry exactly one Host. */
	if (req->minor >= 1 && req->host.p == NULL)
		return HTTP_PARSE_ERROR;
	/* RFC 9112 section 6.1: both framings at once is a smuggling attempt. */
	if (req->chunked && req->has_length)
		return HTTP_PARSE_ERROR;
	/* RFC 9112 section 9.3: persistent by default from 1.1 on. */
	if (conn & 1)
		req->keepalive = 0;
	else
		req->keepalive = req->minor >= 1 || (conn & 2);
	return HTTP_PARSE_DONE;
}

static int
request_line(const char *s, size_t len, struct request *req, int *status)
{
	size_t	i, m;

	*status = 400;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	i = http_token_len(s, len);
	if (i == 0 || i == len || s[i] != ' ')
		return -1;
	req->method_name.p = s;
	req->method_name.len = i;
	req->method = REQUEST_METHOD_UNKNOWN;
	for (m = 0; m < UTIL_ARRAY_LEN(request_methods); m++)
		if (request_methods[m].len == i &&
		    memcmp(request_methods[m].name, s, i) == 0) {
			req->method = request_methods[m].m;
			break;
		}

	req->target.p = s + ++i;
	while (i < len && (unsigned char)s[i] > 0x20 &&
	    (unsigned char)s[i] < 0x7f)
		i++;
	req->target.len = (size_t)(s + i - req->target.p);
	/* No version at all is HTTP/0.9, which is not served. */
	if (req->target.len == 0 || i == len || s[i] != ' ')
		return -1;
	i++;
	if (len - i != 8 || memcmp(s + i, "HTTP/", 5) != 0 ||
	    s[i + 5] < '0' || s[i + 5] > '9' || s[i + 6] != '.' ||
	    s[i + 7] < '0' || s[i + 7] > '9')
		return -1;
	req->major = s[i + 5] - '0';
	req->minor = s[i + 7] - '0';
	if (req->major != 1) {
		*status = 505;
		return -1;
	}
	if (req->minor > 1)
		req->minor = 1;

	/* Origin-form, or absolute-form whose path part we serve. */
	req->path = req->target;
	if (req->target.p[0] != '/') {
		const char	*t = req->target.p, *a, *e;
		size_t		 tl = req->target.len;
		size_t		 sl = 0;

		if (tl > 7 && util_strncaseeq(t, "http://", 7))
			sl = 7;
		else if (tl > 8 && util_strncaseeq(t, "https://", 8))
			sl = 8;
		if (sl == 0) {
			/* "*" and authority-form only make sense for
			 * OPTIONS and CONNECT, which get 405 anyway. */
			if (req->method == REQUEST_METHOD_GET ||
			    req->method == REQUEST_METHOD_HEAD)
				return -1;
		} else {
			/* RFC 3986 section 3.2: the authority ends at the
			 * first '/', '?' or '#'; RFC 9110 section 4.2.1: an
			 * empty host is invalid. */
			a = t + sl;
			for (e = a; e < t + tl && *e != '/' && *e != '?' &&
			    *e != '#'; e++)
				;
			if (e == a || *a == ':' || *a == '@')
				return -1;
			if (e == t + tl || *e != '/') {
				req->path.p = "/";
				req->path.len = 1;
			} else {
				req->path.p = e;
				req->path.len = (size_t)(t + tl - e);
			}
		}
	}
	return 0;
}

/*
 * The bytes of a reg-name or IPv4 address: unreserved, sub-delims and
 * the '%' of an escape (RFC 3986 section 3.2.2).  A table, because every
 * request has a Host and a chain of comparisons per byte showed up in
 * the profile.
 */
static const unsigned char request_host_chars[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x10 */
	0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0,	/* 0x30 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,	/* 0x50 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,	/* 0x70 */
	/* 0x80 to 0xff: 0 */
};

/* reg-name, IPv4 or [IPv6], optional :port (RFC 3986 section 3.2.2). */
static int
request_valid_host(const char *s, size_t len)
{
	size_t	i;

	if (len > 0 && s[0] == '[') {
		for (i = 1; i < len && s[i] != ']'; i++)
			if (!((s[i] >= '0' && s[i] <= '9') ||
			    (s[i] >= 'a' && s[i] <= 'f') ||
			    (s[i] >= 'A' && s[i] <= 'F') ||
			    s[i] == ':' || s[i] == '.'))
				return 0;
		if (i == len)
			return 0;
		i++;
	} else {
		for (i = 0; i < len && s[i] != ':'; i++)
			if (!request_host_chars[(unsigned char)s[i]])
				return 0;
	}
	if (i < len) {
		if (s[i] != ':')
			return 0;
		for (i++; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
	}
	return 1;
}

/*
 * s[0..n) is a token and lower a lower-case name of letters and '-'.
 * Among tchars, only 'x' and 'X' give 'x' when or-ed with 0x20, and
 * only '-' gives '-' (0x0d would, but is no tchar), so this one OR is
 * an exact ASCII case-insensitive comparison for these operands.
 */
static int
request_name_is(const char *s, const char *lower, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] | 0x20) != (unsigned char)lower[i])
			return 0;
	return 1;
}

#define NAME_IS(lit)	request_name_is(s, lit, sizeof(lit) - 1)

/*
 * Which field the token name s[0..n) is.  Every request has a few
 * fields, so rather than comparing the name with each known one in
 * turn, the length picks the one or two candidates.
 */
static enum request_field
request_field(const char *s, size_t n)
{
	switch (n) {
	case 4:
		if (NAME_IS("host"))
			return REQUEST_F_HOST;
		break;
	case 5:
		if (NAME_IS("range"))
			return REQUEST_F_RANGE;
		break;
	case 6:
		if (NAME_IS("expect"))
			return REQUEST_F_EXPECT;
		break;
	case 7:
		if (NAME_IS("referer"))
			return REQUEST_F_REFERER;
		break;
	case 8:
		if (NAME_IS("if-match"))
			return REQUEST_F_IF_MATCH;
		if (NAME_IS("if-range"))
			return REQUEST_F_IF_RANGE;
		break;
	case 10:
		if (NAME_IS("user-agent"))
			return REQUEST_F_USER_AGENT;
		if (NAME_IS("connection"))
			return REQUEST_F_CONNECTION;
		break;
	case 13:
		if (NAME_IS("if-none-match"))
			return REQUEST_F_IF_NONE_MATCH;
		if (NAME_IS("authorization"))
			return REQUEST_F_AUTHORIZATION;
		break;
	case 14:
		if (NAME_IS("content-length"))
			return REQUEST_F_CONTENT_LENGTH;
		break;
	case 15:
		if (NAME_IS("accept-encoding"))
			return REQUEST_F_ACCEPT_ENCODING;
		break;
	case 17:
		if (NAME_IS("if-modified-since"))
			return REQUEST_F_IF_MODIFIED_SINCE;
		if (NAME_IS("transfer-encoding"))
			return REQUEST_F_TRANSFER_ENCODING;
		break;
	case 19:
		if (NAME_IS("if-unmodified-since"))
			return REQUEST_F_IF_UNMODIFIED_SINCE;
		break;
	}
	return REQUEST_F_OTHER;
}

/*
 * One header line without its LF.  Connection tokens are or-ed into
 * *conn: 1 for "close", 2 for "keep-alive".  Host, Content-Length,
 * Transfer-Encoding and Authorization may come only once: a second one
 * leaves it unclear which the request meant (and which an intermediary
 * acted on), so it is a 400.  For the other fields the last one wins.
 */
static int
request_header(const char *s, size_t len, struct request *req, int *status,
    int *conn)
{
	const char	*v;
	size_t		 nl, vl;
	struct http_str	*keep = NULL;

	*status = 400;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	nl = http_token_len(s, len);
	/* Empty names, obs-fold and whitespace before ':' all land here. */
	if (nl == 0 || nl == len || s[nl] != ':')
		return -1;
	v = s + nl + 1;
	vl = len - nl - 1;
	if (!http_text_ok(v, vl))
		return -1;
	util_trim_ows(&v, &vl);

	switch (request_field(s, nl)) {
	case REQUEST_F_HOST:
		if (req->host.p != NULL || !request_valid_host(v, vl))
			return -1;
		keep = &req->host;
		break;
	case REQUEST_F_CONNECTION:
		if (http_list_has(v, vl, "close"))
			*conn |= 1;
		if (http_list_has(v, vl, "keep-alive"))
			*conn |= 2;
		break;
	case REQUEST_F_CONTENT_LENGTH:
		if (req->has_length || util_parse_uint(v, vl, REQUEST_CL_MAX,
		    &req->content_length) == -1)
			return -1;
		req->has_length = 1;
		break;
	case REQUEST_F_TRANSFER_ENCODING:
		/* Only "chunked", once, is a coding we can frame. */
		if (req->chunked || vl != 7 || !util_strncaseeq(v, "chunked", 7))
			return -1;
		req->chunked = 1;
		break;
	case REQUEST_F_EXPECT:
		if (vl == 12 && util_strncaseeq(v, "100-continue", 12))
			req->expect_continue = 1;
		else
			req->expect_other = 1;
		break;
	case REQUEST_F_AUTHORIZATION:
		if (req->authorization.p != NULL)
			return -1;
		keep = &req->authorization;
		break;
	case REQUEST_F_IF_MODIFIED_SINCE:
		keep = &req->if_modified_since;
		break;
	case REQUEST_F_IF_NONE_MATCH:
		keep = &req->if_none_match;
		break;
	case REQUEST_F_IF_MATCH:
		keep = &req->if_match;
		break;
	case REQUEST_F_IF_UNMODIFIED_SINCE:
		keep = &req->if_unmodified_since;
		break;
	case REQUEST_F_IF_RANGE:
		keep = &req->if_range;
		break;
	case REQUEST_F_RANGE:
		keep = &req->range;
		break;
	case REQUEST_F_ACCEPT_ENCODING:
		keep = &req->accept_encoding;
		break;
	case REQUEST_F_REFERER:
		keep = &req->referer;
		break;
	case REQUEST_F_USER_AGENT:
		keep = &req->user_agent;
		break;
	case REQUEST_F_OTHER:
		break;
	}
	if (keep != NULL) {
		keep->p = v;
		keep->len = vl;
	}
	return 0;
}
