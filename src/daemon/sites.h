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

struct sites {
	struct sites_scope	 *site;		/* per conf site */
	struct sites_scope	**loc;		/* per conf site, per location */
	size_t			  nsites;
	struct sites_root	 *roots;	/* distinct roots and aliases */
	size_t			  nroots;
	struct auth_file	**auths;	/* distinct htpasswd files */
	char			**auth_paths;
	size_t			  nauths;
};

/* NULL with "document_root PATH: why" (or alias, auth) in err. */
struct sites	*sites_open(const struct conf *, char *err, size_t errsz);
void		 sites_close(struct sites *);
/* The scope of a site (loc NULL) or of one of its locations. */
const struct sites_scope *sites_scope(const struct sites *,
		    const struct conf *, const struct conf_site *,
		    const struct conf_location *);

#endif
