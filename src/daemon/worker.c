/*
 * worker: the accept loop of one worker process.  It owns the libevent
 * base (created after fork), accepts on every listening socket inherited
 * from the master, hands each socket to conn.c, and handles the worker's
 * signals: TERM/INT stop now, QUIT drains, USR2 retires this worker for
 * a reload (draining, and passing idle connections to the new generation
 * over the hand-off channel), USR1 flushes the access logs.  The logs
 * are reopened by the master, which passes the new files over the
 * worker's control channel.  Once all of that is set up, the worker
 * confines itself (sandbox.c).
 * Accepting pauses at limits.max_connections and, briefly, when the
 * process runs out of file descriptors, instead of spinning.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "daemon/conn.h"
#include "daemon/daemon.h"
#include "daemon/fcache.h"
#include "daemon/log.h"
#include "daemon/sandbox.h"
#include "daemon/serve.h"
#include "daemon/worker.h"

/*
 * Connections accepted per wakeup.  Few, so that a burst of new clients
 * is shared with the other workers, which the kernel wakes too: with 64,
 * one worker could take all 64 of wrk's connections (busiest/other CPU
 * up to 4.3 in the benchmark's "fair" scenario; 1.7 at most with 8), and
 * the cost of a new connection did not grow (bench/run, close).
 */
#define ACCEPT_BATCH		8
#define ACCEPT_PAUSE_MSEC	100
#define HANDOFF_BATCH		64
#define WORKER_LISTEN_MAX	64
#define WORKER_SIGNALS		5	/* TERM INT QUIT USR1 USR2 */

/*
 * A worker: its event loop, the sockets it accepts on, its signals and
 * timers, and what its connections share (the pool, the cache and the
 * environment serve reads).  Private to this file.
 */
struct worker {
	struct event_base	*base;
	const struct conf	*conf;
	struct serve_env	 env;
	struct fcache		 cache;
	struct conn_pool	 pool;
	char			 boundary[SERVE_BOUNDARY_LEN + 1];
	int			 listen_fds[WORKER_LISTEN_MAX];
	struct event		 accept_ev[WORKER_LISTEN_MAX];
	size_t			 nlisten;
	int			 accepting;
	struct event		 pause_ev;	/* EMFILE back-off */
	struct event		 drain_ev;	/* shutdown deadline */
	struct event		 sig_ev[WORKER_SIGNALS];
	int			 draining;	/* QUIT or retiring */
	struct event		 handoff_ev;	/* adopt passed connections */
	struct event		 tick_ev;	/* log flush, load report */
	struct event		 fcache_ev;	/* inotify: before any conn */
	struct event		 ctl_ev;	/* reopened logs */
	int			 report_fd;
	unsigned		 generation;
	size_t			 reported;	/* nconns last reported */
};
#define TICK_SECS		1	/* log flush, load report */

static void	on_accept(evutil_socket_t, short, void *);
static void	on_resume(evutil_socket_t, short, void *);
static void	on_signal(evutil_socket_t, short, void *);
static void	on_drain_deadline(evutil_socket_t, short, void *);
static void	accept_enable(struct worker *, int);
static void	drain(struct worker *, int);
static void	on_handoff(evutil_socket_t, short, void *);
static void	on_ctl(evutil_socket_t, short, void *);
static void	conn_closed(void *);
static void	on_fcache(evutil_socket_t, short, void *);
static void	make_boundary(char *, size_t);
static void	report(struct worker *, int);
static void	on_tick(evutil_socket_t, short, void *);

static void
report(struct worker *w, int ready)
{
	struct worker_report	r;

	if (w->report_fd == -1)
		return;
	r.gen = w->generation;
	r.pid = (int32_t)getpid();
	r.nconns = (uint32_t)w->pool.nconns;
	r.ready = (uint32_t)ready;
	if (write(w->report_fd, &r, sizeof(r)) == -1)
		log_debug("report pipe: %s", strerror(errno));
	w->reported = w->pool.nconns;
}

/*
 * Once a second: the buffered access-log lines go out, the cache checks
 * the entries it cannot watch, memory freed after a burst goes back to
 * the system, and the master hears the connection count when it
 * changed (for systemd's STATUS=).
 */
static void
on_tick(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	(void)accesslog_flush();
	fcache_events(&w->cache);
	conn_pool_trim(&w->pool);
	if (w->pool.nconns != w->reported)
		report(w, 0);
}

/*
 * A multipart boundary that no file is likely to contain; random per
 * worker so that a client cannot predict it and plant it in a file.
 */
static void
make_boundary(char *out, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		rnd[SERVE_BOUNDARY_LEN / 2];
	size_t			i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		for (i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(getpid() * 31 + i * 7);
	for (i = 0; i < sizeof(rnd) && 2 * i + 2 < len; i++) {
		out[2 * i] = hex[rnd[i] >> 4];
		out[2 * i + 1] = hex[rnd[i] & 15];
	}
	out[2 * i] = '\0';
}

static void
accept_enable(struct worker *w, int on)
{
	size_t	i;

	if (on == w->accepting)
		return;
	for (i = 0; i < w->nlisten; i++) {
		if (on)
			event_add(&w->accept_ev[i], NULL);
		else
			event_del(&w->accept_ev[i]);
	}
	w->accepting = on;
}

/* The cache's inotify fd is readable: a cached file may have changed. */
static void
on_fcache(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	fcache_events(&w->cache);
}

/* A connection is gone: the loop may end, or accepting resume. */
static void
conn_closed(void *arg)
{
	struct worker	*w = arg;

	if (w->draining) {
		if (w->pool.nconns == 0)
			event_base_loopexit(w->base, NULL);
		return;
	}
	if (!w->accepting && !evtimer_pending(&w->pause_ev, NULL) &&
	    w->pool.nconns < (size_t)w->conf->limits.max_connections)
		accept_enable(w, 1);
}

static void
on_resume(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	if (!w->draining &&
	    w->pool.nconns < (size_t)w->conf->limits.max_connections)
		accept_enable(w, 1);
}

static void
on_accept(evutil_socket_t lfd, short ev, void *arg)
{
	struct worker		*w = arg;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { 0, ACCEPT_PAUSE_MSEC * 1000 };
	socklen_t		 len;
	int			 fd, i;
	size_t			 addr;

	/* The listening sockets are in the order of conf->addrs. */
	for (addr = 0; addr + 1 < w->nlisten && w->listen_fds[addr] != lfd;
	    addr++)
		;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		if (w->pool.nconns >= (size_t)w->conf->limits.max_connections) {
			/* Leave the rest queued for the other workers. */
			accept_enable(w, 0);
			return;
		}
		len = sizeof(ss);
		fd = accept4(lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			switch (errno) {
			case EAGAIN:
			case EINTR:
				return;
			case ECONNABORTED:
			case EPROTO:
				continue;
			case EMFILE:
			case ENFILE:
			case ENOBUFS:
			case ENOMEM:
				log_warn("accept: pausing %d ms",
				    ACCEPT_PAUSE_MSEC);
				accept_enable(w, 0);
				evtimer_add(&w->pause_ev, &tv);
				return;
			default:
				log_warn("accept");
				return;
			}
		}
		conn_accept(&w->pool, fd, (struct sockaddr *)&ss, len, addr);
	}
}

/* Adopts connections a retiring worker passed on. */
static void
on_handoff(evutil_socket_t hfd, short ev, void *arg)
{
	struct worker		*w = arg;
	struct conn_handoff	 h;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	union {
		char		 buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	 align;
	}			 cbuf;
	ssize_t			 n;
	int			 i, fd;

	for (i = 0; i < HANDOFF_BATCH && !w->draining; i++) {
		iov.iov_base = &h;
		iov.iov_len = sizeof(h);
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		n = recvmsg(hfd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("hand-off channel");
			return;
		}
		cm = CMSG_FIRSTHDR(&msg);
		if (cm == NULL || cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len != CMSG_LEN(sizeof(int)))
			continue;
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		if ((size_t)n != sizeof(h) || h.magic != CONN_HANDOFF_MAGIC ||
		    (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
			close(fd);
			continue;
		}
		h.peer[sizeof(h.peer) - 1] = '\0';
		conn_adopt(&w->pool, fd, h.nreq, h.peer);
	}
}

/*
 * The master reopened the logs (USR1) and sends the new files: they take
 * the place of ours.  A message that is not whole is dropped with its
 * files.
 */
static void
on_ctl(evutil_socket_t cfd, short ev, void *arg)
{
	struct worker		*w = arg;
	struct worker_logs	 h;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	union {
		char		 buf[CMSG_SPACE(LOG_FILES_MAX * sizeof(int))];
		struct cmsghdr	 align;
	}			 cbuf;
	int			 fds[LOG_FILES_MAX];
	size_t			 i, n = 0;
	ssize_t			 r;

	iov.iov_base = &h;
	iov.iov_len = sizeof(h);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	r = recvmsg(cfd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (r == 0) {
		/* The master is gone; PR_SET_PDEATHSIG ends us. */
		event_del(&w->ctl_ev);
		return;
	}
	if (r == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("control channel");
		return;
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS || n > 0)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
	}
	if ((size_t)r != sizeof(h) || h.magic != WORKER_LOGS_MAGIC ||
	    h.nfds != n || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		log_warnx("control channel: a malformed message");
	else if (log_files_adopt(fds, n) == -1)
		log_warn("cannot take the reopened logs");
	else
		log_debug("took %zu reopened log file%s", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		close(fds[i]);
}

static void
on_drain_deadline(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	log_info("shutdown deadline reached with %zu connections open",
	    w->pool.nconns);
	event_base_loopbreak(w->base);
}

/*
 * QUIT (handoff = 0): stop accepting, let in-flight responses finish,
 * then exit.  USR2 (handoff = 1): the same, but every connection that is
 * or becomes idle is passed to the new generation rather than closed.
 */
static void
drain(struct worker *w, int handoff)
{
	struct timeval	tv = { w->conf->timeouts.shutdown, 0 };
	size_t		i;

	if (w->draining) {
		/*
		 * QUIT while retiring: the new generation is stopping too,
		 * so nothing more is passed on; idle connections close.
		 */
		if (w->pool.handoff && !handoff)
			conn_drain_all(&w->pool, 0);
		return;
	}
	w->draining = 1;
	(void)accesslog_flush();
	if (event_initialized(&w->handoff_ev))
		event_del(&w->handoff_ev);
	accept_enable(w, 0);
	evtimer_del(&w->pause_ev);
	/* Our copies only: the master and other workers keep theirs. */
	for (i = 0; i < w->nlisten; i++)
		close(w->listen_fds[i]);
	w->nlisten = 0;
	conn_drain_all(&w->pool, handoff);
	if (w->pool.nconns == 0) {
		event_base_loopexit(w->base, NULL);
		return;
	}
	evtimer_add(&w->drain_ev, &tv);
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	struct worker	*w = arg;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		event_base_loopbreak(w->base);
		break;
	case SIGQUIT:
		drain(w, 0);
		break;
	case SIGUSR2:
		log_debug("retiring: passing idle connections on");
		drain(w, 1);
		break;
	case SIGUSR1:
		/* The new files come from the master (on_ctl). */
		(void)accesslog_flush();
		break;
	}
}

int
worker_main(const struct worker_args *a)
{
	static const int	 sigs[WORKER_SIGNALS] = {
		SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2
	};
	struct worker		 w;
	struct event_config	*ec;
	char			 tag[32], err[256];
	struct timeval		 tick = { TICK_SECS, 0 };
	int			 nodelay = 1;
	size_t			 i;
	sigset_t		 none;

	memset(&w, 0, sizeof(w));
	snprintf(tag, sizeof(tag), "worker g%u", a->generation);
	log_set_tag(tag);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGALRM, SIG_DFL);

	if (a->drop_privs && daemon_drop_privileges(a->uid, a->gid, err,
	    sizeof(err)) == -1) {
		log_error("%s", err);
		return 1;
	}
	/*
	 * A change of credentials clears the parent-death signal the
	 * master set after fork: set it again, then make sure the master
	 * did not die in between.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != a->master)
		return 1;

	w.conf = a->conf;
	fcache_init(&w.cache);
	make_boundary(w.boundary, sizeof(w.boundary));
	w.env.conf = a->conf;
	w.env.cache = &w.cache;
	w.env.sites = a->sites;
	w.env.boundary = w.boundary;
	w.env.now = &w.pool.now;

	if ((ec = event_config_new()) == NULL)
		return 1;
	event_config_set_flag(ec, EVENT_BASE_FLAG_NOLOCK);
	w.base = event_base_new_with_config(ec);
	event_config_free(ec);
	if (w.base == NULL) {
		log_error("cannot create the event loop");
		return 1;
	}
	/*
	 * Two priorities: the cache's events (0) run before any
	 * connection (1) in every turn of the loop, so a change finished
	 * before the loop polled is applied before a request read after
	 * that poll (see fcache.c).
	 */
	if (event_base_priority_init(w.base, 2) == -1) {
		log_error("cannot set event priorities");
		return 1;
	}
	if (fcache_fd(&w.cache) != -1) {
		event_assign(&w.fcache_ev, w.base, fcache_fd(&w.cache),
		    EV_READ | EV_PERSIST, on_fcache, &w);
		event_priority_set(&w.fcache_ev, 0);
		event_add(&w.fcache_ev, NULL);
	}
	w.nlisten = a->nlisten < WORKER_LISTEN_MAX ? a->nlisten :
	    WORKER_LISTEN_MAX;
	for (i = 0; i < w.nlisten; i++) {
		w.listen_fds[i] = a->listen_fds[i];
		/*
		 * Accepted sockets inherit TCP_NODELAY from the listening
		 * one: set once here (sockets from systemd included), not
		 * once per connection.
		 */
		(void)setsockopt(w.listen_fds[i], IPPROTO_TCP, TCP_NODELAY,
		    &nodelay, sizeof(nodelay));
		event_assign(&w.accept_ev[i], w.base, w.listen_fds[i],
		    EV_READ | EV_PERSIST, on_accept, &w);
	}
	evtimer_assign(&w.pause_ev, w.base, on_resume, &w);
	evtimer_assign(&w.drain_ev, w.base, on_drain_deadline, &w);
	conn_pool_init(&w.pool, w.base, a->conf, &w.env, a->handoff_send,
	    conn_closed, &w);
	if (a->handoff_recv != -1) {
		event_assign(&w.handoff_ev, w.base, a->handoff_recv,
		    EV_READ | EV_PERSIST, on_handoff, &w);
		event_add(&w.handoff_ev, NULL);
	}
	if (a->ctl_fd != -1) {
		event_assign(&w.ctl_ev, w.base, a->ctl_fd, EV_READ | EV_PERSIST,
		    on_ctl, &w);
		event_add(&w.ctl_ev, NULL);
	}
	for (i = 0; i < (sizeof(sigs) / sizeof(sigs[0])); i++) {
		evsignal_assign(&w.sig_ev[i], w.base, sigs[i], on_signal, &w);
		evsignal_add(&w.sig_ev[i], NULL);
	}
	/* Signals the master left blocked reach libevent's handlers now. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/*
	 * Everything is open: from here on, only what serving needs.
	 * The time zone first: glibc reads /etc/localtime at the first
	 * localtime_r, which Landlock would then refuse (log stamps in UTC).
	 */
	tzset();
	if (sandbox_apply(a->conf, a->sites, a->slot == 0) == -1)
		return 1;
	accept_enable(&w, 1);
	w.report_fd = a->report_fd;
	w.generation = a->generation;
	/* Readiness: this worker accepts now. */
	report(&w, 1);
	event_assign(&w.tick_ev, w.base, -1, EV_PERSIST, on_tick, &w);
	event_add(&w.tick_ev, &tick);
	log_debug("serving %zu site%s", a->conf->nsites,
	    a->conf->nsites == 1 ? "" : "s");

	event_base_dispatch(w.base);

	conn_close_all(&w.pool);
	accesslog_close();
	if (fcache_fd(&w.cache) != -1)
		event_del(&w.fcache_ev);
	if (a->ctl_fd != -1)
		event_del(&w.ctl_ev);
	event_del(&w.tick_ev);
	fcache_free(&w.cache);
	for (i = 0; i < (sizeof(sigs) / sizeof(sigs[0])); i++)
		evsignal_del(&w.sig_ev[i]);
	event_base_free(w.base);
	return 0;
}
