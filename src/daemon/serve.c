/*
 * serve: what to answer (see serve.h).  Every decision about a request
 * is made here, in one pass, and ends in one struct answer: a file, a
 * range of it, a listing, a redirect or an error page.  No socket, no
 * event loop, no call back into conn.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/autoindex.h"
#include "core/cond.h"
#include "core/http.h"
#include "core/mime.h"
#include "core/range.h"
#include "core/reply.h"
#include "core/uri.h"
#include "core/util.h"
#include "daemon/fcache.h"
#include "daemon/log.h"
#include "daemon/serve.h"

#define SERVE_PATH_MAX	4096

/* One request being decided. */
struct job {
	const struct serve_env	*env;
	const struct request	*req;
	const char		*peer;
	struct answer		*a;
};

static void	serve_file(struct job *, const char *, struct resolve_result *,
		    struct fcache_entry *);
static void	use_file(struct answer *, struct fcache_entry *,
		    struct resolve_result *);
static void	add_body(struct answer *, off_t, size_t);
static int	add_parts(struct job *, const struct range *, size_t,
		    const char *, uint64_t);
static void	serve_listing(struct job *, const char *,
		    struct resolve_result *);
static void	redirect(struct job *, const char *, long);
static void	error_page(const struct request *, int, const char *,
		    const char *, struct answer *);
static void	add_seg(struct answer *, const char *, off_t, size_t);
static int	try_gzip(struct job *, const char *, struct resolve_result *);

void
serve_init(struct answer *a)
{
	memset(&a->reply, 0, sizeof(a->reply));
	a->nseg = 0;
	a->file = -1;
	a->file_owned = 0;
	a->entry = NULL;
	a->data = NULL;
	a->listing = NULL;
}

/* Lets go of the file being served: our fd, or our hold on the cache. */
void
serve_release(struct answer *a)
{
	if (a->entry != NULL) {
		fcache_release(a->entry);
		a->entry = NULL;
	} else if (a->file != -1 && a->file_owned)
		close(a->file);
	a->file = -1;
	a->file_owned = 0;
	a->data = NULL;
	free(a->listing);
	a->listing = NULL;
	a->nseg = 0;
}

void
serve_request(const struct serve_env *env, const struct request *req,
    const char *peer, struct answer *a)
{
	struct job		 j = { env, req, peer, a };
	char			 path[SERVE_PATH_MAX];
	struct resolve_result	 res;
	struct fcache_entry	*e;
	long			 query;

	serve_init(a);
	/* RFC 9110 section 10.1.1: only 100-continue is understood. */
	if (req->expect_other) {
		serve_error(req, 417, a);
		return;
	}
	switch (req->method) {
	case REQUEST_METHOD_GET:
	case REQUEST_METHOD_HEAD:
		break;
	case REQUEST_METHOD_UNKNOWN:
		serve_error(req, 501, a);
		return;
	default:
		serve_error(req, 405, a);
		return;
	}
	switch (uri_normalize(req->path.p, req->path.len, path,
	    sizeof(path), &query)) {
	case URI_OK:
		break;
	case URI_TOO_LONG:
		serve_error(req, 414, a);
		return;
	default:
		serve_error(req, 400, a);
		return;
	}
	switch (fcache_get(env->cache, env->ropts, path, &e, &res)) {
	case RESOLVE_FILE:
		serve_file(&j, path, &res, e);
		return;
	case RESOLVE_LISTING:
		serve_listing(&j, path, &res);
		return;
	case RESOLVE_REDIRECT:
		redirect(&j, path, query);
		return;
	case RESOLVE_NOT_FOUND:
		serve_error(req, 404, a);
		return;
	case RESOLVE_FORBIDDEN:
		serve_error(req, 403, a);
		return;
	case RESOLVE_ERROR:
		log_warn("%s: cannot open %s", peer, path);
		serve_error(req, 500, a);
		return;
	}
}

/* Adds a body segment: file bytes when mem is NULL. */
static void
add_seg(struct answer *a, const char *mem, off_t off, size_t len)
{
	a->seg[a->nseg].mem = mem;
	a->seg[a->nseg].off = off;
	a->seg[a->nseg].len = len;
	a->nseg++;
}

/*
 * Makes the file (cached entry e, or the fd in res) the representation
 * being sent.
 */
static void
use_file(struct answer *a, struct fcache_entry *e, struct resolve_result *res)
{
	if (e != NULL) {
		a->entry = e;
		a->file = e->fd;
		a->file_owned = 0;
		a->data = e->data;
	} else {
		a->file = res->fd;
		a->file_owned = 1;
		a->data = NULL;
	}
}

/*
 * gzip_static: switches to FILE.gz when the client accepts gzip and the
 * compressed copy exists, passes the same checks, and is not older.
 */
static int
try_gzip(struct job *j, const char *path, struct resolve_result *res)
{
	struct resolve_result	 gz;
	struct fcache_entry	*ge;
	char			 p[SERVE_PATH_MAX];
	struct timespec		 orig = res->st.st_mtim;
	const struct timespec	*t = &gz.st.st_mtim;
	const struct request	*req = j->req;

	if (!j->env->conf->gzip_static || req->accept_encoding.p == NULL ||
	    !http_accepts_coding(req->accept_encoding.p,
	    req->accept_encoding.len, "gzip"))
		return 0;
	if ((size_t)snprintf(p, sizeof(p), "%s%s.gz", path,
	    res->index ? res->index : "") >= sizeof(p))
		return 0;
	if (fcache_get(j->env->cache, j->env->ropts, p, &ge, &gz) !=
	    RESOLVE_FILE)
		return 0;
	if (t->tv_sec < orig.tv_sec || (t->tv_sec == orig.tv_sec &&
	    t->tv_nsec < orig.tv_nsec)) {
		if (ge != NULL)
			fcache_release(ge);
		else
			close(gz.fd);
		return 0;
	}
	serve_release(j->a);
	use_file(j->a, ge, &gz);
	res->st = gz.st;
	return 1;
}

/* Adds len bytes of the file from off, from memory when it is there. */
static void
add_body(struct answer *a, off_t off, size_t len)
{
	if (a->data != NULL)
		add_seg(a, a->data + off, 0, len);
	else
		add_seg(a, NULL, off, len);
}

/*
 * multipart/byteranges (RFC 9110 section 14.6): a head per part, its
 * bytes, then the closing delimiter.  Returns -1 when the part heads do
 * not fit (they always do within the limits conf enforces).
 */
static int
add_parts(struct job *j, const struct range *rg, size_t n, const char *type,
    uint64_t size)
{
	struct answer	*a = j->a;
	const char	*boundary = j->env->boundary;
	char		 crange[RANGE_CONTENT_MAX];
	size_t		 i, total = 0, pl;

	for (i = 0; i < n; i++) {
		range_content_format(crange, sizeof(crange), &rg[i], size);
		pl = reply_part_head(a->parts + total, sizeof(a->parts) - total,
		    boundary, type, a->reply.charset, crange, i == 0);
		if (pl == 0)
			return -1;
		add_seg(a, a->parts + total, 0, pl);
		add_body(a, (off_t)rg[i].first,
		    (size_t)(rg[i].last - rg[i].first + 1));
		total += pl;
	}
	pl = reply_parts_end(a->parts + total, sizeof(a->parts) - total,
	    boundary);
	if (pl == 0)
		return -1;
	add_seg(a, a->parts + total, 0, pl);
	a->reply.content_length = 0;
	for (i = 0; i < a->nseg; i++)
		a->reply.content_length += a->seg[i].len;
	snprintf(a->mtype, sizeof(a->mtype),
	    "multipart/byteranges; boundary=%s", boundary);
	a->reply.content_type = a->mtype;
	a->reply.charset = NULL;
	return 0;
}

/*
 * A regular file: representation selection (gzip), preconditions,
 * then the whole file, one range, or several as multipart/byteranges.
 */
static void
serve_file(struct job *j, const char *path, struct resolve_result *res,
    struct fcache_entry *e)
{
	const struct conf	*conf = j->env->conf;
	const struct request	*req = j->req;
	struct answer		*a = j->a;
	struct reply		*r = &a->reply;
	struct range		 rg[RANGE_MAX];
	const char		*type;
	uint64_t		 size;
	size_t			 n = 0;
	enum range_result	 rr = RANGE_NONE;
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
	use_file(a, e, res);
	if (try_gzip(j, path, res))
		r->content_encoding = "gzip";
	if (conf->gzip_static)
		r->vary = "Accept-Encoding";
	if (a->entry != NULL) {
		r->etag = a->entry->etag;
		r->lastmod = a->entry->lastmod;
	} else {
		fcache_etag(&res->st, a->etag, sizeof(a->etag));
		r->etag = a->etag;
	}
	size = (uint64_t)res->st.st_size;
	r->last_modified = res->st.st_mtime;
	r->content_type = type;
	r->charset = text ? conf->charset : NULL;
	r->accept_ranges = 1;

	switch (cond_evaluate(req, r->etag, res->st.st_mtime)) {
	case COND_NOT_MODIFIED:
		r->status = 304;
		r->content_type = NULL;
		r->charset = NULL;
		return;
	case COND_FAILED:
		serve_error(req, 412, a);
		return;
	case COND_PROCEED:
		break;
	}

	/* RFC 9110 section 14.2: Range is defined for GET only. */
	if (req->range.p != NULL && req->method == REQUEST_METHOD_GET &&
	    cond_if_range(req, r->etag, res->st.st_mtime, *j->env->now))
		rr = range_parse(req->range.p, req->range.len, size, rg, &n);
	if (rr == RANGE_UNSATISFIABLE) {
		range_content_format(a->crange, sizeof(a->crange), NULL,
		    size);
		error_page(req, 416, NULL, a->crange, a);
		return;
	}
	r->has_length = 1;
	if (rr == RANGE_NONE) {
		r->status = 200;
		r->content_length = size;
		if (req->method != REQUEST_METHOD_HEAD)
			add_body(a, 0, (size_t)size);
	} else if (n == 1) {
		r->status = 206;
		range_content_format(a->crange, sizeof(a->crange), &rg[0],
		    size);
		r->content_range = a->crange;
		r->content_length = rg[0].last - rg[0].first + 1;
		add_body(a, (off_t)rg[0].first, (size_t)r->content_length);
	} else {
		r->status = 206;
		if (add_parts(j, rg, n, type, size) == -1)
			serve_error(req, 500, a);
	}
}

static void
serve_listing(struct job *j, const char *path, struct resolve_result *res)
{
	struct answer	*a = j->a;
	struct reply	*r = &a->reply;
	size_t		 len;

	if (autoindex_render(res->fd, path, j->env->conf->dotfiles,
	    &a->listing, &len) == -1) {
		log_warn("%s: cannot list %s", j->peer, path);
		close(res->fd);
		serve_error(j->req, 500, a);
		return;
	}
	close(res->fd);
	r->status = 200;
	r->content_type = "text/html";
	r->charset = "utf-8";
	r->has_length = 1;
	r->content_length = len;
	if (j->req->method != REQUEST_METHOD_HEAD)
		add_seg(a, a->listing, 0, len);
}

/* A directory named without its slash: 301 to "path/" keeping the query. */
static void
redirect(struct job *j, const char *path, long query)
{
	const struct request	*req = j->req;
	struct answer		*a = j->a;
	char			 enc[SERVE_PATH_MAX];
	size_t			 qlen = 0;

	if (uri_encode(path, strlen(path), enc, sizeof(enc), 0) != URI_OK) {
		serve_error(req, 414, a);
		return;
	}
	/* The query passed the request-line check: visible ASCII only. */
	if (query >= 0)
		qlen = req->path.len - (size_t)query;
	/* The Location must fit in the response head with the rest. */
	if ((size_t)snprintf(a->location, sizeof(a->location), "%s/%.*s",
	    enc, (int)qlen, qlen ? req->path.p + query : "") >=
	    sizeof(a->location)) {
		serve_error(req, 414, a);
		return;
	}
	error_page(req, 301, a->location, NULL, a);
}

/* A fixed page for status, with a Location or a Content-Range. */
static void
error_page(const struct request *req, int status, const char *location,
    const char *crange, struct answer *a)
{
	struct reply	*r = &a->reply;
	const char	*body;
	size_t		 blen;

	serve_release(a);
	memset(r, 0, sizeof(*r));
	r->status = status;
	r->content_type = "text/html";
	r->charset = "utf-8";
	r->has_length = 1;
	r->location = location;
	r->content_range = crange;
	if (status == 405)
		r->allow = "GET, HEAD";
	body = reply_error_body(status, &blen);
	r->content_length = blen;
	if (req == NULL || req->method != REQUEST_METHOD_HEAD)
		add_seg(a, body, 0, blen);
}

void
serve_error(const struct request *req, int status, struct answer *a)
{
	error_page(req, status, NULL, NULL, a);
}
