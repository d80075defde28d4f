/*
 * conn: one client connection, from accept to close, and the set of a
 * worker's connections (struct conn_pool).  conn moves bytes: it reads
 * and parses the request head, asks serve for the answer, formats the
 * head, sends head and body through the connection's transport, writes
 * the access-log line, and decides keep-alive, lingering and timeouts.
 * It never decides what to answer, and it knows nothing of the worker
 * that owns the pool but the callback the worker gave it.
 *
 *	state		waits for		then
 *	CONN_HEAD	request head bytes	serve -> CONN_SEND, or error
 *	CONN_SEND	socket writable		response done -> CONN_BODY
 *	CONN_BODY	request body to drop	-> CONN_HEAD (keep-alive) or close
 *	CONN_IDLE	next request (keep-alive timer running)
 *	CONN_LINGER	peer's EOF after our FIN, bounded, then close
 */
#ifndef MINIHTTPD_CONN_H
#define MINIHTTPD_CONN_H

#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "core/http.h"
#include "core/httpdate.h"
#include "core/request.h"
#include "daemon/conf.h"
#include "daemon/serve.h"
#include "daemon/transport.h"

#define CONN_HEAD_MAX		2048	/* response head */
#define CONN_PEER_MAX		64

enum conn_state {
	CONN_HEAD = 0,
	CONN_SEND,
	CONN_BODY,
	CONN_IDLE,
	CONN_LINGER
};

/*
 * A worker's connections and what they share: the event base, the
 * configuration, the clock of the Date header and the log, and the
 * hand-off channel of a reload.
 */
struct conn_pool {
	struct event_base	*base;
	const struct conf	*conf;
	struct request_limits	 limits;
	const struct serve_env	*env;
	struct conn		*conns;		/* all open connections */
	struct conn		*spare;		/* closed, ready for reuse */
	size_t			 nconns;
	int			 draining;	/* QUIT or retiring */
	int			 handoff;	/* retiring: pass idle conns on */
	int			 handoff_fd;	/* SOCK_SEQPACKET, shared */
	struct event		 retry_ev;	/* re-try passes that blocked */
	time_t			 now;
	char			 date[HTTPDATE_LEN + 1];
	char			 clf[HTTPDATE_CLF_LEN + 1];
	/* Called whenever a connection is gone (the worker may accept). */
	void			(*closed)(void *);
	void			*closed_arg;
};

/* What travels with a passed connection, beside the descriptor. */
struct conn_handoff {
	uint32_t	magic;
	uint32_t	nreq;
	char		peer[CONN_PEER_MAX];
};
#define CONN_HANDOFF_MAGIC	0x6d687031	/* "mhp1" */

struct conn {
	struct conn_pool	*pool;
	struct conn		*next, *prev;
	struct transport	 tr;
	enum conn_state		 state;
	struct event		 rev, wev, timer;
	char			 peer[CONN_PEER_MAX];

	char			*in;		/* request bytes */
	size_t			 inlen, insize;
	struct request_parser	 ps;
	struct request		 req;
	int			 have_req;	/* req is valid */
	int			 pending;	/* buffered bytes to parse */
	int			 pass_wait;	/* pass blocked: retry */
	int			 reading;	/* rev is added */
	int			 peer_eof;	/* the client half-closed */
	unsigned		 nreq;
	int			 keepalive;

	/* The response being sent: the head, then the answer's segments. */
	char			 head[CONN_HEAD_MAX];
	size_t			 headlen, headoff;
	struct answer		 ans;
	size_t			 curseg;
	int			 status;
	uint64_t		 sent;		/* body bytes sent */

	/* Request body still to be thrown away. */
	uint64_t		 discard;
	int			 discard_chunked;
	struct http_chunked	 chunk;
};

/*
 * Sets up an empty pool on base.  closed(arg) is called whenever a
 * connection is gone.
 */
void	conn_pool_init(struct conn_pool *, struct event_base *,
	    const struct conf *, const struct serve_env *, int handoff_fd,
	    void (*closed)(void *), void *arg);
/* Takes a freshly accepted socket. */
void	conn_accept(struct conn_pool *, int fd, const struct sockaddr *,
	    socklen_t);
/* Adopts a connection another worker passed on (see conn_pass). */
void	conn_adopt(struct conn_pool *, int fd, unsigned nreq,
	    const char *peer);
/*
 * Graceful stop (QUIT, handoff = 0): idle connections get a short grace
 * and close, busy ones end keep-alive.  Retiring for a reload (handoff =
 * 1): idle connections are passed to the new generation instead, now
 * and whenever a busy one becomes idle.  QUIT while retiring stops the
 * passing.
 */
void	conn_drain_all(struct conn_pool *, int handoff);
/*
 * Fast stop and exit path: closes everything; a response cut short is
 * logged with the bytes actually sent.
 */
void	conn_close_all(struct conn_pool *);
/* Refreshes the Date and log timestamps (at most once a second). */
void	conn_clock(struct conn_pool *);

#endif
