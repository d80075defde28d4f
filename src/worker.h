/*
 * worker: one libevent loop serving connections accepted on the
 * listening sockets inherited from the master.
 */
#ifndef MINIHTTPD_WORKER_H
#define MINIHTTPD_WORKER_H

#include <sys/types.h>

#include "conf.h"

struct worker_args {
	const struct conf	*conf;
	const int		*listen_fds;
	size_t			 nlisten;
	int			 rootfd;	/* document_root, O_DIRECTORY */
	const char		*rootpath;	/* its real path, or NULL */
	int			 handoff_send;	/* retiring workers pass here */
	int			 handoff_recv;	/* current workers adopt here */
	int			 ready_fd;	/* pipe: "accepting" to master */
	unsigned		 generation;
	int			 drop_privs;	/* started as root */
	uid_t			 uid;
	gid_t			 gid;
	pid_t			 master;	/* to notice its death */
};

/* Runs the worker; returns the process exit status. */
int	worker_main(const struct worker_args *);

#endif
