/*
 * conf: loads and validates the configuration (libconfig syntax) into an
 * immutable struct.  The only user of libconfig.  A load either returns
 * a complete, validated struct or an error naming file, line and key;
 * it never changes a running configuration.
 */
#ifndef MINIHTTPD_CONF_H
#define MINIHTTPD_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "daemon/listen.h"
#include "core/cidr.h"
#include "core/coding.h"
#include "core/mime.h"
#include "core/resolve.h"
#include "core/vhost.h"

#define CONF_WORKERS_MAX	256
#define CONF_ERR_MAX		512
#define CONF_DEFAULT_PID_FILE	"/run/minihttpd/minihttpd.pid"
#define CONF_TYPE_MAX		MIME_TYPE_MAX	/* a media type, bytes */
#define CONF_CHARSET_MAX	40
#define CONF_SITES_MAX		1024
#define CONF_LOCATIONS_MAX	4096	/* per site */
#define CONF_HEADERS_MAX	64	/* effective, per location */
#define CONF_ERROR_PAGES_MAX	64	/* statuses, per location */
#define CONF_ALLOW_MAX		256
#define CONF_REALM_MAX		128

enum conf_log_level {
	CONF_LOG_ERROR = 0,
	CONF_LOG_WARN,
	CONF_LOG_INFO,
	CONF_LOG_DEBUG
};

struct conf_limits {
	int	max_connections;
	int	max_request_header;
	int	max_headers;
	int	max_keepalive_requests;
};

struct conf_timeouts {
	int	header;
	int	keepalive;
	int	send;
	int	shutdown;
};

/* One status of an error_pages entry: its page, a path in the site. */
struct conf_error_page {
	int	 status;
	char	*page;
};

/*
 * The settings a site, and then a location, may override (DESIGN 3a).
 * Each level starts as a copy of the level above; headers and
 * error_pages are the effective, merged sets, and header_block the
 * headers preformatted ("Name: value\r\n"...) once at load.
 */
struct conf_scope {
	char			**index;
	size_t			  nindex;
	int			  autoindex;
	int			  dotfiles;
	enum resolve_symlinks	  symlinks;
	enum coding		  precompressed[CODING_MAX];
	size_t			  nprecompressed;
	char			 *default_type;
	char			 *charset;
	char			**headers;
	size_t			  nheaders;
	char			 *header_block;
	size_t			  header_len;
	struct conf_error_page	 *error_pages;
	size_t			  nerror_pages;
};

struct conf_location {
	unsigned		 line;
	char			*path;
	int			 exact;
	struct conf_scope	 s;
	char			*alias;		/* NULL: the site's root */
	char			*redirect;	/* template, or NULL */
	int			 status;	/* of the redirect */
	char			*fallback;
	char			*auth;		/* htpasswd path, or NULL */
	char			*realm;
	struct cidr		*allow;
	size_t			 nallow;	/* 0: everyone */
	int			 deny;
};

/* A site's tls group (DESIGN sections 3a and 4a). */
#define CONF_TLS_CERTS_MAX	4	/* one per key type: tls.h's too */
struct conf_tls {
	unsigned		 line;
	char			**certificates;	/* PEM, leaf first */
	char			**keys;		/* keys[i]: certificates[i]'s */
	size_t			 ncerts;	/* 1 to CONF_TLS_CERTS_MAX */
	int			 min_tls13;	/* protocols = "TLSv1.3" */
	char			*ciphers;	/* "" = the default */
};

struct conf_site {
	unsigned		 line;
	char			**names;	/* canonical */
	size_t			  nnames;
	char			**listen;	/* as written, or the top's */
	size_t			  nlisten;
	size_t			 *addr;		/* indexes into conf->addrs */
	int			  is_default;
	char			 *document_root;
	char			 *access_log;
	size_t			  log_id;	/* into conf->access_logs */
	char			 *redirect;
	int			  status;
	struct conf_scope	  s;
	struct conf_location	 *locs;
	size_t			  nlocs;
	struct vhost_locs	  loctab;	/* ids index locs */
	struct conf_tls		 *tls;		/* NULL: plain HTTP */
};

/* The sites that listen on one address of conf->addrs. */
struct conf_addr_sites {
	struct vhost_names	 names;
	int			 default_site;
	int			 tls;		/* its sites have tls */
};

struct conf {
	char			 *path;
	char			**listen;
	struct listen_addr	 *addrs;
	size_t			  nlisten;
	int			  workers;	/* resolved count */
	int			  workers_auto;
	char			 *user;
	char			 *group;
	char			 *pid_file;
	char			 *document_root;
	char			**index;
	size_t			  nindex;
	int			  autoindex;
	int			  dotfiles;
	enum resolve_symlinks	  symlinks;
	int			  gzip_static;
	char			 *mime_types;
	char			 *default_type;
	char			 *charset;
	int			  server_tokens;
	char			 *access_log;
	char			 *error_log;
	enum conf_log_level	  log_level;
	int			  sandbox;	/* Landlock + seccomp */
	struct conf_limits	  limits;
	struct conf_timeouts	  timeouts;
	struct mime_table	  mime;		/* from mime_types + built-in */
	int			  mime_file_loaded;
	/*
	 * The sites: as written, or one made of the top-level settings
	 * when the file has no "sites" (explicit_sites = 0).  addrs holds
	 * every address any site listens on (naddrs of them; the master
	 * binds them all, in this order) and by_addr the sites of each.
	 * access_logs lists the access log of each log_id (0 is the
	 * top-level access_log).
	 */
	struct conf_site	 *sites;
	size_t			  nsites;
	int			  explicit_sites;
	size_t			  naddrs;
	struct conf_addr_sites	 *by_addr;
	char			**access_logs;
	size_t			  naccess_logs;
	struct conf_scope	  top;		/* what every site starts from */
};

/*
 * The site for a request that came in on address addr with the
 * canonical host (NULL or len 0: none): an exact name, then the
 * longest wildcard, then the address's default site.
 */
const struct conf_site	*conf_site_find(const struct conf *, size_t addr,
			    const char *host, size_t len);
/*
 * The location of a normalised path in a site, or NULL: then the
 * site's own settings apply.
 */
const struct conf_location *conf_location_find(const struct conf_site *,
			    const char *path, size_t len);

/*
 * Loads path.  Returns the new config, or NULL with "FILE:LINE: key:
 * reason" in err.  ncpu is what "auto" workers resolves to.
 */
struct conf	*conf_load(const char *path, int ncpu, char *err, size_t errsz);
/* Same from a string; name is used in messages.  For tests. */
struct conf	*conf_load_string(const char *text, const char *name, int ncpu,
		    char *err, size_t errsz);
/*
 * The pid_file of a configuration that may be invalid (for "-s stop"):
 * written to buf when the file parses and sets it, else the default.
 */
void		 conf_peek_pid_file(const char *path, char *buf, size_t size);
/* Prints the effective configuration in libconfig syntax. */
void		 conf_dump(const struct conf *, FILE *);
void		 conf_free(struct conf *);
const char	*conf_symlinks_str(enum resolve_symlinks);
const char	*conf_log_level_str(enum conf_log_level);

#endif
