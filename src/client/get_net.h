/*
 * get_net: minihttp-get's connections.  A small pool keeps one
 * keep-alive connection per server (scheme, host and port) so that
 * targets for the same server share it even when targets for other
 * servers come in between.  https connections go through get_tls, the
 * same way for the callers.  Every wait is a poll() bounded by the
 * --max-time and --connect-timeout deadlines (the latter covers the
 * TLS handshake too).  No HTTP here beyond the error wording.
 */
#ifndef MINIHTTPD_GET_NET_H
#define MINIHTTPD_GET_NET_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "client/get_common.h"
#include "core/url.h"

#define GET_BUF_SIZE	65536	/* > RESPONSE_HEAD_MAX */
#define GET_CONNS_MAX	8	/* idle connections kept */
#define GET_IDLE_MS	250	/* idle hook period while waiting */

struct get_tls;
struct get_tls_conn;

struct get_conn {
	int		fd;		/* -1: free slot */
	struct get_tls_conn *tls;	/* NULL: plain TCP */
	char		key[URL_ORIGIN_MAX];	/* its scheme://host:port */
	char		auth[URL_AUTHORITY_MAX];	/* host:port */
	unsigned	nresp;		/* responses read on it */
	uint64_t	used;		/* last use, for eviction */
	size_t		len;		/* bytes in buf */
	char		buf[GET_BUF_SIZE];
};

struct get_net {
	const struct get_opts	*opts;
	struct get_deadline	 total;		/* --max-time */
	struct get_conn		 conns[GET_CONNS_MAX];
	struct get_tls		*tls;		/* made for the first https */
	uint64_t		 tick;
	/* Called about every GET_IDLE_MS while a read waits (progress). */
	void			(*idle)(void *);
	void			*idle_arg;
};

void	get_net_init(struct get_net *, const struct get_opts *);

/*
 * The connection to the server of u (auth is its "host:port"): the
 * pooled one, or a new one.  Returns GET_OK with *c set, or an exit
 * status after printing why.
 */
int	get_net_open(struct get_net *, const struct url *u, const char *auth,
	    struct get_conn **c);
void	get_net_close(struct get_net *, struct get_conn *);
void	get_net_close_all(struct get_net *);

/* What is there, up to size bytes: > 0, 0 at EOF, -1 with errno. */
ssize_t	get_net_read(struct get_net *, struct get_conn *, char *, size_t);

/*
 * After get_net_read returned 0: non-zero when that end may be a cut,
 * not the server's: a TLS connection closed without close_notify.  A
 * body delimited by the end of the connection is then incomplete.
 */
int	get_net_cut(const struct get_conn *);

/*
 * Sends all of p.  GET_RETRY when a reused connection turns out to be
 * closed by the server; an exit status on other failures.
 */
int	get_net_send(struct get_net *, struct get_conn *, const char *p,
	    size_t len, const char *auth);

/* Reports a socket failure err on c (may be NULL) and closes it. */
int	get_net_error(struct get_net *, struct get_conn *, int err,
	    const struct get_deadline *, const char *auth);

#endif
