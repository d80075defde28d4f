/*
 * master: binds, forks and supervises; never touches a request.
 *
 * Signal handlers only set flags.  The master waits in ppoll() with the
 * handled signals let in, and does all its work after ppoll() returns,
 * with them blocked again, so no handler ever runs in the middle of it.
 *
 * Workers belong to a generation.  Start-up and reload build a
 * generation the same way, in prepare(): the configuration, the user,
 * the document root, the sockets and the access log, each of which can
 * fail; only when all of it succeeded does commit() make it the master's
 * and fork the workers.  A failed reload changes nothing.
 *
 * The retiring generation gets USR2: it passes every idle keep-alive
 * connection to the new one over a SOCK_SEQPACKET hand-off channel shared
 * by all workers, so no client ever sees its connection closed by a
 * reload (see conn_pass).  Workers report that they accept through the
 * ready pipe; only then does the master tell systemd READY=1 and record
 * the reload as done for "minihttpd -s reload".
 *
 * USR1: the master reopens the log files and passes them to each worker
 * of the current generation over a control channel of its own (a
 * SOCK_SEQPACKET pair made at fork; the hand-off channel is shared by
 * all workers, so what is sent there reaches one of them only): a
 * confined worker cannot open a file (sandbox.c).
 *
 * A worker that dies unexpectedly is replaced; if it keeps dying young,
 * each restart waits twice as long as the last (up to RESPAWN_MAX_MSEC)
 * and the log says so, so a crash loop never makes the master spin.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/listen.h"
#include "daemon/log.h"
#include "daemon/master.h"
#include "daemon/sites.h"
#include "core/util.h"
#include "daemon/worker.h"

#define CHILD_MAX		(CONF_WORKERS_MAX * 4)
#define LISTENER_MAX		64
#define RESPAWN_MIN_MSEC	100
#define RESPAWN_MAX_MSEC	10000
#define RESPAWN_STABLE_SECS	10	/* lived this long: not a crash loop */
#define STOP_GRACE_SECS		5	/* TERM -> KILL */
#define SPAWN_RETRY_MSEC	1000	/* after a failed fork */
#define READY_WAIT_SECS		10	/* reload outcome without all ready */
#define HANDOFF_SNDBUF		(1024 * 1024)

struct child {
	pid_t		pid;		/* 0 = free slot */
	unsigned	gen;
	int		slot;
	int		retiring;	/* sent QUIT or TERM */
	unsigned	nconns;		/* as it last reported */
	int		ctl;		/* control channel: new logs */
	struct timespec	started;
};

struct slot {
	int		crashes;	/* consecutive early deaths */
	struct timespec	due;		/* respawn time when pid is 0 */
	int		waiting;
};

struct listener {
	struct listen_addr	addr;
	int			fd;
	int			inherited;	/* from systemd: never closed */
};

/*
 * What a generation needs beyond its configuration, made by prepare()
 * and taken over by commit().  Until then, nothing of the running
 * generation has changed.
 */
struct prep {
	struct conf		*conf;
	struct listener		 ls[LISTENER_MAX];
	size_t			 nls;
	struct sites		*sites;
	uid_t			 uid;
	gid_t			 gid;
	struct accesslog_set	*acc;
};

struct master {
	const struct master_opts *opts;
	struct conf		*conf;
	unsigned		 gen;
	struct sites		*sites;		/* roots, aliases, htpasswd */
	int			 as_root;	/* started as root */
	int			 drop_privs;
	uid_t			 uid;
	gid_t			 gid;
	struct listener		 ls[LISTENER_MAX];
	size_t			 nls;
	struct child		 kids[CHILD_MAX];
	struct slot		 slots[CONF_WORKERS_MAX];
	int			 stopping;
	sigset_t		 waitmask;	/* handled signals let in */
	int			 handoff[2];	/* [0] send, [1] receive */
	int			 ready[2];	/* report pipe: workers -> master */
	struct timespec		 status_at;	/* last STATUS= with the load */
	unsigned		 status_conns;
	int			 nready;	/* of this generation */
	int			 announced;	/* READY=1 sent for it */
	unsigned		 reload_seq;
	struct timespec		 reload_at;
};

static volatile sig_atomic_t	got_hup, got_quit, got_term, got_usr1,
				got_chld;

static void	on_signal(int);
static int	setup_signals(sigset_t *);
static int	bind_all(struct master *, const struct conf *, struct listener *,
		    size_t *, char *, size_t);
static int	spawn(struct master *, int);
static void	spawn_all(struct master *);
static void	reap(struct master *);
static void	signal_gen(struct master *, int, int);
static size_t	nchildren(const struct master *, int);
static int	prepare(struct master *, struct conf *, struct prep *, char *,
		    size_t);
static void	commit(struct master *, struct prep *);
static int	setup(struct master *, struct conf *,
		    const struct master_opts *);
static void	loop(struct master *);
static void	reload(struct master *);
static void	stop(struct master *, int);
static long	next_respawn(const struct master *);
static void	read_ready(struct master *);
static void	commit_listeners(struct master *, struct listener *, size_t);
static void	reload_done(struct master *, int, const char *);
static void	drop_new_listeners(struct master *, struct listener *, size_t);
static int	open_channels(struct master *);
static void	status(struct master *, const char *);
static void	respawn_due(struct master *);
static void	spawn_later(struct master *, int);
static long	msec_since(const struct timespec *);
static void	reopen_logs(struct master *);
static int	pass_logs(int, const int *, size_t);

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGQUIT:
		got_quit = 1;
		break;
	case SIGTERM:
	case SIGINT:
		got_term = 1;
		break;
	case SIGUSR1:
		got_usr1 = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	}
}

/* Blocks the handled signals; *wait gets the mask to ppoll() with. */
static int
setup_signals(sigset_t *wait)
{
	static const int	sigs[] = {
		SIGHUP, SIGQUIT, SIGTERM, SIGINT, SIGUSR1, SIGCHLD
	};
	struct sigaction	sa;
	sigset_t		block;
	size_t			i;

	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&block, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &block, wait) == -1)
		return -1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(wait, sigs[i]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	signal(SIGPIPE, SIG_IGN);
	/*
	 * USR2 is for workers only.  Ignored here, and blocked, so that a
	 * worker forked a moment before a second reload keeps it pending
	 * (an ignored signal that is blocked is not discarded) until its
	 * event loop handles it.
	 */
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &block, NULL) == -1)
		return -1;
	return 0;
}

static long
msec_since(const struct timespec *t)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/*
 * Fills out[] with a listener per address of c, reusing the master's
 * open sockets for addresses it already has.  On failure nothing new
 * stays open.
 */
static int
bind_all(struct master *m, const struct conf *c, struct listener *out,
    size_t *nout, char *err, size_t errsz)
{
	size_t	i, j;
	int	fd;

	if (c->naddrs > LISTENER_MAX) {
		snprintf(err, errsz, "at most %d listen addresses",
		    LISTENER_MAX);
		return -1;
	}
	for (i = 0; i < c->naddrs; i++) {
		fd = -1;
		for (j = 0; j < m->nls; j++)
			if (listen_same(&m->ls[j].addr, &c->addrs[i]))
				fd = m->ls[j].fd;
		if (fd == -1 && (fd = listen_bind(&c->addrs[i])) == -1) {
			snprintf(err, errsz, "cannot listen on %s: %s",
			    c->addrs[i].text, strerror(errno));
			goto fail;
		}
		out[i].addr = c->addrs[i];
		out[i].fd = fd;
	}
	*nout = c->naddrs;
	return 0;
fail:
	while (i-- > 0) {
		for (j = 0; j < m->nls; j++)
			if (m->ls[j].fd == out[i].fd)
				break;
		if (j == m->nls)
			close(out[i].fd);
	}
	return -1;
}

static int
spawn(struct master *m, int slot)
{
	struct worker_args	 a;
	int			 fds[LISTENER_MAX], ctl[2];
	size_t			 i;
	pid_t			 pid, parent = getpid();
	struct child		*k = NULL;

	for (i = 0; i < CHILD_MAX; i++)
		if (m->kids[i].pid == 0) {
			k = &m->kids[i];
			break;
		}
	if (k == NULL) {
		log_warnx("too many worker processes");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) == -1) {
		log_warn("control channel");
		return -1;
	}
	switch ((pid = fork())) {
	case -1:
		log_warn("fork");
		close(ctl[0]);
		close(ctl[1]);
		return -1;
	case 0:
		/* The pid file's lock must die with the master, not with us. */
		daemon_pidfile_forget();
		/* Die with the master, even when it is killed with KILL. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 ||
		    getppid() != parent)
			_exit(1);
		/* The other workers' channels are the master's alone. */
		close(ctl[0]);
		for (i = 0; i < CHILD_MAX; i++)
			if (m->kids[i].pid != 0 && m->kids[i].ctl != -1)
				close(m->kids[i].ctl);
		for (i = 0; i < m->nls; i++)
			fds[i] = m->ls[i].fd;
		memset(&a, 0, sizeof(a));
		a.conf = m->conf;
		a.listen_fds = fds;
		a.nlisten = m->nls;
		a.sites = m->sites;
		a.handoff_send = m->handoff[0];
		a.handoff_recv = m->handoff[1];
		a.report_fd = m->ready[1];
		a.ctl_fd = ctl[1];
		a.slot = slot;
		a.generation = m->gen;
		a.drop_privs = m->drop_privs;
		a.uid = m->uid;
		a.gid = m->gid;
		a.master = parent;
		exit(worker_main(&a));
	}
	close(ctl[1]);
	k->ctl = ctl[0];
	k->pid = pid;
	k->gen = m->gen;
	k->slot = slot;
	k->retiring = 0;
	k->nconns = 0;
	clock_gettime(CLOCK_MONOTONIC, &k->started);
	m->slots[slot].waiting = 0;
	(void)parent;
	log_debug("worker %d of generation %u started as pid %ld", slot,
	    m->gen, (long)pid);
	return 0;
}

static void
spawn_all(struct master *m)
{
	int	i;

	for (i = 0; i < m->conf->workers; i++) {
		m->slots[i].crashes = 0;
		if (spawn(m, i) == -1)
			spawn_later(m, i);
	}
}

/*
 * fork failed (process limit, memory, a full table): try again after
 * SPAWN_RETRY_MSEC instead of at once, which would spin the master.
 */
static void
spawn_later(struct master *m, int i)
{
	struct timespec	*due = &m->slots[i].due;

	m->slots[i].waiting = 1;
	clock_gettime(CLOCK_MONOTONIC, due);
	due->tv_sec += SPAWN_RETRY_MSEC / 1000;
	due->tv_nsec += (SPAWN_RETRY_MSEC % 1000) * 1000000L;
	if (due->tv_nsec >= 1000000000L) {
		due->tv_sec++;
		due->tv_nsec -= 1000000000L;
	}
}

static size_t
nchildren(const struct master *m, int current_only)
{
	size_t	i, n = 0;

	for (i = 0; i < CHILD_MAX; i++)
		if (m->kids[i].pid != 0 && (!current_only ||
		    (m->kids[i].gen == m->gen && !m->kids[i].retiring)))
			n++;
	return n;
}

static void
signal_gen(struct master *m, int sig, int old_only)
{
	size_t	i;

	for (i = 0; i < CHILD_MAX; i++) {
		if (m->kids[i].pid == 0 ||
		    (old_only && m->kids[i].gen == m->gen))
			continue;
		if (sig == SIGQUIT || sig == SIGTERM || sig == SIGKILL)
			m->kids[i].retiring = 1;
		kill(m->kids[i].pid, sig);
	}
}

/* Milliseconds until the earliest pending respawn, or -1. */
static long
next_respawn(const struct master *m)
{
	long	best = -1, left;
	int	i;

	for (i = 0; i < m->conf->workers; i++) {
		if (!m->slots[i].waiting)
			continue;
		left = -msec_since(&m->slots[i].due);
		if (left < 0)
			left = 0;
		if (best == -1 || left < best)
			best = left;
	}
	return best;
}

static void
reap(struct master *m)
{
	struct child	*k;
	pid_t		 pid;
	long		 lived, delay;
	int		 st, i, n, crashed;
	size_t		 j;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (k = NULL, j = 0; j < CHILD_MAX; j++)
			if (m->kids[j].pid == pid)
				k = &m->kids[j];
		if (k == NULL)
			continue;
		k->pid = 0;
		close(k->ctl);
		k->ctl = -1;
		crashed = WIFSIGNALED(st) || WEXITSTATUS(st) != 0;
		if (k->retiring || k->gen != m->gen || m->stopping) {
			log_debug("worker pid %ld exited", (long)pid);
			continue;
		}
		if (k->slot >= m->conf->workers)
			continue;
		lived = msec_since(&k->started);
		if (WIFSIGNALED(st))
			log_warnx("worker pid %ld died of signal %d", (long)pid,
			    WTERMSIG(st));
		else
			log_warnx("worker pid %ld exited with status %d",
			    (long)pid, WEXITSTATUS(st));
		i = k->slot;
		if (!crashed || lived >= RESPAWN_STABLE_SECS * 1000)
			m->slots[i].crashes = 0;
		else
			m->slots[i].crashes++;
		delay = 0;
		/* The first early death is replaced at once. */
		if (m->slots[i].crashes > 1) {
			delay = RESPAWN_MIN_MSEC;
			for (n = 2; n < m->slots[i].crashes &&
			    delay < RESPAWN_MAX_MSEC; n++)
				delay *= 2;
			if (delay > RESPAWN_MAX_MSEC)
				delay = RESPAWN_MAX_MSEC;
			log_warnx("worker %d is crashing repeatedly: next start "
			    "in %ld ms", i, delay);
		}
		m->slots[i].waiting = 1;
		clock_gettime(CLOCK_MONOTONIC, &m->slots[i].due);
		m->slots[i].due.tv_sec += delay / 1000;
		m->slots[i].due.tv_nsec += (delay % 1000) * 1000000;
		if (m->slots[i].due.tv_nsec >= 1000000000) {
			m->slots[i].due.tv_sec++;
			m->slots[i].due.tv_nsec -= 1000000000;
		}
	}
}

/* Starts the workers whose back-off has run out. */
static void
respawn_due(struct master *m)
{
	int	i;

	for (i = 0; i < m->conf->workers; i++)
		if (m->slots[i].waiting && msec_since(&m->slots[i].due) >= 0 &&
		    spawn(m, i) == -1)
			spawn_later(m, i);
}

static void
status(struct master *m, const char *what)
{
	log_info("%s: generation %u, %d workers, %zu listening sockets",
	    what, m->gen, m->conf->workers, m->nls);
	daemon_notify("STATUS=%s: generation %u, %d workers", what, m->gen,
	    m->conf->workers);
}

/*
 * Makes nls the listening set: sockets of the old set that nls does not
 * reuse are closed, except those systemd passed, which stay.
 */
static void
commit_listeners(struct master *m, struct listener *nls, size_t nn)
{
	struct listener	keep[LISTENER_MAX];
	size_t		i, j, nk = 0;
	int		used;

	for (j = 0; j < m->nls; j++) {
		for (i = 0, used = 0; i < nn; i++)
			used |= nls[i].fd == m->ls[j].fd;
		if (used) {
			for (i = 0; i < nn; i++)
				if (nls[i].fd == m->ls[j].fd)
					nls[i].inherited = m->ls[j].inherited;
		} else if (m->ls[j].inherited && nn + nk < LISTENER_MAX) {
			/* Served, as before sites: by the first site, plain. */
			log_warnx("socket activation: %s is no site's listen "
			    "address: the first site serves it as plain HTTP "
			    "(name it in a site's listen, or drop it from the "
			    "socket unit)", m->ls[j].addr.text);
			keep[nk++] = m->ls[j];
		} else {
			log_info("no longer listening on %s",
			    m->ls[j].addr.text);
			close(m->ls[j].fd);
		}
	}
	memmove(m->ls, nls, nn * sizeof(nls[0]));
	memcpy(m->ls + nn, keep, nk * sizeof(keep[0]));
	m->nls = nn + nk;
}

/* Closes the sockets of nls that the running set does not own. */
static void
drop_new_listeners(struct master *m, struct listener *nls, size_t nn)
{
	size_t	i, j;
	int	owned;

	for (i = 0; i < nn; i++) {
		for (j = 0, owned = 0; j < m->nls; j++)
			owned |= m->ls[j].fd == nls[i].fd;
		if (!owned)
			close(nls[i].fd);
	}
}

/* Records a reload outcome for "minihttpd -s reload" and systemd. */
static void
reload_done(struct master *m, int ok, const char *msg)
{
	if (daemon_status_write(m->conf->pid_file, m->reload_seq, ok, msg) ==
	    -1)
		log_warn("cannot record the reload outcome next to %s",
		    m->conf->pid_file);
	if (ok)
		daemon_notify("READY=1\nSTATUS=%s", msg);
	else
		daemon_notify("READY=1\nSTATUS=reload failed, still running "
		    "generation %u: %s", m->gen, msg);
}

/*
 * Reads the workers' reports: counts those of this generation that
 * accept, announcing readiness once, and keeps systemd's STATUS= line
 * up to date with the open connections (at most once a second).
 */
static void
read_ready(struct master *m)
{
	struct worker_report	r;
	char			msg[128];
	int			late;
	size_t			i;
	unsigned		total = 0;

	while (read(m->ready[0], &r, sizeof(r)) == (ssize_t)sizeof(r)) {
		if (r.ready && r.gen == m->gen)
			m->nready++;
		for (i = 0; i < CHILD_MAX; i++)
			if (m->kids[i].pid == r.pid)
				m->kids[i].nconns = r.nconns;
	}
	for (i = 0; i < CHILD_MAX; i++)
		if (m->kids[i].pid != 0)
			total += m->kids[i].nconns;
	if (m->announced && total != m->status_conns &&
	    msec_since(&m->status_at) >= 1000) {
		m->status_conns = total;
		clock_gettime(CLOCK_MONOTONIC, &m->status_at);
		daemon_notify("STATUS=generation %u, %d workers, %u connections",
		    m->gen, m->conf->workers, total);
	}
	late = msec_since(&m->reload_at) > READY_WAIT_SECS * 1000L;
	if (m->announced || (m->nready < m->conf->workers && !late))
		return;
	m->announced = 1;
	snprintf(msg, sizeof(msg), "generation %u, %d workers%s", m->gen,
	    m->conf->workers, m->nready < m->conf->workers ?
	    " (not all accepting yet)" : "");
	log_info("serving: %s", msg);
	if (m->gen == 1 && m->reload_seq == 0)
		daemon_notify("READY=1\nSTATUS=%s\nMAINPID=%ld", msg,
		    (long)getpid());
	else
		reload_done(m, 1, msg);
}

/*
 * Everything a generation needs that can fail, for start-up and reload
 * alike: the user to run workers as, the document root, the listening
 * sockets (the master's own are reused), the roots and htpasswd files of
 * the sites and the access logs (those already open are reused).  On
 * failure, err says why and nothing new stays open.
 */
static int
prepare(struct master *m, struct conf *nc, struct prep *p, char *err,
    size_t errsz)
{
	size_t	 bad = 0;
	char	 warn[2048], *w, *nl;

	memset(p, 0, sizeof(*p));
	p->conf = nc;
	p->sites = NULL;
	p->uid = m->uid;
	p->gid = m->gid;
	if (m->as_root) {
		if (daemon_lookup_user(nc->user, nc->group, &p->uid, &p->gid,
		    err, errsz) == -1)
			return -1;
		/* Root workers only when the config says "root" itself. */
		if (p->uid == 0 && strcmp(nc->user, "root") != 0) {
			snprintf(err, errsz, "user \"%s\" is root: write "
			    "user = \"root\" to run workers as root", nc->user);
			return -1;
		}
	}
	if ((p->sites = sites_open(nc, err, errsz, warn,
	    sizeof(warn))) == NULL)
		return -1;
	/* Certificates that expire soon or miss a name: said, not fatal. */
	for (w = warn; *w != '\0'; w = nl != NULL ? nl + 1 : w + strlen(w)) {
		nl = strchr(w, '\n');
		log_warnx("%.*s", nl != NULL ? (int)(nl - w) : (int)strlen(w),
		    w);
	}
	if (bind_all(m, nc, p->ls, &p->nls, err, errsz) == -1)
		goto fail;
	/* Logs already open (the same path) are reused, not reopened. */
	if ((p->acc = accesslog_set_open(nc->access_logs, nc->naccess_logs,
	    &bad)) == NULL) {
		snprintf(err, errsz, "access_log %s: %s",
		    nc->access_logs[bad], strerror(errno));
		drop_new_listeners(m, p->ls, p->nls);
		goto fail;
	}
	return 0;
fail:
	accesslog_set_discard(p->acc);
	p->acc = NULL;
	sites_close(p->sites);
	p->sites = NULL;
	return -1;
}

/*
 * Makes a prepared generation the master's: from here on nothing can
 * fail.  The workers are forked by the caller.
 */
static void
commit(struct master *m, struct prep *p)
{
	struct conf	*nc = p->conf;

	if (m->conf != NULL && strcmp(nc->error_log, m->conf->error_log) != 0 &&
	    log_open(nc->error_log, nc->log_level, "minihttpd") == -1)
		log_warn("error_log %s: keeping the current error log",
		    nc->error_log);
	log_set_level(nc->log_level);
	accesslog_set_commit(p->acc);
	m->uid = p->uid;
	m->gid = p->gid;
	m->drop_privs = m->as_root && (p->uid != 0 || p->gid != 0);
	if (m->drop_privs)
		log_files_chown(m->uid, m->gid);
	commit_listeners(m, p->ls, p->nls);
	sites_close(m->sites);
	m->sites = p->sites;
	if (m->conf != NULL)
		conf_free(m->conf);
	m->conf = nc;
}

/*
 * HUP: load the file again and prepare a new generation; if both work,
 * commit it, fork its workers and retire the old one.  Any failure
 * leaves the running generation untouched.
 */
static void
reload(struct master *m)
{
	struct prep	 p;
	struct timespec	 now;
	struct conf	*nc;
	char		 err[CONF_ERR_MAX];

	clock_gettime(CLOCK_MONOTONIC, &now);
	daemon_notify("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)now.tv_sec * 1000000ULL +
	    (unsigned long long)now.tv_nsec / 1000ULL);
	m->reload_seq++;
	if ((nc = conf_load(m->opts->conf_path, daemon_ncpu(), err,
	    sizeof(err))) == NULL)
		goto fail;
	if (prepare(m, nc, &p, err, sizeof(err)) == -1) {
		conf_free(nc);
		goto fail;
	}
	if (strcmp(nc->pid_file, m->conf->pid_file) != 0) {
		daemon_pidfile_remove(m->conf->pid_file);
		if (daemon_pidfile_write(nc->pid_file, err, sizeof(err)) == -1)
			log_error("%s", err);
	}
	commit(m, &p);
	m->gen++;
	m->nready = 0;
	m->announced = 0;
	clock_gettime(CLOCK_MONOTONIC, &m->reload_at);
	memset(m->slots, 0, sizeof(m->slots));
	spawn_all(m);
	/* The old generation drains and passes its idle connections on. */
	signal_gen(m, SIGUSR2, 1);
	status(m, "reloaded");
	return;
fail:
	log_error("reload failed, keeping the running configuration: %s",
	    err);
	reload_done(m, 0, err);
}

/*
 * Stops every worker: QUIT lets them drain for timeouts.shutdown, TERM
 * asks them to stop now; whoever is still there after that is killed.
 */
static void
stop(struct master *m, int sig)
{
	struct timespec	start, tick = { 0, 20 * 1000000 };
	long		limit;
	int		escalated = sig == SIGTERM;
	size_t		i;

	m->stopping = 1;
	daemon_notify("STOPPING=1");
	log_info("%s", sig == SIGQUIT ? "draining and stopping" :
	    "stopping");
	signal_gen(m, sig, 0);
	/*
	 * No new connection may wait in a queue nobody will serve: once
	 * the workers close their copies too, the kernel refuses them.
	 */
	for (i = 0; i < m->nls; i++)
		close(m->ls[i].fd);
	m->nls = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	limit = (sig == SIGQUIT ? m->conf->timeouts.shutdown + 1 :
	    STOP_GRACE_SECS) * 1000L;
	while (nchildren(m, 0) > 0) {
		reap(m);
		if (nchildren(m, 0) == 0)
			break;
		if (got_term && !escalated) {
			signal_gen(m, SIGTERM, 0);
			escalated = 1;
			clock_gettime(CLOCK_MONOTONIC, &start);
			limit = STOP_GRACE_SECS * 1000L;
		}
		if (msec_since(&start) > limit) {
			log_warnx("killing %zu workers that did not stop",
			    nchildren(m, 0));
			signal_gen(m, SIGKILL, 0);
			clock_gettime(CLOCK_MONOTONIC, &start);
			limit = STOP_GRACE_SECS * 1000L;
		}
		/* Waits with the signals let in, so TERM can cut a drain. */
		(void)ppoll(NULL, 0, &tick, &m->waitmask);
	}
}

/* The channels every worker shares with the master and each other. */
static int
open_channels(struct master *m)
{
	int	sz = HANDOFF_SNDBUF;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    m->handoff) == -1 || pipe2(m->ready, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	/* Room for many passes in flight; the kernel caps it quietly. */
	(void)setsockopt(m->handoff[0], SOL_SOCKET, SO_SNDBUF, &sz,
	    sizeof(sz));
	(void)setsockopt(m->handoff[1], SOL_SOCKET, SO_RCVBUF, &sz,
	    sizeof(sz));
	return 0;
}

/*
 * Start-up, before the first worker: the pid file is locked first,
 * while the exit status can still tell a second start it failed (the
 * lock goes with the master through the detaching fork); then the
 * first generation is prepared and committed, the master detaches and
 * writes its pid into the file.
 */
static int
setup(struct master *m, struct conf *conf, const struct master_opts *opts)
{
	struct listen_addr	inh[LISTENER_MAX];
	int			inhfd[LISTENER_MAX];
	struct prep		p;
	char			err[CONF_ERR_MAX];
	size_t			i, n;

	m->opts = opts;
	m->gen = 1;
	m->sites = NULL;
	m->as_root = geteuid() == 0;
	clock_gettime(CLOCK_MONOTONIC, &m->reload_at);
	if (daemon_pidfile_lock(conf->pid_file, err, sizeof(err)) == -1)
		goto fail;
	/* Sockets from systemd come first; "listen" adds the rest. */
	n = listen_inherit(inh, inhfd, LISTENER_MAX);
	for (i = 0; i < n; i++) {
		m->ls[i].addr = inh[i];
		m->ls[i].fd = inhfd[i];
		m->ls[i].inherited = 1;
		log_info("socket activation: adopted %s", inh[i].text);
	}
	m->nls = n;
	if (prepare(m, conf, &p, err, sizeof(err)) == -1)
		goto unlock;
	commit(m, &p);
	if (open_channels(m) == -1) {
		log_warn("cannot create the worker channels");
		goto remove;
	}
	if (!opts->foreground &&
	    daemon_detach(strcmp(conf->error_log, "stderr") == 0) == -1) {
		log_warn("cannot detach");
		goto remove;
	}
	if (daemon_pidfile_write(conf->pid_file, err, sizeof(err)) == -1)
		goto fail;
	if (setup_signals(&m->waitmask) == -1) {
		log_warn("signals");
		goto remove;
	}
	for (i = 0; i < m->nls; i++)
		log_info("listening on %s", m->ls[i].addr.text);
	return 0;
unlock:
	daemon_pidfile_remove(conf->pid_file);
fail:
	log_error("%s", err);
	return -1;
remove:
	daemon_pidfile_remove(conf->pid_file);
	return -1;
}

/* Sends the log files fds (n > 0) over a worker's control channel. */
static int
pass_logs(int ctl, const int *fds, size_t n)
{
	struct worker_logs	 h;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	union {
		char		 buf[CMSG_SPACE(LOG_FILES_MAX * sizeof(int))];
		struct cmsghdr	 align;
	}			 cbuf;

	h.magic = WORKER_LOGS_MAGIC;
	h.nfds = (uint32_t)n;
	iov.iov_base = &h;
	iov.iov_len = sizeof(h);
	memset(&msg, 0, sizeof(msg));
	memset(&cbuf, 0, sizeof(cbuf));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	/* Never wait for a worker: a full channel only skips this one. */
	if (sendmsg(ctl, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == -1)
		return -1;
	return 0;
}

/*
 * USR1: the master reopens its logs, then passes the new files to the
 * workers of the current generation, which have its set of logs by
 * fork.  A retiring worker keeps its files until it exits.  The signal
 * itself makes the workers flush their access-log blocks.
 */
static void
reopen_logs(struct master *m)
{
	int	fds[LOG_FILES_MAX];
	size_t	i, n;

	/* Each on its own: one that fails must not keep the other. */
	if (log_reopen() == -1)
		log_warn("cannot reopen the error log");
	if (accesslog_reopen() == -1)
		log_warn("cannot reopen the access logs");
	if (m->drop_privs)
		log_files_chown(m->uid, m->gid);
	n = log_file_fds(fds, LOG_FILES_MAX);
	for (i = 0; n > 0 && i < CHILD_MAX; i++) {
		if (m->kids[i].pid == 0 || m->kids[i].retiring ||
		    m->kids[i].gen != m->gen || m->kids[i].ctl == -1)
			continue;
		if (pass_logs(m->kids[i].ctl, fds, n) == -1)
			log_warn("cannot pass the reopened logs to worker "
			    "pid %ld", (long)m->kids[i].pid);
	}
	signal_gen(m, SIGUSR1, 0);
}

/* Waits for signals, worker reports and respawn times, until a stop. */
static void
loop(struct master *m)
{
	struct pollfd	pfd;
	struct timespec	ts;
	long		due;

	pfd.fd = m->ready[0];
	pfd.events = POLLIN;
	for (;;) {
		if (!got_hup && !got_quit && !got_term && !got_usr1 &&
		    !got_chld) {
			/* Wake for a respawn, or to report a late reload. */
			due = next_respawn(m);
			if (!m->announced && (due == -1 || due > 500))
				due = 500;
			ts.tv_sec = due / 1000;
			ts.tv_nsec = (due % 1000) * 1000000;
			if (ppoll(&pfd, 1, due == -1 ? NULL : &ts,
			    &m->waitmask) == -1 && errno != EINTR)
				log_warn("ppoll");
		}
		read_ready(m);
		if (got_term || got_quit) {
			stop(m, got_term ? SIGTERM : SIGQUIT);
			return;
		}
		if (got_chld) {
			got_chld = 0;
			reap(m);
		}
		respawn_due(m);
		if (got_hup) {
			got_hup = 0;
			log_info("reloading %s", m->opts->conf_path);
			reload(m);
		}
		if (got_usr1) {
			got_usr1 = 0;
			reopen_logs(m);
		}
	}
}

int
master_run(struct conf *conf, const struct master_opts *opts)
{
	static struct master	m;
	size_t			i;

	memset(&m, 0, sizeof(m));
	if (setup(&m, conf, opts) == -1) {
		conf_free(m.conf != NULL ? m.conf : conf);
		return 1;
	}
	log_set_startup(0);
	spawn_all(&m);
	status(&m, "started");
	loop(&m);
	daemon_pidfile_remove(m.conf->pid_file);
	for (i = 0; i < m.nls; i++)
		close(m.ls[i].fd);
	sites_close(m.sites);
	log_info("stopped");
	conf_free(m.conf);
	return 0;
}
