/*
 * check_tls: the certificate checks of tls_ctx_new, and real handshakes
 * through tls_transport.  main() makes a throwaway CA and certificates
 * with the OpenSSL API in a temporary directory before any test runs.
 * A handshake runs over a socketpair with both ends non-blocking: the
 * server's end through the transport, as conn drives it (honouring want
 * with poll), the client's end with plain OpenSSL, by turns in this one
 * process (drive()).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "daemon/conf.h"
#include "daemon/log.h"
#include "daemon/tls.h"

#define DAY		(24L * 60 * 60)
#define PAYLOAD		(100 * 1024)
#define POLL_MS		5000
#define STEPS_MAX	100000

static char	dir[128];

/* The sites of the SNI tests: what select hands back. */
static int	site_a, site_b, site_c;
struct sel {
	struct tls_ctx	*b, *c;
	char		 last[300];
	int		 calls;
};

/* One connection: the server's transport and the client's SSL. */
struct pair {
	struct transport t;
	SSL		*c;
	int		 cfd;
	short		 cwant;		/* POLLIN or POLLOUT */
	int		 serr, cerr;	/* errno, SSL_get_error */
	int		 seof, czero;
	/* server side */
	unsigned char	*in;
	size_t		 inlen, inmax, expect;
	const unsigned char *out;
	size_t		 outoff, outlen;
	/* client side */
	unsigned char	*cin;
	size_t		 cinlen, cexpect;
	const char	*cout;
	size_t		 coutoff, coutlen;
};

/* Records the client received: plaintext sizes of TLS 1.3 data. */
static size_t	 rec_last, rec_count, rec_max, rec_first;

static const char *
path(const char *name)
{
	static char	p[4][256];
	static int	k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* --- making keys and certificates ------------------------------------ */

static void
add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION	*e;

	e = X509V3_EXT_conf_nid(NULL, v3, nid, value);
	if (e == NULL || !X509_add_ext(x, e, -1))
		abort();
	X509_EXTENSION_free(e);
}

/* A certificate for key, valid from..to seconds from now. */
static X509 *
make_cert(EVP_PKEY *key, const char *cn, const char *san, X509 *issuer,
    EVP_PKEY *ikey, long from, long to)
{
	static long	serial = 1;
	X509		*x = X509_new();
	X509_NAME	*name;
	X509V3_CTX	 v3;

	if (x == NULL || !X509_set_version(x, X509_VERSION_3))
		abort();
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : name);
	X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	add_ext(x, &v3, NID_subject_key_identifier, "hash");
	if (issuer == NULL) {
		add_ext(x, &v3, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, &v3, NID_basic_constraints, "CA:FALSE");
		add_ext(x, &v3, NID_authority_key_identifier, "keyid");
	}
	if (san != NULL)
		add_ext(x, &v3, NID_subject_alt_name, san);
	if (!X509_sign(x, ikey != NULL ? ikey : key, EVP_sha256()))
		abort();
	return x;
}

static void
write_certs(const char *name, X509 *a, X509 *b)
{
	FILE	*fp = fopen(path(name), "w");

	if (fp == NULL || !PEM_write_X509(fp, a) ||
	    (b != NULL && !PEM_write_X509(fp, b)) || fclose(fp) != 0)
		abort();
}

static void
write_key(const char *name, EVP_PKEY *k, const EVP_CIPHER *enc)
{
	FILE	*fp = fopen(path(name), "w");

	if (fp == NULL || !PEM_write_PrivateKey(fp, k, enc,
	    enc != NULL ? (unsigned char *)"secret" : NULL,
	    enc != NULL ? 6 : 0, NULL, NULL) || fclose(fp) != 0)
		abort();
}

static void
make_files(void)
{
	EVP_PKEY	*cak, *ec, *rsa, *other;
	X509		*ca, *x;

	cak = EVP_EC_gen("P-256");
	ec = EVP_EC_gen("P-256");
	other = EVP_EC_gen("P-256");
	rsa = EVP_RSA_gen(2048);
	if (cak == NULL || ec == NULL || other == NULL || rsa == NULL)
		abort();
	ca = make_cert(cak, "check_tls CA", NULL, NULL, NULL, -DAY, 30 * DAY);
	write_certs("ca.pem", ca, NULL);
	write_key("ec.key", ec, NULL);
	write_key("rsa.key", rsa, NULL);
	write_key("other.key", other, NULL);
	write_key("enc.key", ec, EVP_aes_128_cbc());
	x = make_cert(ec, "a.test", "DNS:a.test,DNS:www.a.test,"
	    "DNS:*.w.a.test,IP:127.0.0.1", ca, cak, -DAY, 30 * DAY);
	write_certs("ec.pem", x, ca);
	write_certs("order.pem", ca, x);
	X509_free(x);
	x = make_cert(rsa, "b.test", "DNS:b.test", ca, cak, -DAY, 30 * DAY);
	write_certs("rsa.pem", x, ca);
	X509_free(x);
	x = make_cert(ec, "c.test", "DNS:c.test", ca, cak, -DAY, 30 * DAY);
	write_certs("c.pem", x, ca);
	X509_free(x);
	x = make_cert(ec, "a.test", "DNS:a.test", ca, cak, -30 * DAY, -DAY);
	write_certs("expired.pem", x, ca);
	X509_free(x);
	x = make_cert(ec, "a.test", "DNS:a.test", ca, cak, DAY, 30 * DAY);
	write_certs("future.pem", x, ca);
	X509_free(x);
	x = make_cert(ec, "a.test", "DNS:a.test", ca, cak, -DAY, 3 * DAY);
	write_certs("soon.pem", x, ca);
	X509_free(x);
	x = make_cert(ec, "nosan", NULL, ca, cak, -DAY, 30 * DAY);
	write_certs("nosan.pem", x, ca);
	X509_free(x);
	{
		FILE	*fp = fopen(path("junk.pem"), "w");

		if (fp == NULL || fputs("not a certificate\n", fp) == EOF ||
		    fclose(fp) != 0)
			abort();
	}
	X509_free(ca);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(other);
}

static void
remove_files(void)
{
	static const char *const names[] = { "ca.pem", "ec.key", "rsa.key",
	    "other.key", "enc.key", "ec.pem", "order.pem", "rsa.pem", "c.pem",
	    "expired.pem", "future.pem", "soon.pem", "nosan.pem", "junk.pem" };
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path(names[i]));
	rmdir(dir);
}

/* --- contexts -------------------------------------------------------- */

/* "a.pem+b.pem": the files of dir, in certs, at most TLS_CERTS_MAX. */
static size_t
files(const char *list, char buf[][256], const char **l)
{
	const char	*p = list, *e;
	size_t		 n = 0;

	for (; n < TLS_CERTS_MAX + 1; p = e + 1) {
		e = strchr(p, '+');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(buf[n], 256, "%s/%.*s", dir, (int)(e - p), p);
		l[n] = buf[n];
		n++;
		if (*e == '\0')
			break;
	}
	return n;
}

/* cert and key may list several files: "ec.pem+rsa.pem". */
static struct tls_ctx *
ctx_names(const char *cert, const char *key, const char *ciphers, int tls13,
    char *const *names, size_t nnames, char *err, char *warn)
{
	struct tls_opts	o;
	static char	cbuf[TLS_CERTS_MAX + 1][256], kbuf[TLS_CERTS_MAX + 1][256];
	const char	*cl[TLS_CERTS_MAX + 1], *kl[TLS_CERTS_MAX + 1];
	size_t		 nk;

	memset(&o, 0, sizeof(o));
	o.certificates = cl;
	o.keys = kl;
	o.ncerts = files(cert, cbuf, cl);
	nk = files(key, kbuf, kl);
	ck_assert_uint_eq(nk, o.ncerts);	/* conf checks this */
	o.ciphers = ciphers;
	o.min_tls13 = tls13;
	o.names = names;
	o.nnames = nnames;
	return tls_ctx_new(&o, time(NULL), err, TLS_ERR_MAX, warn,
	    TLS_ERR_MAX);
}

static struct tls_ctx *
ctx(const char *cert, const char *key, int tls13)
{
	char		 err[TLS_ERR_MAX], warn[TLS_ERR_MAX];
	struct tls_ctx	*c;

	c = ctx_names(cert, key, "", tls13, NULL, 0, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(warn, "");
	return c;
}

START_TEST(test_good_certificates)
{
	char *const	 names[] = { "a.test", "www.a.test", "x.w.a.test",
	    "*.w.a.test", "127.0.0.1", "A.Test" };
	char		 err[TLS_ERR_MAX], warn[TLS_ERR_MAX];
	struct tls_ctx	*c;

	c = ctx_names("ec.pem", "ec.key", "", 0, names, 6, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(warn, "");
	tls_ctx_free(c);
	c = ctx_names("rsa.pem", "rsa.key", NULL, 1, names + 6, 0, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	tls_ctx_free(c);
	/* The operator's suites, valid for the key. */
	c = ctx_names("rsa.pem", "rsa.key", "ECDHE-RSA-AES256-GCM-SHA384", 0,
	    NULL, 0, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	tls_ctx_free(c);
	tls_ctx_free(NULL);
}
END_TEST

static const struct bad {
	const char	*cert, *key, *ciphers;
	const char	*first;		/* the file err starts with */
	const char	*why;
} bad[] = {
	{ "ec.pem", "other.key", "", "other.key", "does not match" },
	{ "ec.pem", "rsa.key", "", "rsa.key", "does not match" },
	{ "expired.pem", "ec.key", "", "expired.pem", "expired on " },
	{ "future.pem", "ec.key", "", "future.pem", "not valid before" },
	{ "missing.pem", "ec.key", "", "missing.pem", "No such file" },
	{ "ec.pem", "missing.key", "", "missing.key", "No such file" },
	{ "junk.pem", "ec.key", "", "junk.pem", "no usable certificate" },
	{ "ec.pem", "junk.pem", "", "junk.pem", "no usable private key" },
	{ "ec.pem", "enc.key", "", "enc.key", "no usable private key" },
	{ "order.pem", "ec.key", "", "order.pem", "not in order" },
	{ "ec.pem", "ec.key", "NO-SUCH-SUITE", "ec.pem", "NO-SUCH-SUITE" },
	{ "ec.pem", "ec.key", "ECDHE-RSA-AES128-GCM-SHA256", "ec.pem",
	    "leave no TLS 1.2 suite" },
	{ "rsa.pem", "rsa.key", "ECDHE-ECDSA-AES128-GCM-SHA256", "rsa.pem",
	    "leave no TLS 1.2 suite" },
	/* Two certificates: one per type of key, each with its own key. */
	{ "ec.pem+c.pem", "ec.key+ec.key", "", "c.pem", "also has a" },
	{ "ec.pem+rsa.pem", "ec.key+ec.key", "", "ec.key", "does not match "
	    "the certificate" },
	{ "ec.pem+rsa.pem", "rsa.key+ec.key", "", "rsa.key", "does not match "
	    "the certificate" },
	{ "rsa.pem+ec.pem", "rsa.key+other.key", "", "other.key",
	    "does not match" },
	{ "ec.pem+rsa.pem", "ec.key+rsa.key", "ECDHE-ECDSA-AES128-GCM-SHA256",
	    "rsa.pem", "leave no TLS 1.2 suite" },
	{ "rsa.pem+expired.pem", "rsa.key+ec.key", "", "expired.pem",
	    "expired on " },
	{ "ec.pem+ec.pem+ec.pem+ec.pem+ec.pem", "ec.key+ec.key+ec.key+ec.key+"
	    "ec.key", "", "ec.pem", "expected 1 to 4 certificates" },
};

START_TEST(test_bad_certificates)
{
	const struct bad	*b = &bad[_i];
	char			 err[TLS_ERR_MAX], warn[TLS_ERR_MAX];
	const char		*p = path(b->first);
	struct tls_ctx		*c;

	c = ctx_names(b->cert, b->key, b->ciphers, 0, NULL, 0, err, warn);
	ck_assert_msg(c == NULL, "case %d accepted", _i);
	ck_assert_msg(strncmp(err, p, strlen(p)) == 0 &&
	    err[strlen(p)] == ':', "case %d: \"%s\"", _i, err);
	ck_assert_msg(strstr(err, b->why) != NULL, "case %d: \"%s\"", _i,
	    err);
	ck_assert_str_eq(warn, "");
	ck_assert_int_eq(ERR_peek_error(), 0);
}
END_TEST

START_TEST(test_warnings)
{
	char *const	 names[] = { "a.test", "c.test", "*.a.test",
	    "b.w.a.test", "192.0.2.1" };
	char		 err[TLS_ERR_MAX], warn[TLS_ERR_MAX];
	struct tls_ctx	*c;

	c = ctx_names("soon.pem", "ec.key", "", 0, names, 1, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_msg(strncmp(warn, path("soon.pem"),
	    strlen(path("soon.pem"))) == 0, "%s", warn);
	ck_assert_msg(strstr(warn, "expires on ") != NULL, "%s", warn);
	ck_assert_msg(strstr(warn, "in 2 days") != NULL ||
	    strstr(warn, "in 3 days") != NULL, "%s", warn);
	tls_ctx_free(c);

	c = ctx_names("ec.pem", "ec.key", "", 0, names, 5, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_msg(strstr(warn, "does not cover c.test, *.a.test, "
	    "192.0.2.1") != NULL, "%s", warn);
	ck_assert_ptr_null(strstr(warn, "expires"));
	tls_ctx_free(c);

	/* No SAN: the common name is what clients check. */
	c = ctx_names("nosan.pem", "ec.key", "", 0, names, 1, err, warn);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_msg(strstr(warn, "does not cover a.test") != NULL, "%s",
	    warn);
	tls_ctx_free(c);
	/* Each certificate's warnings start with its own file. */
	{
		char *const	nowhere[] = { "nowhere.test" };
		char		want[2 * TLS_ERR_MAX];

		c = ctx_names("ec.pem+rsa.pem", "ec.key+rsa.key", "", 0,
		    nowhere, 1, err, warn);
		ck_assert_msg(c != NULL, "%s", err);
		snprintf(want, sizeof(want), "%s: the certificate does not "
		    "cover nowhere.test; %s: the certificate does not cover "
		    "nowhere.test", path("ec.pem"), path("rsa.pem"));
		ck_assert_str_eq(warn, want);
		tls_ctx_free(c);
	}
	/* warn may be NULL. */
	{
		struct tls_opts	o;
		const char	*cert = path("soon.pem"), *key = path("ec.key");

		memset(&o, 0, sizeof(o));
		o.certificates = &cert;
		o.keys = &key;
		o.ncerts = 1;
		c = tls_ctx_new(&o, time(NULL), err, sizeof(err), NULL, 0);
		ck_assert_ptr_nonnull(c);
		tls_ctx_free(c);
	}
}
END_TEST

/* --- the handshake harness ------------------------------------------- */

static struct tls_ctx *
select_site(void *arg, const char *name, const void **site)
{
	struct sel	*s = arg;

	s->calls++;
	snprintf(s->last, sizeof(s->last), "%s", name != NULL ? name : "-");
	if (name != NULL && strcmp(name, "b.test") == 0) {
		*site = &site_b;
		return s->b;
	}
	if (name != NULL && strcmp(name, "c.test") == 0) {
		*site = &site_c;
		return s->c;
	}
	*site = &site_a;
	return NULL;
}

static void
count_records(int write_p, int version, int type, const void *buf,
    size_t len, SSL *ssl, void *arg)
{
	const unsigned char	*b = buf;

	if (write_p)
		return;
	if (type == SSL3_RT_HEADER && len == 5)
		rec_last = (size_t)b[3] << 8 | b[4];
	else if (type == SSL3_RT_INNER_CONTENT_TYPE && len == 1 &&
	    b[0] == SSL3_RT_APPLICATION_DATA) {
		/* TLS 1.3 with AES-GCM: type byte and 16-byte tag. */
		if (rec_count++ == 0)
			rec_first = rec_last - 17;
		if (rec_last - 17 > rec_max)
			rec_max = rec_last - 17;
	}
}

static SSL_CTX *
client_ctx(int minv, int maxv)
{
	SSL_CTX	*c = SSL_CTX_new(TLS_client_method());

	ck_assert_ptr_nonnull(c);
	if (minv < TLS1_2_VERSION) {
		SSL_CTX_set_security_level(c, 0);
		ck_assert_int_eq(SSL_CTX_set_cipher_list(c,
		    "DEFAULT:@SECLEVEL=0"), 1);
	}
	ck_assert_int_eq(SSL_CTX_set_min_proto_version(c, minv), 1);
	ck_assert_int_eq(SSL_CTX_set_max_proto_version(c, maxv), 1);
	ck_assert_int_eq(SSL_CTX_load_verify_locations(c, path("ca.pem"),
	    NULL), 1);
	SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_msg_callback(c, count_records);
	SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_CLIENT);
	return c;
}

static void
nonblock(int fd)
{
	ck_assert_int_ne(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK),
	    -1);
}

/*
 * A connection to server context sctx, the client sending SNI sni
 * (verified against the CA as host) and ALPN alpn ("" none).
 */
static void
pair_open(struct pair *p, struct tls_ctx *sctx, struct sel *sel,
    SSL_CTX *cctx, const char *sni, const char *host, const char *alpn)
{
	int	sv[2];
	unsigned char	proto[64];

	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	nonblock(sv[0]);
	nonblock(sv[1]);
	ck_assert_int_eq(tls_transport(&p->t, sv[0], sctx, select_site, sel),
	    0);
	ck_assert_ptr_null(p->t.ops->sendfile);
	p->cfd = sv[1];
	p->c = SSL_new(cctx);
	ck_assert_ptr_nonnull(p->c);
	ck_assert_int_eq(SSL_set_fd(p->c, sv[1]), 1);
	if (sni != NULL)
		ck_assert_int_eq(SSL_set_tlsext_host_name(p->c, sni), 1);
	if (host != NULL)
		ck_assert_int_eq(SSL_set1_host(p->c, host), 1);
	if (alpn != NULL && alpn[0] != '\0') {
		proto[0] = (unsigned char)strlen(alpn);
		memcpy(proto + 1, alpn, proto[0]);
		ck_assert_int_eq(SSL_set_alpn_protos(p->c, proto,
		    proto[0] + 1U), 0);
	}
	SSL_set_connect_state(p->c);
	p->cwant = POLLIN;
}

static void
pair_close(struct pair *p)
{
	p->t.ops->release(&p->t);
	ck_assert_ptr_null(p->t.state);
	close(p->t.fd);
	SSL_free(p->c);
	close(p->cfd);
	free(p->in);
	free(p->cin);
}

/*
 * Runs srv and cli by turns until both are done (non-zero), waiting with
 * poll on what each wants.  Returns 0 when both succeeded.
 */
static int
drive(struct pair *p, int (*srv)(struct pair *), int (*cli)(struct pair *))
{
	struct pollfd	pfd[2];
	int		s = 0, c = 0, i, n;

	for (i = 0; i < STEPS_MAX; i++) {
		if (s == 0)
			s = srv(p);
		if (c == 0)
			c = cli(p);
		if (s != 0 && c != 0)
			return s > 0 && c > 0 ? 0 : -1;
		n = 0;
		if (s == 0) {
			pfd[n].fd = p->t.fd;
			pfd[n++].events = p->t.want == TRANSPORT_WANT_WRITE ?
			    POLLOUT : POLLIN;
		}
		if (c == 0) {
			pfd[n].fd = p->cfd;
			pfd[n++].events = p->cwant;
		}
		ck_assert_msg(poll(pfd, (nfds_t)n, POLL_MS) > 0,
		    "both ends wait");
	}
	ck_abort_msg("no end after %d steps", STEPS_MAX);
	return -1;
}

static int
done(struct pair *p)
{
	return 1;
}

/* The client's SSL call r failed: 0 to wait, -1 for good. */
static int
client_fail(struct pair *p, int r)
{
	p->cerr = SSL_get_error(p->c, r);
	if (p->cerr == SSL_ERROR_WANT_READ)
		p->cwant = POLLIN;
	else if (p->cerr == SSL_ERROR_WANT_WRITE)
		p->cwant = POLLOUT;
	else {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

static int
cli_connect(struct pair *p)
{
	int	r;

	ERR_clear_error();
	r = SSL_connect(p->c);
	return r == 1 ? 1 : client_fail(p, r);
}

static int
cli_write(struct pair *p)
{
	int	r;

	while (p->coutoff < p->coutlen) {
		ERR_clear_error();
		r = SSL_write(p->c, p->cout + p->coutoff,
		    (int)(p->coutlen - p->coutoff));
		if (r <= 0)
			return client_fail(p, r);
		p->coutoff += (size_t)r;
	}
	return 1;
}

static int
cli_read(struct pair *p)
{
	int	r;

	for (;;) {
		if (p->cinlen >= p->cexpect)
			return 1;
		ERR_clear_error();
		r = SSL_read(p->c, p->cin + p->cinlen,
		    (int)(p->cexpect - p->cinlen));
		if (r > 0) {
			p->cinlen += (size_t)r;
			continue;
		}
		if (SSL_get_error(p->c, r) == SSL_ERROR_ZERO_RETURN) {
			p->czero = 1;
			return 1;
		}
		return client_fail(p, r);
	}
}

/* Until expect bytes came, or the end of the stream. */
static int
srv_read(struct pair *p)
{
	ssize_t	n;

	while (p->inlen < p->expect) {
		n = p->t.ops->recv(&p->t, p->in + p->inlen,
		    p->inmax - p->inlen);
		if (n > 0) {
			p->inlen += (size_t)n;
			continue;
		}
		if (n == 0) {
			p->seof = 1;
			return 1;
		}
		if (errno == EAGAIN)
			return 0;
		p->serr = errno;
		return -1;
	}
	return 1;
}

/*
 * As conn does: the unsent bytes presented as iovecs of 700, 5000 and
 * up to 30000 bytes, each time copied anew into a buffer that is wiped
 * after the call, so that the transport cannot rely on our pointers.
 */
static int
srv_write(struct pair *p)
{
	static unsigned char	copy[36000];
	static const size_t	size[] = { 700, 5000, 30000 };
	struct iovec		iov[3];
	size_t			left, k = 0, i, c;
	ssize_t			n;

	while (p->outoff < p->outlen) {
		left = p->outlen - p->outoff;
		for (i = 0, k = 0; i < 3 && left > 0; i++) {
			c = left < size[i] ? left : size[i];
			memcpy(copy + k, p->out + p->outoff + k, c);
			iov[i].iov_base = copy + k;
			iov[i].iov_len = c;
			k += c;
			left -= c;
		}
		n = p->t.ops->sendv(&p->t, iov, (int)i, 0);
		memset(copy, 0xAA, sizeof(copy));
		if (n > 0) {
			ck_assert_uint_le((size_t)n, k);
			p->outoff += (size_t)n;
			continue;
		}
		ck_assert_int_eq(n, -1);
		if (errno == EAGAIN)
			return 0;
		p->serr = errno;
		return -1;
	}
	return 1;
}

static int
srv_shutdown(struct pair *p)
{
	ck_assert_int_eq(p->t.ops->shutdown(&p->t), 0);
	return 1;
}

/* The server's end until its handshake is over (nothing to read yet). */
static int
srv_hs(struct pair *p)
{
	char	buf[64], d[64];
	ssize_t	n = p->t.ops->recv(&p->t, buf, sizeof(buf));

	ck_assert_int_le(n, 0);
	if (n == 0) {
		p->seof = 1;
		return -1;
	}
	if (errno != EAGAIN) {
		p->serr = errno;
		return -1;
	}
	return tls_describe(&p->t, d, sizeof(d))[0] != '\0';
}

/* The handshake and one request "GET / HTTP/1.1\r\n\r\n". */
static int
request(struct pair *p)
{
	static const char	req[] = "GET / HTTP/1.1\r\n\r\n";

	if (drive(p, srv_hs, cli_connect) == -1)
		return -1;
	p->cout = req;
	p->coutlen = sizeof(req) - 1;
	p->inmax = 4096;
	p->in = malloc(p->inmax);
	p->expect = p->coutlen;
	if (drive(p, srv_read, cli_write) == -1)
		return -1;
	ck_assert_uint_eq(p->inlen, p->coutlen);
	ck_assert_int_eq(memcmp(p->in, req, p->inlen), 0);
	return 0;
}

/* --- handshakes ------------------------------------------------------ */

static struct tls_ctx	*ca_, *cb_, *cc_;
static struct sel	 sel;

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	ca_ = ctx("ec.pem", "ec.key", 0);
	cb_ = ctx("rsa.pem", "rsa.key", 0);
	cc_ = ctx("c.pem", "ec.key", 1);
	memset(&sel, 0, sizeof(sel));
	sel.b = cb_;
	sel.c = cc_;
}

static void
teardown(void)
{
	tls_ctx_free(ca_);
	tls_ctx_free(cb_);
	tls_ctx_free(cc_);
}

START_TEST(test_sni_chooses_the_site)
{
	SSL_CTX			*cc = client_ctx(TLS1_2_VERSION, TLS1_3_VERSION);
	struct pair		 p;
	const unsigned char	*alpn;
	unsigned int		 alen;
	char			 d[128];
	EVP_PKEY		*k;

	/* b.test: the RSA site; the name comes canonical to select. */
	pair_open(&p, ca_, &sel, cc, "B.Test.", "b.test", "http/1.1");
	ck_assert_str_eq(tls_describe(&p.t, d, sizeof(d)), "");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_str_eq(sel.last, "b.test");
	ck_assert_ptr_eq(tls_site(&p.t), &site_b);
	ck_assert_int_eq(SSL_get_verify_result(p.c), X509_V_OK);
	k = SSL_get0_peer_certificate(p.c) != NULL ?
	    X509_get0_pubkey(SSL_get0_peer_certificate(p.c)) : NULL;
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(EVP_PKEY_get_base_id(k), EVP_PKEY_RSA);
	SSL_get0_alpn_selected(p.c, &alpn, &alen);
	ck_assert_uint_eq(alen, 8);
	ck_assert_int_eq(memcmp(alpn, "http/1.1", 8), 0);
	ck_assert_str_eq(tls_describe(&p.t, d, sizeof(d)),
	    "TLSv1.3 TLS_AES_128_GCM_SHA256");
	pair_close(&p);

	/* www.a.test: the address's own context (ECDSA), no ALPN. */
	pair_open(&p, ca_, &sel, cc, "www.a.test", "www.a.test", "");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_str_eq(sel.last, "www.a.test");
	ck_assert_ptr_eq(tls_site(&p.t), &site_a);
	ck_assert_int_eq(SSL_get_verify_result(p.c), X509_V_OK);
	SSL_get0_alpn_selected(p.c, &alpn, &alen);
	ck_assert_uint_eq(alen, 0);
	pair_close(&p);

	/* No SNI at all: select hears NULL. */
	pair_open(&p, ca_, &sel, cc, NULL, "a.test", "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_str_eq(sel.last, "-");
	ck_assert_ptr_eq(tls_site(&p.t), &site_a);
	pair_close(&p);

	/* TLS 1.2: server preference, ECDHE and AES-128-GCM. */
	SSL_CTX_free(cc);
	cc = client_ctx(TLS1_2_VERSION, TLS1_2_VERSION);
	pair_open(&p, ca_, &sel, cc, "a.test", "a.test", "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_str_eq(tls_describe(&p.t, d, sizeof(d)),
	    "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256");
	pair_close(&p);
	pair_open(&p, ca_, &sel, cc, "b.test", "b.test", "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_str_eq(tls_describe(&p.t, d, sizeof(d)),
	    "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256");
	pair_close(&p);
	SSL_CTX_free(cc);
}
END_TEST

/* The key type of the certificate the server sent. */
static int
peer_key_type(struct pair *p)
{
	X509	*x = SSL_get0_peer_certificate(p->c);

	ck_assert_ptr_nonnull(x);
	return EVP_PKEY_get_base_id(X509_get0_pubkey(x));
}

/*
 * A site with an ECDSA and an RSA certificate: a client that takes both
 * gets ECDSA, one that only verifies RSA signatures (TLS 1.3) or only
 * offers RSA suites (TLS 1.2) gets RSA.
 */
START_TEST(test_two_certificates)
{
	struct tls_ctx	*two = ctx("ec.pem+rsa.pem", "ec.key+rsa.key", 0);
	SSL_CTX		*cc = client_ctx(TLS1_2_VERSION, TLS1_3_VERSION);
	struct pair	 p;

	pair_open(&p, two, &sel, cc, "a.test", NULL, "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(peer_key_type(&p), EVP_PKEY_EC);
	pair_close(&p);
	pair_open(&p, two, &sel, cc, "a.test", NULL, "http/1.1");
	ck_assert_int_eq(SSL_set1_sigalgs_list(p.c,
	    "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384"), 1);
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(peer_key_type(&p), EVP_PKEY_RSA);
	ck_assert_int_eq(SSL_version(p.c), TLS1_3_VERSION);
	pair_close(&p);
	SSL_CTX_free(cc);

	cc = client_ctx(TLS1_2_VERSION, TLS1_2_VERSION);
	pair_open(&p, two, &sel, cc, "a.test", NULL, "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(peer_key_type(&p), EVP_PKEY_EC);
	pair_close(&p);
	ck_assert_int_eq(SSL_CTX_set_cipher_list(cc,
	    "ECDHE-RSA-AES128-GCM-SHA256"), 1);
	pair_open(&p, two, &sel, cc, "a.test", NULL, "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(peer_key_type(&p), EVP_PKEY_RSA);
	pair_close(&p);
	SSL_CTX_free(cc);
	tls_ctx_free(two);
}
END_TEST

/* Handshakes the server must refuse: -1/ECONNRESET, the client fails. */
static void
refused(SSL_CTX *cc, const char *sni, const char *alpn)
{
	struct pair	p;

	pair_open(&p, ca_, &sel, cc, sni, NULL, alpn);
	ck_assert_int_eq(drive(&p, srv_hs, cli_connect), -1);
	ck_assert_int_eq(p.serr, ECONNRESET);
	ck_assert_int_ne(p.cerr, 0);
	ck_assert_int_eq(ERR_peek_error(), 0);
	pair_close(&p);
}

START_TEST(test_refused_handshakes)
{
	SSL_CTX	*cc;

	/* TLS 1.1 and 1.0. */
	cc = client_ctx(TLS1_VERSION, TLS1_1_VERSION);
	refused(cc, "a.test", "http/1.1");
	SSL_CTX_free(cc);
	/* TLS 1.2 to a TLS 1.3-only site, chosen by SNI. */
	cc = client_ctx(TLS1_2_VERSION, TLS1_2_VERSION);
	refused(cc, "c.test", "http/1.1");
	/* ALPN without http/1.1. */
	refused(cc, "a.test", "h2");
	/* A CBC suite only. */
	ck_assert_int_eq(SSL_CTX_set_cipher_list(cc,
	    "ECDHE-ECDSA-AES128-SHA"), 1);
	refused(cc, "a.test", "http/1.1");
	SSL_CTX_free(cc);
}
END_TEST

START_TEST(test_payload_in_records)
{
	SSL_CTX		*cc = client_ctx(TLS1_3_VERSION, TLS1_3_VERSION);
	struct pair	 p;
	unsigned char	*data;
	size_t		 i;
	int		 sz = 4096;

	data = malloc(PAYLOAD);
	ck_assert_ptr_nonnull(data);
	for (i = 0; i < PAYLOAD; i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	pair_open(&p, ca_, &sel, cc, "a.test", "a.test", "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	/* A small socket buffer: records wait for it (WANT_WRITE). */
	ck_assert_int_eq(setsockopt(p.t.fd, SOL_SOCKET, SO_SNDBUF, &sz,
	    sizeof(sz)), 0);
	p.out = data;
	p.outlen = PAYLOAD;
	p.cin = malloc(PAYLOAD + 1);
	p.cexpect = PAYLOAD;
	rec_count = rec_max = 0;
	ck_assert_int_eq(drive(&p, srv_write, cli_read), 0);
	ck_assert_uint_eq(p.cinlen, PAYLOAD);
	ck_assert_int_eq(memcmp(p.cin, data, PAYLOAD), 0);
	ck_assert_uint_le(rec_max, TLS_RECORD_MAX);
	ck_assert_uint_eq(rec_first, TLS_RECORD_MAX);
	/* Each call: a full record gathered from 700 + 5000 + 10684
	 * bytes, a full one from the 30000, then the rest: 3 records per
	 * 35700 bytes. */
	ck_assert_uint_le(rec_count, 3 * (PAYLOAD / 35700 + 1));
	ck_assert_uint_eq(tls_pending(&p.t), 0);

	/* Small iovecs are gathered: 20 x 1 KiB make 2 records. */
	{
		struct iovec	iov[20];
		ssize_t		n;

		for (i = 0; i < 20; i++) {
			iov[i].iov_base = data + i * 1024;
			iov[i].iov_len = 1024;
		}
		sz = 1 << 20;
		(void)setsockopt(p.t.fd, SOL_SOCKET, SO_SNDBUF, &sz,
		    sizeof(sz));
		rec_count = rec_max = 0;
		n = p.t.ops->sendv(&p.t, iov, 20, 0);
		ck_assert_int_eq(n, 20 * 1024);
		p.cinlen = 0;
		p.cexpect = 20 * 1024;
		ck_assert_int_eq(drive(&p, done, cli_read), 0);
		ck_assert_int_eq(memcmp(p.cin, data, 20 * 1024), 0);
		ck_assert_uint_eq(rec_count, 2);
		ck_assert_uint_eq(rec_first, TLS_RECORD_MAX);
	}

	/* shutdown sends close_notify. */
	p.cinlen = 0;
	p.cexpect = 1;
	ck_assert_int_eq(drive(&p, srv_shutdown, cli_read), 0);
	ck_assert_int_eq(p.czero, 1);
	ck_assert_uint_eq(p.cinlen, 0);
	/* The client's close_notify: the end of the stream. */
	ck_assert_int_ge(SSL_shutdown(p.c), 0);
	{
		char	b[16];

		ck_assert_int_eq(p.t.ops->recv(&p.t, b, sizeof(b)), 0);
	}
	pair_close(&p);
	SSL_CTX_free(cc);
	free(data);
}
END_TEST

/* Two records before the server reads: one recv takes both. */
START_TEST(test_buffered_records)
{
	SSL_CTX		*cc = client_ctx(TLS1_2_VERSION, TLS1_3_VERSION);
	struct pair	 p;
	ssize_t		 n;
	char		 buf[100];

	pair_open(&p, ca_, &sel, cc, "a.test", "a.test", "http/1.1");
	ck_assert_int_eq(drive(&p, srv_hs, cli_connect), 0);
	ck_assert_int_eq(SSL_write(p.c, "GET /a", 6), 6);
	ck_assert_int_eq(SSL_write(p.c, "GET /b", 6), 6);
	/* A small read: the rest of the record waits inside. */
	p.inmax = 4;
	p.in = malloc(p.inmax);
	p.expect = 4;
	ck_assert_int_eq(drive(&p, srv_read, done), 0);
	ck_assert_int_eq(memcmp(p.in, "GET ", 4), 0);
	ck_assert_uint_eq(tls_pending(&p.t), 2);
	/* One recv takes the rest of that record and the next one. */
	n = p.t.ops->recv(&p.t, buf, sizeof(buf));
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(memcmp(buf, "/aGET /b", 8), 0);
	ck_assert_uint_eq(tls_pending(&p.t), 0);
	n = p.t.ops->recv(&p.t, buf, sizeof(buf));
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(p.t.want, TRANSPORT_WANT_READ);
	pair_close(&p);
	SSL_CTX_free(cc);
}
END_TEST

/*
 * Reads what the server's end sent to the client until EOF, with the
 * client's end non-blocking.
 */
static size_t
read_all(int fd, char *buf, size_t sz)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	size_t		len = 0;
	ssize_t		n;

	for (;;) {
		n = read(fd, buf + len, sz - 1 - len);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		ck_assert_int_eq(errno, EAGAIN);
		ck_assert_int_gt(poll(&pfd, 1, POLL_MS), 0);
	}
	buf[len] = '\0';
	return len;
}

START_TEST(test_plain_http)
{
	static const char	req[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	SSL_CTX			*cc = client_ctx(TLS1_2_VERSION,
				    TLS1_3_VERSION);
	struct pair		 p;
	char			 buf[1024], *body;
	ssize_t			 n;
	unsigned long		 len;

	pair_open(&p, ca_, &sel, cc, NULL, NULL, NULL);
	n = p.t.ops->recv(&p.t, buf, sizeof(buf));
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(write(p.cfd, req, sizeof(req) - 1),
	    (ssize_t)sizeof(req) - 1);
	n = p.t.ops->recv(&p.t, buf, sizeof(buf));
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, EPROTO);
	read_all(p.cfd, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "HTTP/1.1 400 Bad Request\r\n", 26) == 0,
	    "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "https://"));
	ck_assert_ptr_nonnull(strstr(buf, "Connection: close\r\n"));
	ck_assert_int_eq(sscanf(strstr(buf, "Content-Length: "),
	    "Content-Length: %lu", &len), 1);
	body = strstr(buf, "\r\n\r\n") + 4;
	ck_assert_uint_eq(strlen(body), len);
	/* Still refused on another try; shutdown and release are safe. */
	n = p.t.ops->recv(&p.t, buf, sizeof(buf));
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, EPROTO);
	(void)p.t.ops->shutdown(&p.t);
	pair_close(&p);
	SSL_CTX_free(cc);
}
END_TEST

static const struct junk {
	const char	*bytes;
	size_t		 len;
} junk[] = {
	/* A handshake record of a version that does not exist. */
	{ "\x16\xfe\xfe\x00\x10" "0123456789abcdef", 21 },
	/* A ClientHello too short for its fields. */
	{ "\x16\x03\x01\x00\x08\x01\x00\x00\x04\xde\xad\xbe\xef", 13 },
	/* Neither TLS nor a letter. */
	{ "\x80\x01\x02\x03\x04\x05\x06\x07", 8 },
};

/*
 * Server steps with a stale error queued by someone else: the transport
 * must not take it for its own (SSL_get_error looks at the queue).
 */
static int
srv_hs_stale(struct pair *p)
{
	int	r;

	ERR_raise(ERR_LIB_SSL, SSL_R_BAD_LENGTH);
	r = srv_hs(p);
	ERR_clear_error();
	return r;
}

static int
srv_read_stale(struct pair *p)
{
	int	r;

	ERR_raise(ERR_LIB_SSL, SSL_R_BAD_LENGTH);
	r = srv_read(p);
	ERR_clear_error();
	return r;
}

/*
 * Garbage costs the connection only; a second connection in the same
 * process then works, even with a stale error left in the queue by
 * someone else.
 */
START_TEST(test_garbage)
{
	SSL_CTX		*cc = client_ctx(TLS1_2_VERSION, TLS1_3_VERSION);
	struct pair	 p;
	char		 buf[256];
	struct iovec	 iov = { buf, 1 };
	ssize_t		 n;
	size_t		 i;

	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		pair_open(&p, ca_, &sel, cc, NULL, NULL, NULL);
		ck_assert_int_eq(write(p.cfd, junk[i].bytes, junk[i].len),
		    (ssize_t)junk[i].len);
		n = p.t.ops->recv(&p.t, buf, sizeof(buf));
		ck_assert_msg(n == -1 && errno == ECONNRESET,
		    "junk %zu: %zd %s", i, n, strerror(errno));
		ck_assert_int_eq(ERR_peek_error(), 0);
		ck_assert_uint_eq(tls_pending(&p.t), 0);
		ck_assert_int_eq(p.t.ops->sendv(&p.t, &iov, 1, 0), -1);
		(void)p.t.ops->shutdown(&p.t);
		pair_close(&p);
	}
	/* A peer that closes at once: EOF. */
	pair_open(&p, ca_, &sel, cc, NULL, NULL, NULL);
	close(p.cfd);
	p.cfd = -1;
	ck_assert_int_eq(p.t.ops->recv(&p.t, buf, sizeof(buf)), 0);
	pair_close(&p);
	/* A peer that closes in the middle of the handshake. */
	pair_open(&p, ca_, &sel, cc, NULL, NULL, NULL);
	ck_assert_int_eq(write(p.cfd, junk[1].bytes, 5), 5);
	ck_assert_int_eq(shutdown(p.cfd, SHUT_WR), 0);
	n = p.t.ops->recv(&p.t, buf, sizeof(buf));
	ck_assert_int_le(n, 0);
	if (n == -1)
		ck_assert_int_eq(errno, ECONNRESET);
	ck_assert_int_eq(ERR_peek_error(), 0);
	pair_close(&p);

	pair_open(&p, ca_, &sel, cc, "a.test", "a.test", "http/1.1");
	ck_assert_int_eq(drive(&p, srv_hs_stale, cli_connect), 0);
	ck_assert_ptr_eq(tls_site(&p.t), &site_a);
	p.cout = "GET /";
	p.coutlen = 5;
	p.inmax = 64;
	p.in = malloc(p.inmax);
	p.expect = 5;
	ck_assert_int_eq(drive(&p, srv_read_stale, cli_write), 0);
	ck_assert_int_eq(memcmp(p.in, "GET /", 5), 0);
	pair_close(&p);
	SSL_CTX_free(cc);
}
END_TEST

/*
 * Tickets resume on a new connection, TLS 1.3 and 1.2, also on a site
 * SNI moved the handshake to (the address's context seals the tickets).
 */
static const struct resume {
	int		 version;
	const char	*name;
	const int	*site;
} resume[] = {
	{ TLS1_3_VERSION, "a.test", &site_a },
	{ TLS1_2_VERSION, "a.test", &site_a },
	{ TLS1_3_VERSION, "b.test", &site_b },
	{ TLS1_2_VERSION, "b.test", &site_b },
};

START_TEST(test_resumption)
{
	const struct resume	*r = &resume[_i];
	SSL_CTX			*cc;
	SSL_SESSION		*s;
	struct pair		 p;
	struct iovec		 iov = { (void *)"hi", 2 };

	cc = client_ctx(r->version, r->version);
	pair_open(&p, ca_, &sel, cc, r->name, r->name, "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(SSL_session_reused(p.c), 0);
	ck_assert_int_eq(p.t.ops->sendv(&p.t, &iov, 1, 0), 2);
	p.cin = malloc(16);
	p.cexpect = 2;
	ck_assert_int_eq(drive(&p, done, cli_read), 0);
	s = SSL_get1_session(p.c);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(SSL_SESSION_is_resumable(s), 1);
	/* Without close_notify, SSL_free marks the session unresumable. */
	ck_assert_int_ge(SSL_shutdown(p.c), 0);
	pair_close(&p);

	pair_open(&p, ca_, &sel, cc, r->name, r->name, "http/1.1");
	ck_assert_int_eq(SSL_set_session(p.c, s), 1);
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(SSL_session_reused(p.c), 1);
	ck_assert_ptr_eq(tls_site(&p.t), r->site);
	pair_close(&p);
	SSL_SESSION_free(s);
	SSL_CTX_free(cc);
}
END_TEST

/*
 * A reload makes new contexts in the same master: the ticket keys come
 * from the master's secret, so a ticket of the old contexts resumes on
 * the new ones (TLS 1.3 and 1.2).
 */
static const int resume_versions[] = { TLS1_3_VERSION, TLS1_2_VERSION };

START_TEST(test_resumption_across_reload)
{
	int		 v = resume_versions[_i];
	SSL_CTX		*cc;
	SSL_SESSION	*s;
	struct pair	 p;
	struct tls_ctx	*fresh;
	struct iovec	 iov = { (void *)"hi", 2 };

	cc = client_ctx(v, v);
	pair_open(&p, ca_, &sel, cc, "a.test", "a.test", "http/1.1");
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(p.t.ops->sendv(&p.t, &iov, 1, 0), 2);
	p.cin = malloc(16);
	p.cexpect = 2;
	ck_assert_int_eq(drive(&p, done, cli_read), 0);
	s = SSL_get1_session(p.c);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_ge(SSL_shutdown(p.c), 0);
	pair_close(&p);

	fresh = ctx("ec.pem", "ec.key", 0);
	pair_open(&p, fresh, &sel, cc, "a.test", "a.test", "http/1.1");
	ck_assert_int_eq(SSL_set_session(p.c, s), 1);
	ck_assert_int_eq(request(&p), 0);
	ck_assert_int_eq(SSL_session_reused(p.c), 1);
	pair_close(&p);
	tls_ctx_free(fresh);
	SSL_SESSION_free(s);
	SSL_CTX_free(cc);
}
END_TEST

static Suite *
tls_suite(void)
{
	Suite	*s = suite_create("tls");
	TCase	*tc;

	tc = tcase_create("certificates");
	tcase_add_test(tc, test_good_certificates);
	tcase_add_loop_test(tc, test_bad_certificates, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_warnings);
	suite_add_tcase(s, tc);

	tc = tcase_create("handshakes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sni_chooses_the_site);
	tcase_add_test(tc, test_two_certificates);
	tcase_add_test(tc, test_refused_handshakes);
	tcase_add_test(tc, test_payload_in_records);
	tcase_add_test(tc, test_buffered_records);
	tcase_add_test(tc, test_plain_http);
	tcase_add_test(tc, test_garbage);
	tcase_add_loop_test(tc, test_resumption, 0,
	    (int)(sizeof(resume) / sizeof(resume[0])));
	tcase_add_loop_test(tc, test_resumption_across_reload, 0,
	    (int)(sizeof(resume_versions) / sizeof(resume_versions[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner		*sr;
	const char	*tmp = getenv("TMPDIR");
	int		 failed;

	snprintf(dir, sizeof(dir), "%s/check_tls.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	make_files();
	/* Keep the transport's info lines (which path files take) quiet. */
	log_set_level(CONF_LOG_WARN);
	sr = srunner_create(tls_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_files();
	return failed == 0 ? 0 : 1;
}
