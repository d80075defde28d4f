/*
 * fakeserver: a misbehaving HTTP/1.1 server for tests/e2e/get.sh.  It
 * listens on 127.0.0.1 (port 0: any free port), prints the port on
 * standard output, and answers each request according to its path: the
 * scripted faults below (stalls, cuts, bad chunks, redirects...) that a
 * correct server never produces.  Each connection is served by a child
 * process; everything ends after a lifetime (-t, default 30 s), when the
 * parent is killed (children get SIGTERM through PR_SET_PDEATHSIG), or
 * on SIGTERM.  With -l FILE, one line per request ("CONN PATH") is
 * appended to FILE so a test can count connections.
 *
 * usage: fakeserver [-l file] [-p port] [-t seconds]
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FS_REQ_MAX	16384

struct fs_conn {
	int		 fd;
	unsigned	 id;
	char		 buf[FS_REQ_MAX];
	size_t		 len;
	int		 drop_next;	/* /drop-next was served */
};

static const char	*fs_log;
static unsigned		 fs_port;

/* printf 'hello\n' | gzip -n */
static const unsigned char fs_gzip[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb,
	0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36,
	0x06, 0x00, 0x00, 0x00
};

static void	fs_send(int, const void *, size_t);
static void	fs_str(int, const char *);
static void	fs_msleep(int);
static void	fs_stall(void);
static void	fs_logreq(unsigned, const char *);
static int	fs_read_request(struct fs_conn *, char *, size_t);
static int	fs_respond(struct fs_conn *, const char *);
static void	fs_serve(int, unsigned);

static void
fs_send(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		n = send(fd, c, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		c += n;
		len -= (size_t)n;
	}
}

static void
fs_str(int fd, const char *s)
{
	fs_send(fd, s, strlen(s));
}

static void
fs_msleep(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Holds the connection open until the lifetime ends. */
static void
fs_stall(void)
{
	for (;;)
		pause();
}

static void
fs_logreq(unsigned id, const char *path)
{
	char	line[512];
	int	fd, n;

	if (fs_log == NULL)
		return;
	n = snprintf(line, sizeof(line), "%u %s\n", id, path);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if ((fd = open(fs_log, O_WRONLY | O_APPEND | O_CREAT, 0644)) == -1)
		return;
	if (write(fd, line, (size_t)n) == -1)
		n = 0;
	close(fd);
}

/*
 * Reads one request head; its target goes into path.  Returns 0, or -1
 * at EOF or on a head that is too large.
 */
static int
fs_read_request(struct fs_conn *c, char *path, size_t size)
{
	char	*end, *sp1, *sp2;
	size_t	 hl;
	ssize_t	 n;

	for (;;) {
		end = memmem(c->buf, c->len, "\r\n\r\n", 4);
		if (end != NULL)
			break;
		if (c->len == sizeof(c->buf))
			return -1;
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c->len += (size_t)n;
	}
	hl = (size_t)(end - c->buf) + 4;
	sp1 = memchr(c->buf, ' ', hl);
	sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', hl - (size_t)(sp1 + 1 -
	    c->buf)) : NULL;
	if (sp2 == NULL || (size_t)(sp2 - sp1 - 1) >= size)
		return -1;
	memcpy(path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	path[sp2 - sp1 - 1] = '\0';
	c->len -= hl;
	memmove(c->buf, c->buf + hl, c->len);
	return 0;
}

/*
 * The behaviour of one path.  Returns 1 to keep the connection for the
 * next request, 0 to close it.
 */
static int
fs_respond(struct fs_conn *c, const char *path)
{
	char	buf[70000];
	int	fd = c->fd, i;

	if (strcmp(path, "/ok") == 0 || strcmp(path, "/final") == 0 ||
	    strncmp(path, "/final?", 7) == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
		return 1;
	}
	if (strcmp(path, "/stall") == 0)
		fs_stall();
	if (strcmp(path, "/stall-body") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
		    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"
		    "0123456789");
		fs_stall();
	}
	if (strcmp(path, "/cut") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n"
		    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
		memset(buf, 'x', 1000);
		fs_send(fd, buf, 1000);
		return 0;
	}
	if (strcmp(path, "/cut-chunked") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		    "\r\n1000\r\n");
		memset(buf, 'x', 100);
		fs_send(fd, buf, 100);
		return 0;
	}
	if (strcmp(path, "/bad-chunk") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		    "\r\n5\r\nhello\r\nzz\r\n");
		fs_stall();
	}
	if (strcmp(path, "/chunked") == 0) {
		/* In pieces, one split inside a size line. */
		fs_str(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		    "\r\n7;ext=\"a;b\"\r\nhello, \r\n");
		fs_msleep(20);
		fs_str(fd, "e\r\nchunked world\n\r\n1");
		fs_msleep(20);
		fs_str(fd, "0000\r\n");
		memset(buf, 'c', 0x10000);
		fs_send(fd, buf, 0x10000);
		fs_str(fd, "\r\n0\r\nX-Trailer: yes\r\n\r\n");
		return 1;
	}
	if (strcmp(path, "/close") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\n\r\nclose-delimited body\n");
		return 0;
	}
	if (strcmp(path, "/te-gzip") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
		fs_send(fd, fs_gzip, sizeof(fs_gzip));
		return 0;
	}
	if (strcmp(path, "/gzip") == 0) {
		snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\n"
		    "Content-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n",
		    sizeof(fs_gzip));
		fs_str(fd, buf);
		fs_send(fd, fs_gzip, sizeof(fs_gzip));
		return 1;
	}
	if (strcmp(path, "/interim") == 0) {
		fs_str(fd, "HTTP/1.1 100 Continue\r\n\r\n"
		    "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n");
		fs_msleep(20);
		fs_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n"
		    "after interim\n");
		return 1;
	}
	if (strcmp(path, "/204") == 0) {
		fs_str(fd, "HTTP/1.1 204 No Content\r\n\r\n");
		return 1;
	}
	if (strcmp(path, "/garbage") == 0) {
		fs_str(fd, "SSH-2.0-OpenSSH_9.6\r\n");
		return 0;
	}
	if (strcmp(path, "/obsfold") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n"
		    "Content-Length: 2\r\n\r\nok");
		return 0;
	}
	if (strcmp(path, "/hugehead") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nX-Big: ");
		memset(buf, 'h', 40000);
		fs_send(fd, buf, 40000);
		fs_str(fd, "\r\nContent-Length: 2\r\n\r\nok");
		return 0;
	}
	if (strcmp(path, "/slow") == 0) {
		/* 30 bytes over 1.5 s: long, not large. */
		fs_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n");
		for (i = 0; i < 30; i++) {
			fs_send(fd, "s", 1);
			fs_msleep(50);
		}
		return 1;
	}
	if (strcmp(path, "/drop-next") == 0) {
		fs_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\ndrop\n");
		c->drop_next = 1;
		return 1;
	}
	if (strcmp(path, "/r1") == 0) {
		fs_str(fd, "HTTP/1.1 301 Moved Permanently\r\nLocation: r2\r\n"
		    "Content-Length: 6\r\n\r\nmoved\n");
		return 1;
	}
	if (strcmp(path, "/r2") == 0) {
		fs_str(fd, "HTTP/1.1 302 Found\r\n"
		    "Location: /x/../final?from=r2#frag\r\n"
		    "Content-Length: 0\r\n\r\n");
		return 1;
	}
	if (strcmp(path, "/abs") == 0) {
		snprintf(buf, sizeof(buf), "HTTP/1.1 307 Temporary Redirect\r\n"
		    "Location: http://127.0.0.1:%u/final\r\n"
		    "Content-Length: 0\r\n\r\n", fs_port);
		fs_str(fd, buf);
		return 1;
	}
	if (strcmp(path, "/loop") == 0) {
		fs_str(fd, "HTTP/1.1 302 Found\r\nLocation: /loop\r\n"
		    "Content-Length: 0\r\n\r\n");
		return 1;
	}
	if (strcmp(path, "/ftp") == 0) {
		fs_str(fd, "HTTP/1.1 301 Moved Permanently\r\n"
		    "Location: ftp://127.0.0.1/\r\nContent-Length: 0\r\n\r\n");
		return 1;
	}
	if (strcmp(path, "/nolocation") == 0) {
		fs_str(fd, "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n");
		return 1;
	}
	fs_str(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\n"
	    "not found\n");
	return 1;
}

static void
fs_serve(int fd, unsigned id)
{
	struct fs_conn	c;
	char		path[1024];

	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.id = id;
	while (fs_read_request(&c, path, sizeof(path)) == 0) {
		fs_logreq(id, path);
		if (c.drop_next)	/* as if it timed out the idle wait */
			break;
		if (!fs_respond(&c, path))
			break;
	}
	close(fd);
	_exit(0);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	sin;
	socklen_t		sl;
	unsigned		id = 0, lifetime = 30, port = 0;
	int			ch, s, fd, on = 1;
	pid_t			pid, parent = getpid();

	while ((ch = getopt(argc, argv, "l:p:t:")) != -1) {
		switch (ch) {
		case 'l':
			fs_log = optarg;
			break;
		case 'p':
			port = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 't':
			lifetime = (unsigned)strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: fakeserver [-l file] [-p port] "
			    "[-t seconds]\n");
			return 2;
		}
	}
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	signal(SIGPIPE, SIG_IGN);
	alarm(lifetime);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
		perror("fakeserver: socket");
		return 1;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sl = sizeof(sin);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(s, 64) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &sl) == -1) {
		perror("fakeserver: bind");
		return 1;
	}
	fs_port = ntohs(sin.sin_port);
	printf("%u\n", fs_port);
	fflush(stdout);
	for (;;) {
		if ((fd = accept(s, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("fakeserver: accept");
			return 1;
		}
		id++;
		if ((pid = fork()) == -1) {
			close(fd);
			continue;
		}
		if (pid == 0) {
			close(s);
#ifdef __linux__
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			if (getppid() != parent)
				_exit(0);
#endif
			alarm(lifetime);
			fs_serve(fd, id);
		}
		close(fd);
	}
}
