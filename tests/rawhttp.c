/*
 * rawhttp: test tool for the end-to-end suite.  Sends standard input to
 * 127.0.0.1:PORT as raw bytes and copies whatever comes back to standard
 * output until the server closes or the time limit passes.
 *
 *	rawhttp [-b DELAY_MS] [-k] [-t SECS] PORT < request
 *	  -b  send one byte at a time, DELAY_MS apart
 *	  -k  keep our side open after sending (no shutdown(SHUT_WR))
 *	  -t  give up after SECS seconds in all (default 10); exit 3
 * Exit status: 0 when the server closed, 3 on timeout, 2 on errors.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RAW_MAX	(4 * 1024 * 1024)

static long	now_ms(void);

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	static char		 req[RAW_MAX];
	char			 buf[65536];
	size_t			 len = 0, off = 0;
	ssize_t			 n;
	long			 delay = -1, deadline, left;
	int			 ch, fd, keep = 0, secs = 10;

	while ((ch = getopt(argc, argv, "b:kt:")) != -1) {
		switch (ch) {
		case 'b':
			delay = atol(optarg);
			break;
		case 'k':
			keep = 1;
			break;
		case 't':
			secs = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: rawhttp [-b ms] [-k] [-t secs] port\n");
		return 2;
	}
	while ((n = read(STDIN_FILENO, req + len, sizeof(req) - len)) > 0)
		len += (size_t)n;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[optind]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("rawhttp: connect");
		return 2;
	}
	deadline = now_ms() + secs * 1000L;
	while (off < len) {
		size_t	chunk = delay >= 0 ? 1 : len - off;

		n = send(fd, req + off, chunk, MSG_NOSIGNAL);
		if (n <= 0)
			break;		/* the server may close early: read on */
		off += (size_t)n;
		if (delay > 0 && off < len) {
			struct timespec	ts = { delay / 1000,
			    (delay % 1000) * 1000000 };

			nanosleep(&ts, NULL);
		}
		if (now_ms() > deadline)
			return 3;
	}
	if (!keep)
		shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return 3;
		if (poll(&pfd, 1, (int)left) <= 0)
			return 3;
		n = read(fd, buf, sizeof(buf));
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			return 0;
		if (n == -1)
			return 2;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return 2;
		fflush(stdout);
	}
}
