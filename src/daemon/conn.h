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
#define CONN_PEER_MAX		46	/* INET6_ADDRSTRLEN */
#define CONN_BUF_SPARE_MAX	64	/* free buffers a pool keeps */
#define CONN_SPARE_MAX		64	/* closed connections it keeps */
#define CONN_AUTH_TRIES		3	/* wrong credentials, then close */

enum conn_state {
	CONN_HEAD = 0,
	CONN_SEND,
	CONN_BODY,
	CONN_IDLE,
	CONN_LINGER
};

/*
 * The timeouts.  All the timeouts of one kind have the same length, so a
 * queue per kind, appended to, stays in deadline order: setting a
 * timeout is an append (no allocation, no call into libevent), and the
 * pool needs one libevent timer for the earliest head of all queues.
 */
enum conn_timer {
	CONN_T_HEADER = 0,	/* timeouts.header */
	CONN_T_KEEPALIVE,	/* timeouts.keepalive */
	CONN_T_SEND,		/* timeouts.send */
	CONN_T_LINGER,		/* CONN_LINGER_SECS */
	CONN_T_GRACE,		/* CONN_DRAIN_GRACE_SECS */
	CONN_T_COUNT
};

struct conn_queue {
	struct conn	*first, *last;
	long		 msec;		/* the length of this kind */
};

/*
 * What a request in flight needs and an idle connection does not: the
 * request bytes and their parse, the answer and its head.  Taken from
 * the pool when bytes arrive, given back when the connection is idle
 * again, so an idle keep-alive connection holds no buffer.
 */
struct conn_buf {
	struct conn_buf		*next;		/* the pool's free list */
	struct request_parser	 ps;
	struct request		 req;
	int			 have_req;	/* req is valid */
	int			 status;	/* of the response being sent */
	uint64_t		 sent;		/* its body bytes sent */
	size_t			 headlen, headoff;
	size_t			 curseg;
	struct http_chunked	 chunk;		/* a chunked body to drop */
	struct answer		 ans;
	char			 head[CONN_HEAD_MAX];
	char			 in[];		/* request bytes, pool insize */
};

/*
 * A worker's connections and what they share: the event base, the
 * configuration, the clock of the Date header and the log, the timeout
 * queues, the free buffers, and the hand-off channel of a reload.
 */
struct conn_pool {
	struct event_base	*base;
	const struct conf	*conf;
	struct request_limits	 limits;
	const struct serve_env	*env;
	struct conn		*conns;		/* all open connections */
	struct conn		*spare;		/* closed, ready for reuse */
	size_t			 nspare;
	struct conn_buf		*bufs;		/* free buffers */
	size_t			 nbufs;
	size_t			 insize;	/* request bytes a buffer holds */
	size_t			 freed;		/* bytes freed since the trim */
	struct conn_queue	 tq[CONN_T_COUNT];
	struct event		 timer_ev;	/* the earliest deadline */
	long			 armed;		/* its deadline (ms), or 0 */
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
	struct conn		*tnext, *tprev;	/* in its timeout queue */
	long			 deadline;	/* ms, monotonic */
	signed char		 tq;		/* enum conn_timer, or -1 */
	unsigned char		 pending;	/* buffered bytes to parse */
	unsigned char		 pass_wait;	/* pass blocked: retry */
	unsigned char		 reading;	/* rev is added */
	unsigned char		 peer_eof;	/* the client half-closed */
	unsigned char		 keepalive;
	unsigned char		 discard_chunked;
	unsigned char		 auth_fails;	/* wrong credentials sent */
	enum conn_state		 state;
	unsigned		 nreq;
	struct transport	 tr;
	struct conn_buf		*buf;		/* NULL when idle */
	size_t			 inlen;		/* bytes in buf->in */
	uint64_t		 discard;	/* request body to drop */
	struct event		 rev, wev;
	unsigned short		 addr;		/* listening address index */
	union {
		struct sockaddr		sa;
		struct sockaddr_in	in;
		struct sockaddr_in6	in6;
	}			 sa;		/* the client, binary */
	char			 peer[CONN_PEER_MAX];
};

/*
 * Sets up an empty pool on base.  closed(arg) is called whenever a
 * connection is gone.
 */
void	conn_pool_init(struct conn_pool *, struct event_base *,
	    const struct conf *, const struct serve_env *, int handoff_fd,
	    void (*closed)(void *), void *arg);
/* Takes a freshly accepted socket, from listening address addr. */
void	conn_accept(struct conn_pool *, int fd, const struct sockaddr *,
	    socklen_t, size_t addr);
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
/*
 * Gives memory freed since the last call back to the system (called
 * about once a second): the memory of a burst does not stay.
 */
void	conn_pool_trim(struct conn_pool *);

#endif
