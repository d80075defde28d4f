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
#include "core/mime.h"
#include "core/resolve.h"

#define CONF_WORKERS_MAX	256
#define CONF_ERR_MAX		512
#define CONF_DEFAULT_PID_FILE	"/run/minihttpd/minihttpd.pid"
#define CONF_TYPE_MAX		MIME_TYPE_MAX	/* a media type, bytes */
#define CONF_CHARSET_MAX	40

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
	struct conf_limits	  limits;
	struct conf_timeouts	  timeouts;
	struct mime_table	  mime;		/* from mime_types + built-in */
	int			  mime_file_loaded;
};

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
