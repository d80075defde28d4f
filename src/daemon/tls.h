/*
 * tls: HTTPS for the daemon, with OpenSSL 3 driven directly on the
 * non-blocking socket (DESIGN section 4a).  The only daemon file that
 * includes OpenSSL.  The master builds one context per TLS site before
 * it drops privileges (certificate chain and key read as root); workers
 * inherit the contexts by fork, so they share the session ticket keys
 * OpenSSL made for each context and a session resumes on any worker.
 * A connection's TLS lives behind the transport seam (transport.h):
 * conn calls recv/sendv/shutdown as for plain TCP and honours want.
 */
#ifndef MINIHTTPD_TLS_H
#define MINIHTTPD_TLS_H

#include <stddef.h>
#include <time.h>

#include "daemon/transport.h"

#define TLS_ERR_MAX		512
#define TLS_RECORD_MAX		16384	/* plaintext bytes per record */
#define TLS_EXPIRY_WARN_DAYS	14
#define TLS_NAME_MAX		255	/* longest SNI name passed to select */
#define TLS_CERTS_MAX		4	/* certificates of one site (key types) */

struct tls_ctx;			/* one site's SSL_CTX, opaque */

struct tls_opts {
	/*
	 * ncerts (1 to TLS_CERTS_MAX) PEM files, each leaf first, then its
	 * chain, and the key of each: one certificate per key type (ECDSA
	 * and RSA, say), and the handshake picks the one the client can
	 * verify.
	 */
	const char *const *certificates;
	const char *const *keys;
	size_t		 ncerts;
	int		 min_tls13;	/* protocols = "TLSv1.3" */
	const char	*ciphers;	/* TLS 1.2 suites, "" = the default:
					   AEAD with forward secrecy only */
	char *const	*names;		/* the site's names, for the check */
	size_t		 nnames;
};

/*
 * Reads and checks each certificate chain and key and builds a server
 * context: TLS 1.2 and 1.3 only (1.3 only with min_tls13), ECDHE+AEAD
 * suites for 1.2 with the server's preference, groups X25519 and P-256,
 * no compression, no renegotiation, no 0-RTT, ALPN "http/1.1",
 * SSL_MODE_RELEASE_BUFFERS (idle connections hold no buffers).  Returns
 * NULL with "PATH: why" in err: unreadable file, no certificate, a key
 * that does not match the certificate, a chain out of order, an expired
 * certificate, two certificates with the same type of key.  warn (may be NULL) gets a warning or "": expiring within
 * TLS_EXPIRY_WARN_DAYS days, names the certificate does not cover.
 * now is the time to judge expiry by.
 */
struct tls_ctx	*tls_ctx_new(const struct tls_opts *, time_t now, char *err,
		    size_t errsz, char *warn, size_t warnsz);
void		 tls_ctx_free(struct tls_ctx *);

/*
 * SNI: called during a handshake on an address with the server name the
 * client sent (canonical: lower case, no trailing dot; NULL when none).
 * It returns the context to use (NULL: keep the one the connection
 * started with) and sets *site to the caller's site pointer, which
 * tls_site then returns.
 */
typedef struct tls_ctx *(*tls_select_fn)(void *arg, const char *name,
		    const void **site);

/*
 * A TLS transport on an accepted socket, with ctx the default context of
 * the address (its default site's) and select/arg for SNI.  The
 * handshake runs inside the first recv (it returns -1/EAGAIN with want
 * set until it is done).  Before the handshake, recv peeks at the first
 * bytes: a plain HTTP request (a letter where a TLS record must start)
 * is answered with a plain-text "400 Bad Request" saying the port speaks
 * HTTPS, and recv returns -1 with errno EPROTO.  Any other handshake
 * failure returns -1 with errno ECONNRESET after a debug-level log line.
 * sendv packs its iovecs into records of up to TLS_RECORD_MAX bytes.
 * Where the kernel takes over the record layer after the handshake
 * (kTLS: the "tls" module, a cipher it knows), sendfile is SSL_sendfile;
 * elsewhere it is NULL and conn sends files as pread + sendv.  The first
 * handshake of each kind in a process logs which path files take.  pending is
 * how many decrypted bytes wait inside OpenSSL (recv again before
 * waiting on the socket).  Returns 0, or -1 (no memory).
 *
 * The contract of sendv is write(2)'s: it returns how many bytes of the
 * iovecs went out, and the caller presents the bytes it was not told
 * about again on the next call (from any buffer: the transport keeps
 * its own copy of a record it could not finish).  A byte counts as sent
 * only once the record that holds it is in the socket, so that when
 * conn has been told that a whole response went out, nothing of it
 * waits inside the transport.  -1 with EAGAIN and want: nothing could
 * be taken now.
 *
 * The socket goes through OpenSSL's socket BIO, which writes with
 * write(2): the process must ignore SIGPIPE (the worker does).
 */
int		 tls_transport(struct transport *, int fd, struct tls_ctx *,
		    tls_select_fn select, void *arg);
/* The site SNI chose (see tls_select_fn), or NULL. */
const void	*tls_site(const struct transport *);
/* Decrypted bytes waiting inside the transport (0 for plain TCP). */
size_t		 tls_pending(const struct transport *);
/* "TLSv1.3 TLS_AES_128_GCM_SHA256" of a finished handshake, for logs. */
const char	*tls_describe(const struct transport *, char *, size_t);

#endif
