/*
 * get_tls: HTTPS for minihttp-get, the only client file that uses
 * OpenSSL.  It wraps a connected non-blocking socket in a client TLS
 * session (certificate and host name verified against the system store
 * or --cacert, unless -k; SNI for names; TLS 1.2 at least; ALPN
 * http/1.1) and turns SSL_read and SSL_write into reads and writes that
 * say which poll() event to wait for.  It never waits itself: get_net
 * owns the sockets, the deadlines and poll().  Sessions are kept per
 * server so that a second connection to it resumes the first one's.
 *
 * Built only with OpenSSL (HAVE_OPENSSL); otherwise the stubs below
 * make an https:// URL a usage error and nothing else changes.
 */
#ifndef MINIHTTPD_GET_TLS_H
#define MINIHTTPD_GET_TLS_H

#include <sys/types.h>

#include <errno.h>
#include <stddef.h>

#include "client/get_common.h"
#include "core/url.h"

#define GET_TLS_WANT	(-2)	/* handshake: wait for *events, call again */
#define GET_TLS_ERR_MAX	160	/* a failure's reason, NUL included */

struct get_tls;			/* one per run: context, kept sessions */
struct get_tls_conn;		/* one per connection */

#ifdef HAVE_OPENSSL

/*
 * The context of a run: CA store, verification and protocol settings
 * from the options.  GET_OK, or an exit status after printing why.
 */
int	get_tls_new(struct get_tls **, const struct get_opts *);
void	get_tls_free(struct get_tls *);

/*
 * A TLS client on the connected socket fd for the server of u; key
 * names the server for session resumption (its origin).  GET_OK with
 * *tc set, or an exit status after printing why.
 */
int	get_tls_start(struct get_tls *, int fd, const struct url *u,
	    const char *key, struct get_tls_conn **tc);

/*
 * One step of the handshake: GET_OK once done (and described on
 * standard error with -v), GET_TLS_WANT with *events to poll for, or
 * GET_ETLS after printing the reason with auth ("host:port").
 */
int	get_tls_handshake(struct get_tls_conn *, short *events,
	    const char *auth);

/*
 * As recv(2) and send(2) on a non-blocking socket: bytes, 0 at the end
 * of the stream (read), or -1 with errno: EAGAIN (wait for *events, then
 * call again with the same arguments), EPROTO (a TLS failure, see
 * get_tls_error), or the socket's error.
 */
ssize_t	get_tls_read(struct get_tls_conn *, char *, size_t, short *events);
ssize_t	get_tls_write(struct get_tls_conn *, const char *, size_t,
	    short *events);

/* After EPROTO: OpenSSL's reason, for a one-line message. */
const char *get_tls_error(const struct get_tls_conn *);

/*
 * After a read returned 0: 1 when the server closed the connection
 * without a close_notify alert (a cut that an attacker can make), 0
 * when it closed cleanly.
 */
int	get_tls_abrupt(const struct get_tls_conn *);

/* Sends close_notify when the session is sound, then frees it. */
void	get_tls_close(struct get_tls_conn *);

#else

static inline int
get_tls_new(struct get_tls **t, const struct get_opts *o)
{
	(void)t;
	(void)o;
	return get_err(GET_EUSAGE, "https: built without TLS support");
}

static inline void
get_tls_free(struct get_tls *t)
{
	(void)t;
}

static inline int
get_tls_start(struct get_tls *t, int fd, const struct url *u,
    const char *key, struct get_tls_conn **tc)
{
	(void)t, (void)fd, (void)u, (void)key, (void)tc;
	return GET_EUSAGE;
}

static inline int
get_tls_handshake(struct get_tls_conn *tc, short *events, const char *auth)
{
	(void)tc, (void)events, (void)auth;
	return GET_EUSAGE;
}

static inline ssize_t
get_tls_read(struct get_tls_conn *tc, char *p, size_t n, short *events)
{
	(void)tc, (void)p, (void)n, (void)events;
	errno = EPROTO;
	return -1;
}

static inline ssize_t
get_tls_write(struct get_tls_conn *tc, const char *p, size_t n,
    short *events)
{
	(void)tc, (void)p, (void)n, (void)events;
	errno = EPROTO;
	return -1;
}

static inline const char *
get_tls_error(const struct get_tls_conn *tc)
{
	(void)tc;
	return "built without TLS support";
}

static inline int
get_tls_abrupt(const struct get_tls_conn *tc)
{
	(void)tc;
	return 0;
}

static inline void
get_tls_close(struct get_tls_conn *tc)
{
	(void)tc;
}

#endif	/* HAVE_OPENSSL */

#endif
