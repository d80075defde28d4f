/*
 * get_common: what the parts of minihttp-get share: exit statuses, the
 * parsed command line, one-line messages on standard error, monotonic
 * deadlines and the verbose dump of heads.  Like the rest of the client
 * it uses only levels 0-1 of the source layout and libc; it opens no
 * socket and no file.
 */
#ifndef MINIHTTPD_GET_COMMON_H
#define MINIHTTPD_GET_COMMON_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/url.h"

#define GET_NAME		"minihttp-get"
#define GET_CONNECT_TIMEOUT	10	/* seconds, --connect-timeout */
#define GET_MAX_REDIRS		10	/* --max-redirs */
#define GET_NAME_MAX		256	/* -O file name, NUL included */

enum get_exit {
	GET_OK = 0,
	GET_EHTTP = 1,		/* status >= 400 */
	GET_EUSAGE = 2,		/* bad option, target or header */
	GET_ENET = 3,		/* resolve, connect, reset, timeout */
	GET_EPROTO = 4,		/* malformed or truncated response */
	GET_ELOCAL = 5,		/* output file or standard output */
	GET_ETLS = 6,		/* TLS handshake, certificate, TLS record */
	GET_RETRY = -1		/* internal: a reused connection went away */
};

/* Where a target's body goes. */
enum get_dest {
	GET_DEST_STDOUT = 0,
	GET_DEST_FILE,		/* -o FILE */
	GET_DEST_REMOTE		/* -O: the remote name */
};

struct get_target {
	const char	*arg;		/* as given */
	struct url	 url;
	enum get_dest	 dest;
	const char	*file;		/* NULL: standard output */
	char		 remote[GET_NAME_MAX];
};

struct get_opts {
	int		  head;		/* -I */
	int		  include;	/* -i */
	int		  verbose;	/* -v */
	int		  silent;	/* -s */
	int		  fail;		/* -f */
	int		  follow;	/* -L */
	long		  max_redirs;
	int		  resume;	/* -C - */
	int		  remote_time;	/* -R, implied by -C */
	int		  clobber;	/* --clobber */
	const char	 *range;	/* -r, without "bytes=" */
	int		  has_since;	/* -z */
	time_t		  since;
	double		  max_time;	/* 0: none */
	double		  connect_timeout;
	const char	**headers;	/* -H, checked */
	size_t		  nheaders;
	const char	 *cacert;	/* --cacert: instead of the system's */
	int		  insecure;	/* -k: no certificate verification */
	int		  progress;	/* stderr is a terminal, no -s */
};

struct get_deadline {
	int64_t	at;			/* CLOCK_MONOTONIC ms; -1: none */
	double	secs;			/* reported when it passes */
};

/* -s: errors other than usage errors and notices are not printed. */
void	get_msg_quiet(int);
/* A progress line is on the terminal without its newline yet. */
void	get_msg_dirty(int);

/* Prints "minihttp-get: ..." unless quiet; returns code. */
int	get_err(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The same for a notice that is no failure. */
void	get_notice(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* -v: "* ..." on standard error (the caller checks -v). */
void	get_info(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* snprintf at buf + *n, advancing *n; -1 when it does not fit. */
int	get_append(char *buf, size_t size, size_t *n, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

int64_t	get_now(void);
void	get_deadline_set(struct get_deadline *, double secs);
/* Milliseconds left for poll(): -1 forever, 0 when already passed. */
int	get_deadline_ms(const struct get_deadline *);

/* -v: each line of a head after a "> " or "< " prefix. */
void	get_print_prefixed(const char *prefix, const char *, size_t);

#endif
