/*
 * sites: the open roots, aliases and htpasswd files of a generation (see
 * sites.h).  Equal paths share one fd or one loaded file, so a hundred
 * sites on one root hold one descriptor.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "daemon/sites.h"
#ifdef HAVE_OPENSSL
#include "daemon/tls.h"

#ifdef HAVE_OPENSSL
_Static_assert(CONF_TLS_CERTS_MAX <= TLS_CERTS_MAX,
    "tls.c takes every certificate conf accepts");
#endif
#endif

static int	root_open(struct sites *, const char *, const char *, char *,
		    size_t);
static int	auth_open(struct sites *, const char *, struct auth_file **,
		    char *, size_t);
static int	tls_open(struct sites *, const struct conf *, char *, size_t,
		    char *, size_t);
static void	scope_fill(struct sites_scope *, const struct conf_scope *,
		    const struct sites_root *);

/* The index of path in roots, opened on first use. */
static int
root_open(struct sites *st, const char *path, const char *what, char *err,
    size_t errsz)
{
	size_t	i;
	int	fd;

	for (i = 0; i < st->nroots; i++)
		if (strcmp(st->roots[i].path, path) == 0)
			return (int)i;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	st->roots = xreallocarray(st->roots, st->nroots + 1,
	    sizeof(*st->roots));
	st->roots[st->nroots].path = xstrdup(path);
	st->roots[st->nroots].fd = fd;
	/* Lets absolute symlinks that stay inside the root be followed. */
	st->roots[st->nroots].real = realpath(path, NULL);
	return (int)st->nroots++;
}

static int
auth_open(struct sites *st, const char *path, struct auth_file **out,
    char *err, size_t errsz)
{
	size_t			 i;
	struct auth_file	*f;
	char			 why[512];

	for (i = 0; i < st->nauths; i++)
		if (strcmp(st->auth_paths[i], path) == 0) {
			*out = st->auths[i];
			return 0;
		}
	if ((f = auth_file_load(path, why, sizeof(why))) == NULL) {
		snprintf(err, errsz, "auth %s", why);
		return -1;
	}
	st->auths = xreallocarray(st->auths, st->nauths + 1,
	    sizeof(*st->auths));
	st->auth_paths = xreallocarray(st->auth_paths, st->nauths + 1,
	    sizeof(*st->auth_paths));
	st->auths[st->nauths] = f;
	st->auth_paths[st->nauths++] = xstrdup(path);
	*out = f;
	return 0;
}

static void
scope_fill(struct sites_scope *o, const struct conf_scope *s,
    const struct sites_root *r)
{
	memset(o, 0, sizeof(*o));
	o->ropts.rootfd = r->fd;
	o->ropts.rootpath = r->real;
	o->ropts.symlinks = s->symlinks;
	o->ropts.dotfiles = s->dotfiles;
	o->ropts.index = s->index;
	o->ropts.nindex = s->nindex;
	o->ropts.autoindex = s->autoindex;
}

/*
 * One context per TLS site, and the default context of each TLS
 * address (its default site's).
 */
static int
tls_open(struct sites *st, const struct conf *c, char *err, size_t errsz,
    char *warn, size_t warnsz)
{
#ifdef HAVE_OPENSSL
	const struct conf_site	*s;
	struct tls_opts		 o;
	char			 w[TLS_ERR_MAX];
	size_t			 i, used;
	time_t			 now = time(NULL);

	st->tls = xcalloc(c->nsites, sizeof(*st->tls));
	for (i = 0; i < c->nsites; i++) {
		s = &c->sites[i];
		if (s->tls == NULL)
			continue;
		memset(&o, 0, sizeof(o));
		o.certificates = (const char *const *)s->tls->certificates;
		o.keys = (const char *const *)s->tls->keys;
		o.ncerts = s->tls->ncerts;
		o.min_tls13 = s->tls->min_tls13;
		o.ciphers = s->tls->ciphers;
		o.names = s->names;
		o.nnames = s->nnames;
		w[0] = '\0';
		if ((st->tls[i] = tls_ctx_new(&o, now, err, errsz, w,
		    sizeof(w))) == NULL)
			return -1;
		used = strlen(warn);
		if (w[0] != '\0' && used + 1 < warnsz)
			snprintf(warn + used, warnsz - used, "%s%s",
			    used > 0 ? "\n" : "", w);
	}
	st->naddrs = c->naddrs;
	st->addrs = xcalloc(c->naddrs + 1, sizeof(*st->addrs));
	for (i = 0; i < c->naddrs; i++) {
		st->addrs[i].st = st;
		st->addrs[i].conf = c;
		st->addrs[i].addr = i;
		if (c->by_addr[i].tls && c->by_addr[i].default_site >= 0)
			st->addrs[i].ctx =
			    st->tls[c->by_addr[i].default_site];
	}
	return 0;
#else
	(void)st;
	(void)c;
	(void)err;
	(void)errsz;
	(void)warn;
	(void)warnsz;
	return 0;
#endif
}

struct tls_ctx *
sites_tls_ctx(const struct sites *st, size_t addr)
{
	return st->addrs != NULL && addr < st->naddrs ? st->addrs[addr].ctx :
	    NULL;
}

/* SNI: the site of the name on this address, as Host would choose. */
struct tls_ctx *
sites_tls_select(void *arg, const char *name, const void **site)
{
	const struct sites_addr	*a = arg;
	const struct conf_site	*s;
	size_t			 i;

	s = conf_site_find(a->conf, a->addr, name,
	    name != NULL ? strlen(name) : 0);
	i = (size_t)(s - a->conf->sites);
	*site = s;
	return a->st->tls != NULL ? a->st->tls[i] : NULL;
}

struct sites *
sites_open(const struct conf *c, char *err, size_t errsz, char *warn,
    size_t warnsz)
{
	struct sites			*st = xcalloc(1, sizeof(*st));
	const struct conf_site		*s;
	const struct conf_location	*l;
	size_t				 i, j;
	int				 r, a;

	if (warnsz > 0)
		warn[0] = '\0';
	st->nsites = c->nsites;
	st->site = xcalloc(c->nsites, sizeof(*st->site));
	st->loc = xcalloc(c->nsites, sizeof(*st->loc));
	for (i = 0; i < c->nsites; i++) {
		s = &c->sites[i];
		st->loc[i] = xcalloc(s->nlocs + 1, sizeof(**st->loc));
		/* A site that only redirects reads no files. */
		if (s->redirect != NULL) {
			memset(&st->site[i], 0, sizeof(st->site[i]));
			st->site[i].ropts.rootfd = -1;
			continue;
		}
		if ((r = root_open(st, s->document_root, "document_root", err,
		    errsz)) == -1)
			goto fail;
		scope_fill(&st->site[i], &s->s, &st->roots[r]);
		for (j = 0; j < s->nlocs; j++) {
			l = &s->locs[j];
			a = r;
			if (l->alias != NULL && (a = root_open(st, l->alias,
			    "alias", err, errsz)) == -1)
				goto fail;
			scope_fill(&st->loc[i][j], &l->s, &st->roots[a]);
			if (l->auth != NULL && auth_open(st, l->auth,
			    &st->loc[i][j].auth, err, errsz) == -1)
				goto fail;
		}
	}
	if (tls_open(st, c, err, errsz, warn, warnsz) == -1)
		goto fail;
	return st;
fail:
	sites_close(st);
	return NULL;
}

void
sites_close(struct sites *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nsites; i++)
		free(st->loc[i]);
	free(st->loc);
	free(st->site);
	for (i = 0; i < st->nroots; i++) {
		close(st->roots[i].fd);
		free(st->roots[i].path);
		free(st->roots[i].real);
	}
	free(st->roots);
	for (i = 0; i < st->nauths; i++) {
		auth_file_free(st->auths[i]);
		free(st->auth_paths[i]);
	}
	free(st->auths);
	free(st->auth_paths);
#ifdef HAVE_OPENSSL
	for (i = 0; st->tls != NULL && i < st->nsites; i++)
		if (st->tls[i] != NULL)
			tls_ctx_free(st->tls[i]);
#endif
	free(st->tls);
	free(st->addrs);
	free(st);
}

const struct sites_scope *
sites_scope(const struct sites *st, const struct conf *c,
    const struct conf_site *s, const struct conf_location *l)
{
	size_t	i = (size_t)(s - c->sites);

	if (l == NULL)
		return &st->site[i];
	return &st->loc[i][l - s->locs];
}
