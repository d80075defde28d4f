/*
 * conn: one client connection's state machine, and the worker state it
 * shares with worker.c.  Only this header, conn.c and worker.c see
 * libevent.
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

#include "daemon/conf.h"
#include "daemon/fcache.h"
#include "core/http.h"
#include "core/httpdate.h"
#include "core/range.h"
#include "core/reply.h"
#include "core/request.h"
#include "core/resolve.h"

#define WORKER_LISTEN_MAX	64
#define WORKER_SIGNALS		5	/* TERM INT QUIT USR1 USR2 */
#define CONN_HEAD_MAX		2048	/* response head */
#define CONN_PEER_MAX		64

/* Multipart needs a head and a body per part, and a closing line. */
#define CONN_SEGS		(2 * RANGE_MAX + 1)
/*
 * One part's boundary and headers: the media type and charset are
 * bounded by CONF_TYPE_MAX and CONF_CHARSET_MAX, the numbers by 20
 * digits each.
 */
#define CONN_PART_MAX		(160 + CONF_TYPE_MAX + CONF_CHARSET_MAX)
#define CONN_BOUNDARY_LEN	20

/* A piece of response body: memory, or file bytes when mem is NULL. */
struct conn_seg {
	const char	*mem;
	off_t		 off;
	size_t		 len;
};

enum conn_state {
	CONN_HEAD = 0,
	CONN_SEND,
	CONN_BODY,
	CONN_IDLE,
	CONN_LINGER
};

struct worker {
	struct event_base	*base;
	const struct conf	*conf;
	struct resolve_opts	 ropts;
	struct request_limits	 limits;
	int			 listen_fds[WORKER_LISTEN_MAX];
	struct event		 accept_ev[WORKER_LISTEN_MAX];
	size_t			 nlisten;
	int			 accepting;
	struct event		 pause_ev;	/* EMFILE back-off */
	struct event		 drain_ev;	/* shutdown deadline */
	struct event		 sig_ev[WORKER_SIGNALS];
	size_t			 nconns;
	struct conn		*conns;		/* all open connections */
	struct conn		*spare;		/* closed, ready for reuse */
	int			 draining;	/* QUIT or retiring */
	int			 handoff;	/* retiring: pass idle conns on */
	int			 handoff_fd;	/* SOCK_SEQPACKET, shared */
	struct event		 handoff_ev;	/* adopt passed connections */
	struct event		 retry_ev;	/* re-try passes that blocked */
	struct event		 tick_ev;	/* log flush, load report */
	int			 report_fd;
	unsigned		 generation;
	size_t			 reported;	/* nconns last reported */
	time_t			 now;
	char			 date[HTTPDATE_LEN + 1];
	char			 clf[HTTPDATE_CLF_LEN + 1];
	char			 boundary[CONN_BOUNDARY_LEN + 1];
	struct fcache		 cache;
};

/* What travels with a passed connection, beside the descriptor. */
struct conn_handoff {
	uint32_t	magic;
	uint32_t	nreq;
	char		peer[CONN_PEER_MAX];
};
#define CONN_HANDOFF_MAGIC	0x6d687031	/* "mhp1" */

struct conn {
	struct worker		*w;
	struct conn		*next, *prev;
	int			 fd;
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

	/* The response being sent: the head, then the body segments. */
	char			 head[CONN_HEAD_MAX];
	size_t			 headlen, headoff;
	struct conn_seg		 seg[CONN_SEGS];
	size_t			 nseg, curseg;
	char			 parts[RANGE_MAX * CONN_PART_MAX + 64];
	char			*listing;	/* owned body (autoindex) */
	struct fcache_entry	*entry;		/* cached file being sent */
	const char		*data;		/* its bytes, when in memory */
	int			 file_owned;	/* close file when done */
	int			 file;
	int			 status;
	uint64_t		 sent;		/* body bytes sent */

	/* Request body still to be thrown away. */
	uint64_t		 discard;
	int			 discard_chunked;
	struct http_chunked	 chunk;
};

/* Takes a freshly accepted socket. */
void	conn_accept(struct worker *, int fd, const struct sockaddr *,
	    socklen_t);
/* Adopts a connection another worker passed on (see conn_pass). */
void	conn_adopt(struct worker *, int fd, unsigned nreq, const char *peer);
/*
 * Graceful stop (QUIT): idle connections get a short grace and close,
 * busy ones end keep-alive.  When retiring for a reload (w->handoff),
 * idle connections are passed to the new generation instead, now and
 * whenever a busy one becomes idle.
 */
void	conn_drain_all(struct worker *);
/* Re-tries passes that found the hand-off channel full. */
void	conn_retry_passes(struct worker *);
/* Fast stop and exit path: closes everything. */
void	conn_close_all(struct worker *);
/* Formats r into the head and starts sending it with the body segments. */
void	conn_start_send(struct conn *, struct reply *);

/* serve.c: the answer to c->req (or an error page for status). */
void	serve_request(struct conn *);
void	serve_error(struct conn *, int status, const char *location);
/* Lets go of the file being served: the fd, or the hold on the cache. */
void	serve_release(struct conn *);

/* A pass found the hand-off channel full: try again shortly. */
void	worker_retry_later(struct worker *);
/* Called by conn.c whenever a connection is gone. */
void	worker_conn_closed(struct worker *);
/* Refreshes the cached Date and log timestamps (at most once a second). */
void	worker_clock(struct worker *);

#endif
