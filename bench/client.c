/*
 * client.c: the benchmark's fixed-count client, for the measurements
 * that need an exact number of requests rather than a duration.
 *
 *	client count PORT PATH CONNS N
 *		N keep-alive GETs of PATH over CONNS connections, one in
 *		flight on each; prints "done N FAILED".
 *	client idle PORT PATH N
 *		opens N connections, each sends one GET and reads the whole
 *		reply, then stays open; prints "ready OK FAILED" and waits
 *		for a line or EOF on standard input, then closes them all.
 *
 * Everything goes to 127.0.0.1.  Each phase is bounded by an alarm, so
 * a server that stops answering ends the client instead of hanging it.
 * It reads replies with a Content-Length only, which is what every
 * server sends for a static file.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CLIENT_HEAD_MAX		4096	/* bytes of a reply head */
#define CLIENT_CONNECTING	256	/* connects in flight in idle mode */
#define CLIENT_EVENTS		256
#define CLIENT_ALARM		600	/* seconds for one phase */

struct conn {
	int	fd;
	int	state;		/* CONN_* */
	size_t	head_len;
	long long body_left;
	char	head[CLIENT_HEAD_MAX];
};
enum { CONN_CONNECTING, CONN_HEAD, CONN_BODY, CONN_IDLE, CONN_DEAD };

static struct sockaddr_in sin;
static char	req[512];
static int	req_len, ep, failed;

static int
conn_open(struct conn *c, int nonblock)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0),
	    0);
	if (c->fd == -1)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS)
		return -1;
	c->state = CONN_CONNECTING;
	ev.data.ptr = c;
	return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static int
conn_send(struct conn *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	if (write(c->fd, req, req_len) != req_len)
		return -1;
	c->state = CONN_HEAD;
	c->head_len = 0;
	return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Reads what is there; returns 1 when a whole reply is in, 0 for more, -1. */
static int
conn_read(struct conn *c)
{
	char buf[65536], *end, *cl;
	ssize_t n;

	if (c->state == CONN_HEAD) {
		n = read(c->fd, c->head + c->head_len,
		    sizeof(c->head) - 1 - c->head_len);
		if (n <= 0)
			return n == -1 && errno == EAGAIN ? 0 : -1;
		c->head_len += n;
		c->head[c->head_len] = '\0';
		if ((end = strstr(c->head, "\r\n\r\n")) == NULL)
			return c->head_len < sizeof(c->head) - 1 ? 0 : -1;
		if (strncmp(c->head, "HTTP/1.1 200", 12) != 0 ||
		    (cl = strcasestr(c->head, "\r\ncontent-length:")) == NULL)
			return -1;
		c->body_left = atoll(cl + 17) -
		    (long long)(c->head_len - (end + 4 - c->head));
		c->state = CONN_BODY;
	} else {
		n = read(c->fd, buf, c->body_left < (long long)sizeof(buf) ?
		    (size_t)c->body_left : sizeof(buf));
		if (n <= 0)
			return n == -1 && errno == EAGAIN ? 0 : -1;
		c->body_left -= n;
	}
	return c->body_left == 0 ? 1 : (c->body_left < 0 ? -1 : 0);
}

static void
conn_fail(struct conn *c)
{
	close(c->fd);
	c->state = CONN_DEAD;
	failed++;
}

static int
run_count(struct conn *cs, int conns, long n)
{
	struct epoll_event evs[CLIENT_EVENTS];
	long sent = 0, done = 0;
	int i, k, r, live = 0;

	for (i = 0; i < conns && i < n; i++) {
		if (conn_open(&cs[i], 0) == -1 || conn_send(&cs[i]) == -1)
			conn_fail(&cs[i]);
		else {
			sent++;
			live++;
		}
	}
	while (done + failed < sent && live > 0) {
		if ((k = epoll_wait(ep, evs, CLIENT_EVENTS, -1)) == -1)
			continue;
		for (i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;

			if ((r = conn_read(c)) == 0)
				continue;
			if (r == -1) {
				conn_fail(c);
				live--;
				continue;
			}
			done++;
			if (sent < n) {
				if (conn_send(c) == -1) {
					conn_fail(c);
					live--;
				} else
					sent++;
			}
		}
	}
	printf("done %ld %d\n", done, failed);
	return done == n ? 0 : 1;
}

static int
run_idle(struct conn *cs, int n)
{
	struct epoll_event evs[CLIENT_EVENTS];
	int i, k, r, opened = 0, pending = 0, ok = 0;
	char line[64];
	socklen_t len;
	int err;

	while (ok + failed < n) {
		while (opened < n && pending < CLIENT_CONNECTING) {
			if (conn_open(&cs[opened], 1) == -1)
				conn_fail(&cs[opened]);
			else
				pending++;
			opened++;
		}
		if ((k = epoll_wait(ep, evs, CLIENT_EVENTS, -1)) == -1)
			continue;
		for (i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->state == CONN_CONNECTING) {
				len = sizeof(err);
				if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
				    &len) == -1 || err != 0 ||
				    conn_send(c) == -1) {
					conn_fail(c);
					pending--;
				}
				continue;
			}
			if ((r = conn_read(c)) == 0)
				continue;
			pending--;
			if (r == -1)
				conn_fail(c);
			else {
				c->state = CONN_IDLE;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				ok++;
			}
		}
	}
	printf("ready %d %d\n", ok, failed);
	fflush(stdout);
	alarm(0);
	if (fgets(line, sizeof(line), stdin) == NULL)
		line[0] = '\0';
	for (i = 0; i < n; i++)
		if (cs[i].state == CONN_IDLE)
			close(cs[i].fd);
	printf("closed\n");
	return ok == n ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	struct conn *cs;
	long n;
	int conns, idle;

	if (argc < 5 || (idle = strcmp(argv[1], "idle") == 0 ? 1 : 0,
	    !idle && (argc != 6 || strcmp(argv[1], "count") != 0))) {
		fprintf(stderr, "usage: client count PORT PATH CONNS N | "
		    "client idle PORT PATH N\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(CLIENT_ALARM);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[2]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	req_len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nUser-Agent: bench-client\r\n\r\n", argv[3]);
	n = atol(argv[idle ? 4 : 5]);
	conns = idle ? (int)n : atoi(argv[4]);
	if (n <= 0 || conns <= 0 || (size_t)req_len >= sizeof(req) ||
	    (cs = calloc(conns, sizeof(*cs))) == NULL ||
	    (ep = epoll_create1(0)) == -1)
		return 2;
	return idle ? run_idle(cs, (int)n) : run_count(cs, conns, n);
}
