/*
 * listen: parses "ADDR:PORT", "[V6ADDR]:PORT" and "PORT" listen
 * addresses and binds them.  The master binds; workers inherit the fds.
 */
#ifndef MINIHTTPD_LISTEN_H
#define MINIHTTPD_LISTEN_H

#include <sys/socket.h>

#define LISTEN_TEXT_MAX	64
#define LISTEN_BACKLOG	4096

struct listen_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
	char			text[LISTEN_TEXT_MAX];	/* canonical form */
};

/* Returns 0, or -1 with a reason in err. */
int	listen_parse(const char *, struct listen_addr *, char *err, size_t);
/* Returns a non-blocking, close-on-exec listening fd, or -1 with errno. */
int	listen_bind(const struct listen_addr *);
/*
 * Sockets passed by systemd socket activation ($LISTEN_PID, $LISTEN_FDS,
 * starting at fd 3): fills up to max entries and their fds, made
 * non-blocking and close-on-exec, and unsets the variables.  Returns the
 * count (0 when not activated).
 */
size_t	listen_inherit(struct listen_addr *, int *fds, size_t max);
/* Fills la from a bound socket. */
int	listen_from_fd(int fd, struct listen_addr *la);
/* Non-zero when both name the same address and port. */
int	listen_same(const struct listen_addr *, const struct listen_addr *);
/*
 * Whether a socket's local address sa is a of a listening address: 2
 * when address and port are equal, 1 when a is the wildcard of the
 * same family and port, 0 otherwise.
 */
int	listen_match(const struct listen_addr *, const struct sockaddr *);

#endif
