/*
 * conn: one connection, from accept to close.  The states are listed in
 * conn.h.  Every wait is bounded: the head by a total deadline
 * (timeouts.header, not reset per byte), an idle keep-alive connection by
 * timeouts.keepalive, a stalled write by timeouts.send, a lingering close
 * by CONN_LINGER_SECS.
 *
 * A request is served with at most: one read, parse in place, one
 * openat2 + fstat, then the head with MSG_MORE and the body with
 * sendfile(2), so file bytes never pass through user space.  Errors are
 * answered with fixed bodies that never echo the request.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "autoindex.h"
#include "conn.h"
#include "log.h"
#include "mime.h"
#include "uri.h"
#include "util.h"

#define CONN_LINGER_SECS	2
#define CONN_LINGER_BYTES	(256 * 1024)
#define CONN_SEND_SLICE		(1024 * 1024)	/* per wake-up, for fairness */
#define CONN_DISCARD_MAX	(1024 * 1024)	/* request body we drop */
#define CONN_PATH_MAX		4096
#define CONN_LOG_FIELD		512
#define ETAG_MAX		64

static void	on_read(evutil_socket_t, short, void *);
static void	on_write(evutil_socket_t, short, void *);
static void	on_timer(evutil_socket_t, short, void *);
static void	set_timer(struct conn *, int);
static void	want_read(struct conn *);
static void	close_conn(struct conn *);
static void	linger(struct conn *);
static void	process(struct conn *);
static void	serve(struct conn *);
static void	serve_file(struct conn *, const char *, struct resolve_result *);
static void	serve_listing(struct conn *, const char *,
		    struct resolve_result *);
static void	redirect(struct conn *, const char *, long);
static void	error(struct conn *, int, const char *);
static void	start_send(struct conn *, struct http_response *);
static void	send_more(struct conn *);
static void	done_response(struct conn *);
static int	drop_body(struct conn *);
static void	access_log(struct conn *);
static size_t	log_escape(char *, size_t, const char *, size_t);
static void	reset_response(struct conn *);

void
conn_accept(struct worker *w, int fd, const struct sockaddr *sa,
    socklen_t salen)
{
	struct conn	*c;
	char		 host[INET6_ADDRSTRLEN];
	const void	*addr;

	if ((c = w->spare) != NULL) {
		w->spare = c->next;
	} else if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->in = malloc((size_t)w->limits.max_head + 16)) == NULL) {
		log_warn("accept: no memory for a connection");
		free(c);
		close(fd);
		return;
	}
	c->insize = w->limits.max_head + 16;
	c->w = w;
	c->fd = fd;
	c->file = -1;
	c->inlen = 0;
	c->nreq = 0;
	c->have_req = 0;
	c->pending = 0;
	c->listing = NULL;
	memset(&c->ps, 0, sizeof(c->ps));
	reset_response(c);
	c->state = CONN_HEAD;

	addr = sa->sa_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr :
	    (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	if (salen == 0 || inet_ntop(sa->sa_family, addr, host,
	    sizeof(host)) == NULL)
		util_strlcpy(host, "-", sizeof(host));
	util_strlcpy(c->peer, host, sizeof(c->peer));

	event_assign(&c->rev, w->base, fd, EV_READ, on_read, c);
	event_assign(&c->wev, w->base, fd, EV_WRITE, on_write, c);
	evtimer_assign(&c->timer, w->base, on_timer, c);

	c->prev = NULL;
	c->next = w->conns;
	if (w->conns != NULL)
		w->conns->prev = c;
	w->conns = c;
	w->nconns++;

	set_timer(c, w->conf->timeouts.header);
	/* The request usually arrives with the connection: try at once. */
	on_read(fd, EV_READ, c);
}

static void
reset_response(struct conn *c)
{
	c->headlen = c->headoff = 0;
	c->body = NULL;
	c->bodylen = c->bodyoff = 0;
	free(c->listing);
	c->listing = NULL;
	if (c->file != -1)
		close(c->file);
	c->file = -1;
	c->fileoff = c->fileend = 0;
	c->status = 0;
	c->sent = 0;
	c->discard = 0;
	c->discard_chunked = 0;
	memset(&c->chunk, 0, sizeof(c->chunk));
}

static void
set_timer(struct conn *c, int secs)
{
	struct timeval	tv = { secs, 0 };

	evtimer_add(&c->timer, &tv);
}

static void
want_read(struct conn *c)
{
	event_add(&c->rev, NULL);
}

static void
close_conn(struct conn *c)
{
	struct worker	*w = c->w;

	event_del(&c->rev);
	event_del(&c->wev);
	evtimer_del(&c->timer);
	close(c->fd);
	c->fd = -1;
	reset_response(c);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->next = w->spare;
	w->spare = c;
	w->nconns--;
	worker_conn_closed(w);
}

/*
 * Half-close and read until the peer closes, so that the kernel does not
 * answer unread request bytes with a reset that destroys the response we
 * just sent.
 */
static void
linger(struct conn *c)
{
	if (shutdown(c->fd, SHUT_WR) == -1) {
		close_conn(c);
		return;
	}
	c->state = CONN_LINGER;
	c->discard = CONN_LINGER_BYTES;
	event_del(&c->wev);
	set_timer(c, CONN_LINGER_SECS);
	want_read(c);
}

static void
on_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;

	switch (c->state) {
	case CONN_HEAD:
		/* Bytes of a head arrived, but not all in time. */
		if (c->inlen > 0) {
			log_debug("%s: request head timed out", c->peer);
			c->keepalive = 0;
			error(c, 408, NULL);
			return;
		}
		break;
	case CONN_SEND:
		log_info("%s: send timed out after %lld of %lld bytes",
		    c->peer, (long long)c->sent, (long long)(c->sent +
		    (uint64_t)(c->fileend - c->fileoff) + c->bodylen -
		    c->bodyoff));
		c->keepalive = 0;
		access_log(c);
		break;
	default:
		break;
	}
	close_conn(c);
}

static void
on_read(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;
	char		 sink[4096];

	if (c->state == CONN_LINGER) {
		while ((n = read(c->fd, sink, sizeof(sink))) > 0 &&
		    (uint64_t)n < c->discard)
			c->discard -= (uint64_t)n;
		if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			want_read(c);
			return;
		}
		close_conn(c);
		return;
	}
	if (c->pending) {
		/* Pipelined bytes already buffered (see done_response). */
		c->pending = 0;
		process(c);
		return;
	}
	if (c->inlen == c->insize) {
		process(c);
		return;
	}
	n = read(c->fd, c->in + c->inlen, c->insize - c->inlen);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR) {
			want_read(c);
			return;
		}
		if (errno != ECONNRESET)
			log_debug("%s: read: %s", c->peer, strerror(errno));
		close_conn(c);
		return;
	}
	if (n == 0) {
		close_conn(c);
		return;
	}
	c->inlen += (size_t)n;
	if (c->state == CONN_IDLE) {
		/* The first bytes of a new request start its deadline. */
		c->state = CONN_HEAD;
		set_timer(c, c->w->conf->timeouts.header);
	}
	process(c);
}

/* Drops request-body bytes from the buffer; 1 when the body is gone. */
static int
drop_body(struct conn *c)
{
	size_t			used, n;
	enum http_parse		r;

	if (c->discard_chunked) {
		r = http_chunked_skip(&c->chunk, c->in, c->inlen, &used);
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
		c->discard += used;
		if (r == HTTP_PARSE_ERROR || c->discard > CONN_DISCARD_MAX) {
			c->keepalive = 0;
			return -1;
		}
		if (r == HTTP_PARSE_DONE) {
			c->discard_chunked = 0;
			c->discard = 0;
			return 1;
		}
		return 0;
	}
	n = c->inlen < c->discard ? c->inlen : (size_t)c->discard;
	memmove(c->in, c->in + n, c->inlen - n);
	c->inlen -= n;
	c->discard -= n;
	return c->discard == 0;
}

/* Parses what is buffered and acts on it. */
static void
process(struct conn *c)
{
	enum http_parse	r;
	int		status = 400;

	if (c->state == CONN_BODY) {
		switch (drop_body(c)) {
		case 1:
			c->state = CONN_HEAD;
			break;
		case 0:
			want_read(c);
			return;
		default:
			linger(c);
			return;
		}
		if (c->inlen == 0) {
			c->state = CONN_IDLE;
			set_timer(c, c->w->conf->timeouts.keepalive);
			want_read(c);
			return;
		}
		set_timer(c, c->w->conf->timeouts.header);
	}

	r = http_parse_request(&c->ps, c->in, c->inlen, &c->w->limits,
	    &c->req, &status);
	if (r == HTTP_PARSE_AGAIN) {
		want_read(c);
		return;
	}
	c->nreq++;
	if (r == HTTP_PARSE_ERROR) {
		/* The framing is unknown: answer and close. */
		c->have_req = 0;
		c->keepalive = 0;
		error(c, status, 0);
		return;
	}
	c->have_req = 1;
	c->keepalive = c->req.keepalive && !c->w->draining &&
	    c->nreq < (unsigned)c->w->conf->limits.max_keepalive_requests;
	if (c->req.has_length && c->req.content_length > 0) {
		c->discard = c->req.content_length;
		/* A client waiting for 100-continue may never send it. */
		if (c->req.expect_continue ||
		    c->discard > CONN_DISCARD_MAX)
			c->keepalive = 0;
	} else if (c->req.chunked) {
		c->discard_chunked = 1;
		if (c->req.expect_continue)
			c->keepalive = 0;
	}
	serve(c);
}

static void
serve(struct conn *c)
{
	struct worker		*w = c->w;
	char			 path[CONN_PATH_MAX];
	struct resolve_result	 res;
	long			 query;

	switch (c->req.method) {
	case HTTP_METHOD_GET:
	case HTTP_METHOD_HEAD:
		break;
	case HTTP_METHOD_UNKNOWN:
		error(c, 501, NULL);
		return;
	default:
		error(c, 405, NULL);
		return;
	}
	switch (uri_normalize(c->req.path.p, c->req.path.len, path,
	    sizeof(path), &query)) {
	case URI_OK:
		break;
	case URI_TOO_LONG:
		error(c, 414, NULL);
		return;
	default:
		error(c, 400, NULL);
		return;
	}
	switch (resolve_path(&w->ropts, path, &res)) {
	case RESOLVE_FILE:
		serve_file(c, path, &res);
		return;
	case RESOLVE_LISTING:
		serve_listing(c, path, &res);
		return;
	case RESOLVE_REDIRECT:
		redirect(c, path, query);
		return;
	case RESOLVE_NOT_FOUND:
		error(c, 404, NULL);
		return;
	case RESOLVE_FORBIDDEN:
		error(c, 403, NULL);
		return;
	case RESOLVE_ERROR:
		log_warn("%s: cannot open %s", c->peer, path);
		error(c, 500, NULL);
		return;
	}
}

static void
serve_file(struct conn *c, const char *path, struct resolve_result *res)
{
	const struct conf	*conf = c->w->conf;
	struct http_response	 r;
	char			 etag[ETAG_MAX];
	const char		*type;

	type = mime_lookup(&conf->mime, res->index ? res->index : path);
	if (type == NULL)
		type = conf->default_type;
	/* Strong: changes with the inode, the size and the nanoseconds. */
	snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx\"",
	    (unsigned long long)res->st.st_ino,
	    (unsigned long long)res->st.st_size,
	    (unsigned long long)res->st.st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)res->st.st_mtim.tv_nsec);

	memset(&r, 0, sizeof(r));
	r.status = 200;
	r.content_type = type;
	r.charset = mime_is_text(type) ? conf->charset : NULL;
	r.has_length = 1;
	r.content_length = (uint64_t)res->st.st_size;
	r.last_modified = res->st.st_mtime;
	r.etag = etag;
	c->file = res->fd;
	c->fileoff = 0;
	c->fileend = c->req.method == HTTP_METHOD_HEAD ? 0 : res->st.st_size;
	start_send(c, &r);
}

static void
serve_listing(struct conn *c, const char *path, struct resolve_result *res)
{
	struct http_response	r;
	size_t			len;

	if (autoindex_render(res->fd, path, c->w->conf->dotfiles,
	    &c->listing, &len) == -1) {
		log_warn("%s: cannot list %s", c->peer, path);
		close(res->fd);
		error(c, 500, NULL);
		return;
	}
	close(res->fd);
	memset(&r, 0, sizeof(r));
	r.status = 200;
	r.content_type = "text/html";
	r.charset = "utf-8";
	r.has_length = 1;
	r.content_length = len;
	c->body = c->listing;
	c->bodylen = c->req.method == HTTP_METHOD_HEAD ? 0 : len;
	start_send(c, &r);
}

/* A directory named without its slash: 301 to "path/" keeping the query. */
static void
redirect(struct conn *c, const char *path, long query)
{
	char	enc[CONN_PATH_MAX], loc[CONN_PATH_MAX + 16];
	size_t	qlen = 0;

	if (uri_encode_path(path, enc, sizeof(enc)) != URI_OK) {
		error(c, 414, NULL);
		return;
	}
	/* The query passed the request-line check: visible ASCII only. */
	if (query >= 0)
		qlen = c->req.path.len - (size_t)query;
	if ((size_t)snprintf(loc, sizeof(loc), "%s/%.*s", enc, (int)qlen,
	    qlen ? c->req.path.p + query : "") >= sizeof(loc)) {
		error(c, 414, NULL);
		return;
	}
	error(c, 301, loc);
}

/* A fixed page for status, with a Location for redirects. */
static void
error(struct conn *c, int status, const char *location)
{
	struct http_response	r;
	size_t			blen;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.content_type = "text/html";
	r.charset = "utf-8";
	r.has_length = 1;
	r.location = location;
	if (status == 405)
		r.allow = "GET, HEAD";
	c->body = http_error_body(status, &blen);
	r.content_length = blen;
	c->bodylen = c->have_req && c->req.method == HTTP_METHOD_HEAD ? 0 :
	    blen;
	start_send(c, &r);
}

static void
start_send(struct conn *c, struct http_response *r)
{
	struct worker	*w = c->w;

	worker_clock(w);
	r->date = w->date;
	r->server_tokens = w->conf->server_tokens;
	if (w->draining)
		c->keepalive = 0;
	r->keepalive = c->keepalive;
	r->http10 = c->have_req && c->req.minor == 0;
	c->status = r->status;
	if ((c->headlen = http_format_head(c->head, sizeof(c->head), r)) == 0) {
		log_warnx("%s: response head does not fit", c->peer);
		close_conn(c);
		return;
	}
	c->headoff = 0;
	c->state = CONN_SEND;
	event_del(&c->rev);
	set_timer(c, w->conf->timeouts.send);
	send_more(c);
}

/*
 * Sends as much as the socket takes, up to CONN_SEND_SLICE per wake-up so
 * one fast download cannot starve the other connections of the worker.
 */
static void
send_more(struct conn *c)
{
	struct iovec	iov[2];
	size_t		budget = CONN_SEND_SLICE, chunk;
	ssize_t		n;
	int		more;

	while (c->headoff < c->headlen || c->bodyoff < c->bodylen) {
		iov[0].iov_base = c->head + c->headoff;
		iov[0].iov_len = c->headlen - c->headoff;
		iov[1].iov_base = (char *)(uintptr_t)(c->body + c->bodyoff);
		iov[1].iov_len = c->bodylen - c->bodyoff;
		if (iov[1].iov_len == 0) {
			/* Keep the head in the packet with the file data. */
			more = c->fileoff < c->fileend ? MSG_MORE : 0;
			n = send(c->fd, iov[0].iov_base, iov[0].iov_len,
			    MSG_NOSIGNAL | more);
		} else if (iov[0].iov_len == 0) {
			n = send(c->fd, iov[1].iov_base, iov[1].iov_len,
			    MSG_NOSIGNAL);
		} else
			n = writev(c->fd, iov, 2);
		if (n == -1)
			goto wouldblock;
		chunk = (size_t)n < iov[0].iov_len ? (size_t)n : iov[0].iov_len;
		c->headoff += chunk;
		c->bodyoff += (size_t)n - chunk;
		c->sent += (size_t)n - chunk;
	}
	while (c->fileoff < c->fileend) {
		if (budget == 0) {
			event_add(&c->wev, NULL);
			return;
		}
		chunk = (size_t)(c->fileend - c->fileoff);
		if (chunk > budget)
			chunk = budget;
		n = sendfile(c->fd, c->file, &c->fileoff, chunk);
		if (n == -1)
			goto wouldblock;
		if (n == 0) {
			/* The file shrank under us: the length is a lie now. */
			log_warnx("%s: file truncated while sending", c->peer);
			c->keepalive = 0;
			access_log(c);
			close_conn(c);
			return;
		}
		budget -= (size_t)n;
		c->sent += (uint64_t)n;
	}
	done_response(c);
	return;
wouldblock:
	if (errno == EAGAIN || errno == EINTR) {
		event_add(&c->wev, NULL);
		set_timer(c, c->w->conf->timeouts.send);
		return;
	}
	if (errno != EPIPE && errno != ECONNRESET)
		log_debug("%s: send: %s", c->peer, strerror(errno));
	c->keepalive = 0;
	access_log(c);
	close_conn(c);
}

static void
on_write(evutil_socket_t fd, short ev, void *arg)
{
	send_more(arg);
}

static void
done_response(struct conn *c)
{
	size_t	used;

	access_log(c);
	used = c->have_req ? c->req.head_len : c->inlen;
	if (c->file != -1) {
		close(c->file);
		c->file = -1;
	}
	free(c->listing);
	c->listing = NULL;
	if (!c->keepalive || c->w->draining) {
		linger(c);
		return;
	}
	memmove(c->in, c->in + used, c->inlen - used);
	c->inlen -= used;
	memset(&c->ps, 0, sizeof(c->ps));
	c->have_req = 0;
	c->headlen = c->headoff = c->bodylen = c->bodyoff = 0;
	c->body = NULL;
	c->status = 0;
	c->sent = 0;
	if (c->discard > 0 || c->discard_chunked) {
		c->state = CONN_BODY;
	} else if (c->inlen > 0) {
		c->state = CONN_HEAD;
		set_timer(c, c->w->conf->timeouts.header);
	} else {
		c->state = CONN_IDLE;
		set_timer(c, c->w->conf->timeouts.keepalive);
		want_read(c);
		return;
	}
	/* Pipelined bytes: handle them on the next loop turn, not by
	 * recursion, so a long pipeline cannot grow the stack. */
	c->pending = 1;
	event_active(&c->rev, EV_READ, 0);
}

/* Quotes, backslashes and non-printable bytes become \xHH. */
static size_t
log_escape(char *dst, size_t size, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, n = 0;
	unsigned char		ch;

	for (i = 0; i < len && n + 5 < size; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			dst[n++] = '\\';
			dst[n++] = 'x';
			dst[n++] = hex[ch >> 4];
			dst[n++] = hex[ch & 15];
		} else
			dst[n++] = (char)ch;
	}
	if (n == 0)
		dst[n++] = '-';
	dst[n] = '\0';
	return n;
}

/* Combined Log Format, one write per line. */
static void
access_log(struct conn *c)
{
	char		 line[LOG_LINE_MAX], rl[CONN_LOG_FIELD];
	char		 ref[CONN_LOG_FIELD], ua[CONN_LOG_FIELD];
	char		 bytes[24];
	const char	*p;
	size_t		 len;
	int		 n;

	if (!accesslog_enabled())
		return;
	worker_clock(c->w);
	if (c->have_req) {
		len = c->ps.line_end - 1 - (size_t)(c->req.method_name.p - c->in);
		if (len > 0 && c->req.method_name.p[len - 1] == '\r')
			len--;
		log_escape(rl, sizeof(rl), c->req.method_name.p, len);
		log_escape(ref, sizeof(ref), c->req.referer.p,
		    c->req.referer.len);
		log_escape(ua, sizeof(ua), c->req.user_agent.p,
		    c->req.user_agent.len);
	} else {
		/* Unparsable: log what the first line held, escaped. */
		p = memchr(c->in, '\n', c->inlen);
		len = p ? (size_t)(p - c->in) : c->inlen;
		if (len > 0 && c->in[len - 1] == '\r')
			len--;
		log_escape(rl, sizeof(rl), c->in, len);
		util_strlcpy(ref, "-", sizeof(ref));
		util_strlcpy(ua, "-", sizeof(ua));
	}
	if (c->sent == 0)
		util_strlcpy(bytes, "-", sizeof(bytes));
	else
		snprintf(bytes, sizeof(bytes), "%llu",
		    (unsigned long long)c->sent);
	n = snprintf(line, sizeof(line), "%s - - [%s] \"%s\" %d %s \"%s\" "
	    "\"%s\"\n", c->peer, c->w->clf, rl, c->status, bytes, ref, ua);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	accesslog_write(line, (size_t)n);
}

void
conn_drain_all(struct worker *w)
{
	struct conn	*c, *next;

	for (c = w->conns; c != NULL; c = next) {
		next = c->next;
		if (c->state == CONN_IDLE)
			close_conn(c);
	}
}

void
conn_close_all(struct worker *w)
{
	struct conn	*c;

	while ((c = w->conns) != NULL)
		close_conn(c);
	while ((c = w->spare) != NULL) {
		w->spare = c->next;
		free(c->in);
		free(c);
	}
}
