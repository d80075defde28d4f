/*
 * conf_sites: the sites and locations of the configuration (DESIGN
 * section 3a).  Each level starts as a copy of the one above it (top
 * level, site, location) and overrides what it sets; headers and
 * error_pages merge, an inner same-named header or status replacing the
 * outer one.  The tables that choose a site by address and name and a
 * location by path are built here, once, so that a request only
 * searches them.  Part of the conf module: it reads libconfig settings
 * that conf.c's top-level walk leaves to it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fieldrule.h"
#include "core/util.h"
#include "daemon/conf_int.h"

/* The keys of the top level that this file reads. */
static const char *const site_top_keys[] = {
	"sites", "names", "default", "redirect", "status", "headers",
	"error_pages", "locations", "precompressed", "tls", NULL
};

static void	 scope_copy(struct conf_scope *, const struct conf_scope *);
static void	 scope_free(struct conf_scope *);
static int	 scope_key(struct conf_ctx *, config_setting_t *, const char *,
		    const char *, struct conf_scope *);
static void	 scope_finish(struct conf_scope *);
static int	 headers_add(struct conf_ctx *, config_setting_t *,
		    const char *, struct conf_scope *);
static int	 error_pages_add(struct conf_ctx *, config_setting_t *,
		    const char *, struct conf_scope *);
static int	 page_path_bad(const char *);
static int	 redirect_key(struct conf_ctx *, config_setting_t *,
		    const char *, char **, int *);
static int	 site_load(struct conf_ctx *, config_setting_t *, int,
		    struct conf *, struct conf_site *);
static int	 tls_load(struct conf_ctx *, config_setting_t *, const char *,
		    struct conf_site *);
static int	 tls_files(struct conf_ctx *, config_setting_t *, const char *,
		    size_t, char ***, size_t *);
static void	 tls_dump_files(FILE *, const char *, const char *,
		    char *const *, size_t);
static int	 site_key(struct conf_ctx *, config_setting_t *, const char *,
		    const char *, struct conf_site *);
static int	 location_load(struct conf_ctx *, config_setting_t *,
		    const char *, struct conf_site *, struct conf_location *);
static int	 locations_load(struct conf_ctx *, config_setting_t *,
		    const char *, struct conf_site *);
static int	 addrs_build(struct conf_ctx *, config_t *, struct conf *);
static int	 logs_build(struct conf *);
static int	 status_ok(int);
static int	 printable(const char *);
static void	 location_free(struct conf_location *);
static void	 scope_dump(FILE *, const char *, const struct conf_scope *,
		    const struct conf_scope *);

int
conf_sites_key(const char *name)
{
	size_t	i;

	for (i = 0; site_top_keys[i] != NULL; i++)
		if (strcmp(site_top_keys[i], name) == 0)
			return 1;
	return 0;
}

static int
printable(const char *p)
{
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static int
status_ok(int s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

/* A deep copy, so that every level owns what it frees. */
static void
scope_copy(struct conf_scope *d, const struct conf_scope *s)
{
	size_t	i;

	*d = *s;
	d->index = xcalloc(s->nindex + 1, sizeof(char *));
	for (i = 0; i < s->nindex; i++)
		d->index[i] = xstrdup(s->index[i]);
	d->default_type = xstrdup(s->default_type);
	d->charset = xstrdup(s->charset);
	d->headers = xcalloc(s->nheaders + 1, sizeof(char *));
	for (i = 0; i < s->nheaders; i++)
		d->headers[i] = xstrdup(s->headers[i]);
	d->header_block = xstrdup(s->header_block ? s->header_block : "");
	d->error_pages = xcalloc(s->nerror_pages + 1,
	    sizeof(*d->error_pages));
	for (i = 0; i < s->nerror_pages; i++) {
		d->error_pages[i].status = s->error_pages[i].status;
		d->error_pages[i].page = xstrdup(s->error_pages[i].page);
	}
}

static void
scope_free(struct conf_scope *s)
{
	size_t	i;

	conf_free_list(s->index, s->nindex);
	free(s->default_type);
	free(s->charset);
	conf_free_list(s->headers, s->nheaders);
	free(s->header_block);
	for (i = 0; i < s->nerror_pages; i++)
		free(s->error_pages[i].page);
	free(s->error_pages);
	memset(s, 0, sizeof(*s));
}

/*
 * A per-site setting (index, autoindex, ...) at any level.  Returns 1
 * when name is one, 0 when it is not, -1 on a bad value.
 */
static int
scope_key(struct conf_ctx *x, config_setting_t *s, const char *name,
    const char *path, struct conf_scope *sc)
{
	int		 t = config_setting_type(s), v;
	const char	*sv = t == CONFIG_TYPE_STRING ?
			    config_setting_get_string(s) : NULL, *why;
	char		**l;
	size_t		 n, i, j;
	enum coding	 cd;

	if (strcmp(name, "index") == 0) {
		if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
		    (l = conf_strlist(s, &n)) == NULL)
			return conf_fail(x, s, path,
			    "expected a list of strings like [ \"a\", \"b\" ]");
		if ((why = conf_index_bad(l, n)) != NULL) {
			conf_free_list(l, n);
			return conf_fail(x, s, path, "%s", why);
		}
		conf_free_list(sc->index, sc->nindex);
		sc->index = l;
		sc->nindex = n;
	} else if (strcmp(name, "autoindex") == 0 ||
	    strcmp(name, "dotfiles") == 0 ||
	    strcmp(name, "gzip_static") == 0) {
		if (t != CONFIG_TYPE_BOOL)
			return conf_fail(x, s, path, "expected true or false");
		v = config_setting_get_bool(s);
		if (name[0] == 'a')
			sc->autoindex = v;
		else if (name[0] == 'd')
			sc->dotfiles = v;
		else if (!v)
			sc->nprecompressed = 0;
		else if (sc->nprecompressed == 0) {
			sc->precompressed[0] = CODING_GZIP;
			sc->nprecompressed = 1;
		}
	} else if (strcmp(name, "symlinks") == 0) {
		if (sv == NULL || (v = conf_symlinks_parse(sv)) == -1)
			return conf_fail(x, s, path,
			    "expected \"inside\", \"never\" or \"always\"");
		sc->symlinks = (enum resolve_symlinks)v;
	} else if (strcmp(name, "precompressed") == 0) {
		if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
			return conf_fail(x, s, path, "expected a list like "
			    "[ \"br\", \"zstd\", \"gzip\" ]");
		n = (size_t)config_setting_length(s);
		if (n > CODING_MAX)
			return conf_fail(x, s, path, "at most %d codings",
			    CODING_MAX);
		for (i = 0; i < n; i++) {
			sv = config_setting_get_string_elem(s, (int)i);
			if (sv == NULL || coding_parse(sv, &cd) == -1)
				return conf_fail(x, s, path, "\"%s\" is not "
				    "\"br\", \"zstd\" or \"gzip\"",
				    sv ? sv : "?");
			for (j = 0; j < i; j++)
				if (sc->precompressed[j] == cd)
					return conf_fail(x, s, path,
					    "\"%s\" is listed twice", sv);
			sc->precompressed[i] = cd;
		}
		sc->nprecompressed = n;
	} else if (strcmp(name, "default_type") == 0 ||
	    strcmp(name, "charset") == 0) {
		if (sv == NULL)
			return conf_fail(x, s, path, "expected a string");
		why = name[0] == 'd' ? conf_type_bad(sv) :
		    conf_charset_bad(sv);
		if (why != NULL)
			return conf_fail(x, s, path, "%s", why);
		if (name[0] == 'd') {
			free(sc->default_type);
			sc->default_type = xstrdup(sv);
		} else {
			free(sc->charset);
			sc->charset = xstrdup(sv);
		}
	} else if (strcmp(name, "headers") == 0) {
		return headers_add(x, s, path, sc) == -1 ? -1 : 1;
	} else if (strcmp(name, "error_pages") == 0) {
		return error_pages_add(x, s, path, sc) == -1 ? -1 : 1;
	} else
		return 0;
	return 1;
}

/* Preformats the headers of a finished level, once, for every request. */
static void
scope_finish(struct conf_scope *sc)
{
	free(sc->header_block);
	sc->header_block = fieldrule_format((const char *const *)sc->headers,
	    sc->nheaders, &sc->header_len);
}

/* headers = [ "Name: value", ... ]: added to the outer level's. */
static int
headers_add(struct conf_ctx *x, config_setting_t *s, const char *path,
    struct conf_scope *sc)
{
	int		 t = config_setting_type(s);
	char		**l, why[CONF_ERR_MAX];
	const char	*merged[CONF_HEADERS_MAX];
	size_t		 n, i, m;

	if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
	    (l = conf_strlist(s, &n)) == NULL)
		return conf_fail(x, s, path, "expected a list of strings "
		    "like [ \"Cache-Control: no-cache\" ]");
	for (i = 0; i < n; i++)
		if (fieldrule_check(l[i], why, sizeof(why)) == -1) {
			/* Quoted only when short and printable. */
			conf_fail(x, s, path, "\"%s\": %s", printable(l[i]) &&
			    strlen(l[i]) <= 60 ? l[i] : "...", why);
			conf_free_list(l, n);
			return -1;
		}
	m = fieldrule_merge((const char *const *)sc->headers, sc->nheaders,
	    (const char *const *)l, n, merged, CONF_HEADERS_MAX);
	if (m > CONF_HEADERS_MAX) {
		conf_free_list(l, n);
		return conf_fail(x, s, path, "more than %d headers in all",
		    CONF_HEADERS_MAX);
	}
	{
		char	**nl = xcalloc(m + 1, sizeof(char *));

		for (i = 0; i < m; i++)
			nl[i] = xstrdup(merged[i]);
		conf_free_list(sc->headers, sc->nheaders);
		sc->headers = nl;
		sc->nheaders = m;
	}
	conf_free_list(l, n);
	return 0;
}

/* A page or fallback: a path inside the site, without dot segments. */
static int
page_path_bad(const char *p)
{
	return p[0] != '/' || strstr(p, "/../") != NULL ||
	    strstr(p, "/./") != NULL || strstr(p, "//") != NULL ||
	    strpbrk(p, "?#\r\n\t ") != NULL ||
	    (strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0) ||
	    (strlen(p) >= 2 && strcmp(p + strlen(p) - 2, "/.") == 0);
}

/*
 * error_pages = ( { status = [ 404 ]; page = "/404.html"; }, ... ):
 * a status set here replaces the outer level's page for it.
 */
static int
error_pages_add(struct conf_ctx *x, config_setting_t *s, const char *path,
    struct conf_scope *sc)
{
	config_setting_t	*e, *st, *pg, *f;
	const char		*page;
	int			 i, k, code, nst;
	size_t			 j;
	char			 p[160];

	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_fail(x, s, path, "expected a list of groups like "
		    "( { status = [ 404 ]; page = \"/404.html\"; } )");
	for (i = 0; (e = config_setting_get_elem(s, (unsigned)i)) != NULL;
	    i++) {
		snprintf(p, sizeof(p), "%s[%d]", path, i);
		if (config_setting_type(e) != CONFIG_TYPE_GROUP)
			return conf_fail(x, e, p, "expected a group "
			    "{ status = [ 404 ]; page = \"/404.html\"; }");
		for (k = 0; (f = config_setting_get_elem(e, (unsigned)k)) !=
		    NULL; k++)
			if (strcmp(config_setting_name(f), "status") != 0 &&
			    strcmp(config_setting_name(f), "page") != 0)
				return conf_fail(x, f, p, "unknown setting "
				    "\"%s\" (expected status and page)",
				    config_setting_name(f));
		st = config_setting_get_member(e, "status");
		pg = config_setting_get_member(e, "page");
		if (st == NULL || pg == NULL)
			return conf_fail(x, e, p, "needs status and page");
		if ((page = config_setting_get_string(pg)) == NULL ||
		    page_path_bad(page))
			return conf_fail(x, pg, p, "page: expected a path "
			    "inside the site like \"/404.html\"");
		nst = config_setting_type(st) == CONFIG_TYPE_INT ? 1 :
		    config_setting_length(st);
		if (config_setting_type(st) != CONFIG_TYPE_INT &&
		    config_setting_type(st) != CONFIG_TYPE_ARRAY &&
		    config_setting_type(st) != CONFIG_TYPE_LIST)
			return conf_fail(x, st, p, "status: expected a list "
			    "of status codes like [ 404 ]");
		for (k = 0; k < nst; k++) {
			f = config_setting_type(st) == CONFIG_TYPE_INT ? st :
			    config_setting_get_elem(st, (unsigned)k);
			if (config_setting_type(f) != CONFIG_TYPE_INT ||
			    (code = config_setting_get_int(f)) < 400 ||
			    code > 599)
				return conf_fail(x, st, p, "status: error "
				    "pages are for statuses 400 to 599");
			for (j = 0; j < sc->nerror_pages; j++)
				if (sc->error_pages[j].status == code)
					break;
			if (j == sc->nerror_pages) {
				if (j >= CONF_ERROR_PAGES_MAX)
					return conf_fail(x, st, p, "more than "
					    "%d statuses", CONF_ERROR_PAGES_MAX);
				sc->error_pages = xreallocarray(
				    sc->error_pages, j + 1,
				    sizeof(*sc->error_pages));
				sc->nerror_pages++;
			} else
				free(sc->error_pages[j].page);
			sc->error_pages[j].status = code;
			sc->error_pages[j].page = xstrdup(page);
		}
	}
	return 0;
}

/* redirect = "..."; checked now so that expansion cannot fail later. */
static int
redirect_key(struct conf_ctx *x, config_setting_t *s, const char *path,
    char **out, int *status)
{
	const char	*sv = config_setting_get_string(s);
	char		 why[CONF_ERR_MAX];

	if (sv == NULL)
		return conf_fail(x, s, path, "expected a URL or a path");
	if (fieldrule_redirect_check(sv, why, sizeof(why)) == -1)
		return conf_fail(x, s, path, "\"%s\": %s", sv, why);
	free(*out);
	*out = xstrdup(sv);
	if (*status == 0)
		*status = 301;
	return 0;
}

static int
location_load(struct conf_ctx *x, config_setting_t *g, const char *path,
    struct conf_site *site, struct conf_location *l)
{
	config_setting_t	*s;
	const char		*name, *sv;
	char			 p[192], why[CONF_ERR_MAX];
	int			 i, r, t, status = 0;
	size_t			 j, n;

	l->line = config_setting_source_line(g);
	scope_copy(&l->s, &site->s);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return conf_fail(x, g, path, "expected a group "
		    "{ path = \"/assets/\"; ... }");
	if ((s = config_setting_get_member(g, "path")) == NULL ||
	    (sv = config_setting_get_string(s)) == NULL)
		return conf_fail(x, g, path, "needs a path like \"/assets/\"");
	if (sv[0] != '/' || strpbrk(sv, "?#%\r\n\t ") != NULL ||
	    strstr(sv, "/./") || strstr(sv, "/../") || strstr(sv, "//"))
		return conf_fail(x, s, path, "path \"%s\": expected a "
		    "normalised path like \"/assets/\"", sv);
	l->path = xstrdup(sv);
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL;
	    i++) {
		name = config_setting_name(s);
		t = config_setting_type(s);
		sv = t == CONFIG_TYPE_STRING ? config_setting_get_string(s) :
		    NULL;
		snprintf(p, sizeof(p), "%s.%s", path, name);
		if (strcmp(name, "path") == 0)
			continue;
		if ((r = scope_key(x, s, name, p, &l->s)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (strcmp(name, "exact") == 0 || strcmp(name, "deny") == 0) {
			if (t != CONFIG_TYPE_BOOL)
				return conf_fail(x, s, p,
				    "expected true or false");
			if (name[0] == 'e')
				l->exact = config_setting_get_bool(s);
			else
				l->deny = config_setting_get_bool(s);
		} else if (strcmp(name, "alias") == 0) {
			if (sv == NULL || sv[0] != '/')
				return conf_fail(x, s, p,
				    "expected an absolute directory path");
			l->alias = xstrdup(sv);
		} else if (strcmp(name, "redirect") == 0) {
			if (redirect_key(x, s, p, &l->redirect, &status) == -1)
				return -1;
		} else if (strcmp(name, "status") == 0) {
			if (t != CONFIG_TYPE_INT ||
			    !status_ok(config_setting_get_int(s)))
				return conf_fail(x, s, p, "expected 301, 302, "
				    "303, 307 or 308");
			status = config_setting_get_int(s);
		} else if (strcmp(name, "fallback") == 0) {
			if (sv == NULL || page_path_bad(sv))
				return conf_fail(x, s, p, "expected a path "
				    "inside the site like \"/index.html\"");
			l->fallback = xstrdup(sv);
		} else if (strcmp(name, "auth") == 0) {
			if (sv == NULL || sv[0] != '/')
				return conf_fail(x, s, p, "expected the "
				    "absolute path of an htpasswd file");
			l->auth = xstrdup(sv);
		} else if (strcmp(name, "realm") == 0) {
			if (sv == NULL || strlen(sv) > CONF_REALM_MAX ||
			    strpbrk(sv, "\"\\") != NULL)
				return conf_fail(x, s, p, "expected a string "
				    "of at most %d bytes without '\"' or '\\'",
				    CONF_REALM_MAX);
			for (j = 0; sv[j] != '\0'; j++)
				if ((unsigned char)sv[j] < 0x20 ||
				    sv[j] == 0x7f)
					return conf_fail(x, s, p, "control "
					    "characters are not allowed");
			free(l->realm);
			l->realm = xstrdup(sv);
		} else if (strcmp(name, "allow") == 0) {
			if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
			    (n = (size_t)config_setting_length(s)) == 0 ||
			    n > CONF_ALLOW_MAX)
				return conf_fail(x, s, p, "expected a list of "
				    "1 to %d addresses or prefixes like "
				    "[ \"10.0.0.0/8\", \"::1\" ]",
				    CONF_ALLOW_MAX);
			free(l->allow);
			l->allow = xcalloc(n, sizeof(*l->allow));
			l->nallow = n;
			for (j = 0; j < n; j++) {
				sv = config_setting_get_string_elem(s, (int)j);
				if (sv == NULL)
					return conf_fail(x, s, p, "every "
					    "element must be a string");
				if (cidr_parse(sv, &l->allow[j], why,
				    sizeof(why)) == -1)
					return conf_fail(x, s, p, "\"%s\": %s",
					    sv, why);
			}
		} else
			return conf_fail(x, s, p, "unknown setting (a "
			    "location takes path, exact, alias, redirect, "
			    "status, fallback, headers, error_pages, auth, "
			    "realm, allow, deny, index, autoindex, dotfiles, "
			    "symlinks, precompressed, default_type, charset)");
	}
	if (status != 0 && l->redirect == NULL)
		return conf_fail(x, g, path, "status is for a redirect: "
		    "add redirect or remove status");
	l->status = status;
	if (l->realm != NULL && l->auth == NULL)
		return conf_fail(x, g, path, "realm needs auth");
	if (l->auth != NULL && l->realm == NULL)
		l->realm = xstrdup("restricted");
	if (l->alias != NULL && l->redirect != NULL)
		return conf_fail(x, g, path, "alias and redirect: a location "
		    "either serves files or redirects");
	scope_finish(&l->s);
	return 0;
}

static int
locations_load(struct conf_ctx *x, config_setting_t *s, const char *path,
    struct conf_site *site)
{
	config_setting_t	*e;
	struct vhost_loc	*in;
	size_t			 n, i, a, b;
	char			 p[160];

	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_fail(x, s, path, "expected a list of groups like "
		    "( { path = \"/assets/\"; ... } )");
	n = (size_t)config_setting_length(s);
	if (n > CONF_LOCATIONS_MAX)
		return conf_fail(x, s, path, "more than %d locations",
		    CONF_LOCATIONS_MAX);
	site->locs = xcalloc(n + 1, sizeof(*site->locs));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned)i);
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		site->nlocs = i + 1;
		if (location_load(x, e, p, site, &site->locs[i]) == -1)
			return -1;
	}
	in = xcalloc(n + 1, sizeof(*in));
	for (i = 0; i < n; i++) {
		in[i].path = site->locs[i].path;
		in[i].exact = site->locs[i].exact;
		in[i].id = (int)i;
	}
	if (vhost_locs_build(&site->loctab, in, n, &a, &b) == -1) {
		free(in);
		return conf_fail(x, config_setting_get_elem(s, (unsigned)b),
		    path, "path \"%s\"%s is also the location at line %u",
		    site->locs[b].path, site->locs[b].exact ? " (exact)" : "",
		    site->locs[a].line);
	}
	free(in);
	return 0;
}

/*
 * tls = { certificate = "..."; key = "..."; protocols = "TLSv1.2";
 * ciphers = ""; }, where certificate and key may also be lists of the
 * same length (one certificate per type of key: ECDSA and RSA).  The
 * files are read, and checked, when the master prepares a generation
 * (sites.c, tls.c).
 */
static int
tls_load(struct conf_ctx *x, config_setting_t *g, const char *path,
    struct conf_site *site)
{
	config_setting_t	*s, *cert = NULL, *key = NULL;
	const char		*name, *sv;
	char			 p[128];
	struct conf_tls		*t;
	int			 i;

#ifndef HAVE_OPENSSL
	return conf_fail(x, g, path, "this minihttpd was built without "
	    "OpenSSL (./configure --without-openssl): it cannot serve HTTPS");
#endif
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return conf_fail(x, g, path, "expected a group { certificate "
		    "= \"...\"; key = \"...\"; }");
	t = site->tls = xcalloc(1, sizeof(*site->tls));
	t->line = config_setting_source_line(g);
	t->ciphers = xstrdup("");
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL;
	    i++) {
		name = config_setting_name(s);
		snprintf(p, sizeof(p), "%s.%s", path, name);
		if (strcmp(name, "certificate") == 0) {
			cert = s;
			continue;
		}
		if (strcmp(name, "key") == 0) {
			key = s;
			continue;
		}
		if ((sv = config_setting_get_string(s)) == NULL)
			return conf_fail(x, s, p, "expected a string");
		if (strcmp(name, "protocols") == 0) {
			if (strcmp(sv, "TLSv1.2") != 0 &&
			    strcmp(sv, "TLSv1.3") != 0)
				return conf_fail(x, s, p, "expected "
				    "\"TLSv1.2\" or \"TLSv1.3\" (the lowest "
				    "version accepted)");
			t->min_tls13 = sv[6] == '3';
		} else if (strcmp(name, "ciphers") == 0) {
			if (strpbrk(sv, " \t\r\n\"") != NULL)
				return conf_fail(x, s, p, "expected OpenSSL "
				    "cipher names separated by ':'");
			free(t->ciphers);
			t->ciphers = xstrdup(sv);
		} else
			return conf_fail(x, s, p, "unknown setting (tls takes "
			    "certificate, key, protocols and ciphers)");
	}
	if (cert == NULL || key == NULL)
		return conf_fail(x, g, path, "needs certificate and key");
	snprintf(p, sizeof(p), "%s.certificate", path);
	if (tls_files(x, cert, p, 0, &t->certificates, &t->ncerts) == -1)
		return -1;
	snprintf(p, sizeof(p), "%s.key", path);
	return tls_files(x, key, p, t->ncerts, &t->keys, &t->ncerts);
}

/*
 * A string, or a list of 1 to CONF_TLS_CERTS_MAX strings (want of them
 * unless want is 0): absolute paths.  *l is only set with *n.
 */
static int
tls_files(struct conf_ctx *x, config_setting_t *s, const char *path,
    size_t want, char ***l, size_t *n)
{
	const char	*sv;
	size_t		 i;
	int		 len = config_setting_length(s);

	if (want != 0 && (size_t)(len == 0 ? 1 : len) != want)
		return conf_fail(x, s, path, "expected as many keys as "
		    "certificates, in the same order");
	if ((sv = config_setting_get_string(s)) != NULL) {
		*l = xcalloc(2, sizeof(char *));
		(*l)[0] = xstrdup(sv);
		*n = 1;
	} else if (config_setting_is_array(s) || config_setting_is_list(s)) {
		if (len < 1 || len > CONF_TLS_CERTS_MAX)
			return conf_fail(x, s, path, "expected a path, or a "
			    "list of 1 to 4 paths (one per type of key)");
		if ((*l = conf_strlist(s, n)) == NULL)
			return conf_fail(x, s, path, "expected a list of "
			    "strings");
	} else
		return conf_fail(x, s, path, "expected a string or a list "
		    "of strings");
	for (i = 0; i < *n; i++)
		if ((*l)[i][0] != '/')
			return conf_fail(x, s, path,
			    "expected an absolute path");
	return 0;
}

/* A file as a string, several as a list. */
static void
tls_dump_files(FILE *fp, const char *ind, const char *key, char *const *l,
    size_t n)
{
	size_t	i;

	if (n == 1) {
		fprintf(fp, "%s  ", ind);
		conf_dump_str(fp, "", key, l[0]);
		return;
	}
	fprintf(fp, "%s  %s = [ ", ind, key);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ", " : "", fp);
		conf_dump_quoted(fp, l[i]);
	}
	fputs(" ];\n", fp);
}

/* A site-only setting; returns 1 when name is one. */
static int
site_key(struct conf_ctx *x, config_setting_t *s, const char *name,
    const char *p, struct conf_site *site)
{
	int		 t = config_setting_type(s);
	const char	*sv = t == CONFIG_TYPE_STRING ?
			    config_setting_get_string(s) : NULL;
	char		 why[CONF_ERR_MAX];
	size_t		 i;

	if (strcmp(name, "names") == 0) {
		if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
		    (site->names = conf_strlist(s, &site->nnames)) == NULL)
			return conf_fail(x, s, p, "expected a list of names "
			    "like [ \"example.com\", \"*.example.org\" ]");
		for (i = 0; i < site->nnames; i++)
			if (vhost_name_check(site->names[i], why,
			    sizeof(why)) == -1)
				return conf_fail(x, s, p, "\"%s\": %s",
				    site->names[i], why);
	} else if (strcmp(name, "listen") == 0) {
		if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) ||
		    (site->listen = conf_strlist(s, &site->nlisten)) == NULL ||
		    site->nlisten == 0)
			return conf_fail(x, s, p, "expected a list of "
			    "addresses like [ \"0.0.0.0:80\" ]");
	} else if (strcmp(name, "default") == 0) {
		if (t != CONFIG_TYPE_BOOL)
			return conf_fail(x, s, p, "expected true or false");
		site->is_default = config_setting_get_bool(s);
	} else if (strcmp(name, "document_root") == 0 ||
	    strcmp(name, "access_log") == 0) {
		if (sv == NULL)
			return conf_fail(x, s, p, "expected a string");
		if (name[0] == 'd' && sv[0] != '/')
			return conf_fail(x, s, p, "expected an absolute path");
		if (name[0] == 'a' && sv[0] != '\0' && strcmp(sv, "-") != 0 &&
		    sv[0] != '/')
			return conf_fail(x, s, p,
			    "expected \"\", \"-\" or an absolute path");
		if (name[0] == 'd') {
			free(site->document_root);
			site->document_root = xstrdup(sv);
		} else {
			free(site->access_log);
			site->access_log = xstrdup(sv);
		}
	} else if (strcmp(name, "redirect") == 0) {
		return redirect_key(x, s, p, &site->redirect,
		    &site->status) == -1 ? -1 : 1;
	} else if (strcmp(name, "status") == 0) {
		if (t != CONFIG_TYPE_INT || !status_ok(config_setting_get_int(s)))
			return conf_fail(x, s, p,
			    "expected 301, 302, 303, 307 or 308");
		site->status = config_setting_get_int(s);
	} else if (strcmp(name, "tls") == 0) {
		return tls_load(x, s, p, site) == -1 ? -1 : 1;
	} else
		return 0;
	return 1;
}

/*
 * One site: the group of a "sites" entry, or (top = 1) the top level
 * itself when there is no "sites", where conf.c has read every key but
 * the site's own.
 */
static int
site_load(struct conf_ctx *x, config_setting_t *g, int top, struct conf *c,
    struct conf_site *site)
{
	config_setting_t	*s, *locs = NULL;
	const char		*name;
	char			 p[96], path[64];
	int			 i, r;

	site->line = config_setting_source_line(g);
	scope_copy(&site->s, &c->top);
	site->document_root = xstrdup(c->document_root);
	snprintf(path, sizeof(path), top ? "" : "sites[%zu]", c->nsites - 1);
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL;
	    i++) {
		name = config_setting_name(s);
		snprintf(p, sizeof(p), "%s%s%s", path, top ? "" : ".", name);
		if (top && !conf_sites_key(name))
			continue;
		if (strcmp(name, "locations") == 0) {
			locs = s;
			continue;
		}
		if (top && strcmp(name, "sites") == 0)
			continue;
		/* The top level's headers and so on are in c->top. */
		if (!top && (r = scope_key(x, s, name, p, &site->s)) != 0) {
			if (r == -1)
				return -1;
			continue;
		}
		if (top && (strcmp(name, "headers") == 0 ||
		    strcmp(name, "error_pages") == 0 ||
		    strcmp(name, "precompressed") == 0))
			continue;
		if ((r = site_key(x, s, name, p, site)) == -1)
			return -1;
		if (r == 0)
			return conf_fail(x, s, p, "unknown setting");
	}
	if (site->status != 0 && site->redirect == NULL)
		return conf_fail(x, g, path[0] ? path : "status",
		    "status is for a redirect: add redirect or remove status");
	if (site->status == 0 && site->redirect != NULL)
		site->status = 301;
	if (site->listen == NULL) {
		site->listen = xcalloc(c->nlisten + 1, sizeof(char *));
		for (site->nlisten = 0; site->nlisten < c->nlisten;
		    site->nlisten++)
			site->listen[site->nlisten] =
			    xstrdup(c->listen[site->nlisten]);
	}
	if (site->access_log == NULL)
		site->access_log = xstrdup(c->access_log);
	scope_finish(&site->s);
	if (locs != NULL && locations_load(x, locs,
	    top ? "locations" : (snprintf(p, sizeof(p), "%s.locations",
	    path), p), site) == -1)
		return -1;
	if (locs == NULL && vhost_locs_build(&site->loctab, NULL, 0, NULL,
	    NULL) == -1)
		return -1;
	return 0;
}

/*
 * Every address any site listens on, the sites of each (names and the
 * default) and the conflicts -t must name: a name claimed twice on one
 * address, two defaults on one address.
 */
static int
addrs_build(struct conf_ctx *x, config_t *cfg, struct conf *c)
{
	struct listen_addr	 la;
	struct vhost_name	*in;
	size_t			 i, j, k, n, a, b, *owner;
	char			 why[CONF_ERR_MAX];
	config_setting_t	*ss = config_lookup(cfg, "sites");

#define SITE_AT(i)	(ss ? config_setting_get_elem(ss, (unsigned)(i)) : \
			    config_lookup(cfg, "listen"))
	free(c->addrs);
	c->addrs = NULL;
	c->naddrs = 0;
	for (i = 0; i < c->nsites; i++) {
		struct conf_site *s = &c->sites[i];

		s->addr = xcalloc(s->nlisten + 1, sizeof(size_t));
		for (j = 0; j < s->nlisten; j++) {
			if (listen_parse(s->listen[j], &la, why,
			    sizeof(why)) == -1)
				return conf_fail(x, SITE_AT(i), "listen",
				    "\"%s\": %s", s->listen[j], why);
			for (k = 0; k < c->naddrs; k++)
				if (listen_same(&c->addrs[k], &la))
					break;
			for (a = 0; a < j; a++)
				if (s->addr[a] == k && k < c->naddrs)
					return conf_fail(x, SITE_AT(i),
					    "listen", "\"%s\" is listed twice",
					    s->listen[j]);
			if (k == c->naddrs) {
				c->addrs = xreallocarray(c->addrs,
				    c->naddrs + 1, sizeof(*c->addrs));
				c->addrs[c->naddrs++] = la;
			}
			s->addr[j] = k;
		}
	}
	c->by_addr = xcalloc(c->naddrs, sizeof(*c->by_addr));
	for (k = 0; k < c->naddrs; k++) {
		c->by_addr[k].default_site = -1;
		n = 0;
		for (i = 0; i < c->nsites; i++)
			for (j = 0; j < c->sites[i].nlisten; j++)
				if (c->sites[i].addr[j] == k)
					n += c->sites[i].nnames;
		in = xcalloc(n + 1, sizeof(*in));
		owner = xcalloc(n + 1, sizeof(*owner));
		n = 0;
		for (i = 0; i < c->nsites; i++)
			for (j = 0; j < c->sites[i].nlisten; j++) {
				if (c->sites[i].addr[j] != k)
					continue;
				if (c->sites[i].is_default &&
				    c->by_addr[k].default_site != -1) {
					a = (size_t)c->by_addr[k].default_site;
					free(in);
					free(owner);
					return conf_fail(x, SITE_AT(i), "default",
					    "the site at line %u is already "
					    "the default of %s",
					    c->sites[a].line, c->addrs[k].text);
				}
				if (c->sites[i].is_default)
					c->by_addr[k].default_site = (int)i;
				for (a = 0; a < c->sites[i].nnames; a++) {
					in[n].name = c->sites[i].names[a];
					in[n].site = (int)i;
					owner[n++] = i;
				}
			}
		if (vhost_names_build(&c->by_addr[k].names, in, n, &a,
		    &b) == -1) {
			const char *dup = in[b].name;

			i = owner[b];
			j = owner[a];
			free(in);
			free(owner);
			return conf_fail(x, SITE_AT(i), "names", "\"%s\" on %s "
			    "is also a name of the site at line %u", dup,
			    c->addrs[k].text, c->sites[j].line);
		}
		free(in);
		free(owner);
	}
	/* A plain and a TLS site cannot share an address. */
	for (k = 0; k < c->naddrs; k++) {
		a = c->nsites;
		for (i = 0; i < c->nsites; i++)
			for (j = 0; j < c->sites[i].nlisten; j++) {
				if (c->sites[i].addr[j] != k)
					continue;
				if (a == c->nsites) {
					a = i;
					c->by_addr[k].tls =
					    c->sites[i].tls != NULL;
				} else if ((c->sites[i].tls != NULL) !=
				    c->by_addr[k].tls)
					return conf_fail(x, SITE_AT(i), "tls",
					    "%s is a %s address of the site at "
					    "line %u: a plain and a TLS site "
					    "cannot share it", c->addrs[k].text,
					    c->by_addr[k].tls ? "TLS" : "plain",
					    c->sites[a].line);
			}
	}
	/* The first site listed on an address is its default. */
	for (k = 0; k < c->naddrs; k++)
		for (i = 0; c->by_addr[k].default_site == -1 &&
		    i < c->nsites; i++)
			for (j = 0; j < c->sites[i].nlisten; j++)
				if (c->sites[i].addr[j] == k)
					c->by_addr[k].default_site = (int)i;
#undef SITE_AT
	return 0;
}

/* log_id 0 is the top-level access_log; equal paths share an id. */
static int
logs_build(struct conf *c)
{
	size_t	i, k;

	c->access_logs = xcalloc(c->nsites + 2, sizeof(char *));
	c->access_logs[0] = xstrdup(c->access_log);
	c->naccess_logs = 1;
	for (i = 0; i < c->nsites; i++) {
		for (k = 0; k < c->naccess_logs; k++)
			if (strcmp(c->access_logs[k],
			    c->sites[i].access_log) == 0)
				break;
		if (k == c->naccess_logs)
			c->access_logs[c->naccess_logs++] =
			    xstrdup(c->sites[i].access_log);
		c->sites[i].log_id = k;
	}
	return 0;
}

int
conf_sites_load(struct conf_ctx *x, config_t *cfg, struct conf *c)
{
	config_setting_t	*root = config_root_setting(cfg), *s, *e;
	const char		*name;
	int			 i;
	size_t			 n;

	/* The top level's serving settings, then its headers and so on. */
	memset(&c->top, 0, sizeof(c->top));
	c->top.index = xcalloc(c->nindex + 1, sizeof(char *));
	for (n = 0; n < c->nindex; n++)
		c->top.index[n] = xstrdup(c->index[n]);
	c->top.nindex = c->nindex;
	c->top.autoindex = c->autoindex;
	c->top.dotfiles = c->dotfiles;
	c->top.symlinks = c->symlinks;
	c->top.default_type = xstrdup(c->default_type);
	c->top.charset = xstrdup(c->charset);
	c->top.headers = xcalloc(1, sizeof(char *));
	c->top.error_pages = xcalloc(1, sizeof(*c->top.error_pages));
	if (c->gzip_static) {
		c->top.precompressed[0] = CODING_GZIP;
		c->top.nprecompressed = 1;
	}
	for (i = 0; (s = config_setting_get_elem(root, (unsigned)i)) != NULL;
	    i++) {
		name = config_setting_name(s);
		if (strcmp(name, "headers") != 0 &&
		    strcmp(name, "error_pages") != 0 &&
		    strcmp(name, "precompressed") != 0)
			continue;
		/* gzip_static set the default above; precompressed wins. */
		if (scope_key(x, s, name, name, &c->top) == -1)
			return -1;
	}
	scope_finish(&c->top);

	if ((s = config_lookup(cfg, "sites")) == NULL) {
		c->sites = xcalloc(1, sizeof(*c->sites));
		c->nsites = 1;
		if (site_load(x, root, 1, c, &c->sites[0]) == -1)
			return -1;
	} else {
		c->explicit_sites = 1;
		for (i = 0; (e = config_setting_get_elem(root,
		    (unsigned)i)) != NULL; i++) {
			name = config_setting_name(e);
			if (strcmp(name, "names") == 0 ||
			    strcmp(name, "locations") == 0 ||
			    strcmp(name, "redirect") == 0 ||
			    strcmp(name, "status") == 0 ||
			    strcmp(name, "default") == 0 ||
			    strcmp(name, "tls") == 0)
				return conf_fail(x, e, name, "belongs to a "
				    "site when there are sites: move it into "
				    "an entry of sites");
		}
		if (config_setting_type(s) != CONFIG_TYPE_LIST ||
		    (n = (size_t)config_setting_length(s)) == 0)
			return conf_fail(x, s, "sites", "expected a list of "
			    "groups like ( { names = [ \"example.com\" ]; } )");
		if (n > CONF_SITES_MAX)
			return conf_fail(x, s, "sites", "more than %d sites",
			    CONF_SITES_MAX);
		c->sites = xcalloc(n, sizeof(*c->sites));
		for (i = 0; (size_t)i < n; i++) {
			e = config_setting_get_elem(s, (unsigned)i);
			c->nsites = (size_t)i + 1;
			if (config_setting_type(e) != CONFIG_TYPE_GROUP)
				return conf_fail(x, e, "sites", "expected a "
				    "group { names = [ ... ]; ... }");
			if (site_load(x, e, 0, c, &c->sites[i]) == -1)
				return -1;
		}
	}
	if (addrs_build(x, cfg, c) == -1)
		return -1;
	return logs_build(c);
}

const struct conf_site *
conf_site_find(const struct conf *c, size_t addr, const char *host,
    size_t len)
{
	const struct conf_addr_sites	*a;
	int				 i = -1;

	if (addr >= c->naddrs)
		return &c->sites[0];
	a = &c->by_addr[addr];
	if (host != NULL && len > 0)
		i = vhost_names_find(&a->names, host, len);
	if (i < 0)
		i = a->default_site;
	return &c->sites[i < 0 ? 0 : i];
}

const struct conf_location *
conf_location_find(const struct conf_site *s, const char *path, size_t len)
{
	int	i;

	if (s->nlocs == 0)
		return NULL;
	i = vhost_locs_find(&s->loctab, path, len);
	return i < 0 ? NULL : &s->locs[i];
}

static void
location_free(struct conf_location *l)
{
	scope_free(&l->s);
	free(l->path);
	free(l->alias);
	free(l->redirect);
	free(l->fallback);
	free(l->auth);
	free(l->realm);
	free(l->allow);
}

void
conf_sites_free(struct conf *c)
{
	size_t	i, j;

	for (i = 0; i < c->nsites; i++) {
		struct conf_site *s = &c->sites[i];

		conf_free_list(s->names, s->nnames);
		conf_free_list(s->listen, s->nlisten);
		free(s->addr);
		free(s->document_root);
		free(s->access_log);
		free(s->redirect);
		scope_free(&s->s);
		for (j = 0; j < s->nlocs; j++)
			location_free(&s->locs[j]);
		free(s->locs);
		vhost_locs_free(&s->loctab);
		if (s->tls != NULL) {
			conf_free_list(s->tls->certificates,
			    s->tls->ncerts);
			conf_free_list(s->tls->keys, s->tls->ncerts);
			free(s->tls->ciphers);
			free(s->tls);
		}
	}
	free(c->sites);
	for (i = 0; c->by_addr != NULL && i < c->naddrs; i++)
		vhost_names_free(&c->by_addr[i].names);
	free(c->by_addr);
	conf_free_list(c->access_logs, c->naccess_logs);
	scope_free(&c->top);
}

/* The settings of a level that differ from the level above it. */
static void
scope_dump(FILE *fp, const char *ind, const struct conf_scope *s,
    const struct conf_scope *up)
{
	size_t	i;

	if (up == NULL || s->nindex != up->nindex || (s->nindex > 0 &&
	    strcmp(s->index[0], up->index[0]) != 0)) {
		fprintf(fp, "%sindex = [ ", ind);
		for (i = 0; i < s->nindex; i++)
			fprintf(fp, "%s\"%s\"", i ? ", " : "", s->index[i]);
		fputs(" ];\n", fp);
	}
	if (up == NULL || s->autoindex != up->autoindex)
		fprintf(fp, "%sautoindex = %s;\n", ind,
		    s->autoindex ? "true" : "false");
	if (up == NULL || s->dotfiles != up->dotfiles)
		fprintf(fp, "%sdotfiles = %s;\n", ind,
		    s->dotfiles ? "true" : "false");
	if (up == NULL || s->symlinks != up->symlinks)
		conf_dump_str(fp, ind, "symlinks", conf_symlinks_str(s->symlinks));
	if (up == NULL || s->nprecompressed != up->nprecompressed ||
	    memcmp(s->precompressed, up->precompressed,
	    s->nprecompressed * sizeof(s->precompressed[0])) != 0) {
		fprintf(fp, "%sprecompressed = [ ", ind);
		for (i = 0; i < s->nprecompressed; i++)
			fprintf(fp, "%s\"%s\"", i ? ", " : "",
			    coding_name(s->precompressed[i]));
		fputs(" ];\n", fp);
	}
	if (up == NULL || strcmp(s->default_type, up->default_type) != 0)
		conf_dump_str(fp, ind, "default_type", s->default_type);
	if (up == NULL || strcmp(s->charset, up->charset) != 0)
		conf_dump_str(fp, ind, "charset", s->charset);
	if (s->nheaders > 0) {
		fprintf(fp, "%sheaders = [\n", ind);
		for (i = 0; i < s->nheaders; i++) {
			fprintf(fp, "%s  ", ind);
			conf_dump_quoted(fp, s->headers[i]);
			fputs(i + 1 < s->nheaders ? ",\n" : "\n", fp);
		}
		fprintf(fp, "%s];\n", ind);
	}
	if (s->nerror_pages > 0) {
		fprintf(fp, "%serror_pages = (", ind);
		for (i = 0; i < s->nerror_pages; i++)
			fprintf(fp, "%s\n%s  { status = [ %d ]; page = \"%s\"; }",
			    i ? "," : "", ind, s->error_pages[i].status,
			    s->error_pages[i].page);
		fprintf(fp, "\n%s);\n", ind);
	}
}

void
conf_sites_dump(const struct conf *c, FILE *fp)
{
	size_t				 i, j, k;
	const struct conf_site		*s;
	const struct conf_location	*l;
	char				 buf[CIDR_STR_MAX];

	(void)k;
	fprintf(fp, "precompressed = [ ");
	for (i = 0; i < c->top.nprecompressed; i++)
		fprintf(fp, "%s\"%s\"", i ? ", " : "",
		    coding_name(c->top.precompressed[i]));
	fputs(" ];\n", fp);
	if (!c->explicit_sites)
		scope_dump(fp, "", &c->sites[0].s, &c->sites[0].s);
	else
		scope_dump(fp, "", &c->top, &c->top);
	if (c->explicit_sites)
		fputs("sites = (\n", fp);
	for (i = 0; i < c->nsites; i++) {
		const char *ind = c->explicit_sites ? "    " : "";

		s = &c->sites[i];
		if (c->explicit_sites) {
			fprintf(fp, "%s  {\n", i ? ",\n" : "");
			fprintf(fp, "%snames = [ ", ind);
			for (j = 0; j < s->nnames; j++)
				fprintf(fp, "%s\"%s\"", j ? ", " : "",
				    s->names[j]);
			fprintf(fp, " ];\n%slisten = [ ", ind);
			for (j = 0; j < s->nlisten; j++)
				fprintf(fp, "%s\"%s\"", j ? ", " : "",
				    s->listen[j]);
			fprintf(fp, " ];\n%sdefault = %s;\n", ind,
			    s->is_default ? "true" : "false");
			conf_dump_str(fp, ind, "document_root",
			    s->document_root);
			conf_dump_str(fp, ind, "access_log", s->access_log);
			scope_dump(fp, ind, &s->s, &c->top);
		} else if (s->nnames > 0) {
			fputs("names = [ ", fp);
			for (j = 0; j < s->nnames; j++)
				fprintf(fp, "%s\"%s\"", j ? ", " : "",
				    s->names[j]);
			fputs(" ];\n", fp);
		}
		if (s->tls != NULL) {
			fprintf(fp, "%stls = {\n", ind);
			tls_dump_files(fp, ind, "certificate",
			    s->tls->certificates, s->tls->ncerts);
			tls_dump_files(fp, ind, "key", s->tls->keys,
			    s->tls->ncerts);
			fprintf(fp, "%s  protocols = \"%s\";\n", ind,
			    s->tls->min_tls13 ? "TLSv1.3" : "TLSv1.2");
			fprintf(fp, "%s  ", ind);
			conf_dump_str(fp, "", "ciphers", s->tls->ciphers);
			fprintf(fp, "%s};\n", ind);
		}
		if (s->redirect != NULL) {
			conf_dump_str(fp, ind, "redirect", s->redirect);
			fprintf(fp, "%sstatus = %d;\n", ind, s->status);
		}
		if (s->nlocs > 0)
			fprintf(fp, "%slocations = (\n", ind);
		for (j = 0; j < s->nlocs; j++) {
			char li[16];

			l = &s->locs[j];
			snprintf(li, sizeof(li), "%s    ", ind);
			fprintf(fp, "%s  {\n", ind);
			conf_dump_str(fp, li, "path", l->path);
			if (l->exact)
				fprintf(fp, "%sexact = true;\n", li);
			if (l->alias)
				conf_dump_str(fp, li, "alias", l->alias);
			if (l->redirect) {
				conf_dump_str(fp, li, "redirect", l->redirect);
				fprintf(fp, "%sstatus = %d;\n", li, l->status);
			}
			if (l->fallback)
				conf_dump_str(fp, li, "fallback", l->fallback);
			if (l->auth) {
				conf_dump_str(fp, li, "auth", l->auth);
				conf_dump_str(fp, li, "realm", l->realm);
			}
			if (l->nallow > 0) {
				fprintf(fp, "%sallow = [ ", li);
				for (k = 0; k < l->nallow; k++) {
					cidr_format(&l->allow[k], buf,
					    sizeof(buf));
					fprintf(fp, "%s\"%s\"", k ? ", " : "",
					    buf);
				}
				fputs(" ];\n", fp);
			}
			if (l->deny)
				fprintf(fp, "%sdeny = true;\n", li);
			scope_dump(fp, li, &l->s, &s->s);
			fprintf(fp, "%s  }%s\n", ind,
			    j + 1 < s->nlocs ? "," : "");
		}
		if (s->nlocs > 0)
			fprintf(fp, "%s);\n", ind);
		if (c->explicit_sites)
			fputs("  }", fp);
	}
	if (c->explicit_sites)
		fputs("\n);\n", fp);
}
