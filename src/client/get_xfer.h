/*
 * get_xfer: one HTTP exchange of minihttp-get: the request head, the
 * response head (interim 1xx responses skipped) and the body, decoded
 * from its framing and handed to a sink in pieces of at most one
 * buffer, never gathered in memory.  A keep-alive connection the server
 * closed while idle is noticed before the first response byte and the
 * request sent once more on a new one.
 */
#ifndef MINIHTTPD_GET_XFER_H
#define MINIHTTPD_GET_XFER_H

#include <stddef.h>
#include <stdint.h>

#include "client/get_common.h"
#include "client/get_net.h"
#include "core/response.h"
#include "core/url.h"

#define GET_REQUEST_MAX		(URL_PATH_MAX + 16384)
#define GET_DRAIN_MAX		65536	/* unwanted body read to keep a
					   connection */

struct get_req {
	const struct url	*url;
	const char		*auth;		/* url's "host:port" */
	int			 last;		/* send Connection: close */
	const char		*range;		/* after "bytes=", or NULL */
	const char		*if_range;	/* an HTTP-date, or NULL */
	const char		*ims;		/* If-Modified-Since, or NULL */
};

/* A response being received. */
struct get_xfer {
	struct get_net		*net;
	struct get_conn		*conn;
	const char		*path;		/* for messages */
	const char		*auth;
	struct response_parser	 p;
	struct response		 r;		/* points into conn->buf */
	enum response_body	 how;
	int			 keep;		/* reusable afterwards */
	uint64_t		 got;		/* body bytes so far */
};

/* Body bytes for the caller: GET_OK or an exit status to stop. */
typedef int	(*get_sink)(void *arg, const char *p, size_t len);

/* The request head in buf; 0 when it does not fit in size. */
size_t	get_xfer_request(const struct get_opts *, const struct get_req *,
	    char *buf, size_t size);

/*
 * Sends the request and reads the final response head into x->r.
 * Returns GET_OK or an exit status after printing why.  The head stays
 * valid until the body is read.
 */
int	get_xfer_start(struct get_net *, const struct get_req *,
	    struct get_xfer *x);

/* Reads the body into sink; with sink NULL, drains it (see above). */
int	get_xfer_body(struct get_xfer *, get_sink sink, void *arg);

/* Keeps the connection for the next request when ok and possible. */
void	get_xfer_finish(struct get_xfer *, int ok);

#endif
