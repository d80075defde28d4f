/*
 * tlsclient.c: the benchmark's fixed-count client over TLS, for the
 * measurements of the HTTPS mode (TLS=1) that need an exact number of
 * requests or handshakes rather than a duration, and a count of the
 * handshakes that resumed a session.
 *
 *	tlsclient count PORT PATH CONNS N [hold]
 *		N keep-alive GETs of PATH over CONNS connections, one in
 *		flight on each; prints "done N FAILED".  With "hold", once
 *		the handshakes are done it prints "connected OK FAILED" and
 *		waits for a line or EOF on standard input before the first
 *		request, so that a count that starts meanwhile (callgrind,
 *		strace) sees requests only, not CONNS handshakes.
 *	tlsclient idle PORT PATH N
 *		opens N connections, each sends one GET and reads the whole
 *		reply, then stays open; prints "ready OK FAILED" and waits
 *		for a line or EOF on standard input, then closes them all.
 *	tlsclient handshakes PORT PATH PAR N full|resume
 *		N connections in PAR processes, each process one after the
 *		other: handshake, GET PATH with "Connection: close", read
 *		the reply, close.  With "resume" each connection offers the
 *		session (a TLS 1.3 ticket, or a TLS 1.2 one) of the one
 *		before it in its process, so all but the first of each
 *		process may resume; with "full" none offers one.  Prints
 *		"handshakes OK REUSED FAILED", REUSED counted by
 *		SSL_session_reused.
 *
 * Everything goes to 127.0.0.1 and the certificate is not verified:
 * the benchmark's own throwaway one.  Sockets block, which keeps this
 * short: count mode writes a request on every connection and then
 * reads the replies in order, so CONNS requests are in flight.  Each
 * phase is bounded by an alarm, so a server that stops answering ends
 * the client instead of hanging it.  Replies are read by their
 * Content-Length only, which is what every server sends for a file.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#define CLIENT_HEAD_MAX		4096	/* bytes of a reply head */
#define CLIENT_ALARM		600	/* seconds for one phase */
#define CLIENT_PAR_MAX		64	/* processes in handshakes mode */

struct tconn {
	int	 fd;
	SSL	*ssl;
};

/* What each process of handshakes mode did, in memory shared with main. */
struct tally {
	long	ok;
	long	reused;
	long	failed;
};

static int	tconn_open(struct tconn *, SSL_SESSION *);
static void	tconn_close(struct tconn *);
static int	tconn_request(struct tconn *, const char *, int);
static int	tconn_reply(struct tconn *);
static int	run_count(int, long, int);
static int	run_idle(int);
static void	handshakes(long, int, struct tally *);
static int	run_handshakes(int, long, int);

static struct sockaddr_in dst;
static SSL_CTX	*ctx;
static char	req[512], req_close[512], body[65536];
static int	req_len, req_close_len;

/* Connects and completes a handshake, offering SESS if not NULL. */
static int
tconn_open(struct tconn *c, SSL_SESSION *sess)
{
	int one = 1;

	c->ssl = NULL;
	if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&dst, sizeof(dst)) == -1 ||
	    (c->ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1 ||
	    (sess != NULL && SSL_set_session(c->ssl, sess) != 1) ||
	    SSL_connect(c->ssl) != 1) {
		tconn_close(c);
		return -1;
	}
	return 0;
}

/*
 * A close_notify first: OpenSSL drops from its cache a session whose
 * connection ended without one, and a server may do the same.
 */
static void
tconn_close(struct tconn *c)
{
	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}

/* Sends a request and reads its reply; 0, or -1 for anything else. */
static int
tconn_request(struct tconn *c, const char *r, int len)
{
	if (SSL_write(c->ssl, r, len) != len)
		return -1;
	return tconn_reply(c);
}

/* Reads a whole 200 reply; 0, or -1 for anything else. */
static int
tconn_reply(struct tconn *c)
{
	char head[CLIENT_HEAD_MAX], *end, *cl;
	size_t got = 0;
	long long left;
	int n;

	do {
		if (got == sizeof(head) - 1 || (n = SSL_read(c->ssl,
		    head + got, sizeof(head) - 1 - got)) <= 0)
			return -1;
		got += n;
		head[got] = '\0';
	} while ((end = strstr(head, "\r\n\r\n")) == NULL);
	if (strncmp(head, "HTTP/1.1 200", 12) != 0 ||
	    (cl = strcasestr(head, "\r\ncontent-length:")) == NULL)
		return -1;
	left = atoll(cl + 17) - (long long)(got - (end + 4 - head));
	while (left > 0) {
		n = SSL_read(c->ssl, body, left < (long long)sizeof(body) ?
		    (int)left : (int)sizeof(body));
		if (n <= 0)
			return -1;
		left -= n;
	}
	return left == 0 ? 0 : -1;
}

static int
run_count(int conns, long n, int hold)
{
	struct tconn *cs;
	char *busy, line[64];
	long sent = 0, done = 0;
	int i, live = 0, failed = 0;

	if ((cs = calloc(conns, sizeof(*cs))) == NULL ||
	    (busy = calloc(conns, 1)) == NULL)
		return 2;
	for (i = 0; i < conns && i < n; i++) {
		if (tconn_open(&cs[i], NULL) == -1)
			failed++;
		else
			live++;
	}
	if (hold) {
		printf("connected %d %d\n", live, failed);
		fflush(stdout);
		alarm(0);
		if (fgets(line, sizeof(line), stdin) == NULL)
			line[0] = '\0';
		alarm(CLIENT_ALARM);
	}
	while (done < n && live > 0) {
		for (i = 0; i < conns && sent < n; i++) {
			if (cs[i].ssl == NULL)
				continue;
			if (SSL_write(cs[i].ssl, req, req_len) != req_len) {
				tconn_close(&cs[i]);
				failed++;
				live--;
				continue;
			}
			busy[i] = 1;
			sent++;
		}
		for (i = 0; i < conns; i++) {
			if (!busy[i])
				continue;
			busy[i] = 0;
			if (tconn_reply(&cs[i]) == -1) {
				tconn_close(&cs[i]);
				failed++;
				live--;
			} else
				done++;
		}
	}
	printf("done %ld %d\n", done, failed);
	for (i = 0; i < conns; i++)
		tconn_close(&cs[i]);
	return done == n ? 0 : 1;
}

static int
run_idle(int n)
{
	struct tconn *cs;
	char line[64];
	int i, ok = 0, failed = 0;

	if ((cs = calloc(n, sizeof(*cs))) == NULL)
		return 2;
	for (i = 0; i < n; i++) {
		if (tconn_open(&cs[i], NULL) == -1)
			failed++;
		else if (tconn_request(&cs[i], req, req_len) == -1) {
			tconn_close(&cs[i]);
			failed++;
		} else
			ok++;
	}
	printf("ready %d %d\n", ok, failed);
	fflush(stdout);
	alarm(0);
	if (fgets(line, sizeof(line), stdin) == NULL)
		line[0] = '\0';
	for (i = 0; i < n; i++)
		if (cs[i].ssl != NULL)
			tconn_close(&cs[i]);
	printf("closed\n");
	return ok == n ? 0 : 1;
}

/* N connections one after the other, resuming the last session if asked. */
static void
handshakes(long n, int resume, struct tally *t)
{
	SSL_SESSION *sess = NULL;
	struct tconn c;
	long i;

	for (i = 0; i < n; i++) {
		if (tconn_open(&c, sess) == -1) {
			t->failed++;
			continue;
		}
		if (SSL_session_reused(c.ssl))
			t->reused++;
		if (tconn_request(&c, req_close, req_close_len) == -1)
			t->failed++;
		else
			t->ok++;
		/* a TLS 1.3 ticket arrives after the handshake: read now */
		if (resume) {
			SSL_SESSION_free(sess);
			sess = SSL_get1_session(c.ssl);
		}
		tconn_close(&c);
	}
	SSL_SESSION_free(sess);
}

static int
run_handshakes(int par, long n, int resume)
{
	struct tally *t, sum = { 0, 0, 0 };
	pid_t pid;
	int i, status, bad = 0;

	t = mmap(NULL, par * sizeof(*t), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return 2;
	memset(t, 0, par * sizeof(*t));
	for (i = 0; i < par; i++) {
		if ((pid = fork()) == -1)
			return 2;
		if (pid == 0) {
			handshakes(n / par + (i < n % par), resume, &t[i]);
			_exit(0);
		}
	}
	while (wait(&status) != -1)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	for (i = 0; i < par; i++) {
		sum.ok += t[i].ok;
		sum.reused += t[i].reused;
		sum.failed += t[i].failed;
	}
	printf("handshakes %ld %ld %ld\n", sum.ok, sum.reused, sum.failed);
	return bad || sum.ok != n ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = 0;
	int conns = 0, resume = 0, hold = 0;

	if (strcmp(mode, "count") == 0 && (argc == 6 || (argc == 7 &&
	    (hold = strcmp(argv[6], "hold") == 0)))) {
		conns = atoi(argv[4]);
		n = atol(argv[5]);
	} else if (strcmp(mode, "idle") == 0 && argc == 5) {
		conns = 1;
		n = atol(argv[4]);
	} else if (strcmp(mode, "handshakes") == 0 && argc == 7 &&
	    ((resume = strcmp(argv[6], "resume") == 0) ||
	    strcmp(argv[6], "full") == 0)) {
		conns = atoi(argv[4]);
		n = atol(argv[5]);
	} else
		mode = "";
	if (*mode == '\0' || n <= 0 || n > INT_MAX || conns <= 0 ||
	    (*mode == 'h' && conns > CLIENT_PAR_MAX)) {
		fprintf(stderr, "usage: tlsclient count PORT PATH CONNS N "
		    "[hold] | "
		    "tlsclient idle PORT PATH N |\n"
		    "       tlsclient handshakes PORT PATH PAR N "
		    "full|resume\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(CLIENT_ALARM);
	dst.sin_family = AF_INET;
	dst.sin_port = htons(atoi(argv[2]));
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	req_len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nUser-Agent: bench-tlsclient\r\n\r\n", argv[3]);
	req_close_len = snprintf(req_close, sizeof(req_close),
	    "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "User-Agent: bench-tlsclient\r\nConnection: close\r\n\r\n",
	    argv[3]);
	if ((size_t)req_close_len >= sizeof(req_close) ||
	    (ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
		return 2;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (*mode == 'c')
		return run_count(conns, n, hold);
	if (*mode == 'i')
		return run_idle((int)n);
	return run_handshakes(conns, n, resume);
}
