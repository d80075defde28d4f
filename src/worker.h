/*
 * worker: one libevent loop serving connections accepted on the
 * listening sockets inherited from the master.
 */
#ifndef MINIHTTPD_WORKER_H
#define MINIHTTPD_WORKER_H

#include "conf.h"

struct worker_args {
	const struct conf	*conf;
	const int		*listen_fds;
	size_t			 nlisten;
	unsigned		 generation;
	int			 drop_privs;	/* started as root */
};

/* Runs the worker; returns the process exit status. */
int	worker_main(const struct worker_args *);

#endif
