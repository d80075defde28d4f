/*
 * minihttpd: command line.  Loads the configuration, then either checks
 * it (-t), prints it (-T), signals a running master (-s), or becomes the
 * master.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/master.h"
#include "daemon/sites.h"
#include "core/util.h"

#define DEFAULT_CONF		SYSCONFDIR "/minihttpd.conf"
#define RELOAD_WAIT_MSEC	30000

static void	usage(FILE *);
static int	send_signal(const struct conf *, const char *);
static void	warn_plain_auth(const struct conf *, const char *);

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: minihttpd [-FhTtv] [-c file] [-s signal]\n"
	    "  -c, --config FILE     configuration file (default %s)\n"
	    "  -F, --foreground      do not daemonize (for systemd)\n"
	    "  -t, --test            check the configuration and exit\n"
	    "  -T, --dump-config     print the effective configuration and exit\n"
	    "  -s, --signal SIGNAL   send reload, quit, stop or reopen to the "
	    "running master\n"
	    "  -v, --version         print the version and exit\n"
	    "  -h, --help            print this help and exit\n",
	    DEFAULT_CONF);
}

static int
send_signal(const struct conf *c, const char *name)
{
	static const struct {
		const char	*name;
		int		 sig;
	} map[] = {
		{ "reload", SIGHUP }, { "quit", SIGQUIT },
		{ "stop", SIGTERM }, { "reopen", SIGUSR1 },
	};
	char		err[CONF_ERR_MAX], msg[CONF_ERR_MAX];
	pid_t		pid;
	size_t		i;
	unsigned	before;
	int		ok, waited;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, name) == 0)
			break;
	if (i == sizeof(map) / sizeof(map[0])) {
		fprintf(stderr, "minihttpd: unknown signal \"%s\": expected "
		    "reload, quit, stop or reopen\n", name);
		return 1;
	}
	if ((pid = daemon_pidfile_read(c->pid_file, err, sizeof(err))) == -1) {
		fprintf(stderr, "minihttpd: %s\n", err);
		return 1;
	}
	before = daemon_status_read(c->pid_file, &ok, msg, sizeof(msg));
	if (kill(pid, map[i].sig) == -1) {
		fprintf(stderr, "minihttpd: cannot signal pid %ld: %s\n",
		    (long)pid, strerror(errno));
		return 1;
	}
	if (map[i].sig != SIGHUP)
		return 0;
	/* Wait for the master's verdict on the new configuration. */
	for (waited = 0; waited < RELOAD_WAIT_MSEC; waited += 50) {
		if (daemon_status_read(c->pid_file, &ok, msg, sizeof(msg)) !=
		    before) {
			if (ok) {
				printf("minihttpd: reloaded: %s\n", msg);
				return 0;
			}
			fprintf(stderr, "minihttpd: reload failed, still "
			    "running the previous configuration: %s\n", msg);
			return 1;
		}
		if (kill(pid, 0) == -1) {
			fprintf(stderr, "minihttpd: pid %ld exited\n",
			    (long)pid);
			return 1;
		}
		usleep(50000);
	}
	fprintf(stderr, "minihttpd: no answer from pid %ld within %d s\n",
	    (long)pid, RELOAD_WAIT_MSEC / 1000);
	return 1;
}

/* Basic auth over plain HTTP sends passwords readable on the way. */
static void
warn_plain_auth(const struct conf *c, const char *path)
{
	size_t	i, j;

	for (i = 0; i < c->nsites; i++)
		for (j = 0; j < c->sites[i].nlocs; j++)
			if (c->sites[i].locs[j].auth != NULL)
				fprintf(stderr, "minihttpd: %s:%u: warning: "
				    "auth on a plain-HTTP site sends "
				    "passwords in clear text\n", path,
				    c->sites[i].locs[j].line);
}

int
main(int argc, char *argv[])
{
	static const struct option	longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "test", no_argument, NULL, 't' },
		{ "dump-config", no_argument, NULL, 'T' },
		{ "signal", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct master_opts	 opts;
	struct conf		*conf;
	const char		*path = DEFAULT_CONF, *sig = NULL;
	char			*abspath = NULL, pidbuf[PATH_MAX];
	char			 err[CONF_ERR_MAX], warn[2048];
	int			 ch, test = 0, dump = 0, fg = 0;
	struct sites		*sites;

	while ((ch = getopt_long(argc, argv, "c:FtTs:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'F':
			fg = 1;
			break;
		case 't':
			test = 1;
			break;
		case 'T':
			dump = 1;
			break;
		case 's':
			sig = optarg;
			break;
		case 'v':
			printf("minihttpd %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}

	/* The master leaves the current directory; reloads need the path. */
	if (path[0] != '/' && (abspath = realpath(path, NULL)) != NULL)
		path = abspath;
	if ((conf = conf_load(path, daemon_ncpu(), err, sizeof(err))) == NULL) {
		fprintf(stderr, "minihttpd: %s\n", err);
		/*
		 * Stopping must not depend on the configuration being
		 * valid; reloading to a broken one is refused right here.
		 */
		if (sig == NULL || strcmp(sig, "reload") == 0 ||
		    (conf = conf_load_string("", path, 1, err,
		    sizeof(err))) == NULL)
			return 1;
		conf_peek_pid_file(path, pidbuf, sizeof(pidbuf));
		free(conf->pid_file);
		conf->pid_file = xstrdup(pidbuf);
		fprintf(stderr, "minihttpd: signalling the master named in %s "
		    "anyway\n", conf->pid_file);
	}
	if (sig != NULL) {
		ch = send_signal(conf, sig);
		conf_free(conf);
		free(abspath);
		return ch;
	}
	if (dump) {
		conf_dump(conf, stdout);
		conf_free(conf);
		return 0;
	}
	if (test) {
		/*
		 * What start-up would refuse beyond the syntax: roots,
		 * aliases and htpasswd files that cannot be opened.
		 */
		if ((sites = sites_open(conf, err, sizeof(err), warn,
		    sizeof(warn))) == NULL) {
			fprintf(stderr, "minihttpd: %s: %s\n", path, err);
			conf_free(conf);
			return 1;
		}
		sites_close(sites);
		if (warn[0] != '\0')
			fprintf(stderr, "minihttpd: %s: warning: %s\n", path,
			    warn);
		warn_plain_auth(conf, path);
		fprintf(stderr, "minihttpd: configuration %s is valid\n", path);
		conf_free(conf);
		return 0;
	}
	if (log_open(conf->error_log, conf->log_level, "minihttpd") == -1) {
		fprintf(stderr, "minihttpd: error_log %s: %s\n",
		    conf->error_log, strerror(errno));
		conf_free(conf);
		return 1;
	}
	/* Until the workers run, errors also reach the terminal. */
	log_set_startup(1);
	memset(&opts, 0, sizeof(opts));
	opts.conf_path = path;
	opts.foreground = fg;
	ch = master_run(conf, &opts);
	free(abspath);
	return ch;
}
