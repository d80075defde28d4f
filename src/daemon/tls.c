/*
 * tls: HTTPS with OpenSSL 3 on the non-blocking socket, behind the
 * transport seam (transport.h).  It builds and checks one SSL_CTX per
 * TLS site (tls_ctx_new, in the master, before privileges drop) and runs
 * a connection's TLS (tls_transport, in a worker).  It is the only
 * daemon file that includes OpenSSL.  It never prints: the checks of a
 * certificate come back as text, and a failed connection is one
 * debug-level log line and an errno for conn.
 *
 * Every context is built the same way, so that a handshake may move to
 * the context SNI chose (SSL_set_SSL_CTX moves only the certificate):
 * options, ALPN and the callbacks are the same everywhere; the lowest
 * protocol and the TLS 1.2 suites, which may differ by site, are copied
 * onto the connection when it moves (hello_cb).
 *
 * Resumption.  Session tickets are sealed with keys derived from a
 * secret the master draws once, at its first context, and keeps in
 * memory only (never on disk): workers inherit it by fork, and a reload,
 * which makes new contexts in the same master, derives the same keys,
 * so a ticket resumes on any worker and across reloads.  The keys change
 * every TLS_TICKET_PERIOD (a day); a ticket of the previous period is
 * still accepted and replaced.  The internal session cache is per
 * process and would only help a client without tickets that comes back
 * to the same worker, so it is off.
 *
 * Certificates.  A site may have one per type of key (ECDSA and RSA,
 * say), all in its one context: OpenSSL keeps a slot per type and the
 * handshake picks the certificate the client's signature algorithms
 * (TLS 1.3) or suites (TLS 1.2) allow: ECDSA when the client takes
 * both, as the server's signature algorithms list it first.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "daemon/log.h"
#include "daemon/tls.h"

/*
 * TLS 1.2 suites by default: ECDHE and AEAD only, AES-128-GCM first (the
 * fastest where AES-NI is; SSL_OP_PRIORITIZE_CHACHA serves ChaCha20 to
 * clients that prefer it, phones without AES instructions).
 */
#define TLS_CIPHERS_DEFAULT	"ECDHE+AESGCM+AES128:ECDHE+AESGCM:ECDHE+CHACHA20"
#define TLS_SUITES13		"TLS_AES_128_GCM_SHA256:" \
				"TLS_AES_256_GCM_SHA384:" \
				"TLS_CHACHA20_POLY1305_SHA256"
#define TLS_GROUPS		"X25519:P-256"
#define TLS_SID_CTX		"minihttpd"
#define TLS_DRAIN_MAX		16384	/* request bytes read after the 400 */
#define TLS_DATE_MAX		32

struct tls_ctx {
	SSL_CTX		*ctx;
	int		 min_version;
	char		*ciphers;
};

/* A connection's TLS: t->state. */
struct tls_conn {
	SSL		*ssl;
	tls_select_fn	 select;
	void		*arg;
	const void	*site;
	unsigned char	*pend;		/* a record SSL_write has to finish */
	size_t		 pendlen;
	size_t		 owed;		/* sent but not yet reported */
	int		 err;		/* errno of a failure: no more I/O */
	unsigned	 peeked:1, handshaken:1;
};

static ssize_t	tls_recv(struct transport *, void *, size_t);
static ssize_t	tls_sendfile(struct transport *, int, off_t *, size_t);
static int	is_tls(const struct transport *);
static void	log_file_path(int);
static ssize_t	tls_sendv(struct transport *, const struct iovec *, int,
		    int);
static int	tls_shutdown(struct transport *);
static void	tls_release(struct transport *);
static int	peek(struct transport *);
static void	plain_answer(int);
static int	handshake(struct transport *);
static ssize_t	io_fail(struct transport *, int, const char *);
static ssize_t	write_record(struct transport *, const unsigned char *,
		    size_t);
static int	flush_pending(struct transport *);
static size_t	gather(const struct iovec *, int, int *, size_t *);
static int	ticket_derive(uint64_t, unsigned char[16], unsigned char[32],
		    unsigned char[32]);
static int	hello_cb(SSL *, int *, void *);
static int	sni_ack_cb(SSL *, int *, void *);
static int	alpn_cb(SSL *, const unsigned char **, unsigned char *,
		    const unsigned char *, unsigned int, void *);
static int	no_passphrase(char *, int, int, void *);
static int	sni_name(const unsigned char *, size_t, char *, size_t);
static int	same_ciphers(SSL *, SSL_CTX *);
static int	set_protocol(SSL_CTX *, const struct tls_opts *, char *,
		    size_t);
static int	set_ciphers(struct tls_ctx *, const struct tls_opts *, char *,
		    size_t);
static int	load_chain(SSL_CTX *, const char *, char *, size_t);
static int	load_pair(struct tls_ctx *, const struct tls_opts *, size_t,
		    int *, time_t, char *, size_t, char *, size_t);
static int	load_key(SSL_CTX *, const char *, const char *, X509 *,
		    char *, size_t);
static int	check_order(SSL_CTX *, const char *, char *, size_t);
static int	check_dates(SSL_CTX *, const char *, time_t, char *, size_t,
		    char *, size_t);
static int	check_time(X509 *, int, const char *, time_t, char *, size_t,
		    char *, size_t);
static int	suites_usable(SSL_CTX *);
static void	check_names(X509 *, const struct tls_opts *, const char *,
		    char *, size_t);
static void	describe_ssl_error(const char *, const char *, char *, size_t);
static void	asn1_date(const ASN1_TIME *, char *, size_t);
static void	append(char *, size_t, const char *, const char *);

static const struct transport_ops tls_ops = {
	"tls",
	tls_recv,
	tls_sendv,
	NULL,
	tls_shutdown,
	tls_release
};

/* After a handshake that the kernel took over for sending (kTLS). */
static const struct transport_ops tls_ktls_ops = {
	"tls",
	tls_recv,
	tls_sendv,
	tls_sendfile,
	tls_shutdown,
	tls_release
};

/* Which path files take has been logged: [0] pread, [1] SSL_sendfile. */
static int	path_logged[2];

static const unsigned char alpn_http11[] = "\x08http/1.1";

/*
 * Records are gathered here when an iovec alone does not fill one.  A
 * worker has one thread, and a record that cannot go at once is copied
 * to its connection (pend), so one buffer per process is enough and an
 * idle connection holds none.
 */
static unsigned char	scratch[TLS_RECORD_MAX];

/*
 * Builds the context: protocol settings, the chain (checked for order),
 * the key, then the checks that need both (dates, suites usable with
 * the key, names).
 */
struct tls_ctx *
tls_ctx_new(const struct tls_opts *o, time_t now, char *err, size_t errsz,
    char *warn, size_t warnsz)
{
	struct tls_ctx	*tc;
	const char	*first = o->ncerts > 0 ? o->certificates[0] : "tls";
	int		 types[TLS_CERTS_MAX];
	size_t		 i;

	if (errsz > 0)
		err[0] = '\0';
	if (warn != NULL && warnsz > 0)
		warn[0] = '\0';
	if (o->ncerts == 0 || o->ncerts > TLS_CERTS_MAX) {
		snprintf(err, errsz, "%s: expected 1 to %d certificates",
		    first, TLS_CERTS_MAX);
		return NULL;
	}
	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		snprintf(err, errsz, "%s: out of memory", first);
		return NULL;
	}
	ERR_clear_error();
	if ((tc->ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		describe_ssl_error(first, "cannot make a TLS context", err,
		    errsz);
		goto fail;
	}
	tc->min_version = o->min_tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
	if (set_protocol(tc->ctx, o, err, errsz) == -1 ||
	    set_ciphers(tc, o, err, errsz) == -1)
		goto fail;
	for (i = 0; i < o->ncerts; i++)
		if (load_pair(tc, o, i, types, now, err, errsz, warn,
		    warnsz) == -1)
			goto fail;
	ERR_clear_error();
	return tc;
fail:
	if (warn != NULL && warnsz > 0)
		warn[0] = '\0';
	ERR_clear_error();
	tls_ctx_free(tc);
	return NULL;
}

/*
 * Certificate i and its key: the chain (checked for order), the key,
 * then the checks that need both (dates, suites usable with the key,
 * names).  OpenSSL keeps one certificate per key type and makes the one
 * it loads last the current one, which the checks look at; types[]
 * holds the types loaded so far, so that a second certificate of a type
 * is an error rather than a silent replacement of the first.
 */
static int
load_pair(struct tls_ctx *tc, const struct tls_opts *o, size_t i,
    int *types, time_t now, char *err, size_t errsz, char *warn,
    size_t warnsz)
{
	const char	*cert = o->certificates[i];
	char		 w[TLS_ERR_MAX];
	X509		*leaf;
	size_t		 j, len;

	if (load_chain(tc->ctx, cert, err, errsz) == -1 ||
	    check_order(tc->ctx, cert, err, errsz) == -1)
		return -1;
	leaf = SSL_CTX_get0_certificate(tc->ctx);
	types[i] = X509_get0_pubkey(leaf) != NULL ?
	    EVP_PKEY_get_base_id(X509_get0_pubkey(leaf)) : NID_undef;
	for (j = 0; j < i; j++)
		if (types[j] == types[i]) {
			snprintf(err, errsz, "%s: %s also has a %s key: give "
			    "one certificate per type of key (ECDSA and RSA, "
			    "say)", cert, o->certificates[j],
			    OBJ_nid2sn(types[i]));
			return -1;
		}
	/* This pair's warnings start with its own file name. */
	w[0] = '\0';
	if (load_key(tc->ctx, cert, o->keys[i], leaf, err, errsz) == -1 ||
	    check_dates(tc->ctx, cert, now, err, errsz, w, sizeof(w)) == -1)
		return -1;
	if (!o->min_tls13 && !suites_usable(tc->ctx)) {
		snprintf(err, errsz, "%s: ciphers \"%s\" leave no TLS 1.2 "
		    "suite for this certificate's key", cert, tc->ciphers);
		return -1;
	}
	check_names(leaf, o, cert, w, sizeof(w));
	if (w[0] != '\0' && warn != NULL && warnsz > 0) {
		len = strlen(warn);
		snprintf(warn + len, warnsz - len, "%s%s", len > 0 ? "; " : "",
		    w);
	}
	return 0;
}

void
tls_ctx_free(struct tls_ctx *tc)
{
	if (tc == NULL)
		return;
	SSL_CTX_free(tc->ctx);
	free(tc->ciphers);
	free(tc);
}

#define TLS_TICKET_PERIOD	86400	/* new ticket keys every day */

/* The ticket secret of this master (and its workers); see the top. */
static unsigned char	tls_ticket_secret[32];
static int		tls_ticket_ready;

/* Draws the secret once per master: getrandom, else OpenSSL's RNG. */
static int
ticket_secret(void)
{
	if (tls_ticket_ready)
		return 0;
	if (getrandom(tls_ticket_secret, sizeof(tls_ticket_secret), 0) !=
	    (ssize_t)sizeof(tls_ticket_secret) &&
	    RAND_bytes(tls_ticket_secret, sizeof(tls_ticket_secret)) != 1)
		return -1;
	tls_ticket_ready = 1;
	return 0;
}

/*
 * The keys of the two periods in use (today's and yesterday's), by
 * p % 2: deriving them costs three HMACs, each with an algorithm fetch,
 * which would otherwise be paid for every ticket sealed or opened.
 */
static struct ticket_keyset {
	uint64_t	p;
	int		valid;
	unsigned char	name[16], aes[32], mac[32];
} tls_ticket_keys[2];

static int
ticket_keys(uint64_t p, unsigned char name[16], unsigned char aes[32],
    unsigned char mac[32])
{
	struct ticket_keyset	*k = &tls_ticket_keys[p % 2];

	if (!k->valid || k->p != p) {
		k->valid = 0;
		if (ticket_derive(p, k->name, k->aes, k->mac) == -1)
			return -1;
		k->p = p;
		k->valid = 1;
	}
	memcpy(name, k->name, sizeof(k->name));
	memcpy(aes, k->aes, sizeof(k->aes));
	memcpy(mac, k->mac, sizeof(k->mac));
	return 0;
}

/*
 * The ticket keys of period p: HMAC-SHA256 of the secret over a label,
 * the part and p gives the key name (16 bytes), the AES-256 key and
 * the HMAC key.
 */
static int
ticket_derive(uint64_t p, unsigned char name[16], unsigned char aes[32],
    unsigned char mac[32])
{
	unsigned char	in[16], out[32];
	size_t		outlen, i;
	int		part;

	for (part = 0; part < 3; part++) {
		memcpy(in, "mhtk", 4);
		in[4] = (unsigned char)part;
		in[5] = in[6] = in[7] = 0;
		for (i = 0; i < 8; i++)
			in[8 + i] = (unsigned char)(p >> (56 - 8 * i));
		if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL,
		    tls_ticket_secret, sizeof(tls_ticket_secret), in,
		    sizeof(in), out, sizeof(out), &outlen) == NULL ||
		    outlen != sizeof(out))
			return -1;
		memcpy(part == 0 ? name : part == 1 ? aes : mac, out,
		    part == 0 ? 16 : 32);
	}
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

/*
 * Seals (enc) or opens a session ticket (SSL_CTX_set_tlsext_ticket_key_
 * evp_cb): 1 with the cipher and MAC keyed, 2 to accept and renew a
 * ticket of the previous period, 0 for an unknown key (a full
 * handshake), -1 on an error.
 */
static int
ticket_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv,
    EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	unsigned char	name[16], aes[32], mac[32];
	uint64_t	now = (uint64_t)time(NULL) / TLS_TICKET_PERIOD, p;
	OSSL_PARAM	params[3];
	int		rv = 1;

	(void)ssl;
	if (!tls_ticket_ready)
		return enc ? -1 : 0;
	if (enc) {
		if (ticket_keys(now, key_name, aes, mac) == -1 ||
		    RAND_bytes(iv, 16) != 1)
			return -1;
	} else {
		for (p = now; ; p--) {
			if (ticket_keys(p, name, aes, mac) == -1)
				return -1;
			if (memcmp(name, key_name, sizeof(name)) == 0)
				break;
			if (p + 1 == now || p == 0) {
				OPENSSL_cleanse(aes, sizeof(aes));
				OPENSSL_cleanse(mac, sizeof(mac));
				return 0;
			}
		}
		rv = p == now ? 1 : 2;
	}
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, mac,
	    sizeof(mac));
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_CipherInit_ex(cctx, EVP_aes_256_cbc(), NULL, aes, iv,
	    enc) != 1 || EVP_MAC_CTX_set_params(hctx, params) != 1)
		rv = -1;
	OPENSSL_cleanse(aes, sizeof(aes));
	OPENSSL_cleanse(mac, sizeof(mac));
	return rv;
}

/* Everything but the suites and the certificate: the same for all. */
static int
set_protocol(SSL_CTX *ctx, const struct tls_opts *o, char *err,
    size_t errsz)
{
	/*
	 * SSL_OP_ENABLE_KTLS: after the handshake, OpenSSL hands the
	 * keys to the kernel where it can (the "tls" module, a cipher it
	 * knows); files then go out with SSL_sendfile (handshake()).
	 */
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_PRIORITIZE_CHACHA | SSL_OP_ENABLE_KTLS);
	SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
	/*
	 * Idle connections give their buffers back; a partial write
	 * returns after each record; a record retried after WANT_WRITE
	 * may come from another address (our pend copy).  Read-ahead
	 * takes a record's header and body, and the next records, in one
	 * read(2); recv then drains what it buffered (tls_recv).
	 */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS |
	    SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_read_ahead(ctx, 1);
	if (SSL_CTX_set_min_proto_version(ctx, o->min_tls13 ?
	    TLS1_3_VERSION : TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, TLS_SUITES13) != 1 ||
	    SSL_CTX_set1_groups_list(ctx, TLS_GROUPS) != 1 ||
	    SSL_CTX_set_max_early_data(ctx, 0) != 1 ||
	    SSL_CTX_set_session_id_context(ctx,
	    (const unsigned char *)TLS_SID_CTX, sizeof(TLS_SID_CTX) - 1) != 1) {
		describe_ssl_error(o->certificates[0],
		    "cannot set the TLS protocol", err, errsz);
		return -1;
	}
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (ticket_secret() == -1 ||
	    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_cb) != 1) {
		describe_ssl_error(o->certificates[0],
		    "cannot set up session tickets", err, errsz);
		return -1;
	}
	SSL_CTX_set_alpn_select_cb(ctx, alpn_cb, NULL);
	SSL_CTX_set_client_hello_cb(ctx, hello_cb, NULL);
	SSL_CTX_set_tlsext_servername_callback(ctx, sni_ack_cb);
	/* An encrypted key fails to load instead of asking a terminal. */
	SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
	return 0;
}

static int
set_ciphers(struct tls_ctx *tc, const struct tls_opts *o, char *err,
    size_t errsz)
{
	const char	*list;

	list = o->ciphers != NULL && o->ciphers[0] != '\0' ? o->ciphers :
	    TLS_CIPHERS_DEFAULT;
	if ((tc->ciphers = strdup(list)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", o->certificates[0]);
		return -1;
	}
	/* It fails when the list selects no TLS 1.2 suite at all. */
	if (SSL_CTX_set_cipher_list(tc->ctx, list) != 1) {
		snprintf(err, errsz, "%s: ciphers \"%s\": OpenSSL knows no "
		    "TLS 1.2 suite in that list", o->certificates[0], list);
		return -1;
	}
	return 0;
}

/* Whether a TLS 1.2 suite of the list can be used with the key. */
static int
suites_usable(SSL_CTX *ctx)
{
	STACK_OF(SSL_CIPHER)	*sk = SSL_CTX_get_ciphers(ctx);
	const SSL_CIPHER	*c;
	EVP_PKEY		*key = SSL_CTX_get0_privatekey(ctx);
	int			 i, auth, kx, rsa;

	if (sk == NULL || key == NULL)
		return 0;
	rsa = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		c = sk_SSL_CIPHER_value(sk, i);
		auth = SSL_CIPHER_get_auth_nid(c);
		kx = SSL_CIPHER_get_kx_nid(c);
		if (kx == NID_kx_any)
			continue;	/* a TLS 1.3 suite */
		if (kx != NID_kx_ecdhe && !(rsa && kx == NID_kx_rsa))
			continue;	/* DHE has no parameters here */
		if ((rsa && auth == NID_auth_rsa) ||
		    (!rsa && auth == NID_auth_ecdsa))
			return 1;
	}
	return 0;
}

/*
 * Opening the file first tells "cannot read" (with errno) from "not a
 * certificate".
 */
static int
load_chain(SSL_CTX *ctx, const char *path, char *err, size_t errsz)
{
	FILE	*fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	fclose(fp);
	if (SSL_CTX_use_certificate_chain_file(ctx, path) != 1) {
		describe_ssl_error(path, "no usable certificate", err, errsz);
		return -1;
	}
	return 0;
}

static int
load_key(SSL_CTX *ctx, const char *cert, const char *key, X509 *leaf,
    char *err, size_t errsz)
{
	FILE	*fp;

	if ((fp = fopen(key, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", key, strerror(errno));
		return -1;
	}
	fclose(fp);
	ERR_clear_error();
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		/* OpenSSL refuses a key of the certificate's type that
		 * does not match it (X509_check_private_key). */
		if (ERR_GET_LIB(ERR_peek_last_error()) == ERR_LIB_X509)
			snprintf(err, errsz, "%s: the key does not match the "
			    "certificate %s", key, cert);
		else	/* OpenSSL's reasons here ("unsupported") mislead */
			snprintf(err, errsz, "%s: no usable private key (an "
			    "unencrypted PEM key is needed)", key);
		return -1;
	}
	/*
	 * A key of another type went to another slot, which became the
	 * current one: its certificate, if any, is not this leaf.
	 */
	if (SSL_CTX_get0_certificate(ctx) != leaf ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errsz, "%s: the key does not match the "
		    "certificate %s", key, cert);
		return -1;
	}
	return 0;
}

/*
 * Each certificate of the file must be issued by the next one.  Checked
 * before the key: a chain put leaf last would otherwise be reported as
 * a key that does not match.
 */
static int
check_order(SSL_CTX *ctx, const char *path, char *err, size_t errsz)
{
	STACK_OF(X509)	*chain = NULL;
	X509		*cur, *next;
	int		 i, n;

	if ((cur = SSL_CTX_get0_certificate(ctx)) == NULL) {
		snprintf(err, errsz, "%s: no certificate", path);
		return -1;
	}
	if (SSL_CTX_get0_chain_certs(ctx, &chain) != 1)
		chain = NULL;
	n = chain != NULL ? sk_X509_num(chain) : 0;
	for (i = 0; i < n; i++, cur = next) {
		next = sk_X509_value(chain, i);
		if (X509_check_issued(next, cur) != X509_V_OK) {
			snprintf(err, errsz, "%s: the chain is not in order: "
			    "leaf first, then each issuer (certificate %d "
			    "did not issue certificate %d)", path, i + 2,
			    i + 1);
			return -1;
		}
	}
	return 0;
}

/* Every certificate of the file must be valid now. */
static int
check_dates(SSL_CTX *ctx, const char *path, time_t now, char *err,
    size_t errsz, char *warn, size_t warnsz)
{
	STACK_OF(X509)	*chain = NULL;
	int		 i, n;

	if (SSL_CTX_get0_chain_certs(ctx, &chain) != 1)
		chain = NULL;
	n = chain != NULL ? sk_X509_num(chain) : 0;
	for (i = 0; i <= n; i++)
		if (check_time(i == 0 ? SSL_CTX_get0_certificate(ctx) :
		    sk_X509_value(chain, i - 1), i, path, now, err, errsz,
		    warn, warnsz) == -1)
			return -1;
	return 0;
}

/* Certificate i of the file (0: the leaf) against now. */
static int
check_time(X509 *x, int i, const char *path, time_t now, char *err,
    size_t errsz, char *warn, size_t warnsz)
{
	const ASN1_TIME	*na = X509_get0_notAfter(x);
	const ASN1_TIME	*nb = X509_get0_notBefore(x);
	char		 what[48], date[TLS_DATE_MAX], msg[128];
	time_t		 soon;
	int		 days = 0, secs = 0;
	ASN1_TIME	*t;

	if (i == 0)
		snprintf(what, sizeof(what), "the certificate");
	else
		snprintf(what, sizeof(what), "certificate %d of the chain",
		    i + 1);
	if (X509_cmp_time(na, &now) <= 0) {
		asn1_date(na, date, sizeof(date));
		snprintf(err, errsz, "%s: %s expired on %s", path, what, date);
		return -1;
	}
	if (X509_cmp_time(nb, &now) > 0) {
		asn1_date(nb, date, sizeof(date));
		snprintf(err, errsz, "%s: %s is not valid before %s", path,
		    what, date);
		return -1;
	}
	soon = now + (time_t)TLS_EXPIRY_WARN_DAYS * 24 * 60 * 60;
	if (X509_cmp_time(na, &soon) < 0) {
		if ((t = ASN1_TIME_set(NULL, now)) != NULL) {
			(void)ASN1_TIME_diff(&days, &secs, t, na);
			ASN1_TIME_free(t);
		}
		asn1_date(na, date, sizeof(date));
		snprintf(msg, sizeof(msg), "%s expires on %s, in %d day%s",
		    what, date, days, days == 1 ? "" : "s");
		append(warn, warnsz, path, msg);
	}
	return 0;
}

/*
 * Whether the leaf covers each of the site's names.  An exact name is
 * matched as a client would (a "*.example.org" certificate covers
 * "www.example.org"; partial wildcards such as "w*.example.org" do not
 * count).  A "*.example.org" site name means any subdomain, so only a
 * certificate name "*.example.org" covers it: it is compared literally.
 * An address (a site named "192.0.2.1") is matched against the
 * certificate's IP addresses.
 */
static void
check_names(X509 *leaf, const struct tls_opts *o, const char *path,
    char *warn, size_t warnsz)
{
	char		 missing[256] = "", msg[300];
	unsigned char	 ip[16];
	const char	*name;
	size_t		 i;
	int		 ok;

	if (leaf == NULL || warn == NULL)
		return;
	for (i = 0; i < o->nnames; i++) {
		name = o->names[i];
		if (inet_pton(AF_INET, name, ip) == 1 ||
		    inet_pton(AF_INET6, name, ip) == 1)
			ok = X509_check_ip_asc(leaf, name, 0) == 1;
		else if (strncmp(name, "*.", 2) == 0)
			ok = X509_check_host(leaf, name, 0,
			    X509_CHECK_FLAG_NO_WILDCARDS, NULL) == 1;
		else
			ok = X509_check_host(leaf, name, 0,
			    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
		if (!ok)
			append(missing, sizeof(missing), NULL, name);
	}
	if (missing[0] != '\0') {
		snprintf(msg, sizeof(msg), "the certificate does not cover %s",
		    missing);
		append(warn, warnsz, path, msg);
	}
	ERR_clear_error();
}

/*
 * Adds msg to the list in buf: "PATH: msg" when buf is empty and path
 * given, else ", msg" (names) or "; msg" (warnings).
 */
static void
append(char *buf, size_t sz, const char *path, const char *msg)
{
	size_t	len;

	if (buf == NULL || sz == 0)
		return;
	len = strlen(buf);
	if (len == 0 && path != NULL)
		snprintf(buf, sz, "%s: %s", path, msg);
	else if (len == 0)
		snprintf(buf, sz, "%s", msg);
	else if (len < sz)
		snprintf(buf + len, sz - len, "%s%s", path != NULL ? "; " :
		    ", ", msg);
}

static void
asn1_date(const ASN1_TIME *t, char *buf, size_t sz)
{
	struct tm	tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(buf, sz, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, sz, "(an unreadable date)");
}

/*
 * "PATH: what: why", why from the first queued error: the cause (the
 * later ones only say which function passed it on).
 */
static void
describe_ssl_error(const char *path, const char *what, char *err,
    size_t errsz)
{
	unsigned long	 e = ERR_peek_error();
	const char	*why = e != 0 ? ERR_reason_error_string(e) : NULL;

	if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
		why = "not PEM (no -----BEGIN line)";
	if (why != NULL)
		snprintf(err, errsz, "%s: %s: %s", path, what, why);
	else
		snprintf(err, errsz, "%s: %s", path, what);
}

static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	return -1;
}

/*
 * "http/1.1", or no_application_protocol when the client offers only
 * others (RFC 7301 section 3.2).  A client that offers none does not
 * come here, and gets no ALPN.
 */
static int
alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	unsigned char	*sel;

	if (SSL_select_next_proto(&sel, outlen, alpn_http11,
	    sizeof(alpn_http11) - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

/* The choice is hello_cb's; this only acknowledges the name. */
static int
sni_ack_cb(SSL *ssl, int *alert, void *arg)
{
	return SSL_TLSEXT_ERR_OK;
}

/*
 * SNI, at the start of the ClientHello, before OpenSSL picks the
 * version and the suite: so a site's own lowest protocol and suites
 * apply to its handshakes.  A HelloRetryRequest runs this twice, with
 * the same name.
 */
static int
hello_cb(SSL *ssl, int *alert, void *arg)
{
	struct tls_conn	*tc = SSL_get_app_data(ssl);
	struct tls_ctx	*to;
	const unsigned char *ext;
	const void	*site = NULL;
	size_t		 extlen;
	char		 name[TLS_NAME_MAX + 1];
	const char	*n = NULL;

	if (tc == NULL || tc->select == NULL)
		return SSL_CLIENT_HELLO_SUCCESS;
	if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &ext,
	    &extlen) == 1 && sni_name(ext, extlen, name, sizeof(name)) == 0)
		n = name;
	to = tc->select(tc->arg, n, &site);
	tc->site = site;
	if (to == NULL || to->ctx == SSL_get_SSL_CTX(ssl))
		return SSL_CLIENT_HELLO_SUCCESS;
	if (SSL_set_SSL_CTX(ssl, to->ctx) == NULL ||
	    SSL_set_min_proto_version(ssl, to->min_version) != 1 ||
	    (!same_ciphers(ssl, to->ctx) &&
	    SSL_set_cipher_list(ssl, to->ciphers) != 1)) {
		*alert = SSL_AD_INTERNAL_ERROR;
		return SSL_CLIENT_HELLO_ERROR;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

static int
same_ciphers(SSL *ssl, SSL_CTX *ctx)
{
	STACK_OF(SSL_CIPHER)	*a = SSL_get_ciphers(ssl);
	STACK_OF(SSL_CIPHER)	*b = SSL_CTX_get_ciphers(ctx);
	int			 i, n;

	if (a == NULL || b == NULL)
		return a == b;
	if ((n = sk_SSL_CIPHER_num(a)) != sk_SSL_CIPHER_num(b))
		return 0;
	for (i = 0; i < n; i++)
		if (sk_SSL_CIPHER_value(a, i) != sk_SSL_CIPHER_value(b, i))
			return 0;
	return 1;
}

/*
 * The host_name of a server_name extension, canonical: lower case,
 * without one trailing dot.  0, or -1 when it has none or it is not a
 * printable name of at most TLS_NAME_MAX bytes.
 */
static int
sni_name(const unsigned char *p, size_t len, char *out, size_t outsz)
{
	size_t	list, n, i;

	if (len < 2)
		return -1;
	list = (size_t)p[0] << 8 | p[1];
	p += 2;
	len -= 2;
	if (list > len)
		return -1;
	while (list >= 3) {
		n = (size_t)p[1] << 8 | p[2];
		if (n > list - 3)
			return -1;
		if (p[0] == TLSEXT_NAMETYPE_host_name) {
			if (n > 1 && p[3 + n - 1] == '.')
				n--;
			if (n == 0 || n >= outsz)
				return -1;
			for (i = 0; i < n; i++) {
				if (p[3 + i] <= ' ' || p[3 + i] > '~')
					return -1;
				out[i] = (char)(p[3 + i] >= 'A' &&
				    p[3 + i] <= 'Z' ? p[3 + i] + 32 : p[3 + i]);
			}
			out[n] = '\0';
			return 0;
		}
		p += 3 + n;
		list -= 3 + n;
	}
	return -1;
}

int
tls_transport(struct transport *t, int fd, struct tls_ctx *ctx,
    tls_select_fn sel, void *arg)
{
	struct tls_conn	*tc;

	if ((tc = calloc(1, sizeof(*tc))) == NULL)
		return -1;
	ERR_clear_error();
	if ((tc->ssl = SSL_new(ctx->ctx)) == NULL ||
	    SSL_set_fd(tc->ssl, fd) != 1) {
		ERR_clear_error();
		SSL_free(tc->ssl);
		free(tc);
		errno = ENOMEM;
		return -1;
	}
	SSL_set_accept_state(tc->ssl);
	SSL_set_app_data(tc->ssl, tc);
	tc->select = sel;
	tc->arg = arg;
	t->ops = &tls_ops;
	t->fd = fd;
	t->want = TRANSPORT_WANT_READ;
	t->state = tc;
	return 0;
}

const void *
tls_site(const struct transport *t)
{
	const struct tls_conn	*tc = t->state;

	return is_tls(t) && tc != NULL ? tc->site : NULL;
}

/*
 * Decrypted bytes of a record, or 1 when records wait undecrypted in
 * the read-ahead buffer (a recv may then go on without the socket).
 */
size_t
tls_pending(const struct transport *t)
{
	const struct tls_conn	*tc = t->state;
	int			 n;

	if (!is_tls(t) || tc == NULL || tc->err != 0)
		return 0;
	if ((n = SSL_pending(tc->ssl)) > 0)
		return (size_t)n;
	return SSL_has_pending(tc->ssl) ? 1 : 0;
}

const char *
tls_describe(const struct transport *t, char *buf, size_t sz)
{
	const struct tls_conn	*tc = t->state;
	const SSL_CIPHER	*c;

	if (sz == 0)
		return buf;
	buf[0] = '\0';
	if (!is_tls(t) || tc == NULL || !tc->handshaken)
		return buf;
	c = SSL_get_current_cipher(tc->ssl);
	snprintf(buf, sz, "%s %s", SSL_get_version(tc->ssl),
	    c != NULL ? SSL_CIPHER_get_name(c) : "-");
	return buf;
}

/*
 * Handshake first (peeking before it), then records.  With read-ahead,
 * OpenSSL may hold further records after the one SSL_read returned:
 * they are drained while they last, so that conn never waits on the
 * socket for bytes that already arrived.
 */
static ssize_t
tls_recv(struct transport *t, void *buf, size_t len)
{
	struct tls_conn	*tc = t->state;
	size_t		 got = 0;
	int		 r, n;

	if (tc->err != 0) {
		errno = tc->err;
		return -1;
	}
	if (!tc->handshaken) {
		if (!tc->peeked && (r = peek(t)) <= 0)
			return r;
		if (handshake(t) == -1)
			return -1;
	}
	if (len == 0)
		return 0;
	do {
		n = len - got > INT_MAX ? INT_MAX : (int)(len - got);
		ERR_clear_error();
		if ((r = SSL_read(tc->ssl, (char *)buf + got, n)) <= 0)
			break;
		got += (size_t)r;
	} while (got < len && SSL_has_pending(tc->ssl));
	if (got > 0) {
		ERR_clear_error();
		return (ssize_t)got;
	}
	return io_fail(t, r, "read");
}

/*
 * Before OpenSSL reads anything: a TLS connection starts with a
 * handshake record (0x16); a letter there is a plain HTTP request.
 * 1: go on with the handshake; 0 (EOF) or -1 (errno): return that.
 */
static int
peek(struct transport *t)
{
	struct tls_conn	*tc = t->state;
	unsigned char	 b[5];
	ssize_t		 n;

	n = recv(t->fd, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			errno = EAGAIN;
			t->want = TRANSPORT_WANT_READ;
		}
		return -1;
	}
	if (n == 0)
		return 0;
	if (b[0] != 0x16 && ((b[0] >= 'A' && b[0] <= 'Z') ||
	    (b[0] >= 'a' && b[0] <= 'z'))) {
		plain_answer(t->fd);
		tc->err = EPROTO;
		errno = EPROTO;
		return -1;
	}
	tc->peeked = 1;
	return 1;
}

/*
 * The plain 400, then the request bytes already there are read, so that
 * closing the socket does not answer them with a reset that could
 * destroy the 400, and FIN follows the answer.
 */
static void
plain_answer(int fd)
{
	static const char	body[] =
	    "This port speaks HTTPS: use https:// to reach it.\n";
	char			msg[256], sink[4096];
	size_t			drained = 0;
	ssize_t			n;
	int			len;

	len = snprintf(msg, sizeof(msg), "HTTP/1.1 400 Bad Request\r\n"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", sizeof(body) - 1, body);
	if (len > 0 && (size_t)len < sizeof(msg))
		(void)send(fd, msg, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (drained < TLS_DRAIN_MAX &&
	    (n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT)) > 0)
		drained += (size_t)n;
	(void)shutdown(fd, SHUT_WR);
}

static int
handshake(struct transport *t)
{
	struct tls_conn	*tc = t->state;
	int		 r;

	ERR_clear_error();
	if ((r = SSL_do_handshake(tc->ssl)) == 1) {
		tc->handshaken = 1;
		if (BIO_get_ktls_send(SSL_get_wbio(tc->ssl)))
			t->ops = &tls_ktls_ops;
		log_file_path(t->ops == &tls_ktls_ops);
		return 0;
	}
	if (io_fail(t, r, "handshake") == 0) {
		/* The peer closed in the middle: no handshake. */
		tc->err = ECONNRESET;
		errno = ECONNRESET;
	}
	return -1;
}

static int
is_tls(const struct transport *t)
{
	return t->ops == &tls_ops || t->ops == &tls_ktls_ops;
}

/*
 * A file's bytes through the kernel's TLS (kTLS sends): from the page
 * cache, encrypted by the kernel, as sendfile(2) does for plain TCP.
 * conn sends a file only once sendv reported every byte of the head, so
 * no record of ours waits in pend here; the check is a safeguard.
 */
static ssize_t
tls_sendfile(struct transport *t, int file, off_t *off, size_t len)
{
	struct tls_conn	*tc = t->state;
	ossl_ssize_t	 r;

	if (tc->err != 0) {
		errno = tc->err;
		return -1;
	}
	if (tc->pendlen > 0 && flush_pending(t) == -1)
		return -1;
	ERR_clear_error();
	if ((r = SSL_sendfile(tc->ssl, file, *off, len, 0)) < 0)
		return io_fail(t, -1, "sendfile");
	*off += r;
	return (ssize_t)r;
}

/*
 * Once per process and path, at the first handshake that takes it: the
 * operator learns whether kTLS is in use.  (Why not is not told apart:
 * the module may load on demand, and a sandboxed worker cannot read
 * /proc/sys to ask.)
 */
static void
log_file_path(int ktls)
{
	if (path_logged[ktls])
		return;
	path_logged[ktls] = 1;
	if (ktls)
		log_info("tls: the kernel encrypts what is sent (kTLS): "
		    "files go out with SSL_sendfile");
	else
		log_info("tls: files go out as pread + SSL_write in %d-byte "
		    "records (no kTLS: the kernel did not take the keys: no "
		    "\"tls\" module, or a protocol or cipher it lacks)",
		    TLS_RECORD_MAX);
}

/*
 * Maps a failed SSL call to the transport's answer.  The error queue is
 * always left empty: a stale entry would make SSL_get_error misreport
 * the next call, possibly on another connection of this worker.
 */
static ssize_t
io_fail(struct transport *t, int r, const char *what)
{
	struct tls_conn	*tc = t->state;
	unsigned long	 e;
	int		 saved = errno, reading = strcmp(what, "write") != 0 &&
			    strcmp(what, "sendfile") != 0;
	const char	*why;

	switch (SSL_get_error(tc->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		t->want = TRANSPORT_WANT_READ;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		t->want = TRANSPORT_WANT_WRITE;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		/* close_notify: the end of the peer's stream. */
		ERR_clear_error();
		if (reading)
			return 0;
		errno = EPIPE;
		return -1;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		if (saved == 0 && reading)
			return 0;
		errno = saved != 0 ? saved : ECONNRESET;
		break;
	default:
		e = ERR_peek_last_error();
		ERR_clear_error();
		/* The peer closed without close_notify. */
		if (reading && ERR_GET_REASON(e) ==
		    SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return 0;
		why = e != 0 ? ERR_reason_error_string(e) : NULL;
		log_debug("tls %s on fd %d: %s", what, t->fd,
		    why != NULL ? why : "failed");
		errno = ECONNRESET;
		break;
	}
	tc->err = errno;
	return -1;
}

/*
 * See tls.h for the contract.  A record left unfinished by WANT_WRITE
 * is kept in pend and finished first on the next call; the bytes it
 * holds are then reported (owed) as the caller presents them again.
 * An iovec that fills a record goes to SSL_write as it is; smaller ones
 * are gathered in scratch first.
 */
static ssize_t
tls_sendv(struct transport *t, const struct iovec *iov, int n, int more)
{
	struct tls_conn		*tc = t->state;
	const unsigned char	*p;
	size_t			 total = 0, len, off = 0, sent = 0;
	ssize_t			 r;
	int			 i = 0;

	if (tc->err != 0) {
		errno = tc->err;
		return -1;
	}
	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	if (total == 0)
		return 0;
	if (tc->pendlen > 0 && flush_pending(t) == -1 &&
	    (errno != EAGAIN || tc->owed == 0))
		return -1;
	if (tc->owed > 0) {
		len = tc->owed < total ? tc->owed : total;
		tc->owed -= len;
		return (ssize_t)len;
	}
	for (i = 0; sent < total; ) {
		if (off == iov[i].iov_len) {
			i++;
			off = 0;
			continue;
		}
		len = iov[i].iov_len - off;
		if (len >= TLS_RECORD_MAX || len == total - sent) {
			/* This iovec fills the record: no copy. */
			p = (const unsigned char *)iov[i].iov_base + off;
			if (len > TLS_RECORD_MAX)
				len = TLS_RECORD_MAX;
			off += len;
		} else {
			p = scratch;
			len = gather(iov, n, &i, &off);
		}
		if ((r = write_record(t, p, len)) == -1)
			return sent > 0 ? (ssize_t)sent : -1;
		sent += (size_t)r;
		if ((size_t)r < len)
			break;		/* the rest waits in pend */
	}
	return (ssize_t)sent;
}

/*
 * Copies up to a record from iovec *i at *off on into scratch, moving
 * *i and *off past what it took.  Returns the length.
 */
static size_t
gather(const struct iovec *iov, int n, int *i, size_t *off)
{
	size_t	len = 0, c;

	while (len < TLS_RECORD_MAX && *i < n) {
		c = iov[*i].iov_len - *off;
		if (c > TLS_RECORD_MAX - len)
			c = TLS_RECORD_MAX - len;
		memcpy(scratch + len, (const char *)iov[*i].iov_base + *off,
		    c);
		len += c;
		*off += c;
		if (*off == iov[*i].iov_len) {
			(*i)++;
			*off = 0;
		}
	}
	return len;
}

/*
 * SSL_write of len bytes (at most a record).  Returns the bytes that
 * went out; when OpenSSL asks to retry, the unsent rest is copied to
 * pend (they are the next bytes the caller presents) and -1/EAGAIN
 * comes back only when nothing went out.
 */
static ssize_t
write_record(struct transport *t, const unsigned char *p, size_t len)
{
	struct tls_conn	*tc = t->state;
	size_t		 done = 0;
	int		 r;

	while (done < len) {
		ERR_clear_error();
		r = SSL_write(tc->ssl, p + done, (int)(len - done));
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (io_fail(t, r, "write") == -1 && errno != EAGAIN)
			return done > 0 ? (ssize_t)done : -1;
		if ((tc->pend = malloc(len - done)) == NULL) {
			/* OpenSSL needs these bytes again: cannot go on. */
			tc->err = ENOMEM;
			errno = ENOMEM;
			return -1;
		}
		memcpy(tc->pend, p + done, len - done);
		tc->pendlen = len - done;
		if (done > 0)
			return (ssize_t)done;
		errno = EAGAIN;
		return -1;
	}
	return (ssize_t)done;
}

/*
 * Finishes the record in pend; its bytes become owed.  0, or -1 with
 * errno (EAGAIN and want: still not written).
 */
static int
flush_pending(struct transport *t)
{
	struct tls_conn	*tc = t->state;
	int		 r;

	while (tc->pendlen > 0) {
		ERR_clear_error();
		r = SSL_write(tc->ssl, tc->pend, (int)tc->pendlen);
		if (r <= 0) {
			(void)io_fail(t, r, "write");
			return -1;
		}
		tc->owed += (size_t)r;
		tc->pendlen -= (size_t)r;
		if (tc->pendlen > 0)
			memmove(tc->pend, tc->pend + r, tc->pendlen);
	}
	free(tc->pend);
	tc->pend = NULL;
	return 0;
}

/*
 * close_notify once, then FIN, as plain TCP's shutdown.  Not after a
 * failure, nor before the handshake ended (there is no session to
 * close).
 */
static int
tls_shutdown(struct transport *t)
{
	struct tls_conn	*tc = t->state;

	if (tc->handshaken && tc->err == 0 &&
	    !(SSL_get_shutdown(tc->ssl) & SSL_SENT_SHUTDOWN)) {
		ERR_clear_error();
		(void)SSL_shutdown(tc->ssl);
		ERR_clear_error();
	}
	return shutdown(t->fd, SHUT_WR);
}

static void
tls_release(struct transport *t)
{
	struct tls_conn	*tc = t->state;

	if (tc != NULL) {
		SSL_free(tc->ssl);
		free(tc->pend);
		free(tc);
	}
	ERR_clear_error();
	t->state = NULL;
}
