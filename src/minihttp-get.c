/*
 * minihttp-get: a small HTTP/1.1 client for minihttpd and other servers.
 * It fetches each target in order over one keep-alive connection per
 * server, streams bodies through a fixed buffer, and reports every
 * failure as one line on stderr with an exit status that tells HTTP,
 * usage, network, protocol and local errors apart.  Every wait is a
 * poll() bounded by the --max-time and --connect-timeout deadlines.
 * Parsing lives in the pure url and response modules; this file only
 * does sockets, files and the command line, and uses nothing above
 * level 1 of the source layout.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "response.h"
#include "url.h"
#include "util.h"

#define GET_NAME		"minihttp-get"
#define GET_BUF_SIZE		65536	/* > RESPONSE_HEAD_MAX */
#define GET_REQUEST_MAX		(URL_PATH_MAX + 16384)
#define GET_CONNECT_TIMEOUT	10	/* seconds */
#define GET_SECONDS_MAX		1e7	/* largest -m, --connect-timeout */
#define GET_DRAIN_MAX		65536	/* error body read to keep a connection */
#define GET_OPT_CONNECT_TIMEOUT	256

enum get_exit {
	GET_OK = 0,
	GET_EHTTP = 1,		/* status >= 400 */
	GET_EUSAGE = 2,		/* bad option, target or header */
	GET_ENET = 3,		/* resolve, connect, reset, timeout */
	GET_EPROTO = 4,		/* malformed or truncated response */
	GET_ELOCAL = 5,		/* output file or standard output */
	GET_RETRY = -1		/* internal: a reused connection went away */
};

struct get_opts {
	int		  head;		/* -I */
	int		  include;	/* -i */
	int		  verbose;
	int		  silent;
	double		  max_time;	/* 0: none */
	double		  connect_timeout;
	const char	**headers;
	size_t		  nheaders;
	const char	**outputs;
	size_t		  noutputs;
};

struct get_deadline {
	int64_t	at;			/* CLOCK_MONOTONIC ms; -1: none */
	double	secs;			/* reported when it passes */
};

struct get_conn {
	int		fd;
	char		key[URL_AUTHORITY_MAX];	/* its host:port */
	unsigned	nresp;			/* responses read on it */
	size_t		len;			/* bytes in buf */
	char		buf[GET_BUF_SIZE];
};

/* Where a body goes: standard output, a file via a temporary, or nowhere. */
struct get_out {
	int		 fd;		/* -1: discard */
	const char	*name;		/* NULL: standard output */
	char		 tmp[PATH_MAX];	/* "" unless renamed later */
};

/* One response being received. */
struct get_xfer {
	struct get_out	*out;
	const char	*path;		/* for messages */
	const char	*auth;
	uint64_t	 got;		/* body bytes received */
	int		 keep;		/* connection reusable after it */
};

struct get_ctx {
	const struct get_opts	*opts;
	struct get_deadline	 total;
	struct get_conn		 conn;
	mode_t			 mode;		/* for created files */
	int			 stdout_failed;
};

/* -s: errors other than usage errors are left to the exit status. */
static int			get_quiet;

/* The temporary file to remove if a signal ends the program. */
static char			get_cleanup_path[PATH_MAX];
static volatile sig_atomic_t	get_cleanup_armed;

static int	get_err(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	get_append(char *, size_t, size_t *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	get_usage(FILE *);
static void	get_help(void);
static int	get_parse_seconds(const char *, const char *, double *);
static int	get_check_header(const char *);
static int	get_has_header(const struct get_opts *, const char *);
static size_t	get_build_request(const struct get_opts *, const struct url *,
		    int, char *, size_t);
static int64_t	get_now(void);
static void	get_deadline_set(struct get_deadline *, double);
static int	get_deadline_ms(const struct get_deadline *);
static void	get_print_prefixed(const char *, const char *, size_t);
static void	get_conn_close(struct get_ctx *);
static int	get_wait(int, short, const struct get_deadline *);
static int	get_net_error(struct get_ctx *, int, const struct get_deadline *,
		    const char *);
static int	get_connect(struct get_ctx *, const struct url *, const char *);
static ssize_t	get_read(struct get_ctx *, char *, size_t);
static int	get_send(struct get_ctx *, const char *, size_t, const char *);
static int	get_read_head(struct get_ctx *, struct response_parser *,
		    struct response *, const char *, const char *);
static int	get_sink(struct get_ctx *, struct get_xfer *, const char *,
		    size_t);
static int	get_body(struct get_ctx *, const struct response *,
		    enum response_body, struct get_xfer *);
static int	get_body_chunked(struct get_ctx *, size_t, struct get_xfer *);
static int	get_fetch(struct get_ctx *, const struct url *, const char *,
		    int);
static int	get_fetch_once(struct get_ctx *, const struct url *,
		    const char *, int, const char *);
static int	get_out_open(struct get_ctx *, struct get_out *, const char *);
static int	get_out_write(struct get_ctx *, struct get_out *, const char *,
		    size_t);
static int	get_out_commit(struct get_out *);
static void	get_out_abort(struct get_out *);
static void	get_on_signal(int);

static const struct option get_longopts[] = {
	{ "output",		required_argument,	NULL,	'o' },
	{ "head",		no_argument,		NULL,	'I' },
	{ "include",		no_argument,		NULL,	'i' },
	{ "verbose",		no_argument,		NULL,	'v' },
	{ "silent",		no_argument,		NULL,	's' },
	{ "header",		required_argument,	NULL,	'H' },
	{ "max-time",		required_argument,	NULL,	'm' },
	{ "connect-timeout",	required_argument,	NULL,
	    GET_OPT_CONNECT_TIMEOUT },
	{ "fail",		no_argument,		NULL,	'f' },
	{ "help",		no_argument,		NULL,	'h' },
	{ "version",		no_argument,		NULL,	'V' },
	{ NULL,			0,			NULL,	0 }
};

static int
get_err(int code, const char *fmt, ...)
{
	va_list	ap;

	if (get_quiet && code != GET_EUSAGE)
		return code;
	fputs(GET_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int
get_append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	if (*n >= size)
		return -1;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= size - *n)
		return -1;
	*n += (size_t)r;
	return 0;
}

static void
get_usage(FILE *f)
{
	fprintf(f, "usage: " GET_NAME " [-IifsVhv] [-o file] [-H 'name: value']"
	    " [-m seconds]\n\t[--connect-timeout seconds] path|url ...\n");
}

static void
get_help(void)
{
	get_usage(stdout);
	printf("\n"
"Fetches each PATH from the local minihttpd (http://localhost:%d/PATH)\n"
"or each http:// URL, and writes the body to standard output.  Targets\n"
"are fetched in order over one keep-alive connection per server.\n"
"\n"
"  -o, --output FILE       write the body to FILE (\"-\": standard output);\n"
"                          the Nth -o applies to the Nth target, the others\n"
"                          go to standard output; FILE only appears once its\n"
"                          transfer is complete\n"
"  -I, --head              send HEAD and print the response head\n"
"  -i, --include           print the response head before the body\n"
"  -H, --header 'NAME: VALUE'\n"
"                          add a request header (repeatable); it replaces a\n"
"                          default header of that name; 'NAME:' removes it\n"
"  -m, --max-time SECONDS  give up after SECONDS in all (0: no limit)\n"
"      --connect-timeout SECONDS\n"
"                          give up connecting after SECONDS (default %d)\n"
"  -v, --verbose           show request and response heads on stderr\n"
"  -s, --silent            print no notices or error messages (usage errors\n"
"                          excepted): the exit status tells what happened\n"
"  -f, --fail              accepted for curl compatibility: always on\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"A response with status 400 or above is reported on stderr and its body\n"
"is not written (like curl -f).  Redirects (3xx) are not followed: they\n"
"are reported on stderr and their body is written as received.\n"
"\n"
"Exit status: 0 success, 1 HTTP error, 2 usage error, 3 network error or\n"
"timeout, 4 protocol error (malformed or truncated response), 5 local\n"
"file or output error.  With several targets all are attempted and the\n"
"status is that of the first failure.\n", URL_DEFAULT_PORT,
	    GET_CONNECT_TIMEOUT);
}

static int
get_parse_seconds(const char *opt, const char *arg, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	/* The comparisons are false for NaN, so it is refused too. */
	if (end == arg || *end != '\0' || errno != 0 || !(v >= 0) ||
	    !(v <= GET_SECONDS_MAX)) {
		get_err(GET_EUSAGE, "invalid %s: %s", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* "Name: value" with a token name and no control bytes but HTAB. */
static int
get_check_header(const char *h)
{
	const char	*p;

	for (p = h; *p != '\0' && *p != ':'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("\"(),/;<=>?@[\\]{}", *p) != NULL)
			return -1;
	if (p == h || *p != ':')
		return -1;
	for (; *p != '\0'; p++)
		if (((unsigned char)*p < ' ' && *p != '\t') || *p == 0x7f)
			return -1;
	return 0;
}

static int
get_has_header(const struct get_opts *o, const char *name)
{
	size_t	i, len = strlen(name);

	for (i = 0; i < o->nheaders; i++)
		if (util_strncaseeq(o->headers[i], name, len) &&
		    o->headers[i][len] == ':')
			return 1;
	return 0;
}

/* The request head; 0 when it does not fit in size. */
static size_t
get_build_request(const struct get_opts *o, const struct url *u, int last,
    char *buf, size_t size)
{
	char		 host[URL_AUTHORITY_MAX];
	const char	*colon, *v;
	size_t		 n = 0, i, vlen;
	int		 r = 0;

	if (url_host_header(u, host, sizeof(host)) == 0)
		return 0;
	r |= get_append(buf, size, &n, "%s %s HTTP/1.1\r\n",
	    o->head ? "HEAD" : "GET", u->path);
	if (!get_has_header(o, "Host"))
		r |= get_append(buf, size, &n, "Host: %s\r\n", host);
	if (!get_has_header(o, "User-Agent"))
		r |= get_append(buf, size, &n,
		    "User-Agent: " GET_NAME "/" PACKAGE_VERSION "\r\n");
	if (!get_has_header(o, "Accept"))
		r |= get_append(buf, size, &n, "Accept: */*\r\n");
	if (last && !get_has_header(o, "Connection"))
		r |= get_append(buf, size, &n, "Connection: close\r\n");
	for (i = 0; i < o->nheaders; i++) {
		colon = strchr(o->headers[i], ':');
		v = colon + 1;
		vlen = strlen(v);
		util_trim_ows(&v, &vlen);
		if (vlen == 0)		/* "Name:" only removes a default */
			continue;
		r |= get_append(buf, size, &n, "%.*s: %.*s\r\n",
		    (int)(colon - o->headers[i]), o->headers[i], (int)vlen, v);
	}
	r |= get_append(buf, size, &n, "\r\n");
	return r == 0 ? n : 0;
}

static int64_t
get_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
get_deadline_set(struct get_deadline *d, double secs)
{
	d->secs = secs;
	d->at = secs > 0 ? get_now() + (int64_t)(secs * 1000) : -1;
}

/* Milliseconds left for poll(): -1 forever, 0 when already passed. */
static int
get_deadline_ms(const struct get_deadline *d)
{
	int64_t	left;

	if (d->at == -1)
		return -1;
	left = d->at - get_now();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* Verbose output: each line of a head after a "> " or "< " prefix. */
static void
get_print_prefixed(const char *prefix, const char *p, size_t len)
{
	const char	*eol;
	size_t		 n;

	while (len > 0) {
		eol = memchr(p, '\n', len);
		n = eol != NULL ? (size_t)(eol - p) + 1 : len;
		fprintf(stderr, "%s%.*s\n", prefix,
		    (int)(n >= 2 && p[n - 2] == '\r' ? n - 2 : n - 1), p);
		p += n;
		len -= n;
	}
}

static void
get_conn_close(struct get_ctx *ctx)
{
	if (ctx->conn.fd == -1)
		return;
	if (ctx->opts->verbose)
		fprintf(stderr, "* closing connection to %s\n", ctx->conn.key);
	close(ctx->conn.fd);
	ctx->conn.fd = -1;
	ctx->conn.key[0] = '\0';
	ctx->conn.nresp = 0;
	ctx->conn.len = 0;
}

/* Waits for events on fd; 0 when ready, -1 with errno (ETIMEDOUT). */
static int
get_wait(int fd, short events, const struct get_deadline *d)
{
	struct pollfd	pfd;
	int		r;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		r = poll(&pfd, 1, get_deadline_ms(d));
		if (r > 0)
			return 0;
		if (r == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* Reports a socket failure (errno) on the connection and closes it. */
static int
get_net_error(struct get_ctx *ctx, int err, const struct get_deadline *d,
    const char *auth)
{
	get_conn_close(ctx);
	if (err == ETIMEDOUT)
		return get_err(GET_ENET, "timed out after %g s: %s", d->secs,
		    auth);
	if (err == ECONNREFUSED)
		return get_err(GET_ENET, "connection refused: %s", auth);
	if (err == ECONNRESET || err == EPIPE)
		return get_err(GET_ENET, "connection reset by server: %s",
		    auth);
	return get_err(GET_ENET, "%s: %s", strerror(err), auth);
}

/*
 * Tries each address of the host in turn (localhost is often ::1 then
 * 127.0.0.1) with a non-blocking connect bounded by the earlier of the
 * connect and total deadlines.
 */
static int
get_connect(struct get_ctx *ctx, const struct url *u, const char *auth)
{
	struct addrinfo		 hints, *res = NULL, *ai;
	struct get_deadline	 d;
	char			 port[8], addr[NI_MAXHOST];
	socklen_t		 sl;
	int			 fd = -1, r, err = ECONNREFUSED, soerr;

	get_deadline_set(&d, ctx->opts->connect_timeout);
	if (ctx->total.at != -1 && (d.at == -1 || ctx->total.at < d.at))
		d = ctx->total;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (u->ipv6 ? AI_NUMERICHOST : 0);
	snprintf(port, sizeof(port), "%u", (unsigned)u->port);
	if ((r = getaddrinfo(u->host, port, &hints, &res)) != 0) {
		if (ctx->opts->verbose)
			fprintf(stderr, "* %s: %s\n", u->host, gai_strerror(r));
		return get_err(GET_ENET, "cannot resolve host: %s", u->host);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr,
		    sizeof(addr), NULL, 0, NI_NUMERICHOST) != 0)
			util_strlcpy(addr, "?", sizeof(addr));
		if (ctx->opts->verbose)
			fprintf(stderr, "* connecting to %s port %s\n", addr,
			    port);
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
		    errno != EINPROGRESS) {
			err = errno;
			goto next;
		}
		if (get_wait(fd, POLLOUT, &d) == -1) {
			err = errno;
			if (err == ETIMEDOUT)
				break;	/* no time left for the others */
			goto next;
		}
		sl = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
			soerr = errno;
		if (soerr == 0)
			goto done;
		err = soerr;
next:
		close(fd);
		fd = -1;
	}
	if (fd != -1)
		close(fd);
	freeaddrinfo(res);
	return get_net_error(ctx, err, &d, auth);
done:
	freeaddrinfo(res);
	if (ctx->opts->verbose)
		fprintf(stderr, "* connected to %s (%s) port %s\n", u->host,
		    addr, port);
	ctx->conn.fd = fd;
	util_strlcpy(ctx->conn.key, auth, sizeof(ctx->conn.key));
	ctx->conn.nresp = 0;
	ctx->conn.len = 0;
	return GET_OK;
}

/* Reads what is there, up to size bytes: > 0, 0 at EOF, -1 with errno. */
static ssize_t
get_read(struct get_ctx *ctx, char *buf, size_t size)
{
	ssize_t	n;

	for (;;) {
		n = recv(ctx->conn.fd, buf, size, 0);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (get_wait(ctx->conn.fd, POLLIN, &ctx->total) == -1)
			return -1;
	}
}

static int
get_send(struct get_ctx *ctx, const char *p, size_t len, const char *auth)
{
	ssize_t	n;

	while (len > 0) {
		n = send(ctx->conn.fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    get_wait(ctx->conn.fd, POLLOUT, &ctx->total) == 0)
			continue;
		if (ctx->conn.nresp > 0 && (errno == EPIPE || errno == ECONNRESET))
			return GET_RETRY;
		return get_net_error(ctx, errno, &ctx->total, auth);
	}
	return GET_OK;
}

/*
 * Reads until a final (non-1xx) response head is complete in the
 * connection buffer.  A reused connection that the server closed while
 * idle ends before the first byte: GET_RETRY asks for a new one.
 */
static int
get_read_head(struct get_ctx *ctx, struct response_parser *p,
    struct response *r, const char *path, const char *auth)
{
	struct get_conn		*c = &ctx->conn;
	enum response_parse	 res;
	ssize_t			 n;

	response_init(p, r);
	for (;;) {
		res = response_parse(p, c->buf, c->len, r);
		if (res == RESPONSE_ERROR) {
			get_conn_close(ctx);
			return get_err(GET_EPROTO, "protocol error: %s: %s",
			    p->error, path);
		}
		if (res == RESPONSE_DONE) {
			if (ctx->opts->verbose)
				get_print_prefixed("< ", c->buf, r->head_len);
			if (r->status >= 200)
				return GET_OK;
			if (r->status == 101) {
				get_conn_close(ctx);
				return get_err(GET_EPROTO, "protocol error: "
				    "unexpected 101 response: %s", path);
			}
			/* An interim response: the final one follows. */
			c->len -= r->head_len;
			memmove(c->buf, c->buf + r->head_len, c->len);
			response_init(p, r);
			continue;
		}
		n = get_read(ctx, c->buf + c->len, sizeof(c->buf) - c->len);
		if (n > 0) {
			c->len += (size_t)n;
			continue;
		}
		if (c->len == 0 && c->nresp > 0 &&
		    (n == 0 || errno == ECONNRESET))
			return GET_RETRY;
		if (n == -1)
			return get_net_error(ctx, errno, &ctx->total, auth);
		get_conn_close(ctx);
		if (c->len == 0)
			return get_err(GET_ENET, "connection closed without "
			    "a response: %s", auth);
		return get_err(GET_EPROTO, "protocol error: connection closed "
		    "in the response head: %s", path);
	}
}

/*
 * Hands body bytes to the output.  Bodies nobody wants (error pages) are
 * read only up to GET_DRAIN_MAX to keep the connection; past that it is
 * cheaper to close it.  Returns 0 to go on, 1 to stop quietly, or an
 * exit status.
 */
static int
get_sink(struct get_ctx *ctx, struct get_xfer *x, const char *p, size_t len)
{
	x->got += len;
	if (x->out->fd == -1) {
		if (x->got <= GET_DRAIN_MAX)
			return 0;
		x->keep = 0;
		return 1;
	}
	return get_out_write(ctx, x->out, p, len);
}

static int
get_body(struct get_ctx *ctx, const struct response *r,
    enum response_body how, struct get_xfer *x)
{
	struct get_conn	*c = &ctx->conn;
	uint64_t	 remain;
	size_t		 n;
	ssize_t		 rd;
	int		 rc;

	switch (how) {
	case RESPONSE_BODY_NONE:
		x->keep = x->keep && c->len == r->head_len;
		return GET_OK;
	case RESPONSE_BODY_CHUNKED:
		return get_body_chunked(ctx, r->head_len, x);
	case RESPONSE_BODY_CLOSE:
		x->keep = 0;
		remain = UINT64_MAX;
		break;
	case RESPONSE_BODY_LENGTH:
	default:
		remain = r->content_length;
		break;
	}
	n = c->len - r->head_len;
	if (n > remain) {	/* bytes nobody asked for: do not reuse */
		n = (size_t)remain;
		x->keep = 0;
	}
	if ((rc = get_sink(ctx, x, c->buf + r->head_len, n)) != 0)
		return rc == 1 ? GET_OK : rc;
	for (remain -= n; remain > 0; remain -= (size_t)rd) {
		n = remain < sizeof(c->buf) ? (size_t)remain : sizeof(c->buf);
		if ((rd = get_read(ctx, c->buf, n)) == -1)
			return get_net_error(ctx, errno, &ctx->total, x->auth);
		if (rd == 0 && how == RESPONSE_BODY_CLOSE)
			return GET_OK;
		if (rd == 0) {
			get_conn_close(ctx);
			return get_err(GET_EPROTO, "transfer truncated: got %ju "
			    "of %ju bytes: %s", (uintmax_t)x->got,
			    (uintmax_t)r->content_length, x->path);
		}
		if ((rc = get_sink(ctx, x, c->buf, (size_t)rd)) != 0)
			return rc == 1 ? GET_OK : rc;
	}
	return GET_OK;
}

static int
get_body_chunked(struct get_ctx *ctx, size_t off, struct get_xfer *x)
{
	struct get_conn		*c = &ctx->conn;
	struct response_chunked	 ch;
	enum response_parse	 res;
	const char		*data;
	size_t			 used, dlen;
	ssize_t			 rd;
	int			 rc;

	response_chunked_init(&ch);
	for (;;) {
		while (off < c->len) {
			res = response_chunked(&ch, c->buf + off, c->len - off,
			    &used, &data, &dlen);
			off += used;
			if (dlen > 0 && (rc = get_sink(ctx, x, data, dlen)) != 0)
				return rc == 1 ? GET_OK : rc;
			if (res == RESPONSE_ERROR) {
				get_conn_close(ctx);
				return get_err(GET_EPROTO, "protocol error: %s: "
				    "%s", ch.error, x->path);
			}
			if (res == RESPONSE_DONE) {
				x->keep = x->keep && off == c->len;
				return GET_OK;
			}
		}
		if ((rd = get_read(ctx, c->buf, sizeof(c->buf))) == -1)
			return get_net_error(ctx, errno, &ctx->total, x->auth);
		if (rd == 0) {
			get_conn_close(ctx);
			return get_err(GET_EPROTO, "transfer truncated: got %ju "
			    "bytes of a chunked body: %s", (uintmax_t)x->got,
			    x->path);
		}
		c->len = (size_t)rd;
		off = 0;
	}
}

/*
 * One request and its response on the current connection (opening one
 * when needed).  Returns an exit status or GET_RETRY.
 */
static int
get_fetch_once(struct get_ctx *ctx, const struct url *u, const char *output,
    int last, const char *auth)
{
	const struct get_opts	*o = ctx->opts;
	struct get_conn		*c = &ctx->conn;
	struct response_parser	 p;
	struct response		 r;
	struct get_out		 out;
	struct get_xfer		 x;
	char			 req[GET_REQUEST_MAX];
	size_t			 reqlen;
	int			 rc, failed;

	if (c->fd != -1 && strcmp(c->key, auth) != 0)
		get_conn_close(ctx);
	if (c->fd == -1 && (rc = get_connect(ctx, u, auth)) != GET_OK)
		return rc;
	if (c->nresp > 0 && o->verbose)
		fprintf(stderr, "* reusing connection to %s\n", auth);
	reqlen = get_build_request(o, u, last, req, sizeof(req));
	if (o->verbose)
		get_print_prefixed("> ", req, reqlen);
	c->len = 0;
	if ((rc = get_send(ctx, req, reqlen, auth)) != GET_OK)
		return rc;
	if ((rc = get_read_head(ctx, &p, &r, u->path, auth)) != GET_OK)
		return rc;

	failed = r.status >= 400;
	if (failed)
		get_err(GET_EHTTP, "%d%s%.*s: %s", r.status,
		    r.reason.len > 0 ? " " : "", (int)r.reason.len, r.reason.p,
		    u->path);
	else if (r.status >= 300 && !o->silent)
		get_err(GET_OK, "%d%s%.*s: %s%s%.*s", r.status,
		    r.reason.len > 0 ? " " : "", (int)r.reason.len, r.reason.p,
		    u->path, r.location.p != NULL ? " -> " : "",
		    (int)r.location.len, r.location.p != NULL ? r.location.p : "");

	memset(&x, 0, sizeof(x));
	x.out = &out;
	x.path = u->path;
	x.auth = auth;
	x.keep = !r.close && !last;
	out.fd = -1;
	out.name = NULL;
	out.tmp[0] = '\0';
	if (!failed && (rc = get_out_open(ctx, &out, output)) != GET_OK) {
		get_conn_close(ctx);
		return rc;
	}
	rc = GET_OK;
	if (!failed && (o->head || o->include))
		rc = get_out_write(ctx, &out, c->buf, r.head_len);
	if (rc == GET_OK)
		rc = get_body(ctx, &r, response_body(&r, o->head), &x);
	if (rc == GET_OK && !failed)
		rc = get_out_commit(&out);
	else
		get_out_abort(&out);
	if (rc == GET_OK && x.keep && c->fd != -1)
		c->nresp++;
	else
		get_conn_close(ctx);
	/* The HTTP error came first, whatever happened to its body. */
	return failed ? GET_EHTTP : rc;
}

static int
get_fetch(struct get_ctx *ctx, const struct url *u, const char *output,
    int last)
{
	char	auth[URL_AUTHORITY_MAX];
	int	rc;

	url_authority(u, auth, sizeof(auth));
	if ((rc = get_fetch_once(ctx, u, output, last, auth)) != GET_RETRY)
		return rc;
	/* The server closed the idle connection: once more on a new one. */
	if (ctx->opts->verbose)
		fprintf(stderr, "* connection closed by server, retrying\n");
	get_conn_close(ctx);
	rc = get_fetch_once(ctx, u, output, last, auth);
	if (rc == GET_RETRY)	/* cannot happen on a fresh connection */
		rc = get_err(GET_ENET, "connection closed: %s", auth);
	return rc;
}

/*
 * Opens the output for a target.  A regular file is written under a
 * temporary name in the same directory and renamed into place by
 * get_out_commit, so a failed transfer never leaves a partial file
 * under the final name.  Devices and FIFOs (/dev/null) are written
 * directly.
 */
static int
get_out_open(struct get_ctx *ctx, struct get_out *o, const char *name)
{
	struct stat	 st;
	const char	*base;
	int		 n;

	o->tmp[0] = '\0';
	o->name = name;
	if (name == NULL || strcmp(name, "-") == 0) {
		o->name = NULL;
		o->fd = STDOUT_FILENO;
		return GET_OK;
	}
	if (stat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fd = open(name, O_WRONLY | O_CLOEXEC | O_NOCTTY)) == -1)
			goto fail;
		return GET_OK;
	}
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (*base == '\0') {
		errno = EISDIR;
		goto fail;
	}
	n = snprintf(o->tmp, sizeof(o->tmp), "%.*s.%s.XXXXXX",
	    (int)(base - name), name, base);
	if (n < 0 || (size_t)n >= sizeof(o->tmp)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if ((o->fd = mkstemp(o->tmp)) == -1)
		goto fail;
	util_strlcpy(get_cleanup_path, o->tmp, sizeof(get_cleanup_path));
	get_cleanup_armed = 1;
	if (fchmod(o->fd, ctx->mode) == -1) {
		get_out_abort(o);
		goto fail;
	}
	return GET_OK;
fail:
	o->tmp[0] = '\0';
	o->fd = -1;
	return get_err(GET_ELOCAL, "cannot create %s: %s", name,
	    strerror(errno));
}

static int
get_out_write(struct get_ctx *ctx, struct get_out *o, const char *p,
    size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(o->fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			if (o->name == NULL)
				ctx->stdout_failed = 1;
			return get_err(GET_ELOCAL, "write error: %s: %s",
			    o->name != NULL ? o->name : "standard output",
			    strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return GET_OK;
}

static int
get_out_commit(struct get_out *o)
{
	int	err = 0;

	if (o->fd == -1 || o->name == NULL)
		return GET_OK;
	if (o->tmp[0] != '\0' && fsync(o->fd) == -1 && errno != EINVAL)
		err = errno;
	if (close(o->fd) == -1 && err == 0)
		err = errno;
	o->fd = -1;
	if (err == 0 && o->tmp[0] != '\0' && rename(o->tmp, o->name) == -1)
		err = errno;
	if (err != 0) {
		get_out_abort(o);
		return get_err(GET_ELOCAL, "write error: %s: %s", o->name,
		    strerror(err));
	}
	o->tmp[0] = '\0';
	get_cleanup_armed = 0;
	return GET_OK;
}

static void
get_out_abort(struct get_out *o)
{
	if (o->fd != -1 && o->name != NULL)
		close(o->fd);
	o->fd = -1;
	if (o->tmp[0] != '\0')
		unlink(o->tmp);
	o->tmp[0] = '\0';
	get_cleanup_armed = 0;
}

/* Async-signal-safe: removes a temporary file, then dies of the signal. */
static void
get_on_signal(int sig)
{
	if (get_cleanup_armed)
		unlink(get_cleanup_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

int
main(int argc, char *argv[])
{
	static struct get_ctx	 ctx;
	struct get_opts		 o;
	struct url		*urls;
	struct sigaction	 sa;
	const char		*reason;
	char			 req[GET_REQUEST_MAX];
	mode_t			 mask;
	int			 ch, i, same, status = GET_OK, rc;

	memset(&o, 0, sizeof(o));
	o.connect_timeout = GET_CONNECT_TIMEOUT;
	o.headers = xcalloc((size_t)argc, sizeof(*o.headers));
	o.outputs = xcalloc((size_t)argc, sizeof(*o.outputs));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:IivsH:m:fhV", get_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'o':
			o.outputs[o.noutputs++] = optarg;
			break;
		case 'I':
			o.head = 1;
			break;
		case 'i':
			o.include = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 's':
			o.silent = get_quiet = 1;
			break;
		case 'H':
			if (get_check_header(optarg) == -1)
				return get_err(GET_EUSAGE, "invalid header: "
				    "%s", optarg);
			o.headers[o.nheaders++] = optarg;
			break;
		case 'm':
			if (get_parse_seconds("--max-time", optarg,
			    &o.max_time) == -1)
				return GET_EUSAGE;
			break;
		case GET_OPT_CONNECT_TIMEOUT:
			if (get_parse_seconds("--connect-timeout", optarg,
			    &o.connect_timeout) == -1)
				return GET_EUSAGE;
			break;
		case 'f':
			break;
		case 'h':
			get_help();
			return GET_OK;
		case 'V':
			printf(GET_NAME " %s\n", PACKAGE_VERSION);
			return GET_OK;
		case ':':
			get_err(GET_EUSAGE, "missing argument for %s",
			    argv[optind - 1]);
			get_usage(stderr);
			return GET_EUSAGE;
		default:
			if (optopt != 0)
				get_err(GET_EUSAGE, "unknown option: -%c",
				    optopt);
			else
				get_err(GET_EUSAGE, "unknown option: %s",
				    argv[optind - 1]);
			get_usage(stderr);
			return GET_EUSAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		get_err(GET_EUSAGE, "no path or URL given");
		get_usage(stderr);
		return GET_EUSAGE;
	}
	if (o.noutputs > (size_t)argc)
		return get_err(GET_EUSAGE, "more -o options (%zu) than targets "
		    "(%d)", o.noutputs, argc);

	/* Every target is checked before anything is fetched. */
	urls = xcalloc((size_t)argc, sizeof(*urls));
	for (i = 0; i < argc; i++) {
		if (url_parse(argv[i], &urls[i], &reason) != URL_OK)
			return get_err(GET_EUSAGE, "bad URL: %s: %s", reason,
			    argv[i]);
		if (get_build_request(&o, &urls[i], 1, req, sizeof(req)) == 0)
			return get_err(GET_EUSAGE, "request too large: %s",
			    argv[i]);
	}

	mask = umask(0);
	umask(mask);
	ctx.mode = 0666 & ~mask;
	ctx.opts = &o;
	ctx.conn.fd = -1;
	get_deadline_set(&ctx.total, o.max_time);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = get_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	for (i = 0; i < argc; i++) {
		char	a[URL_AUTHORITY_MAX], b[URL_AUTHORITY_MAX];

		/* Ask the server to close when the connection ends here. */
		same = i + 1 < argc;
		if (same) {
			url_authority(&urls[i], a, sizeof(a));
			url_authority(&urls[i + 1], b, sizeof(b));
			same = strcmp(a, b) == 0;
		}
		rc = get_fetch(&ctx, &urls[i], (size_t)i < o.noutputs ?
		    o.outputs[i] : NULL, !same);
		if (rc != GET_OK && status == GET_OK)
			status = rc;
		/* Later output would fail the same way (a closed pipe). */
		if (ctx.stdout_failed)
			break;
	}
	get_conn_close(&ctx);
	free(urls);
	free(o.headers);
	free(o.outputs);
	if (fflush(stdout) == EOF && status == GET_OK)
		status = get_err(GET_ELOCAL, "write error: standard output: %s",
		    strerror(errno));
	return status;
}
