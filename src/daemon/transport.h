/*
 * transport: how a connection's bytes reach its socket.  conn moves
 * every byte through these four operations and never calls read(2),
 * writev(2) or sendfile(2) itself, so that a transport that encrypts
 * (TLS) plugs in here without conn, and without serve, knowing.
 *
 * Every operation is non-blocking.  It returns the bytes moved, or -1
 * with errno; EAGAIN means "not now", and then want says which readiness
 * of the socket lets the operation go on: TLS may need to read before it
 * can write, or to write before it can read.  recv returns 0 at the
 * peer's orderly end of stream.
 */
#ifndef MINIHTTPD_TRANSPORT_H
#define MINIHTTPD_TRANSPORT_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

enum transport_want {
	TRANSPORT_WANT_READ = 1,
	TRANSPORT_WANT_WRITE
};

struct transport;

struct transport_ops {
	const char	*name;
	ssize_t		(*recv)(struct transport *, void *, size_t);
	/* more: further bytes follow at once (MSG_MORE: one packet). */
	ssize_t		(*sendv)(struct transport *, const struct iovec *,
			    int, int more);
	/*
	 * Sends len bytes of file from *off, advancing *off.  NULL when
	 * the transport cannot send a file from the kernel: conn then
	 * reads the bytes (pread) and sends them with sendv.
	 */
	ssize_t		(*sendfile)(struct transport *, int file, off_t *off,
			    size_t len);
	/* Ends our direction of the stream (FIN; for TLS, close_notify). */
	int		(*shutdown)(struct transport *);
	/* Lets go of the transport's state; the socket is conn's to close. */
	void		(*release)(struct transport *);
};

struct transport {
	const struct transport_ops	*ops;
	int				 fd;
	enum transport_want		 want;	/* after EAGAIN */
	void				*state;	/* the transport's own */
};

/* Plain TCP: the socket as it is. */
void	transport_plain(struct transport *, int fd);
/*
 * Whether t is plain TCP: only then is the socket all of a connection's
 * state, so that it can be passed to another process.
 */
int	transport_is_plain(const struct transport *);

#endif
