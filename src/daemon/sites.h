/*
 * sites: what the sites of a generation need beyond their configuration,
 * opened by the master before it drops privileges and inherited by the
 * workers: a directory fd (and its real path) for every document root
 * and alias, the lookup options of every site and location, and the
 * htpasswd files.  Opening fails as a whole, naming what could not be
 * opened, so that a reload with a bad site keeps the running generation.
 */
#ifndef MINIHTTPD_SITES_H
#define MINIHTTPD_SITES_H

#include <stddef.h>

#include "core/resolve.h"
#include "daemon/auth.h"
#include "daemon/conf.h"

/* How one site, or one of its locations, reaches its files. */
struct sites_scope {
	struct resolve_opts	 ropts;
	struct auth_file	*auth;		/* NULL: no auth */
};

struct sites_root {
	char	*path;		/* as configured */
	char	*real;		/* realpath, or NULL */
	int	 fd;
};

struct tls_ctx;

/* A TLS address: what the SNI callback of its connections needs. */
struct sites_addr {
	const struct sites	*st;
	const struct conf	*conf;
	size_t			 addr;
	struct tls_ctx		*ctx;		/* its default site's */
};

struct sites {
	struct sites_scope	 *site;		/* per conf site */
	struct tls_ctx		**tls;		/* per conf site, or NULL */
	struct sites_addr	 *addrs;	/* per conf address */
	size_t			  naddrs;
	struct sites_scope	**loc;		/* per conf site, per location */
	size_t			  nsites;
	struct sites_root	 *roots;	/* distinct roots and aliases */
	size_t			  nroots;
	struct auth_file	**auths;	/* distinct htpasswd files */
	char			**auth_paths;
	size_t			  nauths;
};

/*
 * NULL with "document_root PATH: why" (or alias, auth, a certificate) in
 * err.  warn gets the warnings about certificates, one per line, or "".
 */
struct sites	*sites_open(const struct conf *, char *err, size_t errsz,
		    char *warn, size_t warnsz);
void		 sites_close(struct sites *);
/* The scope of a site (loc NULL) or of one of its locations. */
const struct sites_scope *sites_scope(const struct sites *,
		    const struct conf *, const struct conf_site *,
		    const struct conf_location *);

/*
 * The TLS context of a TLS address (NULL for a plain one), and the SNI
 * choice for its connections (a tls_select_fn; arg is the sites_addr).
 */
struct tls_ctx	*sites_tls_ctx(const struct sites *, size_t addr);
struct tls_ctx	*sites_tls_select(void *arg, const char *name,
		    const void **site);

#endif
