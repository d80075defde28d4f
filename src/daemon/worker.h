/*
 * worker: one libevent loop serving connections accepted on the
 * listening sockets inherited from the master.
 */
#ifndef MINIHTTPD_WORKER_H
#define MINIHTTPD_WORKER_H

#include <stdint.h>
#include <sys/types.h>

#include "daemon/conf.h"
#include "daemon/sites.h"

struct worker_args {
	const struct conf	*conf;
	const int		*listen_fds;
	size_t			 nlisten;
	const struct sites	*sites;		/* roots, aliases, htpasswd */
	int			 handoff_send;	/* retiring workers pass here */
	int			 handoff_recv;	/* current workers adopt here */
	int			 report_fd;	/* pipe to the master */
	int			 ctl_fd;	/* from the master: new logs */
	int			 slot;		/* 0: logs the sandbox */
	unsigned		 generation;
	int			 drop_privs;	/* started as root */
	uid_t			 uid;
	gid_t			 gid;
	pid_t			 master;	/* to notice its death */
};

/*
 * What a worker tells the master over the report pipe: once when it
 * accepts (ready = 1), then its connection count whenever that changed,
 * at most once a second.  Smaller than PIPE_BUF, so never interleaved.
 */
struct worker_report {
	uint32_t	gen;
	int32_t		pid;
	uint32_t	nconns;
	uint32_t	ready;
};

/*
 * What the master sends a worker over its control channel (ctl_fd, a
 * SOCK_SEQPACKET pair of its own) after it reopened the logs on USR1:
 * this head, with nfds log files as SCM_RIGHTS in the order of
 * log_file_fds.  A confined worker cannot open a log itself.
 */
#define WORKER_LOGS_MAGIC	0x6c6f6773U	/* "logs" */
struct worker_logs {
	uint32_t	magic;
	uint32_t	nfds;
};

/* Runs the worker; returns the process exit status. */
int	worker_main(const struct worker_args *);

#endif
