/*
 * get_net: sockets for minihttp-get.  Non-blocking connects tried
 * address by address, reads and writes that wait in poll() against the
 * deadlines, and a pool of keep-alive connections keyed by
 * "scheme://host:port".  For https the bytes go through get_tls, which
 * says what to poll for; the plain path stays one recv or send.  It
 * knows nothing of HTTP except how to word a failure.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client/get_net.h"
#include "client/get_tls.h"
#include "core/util.h"

static int	get_net_wait(struct get_net *, int, short,
		    const struct get_deadline *);
static int	get_net_try(struct get_net *, const struct addrinfo *,
		    const struct get_deadline *, int *);
static struct get_conn *get_net_slot(struct get_net *);
static int	get_net_tls(struct get_net *, struct get_conn *,
		    const struct url *, const struct get_deadline *,
		    const char *);
static ssize_t	get_net_tls_read(struct get_net *, struct get_conn *, char *,
		    size_t);

void
get_net_init(struct get_net *n, const struct get_opts *o)
{
	size_t	i;

	n->opts = o;
	n->tls = NULL;
	get_deadline_set(&n->total, o->max_time);
	for (i = 0; i < GET_CONNS_MAX; i++) {
		n->conns[i].fd = -1;
		n->conns[i].tls = NULL;
	}
	n->idle = NULL;
	n->idle_arg = NULL;
}

void
get_net_close(struct get_net *n, struct get_conn *c)
{
	if (c == NULL || c->fd == -1)
		return;
	if (n->opts->verbose)
		get_info("closing connection to %s", c->auth);
	get_tls_close(c->tls);
	c->tls = NULL;
	close(c->fd);
	c->fd = -1;
	c->key[0] = '\0';
	c->auth[0] = '\0';
	c->nresp = 0;
	c->len = 0;
}

void
get_net_close_all(struct get_net *n)
{
	size_t	i;

	for (i = 0; i < GET_CONNS_MAX; i++)
		get_net_close(n, &n->conns[i]);
	get_tls_free(n->tls);
	n->tls = NULL;
}

/*
 * Waits for events on fd; 0 when ready, -1 with errno (ETIMEDOUT).  While
 * it waits the idle hook runs every GET_IDLE_MS, so that a progress bar
 * keeps moving (and its rate falling) when the server stalls.
 */
static int
get_net_wait(struct get_net *n, int fd, short events,
    const struct get_deadline *d)
{
	struct pollfd	pfd;
	int		r, ms;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		ms = get_deadline_ms(d);
		if (n->idle != NULL && (ms == -1 || ms > GET_IDLE_MS))
			ms = GET_IDLE_MS;
		r = poll(&pfd, 1, ms);
		if (r > 0)
			return 0;
		if (r == 0 && get_deadline_ms(d) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (r == 0) {
			if (n->idle != NULL)
				n->idle(n->idle_arg);
			continue;
		}
		if (errno != EINTR)
			return -1;
	}
}

int
get_net_error(struct get_net *n, struct get_conn *c, int err,
    const struct get_deadline *d, const char *auth)
{
	char	why[GET_TLS_ERR_MAX];

	if (err == EPROTO && c != NULL && c->tls != NULL) {
		/* A bad record or an alert: its words go before the close. */
		util_strlcpy(why, get_tls_error(c->tls), sizeof(why));
		get_net_close(n, c);
		return get_err(GET_ETLS, "TLS: %s: %s", why, auth);
	}
	get_net_close(n, c);
	if (err == ETIMEDOUT)
		return get_err(GET_ENET, "timed out after %g s: %s", d->secs,
		    auth);
	if (err == ECONNREFUSED)
		return get_err(GET_ENET, "connection refused: %s", auth);
	if (err == ECONNRESET || err == EPIPE)
		return get_err(GET_ENET, "connection reset by server: %s",
		    auth);
	return get_err(GET_ENET, "%s: %s", strerror(err), auth);
}

/* One address: the connected socket, or -1 with *err set. */
static int
get_net_try(struct get_net *n, const struct addrinfo *ai,
    const struct get_deadline *d, int *err)
{
	socklen_t	sl;
	int		fd, soerr;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		*err = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		*err = errno;
		goto fail;
	}
	if (get_net_wait(n, fd, POLLOUT, d) == -1) {
		*err = errno;
		goto fail;
	}
	sl = sizeof(soerr);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
		soerr = errno;
	if (soerr == 0)
		return fd;
	*err = soerr;
fail:
	close(fd);
	return -1;
}

/* A free slot, closing the least recently used connection if needed. */
static struct get_conn *
get_net_slot(struct get_net *n)
{
	struct get_conn	*c, *lru = &n->conns[0];
	size_t		 i;

	for (i = 0; i < GET_CONNS_MAX; i++) {
		c = &n->conns[i];
		if (c->fd == -1)
			return c;
		if (c->used < lru->used)
			lru = c;
	}
	get_net_close(n, lru);
	return lru;
}

/*
 * The TLS handshake on the new connection c, within the connect
 * deadline.  GET_OK, or an exit status with c closed.
 */
static int
get_net_tls(struct get_net *n, struct get_conn *c, const struct url *u,
    const struct get_deadline *d, const char *auth)
{
	short	ev = 0;
	int	rc;

	if ((rc = get_tls_start(n->tls, c->fd, u, c->key, &c->tls)) != GET_OK)
		goto fail;
	while ((rc = get_tls_handshake(c->tls, &ev, auth)) == GET_TLS_WANT) {
		if (get_net_wait(n, c->fd, ev, d) == -1)
			return get_net_error(n, c, errno, d, auth);
	}
	if (rc == GET_OK)
		return GET_OK;
fail:
	get_net_close(n, c);
	return rc;
}

/*
 * Tries each address of the host in turn (localhost is often ::1 then
 * 127.0.0.1), all of them within the earlier of the connect and total
 * deadlines; for https the handshake follows within the same ones.
 */
int
get_net_open(struct get_net *n, const struct url *u, const char *auth,
    struct get_conn **cp)
{
	struct addrinfo		 hints, *res = NULL, *ai;
	struct get_deadline	 d;
	struct get_conn		*c;
	char			 port[8], addr[NI_MAXHOST];
	char			 key[URL_ORIGIN_MAX];
	size_t			 i;
	int			 fd = -1, r, err = ECONNREFUSED;

	/* http and https on one port are two servers: the scheme counts. */
	url_origin(u, key, sizeof(key));
	for (i = 0; i < GET_CONNS_MAX; i++) {
		c = &n->conns[i];
		if (c->fd != -1 && strcmp(c->key, key) == 0) {
			if (n->opts->verbose)
				get_info("reusing connection to %s", auth);
			c->used = ++n->tick;
			*cp = c;
			return GET_OK;
		}
	}
	if (u->scheme == URL_SCHEME_HTTPS && n->tls == NULL &&
	    (r = get_tls_new(&n->tls, n->opts)) != GET_OK)
		return r;	/* no TLS: no point in connecting */
	get_deadline_set(&d, n->opts->connect_timeout);
	if (n->total.at != -1 && (d.at == -1 || n->total.at < d.at))
		d = n->total;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (u->ipv6 ? AI_NUMERICHOST : 0);
	snprintf(port, sizeof(port), "%u", (unsigned)u->port);
	if ((r = getaddrinfo(u->host, port, &hints, &res)) != 0) {
		if (n->opts->verbose)
			get_info("%s: %s", u->host, gai_strerror(r));
		return get_err(GET_ENET, "cannot resolve host: %s", u->host);
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr,
		    sizeof(addr), NULL, 0, NI_NUMERICHOST) != 0)
			util_strlcpy(addr, "?", sizeof(addr));
		if (n->opts->verbose)
			get_info("connecting to %s port %s", addr, port);
		fd = get_net_try(n, ai, &d, &err);
		if (fd == -1 && err == ETIMEDOUT)
			break;		/* no time left for the others */
	}
	freeaddrinfo(res);
	if (fd == -1)
		return get_net_error(n, NULL, err, &d, auth);
	if (n->opts->verbose)
		get_info("connected to %s (%s) port %s", u->host, addr, port);
	c = get_net_slot(n);
	c->fd = fd;
	c->tls = NULL;
	util_strlcpy(c->key, key, sizeof(c->key));
	util_strlcpy(c->auth, auth, sizeof(c->auth));
	c->nresp = 0;
	c->len = 0;
	c->used = ++n->tick;
	if (u->scheme == URL_SCHEME_HTTPS &&
	    (r = get_net_tls(n, c, u, &d, auth)) != GET_OK)
		return r;
	*cp = c;
	return GET_OK;
}

/*
 * OpenSSL may hold decrypted bytes that poll() cannot see: SSL_read is
 * always tried first, and poll() only waits when it asks for more.
 */
static ssize_t
get_net_tls_read(struct get_net *n, struct get_conn *c, char *buf,
    size_t size)
{
	ssize_t	r;
	short	ev = POLLIN;

	for (;;) {
		r = get_tls_read(c->tls, buf, size, &ev);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		if (get_net_wait(n, c->fd, ev, &n->total) == -1)
			return -1;
	}
}

int
get_net_cut(const struct get_conn *c)
{
	return c->tls != NULL && get_tls_abrupt(c->tls);
}

ssize_t
get_net_read(struct get_net *n, struct get_conn *c, char *buf, size_t size)
{
	ssize_t	r;

	if (c->tls != NULL)
		return get_net_tls_read(n, c, buf, size);
	for (;;) {
		r = recv(c->fd, buf, size, 0);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (get_net_wait(n, c->fd, POLLIN, &n->total) == -1)
			return -1;
	}
}

int
get_net_send(struct get_net *n, struct get_conn *c, const char *p, size_t len,
    const char *auth)
{
	ssize_t	r;
	short	ev = POLLOUT;

	while (len > 0) {
		if (c->tls != NULL)
			r = get_tls_write(c->tls, p, len, &ev);
		else
			r = send(c->fd, p, len, MSG_NOSIGNAL);
		if (r > 0) {
			p += r;
			len -= (size_t)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    get_net_wait(n, c->fd, ev, &n->total) == 0)
			continue;
		if (r == 0)		/* TLS: the server closed the session */
			errno = EPIPE;
		if (c->nresp > 0 && (errno == EPIPE || errno == ECONNRESET))
			return GET_RETRY;
		return get_net_error(n, c, errno, &n->total, auth);
	}
	return GET_OK;
}
