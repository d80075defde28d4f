/*
 * minihttp-get: a small HTTP/1.1 client for minihttpd and other servers,
 * over TCP or TLS.  This file is the command line and the policy of one
 * target: which headers a request carries (ranges, resumption,
 * conditions), which redirects are followed, where a body goes and what
 * each status means.  Connections live in get_net (TLS in get_tls), one
 * exchange in get_xfer, outputs in get_out, the progress bar in
 * get_progress; parsing is the pure url and response modules'.  Nothing here uses more than levels 0-1 of
 * the source layout.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/get_common.h"
#include "client/get_net.h"
#include "client/get_out.h"
#include "client/get_progress.h"
#include "client/get_xfer.h"
#include "core/httpdate.h"
#include "core/range.h"
#include "core/response.h"
#include "core/url.h"
#include "core/util.h"

#define GET_SECONDS_MAX		1e7	/* largest -m, --connect-timeout */
#define GET_REDIRS_MAX		1000	/* largest --max-redirs */
#define GET_RANGE_MAX		1024	/* -r argument length */

enum {
	GET_OPT_CONNECT_TIMEOUT = 256,
	GET_OPT_MAX_REDIRS,
	GET_OPT_CLOBBER,
	GET_OPT_CACERT
};

struct get_ctx {
	struct get_opts		*opts;
	struct get_net		 net;
	struct get_target	*targets;
	int			 ntargets;
	const char		**outs;		/* -o FILE, NULL for -O */
	mode_t			 mode;		/* for created files */
	int			 stdout_tty;
};

/* One target's state across its redirects. */
struct get_state {
	struct get_target	*t;
	struct url		 url;		/* current, after redirects */
	char			 auth[URL_AUTHORITY_MAX];
	char			 origin[URL_ORIGIN_MAX];
	uint64_t		 offset;	/* -C: bytes already there */
	uint64_t		 at;		/* where the body is written */
	char			 range[32];	/* -C: "offset-" */
	char			 if_range[HTTPDATE_LEN + 1];
	char			 ims[HTTPDATE_LEN + 1];
	struct get_req		 req;
};

struct get_body_sink {
	struct get_out		*out;
	struct get_progress	*prog;
};

static void	get_usage(FILE *);
static void	get_help(void);
static int	get_parse_seconds(const char *, const char *, double *);
static int	get_parse_since(const char *, time_t *);
static int	get_check_header(const char *);
static int	get_check_readable(const char *);
static int	get_parse_args(int, char *[], struct get_opts *,
		    struct get_ctx *);
static int	get_last_for(const struct get_ctx *, int, const char *);
static int	get_prepare(struct get_ctx *, int, struct get_state *);
static int	get_redirect(struct get_ctx *, struct get_state *,
		    struct get_xfer *, long *);
static int	get_error_line(const struct get_state *,
		    const struct response *);
static int	get_http_error(struct get_state *, struct get_xfer *);
static int	get_open_output(struct get_ctx *, struct get_state *,
		    struct get_xfer *, struct get_out *);
static int	get_write_body(struct get_ctx *, struct get_state *,
		    struct get_xfer *);
static int	get_deliver(struct get_ctx *, struct get_state *,
		    struct get_xfer *);
static void	get_status_notice(const struct response *, const char *,
		    const char *);
static int	get_sink_body(void *, const char *, size_t);
static int	get_target(struct get_ctx *, int);

static const struct option get_longopts[] = {
	{ "output",		required_argument,	NULL,	'o' },
	{ "remote-name",	no_argument,		NULL,	'O' },
	{ "clobber",		no_argument,		NULL,	GET_OPT_CLOBBER },
	{ "continue-at",	required_argument,	NULL,	'C' },
	{ "range",		required_argument,	NULL,	'r' },
	{ "time-cond",		required_argument,	NULL,	'z' },
	{ "remote-time",	no_argument,		NULL,	'R' },
	{ "head",		no_argument,		NULL,	'I' },
	{ "include",		no_argument,		NULL,	'i' },
	{ "location",		no_argument,		NULL,	'L' },
	{ "max-redirs",		required_argument,	NULL,
	    GET_OPT_MAX_REDIRS },
	{ "header",		required_argument,	NULL,	'H' },
	{ "max-time",		required_argument,	NULL,	'm' },
	{ "connect-timeout",	required_argument,	NULL,
	    GET_OPT_CONNECT_TIMEOUT },
	{ "cacert",		required_argument,	NULL,	GET_OPT_CACERT },
	{ "insecure",		no_argument,		NULL,	'k' },
	{ "verbose",		no_argument,		NULL,	'v' },
	{ "silent",		no_argument,		NULL,	's' },
	{ "fail",		no_argument,		NULL,	'f' },
	{ "help",		no_argument,		NULL,	'h' },
	{ "version",		no_argument,		NULL,	'V' },
	{ NULL,			0,			NULL,	0 }
};

static void
get_usage(FILE *f)
{
	fprintf(f,
"usage: " GET_NAME " [-fIikLRsv] [-C -] [-H header] [-m seconds]"
    " [-o file | -O]\n"
"                    [-r range] [-z date|file] [--cacert file] [--clobber]\n"
"                    [--connect-timeout seconds] [--max-redirs n] target ...\n"
"       " GET_NAME " -h | -V\n");
}

static void
get_help(void)
{
	get_usage(stdout);
	printf("\n"
"Fetches each target and writes its body to standard output.  A target is\n"
"a path on the local minihttpd (index.html is http://localhost:%d/index.html)\n"
"or an http:// or https://host[:port]/path?query URL.  Targets are fetched\n"
"in order; those for the same server share one keep-alive connection.\n"
"\n"
"  -o, --output FILE       write the body of the next target to FILE (\"-\":\n"
"                          standard output); the Nth -o or -O applies to\n"
"                          the Nth target, the others go to standard output;\n"
"                          a regular FILE only appears once complete\n"
"  -O, --remote-name       write the body of the next target to a file named\n"
"                          after the last component of its path\n"
"      --clobber           let -O replace an existing file\n"
"  -C, --continue-at -     resume the -o or -O files that exist (implies -R)\n"
"  -r, --range RANGE       ask for bytes RANGE only (0-99, 100-, -500, ...)\n"
"  -z, --time-cond DATE|FILE\n"
"                          fetch only if modified since the HTTP-date DATE or\n"
"                          the modification time of FILE\n"
"  -R, --remote-time       give files the server's Last-Modified time\n"
"  -I, --head              send HEAD and write the response head\n"
"  -i, --include           write the response head before the body\n"
"  -L, --location          follow redirects (to http:// and https://)\n"
"      --max-redirs N      follow at most N redirects (default %d)\n"
"  -H, --header 'NAME: VALUE'\n"
"                          add a request header (repeatable); it replaces a\n"
"                          header of that name minihttp-get would send;\n"
"                          'NAME:' removes it\n"
"  -m, --max-time SECONDS  give up after SECONDS in all (default 0: no limit)\n"
"      --connect-timeout SECONDS\n"
"                          give up connecting after SECONDS (default %d;\n"
"                          0: no limit; the TLS handshake included); both\n"
"                          take decimals, such as 2.5\n"
"      --cacert FILE       verify https servers with the CA certificates in\n"
"                          FILE (PEM) instead of the system's\n"
"  -k, --insecure          do not verify the certificates of https servers\n"
"  -v, --verbose           show requests, responses and connections on stderr\n"
"  -s, --silent            no progress bar, notices or error messages (usage\n"
"                          errors excepted): the exit status tells\n"
"  -f, --fail              write nothing (no body, no head, no file) for a\n"
"                          status of 400 or more\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"A status of 400 or more is an HTTP error: one line on stderr, exit status 1.\n"
"Its body (and head, with -i or -I) is written like any other, unless -f is\n"
"given or -C is: then nothing is written and no file is created or changed.\n"
"Without -L a redirect is a success: its body is written, with a notice.\n"
"\n"
"Exit status: 0 success, 1 HTTP error, 2 usage error, 3 network error or\n"
"timeout, 4 protocol error (malformed or truncated response, redirect not\n"
"followed), 5 local file or output error, 6 TLS error (handshake,\n"
"certificate).  After a failure the next targets\n"
"are still fetched, unless writing to standard output failed; the status\n"
"is that of the first failure.  See minihttp-get(1).\n", URL_DEFAULT_PORT,
	    GET_MAX_REDIRS, GET_CONNECT_TIMEOUT);
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

/* -z: an HTTP-date in any of its three formats, else a file's mtime. */
static int
get_parse_since(const char *arg, time_t *out)
{
	struct stat	st;

	if (httpdate_parse(arg, strlen(arg), out) == 0)
		return 0;
	if (stat(arg, &st) == 0) {
		*out = st.st_mtime;
		return 0;
	}
	get_err(GET_EUSAGE, "invalid -z: not an HTTP-date nor a file: %s",
	    arg);
	return -1;
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

/* A file that can be opened for reading: 0, or -1 with errno. */
static int
get_check_readable(const char *path)
{
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	fclose(f);
	return 0;
}

/*
 * The command line into o and ctx->targets.  Every target is checked,
 * and its -O name derived, before anything is fetched.  Returns GET_OK,
 * or an exit status (-1 for --help and --version: exit 0).
 */
static int
get_parse_args(int argc, char *argv[], struct get_opts *o,
    struct get_ctx *ctx)
{
	struct get_target	*t;
	const char		*reason, **outs;
	char			*end;
	size_t			 nouts = 0;
	int			 ch, i;

	o->connect_timeout = GET_CONNECT_TIMEOUT;
	o->max_redirs = GET_MAX_REDIRS;
	o->headers = xcalloc((size_t)argc, sizeof(*o->headers));
	ctx->outs = outs = xcalloc((size_t)argc, sizeof(*outs));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:OC:r:z:RIikLH:m:vsfhV",
	    get_longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outs[nouts++] = optarg;
			break;
		case 'O':
			outs[nouts++] = NULL;	/* the remote name */
			break;
		case GET_OPT_CLOBBER:
			o->clobber = 1;
			break;
		case 'C':
			if (strcmp(optarg, "-") != 0)
				return get_err(GET_EUSAGE, "invalid -C: %s "
				    "(only \"-C -\" is supported)", optarg);
			o->resume = o->remote_time = 1;
			break;
		case 'r':
			if (strlen(optarg) > GET_RANGE_MAX ||
			    !range_set_ok(optarg, strlen(optarg)))
				return get_err(GET_EUSAGE, "invalid range: %s",
				    optarg);
			o->range = optarg;
			break;
		case 'z':
			if (get_parse_since(optarg, &o->since) == -1)
				return GET_EUSAGE;
			o->has_since = 1;
			break;
		case 'R':
			o->remote_time = 1;
			break;
		case 'I':
			o->head = 1;
			break;
		case 'i':
			o->include = 1;
			break;
		case 'L':
			o->follow = 1;
			break;
		case GET_OPT_MAX_REDIRS:
			errno = 0;
			o->max_redirs = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    o->max_redirs < 0 || o->max_redirs > GET_REDIRS_MAX)
				return get_err(GET_EUSAGE, "invalid "
				    "--max-redirs: %s", optarg);
			break;
		case 'H':
			if (get_check_header(optarg) == -1)
				return get_err(GET_EUSAGE, "invalid header: "
				    "%s", optarg);
			o->headers[o->nheaders++] = optarg;
			break;
		case 'm':
			if (get_parse_seconds("--max-time", optarg,
			    &o->max_time) == -1)
				return GET_EUSAGE;
			break;
		case GET_OPT_CONNECT_TIMEOUT:
			if (get_parse_seconds("--connect-timeout", optarg,
			    &o->connect_timeout) == -1)
				return GET_EUSAGE;
			break;
		case GET_OPT_CACERT:
			if (get_check_readable(optarg) == -1)
				return get_err(GET_EUSAGE, "cannot read --cacert "
				    "%s: %s", optarg, strerror(errno));
			o->cacert = optarg;
			break;
		case 'k':
			o->insecure = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 's':
			o->silent = 1;
			get_msg_quiet(1);
			break;
		case 'f':
			o->fail = 1;
			break;
		case 'h':
			get_help();
			return -1;
		case 'V':
			printf(GET_NAME " %s\n", PACKAGE_VERSION);
			return -1;
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
	if (nouts > (size_t)argc)
		return get_err(GET_EUSAGE, "more -o and -O options (%zu) than "
		    "targets (%d)", nouts, argc);
	if (o->resume && (o->range != NULL || o->head || o->include))
		return get_err(GET_EUSAGE, "-C cannot be combined with %s",
		    o->range != NULL ? "-r" : o->head ? "-I" : "-i");

	ctx->targets = t = xcalloc((size_t)argc, sizeof(*t));
	ctx->ntargets = argc;
	for (i = 0; i < argc; i++, t++) {
		t->arg = argv[i];
		if (url_parse(argv[i], &t->url, &reason) != URL_OK)
			return get_err(GET_EUSAGE, "bad URL: %s: %s", reason,
			    argv[i]);
#ifndef HAVE_OPENSSL
		if (t->url.scheme == URL_SCHEME_HTTPS)
			return get_err(GET_EUSAGE, "https: built without TLS "
			    "support: %s", argv[i]);
#endif
		if ((size_t)i < nouts && outs[i] == NULL) {
			if (url_remote_name(t->url.path, t->remote,
			    sizeof(t->remote), &reason) != URL_OK)
				return get_err(GET_EUSAGE, "-O: %s: %s",
				    reason, argv[i]);
			t->dest = GET_DEST_REMOTE;
			t->file = t->remote;
		} else if ((size_t)i < nouts && strcmp(outs[i], "-") != 0) {
			t->dest = GET_DEST_FILE;
			t->file = outs[i];
		}
		if (o->resume && t->file == NULL)
			return get_err(GET_EUSAGE, "-C needs -o FILE or -O for "
			    "each target: %s", argv[i]);
	}
	return GET_OK;
}

/* Non-zero when no target after the ith goes to the server origin. */
static int
get_last_for(const struct get_ctx *ctx, int i, const char *origin)
{
	char	o[URL_ORIGIN_MAX];

	for (i++; i < ctx->ntargets; i++) {
		url_origin(&ctx->targets[i].url, o, sizeof(o));
		if (strcmp(o, origin) == 0)
			return 0;
	}
	return 1;
}

/*
 * The request state of target i: its URL, and with -C the size and
 * time of the part already there.  The time is that of the server's
 * Last-Modified set by the download that wrote the part (-C implies
 * -R), so If-Range makes the server send the rest only if the file has
 * not changed since; otherwise it sends all of it again.
 */
static int
get_prepare(struct get_ctx *ctx, int i, struct get_state *s)
{
	const struct get_opts	*o = ctx->opts;
	struct stat		 st;

	memset(s, 0, sizeof(*s));
	s->t = &ctx->targets[i];
	s->url = s->t->url;
	s->req.range = o->range;
	if (o->has_since) {
		httpdate_format(o->since, s->ims);
		s->req.ims = s->ims;
	}
	if (!o->resume)
		return GET_OK;
	if (stat(s->t->file, &st) == -1) {
		if (errno == ENOENT)
			return GET_OK;
		return get_err(GET_ELOCAL, "cannot resume %s: %s",
		    s->t->file, strerror(errno));
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		return GET_OK;
	s->offset = (uint64_t)st.st_size;
	snprintf(s->range, sizeof(s->range), "%ju-", (uintmax_t)s->offset);
	httpdate_format(st.st_mtime, s->if_range);
	s->req.range = s->range;
	s->req.if_range = s->if_range;
	if (o->verbose)
		get_info("resuming %s at byte %ju", s->t->file,
		    (uintmax_t)s->offset);
	return GET_OK;
}

static int
get_is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 ||
	    status == 307 || status == 308;
}

/*
 * -L: the next URL from the Location of x, resolved against the current
 * one, then the redirect's body drained.
 */
static int
get_redirect(struct get_ctx *ctx, struct get_state *s, struct get_xfer *x,
    long *count)
{
	const struct response	*r = &x->r;
	struct url		 next;
	char			 auth[URL_AUTHORITY_MAX];
	const char		*reason;
	int			 rc;

	if (r->location.p == NULL || r->location.len == 0) {
		get_xfer_finish(x, 0);
		return get_err(GET_EPROTO, "%d redirect without a Location: %s",
		    r->status, s->url.path);
	}
	if (*count >= ctx->opts->max_redirs) {
		get_xfer_finish(x, 0);
		return get_err(GET_EPROTO, "too many redirects (%ld): %s",
		    ctx->opts->max_redirs, s->t->arg);
	}
	if (url_resolve(&s->url, r->location.p, r->location.len, &next,
	    &reason) != URL_OK) {
		rc = get_err(GET_EPROTO, "cannot follow redirect to %.*s: %s",
		    (int)r->location.len, r->location.p, reason);
		get_xfer_finish(x, 0);
		return rc;
	}
	(*count)++;
	rc = get_xfer_body(x, NULL, NULL);
	get_xfer_finish(x, rc == GET_OK);
	if (rc != GET_OK)
		return rc;
	s->url = next;
	if (ctx->opts->verbose) {
		url_authority(&s->url, auth, sizeof(auth));
		get_info("following redirect to %s://%s%s",
		    url_scheme_name(&s->url), auth, s->url.path);
	}
	return GET_OK;
}

/* "404 Not Found: /missing.html", unless -s; returns GET_EHTTP. */
static int
get_error_line(const struct get_state *s, const struct response *r)
{
	return get_err(GET_EHTTP, "%d%s%.*s: %s", r->status,
	    r->reason.len > 0 ? " " : "", (int)r->reason.len, r->reason.p,
	    s->url.path);
}

/*
 * A status of 400 or more with -f or -C: one line, the body drained,
 * nothing written.  For -C, 416 with "Content-Range: bytes * /SIZE"
 * where SIZE is what the file has means it was complete already.
 */
static int
get_http_error(struct get_state *s, struct get_xfer *x)
{
	const struct response	*r = &x->r;
	struct range_content	 cr;
	int			 rc = GET_EHTTP;

	if (r->status == 416 && s->offset > 0 && r->content_range.p != NULL &&
	    range_content_parse(r->content_range.p, r->content_range.len,
	    &cr) == 0 && cr.unsatisfied && cr.has_size &&
	    cr.size == s->offset) {
		get_notice("%s is complete already (%ju bytes)", s->t->file,
		    (uintmax_t)s->offset);
		rc = GET_OK;
	} else
		get_error_line(s, r);
	if (get_xfer_body(x, NULL, NULL) != GET_OK)
		x->keep = 0;
	get_xfer_finish(x, 1);
	return rc;
}

/*
 * Opens the output for a final response that is written: neither a 304
 * nor, with -f or -C, an HTTP error.  With -C a 206 that starts where
 * the file ends continues it; any other answer rewrites it from the
 * start.
 */
static int
get_open_output(struct get_ctx *ctx, struct get_state *s, struct get_xfer *x,
    struct get_out *out)
{
	const struct get_opts	*o = ctx->opts;
	const struct response	*r = &x->r;
	struct range_content	 cr;
	time_t			 lm;
	int			 flags = 0, rc;

	if (s->t->file == NULL)
		return get_out_open(out, NULL, 0, 0, 0);
	if (o->resume) {
		flags |= GET_OUT_INPLACE_AT;
		if (r->status == 206 && s->offset > 0) {
			if (r->content_range.p == NULL ||
			    range_content_parse(r->content_range.p,
			    r->content_range.len, &cr) == -1 ||
			    cr.unsatisfied || cr.first != s->offset)
				return get_err(GET_EPROTO, "protocol error: "
				    "206 response does not continue %s at byte "
				    "%ju: %s", s->t->file, (uintmax_t)s->offset,
				    s->url.path);
			s->at = s->offset;
		} else if (s->offset > 0)
			get_notice("%d%s%.*s to a resume request: fetching %s "
			    "whole", r->status, r->reason.len > 0 ? " " : "",
			    (int)r->reason.len, r->reason.p, s->t->file);
	} else if (s->t->dest == GET_DEST_REMOTE && !o->clobber)
		flags |= GET_OUT_NOCLOBBER;
	rc = get_out_open(out, s->t->file, flags, s->at, ctx->mode);
	if (rc == GET_OK && o->remote_time && r->last_modified.p != NULL &&
	    httpdate_parse(r->last_modified.p, r->last_modified.len, &lm) == 0)
		get_out_set_mtime(out, lm);
	return rc;
}

/* "301 Moved Permanently: /old -> /new" and a suffix, unless -s. */
static void
get_status_notice(const struct response *r, const char *path,
    const char *suffix)
{
	get_notice("%d%s%.*s: %s%s%.*s%s", r->status,
	    r->reason.len > 0 ? " " : "", (int)r->reason.len, r->reason.p,
	    path, r->location.p != NULL ? " -> " : "", (int)r->location.len,
	    r->location.p != NULL ? r->location.p : "", suffix);
}

static int
get_sink_body(void *arg, const char *p, size_t len)
{
	struct get_body_sink	*k = arg;
	int			 rc;

	if ((rc = get_out_write(k->out, p, len)) != GET_OK)
		return rc;
	get_progress_add(k->prog, len);
	return GET_OK;
}

/* The head (-I, -i) and the body of x to the output of the target. */
static int
get_write_body(struct get_ctx *ctx, struct get_state *s, struct get_xfer *x)
{
	const struct get_opts	*o = ctx->opts;
	const struct response	*r = &x->r;
	struct get_out		 out;
	struct get_progress	 prog;
	struct get_body_sink	 sink;
	int			 rc, show;

	get_out_discard(&out);
	rc = get_open_output(ctx, s, x, &out);
	if (rc == GET_OK && (o->head || o->include))
		rc = get_out_write(&out, x->conn->buf, r->head_len);
	if (rc == GET_OK) {
		show = o->progress && x->how != RESPONSE_BODY_NONE &&
		    !(out.kind == GET_OUT_STDOUT && ctx->stdout_tty);
		get_progress_start(&prog, show, s->at,
		    x->how == RESPONSE_BODY_LENGTH,
		    s->at + (x->how == RESPONSE_BODY_LENGTH ?
		    r->content_length : 0));
		sink.out = &out;
		sink.prog = &prog;
		ctx->net.idle = show ? get_progress_idle : NULL;
		ctx->net.idle_arg = &prog;
		rc = get_xfer_body(x, get_sink_body, &sink);
		ctx->net.idle = NULL;
		if (rc == GET_OK)
			get_progress_end(&prog);
	}
	if (rc == GET_OK)
		rc = get_out_commit(&out);
	else {
		if (out.kind == GET_OUT_INPLACE)
			get_notice("partial %s kept: -C - resumes it",
			    s->t->file);
		get_out_abort(&out);
	}
	get_xfer_finish(x, rc == GET_OK);
	return rc;
}

/*
 * The final response of a target: its status decides what is written.
 * A status of 400 or more is an HTTP error, reported before anything is
 * written, and stays the target's exit status whatever happens next.
 * Its body is written like any other, as curl does, unless -f says not
 * to, or -C: a file to resume must hold the target's bytes only.
 */
static int
get_deliver(struct get_ctx *ctx, struct get_state *s, struct get_xfer *x)
{
	const struct get_opts	*o = ctx->opts;
	const struct response	*r = &x->r;
	int			 rc, status = GET_OK;

	if (r->status >= 400 && (o->fail || o->resume))
		return get_http_error(s, x);
	if (r->status >= 400)
		status = get_error_line(s, r);
	else if (r->status == 304 || (r->status >= 300 && o->resume &&
	    s->offset > 0)) {
		/* Nothing to write: a partial -C file is kept as it is. */
		get_status_notice(r, s->url.path, ": nothing written");
		rc = get_xfer_body(x, NULL, NULL);
		get_xfer_finish(x, rc == GET_OK);
		return GET_OK;
	} else if (r->status >= 300)
		get_status_notice(r, s->url.path, "");
	else if (r->status != 206 && o->range != NULL && !o->head)
		get_notice("%d%s%.*s to a range request: writing the whole "
		    "body: %s", r->status, r->reason.len > 0 ? " " : "",
		    (int)r->reason.len, r->reason.p, s->url.path);
	rc = get_write_body(ctx, s, x);
	return status != GET_OK ? status : rc;
}

/* One target, following redirects with -L.  Returns an exit status. */
static int
get_target(struct get_ctx *ctx, int i)
{
	struct get_state	s;
	struct get_xfer		x;
	long			redirs = 0;
	int			rc;

	if ((rc = get_prepare(ctx, i, &s)) != GET_OK)
		return rc;
	for (;;) {
		url_authority(&s.url, s.auth, sizeof(s.auth));
		url_origin(&s.url, s.origin, sizeof(s.origin));
		s.req.url = &s.url;
		s.req.auth = s.auth;
		/* A redirect may come back to the same server. */
		s.req.last = !ctx->opts->follow &&
		    get_last_for(ctx, i, s.origin);
		if ((rc = get_xfer_start(&ctx->net, &s.req, &x)) != GET_OK)
			return rc;
		if (!ctx->opts->follow || !get_is_redirect(x.r.status))
			return get_deliver(ctx, &s, &x);
		if ((rc = get_redirect(ctx, &s, &x, &redirs)) != GET_OK)
			return rc;
	}
}

int
main(int argc, char *argv[])
{
	static struct get_ctx	ctx;
	static struct get_opts	o;
	struct get_req		q;
	char			req[GET_REQUEST_MAX];
	mode_t			mask;
	int			i, rc, status = GET_OK;

	if ((rc = get_parse_args(argc, argv, &o, &ctx)) != GET_OK) {
		status = rc == -1 ? GET_OK : rc;
		goto done;
	}
	/* A request head that cannot fit is a usage error, found now. */
	memset(&q, 0, sizeof(q));
	q.range = o.range != NULL ? o.range : "9223372036854775807-";
	q.if_range = q.ims = "Thu, 01 Jan 1970 00:00:00 GMT";
	q.last = 1;
	for (i = 0; i < ctx.ntargets; i++) {
		q.url = &ctx.targets[i].url;
		if (get_xfer_request(&o, &q, req, sizeof(req)) == 0) {
			status = get_err(GET_EUSAGE, "request too large: %s",
			    ctx.targets[i].arg);
			goto done;
		}
	}

	mask = umask(0);
	umask(mask);
	ctx.mode = 0666 & ~mask;
	ctx.opts = &o;
	ctx.stdout_tty = isatty(STDOUT_FILENO);
	o.progress = !o.silent && isatty(STDERR_FILENO);
	get_net_init(&ctx.net, &o);
	get_out_signals();
	for (i = 0; i < ctx.ntargets; i++) {
		rc = get_target(&ctx, i);
		if (rc != GET_OK && status == GET_OK)
			status = rc;
		/* Later output would fail the same way (a closed pipe). */
		if (get_out_stdout_failed())
			break;
	}
	get_net_close_all(&ctx.net);
done:
	free(ctx.targets);
	free(ctx.outs);
	free(o.headers);
	if (fflush(stdout) == EOF && status == GET_OK)
		status = get_err(GET_ELOCAL, "write error: standard output: %s",
		    strerror(errno));
	return status;
}
