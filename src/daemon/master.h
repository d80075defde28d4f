/*
 * master: forks the workers, supervises them and turns signals into
 * reloads and stops.  Never touches a request.
 */
#ifndef MINIHTTPD_MASTER_H
#define MINIHTTPD_MASTER_H

#include "daemon/conf.h"

struct master_opts {
	const char	*conf_path;
	int		 foreground;
};

/* Takes ownership of conf.  Returns the process exit status. */
int	master_run(struct conf *, const struct master_opts *);

#endif
