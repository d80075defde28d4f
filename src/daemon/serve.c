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
#include "core/cidr.h"
#include "core/coding.h"
#include "core/cond.h"
#include "core/fieldrule.h"
#include "core/http.h"
#include "core/mime.h"
#include "core/range.h"
#include "core/reply.h"
#include "core/uri.h"
#include "core/util.h"
#include "core/vhost.h"
#include "daemon/auth.h"
#include "daemon/fcache.h"
#include "daemon/log.h"
#include "daemon/serve.h"
#ifdef MINIHTTPD_TEST_HOOKS
#include "daemon/sandbox.h"
#endif

#define SERVE_PATH_MAX	4096

/* One request being decided, and where it landed. */
struct job {
	const struct serve_env		*env;
	const struct request		*req;
	const struct serve_peer		*peer;
	struct answer			*a;
	const struct conf_site		*site;
	const struct conf_location	*loc;
	const struct conf_scope		*sc;	/* the settings that apply */
	const struct sites_scope	*rt;
	const char			*path;	/* normalised */
	long				 query;
	char				 host[VHOST_NAME_MAX + 1];
	size_t				 hostlen;
};

static int	route(struct job *);
static int	rel_path(const struct conf_location *, const char *,
		    const char **);
static void	lookup(struct job *, const char *, int);
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
static void	redirect_to(struct job *, const char *, int);
static void	job_host(struct job *);
static const struct conf_site *site_names(const struct conf *, size_t,
		    const char *, size_t);
static void	fail(struct job *, int);
static int	error_body(struct job *, int);
static void	unauthorized(struct job *);
static void	error_page(const struct request *, int, const char *,
		    const char *, struct answer *);
static void	add_seg(struct answer *, const char *, off_t, size_t);
static int	try_precompressed(struct job *, const char *,
		    struct resolve_result *);

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
	a->log_id = 0;
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
    const struct serve_peer *peer, struct answer *a)
{
	struct job	 j;
	char		 path[SERVE_PATH_MAX];
	struct reply	*r = &a->reply;

	/* Field by field: the host buffer is written only when read. */
	j.env = env;
	j.req = req;
	j.peer = peer;
	j.a = a;
	j.loc = NULL;
	j.path = NULL;
	j.query = -1;
	j.host[0] = '\0';
	j.hostlen = 0;
	serve_init(a);
#ifdef MINIHTTPD_TEST_HOOKS
	if (sandbox_test_hook(req->target.p, req->target.len, a->parts,
	    sizeof(a->parts))) {
		r->status = 200;
		r->content_type = "text/plain";
		r->has_length = 1;
		r->content_length = strlen(a->parts);
		add_seg(a, a->parts, 0, strlen(a->parts));
		return;
	}
#endif
	/*
	 * The site first: even an error is logged in its access log.  An
	 * address without names has one site: no Host to read then.
	 */
	if (peer->addr < env->conf->naddrs &&
	    env->conf->by_addr[peer->addr].names.nexact +
	    env->conf->by_addr[peer->addr].names.nwild > 0)
		job_host(&j);
	j.site = conf_site_find(env->conf, peer->addr, j.host, j.hostlen);
	/*
	 * TLS: SNI chose the site at the handshake; a Host that names
	 * another site of this address is misdirected (RFC 9110 section
	 * 15.5.20), an unknown one stays with the SNI's site.
	 */
	if (peer->sni_site != NULL && j.site != peer->sni_site) {
		if (j.hostlen > 0 && site_names(env->conf, peer->addr, j.host,
		    j.hostlen) != NULL) {
			j.sc = &j.site->s;
			a->log_id = j.site->log_id;
			error_page(req, 421, NULL, NULL, a);
			return;
		}
		j.site = peer->sni_site;
	}
	j.sc = &j.site->s;
	j.rt = sites_scope(env->sites, env->conf, j.site, NULL);
	a->log_id = j.site->log_id;
	/* RFC 9110 section 10.1.1: only 100-continue is understood. */
	if (req->expect_other) {
		fail(&j, 417);
		return;
	}
	switch (req->method) {
	case REQUEST_METHOD_GET:
	case REQUEST_METHOD_HEAD:
		break;
	case REQUEST_METHOD_UNKNOWN:
		fail(&j, 501);
		return;
	default:
		fail(&j, 405);
		return;
	}
	switch (uri_normalize(req->path.p, req->path.len, path,
	    sizeof(path), &j.query)) {
	case URI_OK:
		break;
	case URI_TOO_LONG:
		fail(&j, 414);
		return;
	default:
		fail(&j, 400);
		return;
	}
	j.path = path;
	if (route(&j) == 0)
		lookup(&j, path, 1);
	/* Configured headers go on successes and redirects (section 3a). */
	if (r->status < 400 && j.sc->header_len > 0 && r->fields == NULL) {
		r->fields = j.sc->header_block;
		r->fields_len = j.sc->header_len;
	}
}

/*
 * The rules of the site and of the location the path falls in, in the
 * order an operator expects: deny, allow, auth, then redirects.
 * Returns 0 to go on and look the path up, 1 when the answer is made.
 */
static int
route(struct job *j)
{
	const struct conf_location	*l;

	if (j->site->redirect != NULL) {
		redirect_to(j, j->site->redirect, j->site->status);
		return 1;
	}
	l = j->loc = conf_location_find(j->site, j->path, strlen(j->path));
	if (l == NULL)
		return 0;
	j->sc = &l->s;
	j->rt = sites_scope(j->env->sites, j->env->conf, j->site, l);
	if (l->deny) {
		fail(j, 404);
		return 1;
	}
	if (l->nallow > 0 && (j->peer->sa == NULL ||
	    !cidr_match(l->allow, l->nallow, j->peer->sa))) {
		fail(j, 403);
		return 1;
	}
	if (j->rt->auth != NULL && auth_check(j->rt->auth,
	    j->req->authorization.p, j->req->authorization.len) != AUTH_OK) {
		unauthorized(j);
		return 1;
	}
	if (l->redirect != NULL) {
		redirect_to(j, l->redirect, l->status);
		return 1;
	}
	return 0;
}

/*
 * The path to look up below the location's root: the request path, or
 * with an alias what follows the location's path.  Returns 0, 1 when the
 * alias names a directory without its slash, -1 when the path leaves the
 * location ("/docsx" under "/docs").
 */
static int
rel_path(const struct conf_location *l, const char *path, const char **rel)
{
	size_t	n;

	*rel = path;
	if (l == NULL || l->alias == NULL)
		return 0;
	n = strlen(l->path);
	if (n > 0 && l->path[n - 1] == '/') {
		*rel = path + n - 1;
		return 0;
	}
	if (path[n] == '\0')
		return 1;
	if (path[n] != '/')
		return -1;
	*rel = path + n;
	return 0;
}

/*
 * Looks path up in the current location's root and answers.  first: a
 * missing file may still get the location's fallback.
 */
static void
lookup(struct job *j, const char *path, int first)
{
	struct resolve_result	 res;
	struct fcache_entry	*e;
	const char		*rel;

	switch (rel_path(j->loc, path, &rel)) {
	case 1:
		redirect(j, path, j->query);
		return;
	case -1:
		fail(j, 404);
		return;
	}
	switch (fcache_get(j->env->cache, &j->rt->ropts, rel, &e, &res)) {
	case RESOLVE_FILE:
		serve_file(j, rel, &res, e);
		return;
	case RESOLVE_LISTING:
		serve_listing(j, path, &res);
		return;
	case RESOLVE_REDIRECT:
		redirect(j, path, j->query);
		return;
	case RESOLVE_NOT_FOUND:
		if (first && j->loc != NULL && j->loc->fallback != NULL) {
			/* A single-page app: its entry page, with 200. */
			const char *fb = j->loc->fallback;

			j->loc = conf_location_find(j->site, fb, strlen(fb));
			j->rt = sites_scope(j->env->sites, j->env->conf,
			    j->site, j->loc);
			lookup(j, fb, 0);
			return;
		}
		fail(j, 404);
		return;
	case RESOLVE_FORBIDDEN:
		fail(j, 403);
		return;
	case RESOLVE_ERROR:
		log_warn("%s: cannot open %s", j->peer->name, path);
		fail(j, 500);
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
 * precompressed: switches to FILE.br, FILE.zst or FILE.gz, the best the
 * client accepts of those that exist, pass the same checks and are not
 * older than FILE (a stale variant would serve old content).  Returns
 * the coding's index in the list, or -1 for FILE itself.
 */
static int
try_precompressed(struct job *j, const char *path, struct resolve_result *res)
{
	struct resolve_result	 v;
	struct fcache_entry	*ve;
	char			 p[SERVE_PATH_MAX];
	struct timespec		 orig = res->st.st_mtim;
	const struct timespec	*t = &v.st.st_mtim;
	const struct request	*req = j->req;
	const struct conf_scope	*sc = j->sc;
	unsigned		 try = (1u << sc->nprecompressed) - 1;
	int			 i;

	if (sc->nprecompressed == 0 || req->accept_encoding.p == NULL)
		return -1;
	while ((i = coding_choose(req->accept_encoding.p,
	    req->accept_encoding.len, sc->precompressed, sc->nprecompressed,
	    try)) >= 0) {
		try &= ~(1u << i);
		if ((size_t)snprintf(p, sizeof(p), "%s%s%s", path,
		    res->index ? res->index : "",
		    coding_suffix(sc->precompressed[i])) >= sizeof(p))
			continue;
		if (fcache_get(j->env->cache, &j->rt->ropts, p, &ve, &v) !=
		    RESOLVE_FILE)
			continue;
		if (t->tv_sec < orig.tv_sec || (t->tv_sec == orig.tv_sec &&
		    t->tv_nsec < orig.tv_nsec)) {
			if (ve != NULL)
				fcache_release(ve);
			else
				close(v.fd);
			continue;
		}
		serve_release(j->a);
		use_file(j->a, ve, &v);
		res->st = v.st;
		return i;
	}
	return -1;
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
	const struct conf_scope	*sc = j->sc;
	const struct request	*req = j->req;
	struct answer		*a = j->a;
	struct reply		*r = &a->reply;
	struct range		 rg[RANGE_MAX];
	const char		*type;
	uint64_t		 size;
	size_t			 n = 0;
	enum range_result	 rr = RANGE_NONE;
	int			 text, ci;

	/*
	 * The type depends on the name only: looked up once per entry
	 * (an entry belongs to one location, so one default_type).
	 */
	if (e != NULL && e->type != NULL) {
		type = e->type;
		text = e->text;
	} else {
		type = mime_lookup(&conf->mime, res->index ? res->index :
		    path);
		if (type == NULL)
			type = sc->default_type;
		text = mime_is_text(type);
		if (e != NULL) {
			e->type = type;
			e->text = text;
		}
	}
	use_file(a, e, res);
	if ((ci = try_precompressed(j, path, res)) >= 0)
		r->content_encoding = coding_name(sc->precompressed[ci]);
	if (sc->nprecompressed > 0)
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
	r->charset = text ? sc->charset : NULL;
	r->accept_ranges = 1;

	switch (cond_evaluate(req, r->etag, res->st.st_mtime)) {
	case COND_NOT_MODIFIED:
		r->status = 304;
		r->content_type = NULL;
		r->charset = NULL;
		return;
	case COND_FAILED:
		fail(j, 412);
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
			fail(j, 500);
	}
}

/*
 * A listing: its head, made for this path, then the body the cache
 * keeps for the directory (autoindex.h).  It carries no validator, so
 * no precondition or range applies: the page is made anew when the
 * directory changes.
 */
static void
serve_listing(struct job *j, const char *path, struct resolve_result *res)
{
	struct answer		*a = j->a;
	struct reply		*r = &a->reply;
	struct fcache_entry	*e;
	size_t			 len;

	if (fcache_listing(j->env->cache, &j->rt->ropts, res, &e) == -1) {
		log_warn("%s: cannot list %s", j->peer->name, path);
		fail(j, 500);
		return;
	}
	a->entry = e;
	if (autoindex_head(path, &a->listing, &len) == -1) {
		log_warn("%s: cannot list %s", j->peer->name, path);
		fail(j, 500);
		return;
	}
	r->status = 200;
	r->content_type = "text/html";
	r->charset = "utf-8";
	r->has_length = 1;
	r->content_length = len + e->len;
	if (j->req->method != REQUEST_METHOD_HEAD) {
		add_seg(a, a->listing, 0, len);
		add_seg(a, e->data, 0, e->len);
	}
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

/* The request's Host, canonical, in j->host (once). */
static void
job_host(struct job *j)
{
	if (j->hostlen == 0 && j->req->host.p != NULL)
		j->hostlen = vhost_host_canon(j->req->host.p,
		    j->req->host.len, j->host, sizeof(j->host));
}

/* The site whose names match host on addr (not the default), or NULL. */
static const struct conf_site *
site_names(const struct conf *c, size_t addr, const char *host, size_t len)
{
	int	i;

	if (addr >= c->naddrs ||
	    (i = vhost_names_find(&c->by_addr[addr].names, host, len)) < 0)
		return NULL;
	return &c->sites[i];
}

/* redirect = "...": the template expanded, with its status. */
static void
redirect_to(struct job *j, const char *tmpl, int status)
{
	struct fieldrule_vars	 v;
	const struct request	*req = j->req;
	size_t			 i;

	memset(&v, 0, sizeof(v));
	v.scheme = j->peer->tls ? "https" : "http";
	job_host(j);
	/*
	 * $host is the Host only when one of the site's names matches it;
	 * otherwise the site's first exact name, so that a redirect never
	 * points a client at a host the operator did not list (an open
	 * redirect).  A site without names answers for every name, and
	 * then the Host is one it allows.
	 */
	if (j->hostlen > 0 && (j->site->nnames == 0 ||
	    site_names(j->env->conf, j->peer->addr, j->host, j->hostlen) ==
	    j->site)) {
		v.host = j->host;
		v.hostlen = j->hostlen;
	} else {
		v.host = "localhost";
		for (i = 0; i < j->site->nnames; i++)
			if (j->site->names[i][0] != '*') {
				v.host = j->site->names[i];
				break;
			}
		v.hostlen = strlen(v.host);
	}
	v.request_uri = req->path.p;
	v.request_urilen = req->path.len;
	v.uri = j->path != NULL ? j->path : "/";
	v.urilen = strlen(v.uri);
	if (fieldrule_redirect_expand(tmpl, &v, j->a->location,
	    sizeof(j->a->location)) == 0) {
		fail(j, 414);
		return;
	}
	error_page(req, status, j->a->location, NULL, j->a);
}

/*
 * An error for a request of a known site: the page error_pages names
 * for status, with that status, or the built-in one.
 */
static void
fail(struct job *j, int status)
{
	if (error_body(j, status) == 0)
		return;
	error_page(j->req, status, NULL, NULL, j->a);
}

/*
 * The body of a configured error page.  It is looked up once, in the
 * location its own path falls in, without fallback, auth or another
 * error page, so that it can never loop.  Returns -1 when there is none
 * or it cannot be served.
 */
static int
error_body(struct job *j, int status)
{
	const struct conf_scope		*sc = j->sc;
	const struct conf_location	*l;
	const struct sites_scope	*rt;
	struct resolve_result		 res;
	struct fcache_entry		*e;
	struct answer			*a = j->a;
	struct reply			*r = &a->reply;
	const char			*page = NULL, *rel, *type;
	size_t				 i;

	for (i = 0; i < sc->nerror_pages; i++)
		if (sc->error_pages[i].status == status)
			page = sc->error_pages[i].page;
	if (page == NULL)
		return -1;
	l = conf_location_find(j->site, page, strlen(page));
	rt = sites_scope(j->env->sites, j->env->conf, j->site, l);
	if (rel_path(l, page, &rel) != 0 ||
	    fcache_get(j->env->cache, &rt->ropts, rel, &e, &res) !=
	    RESOLVE_FILE) {
		if (res.kind == RESOLVE_LISTING)
			close(res.fd);
		return -1;
	}
	serve_release(a);
	memset(r, 0, sizeof(*r));
	use_file(a, e, &res);
	type = mime_lookup(&j->env->conf->mime, res.index ? res.index : rel);
	r->status = status;
	r->content_type = type != NULL ? type : "text/html";
	r->charset = mime_is_text(r->content_type) ? sc->charset : NULL;
	r->has_length = 1;
	r->content_length = (uint64_t)res.st.st_size;
	if (status == 405)
		r->allow = "GET, HEAD";
	if (j->req->method != REQUEST_METHOD_HEAD)
		add_body(a, 0, (size_t)res.st.st_size);
	return 0;
}

/* 401 with the realm (RFC 7617). */
static void
unauthorized(struct job *j)
{
	struct answer	*a = j->a;
	int		 n;

	fail(j, 401);
	n = snprintf(a->auth_field, sizeof(a->auth_field),
	    "WWW-Authenticate: Basic realm=\"%s\", charset=\"UTF-8\"\r\n",
	    j->loc->realm);
	if (n > 0 && (size_t)n < sizeof(a->auth_field)) {
		a->reply.fields = a->auth_field;
		a->reply.fields_len = (size_t)n;
	}
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
