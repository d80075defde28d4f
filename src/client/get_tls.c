/*
 * get_tls: OpenSSL for minihttp-get (see get_tls.h).  Every call is
 * non-blocking: SSL_ERROR_WANT_READ and SSL_ERROR_WANT_WRITE become
 * POLLIN and POLLOUT for get_net to wait for within its deadlines.
 * Failures are worded here, where the verification result and
 * OpenSSL's error queue are known; get_net only adds the exit status
 * and the server.  This file opens no socket and never polls.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "client/get_common.h"
#include "client/get_tls.h"
#include "core/util.h"

#define GET_TLS_SESSIONS	8	/* servers whose session is kept */
#define GET_TLS_LINE_MAX	512	/* a subject or issuer for -v */

/* ALPN protocol list: length-prefixed names, HTTP/1.1 only. */
static const unsigned char get_tls_alpn[] = "\x08http/1.1";

struct get_tls_session {
	char		 key[URL_ORIGIN_MAX];	/* "" : free */
	SSL_SESSION	*sess;
	uint64_t	 used;
};

struct get_tls {
	SSL_CTX			*ctx;
	int			 verify;	/* no -k */
	int			 verbose;
	uint64_t		 tick;
	struct get_tls_session	 sessions[GET_TLS_SESSIONS];
};

struct get_tls_conn {
	struct get_tls	*tls;
	SSL		*ssl;
	char		 host[URL_HOST_MAX];
	char		 key[URL_ORIGIN_MAX];
	int		 failed;	/* no close_notify may be sent */
	int		 abrupt;	/* EOF without close_notify */
	char		 err[GET_TLS_ERR_MAX];
};

static int	get_tls_new_session(SSL *, SSL_SESSION *);
static struct get_tls_session *get_tls_session(struct get_tls *,
		    const char *, int);
static const char *get_tls_reason(void);
static int	get_tls_verify_reason(long, const char *, char *, size_t);
static void	get_tls_describe(const struct get_tls_conn *);
static void	get_tls_name_line(const char *, const X509_NAME *);
static ssize_t	get_tls_result(struct get_tls_conn *, int, size_t, short *);

int
get_tls_new(struct get_tls **tp, const struct get_opts *o)
{
	struct get_tls	*t;
	SSL_CTX		*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return get_err(GET_ETLS, "TLS: cannot create a context: %s",
		    get_tls_reason());
	t = xcalloc(1, sizeof(*t));
	t->ctx = ctx;
	t->verify = !o->insecure;
	t->verbose = o->verbose;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_NO_RENEGOTIATION);
	/* 0 is success for this one. */
	if (SSL_CTX_set_alpn_protos(ctx, get_tls_alpn,
	    sizeof(get_tls_alpn) - 1) != 0)
		goto fail;
	/*
	 * --cacert replaces the system store rather than adding to it, as
	 * curl's does: a test CA must not make every public site trusted
	 * too, nor the system store a private server.
	 */
	if (o->cacert != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, o->cacert, NULL) != 1) {
			get_err(GET_ETLS, "TLS: cannot load --cacert %s: %s",
			    o->cacert, get_tls_reason());
			get_tls_free(t);
			return GET_ETLS;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		goto fail;
	SSL_CTX_set_verify(ctx, t->verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE,
	    NULL);
	/*
	 * Sessions are kept here, per server, and offered again by
	 * get_tls_start; OpenSSL's own cache is keyed by session id, which
	 * a client cannot look up by server.  TLS 1.3 tickets arrive after
	 * the handshake, hence the callback.
	 */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(ctx, get_tls_new_session);
	*tp = t;
	return GET_OK;
fail:
	get_err(GET_ETLS, "TLS: cannot set up the context: %s",
	    get_tls_reason());
	get_tls_free(t);
	return GET_ETLS;
}

void
get_tls_free(struct get_tls *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < GET_TLS_SESSIONS; i++)
		SSL_SESSION_free(t->sessions[i].sess);
	SSL_CTX_free(t->ctx);
	free(t);
}

/*
 * The kept session slot of key; with create, a free or the least
 * recently used slot when key has none.
 */
static struct get_tls_session *
get_tls_session(struct get_tls *t, const char *key, int create)
{
	struct get_tls_session	*s, *lru = &t->sessions[0];
	size_t			 i;

	for (i = 0; i < GET_TLS_SESSIONS; i++) {
		s = &t->sessions[i];
		if (s->sess != NULL && strcmp(s->key, key) == 0)
			return s;
		if (s->used < lru->used)
			lru = s;
	}
	if (!create)
		return NULL;
	SSL_SESSION_free(lru->sess);
	lru->sess = NULL;
	util_strlcpy(lru->key, key, sizeof(lru->key));
	return lru;
}

/* OpenSSL hands over a new session: keep it, the latest per server. */
static int
get_tls_new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct get_tls_conn	*c = SSL_get_app_data(ssl);
	struct get_tls_session	*s;

	if (c == NULL || !SSL_SESSION_is_resumable(sess))
		return 0;
	s = get_tls_session(c->tls, c->key, 1);
	SSL_SESSION_free(s->sess);
	s->sess = sess;
	s->used = ++c->tls->tick;
	return 1;		/* the reference is ours now */
}

int
get_tls_start(struct get_tls *t, int fd, const struct url *u,
    const char *key, struct get_tls_conn **tcp)
{
	struct get_tls_conn	*c;
	struct get_tls_session	*s;
	struct in_addr		 in4;
	int			 ip;

	c = xcalloc(1, sizeof(*c));
	c->tls = t;
	util_strlcpy(c->host, u->host, sizeof(c->host));
	util_strlcpy(c->key, key, sizeof(c->key));
	if ((c->ssl = SSL_new(t->ctx)) == NULL ||
	    SSL_set_fd(c->ssl, fd) != 1)
		goto fail;
	SSL_set_app_data(c->ssl, c);
	SSL_set_connect_state(c->ssl);
	/* SNI names a host; RFC 6066 forbids literal addresses there. */
	ip = u->ipv6 || inet_pton(AF_INET, u->host, &in4) == 1;
	if (!ip && SSL_set_tlsext_host_name(c->ssl, u->host) != 1)
		goto fail;
	if (t->verify) {
		if (ip) {
			if (X509_VERIFY_PARAM_set1_ip_asc(
			    SSL_get0_param(c->ssl), u->host) != 1)
				goto fail;
		} else {
			SSL_set_hostflags(c->ssl,
			    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			if (SSL_set1_host(c->ssl, u->host) != 1)
				goto fail;
		}
	}
	if ((s = get_tls_session(t, key, 0)) != NULL) {
		if (SSL_set_session(c->ssl, s->sess) != 1)
			goto fail;
		s->used = ++t->tick;
	}
	*tcp = c;
	return GET_OK;
fail:
	get_err(GET_ETLS, "TLS: cannot set up a connection to %s: %s",
	    u->host, get_tls_reason());
	c->failed = 1;
	get_tls_close(c);
	return GET_ETLS;
}

/* The reason of the last OpenSSL error, for messages. */
static const char *
get_tls_reason(void)
{
	unsigned long	 e = ERR_peek_last_error();
	const char	*r;

	if (e == 0)
		return "unknown error";
	r = ERR_reason_error_string(e);
	return r != NULL ? r : "unknown error";
}

/*
 * The words for a failed verification: the causes a user can act on
 * get their own (a renewal, --cacert, the right name); the rest get
 * OpenSSL's.  Returns 0, or -1 when the result is no failure.
 */
static int
get_tls_verify_reason(long vr, const char *host, char *buf, size_t size)
{
	switch (vr) {
	case X509_V_OK:
		return -1;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(buf, size, "certificate has expired");
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(buf, size, "certificate is not yet valid");
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		snprintf(buf, size, "unknown CA (self-signed or not trusted)");
		break;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		snprintf(buf, size, "certificate does not match %s", host);
		break;
	default:
		snprintf(buf, size, "certificate verification failed: %s",
		    X509_verify_cert_error_string(vr));
		break;
	}
	return 0;
}

int
get_tls_handshake(struct get_tls_conn *c, short *events, const char *auth)
{
	char	why[GET_TLS_ERR_MAX];
	int	r, e;

	ERR_clear_error();
	errno = 0;
	if ((r = SSL_do_handshake(c->ssl)) == 1) {
		if (c->tls->verbose)
			get_tls_describe(c);
		return GET_OK;
	}
	switch ((e = SSL_get_error(c->ssl, r))) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		return GET_TLS_WANT;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		return GET_TLS_WANT;
	default:
		break;
	}
	c->failed = 1;
	if (c->tls->verify && get_tls_verify_reason(
	    SSL_get_verify_result(c->ssl), c->host, why, sizeof(why)) == 0)
		return get_err(GET_ETLS, "TLS: %s: %s", why, auth);
	if (e == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0)
		return get_err(GET_ETLS, "TLS: handshake failed: %s: %s",
		    errno != 0 ? strerror(errno) :
		    "connection closed by server", auth);
	return get_err(GET_ETLS, "TLS: handshake failed: %s: %s",
	    get_tls_reason(), auth);
}

/* -v: protocol, suite, ALPN, then who the certificate names. */
static void
get_tls_describe(const struct get_tls_conn *c)
{
	const unsigned char	*alpn;
	unsigned int		 alen;
	X509			*cert;
	BIO			*b;
	char			 line[GET_TLS_LINE_MAX];
	long			 vr;
	int			 n;

	SSL_get0_alpn_selected(c->ssl, &alpn, &alen);
	get_info("%s %s, ALPN %.*s", SSL_get_version(c->ssl),
	    SSL_get_cipher_name(c->ssl), alen > 0 ? (int)alen : 4,
	    alen > 0 ? (const char *)alpn : "none");
	if (SSL_session_reused(c->ssl))
		get_info("TLS session resumed");
	if ((cert = SSL_get0_peer_certificate(c->ssl)) == NULL)
		return;
	get_tls_name_line("subject", X509_get_subject_name(cert));
	get_tls_name_line("issuer", X509_get_issuer_name(cert));
	if ((b = BIO_new(BIO_s_mem())) != NULL) {
		if (ASN1_TIME_print(b, X509_get0_notAfter(cert)) == 1 &&
		    (n = BIO_read(b, line, sizeof(line) - 1)) > 0)
			get_info(" expires: %.*s", n, line);
		BIO_free(b);
	}
	vr = SSL_get_verify_result(c->ssl);
	if (c->tls->verify)
		get_info(" certificate verified");
	else if (get_tls_verify_reason(vr, c->host, line, sizeof(line)) == 0)
		get_info(" certificate not verified (-k): %s", line);
	else
		get_info(" certificate not verified (-k)");
}

static void
get_tls_name_line(const char *what, const X509_NAME *name)
{
	char	line[GET_TLS_LINE_MAX];
	BIO	*b;
	int	 n;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return;
	/* ONELINE escapes control and 8-bit bytes: safe on a terminal. */
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE) >= 0 &&
	    (n = BIO_read(b, line, sizeof(line) - 1)) > 0)
		get_info(" %s: %.*s", what, n, line);
	BIO_free(b);
}

/*
 * The outcome of SSL_read_ex or SSL_write_ex as recv/send would give it
 * (see get_tls.h).
 */
static ssize_t
get_tls_result(struct get_tls_conn *c, int r, size_t done, short *events)
{
	unsigned long	e;

	if (r == 1)
		return (ssize_t)done;
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;		/* close_notify */
	case SSL_ERROR_SYSCALL:
		c->failed = 1;
		if (ERR_peek_last_error() == 0 && errno == 0) {
			c->abrupt = 1;
			return 0;
		}
		if (errno != 0)
			return -1;
		break;
	default:
		c->failed = 1;
		e = ERR_peek_last_error();
		/* OpenSSL 3's word for a TCP end without close_notify. */
		if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
		    ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			c->abrupt = 1;
			return 0;
		}
		break;
	}
	util_strlcpy(c->err, get_tls_reason(), sizeof(c->err));
	errno = EPROTO;
	return -1;
}

ssize_t
get_tls_read(struct get_tls_conn *c, char *buf, size_t size, short *events)
{
	size_t	got = 0;
	int	r;

	ERR_clear_error();
	errno = 0;
	r = SSL_read_ex(c->ssl, buf, size, &got);
	return get_tls_result(c, r, got, events);
}

ssize_t
get_tls_write(struct get_tls_conn *c, const char *p, size_t len,
    short *events)
{
	size_t	done = 0;
	int	r;

	ERR_clear_error();
	errno = 0;
	r = SSL_write_ex(c->ssl, p, len, &done);
	return get_tls_result(c, r, done, events);
}

const char *
get_tls_error(const struct get_tls_conn *c)
{
	return c->err[0] != '\0' ? c->err : "unknown error";
}

int
get_tls_abrupt(const struct get_tls_conn *c)
{
	return c->abrupt;
}

/*
 * The close_notify goes out only if the socket takes it at once: the
 * connection is closed right after, and waiting for the server's own
 * alert would only cost time.
 */
void
get_tls_close(struct get_tls_conn *c)
{
	if (c == NULL)
		return;
	if (c->ssl != NULL) {
		if (!c->failed && SSL_is_init_finished(c->ssl)) {
			ERR_clear_error();
			(void)SSL_shutdown(c->ssl);
		}
		SSL_free(c->ssl);
	}
	ERR_clear_error();
	free(c);
}
