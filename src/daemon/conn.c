/*
 * conn: one connection, from accept to close.  The states are listed in
 * conn.h.  Every wait is bounded: the head by a total deadline
 * (timeouts.header, not reset per byte), an idle keep-alive connection by
 * timeouts.keepalive, a stalled write by timeouts.send, a lingering close
 * by CONN_LINGER_SECS.  A connection ends in one place, finish(): the
 * response cut short (a timeout, an error, a stop) is logged there with
 * the bytes actually sent.
 *
 * The pipeline runs one way: the parser fills c->buf->req, serve fills c->buf->ans
 * (what to answer), this file formats the head and moves the bytes
 * through the connection's transport (transport.h), so that an
 * encrypting transport changes nothing here.  A request for a cached
 * small file costs one read, the parse in place, and one writev of head
 * and body; a large file goes out as the head with MSG_MORE and then
 * sendfile(2), so its bytes never pass through user space.  The read
 * event stays armed for the whole connection, so keep-alive costs no
 * epoll_ctl per request.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "core/clf.h"
#include "core/util.h"
#include "daemon/conn.h"
#include "daemon/log.h"
#ifdef HAVE_OPENSSL
#include "daemon/sites.h"
#include "daemon/tls.h"
#endif

#define CONN_LINGER_SECS	2
#define CONN_DRAIN_GRACE_SECS	1
#define CONN_LINGER_BYTES	(256 * 1024)
#define CONN_SEND_SLICE		(1024 * 1024)	/* per wake-up, for fairness */
#define CONN_DISCARD_MAX	(1024 * 1024)	/* request body we drop */
#define CONN_PREAD_MAX		(16 * 1024)	/* one TLS record of a file */
#define CONN_RETRY_MSEC		10		/* a blocked hand-off */
#define CONN_TRIM_BYTES		(1024 * 1024)	/* freed before a trim */

static void	on_read(evutil_socket_t, short, void *);
static void	on_write(evutil_socket_t, short, void *);
static void	on_timer(evutil_socket_t, short, void *);
static void	on_retry(evutil_socket_t, short, void *);
static void	timeout(struct conn *);
static long	now_msec(void);
static void	arm(struct conn_pool *);
static void	set_timer(struct conn *, enum conn_timer);
static void	clear_timer(struct conn *);
static int	buf_get(struct conn *);
static void	buf_put(struct conn *);
static void	want_read(struct conn *);
static void	stop_read(struct conn *);
static void	read_ahead(struct conn *);
static void	close_conn(struct conn *);
static void	finish(struct conn *);
static void	linger(struct conn *);
static void	process(struct conn *);
static void	answer_error(struct conn *, int);
static void	start_send(struct conn *);
static void	send_more(struct conn *);
static ssize_t	send_file(struct conn *, struct serve_seg *, size_t);
static void	done_response(struct conn *);
static int	drop_body(struct conn *);
static void	access_log(struct conn *);
static void	adopt_addresses(struct conn *, int);
static int	can_pass(const struct conn *);
static struct conn	*conn_new(struct conn_pool *, int, const char *);
static int	passable(const struct conn *);
static int	conn_pass(struct conn *);
static void	retry_passes(struct conn_pool *);

void
conn_pool_init(struct conn_pool *p, struct event_base *base,
    const struct conf *conf, const struct serve_env *env, int handoff_fd,
    void (*closed)(void *), void *arg)
{
	memset(p, 0, sizeof(*p));
	p->base = base;
	p->conf = conf;
	p->env = env;
	p->limits.max_head = (size_t)conf->limits.max_request_header;
	p->limits.max_headers = (size_t)conf->limits.max_headers;
	p->insize = p->limits.max_head + 16;
	p->handoff_fd = handoff_fd;
	p->closed = closed;
	p->closed_arg = arg;
	p->tq[CONN_T_HEADER].msec = conf->timeouts.header * 1000L;
	p->tq[CONN_T_KEEPALIVE].msec = conf->timeouts.keepalive * 1000L;
	p->tq[CONN_T_SEND].msec = conf->timeouts.send * 1000L;
	p->tq[CONN_T_LINGER].msec = CONN_LINGER_SECS * 1000L;
	p->tq[CONN_T_GRACE].msec = CONN_DRAIN_GRACE_SECS * 1000L;
	evtimer_assign(&p->retry_ev, base, on_retry, p);
	evtimer_assign(&p->timer_ev, base, on_timer, p);
	conn_clock(p);
}

void
conn_pool_trim(struct conn_pool *p)
{
	if (p->freed < CONN_TRIM_BYTES)
		return;
	p->freed = 0;
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
}

/*
 * The buffers of a request in flight, from the pool's free list or
 * fresh.  -1 when there is no memory.
 */
static int
buf_get(struct conn *c)
{
	struct conn_pool	*p = c->pool;
	struct conn_buf		*b;

	if (c->buf != NULL)
		return 0;
	if ((b = p->bufs) != NULL) {
		p->bufs = b->next;
		p->nbufs--;
	} else if ((b = malloc(sizeof(*b) + p->insize)) == NULL) {
		log_warn("%s: no memory for a request", c->peer);
		return -1;
	}
	memset(&b->ps, 0, sizeof(b->ps));
	b->have_req = 0;
	b->status = 0;
	b->sent = 0;
	b->headlen = b->headoff = 0;
	b->curseg = 0;
	serve_init(&b->ans);
	c->buf = b;
	c->inlen = 0;
	return 0;
}

/*
 * Gives the buffers back: kept for the next request up to
 * CONN_BUF_SPARE_MAX, freed beyond, so a burst's memory is returned.
 */
static void
buf_put(struct conn *c)
{
	struct conn_pool	*p = c->pool;
	struct conn_buf		*b = c->buf;

	if (b == NULL)
		return;
	serve_release(&b->ans);
	c->buf = NULL;
	c->inlen = 0;
	if (p->nbufs < CONN_BUF_SPARE_MAX) {
		b->next = p->bufs;
		p->bufs = b;
		p->nbufs++;
	} else {
		free(b);
		p->freed += sizeof(*b) + p->insize;
	}
}

/* A monotonic clock in milliseconds, cheap enough for every request. */
static long
now_msec(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Arms the pool's timer for the earliest deadline of all queues. */
static void
arm(struct conn_pool *p)
{
	struct timeval	tv;
	long		first = 0, wait;
	size_t		i;

	for (i = 0; i < CONN_T_COUNT; i++)
		if (p->tq[i].first != NULL && (first == 0 ||
		    p->tq[i].first->deadline < first))
			first = p->tq[i].first->deadline;
	if (first == 0) {
		if (p->armed != 0)
			evtimer_del(&p->timer_ev);
		p->armed = 0;
		return;
	}
	if (p->armed == first)
		return;
	wait = first - now_msec();
	if (wait < 0)
		wait = 0;
	/* COARSE lags by up to a tick: wake just after, never before. */
	wait += 5;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(&p->timer_ev, &tv);
	p->armed = first;
}

/* Out of its timeout queue, if in one. */
static void
clear_timer(struct conn *c)
{
	struct conn_queue	*q;

	if (c->tq < 0)
		return;
	q = &c->pool->tq[c->tq];
	if (c->tprev != NULL)
		c->tprev->tnext = c->tnext;
	else
		q->first = c->tnext;
	if (c->tnext != NULL)
		c->tnext->tprev = c->tprev;
	else
		q->last = c->tprev;
	c->tnext = c->tprev = NULL;
	c->tq = -1;
}

/*
 * Starts the timeout of kind t over: to the end of its queue.  The
 * pool's timer moves only when this deadline comes first.
 */
static void
set_timer(struct conn *c, enum conn_timer t)
{
	struct conn_pool	*p = c->pool;
	struct conn_queue	*q = &p->tq[t];

	clear_timer(c);
	c->deadline = now_msec() + q->msec;
	c->tq = (signed char)t;
	c->tprev = q->last;
	c->tnext = NULL;
	if (q->last != NULL)
		q->last->tnext = c;
	else
		q->first = c;
	q->last = c;
	if (p->armed == 0 || c->deadline < p->armed)
		arm(p);
}

/* The pool's timer: every connection whose deadline has passed. */
static void
on_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct conn_pool	*p = arg;
	struct conn		*c;
	long			 now = now_msec();
	size_t			 i;

	p->armed = 0;
	for (i = 0; i < CONN_T_COUNT; i++) {
		while ((c = p->tq[i].first) != NULL && c->deadline <= now) {
			clear_timer(c);
			timeout(c);
		}
	}
	arm(p);
}

void
conn_clock(struct conn_pool *p)
{
	time_t	now = time(NULL);

	if (now == p->now)
		return;
	p->now = now;
	httpdate_format(now, p->date);
	httpdate_format_clf(now, p->clf);
}

/* A connection struct for fd, from the spare list when possible. */
static struct conn *
conn_new(struct conn_pool *p, int fd, const char *peer)
{
	struct conn	*c;

	if ((c = p->spare) != NULL) {
		p->spare = c->next;
		p->nspare--;
	} else if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("no memory for a connection");
		close(fd);
		return NULL;
	}
	c->pool = p;
	transport_plain(&c->tr, fd);
	c->buf = NULL;
	c->inlen = 0;
	c->nreq = 0;
	c->pending = 0;
	c->pass_wait = 0;
	c->tq = -1;
	c->tnext = c->tprev = NULL;
	c->discard = 0;
	c->discard_chunked = 0;
	c->auth_fails = 0;
	util_strlcpy(c->peer, peer, sizeof(c->peer));

	/* Persistent: no epoll_ctl per request on a keep-alive connection. */
	event_assign(&c->rev, p->base, fd, EV_READ | EV_PERSIST, on_read, c);
	c->reading = 0;
	c->peer_eof = 0;
	event_assign(&c->wev, p->base, fd, EV_WRITE, on_write, c);

	c->prev = NULL;
	c->next = p->conns;
	if (p->conns != NULL)
		p->conns->prev = c;
	p->conns = c;
	p->nconns++;
	return c;
}

void
conn_accept(struct conn_pool *p, int fd, const struct sockaddr *sa,
    socklen_t salen, size_t laddr)
{
	struct conn	*c;
	char		 host[INET6_ADDRSTRLEN];
	const void	*addr;

	addr = sa->sa_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr :
	    (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	if (salen == 0 || inet_ntop(sa->sa_family, addr, host,
	    sizeof(host)) == NULL)
		util_strlcpy(host, "-", sizeof(host));
	if ((c = conn_new(p, fd, host)) == NULL)
		return;
	c->addr = (unsigned short)laddr;
	if (salen > 0 && salen <= sizeof(c->sa))
		memcpy(&c->sa, sa, salen);
#ifdef HAVE_OPENSSL
	if (laddr < p->env->conf->naddrs &&
	    p->env->conf->by_addr[laddr].tls &&
	    tls_transport(&c->tr, fd, sites_tls_ctx(p->env->sites, laddr),
	    sites_tls_select, &p->env->sites->addrs[laddr]) == -1) {
		log_warnx("%s: no memory for a TLS connection", c->peer);
		close_conn(c);
		return;
	}
#endif
	c->state = CONN_HEAD;
	set_timer(c, CONN_T_HEADER);
	/* The request usually arrives with the connection: try at once. */
	on_read(fd, EV_READ, c);
}

/*
 * A connection passed on by a retiring worker: its client address, and
 * which of this generation's addresses it came in on (the one with the
 * same port and address, or the wildcard of its family and port).
 */
static void
adopt_addresses(struct conn *c, int fd)
{
	const struct conf	*conf = c->pool->conf;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	size_t			 i, best = 0;

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    len <= sizeof(c->sa))
		memcpy(&c->sa, &ss, len);
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return;
	for (i = 0; i < conf->naddrs; i++)
		switch (listen_match(&conf->addrs[i], (struct sockaddr *)&ss)) {
		case 2:
			c->addr = (unsigned short)i;
			return;
		case 1:
			best = i;
			break;
		}
	c->addr = (unsigned short)best;
}

void
conn_adopt(struct conn_pool *p, int fd, unsigned nreq, const char *peer)
{
	struct conn	*c;

	if ((c = conn_new(p, fd, peer)) == NULL)
		return;
	adopt_addresses(c, fd);
	c->nreq = nreq;
	c->state = CONN_IDLE;
	set_timer(c, CONN_T_KEEPALIVE);
	/* Its next request may already be waiting in the socket. */
	on_read(fd, EV_READ, c);
}

/*
 * Whether c would go to the next generation when idle: only a plain TCP
 * connection can (a TLS session lives in this process); a retiring
 * worker ends the others as a graceful stop does.
 */
static int
can_pass(const struct conn *c)
{
	return c->pool->handoff && transport_is_plain(&c->tr);
}

/* Idle: no request bytes of ours, nothing to send, nothing to drop. */
static int
passable(const struct conn *c)
{
	return (c->state == CONN_IDLE || c->state == CONN_HEAD) &&
	    c->inlen == 0 && !c->pending && c->discard == 0 &&
	    !c->discard_chunked && transport_is_plain(&c->tr);
}

/*
 * Hands an idle keep-alive connection to the next generation: it carries
 * no state but the socket, so the socket is all that travels.  Unread
 * request bytes stay queued in the kernel and reach the new owner, so a
 * request sent at this very moment is not lost, as it would be if we
 * closed.  Returns 0 when passed (and freed), -1 to keep it for now.
 */
static int
conn_pass(struct conn *c)
{
	struct conn_pool	*p = c->pool;
	struct timeval		 rt = { 0, CONN_RETRY_MSEC * 1000 };
	struct conn_handoff	 h;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	union {
		char		 buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	 align;
	}			 cbuf;

	memset(&h, 0, sizeof(h));
	h.magic = CONN_HANDOFF_MAGIC;
	h.nreq = c->nreq;
	util_strlcpy(h.peer, c->peer, sizeof(h.peer));
	iov.iov_base = &h;
	iov.iov_len = sizeof(h);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &c->tr.fd, sizeof(int));
	if (sendmsg(p->handoff_fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) ==
	    -1) {
		if (errno != EAGAIN && errno != ENOBUFS && errno != ETOOMANYREFS)
			log_warn("%s: cannot pass the connection on", c->peer);
		c->pass_wait = 1;
		if (p->handoff && !evtimer_pending(&p->retry_ev, NULL))
			evtimer_add(&p->retry_ev, &rt);
		return -1;
	}
	log_debug("%s: passed to the new generation", c->peer);
	close_conn(c);
	return 0;
}

static void
on_retry(evutil_socket_t fd, short ev, void *arg)
{
	retry_passes(arg);
}

/* Re-tries passes that found the hand-off channel full. */
static void
retry_passes(struct conn_pool *p)
{
	struct conn	*c, *next;

	for (c = p->conns; c != NULL; c = next) {
		next = c->next;
		if (c->pass_wait && passable(c)) {
			c->pass_wait = 0;
			if (conn_pass(c) == -1)
				break;		/* still full: armed again */
		}
	}
}


static void
want_read(struct conn *c)
{
	if (!c->reading) {
		event_add(&c->rev, NULL);
		c->reading = 1;
	}
}

static void
stop_read(struct conn *c)
{
	if (c->reading) {
		event_del(&c->rev);
		c->reading = 0;
	}
}

/*
 * Bytes that arrive while a response is going out: the next pipelined
 * request, or the peer's EOF after a half-close.  Reading stops while the
 * buffer is full, so that the persistent read event cannot spin.
 */
static void
read_ahead(struct conn *c)
{
	ssize_t	n;

	if (c->inlen == c->pool->insize) {
		stop_read(c);
		return;
	}
	n = c->tr.ops->recv(&c->tr, c->buf->in + c->inlen, c->pool->insize - c->inlen);
	if (n > 0)
		c->inlen += (size_t)n;
	else if (n == 0) {
		c->peer_eof = 1;
		stop_read(c);
	} else if (errno != EAGAIN && errno != EINTR)
		stop_read(c);	/* the write side will see the error */
}

static void
close_conn(struct conn *c)
{
	struct conn_pool	*p = c->pool;

	event_del(&c->rev);
	c->reading = 0;
	event_del(&c->wev);
	clear_timer(c);
	c->tr.ops->release(&c->tr);
	close(c->tr.fd);
	c->tr.fd = -1;
	buf_put(c);
	c->discard = 0;
	c->discard_chunked = 0;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		p->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	/* A few closed ones are kept for reuse; a burst's are freed. */
	if (p->nspare < CONN_SPARE_MAX) {
		c->next = p->spare;
		p->spare = c;
		p->nspare++;
	} else {
		free(c);
		p->freed += sizeof(*c);
	}
	p->nconns--;
	if (p->closed != NULL)
		p->closed(p->closed_arg);
}

/*
 * The one way out for a connection that did not end cleanly: a
 * timeout, a failed read or write, a file cut short, a stop.  A
 * response that was going out is logged with the bytes actually sent.
 */
static void
finish(struct conn *c)
{
	if (c->state == CONN_SEND && c->buf != NULL && c->buf->status != 0) {
		c->keepalive = 0;
		access_log(c);
	}
	close_conn(c);
}

/*
 * Half-close and read until the peer closes, so that the kernel does not
 * answer unread request bytes with a reset that destroys the response we
 * just sent.
 */
static void
linger(struct conn *c)
{
	if (c->peer_eof || c->tr.ops->shutdown(&c->tr) == -1) {
		close_conn(c);
		return;
	}
	c->state = CONN_LINGER;
	c->discard = CONN_LINGER_BYTES;
	c->discard_chunked = 0;
	/* Lingering reads into a sink on the stack: no buffer needed. */
	buf_put(c);
	event_del(&c->wev);
	set_timer(c, CONN_T_LINGER);
	want_read(c);
}

/* The deadline of c's current wait has passed. */
static void
timeout(struct conn *c)
{
	switch (c->state) {
	case CONN_HEAD:
		/* Bytes of a head arrived, but not all in time. */
		if (c->inlen > 0) {
			log_debug("%s: request head timed out", c->peer);
			c->keepalive = 0;
			answer_error(c, 408);
			return;
		}
		break;
	case CONN_SEND:
		log_info("%s: send stalled for %d s after %llu body bytes",
		    c->peer, c->pool->conf->timeouts.send,
		    (unsigned long long)c->buf->sent);
		break;
	default:
		break;
	}
	finish(c);
}

static void
on_read(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;
	char		 sink[4096];

	if (c->state == CONN_LINGER) {
		while ((n = c->tr.ops->recv(&c->tr, sink, sizeof(sink))) > 0 &&
		    (uint64_t)n < c->discard)
			c->discard -= (uint64_t)n;
		if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			want_read(c);
			return;
		}
		close_conn(c);
		return;
	}
	if (c->state == CONN_SEND) {
		read_ahead(c);
		return;
	}
	if (c->pending) {
		/* Pipelined bytes already buffered (see done_response). */
		c->pending = 0;
		process(c);
		return;
	}
	if (c->inlen == c->pool->insize) {
		process(c);
		return;
	}
	if (c->peer_eof) {
		close_conn(c);
		return;
	}
	if (buf_get(c) == -1) {
		close_conn(c);
		return;
	}
	n = c->tr.ops->recv(&c->tr, c->buf->in + c->inlen,
	    c->pool->insize - c->inlen);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR) {
			/* Nothing of a request yet: no buffer while idle. */
			if (c->inlen == 0 && (c->state == CONN_IDLE ||
			    c->state == CONN_HEAD))
				buf_put(c);
			want_read(c);
			/* A TLS handshake may have to write first. */
			if (c->tr.want == TRANSPORT_WANT_WRITE)
				event_add(&c->wev, NULL);
			return;
		}
		/* A plain request on a TLS port: answered by the transport. */
		if (errno == EPROTO) {
			log_debug("%s: plain HTTP on a TLS port", c->peer);
			close_conn(c);
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
		set_timer(c, CONN_T_HEADER);
	}
	process(c);
}

/*
 * Drops request-body bytes from the buffer: 1 when the body is gone, 0
 * when more is needed, -1 when its framing is broken.  The chunked
 * decoder hands the data back span by span; the spans are dropped.
 */
static int
drop_body(struct conn *c)
{
	const char		*data;
	size_t			 used, n, dlen, off = 0;
	enum http_parse		 r;

	if (c->discard_chunked) {
		do {
			r = http_chunked(&c->buf->chunk, c->buf->in + off, c->inlen - off,
			    &used, &data, &dlen);
			off += used;
		} while (r == HTTP_PARSE_AGAIN && off < c->inlen);
		memmove(c->buf->in, c->buf->in + off, c->inlen - off);
		c->inlen -= off;
		c->discard += off;
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
	memmove(c->buf->in, c->buf->in + n, c->inlen - n);
	c->inlen -= n;
	c->discard -= n;
	return c->discard == 0;
}

/* Parses what is buffered and acts on it. */
static void
process(struct conn *c)
{
	struct conn_pool	*p = c->pool;
	enum http_parse		 r;
	int			 status = 400;
	struct serve_peer	 sp;

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
			set_timer(c, CONN_T_KEEPALIVE);
			buf_put(c);
			if (p->handoff && conn_pass(c) == 0)
				return;
			want_read(c);
			return;
		}
		set_timer(c, CONN_T_HEADER);
	}

	r = request_parse(&c->buf->ps, c->buf->in, c->inlen, &p->limits,
	    &c->buf->req, &status);
	if (r == HTTP_PARSE_AGAIN) {
		want_read(c);
		return;
	}
	c->nreq++;
	if (r == HTTP_PARSE_ERROR) {
		/* The framing is unknown: answer and close. */
		c->buf->have_req = 0;
		c->keepalive = 0;
		answer_error(c, status);
		return;
	}
	c->buf->have_req = 1;
	c->keepalive = c->buf->req.keepalive && (!p->draining || p->handoff) &&
	    c->nreq < (unsigned)p->conf->limits.max_keepalive_requests;
	if (c->buf->req.has_length && c->buf->req.content_length > 0) {
		c->discard = c->buf->req.content_length;
		/* A client waiting for 100-continue may never send it. */
		if (c->buf->req.expect_continue ||
		    c->discard > CONN_DISCARD_MAX)
			c->keepalive = 0;
	} else if (c->buf->req.chunked) {
		c->discard_chunked = 1;
		http_chunked_init(&c->buf->chunk, HTTP_CHUNKED_LENIENT);
		if (c->buf->req.expect_continue)
			c->keepalive = 0;
	}
	conn_clock(p);
	sp.addr = c->addr;
	sp.sa = &c->sa.sa;
	sp.name = c->peer;
	sp.tls = !transport_is_plain(&c->tr);
#ifdef HAVE_OPENSSL
	sp.sni_site = sp.tls ? tls_site(&c->tr) : NULL;
#else
	sp.sni_site = NULL;
#endif
	serve_request(p->env, &c->buf->req, &sp, &c->buf->ans);
	start_send(c);
}

/* An error page decided here (a head that cannot be parsed, 408). */
static void
answer_error(struct conn *c, int status)
{
	serve_error(c->buf->have_req ? &c->buf->req : NULL, status,
	    &c->buf->ans);
	start_send(c);
}

/* Formats the answer's head and starts sending head and body. */
static void
start_send(struct conn *c)
{
	struct conn_pool	*p = c->pool;
	struct reply		*r = &c->buf->ans.reply;

	conn_clock(p);
	r->date = p->date;
	r->server_tokens = p->conf->server_tokens;
	if (p->draining && !can_pass(c))
		c->keepalive = 0;
	/*
	 * Wrong credentials a few times: the connection closes, so that
	 * guessing passwords costs a new connection every few tries.
	 */
	if (r->status == 401 && c->buf->have_req &&
	    c->buf->req.authorization.p != NULL &&
	    ++c->auth_fails >= CONN_AUTH_TRIES)
		c->keepalive = 0;
	r->keepalive = c->keepalive;
	r->http10 = c->buf->have_req && c->buf->req.minor == 0;
	c->buf->status = r->status;
	if ((c->buf->headlen = reply_format_head(c->buf->head, sizeof(c->buf->head), r)) ==
	    0) {
		log_warnx("%s: response head does not fit", c->peer);
		close_conn(c);
		return;
	}
	c->buf->headoff = 0;
	c->buf->curseg = 0;
	c->state = CONN_SEND;
	set_timer(c, CONN_T_SEND);
	send_more(c);
}

/*
 * File bytes of segment sg, at most budget: with the transport's
 * sendfile, or read into memory and sent when it has none.
 */
static ssize_t
send_file(struct conn *c, struct serve_seg *sg, size_t budget)
{
	char	buf[CONN_PREAD_MAX];
	struct iovec	iov;
	size_t	chunk = sg->len < budget ? sg->len : budget;
	ssize_t	n;

	if (c->tr.ops->sendfile != NULL)
		return c->tr.ops->sendfile(&c->tr, c->buf->ans.file, &sg->off,
		    chunk);
	if (chunk > sizeof(buf))
		chunk = sizeof(buf);
	if ((n = pread(c->buf->ans.file, buf, chunk, sg->off)) <= 0)
		return n;
	iov.iov_base = buf;
	iov.iov_len = (size_t)n;
	if ((n = c->tr.ops->sendv(&c->tr, &iov, 1, 0)) > 0)
		sg->off += n;
	return n;
}

/*
 * Sends as much as the socket takes: the head together with the first
 * memory segment in one writev, file segments with sendfile.  At most
 * CONN_SEND_SLICE file bytes go per wake-up, so one fast download cannot
 * starve the other connections of the worker.
 */
static void
send_more(struct conn *c)
{
	struct iovec		 iov[2];
	struct serve_seg	*sg;
	struct answer		*a = &c->buf->ans;
	size_t			 budget = CONN_SEND_SLICE, chunk;
	ssize_t			 n;
	int			 more;

	while (c->buf->curseg < a->nseg && a->seg[c->buf->curseg].len == 0)
		c->buf->curseg++;
	while (c->buf->headoff < c->buf->headlen) {
		iov[0].iov_base = c->buf->head + c->buf->headoff;
		iov[0].iov_len = c->buf->headlen - c->buf->headoff;
		sg = c->buf->curseg < a->nseg ? &a->seg[c->buf->curseg] : NULL;
		if (sg != NULL && sg->mem != NULL) {
			iov[1].iov_base = (char *)(uintptr_t)sg->mem;
			iov[1].iov_len = sg->len;
			n = c->tr.ops->sendv(&c->tr, iov, 2, 0);
		} else {
			/* Keep the head in one packet with the file data. */
			more = sg != NULL;
			n = c->tr.ops->sendv(&c->tr, iov, 1, more);
		}
		if (n == -1)
			goto wouldblock;
		chunk = (size_t)n < iov[0].iov_len ? (size_t)n : iov[0].iov_len;
		c->buf->headoff += chunk;
		if ((size_t)n > chunk) {
			sg->mem += (size_t)n - chunk;
			sg->len -= (size_t)n - chunk;
			c->buf->sent += (size_t)n - chunk;
		}
	}
	for (; c->buf->curseg < a->nseg; c->buf->curseg++) {
		sg = &a->seg[c->buf->curseg];
		while (sg->len > 0) {
			if (sg->mem != NULL) {
				iov[0].iov_base = (char *)(uintptr_t)sg->mem;
				iov[0].iov_len = sg->len;
				more = c->buf->curseg + 1 < a->nseg;
				n = c->tr.ops->sendv(&c->tr, iov, 1, more);
				if (n == -1)
					goto wouldblock;
				sg->mem += n;
			} else {
				if (budget == 0) {
					/* Progress: the stall timer starts
					 * over. */
					event_add(&c->wev, NULL);
					set_timer(c, CONN_T_SEND);
					return;
				}
				n = send_file(c, sg, budget);
				if (n == -1)
					goto wouldblock;
				if (n == 0) {
					/* The file shrank: the length lies. */
					log_warnx("%s: file truncated while "
					    "sending", c->peer);
					finish(c);
					return;
				}
				budget -= (size_t)n < budget ? (size_t)n :
				    budget;
			}
			sg->len -= (size_t)n;
			c->buf->sent += (uint64_t)n;
		}
	}
	done_response(c);
	return;
wouldblock:
	if (errno == EAGAIN || errno == EINTR) {
		event_add(&c->wev, NULL);
		set_timer(c, CONN_T_SEND);
		return;
	}
	if (errno != EPIPE && errno != ECONNRESET)
		log_debug("%s: send: %s", c->peer, strerror(errno));
	finish(c);
}

static void
on_write(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;

	/* Writable while reading: a TLS handshake wanted to write. */
	if (c->state != CONN_SEND) {
		on_read(fd, EV_READ, c);
		return;
	}
	send_more(c);
}

static void
done_response(struct conn *c)
{
	struct conn_pool	*p = c->pool;
	size_t			 used;

	access_log(c);
	used = c->buf->have_req ? c->buf->req.head_len : c->inlen;
	serve_release(&c->buf->ans);
	if (!c->keepalive || (p->draining && !can_pass(c))) {
		/*
		 * A client that asked to close sends nothing more (RFC 9112
		 * section 9.6): with no byte of it left unread, close at
		 * once.  Otherwise half-close and drain, so that unread
		 * bytes cannot turn our close into a reset that loses the
		 * response.
		 */
		if (c->buf->have_req && !c->buf->req.keepalive &&
		    c->inlen == used && c->discard == 0 &&
		    !c->discard_chunked) {
			/* TLS: close_notify first (best effort). */
			if (!transport_is_plain(&c->tr))
				(void)c->tr.ops->shutdown(&c->tr);
			close_conn(c);
			return;
		}
		linger(c);
		return;
	}
	memmove(c->buf->in, c->buf->in + used, c->inlen - used);
	c->inlen -= used;
	memset(&c->buf->ps, 0, sizeof(c->buf->ps));
	c->buf->have_req = 0;
	c->buf->headlen = c->buf->headoff = 0;
	c->buf->curseg = 0;
	c->buf->status = 0;
	c->buf->sent = 0;
	want_read(c);
	if (c->discard > 0 || c->discard_chunked) {
		c->state = CONN_BODY;
	} else if (c->inlen > 0) {
		c->state = CONN_HEAD;
		set_timer(c, CONN_T_HEADER);
	} else {
		c->state = CONN_IDLE;
		if (c->peer_eof) {
			close_conn(c);
			return;
		}
		set_timer(c, CONN_T_KEEPALIVE);
		buf_put(c);
		if (p->handoff)
			(void)conn_pass(c);
#ifdef HAVE_OPENSSL
		/* Decrypted bytes already inside the transport. */
		else if (tls_pending(&c->tr) > 0)
			event_active(&c->rev, EV_READ, 0);
#endif
		return;
	}
	/* Pipelined bytes: handle them on the next loop turn, not by
	 * recursion, so a long pipeline cannot grow the stack. */
	c->pending = 1;
	event_active(&c->rev, EV_READ, 0);
}

/* One Combined Log Format line for the response (see clf.h). */
static void
access_log(struct conn *c)
{
	struct clf_entry	 e;
	char			 line[CLF_LINE_MAX];
	const char		*p;
	size_t			 len;

	if (!accesslog_enabled_id(c->buf->ans.log_id))
		return;
	conn_clock(c->pool);
	memset(&e, 0, sizeof(e));
	e.peer = c->peer;
	e.time = c->pool->clf;
	e.status = c->buf->status;
	e.bytes = c->buf->sent;
	if (c->buf->have_req) {
		e.request = c->buf->req.method_name.p;
		len = c->buf->ps.line_end - 1 -
		    (size_t)(c->buf->req.method_name.p - c->buf->in);
		if (len > 0 && e.request[len - 1] == '\r')
			len--;
		e.request_len = len;
		e.referer = c->buf->req.referer.p;
		e.referer_len = c->buf->req.referer.len;
		e.agent = c->buf->req.user_agent.p;
		e.agent_len = c->buf->req.user_agent.len;
	} else {
		/* Unparsable: log what the first line held, escaped. */
		p = memchr(c->buf->in, '\n', c->inlen);
		len = p ? (size_t)(p - c->buf->in) : c->inlen;
		if (len > 0 && c->buf->in[len - 1] == '\r')
			len--;
		e.request = c->buf->in;
		e.request_len = len;
	}
	accesslog_write_id(c->buf->ans.log_id, line,
	    clf_format(line, sizeof(line), &e));
}

void
conn_drain_all(struct conn_pool *p, int handoff)
{
	struct conn	*c, *next;

	if (p->draining && p->handoff && !handoff) {
		/*
		 * QUIT while retiring: the new generation is stopping too,
		 * so nothing more is passed on; idle connections close.
		 */
		event_del(&p->retry_ev);
	}
	p->draining = 1;
	p->handoff = handoff && p->handoff_fd != -1;
	for (c = p->conns; c != NULL; c = next) {
		next = c->next;
		if (p->handoff && transport_is_plain(&c->tr)) {
			if (passable(c))
				(void)conn_pass(c);
		} else if (c->state == CONN_IDLE) {
			/* A request already on its way still gets its
			 * answer (with Connection: close); then we close. */
			set_timer(c, CONN_T_GRACE);
		}
	}
}

void
conn_close_all(struct conn_pool *p)
{
	struct conn	*c;

	struct conn_buf	*b;

	event_del(&p->retry_ev);
	event_del(&p->timer_ev);
	p->closed = NULL;
	while ((c = p->conns) != NULL)
		finish(c);
	while ((c = p->spare) != NULL) {
		p->spare = c->next;
		free(c);
	}
	p->nspare = 0;
	while ((b = p->bufs) != NULL) {
		p->bufs = b->next;
		free(b);
	}
	p->nbufs = 0;
}
