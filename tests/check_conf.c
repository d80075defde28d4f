/*
 * check_conf: configuration loading and validation.  Every bad input must
 * be refused with "NAME:LINE: key: reason", and a good one must give the
 * documented defaults for everything it does not set.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/conf.h"

static struct conf *
load(const char *text, char *err, size_t errsz)
{
	err[0] = '\0';
	return conf_load_string(text, "t.conf", 4, err, errsz);
}

START_TEST(test_defaults)
{
	char		 err[CONF_ERR_MAX];
	struct conf	*c = load("", err, sizeof(err));

	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->nlisten, 1);
	ck_assert_str_eq(c->listen[0], "0.0.0.0:6789");
	ck_assert_int_eq(c->workers_auto, 1);
	ck_assert_int_eq(c->workers, 4);	/* ncpu */
	ck_assert_str_eq(c->user, "");
	ck_assert_str_eq(c->group, "");
	ck_assert_str_eq(c->pid_file, "/run/minihttpd/minihttpd.pid");
	ck_assert_str_eq(c->document_root, "/var/www/minihttpd");
	ck_assert_uint_eq(c->nindex, 1);
	ck_assert_str_eq(c->index[0], "index.html");
	ck_assert_int_eq(c->autoindex, 0);
	ck_assert_int_eq(c->dotfiles, 0);
	ck_assert_int_eq(c->symlinks, RESOLVE_SYMLINKS_INSIDE);
	ck_assert_int_eq(c->gzip_static, 1);
	ck_assert_str_eq(c->mime_types, "/etc/mime.types");
	ck_assert_str_eq(c->default_type, "application/octet-stream");
	ck_assert_str_eq(c->charset, "utf-8");
	ck_assert_int_eq(c->server_tokens, 0);
	ck_assert_int_eq(c->sandbox, 1);
	ck_assert_str_eq(c->access_log, "/var/log/minihttpd/access.log");
	ck_assert_str_eq(c->error_log, "stderr");
	ck_assert_int_eq(c->log_level, CONF_LOG_INFO);
	ck_assert_int_eq(c->limits.max_connections, 4096);
	ck_assert_int_eq(c->limits.max_request_header, 8192);
	ck_assert_int_eq(c->limits.max_headers, 100);
	ck_assert_int_eq(c->limits.max_keepalive_requests, 1000);
	ck_assert_int_eq(c->timeouts.header, 10);
	ck_assert_int_eq(c->timeouts.keepalive, 15);
	ck_assert_int_eq(c->timeouts.send, 30);
	ck_assert_int_eq(c->timeouts.shutdown, 30);
	conf_free(c);
}
END_TEST

START_TEST(test_every_key_set)
{
	static const char	 text[] =
	    "listen = [ \"127.0.0.1:8080\", \"[::1]:8080\", \"9090\" ];\n"
	    "workers = 3;\nuser = \"www-data\";\ngroup = \"www-data\";\n"
	    "pid_file = \"\";\ndocument_root = \"/srv/www\";\n"
	    "index = [ \"index.htm\", \"default.html\" ];\n"
	    "autoindex = true;\ndotfiles = true;\nsymlinks = \"never\";\n"
	    "gzip_static = false;\nmime_types = \"\";\n"
	    "default_type = \"text/plain\";\ncharset = \"\";\n"
	    "server_tokens = true;\naccess_log = \"-\";\n"
	    "error_log = \"syslog\";\nlog_level = \"debug\";\n"
	    "sandbox = false;\n"
	    "limits = { max_connections = 10; max_request_header = 1024;\n"
	    "  max_headers = 20; max_keepalive_requests = 5; };\n"
	    "timeouts = { header = 1; keepalive = 2; send = 3; shutdown = 4; };\n";
	char			 err[CONF_ERR_MAX];
	struct conf		*c = load(text, err, sizeof(err));

	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->nlisten, 3);
	ck_assert_str_eq(c->addrs[2].text, "0.0.0.0:9090");
	ck_assert_int_eq(c->workers, 3);
	ck_assert_int_eq(c->workers_auto, 0);
	ck_assert_str_eq(c->index[1], "default.html");
	ck_assert_int_eq(c->symlinks, RESOLVE_SYMLINKS_NEVER);
	ck_assert_int_eq(c->log_level, CONF_LOG_DEBUG);
	ck_assert_int_eq(c->sandbox, 0);
	ck_assert_int_eq(c->limits.max_keepalive_requests, 5);
	ck_assert_int_eq(c->timeouts.shutdown, 4);
	ck_assert_int_eq(c->mime_file_loaded, 0);
	conf_free(c);
}
END_TEST

/* Each bad configuration and the start of the message it must produce. */
static const struct {
	const char	*text;
	const char	*want;
} bad[] = {
	{ "\n\nbogus = 1;\n", "t.conf:3: bogus: unknown setting" },
	{ "limits = { max_conns = 1; };\n",
	    "t.conf:1: limits.max_conns: unknown setting" },
	{ "workers = \"many\";\n", "t.conf:1: workers: expected \"auto\"" },
	{ "workers = 0;\n", "t.conf:1: workers: 0 is out of range 1..256" },
	{ "workers = 257;\n", "t.conf:1: workers: 257 is out of range" },
	{ "workers = 1.5;\n", "t.conf:1: workers: expected an integer" },
	{ "autoindex = 1;\n", "t.conf:1: autoindex: expected true or false" },
	{ "autoindex = \"yes\";\n", "t.conf:1: autoindex: expected true" },
	{ "sandbox = 0;\n", "t.conf:1: sandbox: expected true or false" },
	{ "document_root = \"www\";\n",
	    "t.conf:1: document_root: \"www\" is not an absolute path" },
	{ "document_root = \"\";\n", "t.conf:1: document_root: must not" },
	{ "document_root = 5;\n", "t.conf:1: document_root: expected a string" },
	{ "listen = \"0.0.0.0:80\";\n", "t.conf:1: listen: expected a list" },
	{ "listen = [ ];\n", "t.conf:1: listen: needs at least one" },
	{ "listen = [ \"localhost:80\" ];\n",
	    "t.conf:1: listen: \"localhost:80\": not a numeric" },
	{ "listen = [ \"1.2.3.4:0\" ];\n", "t.conf:1: listen: \"1.2.3.4:0\": port" },
	{ "listen = [ \"1.2.3.4:65536\" ];\n", "t.conf:1: listen: " },
	{ "listen = [ \"[::1:80\" ];\n", "t.conf:1: listen: \"[::1:80\": expected" },
	{ "listen = [ \"80\", \"0.0.0.0:80\" ];\n",
	    "t.conf:1: listen: \"0.0.0.0:80\" is listed twice" },
	{ "listen = [ 80 ];\n", "t.conf:1: listen: every element" },
	{ "index = [ \"a/b.html\" ];\n", "t.conf:1: index: \"a/b.html\" is not" },
	{ "index = [ \"..\" ];\n", "t.conf:1: index: \"..\" is not" },
	{ "symlinks = \"sometimes\";\n", "t.conf:1: symlinks: expected \"inside\"" },
	{ "log_level = \"loud\";\n", "t.conf:1: log_level: expected \"error\"" },
	{ "default_type = \"binary\";\n", "t.conf:1: default_type: \"binary\"" },
	{ "charset = \"utf 8\";\n", "t.conf:1: charset: \"utf 8\" is not" },
	{ "access_log = \"log.txt\";\n", "t.conf:1: access_log: expected" },
	{ "error_log = \"err.txt\";\n", "t.conf:1: error_log: expected" },
	{ "limits = 5;\n", "t.conf:1: limits: expected a group" },
	{ "limits = {\n max_request_header = 100;\n};\n",
	    "t.conf:2: limits.max_request_header: 100 is out of range 256.." },
	{ "timeouts = { header = 0; };\n",
	    "t.conf:1: timeouts.header: 0 is out of range 1..86400" },
	/* libconfig 1.5 truncates a too-large literal; still refused. */
	{ "timeouts = { send = 9999999999; };\n",
	    "t.conf:1: timeouts.send: " },
	{ "user = \"a:b\";\n", "t.conf:1: user: must not contain" },
	{ "listen = [ \"1.2.3.4:80\" \n",
	    "t.conf: array opened at line 1 is not closed (missing ']')" },
	{ "workers = 2;\nuser = = \"x\";\n", "t.conf:2: syntax error" },
	/* What libconfig calls a syntax error, said with its cause. */
	{ "document_root = \"/x\";\nworkers = 1;\n\nautoindex = on;\n",
	    "t.conf:4: autoindex: use true or false" },
	{ "workers = auto;\n", "t.conf:1: workers: auto is not a value: "
	    "write a string in double quotes (\"auto\")" },
	{ "index = [ \"a\" ];\nworkers = 1;\nindex = [ \"b\" ];\n",
	    "t.conf:3: duplicate setting \"index\" (first at line 1)" },
	{ "workers = 1;\nlimits = {\n  max_headers = 5;\n",
	    "t.conf: group opened at line 2 is not closed" },
	/* libconfig would accept it as the one name "a.htmlb.html". */
	{ "workers = 1;\nindex = [ \"a.html\" \"b.html\" ];\n",
	    "t.conf:2: index: two adjacent strings are joined by libconfig "
	    "(\"a.html\" \"b.html\" becomes \"a.htmlb.html\"); separate "
	    "list items with commas" },
	{ "sites = ( { names = [ \"a\" \"b\" ]; } );\n",
	    "t.conf:1: names: two adjacent strings" },
	{ "mime_types = \"/nonexistent/dir/\";\nworkers = 2;\n", NULL },
};

START_TEST(test_bad_values_name_file_line_key)
{
	char		 err[CONF_ERR_MAX];
	struct conf	*c = load(bad[_i].text, err, sizeof(err));

	if (bad[_i].want == NULL) {
		/* A missing mime.types only means the built-in table. */
		ck_assert_msg(c != NULL, "%s", err);
		conf_free(c);
		return;
	}
	ck_assert_msg(c == NULL, "accepted: %s", bad[_i].text);
	ck_assert_msg(strncmp(err, bad[_i].want, strlen(bad[_i].want)) == 0,
	    "config %s: got \"%s\", want \"%s...\"", bad[_i].text, err,
	    bad[_i].want);
}
END_TEST

START_TEST(test_load_file_and_mime_types)
{
	char		 dir[] = "/tmp/check_conf.XXXXXX", path[256], mt[256];
	char		 err[CONF_ERR_MAX];
	struct conf	*c;
	FILE		*fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(mt, sizeof(mt), "%s/mime.types", dir);
	fp = fopen(mt, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("# comment\ntext/x-custom  cust CUST2\nimage/png png\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/m.conf", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "mime_types = \"%s\";\nworkers = \"auto\";\n"
	    "document_root = \"%s\";\n", mt, dir);
	fclose(fp);

	c = conf_load(path, 2, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(c->mime_file_loaded, 1);
	ck_assert_int_eq(c->workers, 2);
	ck_assert_str_eq(mime_lookup(&c->mime, "/a.cust"), "text/x-custom");
	ck_assert_str_eq(mime_lookup(&c->mime, "/a.cust2"), "text/x-custom");
	/* The built-in table still fills what the file leaves out. */
	ck_assert_str_eq(mime_lookup(&c->mime, "/a.html"), "text/html");
	conf_free(c);

	/* A missing file names itself. */
	ck_assert_ptr_null(conf_load("/nonexistent/minihttpd.conf", 2, err,
	    sizeof(err)));
	ck_assert_msg(strstr(err, "/nonexistent/minihttpd.conf: No such") ==
	    err, "%s", err);
	unlink(mt);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_dump_round_trips)
{
	char		 err[CONF_ERR_MAX], *buf = NULL, *buf2 = NULL;
	size_t		 len = 0, len2 = 0;
	struct conf	*c, *c2;
	FILE		*fp;

	c = load("workers = 3;\nindex = [ \"a.html\", \"b.html\" ];\n"
	    "charset = \"\";\n", err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	fp = open_memstream(&buf, &len);
	conf_dump(c, fp);
	fclose(fp);
	/* The dump is itself a valid configuration with the same values. */
	c2 = load(buf, err, sizeof(err));
	ck_assert_msg(c2 != NULL, "%s\n%s", err, buf);
	fp = open_memstream(&buf2, &len2);
	conf_dump(c2, fp);
	fclose(fp);
	ck_assert_str_eq(strchr(buf, '\n'), strchr(buf2, '\n'));
	ck_assert_int_eq(c2->workers, 3);
	conf_free(c);
	conf_free(c2);
	free(buf);
	free(buf2);
}
END_TEST

/* Two sites, locations and the cascade top -> site -> location. */
static const char sites_text[] =
    "listen = [ \"127.0.0.1:8080\" ];\n"
    "index = [ \"top.html\" ];\n"
    "headers = [ \"X-Top: 1\", \"X-Both: top\" ];\n"
    "error_pages = ( { status = [ 404, 410 ]; page = \"/e.html\"; } );\n"
    "sites = (\n"
    " { names = [ \"A.example.\", \"*.a.example\" ];\n"
    "   document_root = \"/srv/a\";\n"
    "   index = [ \"a.html\" ];\n"
    "   headers = [ \"x-both: site\" ];\n"
    "   locations = (\n"
    "     { path = \"/x/\"; autoindex = true; headers = [ \"X-Loc: 1\" ];\n"
    "       error_pages = ( { status = 404; page = \"/x404.html\"; } ); },\n"
    "     { path = \"/x/y\"; exact = true; deny = true; },\n"
    "     { path = \"/old/\"; redirect = \"/new$uri\"; status = 308; },\n"
    "     { path = \"/adm/\"; allow = [ \"10.0.0.0/8\", \"::1\" ]; }\n"
    "   ); },\n"
    " { names = [ \"b.example\" ]; default = true;\n"
    "   listen = [ \"127.0.0.1:8080\", \"127.0.0.1:8081\" ];\n"
    "   precompressed = [ \"br\", \"gzip\" ]; }\n"
    ");\n";

START_TEST(test_sites_cascade)
{
	char				 err[CONF_ERR_MAX];
	struct conf			*c = load(sites_text, err, sizeof(err));
	const struct conf_site		*a, *b;
	const struct conf_location	*l;

	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->nsites, 2);
	ck_assert_uint_eq(c->naddrs, 2);
	a = &c->sites[0];
	b = &c->sites[1];
	/* Names are canonical: lower case, no trailing dot. */
	ck_assert_str_eq(a->names[0], "a.example");
	ck_assert_ptr_eq(conf_site_find(c, 0, "a.example", 9), a);
	ck_assert_ptr_eq(conf_site_find(c, 0, "q.a.example", 11), a);
	ck_assert_ptr_eq(conf_site_find(c, 0, "b.example", 9), b);
	/* Unknown names: the default of the address, never another's. */
	ck_assert_ptr_eq(conf_site_find(c, 0, "zz", 2), b);
	ck_assert_ptr_eq(conf_site_find(c, 1, "a.example", 9), b);
	ck_assert_ptr_eq(conf_site_find(c, 0, NULL, 0), b);
	/* Site overrides the top level; the top level fills the rest. */
	ck_assert_str_eq(a->s.index[0], "a.html");
	ck_assert_str_eq(b->s.index[0], "top.html");
	ck_assert_str_eq(a->document_root, "/srv/a");
	ck_assert_uint_eq(b->s.nprecompressed, 2);
	ck_assert_int_eq(b->s.precompressed[0], CODING_BR);
	ck_assert_uint_eq(a->s.nprecompressed, 1);
	/* Headers: added, a same-named one replaced (any case). */
	ck_assert_str_eq(a->s.header_block,
	    "X-Top: 1\r\nx-both: site\r\n");
	ck_assert_str_eq(b->s.header_block, "X-Top: 1\r\nX-Both: top\r\n");
	/* Locations: longest prefix, exact first. */
	l = conf_location_find(a, "/x/z.html", 9);
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->path, "/x/");
	ck_assert_int_eq(l->s.autoindex, 1);
	ck_assert_str_eq(l->s.index[0], "a.html");
	ck_assert_str_eq(l->s.header_block,
	    "X-Top: 1\r\nx-both: site\r\nX-Loc: 1\r\n");
	ck_assert_uint_eq(l->s.nerror_pages, 2);
	ck_assert_int_eq(l->s.error_pages[0].status, 404);
	ck_assert_str_eq(l->s.error_pages[0].page, "/x404.html");
	ck_assert_str_eq(l->s.error_pages[1].page, "/e.html");
	l = conf_location_find(a, "/x/y", 4);
	ck_assert_int_eq(l->deny, 1);
	l = conf_location_find(a, "/x/yz", 5);
	ck_assert_str_eq(l->path, "/x/");
	l = conf_location_find(a, "/old/p", 6);
	ck_assert_int_eq(l->status, 308);
	ck_assert_ptr_null(conf_location_find(a, "/other", 6));
	ck_assert_uint_eq(conf_location_find(a, "/adm/", 5)->nallow, 2);
	conf_free(c);
}
END_TEST

/* Site and location errors name the file, the line and the key. */
static const struct {
	const char	*text;
	const char	*want;		/* substring of the message */
} bad_sites[] = {
	{ "sites = ( { names = [ \"a\" ]; }, { names = [ \"A.\" ]; } );",
	    "\"a\" on 0.0.0.0:6789 is also a name of the site at line 1" },
	{ "sites = ( { default = true; },\n { default = true; } );",
	    "t.conf:2: default: the site at line 1 is already the default" },
	{ "names = [ \"x\" ];\nsites = ( { } );",
	    "t.conf:1: names: belongs to a site" },
#ifdef HAVE_OPENSSL
	{ "sites = ( { tls = { }; } );", "needs certificate and key" },
	{ "sites = ( { tls = { certificate = \"c.pem\";\n"
	    " key = \"/k\"; }; } );",
	    "sites[0].tls.certificate: expected an absolute path" },
	{ "sites = ( { tls = { certificate = [ \"/e\", \"/r\" ];\n"
	    " key = \"/k\"; }; } );",
	    "t.conf:2: sites[0].tls.key: expected as many keys as certificates" },
	{ "sites = ( { tls = { certificate = [ \"/e\" ];\n"
	    " key = [ \"/k\", \"/l\" ]; }; } );",
	    "t.conf:2: sites[0].tls.key: expected as many keys" },
	{ "sites = ( { tls = { certificate = [ \"/a\", \"/b\", \"/c\", "
	    "\"/d\", \"/e\" ]; key = \"/k\"; }; } );",
	    "list of 1 to 4 paths" },
	{ "sites = ( { tls = { certificate = [ ]; key = [ ]; }; } );",
	    "list of 1 to 4 paths" },
	{ "sites = ( { tls = { certificate = [ \"/e\", \"r\" ]; "
	    "key = [ \"/k\", \"/l\" ]; }; } );",
	    "sites[0].tls.certificate: expected an absolute path" },
	{ "sites = ( { tls = { certificate = 1; key = \"/k\"; }; } );",
	    "sites[0].tls.certificate: expected a string or a list" },
	{ "sites = ( { tls = { protocols = \"TLSv1.1\"; }; } );",
	    "\"TLSv1.2\" or \"TLSv1.3\"" },
	{ "sites = ( { listen = [ \"127.0.0.1:1\" ]; },\n"
	    " { listen = [ \"127.0.0.1:1\" ]; tls = { certificate = \"/c\";"
	    " key = \"/k\"; }; } );",
	    "a plain and a TLS site cannot share it" },
#else
	{ "sites = ( { tls = { }; } );", "built without OpenSSL" },
#endif
	{ "headers = [ \"Content-Length: 5\" ];", "t.conf:1: headers:" },
	{ "headers = [ \"X: a\\r\\nb\" ];", "t.conf:1: headers: \"...\"" },
	{ "locations = ( { path = \"x\"; } );", "expected a normalised path" },
	{ "locations = ( { path = \"/a\"; status = 302; } );",
	    "status is for a redirect" },
	{ "locations = ( { path = \"/a\"; redirect = \"/$nope\"; } );",
	    "locations[0].redirect" },
	{ "locations = ( { path = \"/a\"; }, { path = \"/a\"; } );",
	    "is also the location at line 1" },
	{ "locations = ( { path = \"/a\"; allow = [ \"10.0.0.1/8\" ]; } );",
	    "locations[0].allow" },
	{ "locations = ( { path = \"/a\"; bogus = 1; } );",
	    "locations[0].bogus: unknown setting" },
	{ "precompressed = [ \"gzip\", \"gzip\" ];", "listed twice" },
	{ "error_pages = ( { status = [ 200 ]; page = \"/e\"; } );",
	    "statuses 400 to 599" },
	{ "sites = ( { names = [ \"*\" ]; } );", "sites[0].names" },
};

START_TEST(test_bad_sites)
{
	char		 err[CONF_ERR_MAX];
	struct conf	*c = load(bad_sites[_i].text, err, sizeof(err));

	ck_assert_msg(c == NULL, "accepted: %s", bad_sites[_i].text);
	ck_assert_msg(strstr(err, bad_sites[_i].want) != NULL,
	    "config %s\n: got \"%s\", want \"%s\"", bad_sites[_i].text, err,
	    bad_sites[_i].want);
}
END_TEST

/*
 * The limits of sites, locations, headers, error pages, allow lists
 * and realms: one past each is refused with the key and the limit.
 */
struct limit {
	const char	*head, *pre, *post, *tail, *want;
	int		 base, ok, bad;
};

/* head, then n elements "pre<base + i>post" separated by ",", then tail. */
static char *
repeat(const struct limit *l, int n)
{
	size_t	 size = strlen(l->head) + strlen(l->tail) + (size_t)n *
		    (strlen(l->pre) + strlen(l->post) + 16) + 1, len;
	char	*buf = malloc(size);
	int	 i;

	ck_assert_ptr_nonnull(buf);
	len = (size_t)snprintf(buf, size, "%s", l->head);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s%d%s",
		    i ? "," : "", l->pre, l->base + i, l->post);
	snprintf(buf + len, size - len, "%s", l->tail);
	return buf;
}

START_TEST(test_site_limits)
{
	static const struct limit lim[] = {
		{ "sites = (", " { names = [ \"s", ".test\" ]; }", ");",
		    "more than 1024 sites", 0, CONF_SITES_MAX,
		    CONF_SITES_MAX + 1 },
		{ "locations = (", " { path = \"/p", "/\"; }", ");",
		    "more than 4096 locations", 0, CONF_LOCATIONS_MAX,
		    CONF_LOCATIONS_MAX + 1 },
		{ "headers = [", " \"X-H", ": v\"", "];",
		    "more than 64 headers", 0, CONF_HEADERS_MAX,
		    CONF_HEADERS_MAX + 1 },
		{ "error_pages = ( { page = \"/e\"; status = [", " ", "",
		    "]; } );", "more than 64 statuses", 400,
		    CONF_ERROR_PAGES_MAX, CONF_ERROR_PAGES_MAX + 1 },
		{ "locations = ( { path = \"/a\"; allow = [", " \"10.",
		    ".0.0/16\"", "]; } );", "1 to 256 addresses", 0,
		    CONF_ALLOW_MAX, CONF_ALLOW_MAX + 1 },
	};
	static const struct limit realm = { "locations = ( { path = \"/a\"; "
	    "auth = \"/h\"; realm = \"", "", "", "\"; } );", "realm", 1,
	    0, 0 };
	char		 err[CONF_ERR_MAX], *text;
	struct conf	*c;
	size_t		 i;

	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		text = repeat(&lim[i], lim[i].ok);
		c = load(text, err, sizeof(err));
		ck_assert_msg(c != NULL, "%zu: %d accepted? %s", i, lim[i].ok,
		    err);
		conf_free(c);
		free(text);
		text = repeat(&lim[i], lim[i].bad);
		c = load(text, err, sizeof(err));
		ck_assert_msg(c == NULL, "%zu: %d accepted", i, lim[i].bad);
		ck_assert_msg(strstr(err, lim[i].want) != NULL,
		    "%zu: got \"%s\", want \"%s\"", i, err, lim[i].want);
		free(text);
	}
	/* A realm of more than CONF_REALM_MAX bytes ("1,2,3,..."). */
	text = repeat(&realm, CONF_REALM_MAX);
	c = load(text, err, sizeof(err));
	ck_assert_msg(c == NULL && strstr(err, "realm") != NULL, "%s", err);
	free(text);
	c = load("locations = ( { path = \"/a\"; auth = \"/h\"; "
	    "realm = \"a\\\"b\"; } );", err, sizeof(err));
	ck_assert_msg(c == NULL && strstr(err, "realm") != NULL, "%s", err);
}
END_TEST

#ifdef HAVE_OPENSSL
/* One certificate per type of key: lists of the same length. */
START_TEST(test_tls_certificate_lists)
{
	char		 err[CONF_ERR_MAX], *buf = NULL;
	size_t		 len = 0;
	struct conf	*c, *c2;
	FILE		*fp;

	c = load("sites = ( { tls = { certificate = [ \"/e.pem\", "
	    "\"/r.pem\" ]; key = [ \"/e.key\", \"/r.key\" ]; }; },\n"
	    "{ listen = [ \"127.0.0.1:2\" ]; tls = { certificate = "
	    "\"/o.pem\"; key = \"/o.key\"; }; } );", err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->sites[0].tls->ncerts, 2);
	ck_assert_str_eq(c->sites[0].tls->certificates[1], "/r.pem");
	ck_assert_str_eq(c->sites[0].tls->keys[1], "/r.key");
	ck_assert_uint_eq(c->sites[1].tls->ncerts, 1);
	fp = open_memstream(&buf, &len);
	conf_dump(c, fp);
	fclose(fp);
	ck_assert_msg(strstr(buf, "certificate = [ \"/e.pem\", \"/r.pem\" ];")
	    != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "certificate = \"/o.pem\";") != NULL, "%s",
	    buf);
	c2 = load(buf, err, sizeof(err));
	ck_assert_msg(c2 != NULL, "%s\n%s", err, buf);
	ck_assert_uint_eq(c2->sites[0].tls->ncerts, 2);
	ck_assert_str_eq(c2->sites[0].tls->keys[0], "/e.key");
	conf_free(c);
	conf_free(c2);
	free(buf);
}
END_TEST
#endif

START_TEST(test_sites_dump_round_trips)
{
	char		 err[CONF_ERR_MAX], *buf = NULL, *buf2 = NULL;
	size_t		 len = 0, len2 = 0;
	struct conf	*c, *c2;
	FILE		*fp;

	c = load(sites_text, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	fp = open_memstream(&buf, &len);
	conf_dump(c, fp);
	fclose(fp);
	c2 = load(buf, err, sizeof(err));
	ck_assert_msg(c2 != NULL, "%s\n%s", err, buf);
	fp = open_memstream(&buf2, &len2);
	conf_dump(c2, fp);
	fclose(fp);
	ck_assert_str_eq(strchr(buf, '\n'), strchr(buf2, '\n'));
	ck_assert_uint_eq(c2->nsites, 2);
	ck_assert_uint_eq(c2->sites[0].nlocs, 4);
	conf_free(c);
	conf_free(c2);
	free(buf);
	free(buf2);
}
END_TEST

/* mkdtemp, then DIR/NAME holding text (when text is not NULL). */
static void
temp_file(char *dir, char *path, size_t size, const char *name,
    const char *text)
{
	FILE	*fp;

	if (dir[strlen(dir) - 1] == 'X')
		ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, size, "%s/%s", dir, name);
	if (text == NULL)
		return;
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/*
 * The file is read before libconfig sees it: libconfig's scanner, given
 * a directory, exits the process (for a reload, the running master).
 */
START_TEST(test_load_not_a_file)
{
	char		 dir[] = "/tmp/check_conf.XXXXXX", path[256];
	char		 err[CONF_ERR_MAX], want[CONF_ERR_MAX];
	struct conf	*c;

	temp_file(dir, path, sizeof(path), "c.conf", NULL);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	c = conf_load(path, 2, err, sizeof(err));
	ck_assert_ptr_null(c);
	snprintf(want, sizeof(want), "%s: is a directory", path);
	ck_assert_str_eq(err, want);
	rmdir(path);

	ck_assert_int_eq(mkfifo(path, 0644), 0);
	ck_assert_ptr_null(conf_load(path, 2, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);
	unlink(path);

	ck_assert_ptr_null(conf_load(path, 2, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
	rmdir(dir);
}
END_TEST

START_TEST(test_load_too_big)
{
	char		 dir[] = "/tmp/check_conf.XXXXXX", path[256];
	char		 err[CONF_ERR_MAX], line[1025];
	FILE		*fp;
	int		 i;

	temp_file(dir, path, sizeof(path), "big.conf", "workers = 1;\n");
	ck_assert_ptr_nonnull(fp = fopen(path, "a"));
	memset(line, '#', sizeof(line) - 1);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	for (i = 0; i < 1024; i++)
		fputs(line, fp);
	fclose(fp);
	ck_assert_ptr_null(conf_load(path, 2, err, sizeof(err)));
	ck_assert_msg(strstr(err, ": larger than 1024 KiB") != NULL, "%s",
	    err);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* @include is found next to the file, whatever the current directory. */
START_TEST(test_load_include_relative)
{
	char		 dir[] = "/tmp/check_conf.XXXXXX", path[256];
	char		 sub[256], err[CONF_ERR_MAX], text[512];
	struct conf	*c;

	temp_file(dir, sub, sizeof(sub), "limits.conf",
	    "limits = { max_headers = 7; };\n");
	snprintf(text, sizeof(text), "document_root = \"%s\";\n"
	    "@include \"limits.conf\"\nworkers = 3;\n", dir);
	temp_file(dir, path, sizeof(path), "main.conf", text);
	ck_assert_int_eq(chdir("/"), 0);
	c = conf_load(path, 2, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(c->limits.max_headers, 7);
	ck_assert_int_eq(c->workers, 3);
	conf_free(c);
	unlink(sub);
	unlink(path);
	rmdir(dir);
}
END_TEST

/*
 * A file that never sets document_root: fine while the built-in root
 * exists, else "document_root is required", with the site's line.
 */
START_TEST(test_load_root_required)
{
	char		 dir[] = "/tmp/check_conf.XXXXXX", path[256];
	char		 err[CONF_ERR_MAX], want[CONF_ERR_MAX], text[512];
	struct conf	*c;
	struct stat	 st;
	int		 have = stat("/var/www/minihttpd", &st) == 0;

	temp_file(dir, path, sizeof(path), "top.conf", "workers = 1;\n");
	c = conf_load(path, 2, err, sizeof(err));
	if (have) {
		ck_assert_msg(c != NULL, "%s", err);
		conf_free(c);
	} else {
		ck_assert_ptr_null(c);
		snprintf(want, sizeof(want), "%s: document_root is required "
		    "(the built-in /var/www/minihttpd does not exist)", path);
		ck_assert_str_eq(err, want);
	}
	snprintf(text, sizeof(text), "workers = 1;\nsites = (\n"
	    "  { names = [ \"a\" ]; document_root = \"%s\"; },\n"
	    "  { names = [ \"r\" ]; redirect = \"/x\"; },\n"
	    "  { names = [ \"b\" ]; }\n);\n", dir);
	temp_file(dir, path, sizeof(path), "sites.conf", text);
	c = conf_load(path, 2, err, sizeof(err));
	if (have) {
		ck_assert_msg(c != NULL, "%s", err);
		conf_free(c);
	} else {
		ck_assert_ptr_null(c);
		snprintf(want, sizeof(want), "%s:5: document_root is "
		    "required in this site", path);
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	}
	unlink(path);
	/* The empty file is the defaults, as -T prints them. */
	temp_file(dir, path, sizeof(path), "empty.conf", "");
	c = conf_load(path, 2, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	conf_free(c);
	unlink(path);
	snprintf(path, sizeof(path), "%s/top.conf", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc = tcase_create("conf");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_every_key_set);
	tcase_add_loop_test(tc, test_bad_values_name_file_line_key, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_load_file_and_mime_types);
	tcase_add_test(tc, test_load_not_a_file);
	tcase_add_test(tc, test_load_too_big);
	tcase_add_test(tc, test_load_include_relative);
	tcase_add_test(tc, test_load_root_required);
	tcase_add_test(tc, test_dump_round_trips);
	tcase_add_test(tc, test_sites_cascade);
	tcase_add_loop_test(tc, test_bad_sites, 0,
	    (int)(sizeof(bad_sites) / sizeof(bad_sites[0])));
	tcase_add_test(tc, test_sites_dump_round_trips);
#ifdef HAVE_OPENSSL
	tcase_add_test(tc, test_tls_certificate_lists);
#endif
	tcase_add_test(tc, test_site_limits);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
