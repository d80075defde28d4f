/*
 * serve: what to answer.  Given a parsed request, serve decides the
 * response (a file, a range of it, a listing, a redirect or an error
 * page) and returns a description of it, a struct answer: the status
 * and head fields, the body as segments (memory, or a range of the
 * file), and the file it holds.  It reaches the filesystem only through
 * the open-file cache and resolve, never sees a socket, and never calls
 * back into conn: conn formats the head, sends the segments and calls
 * serve_release when they are gone.
 */
#ifndef MINIHTTPD_SERVE_H
#define MINIHTTPD_SERVE_H

#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "core/range.h"
#include "core/reply.h"
#include "core/request.h"
#include "core/resolve.h"
#include "daemon/conf.h"
#include "daemon/fcache.h"
#include "daemon/sites.h"

/* Multipart needs a head and a body per part, and a closing line. */
#define SERVE_SEGS		(2 * RANGE_MAX + 1)
/*
 * One part's boundary and headers: the media type and charset are
 * bounded by CONF_TYPE_MAX and CONF_CHARSET_MAX, the numbers by 20
 * digits each.
 */
#define SERVE_PART_MAX		(160 + CONF_TYPE_MAX + CONF_CHARSET_MAX)
#define SERVE_BOUNDARY_LEN	20
/* A Location must leave room for the rest of a response head. */
#define SERVE_LOCATION_MAX	1536

/* A piece of response body: memory, or file bytes when mem is NULL. */
struct serve_seg {
	const char	*mem;
	off_t		 off;
	size_t		 len;
};

/* What serve may read of the worker, and the cache it may use. */
struct serve_env {
	const struct conf		*conf;
	struct fcache			*cache;
	const struct sites		*sites;		/* roots, htpasswd */
	const char			*boundary;	/* multipart, per worker */
	const time_t			*now;		/* the worker's clock */
};

/* Where a request came from. */
struct serve_peer {
	size_t			 addr;		/* index in conf->addrs */
	const struct sockaddr	*sa;		/* the client, for allow */
	const char		*name;		/* the client, for the log */
	int			 tls;		/* $scheme is https */
	const void		*sni_site;	/* the conf_site SNI chose */
};

/*
 * The answer: reply holds the status and the fields serve decides; the
 * fields of the connection (Date, Server, Connection) are conn's.  The
 * strings reply points to live in the answer itself.
 */
struct answer {
	struct reply		 reply;
	struct serve_seg	 seg[SERVE_SEGS];
	size_t			 nseg;
	int			 file;		/* for file segments; -1 */
	int			 file_owned;	/* close file when released */
	struct fcache_entry	*entry;		/* the cache entry held */
	const char		*data;		/* its bytes, when in memory */
	char			*listing;	/* owned: a listing's head */
	size_t			 log_id;	/* the site's access log */
	char			 etag[FCACHE_ETAG_MAX];
	char			 crange[RANGE_CONTENT_MAX];
	char			 mtype[64];
	char			 location[SERVE_LOCATION_MAX];
	char			 auth_field[CONF_REALM_MAX + 80];
	char			 parts[RANGE_MAX * SERVE_PART_MAX + 64];
};

/* Zeroes an answer that holds nothing (file = -1). */
void	serve_init(struct answer *);
/* The answer to req. */
void	serve_request(const struct serve_env *, const struct request *,
	    const struct serve_peer *, struct answer *);
/*
 * A fixed error page for status; req is NULL when the request could not
 * be parsed (then no body is left out for HEAD).
 */
void	serve_error(const struct request *, int status, struct answer *);
/* Lets go of what the answer holds: the file, the cache entry, the listing. */
void	serve_release(struct answer *);

#endif
