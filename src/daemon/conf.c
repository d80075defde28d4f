/*
 * conf: the configuration.  defaults -> file -> validation, into a fresh
 * struct whose strings are all copied out of libconfig; the result is
 * complete and never changes afterwards.  Every error names the file,
 * the line and the key.  This is the only file that includes libconfig.
 *
 * The file is read into memory first and libconfig parses the string:
 * libconfig's flex scanner, given a stream it cannot read (a directory
 * in place of the file), exits the whole process, which for a reload
 * would be the running master.  Having the text also lets cfgscan
 * explain libconfig's "syntax error" and refuse adjacent strings.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/conf_int.h"
#include "core/cfgscan.h"
#include "core/util.h"

#define CONF_MIME_MAX	(4 * 1024 * 1024)
#define CONF_FILE_MAX	(1024 * 1024)	/* a configuration file, bytes */


enum key_type {
	K_STR,		/* string */
	K_PATH,		/* "" or an absolute path */
	K_STRLIST,	/* array or list of strings */
	K_BOOL,
	K_INT,
	K_WORKERS,	/* integer or "auto" */
	K_SYMLINKS,
	K_LOGLEVEL,
	K_GROUP
};

struct key {
	const char		*name;
	enum key_type		 type;
	size_t			 off;
	int			 min, max;
	const struct key	*sub;
};

#define OFF(f)	offsetof(struct conf, f)

static const struct key limits_keys[] = {
	{ "max_connections", K_INT, OFF(limits.max_connections), 1, 1048576,
	    NULL },
	{ "max_request_header", K_INT, OFF(limits.max_request_header), 256,
	    1048576, NULL },
	{ "max_headers", K_INT, OFF(limits.max_headers), 1, 10000, NULL },
	{ "max_keepalive_requests", K_INT, OFF(limits.max_keepalive_requests),
	    1, 1000000000, NULL },
	{ NULL, K_INT, 0, 0, 0, NULL }
};

static const struct key timeouts_keys[] = {
	{ "header", K_INT, OFF(timeouts.header), 1, 86400, NULL },
	{ "keepalive", K_INT, OFF(timeouts.keepalive), 1, 86400, NULL },
	{ "send", K_INT, OFF(timeouts.send), 1, 86400, NULL },
	{ "shutdown", K_INT, OFF(timeouts.shutdown), 1, 86400, NULL },
	{ NULL, K_INT, 0, 0, 0, NULL }
};

static const struct key root_keys[] = {
	{ "listen", K_STRLIST, OFF(listen), 0, 0, NULL },
	{ "workers", K_WORKERS, OFF(workers), 1, CONF_WORKERS_MAX, NULL },
	{ "user", K_STR, OFF(user), 0, 0, NULL },
	{ "group", K_STR, OFF(group), 0, 0, NULL },
	{ "pid_file", K_PATH, OFF(pid_file), 0, 0, NULL },
	{ "document_root", K_PATH, OFF(document_root), 0, 0, NULL },
	{ "index", K_STRLIST, OFF(index), 0, 0, NULL },
	{ "autoindex", K_BOOL, OFF(autoindex), 0, 0, NULL },
	{ "dotfiles", K_BOOL, OFF(dotfiles), 0, 0, NULL },
	{ "symlinks", K_SYMLINKS, OFF(symlinks), 0, 0, NULL },
	{ "gzip_static", K_BOOL, OFF(gzip_static), 0, 0, NULL },
	{ "mime_types", K_PATH, OFF(mime_types), 0, 0, NULL },
	{ "default_type", K_STR, OFF(default_type), 0, 0, NULL },
	{ "charset", K_STR, OFF(charset), 0, 0, NULL },
	{ "server_tokens", K_BOOL, OFF(server_tokens), 0, 0, NULL },
	{ "access_log", K_STR, OFF(access_log), 0, 0, NULL },
	{ "error_log", K_STR, OFF(error_log), 0, 0, NULL },
	{ "log_level", K_LOGLEVEL, OFF(log_level), 0, 0, NULL },
	{ "sandbox", K_BOOL, OFF(sandbox), 0, 0, NULL },
	{ "limits", K_GROUP, 0, 0, 0, limits_keys },
	{ "timeouts", K_GROUP, 0, 0, 0, timeouts_keys },
	{ NULL, K_INT, 0, 0, 0, NULL }
};

static const char *const symlinks_names[] = { "inside", "never", "always" };
static const char *const level_names[] = { "error", "warn", "info", "debug" };

#define ctx conf_ctx

static struct conf	*defaults(void);
static struct conf	*load(config_t *, const char *, int, char *, size_t);
static int	 walk(struct ctx *, config_setting_t *, const struct key *,
		    const char *, struct conf *);
static int	 set_key(struct ctx *, config_setting_t *, const struct key *,
		    const char *, struct conf *);
static int	 check(struct ctx *, config_t *, struct conf *);
static int	 load_mime(struct conf *, char *, size_t);
static char	*read_text(const char *, char *, size_t);
static int	 parse(config_t *, const char *, const char *, char *,
		    size_t);
static int	 check_root(config_t *, const struct conf *, char *, size_t);
static void	 dump_list(FILE *, const char *, char *const *, size_t);

const char *
conf_symlinks_str(enum resolve_symlinks s)
{
	return symlinks_names[s];
}

const char *
conf_log_level_str(enum conf_log_level l)
{
	return level_names[l];
}

/*
 * The defaults; etc/minihttpd.conf and minihttpd.conf(5) say the same
 * (tests/defaults.sh compares the three).
 */
static struct conf *
defaults(void)
{
	struct conf	*c = xcalloc(1, sizeof(*c));

	c->listen = xcalloc(1, sizeof(char *));
	c->listen[0] = xstrdup("0.0.0.0:6789");
	c->nlisten = 1;
	c->workers_auto = 1;
	c->user = xstrdup("");
	c->group = xstrdup("");
	c->pid_file = xstrdup(CONF_DEFAULT_PID_FILE);
	c->document_root = xstrdup("/var/www/minihttpd");
	c->index = xcalloc(1, sizeof(char *));
	c->index[0] = xstrdup("index.html");
	c->nindex = 1;
	c->autoindex = 0;
	c->dotfiles = 0;
	c->symlinks = RESOLVE_SYMLINKS_INSIDE;
	c->gzip_static = 1;
	c->mime_types = xstrdup("/etc/mime.types");
	c->default_type = xstrdup("application/octet-stream");
	c->charset = xstrdup("utf-8");
	c->server_tokens = 0;
	c->access_log = xstrdup("/var/log/minihttpd/access.log");
	c->error_log = xstrdup("stderr");
	c->log_level = CONF_LOG_INFO;
	c->sandbox = 1;
	c->limits.max_connections = 4096;
	c->limits.max_request_header = 8192;
	c->limits.max_headers = 100;
	c->limits.max_keepalive_requests = 1000;
	c->timeouts.header = 10;
	c->timeouts.keepalive = 15;
	c->timeouts.send = 30;
	c->timeouts.shutdown = 30;
	mime_init(&c->mime);
	return c;
}

int
conf_fail(struct ctx *x, config_setting_t *s, const char *key, const char *fmt,
    ...)
{
	va_list	ap;
	int	n = 0;

	if (s != NULL)
		n = snprintf(x->err, x->errsz, "%s:%u: %s: ", x->file,
		    config_setting_source_line(s), key);
	else
		n = snprintf(x->err, x->errsz, "%s: %s: ", x->file, key);
	if (n < 0 || (size_t)n >= x->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(x->err + n, x->errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

void
conf_free_list(char **l, size_t n)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

char **
conf_strlist(config_setting_t *s, size_t *n)
{
	char		**l;
	int		  i, len = config_setting_length(s);
	const char	 *v;

	l = xcalloc((size_t)len + 1, sizeof(char *));
	for (i = 0; i < len; i++) {
		if ((v = config_setting_get_string_elem(s, i)) == NULL) {
			conf_free_list(l, (size_t)i);
			return NULL;
		}
		l[i] = xstrdup(v);
	}
	*n = (size_t)len;
	return l;
}

static int
set_key(struct ctx *x, config_setting_t *s, const struct key *k,
    const char *path, struct conf *c)
{
	char		*base = (char *)c;
	int		 t = config_setting_type(s), iv;
	const char	*sv = NULL;
	size_t		 i, n;
	char		**l;

	if (t == CONFIG_TYPE_STRING)
		sv = config_setting_get_string(s);
	switch (k->type) {
	case K_STR:
	case K_PATH:
		if (sv == NULL)
			return conf_fail(x, s, path, "expected a string");
		if (k->type == K_PATH && sv[0] != '\0' && sv[0] != '/')
			return conf_fail(x, s, path,
			    "\"%s\" is not an absolute path", sv);
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = xstrdup(sv);
		return 0;
	case K_STRLIST:
		if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
			return conf_fail(x, s, path,
			    "expected a list of strings like [ \"a\", \"b\" ]");
		if ((l = conf_strlist(s, &n)) == NULL)
			return conf_fail(x, s, path, "every element must be a string");
		if (k->off == OFF(listen)) {
			conf_free_list(c->listen, c->nlisten);
			c->listen = l;
			c->nlisten = n;
		} else {
			conf_free_list(c->index, c->nindex);
			c->index = l;
			c->nindex = n;
		}
		return 0;
	case K_BOOL:
		if (t != CONFIG_TYPE_BOOL)
			return conf_fail(x, s, path, "expected true or false");
		*(int *)(base + k->off) = config_setting_get_bool(s);
		return 0;
	case K_WORKERS:
		if (sv != NULL) {
			if (strcmp(sv, "auto") != 0)
				return conf_fail(x, s, path,
				    "expected \"auto\" or a number from %d to %d",
				    k->min, k->max);
			c->workers_auto = 1;
			return 0;
		}
		c->workers_auto = 0;
		/* FALLTHROUGH */
	case K_INT:
		if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
			return conf_fail(x, s, path, "expected an integer");
		if (config_setting_get_int64(s) < k->min ||
		    config_setting_get_int64(s) > k->max)
			return conf_fail(x, s, path, "%lld is out of range %d..%d",
			    (long long)config_setting_get_int64(s), k->min,
			    k->max);
		iv = (int)config_setting_get_int64(s);
		*(int *)(base + k->off) = iv;
		return 0;
	case K_SYMLINKS:
	case K_LOGLEVEL:
		n = k->type == K_SYMLINKS ? UTIL_ARRAY_LEN(symlinks_names) :
		    UTIL_ARRAY_LEN(level_names);
		for (i = 0; sv != NULL && i < n; i++)
			if (strcmp(sv, k->type == K_SYMLINKS ?
			    symlinks_names[i] : level_names[i]) == 0) {
				*(int *)(base + k->off) = (int)i;
				return 0;
			}
		return conf_fail(x, s, path, "expected %s", k->type == K_SYMLINKS ?
		    "\"inside\", \"never\" or \"always\"" :
		    "\"error\", \"warn\", \"info\" or \"debug\"");
	case K_GROUP:
		if (t != CONFIG_TYPE_GROUP)
			return conf_fail(x, s, path, "expected a group { ... }");
		return walk(x, s, k->sub, path, c);
	}
	return 0;
}

/* Applies every setting of group g; unknown names are errors. */
static int
walk(struct ctx *x, config_setting_t *g, const struct key *keys,
    const char *prefix, struct conf *c)
{
	config_setting_t	*s;
	const struct key	*k;
	const char		*name;
	char			 path[128];
	int			 i;

	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL;
	    i++) {
		name = config_setting_name(s);
		snprintf(path, sizeof(path), "%s%s%s", prefix,
		    prefix[0] != '\0' ? "." : "", name ? name : "?");
		/* Sites, headers and the like: conf_sites_load. */
		if (prefix[0] == '\0' && name != NULL &&
		    conf_sites_key(name))
			continue;
		for (k = keys; k->name != NULL; k++)
			if (name != NULL && strcmp(k->name, name) == 0)
				break;
		if (k->name == NULL)
			return conf_fail(x, s, path, "unknown setting");
		if (set_key(x, s, k, path, c) == -1)
			return -1;
	}
	return 0;
}

const char *
conf_index_bad(char *const *l, size_t n)
{
	static char	why[96];
	size_t		i;

	if (n > 16)
		return "at most 16 names";
	for (i = 0; i < n; i++)
		if (l[i][0] == '\0' || strchr(l[i], '/') ||
		    strcmp(l[i], ".") == 0 || strcmp(l[i], "..") == 0) {
			snprintf(why, sizeof(why), "\"%.60s\" is not a file "
			    "name", l[i]);
			return why;
		}
	return NULL;
}

const char *
conf_type_bad(const char *p)
{
	static char	why[CONF_TYPE_MAX + 64];

	if (strchr(p, '/') == NULL || strpbrk(p, " \t\r\n\"") != NULL ||
	    strlen(p) > CONF_TYPE_MAX) {
		snprintf(why, sizeof(why), "\"%.*s\" is not a media type of "
		    "at most %d bytes", CONF_TYPE_MAX, p, CONF_TYPE_MAX);
		return why;
	}
	return NULL;
}

const char *
conf_charset_bad(const char *p)
{
	static char	why[CONF_CHARSET_MAX + 64];
	const char	*q;

	if (strlen(p) > CONF_CHARSET_MAX) {
		snprintf(why, sizeof(why), "longer than %d bytes",
		    CONF_CHARSET_MAX);
		return why;
	}
	for (q = p; *q != '\0'; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || strchr("-_.:+", *q))) {
			snprintf(why, sizeof(why), "\"%s\" is not a charset "
			    "name", p);
			return why;
		}
	return NULL;
}

int
conf_symlinks_parse(const char *v)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(symlinks_names); i++)
		if (strcmp(v, symlinks_names[i]) == 0)
			return (int)i;
	return -1;
}

/* Checks that need more than one value or more than the type. */
static int
check(struct ctx *x, config_t *cfg, struct conf *c)
{
	config_setting_t	*s;
	char			 why[CONF_ERR_MAX];
	size_t			 i, j;
	const char		*p;

#define AT(key)	config_lookup(cfg, key)
	if (c->nlisten == 0)
		return conf_fail(x, AT("listen"), "listen", "needs at least one address");
	c->addrs = xcalloc(c->nlisten, sizeof(*c->addrs));
	for (i = 0; i < c->nlisten; i++) {
		s = AT("listen");
		if (listen_parse(c->listen[i], &c->addrs[i], why,
		    sizeof(why)) == -1)
			return conf_fail(x, s, "listen", "\"%s\": %s", c->listen[i],
			    why);
		for (j = 0; j < i; j++)
			if (listen_same(&c->addrs[i], &c->addrs[j]))
				return conf_fail(x, s, "listen",
				    "\"%s\" is listed twice", c->listen[i]);
	}
	if (c->document_root[0] == '\0')
		return conf_fail(x, AT("document_root"), "document_root",
		    "must not be empty");
	if ((p = conf_index_bad(c->index, c->nindex)) != NULL)
		return conf_fail(x, AT("index"), "index", "%s", p);
	if ((p = conf_type_bad(c->default_type)) != NULL)
		return conf_fail(x, AT("default_type"), "default_type", "%s",
		    p);
	if ((p = conf_charset_bad(c->charset)) != NULL)
		return conf_fail(x, AT("charset"), "charset", "%s", p);
	p = c->access_log;
	if (p[0] != '\0' && strcmp(p, "-") != 0 && p[0] != '/')
		return conf_fail(x, AT("access_log"), "access_log",
		    "expected \"\", \"-\" or an absolute path");
	p = c->error_log;
	if (strcmp(p, "stderr") != 0 && strcmp(p, "syslog") != 0 &&
	    p[0] != '/')
		return conf_fail(x, AT("error_log"), "error_log",
		    "expected \"stderr\", \"syslog\" or an absolute path");
	if (strchr(c->user, ':') != NULL || strchr(c->group, ':') != NULL)
		return conf_fail(x, AT(strchr(c->user, ':') ? "user" : "group"),
		    strchr(c->user, ':') ? "user" : "group",
		    "must not contain ':'");
#undef AT
	return 0;
}

/* Reads mime_types when it exists; the built-in table fills the gaps. */
static int
load_mime(struct conf *c, char *err, size_t errsz)
{
	struct stat	 st;
	char		*buf = NULL;
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd = -1;

	if (c->mime_types[0] != '\0' &&
	    (fd = open(c->mime_types, O_RDONLY | O_CLOEXEC)) == -1 &&
	    errno != ENOENT) {
		snprintf(err, errsz, "%s: mime_types: %s: %s", c->path,
		    c->mime_types, strerror(errno));
		return -1;
	}
	if (fd != -1) {
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_size > CONF_MIME_MAX) {
			snprintf(err, errsz, "%s: mime_types: %s: %s", c->path,
			    c->mime_types, "not a regular file of at most 4 MiB");
			goto fail;
		}
		buf = xmalloc((size_t)st.st_size + 1);
		while (got < (size_t)st.st_size &&
		    (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
			got += (size_t)r;
		mime_add_text(&c->mime, buf, got);
		c->mime_file_loaded = 1;
		free(buf);
		close(fd);
	}
	mime_add_builtin(&c->mime);
	mime_finish(&c->mime);
	return 0;
fail:
	close(fd);
	return -1;
}

static struct conf *
load(config_t *cfg, const char *name, int ncpu, char *err, size_t errsz)
{
	struct conf	*c = defaults();
	struct ctx	 x = { name, err, errsz };

	c->path = xstrdup(name);
	if (walk(&x, config_root_setting(cfg), root_keys, "", c) == -1 ||
	    check(&x, cfg, c) == -1 || load_mime(c, err, errsz) == -1 ||
	    conf_sites_load(&x, cfg, c) == -1) {
		conf_free(c);
		return NULL;
	}
	c->workers = c->workers_auto ? (ncpu > CONF_WORKERS_MAX ?
	    CONF_WORKERS_MAX : ncpu < 1 ? 1 : ncpu) : c->workers;
	return c;
}

/*
 * Reads path whole: a regular file (not a directory, a FIFO or a device,
 * whose open or read could block or feed libconfig endless input) of at
 * most CONF_FILE_MAX bytes, without NUL bytes (libconfig would stop
 * there without a word).  Returns the NUL-terminated text, or NULL with
 * "PATH: reason" in err.
 */
static char *
read_text(const char *path, char *err, size_t errsz)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1 || fstat(fd, &st) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s: is a directory", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_size > CONF_FILE_MAX)
		goto toobig;
	/* One byte more than the limit tells a file that grew meanwhile. */
	buf = xmalloc((size_t)st.st_size + 2);
	while (got <= (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size + 1 - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got > CONF_FILE_MAX)
		goto toobig;
	/* Rewritten in place, or appended to, while we read it. */
	if (got != (size_t)st.st_size) {
		snprintf(err, errsz, "%s: changed while being read (try "
		    "again)", path);
		goto fail;
	}
	if (memchr(buf, '\0', got) != NULL) {
		snprintf(err, errsz, "%s: contains a NUL byte: not a text file",
		    path);
		goto fail;
	}
	buf[got] = '\0';
	close(fd);
	return buf;
toobig:
	snprintf(err, errsz, "%s: larger than %d KiB: not a configuration "
	    "file", path, CONF_FILE_MAX / 1024);
fail:
	free(buf);
	if (fd != -1)
		close(fd);
	return NULL;
}

/*
 * libconfig on text, named name in messages; a relative @include is
 * found next to name.  On a syntax error, cfgscan says what it means
 * when it can; text libconfig accepts is still refused when two strings
 * are adjacent.  Returns 0, or -1 with "NAME[:LINE]: reason" in err.
 */
static int
parse(config_t *cfg, const char *text, const char *name, char *err,
    size_t errsz)
{
	struct cfgscan_diag	 d;
	char			 dir[PATH_MAX];
	const char		*slash = strrchr(name, '/');
	const char		*file;

	if (slash != NULL && (size_t)(slash - name) < sizeof(dir)) {
		memcpy(dir, name, (size_t)(slash - name));
		dir[slash - name] = '\0';
		config_set_include_dir(cfg, slash == name ? "/" : dir);
	}
	if (config_read_string(cfg, text) != CONFIG_TRUE) {
		/* An error in an included file is libconfig's to tell. */
		if ((file = config_error_file(cfg)) == NULL &&
		    cfgscan_check(text, strlen(text), CFGSCAN_ALL, &d))
			goto scanned;
		snprintf(err, errsz, "%s:%d: %s", file ? file : name,
		    config_error_line(cfg), config_error_text(cfg));
		return -1;
	}
	if (!cfgscan_check(text, strlen(text), CFGSCAN_ADJACENT, &d))
		return 0;
scanned:
	if (d.line != 0)
		snprintf(err, errsz, "%s:%u: %s", name, d.line, d.msg);
	else
		snprintf(err, errsz, "%s: %s", name, d.msg);
	return -1;
}

/*
 * A file that sets no document_root anywhere gets the built-in one,
 * which exists where a package made it.  Elsewhere that is a forgotten
 * setting: say so, with the line of the site, instead of "No such file
 * or directory" about a path the file never mentions.  An empty file
 * stands for the defaults (what -T prints) and is let through.
 */
static int
check_root(config_t *cfg, const struct conf *c, char *err, size_t errsz)
{
	config_setting_t	*sites, *g;
	struct stat		 st;
	size_t			 i;

	if (config_setting_length(config_root_setting(cfg)) == 0 ||
	    config_lookup(cfg, "document_root") != NULL ||
	    stat(c->document_root, &st) == 0)
		return 0;
	sites = config_lookup(cfg, "sites");
	for (i = 0; i < c->nsites; i++) {
		if (c->sites[i].redirect != NULL)
			continue;
		if (!c->explicit_sites || sites == NULL) {
			snprintf(err, errsz, "%s: document_root is required "
			    "(the built-in %s does not exist)", c->path,
			    c->document_root);
			return -1;
		}
		g = config_setting_get_elem(sites, (unsigned)i);
		if (g == NULL || config_setting_get_member(g,
		    "document_root") != NULL)
			continue;
		snprintf(err, errsz, "%s:%u: document_root is required in "
		    "this site (the built-in %s does not exist)", c->path,
		    c->sites[i].line, c->document_root);
		return -1;
	}
	return 0;
}

struct conf *
conf_load(const char *path, int ncpu, char *err, size_t errsz)
{
	config_t	 cfg;
	struct conf	*c = NULL;
	char		*text;

	if ((text = read_text(path, err, errsz)) == NULL)
		return NULL;
	config_init(&cfg);
	if (parse(&cfg, text, path, err, errsz) == 0 &&
	    (c = load(&cfg, path, ncpu, err, errsz)) != NULL &&
	    check_root(&cfg, c, err, errsz) == -1) {
		conf_free(c);
		c = NULL;
	}
	config_destroy(&cfg);
	free(text);
	return c;
}

void
conf_peek_pid_file(const char *path, char *buf, size_t size)
{
	config_t	 cfg;
	const char	*v = NULL;
	char		*text, err[CONF_ERR_MAX];

	config_init(&cfg);
	if ((text = read_text(path, err, sizeof(err))) != NULL &&
	    config_read_string(&cfg, text) == CONFIG_TRUE &&
	    config_lookup_string(&cfg, "pid_file", &v) == CONFIG_TRUE)
		util_strlcpy(buf, v, size);
	else
		util_strlcpy(buf, CONF_DEFAULT_PID_FILE, size);
	config_destroy(&cfg);
	free(text);
}

struct conf *
conf_load_string(const char *text, const char *name, int ncpu, char *err,
    size_t errsz)
{
	config_t	 cfg;
	struct conf	*c = NULL;

	config_init(&cfg);
	if (parse(&cfg, text, name, err, errsz) == 0)
		c = load(&cfg, name, ncpu, err, errsz);
	config_destroy(&cfg);
	return c;
}

void
conf_dump_quoted(FILE *fp, const char *v)
{
	const char	*p;

	fputc('"', fp);
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

void
conf_dump_str(FILE *fp, const char *indent, const char *key, const char *v)
{
	fprintf(fp, "%s%s = ", indent, key);
	conf_dump_quoted(fp, v);
	fputs(";\n", fp);
}

static void
dump_list(FILE *fp, const char *key, char *const *l, size_t n)
{
	size_t	i;

	fprintf(fp, "%s = [ ", key);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s\"%s\"", i ? ", " : "", l[i]);
	fputs(" ];\n", fp);
}

void
conf_dump(const struct conf *c, FILE *fp)
{
#define B(v)	((v) ? "true" : "false")
	fprintf(fp, "# effective configuration of %s\n", c->path);
	dump_list(fp, "listen", c->listen, c->nlisten);
	if (c->workers_auto)
		fputs("workers = \"auto\";\n", fp);
	else
		fprintf(fp, "workers = %d;\n", c->workers);
	conf_dump_str(fp, "", "user", c->user);
	conf_dump_str(fp, "", "group", c->group);
	conf_dump_str(fp, "", "pid_file", c->pid_file);
	conf_dump_str(fp, "", "document_root", c->document_root);
	dump_list(fp, "index", c->index, c->nindex);
	fprintf(fp, "autoindex = %s;\n", B(c->autoindex));
	fprintf(fp, "dotfiles = %s;\n", B(c->dotfiles));
	conf_dump_str(fp, "", "symlinks", conf_symlinks_str(c->symlinks));
	conf_dump_str(fp, "", "mime_types", c->mime_types);
	conf_dump_str(fp, "", "default_type", c->default_type);
	conf_dump_str(fp, "", "charset", c->charset);
	fprintf(fp, "server_tokens = %s;\n", B(c->server_tokens));
	conf_dump_str(fp, "", "access_log", c->access_log);
	conf_dump_str(fp, "", "error_log", c->error_log);
	conf_dump_str(fp, "", "log_level", conf_log_level_str(c->log_level));
	fprintf(fp, "sandbox = %s;\n", B(c->sandbox));
	fprintf(fp, "limits = {\n  max_connections = %d;\n"
	    "  max_request_header = %d;\n  max_headers = %d;\n"
	    "  max_keepalive_requests = %d;\n};\n",
	    c->limits.max_connections, c->limits.max_request_header,
	    c->limits.max_headers, c->limits.max_keepalive_requests);
	fprintf(fp, "timeouts = {\n  header = %d;\n  keepalive = %d;\n"
	    "  send = %d;\n  shutdown = %d;\n};\n", c->timeouts.header,
	    c->timeouts.keepalive, c->timeouts.send, c->timeouts.shutdown);
	conf_sites_dump(c, fp);
#undef B
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	conf_free_list(c->listen, c->nlisten);
	free(c->addrs);
	free(c->user);
	free(c->group);
	free(c->pid_file);
	free(c->document_root);
	conf_free_list(c->index, c->nindex);
	free(c->mime_types);
	free(c->default_type);
	free(c->charset);
	free(c->access_log);
	free(c->error_log);
	mime_free(&c->mime);
	conf_sites_free(c);
	free(c);
}
