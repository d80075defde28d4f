/*
 * serve: what to answer.  Given a parsed request on a connection, picks
 * the response (a file, a range of it, a listing, a redirect or an error
 * page), fills in its head and lays out its body as segments for
 * conn.c to send.  Reaches the filesystem only through the open-file
 * cache and resolve; sends nothing itself.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/autoindex.h"
#include "core/cond.h"
#include "daemon/conn.h"
#include "daemon/fcache.h"
#include "daemon/log.h"
#include "core/http.h"
#include "core/mime.h"
#include "core/range.h"
#include "core/reply.h"
#include "core/uri.h"
#include "core/util.h"

#define SERVE_PATH_MAX	4096

static void	serve_file(struct conn *, const char *, struct resolve_result *,
		    struct fcache_entry *);
static void	use_file(struct conn *, struct fcache_entry *,
		    struct resolve_result *);
static void	add_body(struct conn *, off_t, size_t);
static void	serve_listing(struct conn *, const char *,
		    struct resolve_result *);
static void	redirect(struct conn *, const char *, long);
static void	error_page(struct conn *, int, const char *, const char *);
static void	error_range(struct conn *, const char *);
static void	add_seg(struct conn *, const char *, off_t, size_t);
static int	try_gzip(struct conn *, const char *,
		    struct resolve_result *);

/* Lets go of the file being served: our fd, or our hold on the cache. */
void
serve_release(struct conn *c)
{
	if (c->entry != NULL) {
		fcache_release(c->entry);
		c->entry = NULL;
	} else if (c->file != -1 && c->file_owned)
		close(c->file);
	c->file = -1;
	c->file_owned = 0;
	c->data = NULL;
}

void
serve_request(struct conn *c)
{
	struct worker		*w = c->w;
	char			 path[SERVE_PATH_MAX];
	struct resolve_result	 res;
	struct fcache_entry	*e;
	long			 query;

	/* RFC 9110 section 10.1.1: only 100-continue is understood. */
	if (c->req.expect_other) {
		serve_error(c, 417, NULL);
		return;
	}
	switch (c->req.method) {
	case REQUEST_METHOD_GET:
	case REQUEST_METHOD_HEAD:
		break;
	case REQUEST_METHOD_UNKNOWN:
		serve_error(c, 501, NULL);
		return;
	default:
		serve_error(c, 405, NULL);
		return;
	}
	switch (uri_normalize(c->req.path.p, c->req.path.len, path,
	    sizeof(path), &query)) {
	case URI_OK:
		break;
	case URI_TOO_LONG:
		serve_error(c, 414, NULL);
		return;
	default:
		serve_error(c, 400, NULL);
		return;
	}
	switch (fcache_get(&w->cache, &w->ropts, path, &e, &res)) {
	case RESOLVE_FILE:
		serve_file(c, path, &res, e);
		return;
	case RESOLVE_LISTING:
		serve_listing(c, path, &res);
		return;
	case RESOLVE_REDIRECT:
		redirect(c, path, query);
		return;
	case RESOLVE_NOT_FOUND:
		serve_error(c, 404, NULL);
		return;
	case RESOLVE_FORBIDDEN:
		serve_error(c, 403, NULL);
		return;
	case RESOLVE_ERROR:
		log_warn("%s: cannot open %s", c->peer, path);
		serve_error(c, 500, NULL);
		return;
	}
}

/* Adds a body segment: file bytes when mem is NULL. */
static void
add_seg(struct conn *c, const char *mem, off_t off, size_t len)
{
	c->seg[c->nseg].mem = mem;
	c->seg[c->nseg].off = off;
	c->seg[c->nseg].len = len;
	c->nseg++;
}

/*
 * Makes the file (cached entry e, or the fd in res) the representation
 * being sent: c->entry / c->file / c->data.
 */
static void
use_file(struct conn *c, struct fcache_entry *e, struct resolve_result *res)
{
	if (e != NULL) {
		c->entry = e;
		c->file = e->fd;
		c->file_owned = 0;
		c->data = e->data;
	} else {
		c->file = res->fd;
		c->file_owned = 1;
		c->data = NULL;
	}
}

/*
 * gzip_static: switches to FILE.gz when the client accepts gzip and the
 * compressed copy exists, passes the same checks, and is not older.
 */
static int
try_gzip(struct conn *c, const char *path, struct resolve_result *res)
{
	struct resolve_result	 gz;
	struct fcache_entry	*ge;
	char			 p[SERVE_PATH_MAX];
	struct timespec		 orig = res->st.st_mtim;
	const struct timespec	*a = &gz.st.st_mtim;

	if (!c->w->conf->gzip_static || c->req.accept_encoding.p == NULL ||
	    !http_accepts_coding(c->req.accept_encoding.p,
	    c->req.accept_encoding.len, "gzip"))
		return 0;
	if ((size_t)snprintf(p, sizeof(p), "%s%s.gz", path,
	    res->index ? res->index : "") >= sizeof(p))
		return 0;
	if (fcache_get(&c->w->cache, &c->w->ropts, p, &ge, &gz) !=
	    RESOLVE_FILE)
		return 0;
	if (a->tv_sec < orig.tv_sec || (a->tv_sec == orig.tv_sec &&
	    a->tv_nsec < orig.tv_nsec)) {
		if (ge != NULL)
			fcache_release(ge);
		else
			close(gz.fd);
		return 0;
	}
	serve_release(c);
	use_file(c, ge, &gz);
	res->st = gz.st;
	return 1;
}

/* Adds len bytes of the file from off, from memory when it is there. */
static void
add_body(struct conn *c, off_t off, size_t len)
{
	if (c->data != NULL)
		add_seg(c, c->data + off, 0, len);
	else
		add_seg(c, NULL, off, len);
}

/*
 * A regular file: representation selection (gzip), preconditions,
 * then the whole file, one range, or several as multipart/byteranges.
 */
static void
serve_file(struct conn *c, const char *path, struct resolve_result *res,
    struct fcache_entry *e)
{
	const struct conf	*conf = c->w->conf;
	struct reply		 r;
	struct range		 rg[RANGE_MAX];
	char			 etag[FCACHE_ETAG_MAX];
	char			 crange[RANGE_CONTENT_MAX];
	char			 mtype[64];
	const char		*type;
	uint64_t		 size;
	size_t			 n = 0, i, total, pl;
	enum range_result	 rr = RANGE_NONE;
	int			 head = c->req.method == REQUEST_METHOD_HEAD;
	int			 text;

	/* The type depends on the name only: looked up once per entry. */
	if (e != NULL && e->type != NULL) {
		type = e->type;
		text = e->text;
	} else {
		type = mime_lookup(&conf->mime, res->index ? res->index :
		    path);
		if (type == NULL)
			type = conf->default_type;
		text = mime_is_text(type);
		if (e != NULL) {
			e->type = type;
			e->text = text;
		}
	}
	memset(&r, 0, sizeof(r));
	use_file(c, e, res);
	if (try_gzip(c, path, res))
		r.content_encoding = "gzip";
	if (conf->gzip_static)
		r.vary = "Accept-Encoding";
	if (c->entry != NULL) {
		r.etag = c->entry->etag;
		r.lastmod = c->entry->lastmod;
	} else {
		fcache_etag(&res->st, etag, sizeof(etag));
		r.etag = etag;
	}
	size = (uint64_t)res->st.st_size;
	r.last_modified = res->st.st_mtime;
	r.content_type = type;
	r.charset = text ? conf->charset : NULL;
	r.accept_ranges = 1;

	switch (cond_evaluate(&c->req, r.etag, res->st.st_mtime)) {
	case COND_NOT_MODIFIED:
		r.status = 304;
		r.content_type = NULL;
		r.charset = NULL;
		conn_start_send(c, &r);
		return;
	case COND_FAILED:
		serve_error(c, 412, NULL);
		return;
	case COND_PROCEED:
		break;
	}

	/* RFC 9110 section 14.2: Range is defined for GET only. */
	if (c->req.range.p != NULL && c->req.method == REQUEST_METHOD_GET) {
		worker_clock(c->w);
		if (cond_if_range(&c->req, r.etag, res->st.st_mtime, c->w->now))
			rr = range_parse(c->req.range.p, c->req.range.len,
			    size, rg, &n);
	}
	if (rr == RANGE_UNSATISFIABLE) {
		range_content_format(crange, sizeof(crange), NULL, size);
		error_range(c, crange);
		return;
	}
	r.has_length = 1;
	if (rr == RANGE_NONE) {
		r.status = 200;
		r.content_length = size;
		if (!head)
			add_body(c, 0, (size_t)size);
	} else if (n == 1) {
		r.status = 206;
		range_content_format(crange, sizeof(crange), &rg[0], size);
		r.content_range = crange;
		r.content_length = rg[0].last - rg[0].first + 1;
		add_body(c, (off_t)rg[0].first, (size_t)r.content_length);
	} else {
		/* multipart/byteranges (RFC 9110 section 14.6). */
		r.status = 206;
		total = 0;
		for (i = 0; i < n; i++) {
			range_content_format(crange, sizeof(crange), &rg[i],
			    size);
			pl = (size_t)snprintf(c->parts + total,
			    sizeof(c->parts) - total,
			    "%s--%s\r\nContent-Type: %s%s%s\r\n"
			    "Content-Range: bytes %s\r\n\r\n",
			    i ? "\r\n" : "", c->w->boundary, type,
			    r.charset ? "; charset=" : "",
			    r.charset ? r.charset : "", crange);
			if (pl >= sizeof(c->parts) - total) {
				serve_error(c, 500, NULL);
				return;
			}
			add_seg(c, c->parts + total, 0, pl);
			add_body(c, (off_t)rg[i].first,
			    (size_t)(rg[i].last - rg[i].first + 1));
			total += pl;
		}
		pl = (size_t)snprintf(c->parts + total,
		    sizeof(c->parts) - total, "\r\n--%s--\r\n",
		    c->w->boundary);
		if (pl >= sizeof(c->parts) - total) {
			serve_error(c, 500, NULL);
			return;
		}
		add_seg(c, c->parts + total, 0, pl);
		for (i = 0, r.content_length = 0; i < c->nseg; i++)
			r.content_length += c->seg[i].len;
		/* Only needed until the head is formatted, below. */
		snprintf(mtype, sizeof(mtype),
		    "multipart/byteranges; boundary=%s", c->w->boundary);
		r.content_type = mtype;
		r.charset = NULL;
	}
	conn_start_send(c, &r);
}

static void
serve_listing(struct conn *c, const char *path, struct resolve_result *res)
{
	struct reply		r;
	size_t			len;

	if (autoindex_render(res->fd, path, c->w->conf->dotfiles,
	    &c->listing, &len) == -1) {
		log_warn("%s: cannot list %s", c->peer, path);
		close(res->fd);
		serve_error(c, 500, NULL);
		return;
	}
	close(res->fd);
	memset(&r, 0, sizeof(r));
	r.status = 200;
	r.content_type = "text/html";
	r.charset = "utf-8";
	r.has_length = 1;
	r.content_length = len;
	if (c->req.method != REQUEST_METHOD_HEAD)
		add_seg(c, c->listing, 0, len);
	conn_start_send(c, &r);
}

/* A directory named without its slash: 301 to "path/" keeping the query. */
static void
redirect(struct conn *c, const char *path, long query)
{
	char	enc[SERVE_PATH_MAX], loc[CONN_HEAD_MAX - 512];
	size_t	qlen = 0;

	if (uri_encode(path, strlen(path), enc, sizeof(enc), 0) != URI_OK) {
		serve_error(c, 414, NULL);
		return;
	}
	/* The query passed the request-line check: visible ASCII only. */
	if (query >= 0)
		qlen = c->req.path.len - (size_t)query;
	/* The Location must fit in the response head with the rest. */
	if ((size_t)snprintf(loc, sizeof(loc), "%s/%.*s", enc, (int)qlen,
	    qlen ? c->req.path.p + query : "") >= sizeof(loc)) {
		serve_error(c, 414, NULL);
		return;
	}
	serve_error(c, 301, loc);
}

/* A fixed page for status, with a Location or a Content-Range. */
static void
error_page(struct conn *c, int status, const char *location,
    const char *crange)
{
	struct reply		r;
	const char		*body;
	size_t			blen;

	serve_release(c);
	c->nseg = c->curseg = 0;
	memset(&r, 0, sizeof(r));
	r.status = status;
	r.content_type = "text/html";
	r.charset = "utf-8";
	r.has_length = 1;
	r.location = location;
	r.content_range = crange;
	if (status == 405)
		r.allow = "GET, HEAD";
	body = reply_error_body(status, &blen);
	r.content_length = blen;
	if (!c->have_req || c->req.method != REQUEST_METHOD_HEAD)
		add_seg(c, body, 0, blen);
	conn_start_send(c, &r);
}

void
serve_error(struct conn *c, int status, const char *location)
{
	error_page(c, status, location, NULL);
}

static void
error_range(struct conn *c, const char *crange)
{
	error_page(c, 416, NULL, crange);
}
