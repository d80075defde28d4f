/*
 * get_xfer: request out, response in, for minihttp-get.  The framing
 * decisions are the pure response module's; this file moves the bytes
 * between the socket buffer and the caller's sink and says what went
 * wrong when a response is malformed or ends early.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client/get_xfer.h"
#include "core/http.h"
#include "core/util.h"

static int	get_has_header(const struct get_opts *, const char *);
static int	get_xfer_once(struct get_net *, const struct get_req *,
		    struct get_xfer *);
static int	get_xfer_head(struct get_xfer *);
static int	get_xfer_give(struct get_xfer *, get_sink, void *,
		    const char *, size_t);
static int	get_xfer_chunked(struct get_xfer *, get_sink, void *);

static int
get_has_header(const struct get_opts *o, const char *name)
{
	size_t	i, len = strlen(name);

	for (i = 0; i < o->nheaders; i++)
		if (util_strncaseeq(o->headers[i], name, len) &&
		    o->headers[i][len] == ':')
			return 1;
	return 0;
}

size_t
get_xfer_request(const struct get_opts *o, const struct get_req *q,
    char *buf, size_t size)
{
	char		 host[URL_AUTHORITY_MAX];
	const char	*colon, *v;
	size_t		 n = 0, i, vlen;
	int		 r = 0;

	if (url_host_header(q->url, host, sizeof(host)) == 0)
		return 0;
	r |= get_append(buf, size, &n, "%s %s HTTP/1.1\r\n",
	    o->head ? "HEAD" : "GET", q->url->path);
	if (!get_has_header(o, "Host"))
		r |= get_append(buf, size, &n, "Host: %s\r\n", host);
	if (!get_has_header(o, "User-Agent"))
		r |= get_append(buf, size, &n,
		    "User-Agent: " GET_NAME "/" PACKAGE_VERSION "\r\n");
	if (!get_has_header(o, "Accept"))
		r |= get_append(buf, size, &n, "Accept: */*\r\n");
	if (q->range != NULL && !get_has_header(o, "Range"))
		r |= get_append(buf, size, &n, "Range: bytes=%s\r\n", q->range);
	if (q->if_range != NULL && !get_has_header(o, "If-Range"))
		r |= get_append(buf, size, &n, "If-Range: %s\r\n", q->if_range);
	if (q->ims != NULL && !get_has_header(o, "If-Modified-Since"))
		r |= get_append(buf, size, &n, "If-Modified-Since: %s\r\n",
		    q->ims);
	if (q->last && !get_has_header(o, "Connection"))
		r |= get_append(buf, size, &n, "Connection: close\r\n");
	for (i = 0; i < o->nheaders; i++) {
		colon = strchr(o->headers[i], ':');
		v = colon + 1;
		vlen = strlen(v);
		util_trim_ows(&v, &vlen);
		if (vlen == 0)		/* "Name:" only removes a default */
			continue;
		r |= get_append(buf, size, &n, "%.*s: %.*s\r\n",
		    (int)(colon - o->headers[i]), o->headers[i], (int)vlen, v);
	}
	r |= get_append(buf, size, &n, "\r\n");
	return r == 0 ? n : 0;
}

/*
 * Reads until a final (non-1xx) response head is complete in the
 * connection buffer.  A reused connection that the server closed while
 * idle ends before the first byte: GET_RETRY asks for a new one.
 */
static int
get_xfer_head(struct get_xfer *x)
{
	struct get_conn		*c = x->conn;
	enum http_parse		 res;
	ssize_t			 n;

	response_init(&x->p, &x->r);
	for (;;) {
		res = response_parse(&x->p, c->buf, c->len, &x->r);
		if (res == HTTP_PARSE_ERROR) {
			get_net_close(x->net, c);
			return get_err(GET_EPROTO, "protocol error: %s: %s",
			    x->p.error, x->path);
		}
		if (res == HTTP_PARSE_DONE) {
			if (x->net->opts->verbose)
				get_print_prefixed("< ", c->buf, x->r.head_len);
			if (x->r.status >= 200)
				return GET_OK;
			if (x->r.status == 101) {
				get_net_close(x->net, c);
				return get_err(GET_EPROTO, "protocol error: "
				    "unexpected 101 response: %s", x->path);
			}
			/* An interim response: the final one follows. */
			c->len -= x->r.head_len;
			memmove(c->buf, c->buf + x->r.head_len, c->len);
			response_init(&x->p, &x->r);
			continue;
		}
		n = get_net_read(x->net, c, c->buf + c->len,
		    sizeof(c->buf) - c->len);
		if (n > 0) {
			c->len += (size_t)n;
			continue;
		}
		if (c->len == 0 && c->nresp > 0 &&
		    (n == 0 || errno == ECONNRESET))
			return GET_RETRY;
		if (n == -1)
			return get_net_error(x->net, c, errno, &x->net->total,
			    x->auth);
		get_net_close(x->net, c);
		if (c->len == 0)
			return get_err(GET_ENET, "connection closed without "
			    "a response: %s", x->auth);
		return get_err(GET_EPROTO, "protocol error: connection closed "
		    "in the response head: %s", x->path);
	}
}

static int
get_xfer_once(struct get_net *net, const struct get_req *q,
    struct get_xfer *x)
{
	char	req[GET_REQUEST_MAX];
	size_t	len;
	int	rc;

	if ((rc = get_net_open(net, q->url, q->auth, &x->conn)) != GET_OK)
		return rc;
	len = get_xfer_request(net->opts, q, req, sizeof(req));
	if (len == 0) {
		get_net_close(net, x->conn);
		return get_err(GET_EUSAGE, "request too large: %s",
		    q->url->path);
	}
	if (net->opts->verbose)
		get_print_prefixed("> ", req, len);
	x->conn->len = 0;
	if ((rc = get_net_send(net, x->conn, req, len, q->auth)) != GET_OK)
		return rc;
	return get_xfer_head(x);
}

int
get_xfer_start(struct get_net *net, const struct get_req *q,
    struct get_xfer *x)
{
	int	rc;

	memset(x, 0, sizeof(*x));
	x->net = net;
	x->path = q->url->path;
	x->auth = q->auth;
	if ((rc = get_xfer_once(net, q, x)) == GET_RETRY) {
		/* The server closed the idle connection: once more. */
		if (net->opts->verbose)
			get_info("connection closed by server, retrying");
		get_net_close(net, x->conn);
		rc = get_xfer_once(net, q, x);
		if (rc == GET_RETRY) {	/* cannot happen on a new one */
			get_net_close(net, x->conn);
			rc = get_err(GET_ENET, "connection closed: %s", q->auth);
		}
	}
	if (rc != GET_OK)
		return rc;
	x->how = response_body(&x->r, net->opts->head);
	x->keep = !x->r.close && !q->last;
	return GET_OK;
}

/*
 * Hands body bytes to the sink.  Bodies nobody wants (error pages,
 * redirects) are read only up to GET_DRAIN_MAX to keep the connection;
 * past that it is cheaper to close it.  Returns GET_OK to go on, 1 to
 * stop quietly, or an exit status.
 */
static int
get_xfer_give(struct get_xfer *x, get_sink sink, void *arg, const char *p,
    size_t len)
{
	x->got += len;
	if (sink != NULL)
		return sink(arg, p, len);
	if (x->got <= GET_DRAIN_MAX)
		return GET_OK;
	x->keep = 0;
	return 1;
}

int
get_xfer_body(struct get_xfer *x, get_sink sink, void *arg)
{
	struct get_conn	*c = x->conn;
	const struct response *r = &x->r;
	uint64_t	 remain;
	size_t		 n;
	ssize_t		 rd;
	int		 rc;

	switch (x->how) {
	case RESPONSE_BODY_NONE:
		x->keep = x->keep && c->len == r->head_len;
		return GET_OK;
	case RESPONSE_BODY_CHUNKED:
		return get_xfer_chunked(x, sink, arg);
	case RESPONSE_BODY_CLOSE:
		x->keep = 0;
		remain = UINT64_MAX;
		break;
	case RESPONSE_BODY_LENGTH:
	default:
		remain = r->content_length;
		break;
	}
	n = c->len - r->head_len;
	if (n > remain) {	/* bytes nobody asked for: do not reuse */
		n = (size_t)remain;
		x->keep = 0;
	}
	if (n > 0 && (rc = get_xfer_give(x, sink, arg, c->buf + r->head_len,
	    n)) != GET_OK)
		return rc == 1 ? GET_OK : rc;
	for (remain -= n; remain > 0; remain -= (size_t)rd) {
		n = remain < sizeof(c->buf) ? (size_t)remain : sizeof(c->buf);
		if ((rd = get_net_read(x->net, c, c->buf, n)) == -1)
			return get_net_error(x->net, c, errno, &x->net->total,
			    x->auth);
		if (rd == 0 && x->how == RESPONSE_BODY_CLOSE &&
		    get_net_cut(c)) {
			get_net_close(x->net, c);
			return get_err(GET_EPROTO, "transfer truncated: got %ju "
			    "bytes, then the connection ended without TLS "
			    "close_notify: %s", (uintmax_t)x->got, x->path);
		}
		if (rd == 0 && x->how == RESPONSE_BODY_CLOSE)
			return GET_OK;
		if (rd == 0) {
			get_net_close(x->net, c);
			return get_err(GET_EPROTO, "transfer truncated: got %ju "
			    "of %ju bytes: %s", (uintmax_t)x->got,
			    (uintmax_t)x->r.content_length, x->path);
		}
		if ((rc = get_xfer_give(x, sink, arg, c->buf, (size_t)rd)) !=
		    GET_OK)
			return rc == 1 ? GET_OK : rc;
	}
	return GET_OK;
}

static int
get_xfer_chunked(struct get_xfer *x, get_sink sink, void *arg)
{
	struct get_conn		*c = x->conn;
	struct http_chunked	 ch;
	enum http_parse		 res;
	const char		*data;
	size_t			 off = x->r.head_len, used, dlen;
	ssize_t			 rd;
	int			 rc;

	http_chunked_init(&ch, HTTP_CHUNKED_STRICT);
	for (;;) {
		while (off < c->len) {
			res = http_chunked(&ch, c->buf + off, c->len - off,
			    &used, &data, &dlen);
			off += used;
			if (dlen > 0 && (rc = get_xfer_give(x, sink, arg, data,
			    dlen)) != GET_OK)
				return rc == 1 ? GET_OK : rc;
			if (res == HTTP_PARSE_ERROR) {
				get_net_close(x->net, c);
				return get_err(GET_EPROTO, "protocol error: %s: "
				    "%s", ch.error, x->path);
			}
			if (res == HTTP_PARSE_DONE) {
				x->keep = x->keep && off == c->len;
				return GET_OK;
			}
		}
		if ((rd = get_net_read(x->net, c, c->buf, sizeof(c->buf))) == -1)
			return get_net_error(x->net, c, errno, &x->net->total,
			    x->auth);
		if (rd == 0) {
			get_net_close(x->net, c);
			return get_err(GET_EPROTO, "transfer truncated: got %ju "
			    "bytes of a chunked body: %s", (uintmax_t)x->got,
			    x->path);
		}
		c->len = (size_t)rd;
		off = 0;
	}
}

void
get_xfer_finish(struct get_xfer *x, int ok)
{
	if (x->conn == NULL || x->conn->fd == -1)
		return;
	if (ok && x->keep)
		x->conn->nresp++;
	else
		get_net_close(x->net, x->conn);
}
