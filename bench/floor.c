/*
 * floor.c: the benchmark's lower bound.  It answers every read on a
 * connection with one canned 612-byte 200 reply, so its cost is that of
 * the kernel and the client alone: epoll, read and write, nothing else.
 * It parses nothing and serves no file; a request that asks for
 * "Connection: close" gets the same reply and then the close.
 *
 *	floor PORT    (listens on 127.0.0.1 only)
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLOOR_BODY	612
#define FLOOR_EVENTS	256

static char	reply[FLOOR_BODY + 256], reply_close[FLOOR_BODY + 256];
static int	reply_len, reply_close_len;

static int
make_reply(char *buf, const char *extra)
{
	int n;

	n = snprintf(buf, sizeof(reply), "HTTP/1.1 200 OK\r\nServer: floor\r\n"
	    "Content-Type: text/html\r\n%sContent-Length: %d\r\n\r\n", extra,
	    FLOOR_BODY);
	memset(buf + n, 'x', FLOOR_BODY);
	return n + FLOOR_BODY;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev, evs[FLOOR_EVENTS];
	char buf[16384];
	int lfd, ep, fd, i, n, one = 1;
	ssize_t r;

	if (argc != 2)
		return 2;
	reply_len = make_reply(reply, "");
	reply_close_len = make_reply(reply_close, "Connection: close\r\n");
	sin.sin_port = htons(atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 4096) == -1 || (ep = epoll_create1(0)) == -1)
		return 1;
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) == -1)
		return 1;
	for (;;) {
		if ((n = epoll_wait(ep, evs, FLOOR_EVENTS, -1)) == -1)
			continue;
		for (i = 0; i < n; i++) {
			if ((fd = evs[i].data.fd) == lfd) {
				while ((fd = accept4(lfd, NULL, NULL,
				    SOCK_NONBLOCK)) != -1) {
					ev.data.fd = fd;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
			} else if ((r = read(fd, buf, sizeof(buf))) <= 0) {
				close(fd);
			} else if (memmem(buf, r, "close", 5) != NULL) {
				write(fd, reply_close, reply_close_len);
				close(fd);
			} else
				write(fd, reply, reply_len);
		}
	}
}
