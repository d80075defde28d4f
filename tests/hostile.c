/*
 * hostile: the attacking clients of tests/e2e/hostile.sh, each a mode
 * that drives many connections to 127.0.0.1:PORT from one process (a
 * shell loop of curl or rawhttp is far too slow for a thousand sockets
 * on a loaded machine).  Every mode is bounded by -D (seconds in all)
 * and prints one line of NAME=VALUE results on standard output, which
 * the suite reads; it never decides whether the server passed.
 *
 *	hostile slow [-n N] [-i MS] [-d SECS] [-w SECS] PORT
 *	    keeps N connections that send a request head one byte every
 *	    MS ms and never finish it; one the server closes is replaced
 *	    until -d SECS pass or SIGUSR1 comes, then waits up to -w SECS
 *	    for the server to close the rest.  Prints how many were
 *	    opened, cut by the server (and of those, answered 408), still
 *	    open at the end, and the shortest and longest lifetime.
 *	hostile get [-n N] [-t SECS] PORT PATH
 *	    N GETs of PATH in turn, each on a new connection and bounded
 *	    by -t: how many were a complete 200, the others, the slowest.
 *	hostile hold [-n N] [-r BYTES] [-w SECS] PORT
 *	    opens N connections that send nothing (or ask for nothing but
 *	    a socket receive buffer of BYTES) and waits up to -w SECS for
 *	    the server to close them.
 *	hostile noread [-n N] [-w SECS] PORT PATH
 *	    N connections with a small receive buffer each ask for PATH
 *	    and never read; prints "sent=N" at once, then holds them for
 *	    -w SECS or until SIGUSR1, then closes them.
 *	hostile abort [-n N] -m head|body PORT PATH
 *	    N connections closed with a reset (SO_LINGER 0): after half a
 *	    request head (head), or after reading a few KiB of PATH (body).
 *	hostile fuzz [-n N] [-s SEED] [-T] [-t SECS] PORT
 *	    N connections, each sending random bytes or a valid request
 *	    cut at a random point (with -T: a garbage TLS record or a
 *	    ClientHello cut short), then half-closing and reading the
 *	    answer; reproducible from SEED.
 *	hostile replay [-t SECS] PORT FILE...
 *	    each FILE as the request bytes of a new connection, the same
 *	    way.
 *
 * fuzz and replay count the answers by status class (s1xx ... s5xx),
 * with the 500s apart (s500), those closed without a byte (closed), those
 * whose bytes are not a complete HTTP response (bad), and those not
 * closed in time (timeout).
 * Exit status: 0 when the mode ran, 2 on usage or set-up errors.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define H_ANSWER_MAX	(64 * 1024)	/* answer bytes kept for a verdict */
#define H_FILE_MAX	(1024 * 1024)	/* a replayed file */
#define H_RANDOM_MAX	2048		/* random bytes sent */
#define H_SMALL_RCVBUF	4096		/* noread: the window stays small */
#define H_BODY_READ	4096		/* abort body: bytes read first */
#define H_FD_SPARE	32		/* descriptors kept for the rest */
#define H_POLL_MSEC	100

/* A verdict on what a connection got back (see answer_class). */
enum h_verdict {
	H_CLOSED = 0,	/* closed without a byte */
	H_BAD = -1,	/* bytes, but not a complete HTTP response */
	H_TIMEOUT = -2,	/* not closed in time */
	H_CONNFAIL = -3	/* could not connect */
};

struct h_counts {
	int	sent, closed, bad, timeout, connfail, other;
	int	cls[6];		/* by status class: 1xx..5xx */
	int	s500;		/* of which 500: the server failed */
};

static volatile sig_atomic_t	 h_stop;
static uint16_t			 h_port;
static long			 h_deadline;	/* -D, ms */
static uint64_t			 h_rng = 88172645463325252ULL;

static long	now_ms(void);
static void	on_usr1(int);
static void	usage(void);
static uint64_t	rnd(void);
static int	raise_nofile(int);
static int	dial(int);
static int	send_all(int, const void *, size_t, long);
static ssize_t	read_until_close(int, char *, size_t, long, int *);
static int	answer_class(const char *, size_t, int);
static void	count(struct h_counts *, int);
static void	print_counts(const struct h_counts *);
static int	probe(const char *, size_t, int, struct h_counts *);
static size_t	client_hello(unsigned char *, size_t);
static int	mode_slow(int, char *[]);
static int	mode_get(int, char *[]);
static int	mode_hold(int, char *[]);
static int	mode_noread(int, char *[]);
static int	mode_abort(int, char *[]);
static int	mode_fuzz(int, char *[]);
static int	mode_replay(int, char *[]);

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_usr1(int sig)
{
	h_stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: hostile [-D secs] slow|get|hold|noread|"
	    "abort|fuzz|replay [options] port [path|file...]\n");
	exit(2);
}

/* xorshift64: the same stream from the same seed on every libc. */
static uint64_t
rnd(void)
{
	h_rng ^= h_rng << 13;
	h_rng ^= h_rng >> 7;
	h_rng ^= h_rng << 17;
	return h_rng;
}

/*
 * Raises the soft descriptor limit for want connections, up to the hard
 * limit; returns how many connections fit (want, or fewer).
 */
static int
raise_nofile(int want)
{
	struct rlimit	rl;
	rlim_t		need = (rlim_t)want + H_FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return want;
	if (rl.rlim_cur < need) {
		rl.rlim_cur = need < rl.rlim_max ? need : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < need)
		return rl.rlim_cur > H_FD_SPARE ?
		    (int)(rl.rlim_cur - H_FD_SPARE) : 0;
	return want;
}

/*
 * A non-blocking connection to the port, set up before connecting with
 * a receive buffer of rcvbuf bytes when not 0; -1 when it does not
 * connect before the deadline.
 */
static int
dial(int rcvbuf)
{
	struct sockaddr_in	sin;
	struct pollfd		pfd;
	socklen_t		len = sizeof(int);
	int			fd, err = 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(h_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (rcvbuf > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, (int)(h_deadline - now_ms())) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
	    err != 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* Sends everything before the deadline: 0, or -1 (closed, timed out). */
static int
send_all(int fd, const void *p, size_t len, long until)
{
	struct pollfd	pfd = { fd, POLLOUT, 0 };
	size_t		off = 0;
	ssize_t		n;

	while (off < len) {
		n = send(fd, (const char *)p + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (now_ms() >= until || poll(&pfd, 1, H_POLL_MSEC) == -1)
			return -1;
	}
	return 0;
}

/*
 * Reads until the peer closes (a FIN or a reset) or the deadline: the
 * first cap bytes are kept in buf.  Returns the bytes kept; *closed is
 * 1 when the peer closed, 0 on the deadline.
 */
static ssize_t
read_until_close(int fd, char *buf, size_t cap, long until, int *closed)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	char		sink[16384];
	size_t		len = 0;
	ssize_t		n;
	long		left;

	*closed = 0;
	for (;;) {
		if (len < cap)
			n = read(fd, buf + len, cap - len);
		else
			n = read(fd, sink, sizeof(sink));
		if (n > 0) {
			if (len < cap)
				len += (size_t)n;
			continue;
		}
		if (n == 0 || (n == -1 && errno == ECONNRESET)) {
			*closed = 1;
			return (ssize_t)len;
		}
		if (errno != EAGAIN && errno != EINTR) {
			*closed = 1;
			return (ssize_t)len;
		}
		if ((left = until - now_ms()) <= 0)
			return (ssize_t)len;
		(void)poll(&pfd, 1, left < H_POLL_MSEC ? (int)left :
		    H_POLL_MSEC);
	}
}

/*
 * The status of the first response in buf when it is a complete HTTP/1.x
 * response (a status line, a head ended by an empty line, and the body
 * its Content-Length announces unless the request was a HEAD or the
 * status has no body), H_CLOSED for no bytes, else H_BAD.
 */
static int
answer_class(const char *buf, size_t len, int head_req)
{
	const char	*end, *p, *line;
	unsigned long	 clen = 0;
	int		 status, has_len = 0;

	if (len == 0)
		return H_CLOSED;
	if (len < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ' ||
	    buf[9] < '1' || buf[9] > '5' || buf[10] < '0' || buf[10] > '9' ||
	    buf[11] < '0' || buf[11] > '9')
		return H_BAD;
	status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + buf[11] - '0';
	if ((end = memmem(buf, len, "\r\n\r\n", 4)) == NULL)
		return H_BAD;
	line = (const char *)memchr(buf, '\n', (size_t)(end + 2 - buf)) + 1;
	for (; line < end; line = p + 1) {
		if ((p = memchr(line, '\n', (size_t)(end + 2 - line))) == NULL)
			break;
		if (strncasecmp(line, "Content-Length:", 15) == 0) {
			clen = strtoul(line + 15, NULL, 10);
			has_len = 1;
		}
	}
	end += 4;
	if (has_len && !head_req && status >= 200 && status != 204 &&
	    status != 304 && (size_t)(buf + len - end) < clen)
		return H_BAD;
	return status;
}

static void
count(struct h_counts *c, int v)
{
	c->sent++;
	if (v == H_CLOSED)
		c->closed++;
	else if (v == H_BAD)
		c->bad++;
	else if (v == H_TIMEOUT)
		c->timeout++;
	else if (v == H_CONNFAIL)
		c->connfail++;
	else if (v >= 100 && v < 600) {
		c->cls[v / 100]++;
		if (v == 500)
			c->s500++;
	}
	else
		c->other++;
}

static void
print_counts(const struct h_counts *c)
{
	printf("sent=%d closed=%d bad=%d timeout=%d connfail=%d s1xx=%d "
	    "s2xx=%d s3xx=%d s4xx=%d s5xx=%d s500=%d other=%d\n", c->sent,
	    c->closed, c->bad, c->timeout, c->connfail, c->cls[1], c->cls[2],
	    c->cls[3], c->cls[4], c->cls[5], c->s500, c->other);
}

/*
 * One connection: sends the bytes, half-closes, reads the answer until
 * the server closes (bounded by msec) and counts the verdict (a TLS
 * alert counts as bad: on a TLS port only the close matters).  Returns
 * the verdict.
 */
static int
probe(const char *req, size_t len, int msec, struct h_counts *c)
{
	static char	ans[H_ANSWER_MAX];
	long		until = now_ms() + msec;
	ssize_t		n;
	int		fd, closed, v;

	if (until > h_deadline)
		until = h_deadline;
	if ((fd = dial(0)) == -1) {
		count(c, H_CONNFAIL);
		return H_CONNFAIL;
	}
	/* The server may answer and close before all is sent: read on. */
	(void)send_all(fd, req, len, until);
	(void)shutdown(fd, SHUT_WR);
	n = read_until_close(fd, ans, sizeof(ans), until, &closed);
	close(fd);
	if (!closed)
		v = H_TIMEOUT;
	else
		v = answer_class(ans, (size_t)n, len >= 5 &&
		    memcmp(req, "HEAD ", 5) == 0);
	count(c, v);
	return v;
}

/* ------------------------------------------------------------------ */

struct h_slow {
	int	fd;
	long	t0;		/* connected at */
	long	next;		/* next byte due at */
	size_t	sent;
	char	got[16];	/* the first bytes of the answer */
	size_t	gotlen;
};

static const char	h_slow_head[] =
    "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

static int	slow_byte(struct h_slow *, long, int);

/* Sends the next byte of a head that never ends: 0, or -1 if closed. */
static int
slow_byte(struct h_slow *s, long now, int interval)
{
	char	ch;

	ch = s->sent < sizeof(h_slow_head) - 1 ? h_slow_head[s->sent] : 'a';
	s->next = now + interval;
	if (send(s->fd, &ch, 1, MSG_NOSIGNAL) == 1) {
		s->sent++;
		return 0;
	}
	return errno == EAGAIN || errno == EINTR ? 0 : -1;
}

static int
mode_slow(int argc, char *argv[])
{
	struct h_slow	*s;
	struct pollfd	*pfd;
	char		 sink[4096];
	long		 now, end_open, end_wait, life, min = -1, max = 0;
	int		 ch, n = 1000, interval = 1000, dur = 10, wait = 10;
	int		 i, opened = 0, cut = 0, got408 = 0, errors = 0, open;
	int		 want;
	ssize_t		 r;

	while ((ch = getopt(argc, argv, "n:i:d:w:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'i':
			interval = atoi(optarg);
			break;
		case 'd':
			dur = atoi(optarg);
			break;
		case 'w':
			wait = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || n <= 0)
		usage();
	h_port = (uint16_t)atoi(argv[optind]);
	want = n;
	if ((n = raise_nofile(n)) < want)
		fprintf(stderr, "hostile: descriptor limit: %d connections "
		    "instead of %d\n", n, want);
	if ((s = calloc((size_t)n, sizeof(*s))) == NULL ||
	    (pfd = calloc((size_t)n, sizeof(*pfd))) == NULL)
		return 2;
	now = now_ms();
	end_open = now + dur * 1000L;
	end_wait = end_open + wait * 1000L;
	for (i = 0; i < n; i++)
		s[i].fd = -1;
	for (;;) {
		now = now_ms();
		if (h_stop && end_open > now) {
			end_wait = now + wait * 1000L;
			end_open = now;
		}
		open = 0;
		for (i = 0; i < n; i++) {
			if (s[i].fd == -1 && now < end_open &&
			    now < h_deadline) {
				if ((s[i].fd = dial(0)) == -1) {
					errors++;
					continue;
				}
				opened++;
				s[i].t0 = now_ms();
				s[i].sent = s[i].gotlen = 0;
				if (slow_byte(&s[i], s[i].t0, interval) == -1)
					errors++;
			} else if (s[i].fd != -1 && now >= s[i].next &&
			    slow_byte(&s[i], now, interval) == -1) {
				/* Closed: the read below sees how. */
				s[i].next = now + interval;
			}
			pfd[i].fd = s[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			if (s[i].fd != -1)
				open++;
		}
		if (open == 0 && now >= end_open)
			break;
		if (now >= end_wait || now >= h_deadline)
			break;
		if (poll(pfd, (nfds_t)n, H_POLL_MSEC) == -1 && errno != EINTR)
			return 2;
		for (i = 0; i < n; i++) {
			if (s[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (s[i].gotlen < sizeof(s[i].got))
				r = read(s[i].fd, s[i].got + s[i].gotlen,
				    sizeof(s[i].got) - s[i].gotlen);
			else
				r = read(s[i].fd, sink, sizeof(sink));
			if (r > 0 && s[i].gotlen < sizeof(s[i].got))
				s[i].gotlen += (size_t)r;
			if (r > 0 || (r == -1 && errno != ECONNRESET))
				continue;
			/* Closed by the server: EOF or reset. */
			life = now_ms() - s[i].t0;
			if (min == -1 || life < min)
				min = life;
			if (life > max)
				max = life;
			cut++;
			if (s[i].gotlen >= 12 &&
			    memcmp(s[i].got + 8, " 408", 4) == 0)
				got408++;
			close(s[i].fd);
			s[i].fd = -1;
		}
	}
	open = 0;
	for (i = 0; i < n; i++)
		if (s[i].fd != -1) {
			open++;
			close(s[i].fd);
		}
	printf("held=%d opened=%d cut=%d got408=%d open=%d errors=%d "
	    "min_ms=%ld max_ms=%ld\n", n, opened, cut, got408, open, errors,
	    min < 0 ? 0 : min, max);
	return 0;
}

static int
mode_get(int argc, char *argv[])
{
	static char	 ans[H_ANSWER_MAX];
	char		 req[512];
	long		 t0, ms, max = 0;
	ssize_t		 len;
	int		 ch, i, n = 100, secs = 5, fd, closed, v, ok = 0;
	int		 failed = 0;

	while ((ch = getopt(argc, argv, "n:t:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 't':
			secs = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 2 != argc)
		usage();
	h_port = (uint16_t)atoi(argv[optind]);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n\r\n", argv[optind + 1]);
	for (i = 0; i < n && now_ms() < h_deadline; i++) {
		t0 = now_ms();
		v = H_CONNFAIL;
		if ((fd = dial(0)) != -1) {
			v = H_TIMEOUT;
			if (send_all(fd, req, strlen(req), t0 + secs * 1000L) ==
			    0) {
				len = read_until_close(fd, ans, sizeof(ans),
				    t0 + secs * 1000L, &closed);
				if (closed)
					v = answer_class(ans, (size_t)len, 0);
			}
			close(fd);
		}
		ms = now_ms() - t0;
		if (ms > max)
			max = ms;
		if (v == 200 && ms <= secs * 1000L)
			ok++;
		else if (failed++ == 0)
			fprintf(stderr, "hostile: GET %d: verdict %d after "
			    "%ld ms\n", i + 1, v, ms);
	}
	printf("ok=%d failed=%d max_ms=%ld\n", ok, failed + (n - i), max);
	return 0;
}

static int
mode_hold(int argc, char *argv[])
{
	struct pollfd	*pfd;
	long		*t0, life, max = 0, until;
	char		 buf[4096];
	int		 ch, i, n = 100, wait = 10, rcvbuf = 0, opened = 0;
	int		 cut = 0, open;
	ssize_t		 r;

	while ((ch = getopt(argc, argv, "n:r:w:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'r':
			rcvbuf = atoi(optarg);
			break;
		case 'w':
			wait = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || n <= 0)
		usage();
	h_port = (uint16_t)atoi(argv[optind]);
	n = raise_nofile(n);
	if ((pfd = calloc((size_t)n, sizeof(*pfd))) == NULL ||
	    (t0 = calloc((size_t)n, sizeof(*t0))) == NULL)
		return 2;
	for (i = 0; i < n; i++) {
		pfd[i].events = POLLIN;
		if ((pfd[i].fd = dial(rcvbuf)) != -1)
			opened++;
		t0[i] = now_ms();
	}
	printf("opened=%d\n", opened);
	fflush(stdout);
	until = now_ms() + wait * 1000L;
	if (until > h_deadline)
		until = h_deadline;
	while (cut < opened && now_ms() < until) {
		if (poll(pfd, (nfds_t)n, H_POLL_MSEC) == -1 && errno != EINTR)
			return 2;
		for (i = 0; i < n; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			r = read(pfd[i].fd, buf, sizeof(buf));
			if (r > 0 || (r == -1 && errno != ECONNRESET))
				continue;
			life = now_ms() - t0[i];
			if (life > max)
				max = life;
			cut++;
			close(pfd[i].fd);
			pfd[i].fd = -1;
		}
	}
	open = 0;
	for (i = 0; i < n; i++)
		if (pfd[i].fd != -1) {
			open++;
			close(pfd[i].fd);
		}
	printf("opened=%d cut=%d open=%d max_ms=%ld\n", opened, cut, open,
	    max);
	return 0;
}

static int
mode_noread(int argc, char *argv[])
{
	struct timespec	 ts = { 0, H_POLL_MSEC * 1000000L };
	char		 req[512];
	int		*fds, ch, i, n = 50, wait = 10, sent = 0;
	long		 until;

	while ((ch = getopt(argc, argv, "n:w:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'w':
			wait = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 2 != argc || n <= 0)
		usage();
	h_port = (uint16_t)atoi(argv[optind]);
	n = raise_nofile(n);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "\r\n", argv[optind + 1]);
	if ((fds = calloc((size_t)n, sizeof(*fds))) == NULL)
		return 2;
	for (i = 0; i < n; i++)
		if ((fds[i] = dial(H_SMALL_RCVBUF)) != -1 &&
		    send_all(fds[i], req, strlen(req), h_deadline) == 0)
			sent++;
	printf("sent=%d\n", sent);
	fflush(stdout);
	until = now_ms() + wait * 1000L;
	while (!h_stop && now_ms() < until && now_ms() < h_deadline)
		nanosleep(&ts, NULL);
	for (i = 0; i < n; i++)
		if (fds[i] != -1)
			close(fds[i]);
	return 0;
}

static int
mode_abort(int argc, char *argv[])
{
	struct linger	 lg = { 1, 0 };
	char		 req[512], buf[H_BODY_READ];
	const char	*how = NULL;
	size_t		 got;
	ssize_t		 r;
	int		 ch, i, n = 200, fd, done = 0, body, failed = 0;
	struct pollfd	 pfd;

	while ((ch = getopt(argc, argv, "n:m:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'm':
			how = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind + 2 != argc || how == NULL)
		usage();
	body = strcmp(how, "body") == 0;
	h_port = (uint16_t)atoi(argv[optind]);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "User-Agent: hostile\r\n\r\n", argv[optind + 1]);
	for (i = 0; i < n && now_ms() < h_deadline; i++) {
		if ((fd = dial(0)) == -1) {
			failed++;
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (!body) {
			/* Half a head: the server holds a buffer for it. */
			if (send_all(fd, req, strlen(req) / 2, h_deadline) ==
			    -1)
				failed++;
			/* Every other one after the server may have read. */
			if (i % 2)
				(void)poll(NULL, 0, 2);
		} else {
			if (send_all(fd, req, strlen(req), h_deadline) == -1)
				failed++;
			pfd.fd = fd;
			pfd.events = POLLIN;
			for (got = 0; got < sizeof(buf) &&
			    now_ms() < h_deadline; ) {
				r = read(fd, buf, sizeof(buf) - got);
				if (r > 0)
					got += (size_t)r;
				else if (r == 0 || errno != EAGAIN)
					break;
				else
					(void)poll(&pfd, 1, H_POLL_MSEC);
			}
			if (got < sizeof(buf))
				failed++;
		}
		close(fd);	/* a reset: SO_LINGER 0 */
		done++;
	}
	printf("done=%d failed=%d\n", done, failed);
	return 0;
}

/* A TLS 1.2 ClientHello (no extensions) of 256 bytes' worth. */
static size_t
client_hello(unsigned char *p, size_t cap)
{
	static const unsigned char suites[] = {
		0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9,
		0xcc, 0xa8, 0x13, 0x01, 0x13, 0x02, 0x13, 0x03
	};
	size_t	body, i, n = 0;

	body = 2 + 32 + 1 + 2 + sizeof(suites) + 2;
	if (cap < body + 9)
		return 0;
	p[n++] = 0x16;			/* handshake record, TLS 1.0 */
	p[n++] = 0x03;
	p[n++] = 0x01;
	p[n++] = (unsigned char)((body + 4) >> 8);
	p[n++] = (unsigned char)(body + 4);
	p[n++] = 0x01;			/* ClientHello */
	p[n++] = 0;
	p[n++] = (unsigned char)(body >> 8);
	p[n++] = (unsigned char)body;
	p[n++] = 0x03;			/* TLS 1.2 */
	p[n++] = 0x03;
	for (i = 0; i < 32; i++)
		p[n++] = (unsigned char)rnd();
	p[n++] = 0;			/* no session id */
	p[n++] = 0;
	p[n++] = sizeof(suites);
	memcpy(p + n, suites, sizeof(suites));
	n += sizeof(suites);
	p[n++] = 1;			/* compression: null */
	p[n++] = 0;
	return n;
}

static const char	*h_requests[] = {
	"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: "
	    "hostile\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n\r\n",
	"HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-99,"
	    "200-299\r\nIf-None-Match: \"x\"\r\n\r\n",
	"POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
	    "5\r\n\r\nhello",
	"GET /%2e%2e/secret HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding:"
	    " chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
};

static int
mode_fuzz(int argc, char *argv[])
{
	static unsigned char	 buf[H_RANDOM_MAX + 64];
	struct h_counts		 c;
	const char		*rq;
	size_t			 len, i;
	int			 ch, k, n = 500, secs = 3, tls = 0;

	while ((ch = getopt(argc, argv, "n:s:t:T")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		case 's':
			h_rng = strtoull(optarg, NULL, 10) | 1;
			break;
		case 't':
			secs = atoi(optarg);
			break;
		case 'T':
			tls = 1;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();
	h_port = (uint16_t)atoi(argv[optind]);
	memset(&c, 0, sizeof(c));
	for (k = 0; k < n && now_ms() < h_deadline; k++) {
		if (tls && k % 2 == 0) {
			/* A record header, then garbage. */
			len = 5 + rnd() % (H_RANDOM_MAX - 5);
			for (i = 0; i < len; i++)
				buf[i] = (unsigned char)rnd();
			buf[0] = 0x16;
			buf[1] = 0x03;
			buf[2] = (unsigned char)(rnd() % 4);
		} else if (tls) {
			len = client_hello(buf, sizeof(buf));
			len = 1 + rnd() % (len - 1);
		} else if (k % 2 == 0) {
			len = 1 + rnd() % H_RANDOM_MAX;
			for (i = 0; i < len; i++)
				buf[i] = (unsigned char)rnd();
		} else {
			rq = h_requests[rnd() % (sizeof(h_requests) /
			    sizeof(h_requests[0]))];
			len = 1 + rnd() % (strlen(rq) - 1);
			memcpy(buf, rq, len);
		}
		(void)probe((const char *)buf, len, secs * 1000, &c);
	}
	print_counts(&c);
	return 0;
}

static int
mode_replay(int argc, char *argv[])
{
	static char	 data[H_FILE_MAX];
	struct h_counts	 c;
	FILE		*fp;
	size_t		 len;
	int		 ch, secs = 3, k, v;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		switch (ch) {
		case 't':
			secs = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 > argc)
		usage();
	h_port = (uint16_t)atoi(argv[optind]);
	memset(&c, 0, sizeof(c));
	for (k = optind + 1; k < argc && now_ms() < h_deadline; k++) {
		if ((fp = fopen(argv[k], "rb")) == NULL) {
			perror(argv[k]);
			return 2;
		}
		len = fread(data, 1, sizeof(data), fp);
		fclose(fp);
		v = probe(data, len, secs * 1000, &c);
		/* The odd ones, for the log of the suite. */
		if (v == H_BAD || v == H_TIMEOUT || v >= 500)
			fprintf(stderr, "hostile: %s: verdict %d\n", argv[k],
			    v);
	}
	print_counts(&c);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char	*name;
		int		(*fn)(int, char *[]);
	} modes[] = {
		{ "slow", mode_slow }, { "get", mode_get },
		{ "hold", mode_hold }, { "noread", mode_noread },
		{ "abort", mode_abort }, { "fuzz", mode_fuzz },
		{ "replay", mode_replay }
	};
	struct sigaction	sa;
	size_t			i;
	int			total = 60;

	if (argc > 2 && strcmp(argv[1], "-D") == 0) {
		total = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage();
	h_deadline = now_ms() + total * 1000L;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			return modes[i].fn(argc - 1, argv + 1);
	usage();
	return 2;
}
