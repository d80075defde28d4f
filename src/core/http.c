/*
 * http: request head parser and response head formatter.
 *
 * The parser first finds the end of the head (an empty line), scanning
 * only bytes it has not seen before, then parses the complete head in
 * one pass.  Both stages work on the caller's buffer; the request struct
 * points into it.  Line endings: CRLF, or a bare LF (RFC 9112 section
 * 2.2 allows a recipient to accept it); a CR anywhere else is an error.
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
#include "core/httpdate.h"
#include "core/util.h"

#define HTTP_CL_MAX	((uint64_t)1 << 62)

struct hbuf {
	char	*p;
	size_t	 len;
	size_t	 size;
	int	 overflow;
};

static int	is_tchar(unsigned char);
static int	parse_request_line(const char *, size_t, struct http_request *,
		    int *);
static int	parse_header(const char *, size_t, struct http_request *,
		    int *, int *);
static int	find_end(struct http_parser *, const char *, size_t, size_t,
		    size_t, size_t *, int *);
static int	valid_host(const char *, size_t);
static int	qvalue(const char *, size_t);
static void	put(struct hbuf *, const char *, size_t);
static void	puts_(struct hbuf *, const char *);
static void	put_uint(struct hbuf *, uint64_t);

static const struct {
	const char		*name;
	enum http_method	 m;
} methods[] = {
	{ "GET", HTTP_METHOD_GET },		{ "HEAD", HTTP_METHOD_HEAD },
	{ "POST", HTTP_METHOD_POST },		{ "PUT", HTTP_METHOD_PUT },
	{ "DELETE", HTTP_METHOD_DELETE },	{ "CONNECT", HTTP_METHOD_CONNECT },
	{ "OPTIONS", HTTP_METHOD_OPTIONS },	{ "TRACE", HTTP_METHOD_TRACE },
	{ "PATCH", HTTP_METHOD_PATCH },
};

/* RFC 9110 section 5.6.2 token characters. */
static int
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/*
 * Looks for the empty line that ends the head, starting where the last
 * call stopped.  Returns 1 with *end set past the empty line, 0 for
 * "need more", -1 with *status when a limit is exceeded.
 */
static int
find_end(struct http_parser *ps, const char *buf, size_t start, size_t len,
    size_t max, size_t *end, int *status)
{
	size_t	i = ps->scanned > start ? ps->scanned : start;

	for (; i < len; i++) {
		if (buf[i] != '\n')
			continue;
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
http_parse_request(struct http_parser *ps, const char *buf, size_t len,
    const struct http_limits *lim, struct http_request *req, int *status)
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

	if ((r = find_end(ps, buf, start, len, lim->max_head, &end,
	    status)) == 0) {
		/*
		 * A bad request line (an HTTP/0.9 one has no version) is
		 * answered at once, not after the header deadline.
		 */
		if (ps->line_end != 0 && !ps->line_ok) {
			memset(req, 0, sizeof(*req));
			if (parse_request_line(buf + start, ps->line_end - 1 -
			    start, req, status) == -1)
				return HTTP_PARSE_ERROR;
			ps->line_ok = 1;
		}
		return HTTP_PARSE_AGAIN;
	}
	if (r == -1)
		return HTTP_PARSE_ERROR;

	memset(req, 0, sizeof(*req));
	req->head_len = end;
	eol = ps->line_end - 1;
	if (parse_request_line(buf + start, eol - start, req, status) == -1)
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
		if (parse_header(buf + p, eol - p, req, status, &conn) == -1)
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
parse_request_line(const char *s, size_t len, struct http_request *req,
    int *status)
{
	size_t	i = 0, m;

	*status = 400;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	while (i < len && is_tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i == len || s[i] != ' ')
		return -1;
	req->method_name.p = s;
	req->method_name.len = i;
	req->method = HTTP_METHOD_UNKNOWN;
	for (m = 0; m < UTIL_ARRAY_LEN(methods); m++)
		if (strlen(methods[m].name) == i &&
		    memcmp(methods[m].name, s, i) == 0)
			req->method = methods[m].m;

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
			if (req->method == HTTP_METHOD_GET ||
			    req->method == HTTP_METHOD_HEAD)
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

/* reg-name, IPv4 or [IPv6], optional :port (RFC 3986 section 3.2.2). */
static int
valid_host(const char *s, size_t len)
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
		for (i = 0; i < len && s[i] != ':'; i++) {
			unsigned char c = (unsigned char)s[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') ||
			    strchr("-._~!$&'()*+,;=%", c) != NULL))
				return 0;
		}
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

#define NAME_IS(lit)	(nl == sizeof(lit) - 1 && \
			    util_strncaseeq(s, lit, sizeof(lit) - 1))

/*
 * One header line without its LF.  Connection tokens are or-ed into
 * *conn: 1 for "close", 2 for "keep-alive".
 */
static int
parse_header(const char *s, size_t len, struct http_request *req,
    int *status, int *conn)
{
	const char	*v;
	size_t		 nl, vl, i;

	*status = 400;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	for (nl = 0; nl < len && is_tchar((unsigned char)s[nl]); nl++)
		;
	/* Empty names, obs-fold and whitespace before ':' all land here. */
	if (nl == 0 || nl == len || s[nl] != ':')
		return -1;
	v = s + nl + 1;
	vl = len - nl - 1;
	for (i = 0; i < vl; i++) {
		unsigned char c = (unsigned char)v[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -1;
	}
	util_trim_ows(&v, &vl);

	if (NAME_IS("host")) {
		if (req->host.p != NULL || !valid_host(v, vl))
			return -1;
		req->host.p = v;
		req->host.len = vl;
	} else if (NAME_IS("connection")) {
		if (http_list_has(v, vl, "close"))
			*conn |= 1;
		if (http_list_has(v, vl, "keep-alive"))
			*conn |= 2;
	} else if (NAME_IS("content-length")) {
		if (req->has_length ||
		    util_parse_uint(v, vl, HTTP_CL_MAX, &req->content_length) == -1)
			return -1;
		req->has_length = 1;
	} else if (NAME_IS("transfer-encoding")) {
		/* Only "chunked", once, is a coding we can frame. */
		if (req->chunked || vl != 7 || !util_strncaseeq(v, "chunked", 7))
			return -1;
		req->chunked = 1;
	} else if (NAME_IS("expect")) {
		if (vl == 12 && util_strncaseeq(v, "100-continue", 12))
			req->expect_continue = 1;
		else
			req->expect_other = 1;
	} else if (NAME_IS("if-modified-since")) {
		req->if_modified_since.p = v;
		req->if_modified_since.len = vl;
	} else if (NAME_IS("if-none-match")) {
		req->if_none_match.p = v;
		req->if_none_match.len = vl;
	} else if (NAME_IS("if-match")) {
		req->if_match.p = v;
		req->if_match.len = vl;
	} else if (NAME_IS("if-unmodified-since")) {
		req->if_unmodified_since.p = v;
		req->if_unmodified_since.len = vl;
	} else if (NAME_IS("if-range")) {
		req->if_range.p = v;
		req->if_range.len = vl;
	} else if (NAME_IS("range")) {
		req->range.p = v;
		req->range.len = vl;
	} else if (NAME_IS("accept-encoding")) {
		req->accept_encoding.p = v;
		req->accept_encoding.len = vl;
	} else if (NAME_IS("referer")) {
		req->referer.p = v;
		req->referer.len = vl;
	} else if (NAME_IS("user-agent")) {
		req->user_agent.p = v;
		req->user_agent.len = vl;
	}
	return 0;
}

int
http_list_has(const char *p, size_t len, const char *token)
{
	size_t		 tl = strlen(token), el;
	const char	*end = p + len, *e;

	while (p < end) {
		if ((e = memchr(p, ',', (size_t)(end - p))) == NULL)
			e = end;
		el = (size_t)(e - p);
		util_trim_ows(&p, &el);
		if (el == tl && util_strncaseeq(p, token, tl))
			return 1;
		p = e + 1;
	}
	return 0;
}

/*
 * The weight of one list member in thousandths ("q=0.5" -> 500), from
 * the text after its name: OWS ";" OWS "q=" qvalue (RFC 9110 section
 * 12.4.2).  No weight means 1000; a malformed one gives -1, and the
 * member is then ignored.
 */
static int
qvalue(const char *p, size_t len)
{
	size_t	i;
	int	v = 0, digits = 0, whole;

	while (len > 0 && (*p == ';' || *p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	if (len == 0 || len < 2 || util_tolower((unsigned char)p[0]) != 'q' ||
	    p[1] != '=')
		return 1000;
	p += 2;
	len -= 2;
	if (len == 0 || (p[0] != '0' && p[0] != '1'))
		return -1;
	whole = p[0] - '0';
	if (len > 1) {
		if (p[1] != '.' || len > 5)
			return -1;
		for (i = 2; i < len; i++, digits++) {
			if (p[i] < '0' || p[i] > '9')
				return -1;
			v = v * 10 + (p[i] - '0');
		}
	}
	for (; digits < 3; digits++)
		v *= 10;
	if (whole == 1)
		return v == 0 ? 1000 : -1;
	return v;
}

int
http_accepts_coding(const char *p, size_t len, const char *coding)
{
	const char	*end = p + len, *e, *semi;
	size_t		 cl = strlen(coding), el, nl;
	int		 star = -1, named = -1, q;

	while (p < end) {
		if ((e = memchr(p, ',', (size_t)(end - p))) == NULL)
			e = end;
		el = (size_t)(e - p);
		util_trim_ows(&p, &el);
		semi = memchr(p, ';', el);
		nl = semi ? (size_t)(semi - p) : el;
		util_trim_ows(&p, &nl);
		q = qvalue(p + nl, el - nl);
		if (q >= 0) {
			if (nl == cl && util_strncaseeq(p, coding, cl))
				named = q;
			else if (nl == 1 && p[0] == '*')
				star = q;
		}
		p = e + 1;
	}
	if (named >= 0)
		return named > 0;
	return star > 0;
}

enum {
	CH_SIZE = 0, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF,
	CH_TRAILER, CH_TRAILER_LINE, CH_END_LF
};
#define CH_LINE_MAX	4096
#define CH_SIZE_DIGITS	15	/* keeps the size below 2^60 */

/*
 * chunked-body (RFC 9112 section 7.1): size in hex, optional extensions,
 * CRLF, data, CRLF, ..., a zero size, trailer lines, an empty line.
 * linelen counts hex digits in CH_SIZE and line bytes elsewhere.
 */
enum http_parse
http_chunked_skip(struct http_chunked *c, const char *buf, size_t len,
    size_t *used)
{
	size_t	i = 0, n;
	int	ch, d;

	while (i < len) {
		if (c->state == CH_DATA) {
			n = len - i;
			if ((uint64_t)n > c->remain)
				n = (size_t)c->remain;
			c->remain -= n;
			i += n;
			if (c->remain == 0)
				c->state = CH_DATA_CR;
			continue;
		}
		ch = (unsigned char)buf[i++];
		switch (c->state) {
		case CH_SIZE:
			d = util_hexval(ch);
			if (d >= 0) {
				if (++c->linelen > CH_SIZE_DIGITS)
					goto bad;
				c->remain = c->remain * 16 + (uint64_t)d;
				break;
			}
			if (c->linelen == 0)
				goto bad;
			if (ch == ';' || ch == ' ' || ch == '\t')
				c->state = CH_EXT;
			else if (ch == '\r')
				c->state = CH_SIZE_LF;
			else if (ch == '\n')
				goto size_done;
			else
				goto bad;
			c->linelen = 0;
			break;
		case CH_EXT:
			if (ch == '\n')
				goto size_done;
			if (++c->linelen > CH_LINE_MAX ||
			    (ch < 0x20 && ch != '\t' && ch != '\r'))
				goto bad;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				goto bad;
		size_done:
			c->linelen = 0;
			c->state = c->remain == 0 ? CH_TRAILER : CH_DATA;
			break;
		case CH_DATA_CR:
			if (ch == '\n')
				c->state = CH_SIZE;
			else if (ch == '\r')
				c->state = CH_DATA_LF;
			else
				goto bad;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				goto bad;
			c->state = CH_SIZE;
			break;
		case CH_TRAILER:
			if (ch == '\n')
				goto done;
			c->state = ch == '\r' ? CH_END_LF : CH_TRAILER_LINE;
			c->linelen = 1;
			break;
		case CH_TRAILER_LINE:
			if (ch == '\n')
				c->state = CH_TRAILER;
			else if (++c->linelen > CH_LINE_MAX)
				goto bad;
			break;
		case CH_END_LF:
			if (ch != '\n')
				goto bad;
			goto done;
		}
	}
	*used = i;
	return HTTP_PARSE_AGAIN;
done:
	*used = i;
	return HTTP_PARSE_DONE;
bad:
	*used = i;
	return HTTP_PARSE_ERROR;
}

const char *
http_method_str(enum http_method m)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(methods); i++)
		if (methods[i].m == m)
			return methods[i].name;
	return "-";
}

#define ERR_BODY(code, text) \
	{ code, text, "<!DOCTYPE html>\n<html><head><title>" #code " " text \
	    "</title></head>\n<body><h1>" #code " " text "</h1></body></html>\n" }

static const struct {
	int		 status;
	const char	*reason;
	const char	*body;
} statuses[] = {
	{ 100, "Continue", NULL },
	{ 200, "OK", NULL },
	{ 206, "Partial Content", NULL },
	{ 304, "Not Modified", NULL },
	ERR_BODY(301, "Moved Permanently"),
	ERR_BODY(400, "Bad Request"),
	ERR_BODY(403, "Forbidden"),
	ERR_BODY(404, "Not Found"),
	ERR_BODY(405, "Method Not Allowed"),
	ERR_BODY(408, "Request Timeout"),
	ERR_BODY(412, "Precondition Failed"),
	ERR_BODY(414, "URI Too Long"),
	ERR_BODY(416, "Range Not Satisfiable"),
	ERR_BODY(417, "Expectation Failed"),
	ERR_BODY(431, "Request Header Fields Too Large"),
	ERR_BODY(500, "Internal Server Error"),
	ERR_BODY(501, "Not Implemented"),
	ERR_BODY(503, "Service Unavailable"),
	ERR_BODY(505, "HTTP Version Not Supported"),
};

const char *
http_reason(int status)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(statuses); i++)
		if (statuses[i].status == status)
			return statuses[i].reason;
	return "Unknown";
}

const char *
http_error_body(int status, size_t *len)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(statuses); i++)
		if (statuses[i].status == status && statuses[i].body != NULL) {
			*len = strlen(statuses[i].body);
			return statuses[i].body;
		}
	return http_error_body(500, len);
}

static void
put(struct hbuf *b, const char *s, size_t n)
{
	if (b->overflow || n > b->size - b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
puts_(struct hbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
put_uint(struct hbuf *b, uint64_t v)
{
	char	tmp[24];
	size_t	i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(b, tmp + i, sizeof(tmp) - i);
}

size_t
http_format_head(char *buf, size_t size, const struct http_response *r)
{
	struct hbuf	b = { buf, 0, size, 0 };
	char		date[HTTPDATE_LEN + 1];

	puts_(&b, "HTTP/1.1 ");
	put_uint(&b, (uint64_t)r->status);
	put(&b, " ", 1);
	puts_(&b, http_reason(r->status));
	puts_(&b, "\r\nServer: minihttpd");
	if (r->server_tokens)
		puts_(&b, "/" PACKAGE_VERSION);
	if (r->date != NULL) {
		puts_(&b, "\r\nDate: ");
		puts_(&b, r->date);
	}
	if (r->content_type != NULL) {
		puts_(&b, "\r\nContent-Type: ");
		puts_(&b, r->content_type);
		if (r->charset != NULL && r->charset[0] != '\0') {
			puts_(&b, "; charset=");
			puts_(&b, r->charset);
		}
	}
	if (r->has_length) {
		puts_(&b, "\r\nContent-Length: ");
		put_uint(&b, r->content_length);
	}
	if (r->lastmod != NULL) {
		puts_(&b, "\r\nLast-Modified: ");
		put(&b, r->lastmod, HTTPDATE_LEN);
	} else if (r->last_modified != 0) {
		httpdate_format(r->last_modified, date);
		puts_(&b, "\r\nLast-Modified: ");
		put(&b, date, HTTPDATE_LEN);
	}
	if (r->etag != NULL) {
		puts_(&b, "\r\nETag: ");
		puts_(&b, r->etag);
	}
	if (r->location != NULL) {
		puts_(&b, "\r\nLocation: ");
		puts_(&b, r->location);
	}
	if (r->allow != NULL) {
		puts_(&b, "\r\nAllow: ");
		puts_(&b, r->allow);
	}
	if (r->content_range != NULL) {
		puts_(&b, "\r\nContent-Range: bytes ");
		puts_(&b, r->content_range);
	}
	if (r->content_encoding != NULL) {
		puts_(&b, "\r\nContent-Encoding: ");
		puts_(&b, r->content_encoding);
	}
	if (r->vary != NULL) {
		puts_(&b, "\r\nVary: ");
		puts_(&b, r->vary);
	}
	if (r->accept_ranges)
		puts_(&b, "\r\nAccept-Ranges: bytes");
	puts_(&b, "\r\n");
	if (!r->keepalive)
		puts_(&b, "Connection: close\r\n");
	else if (r->http10)
		puts_(&b, "Connection: keep-alive\r\n");
	puts_(&b, "\r\n");
	return b.overflow ? 0 : b.len;
}
