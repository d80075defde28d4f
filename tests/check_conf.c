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
	{ "listen = [ \"1.2.3.4:80\" \n", "t.conf:2: syntax error" },
	{ "workers = 2;\nuser = = \"x\";\n", "t.conf:2: syntax error" },
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
	fprintf(fp, "mime_types = \"%s\";\nworkers = \"auto\";\n", mt);
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
	tcase_add_test(tc, test_dump_round_trips);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
