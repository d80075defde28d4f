/*
 * transport: the plain TCP transport, the socket as it is.  Reads want
 * the socket readable, writes want it writable; a file goes out with
 * sendfile(2), so its bytes never pass through user space.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/transport.h"

static ssize_t	plain_recv(struct transport *, void *, size_t);
static ssize_t	plain_sendv(struct transport *, const struct iovec *, int,
		    int);
static ssize_t	plain_sendfile(struct transport *, int, off_t *, size_t);
static int	plain_shutdown(struct transport *);
static void	plain_release(struct transport *);

static const struct transport_ops plain_ops = {
	"plain",
	plain_recv,
	plain_sendv,
	plain_sendfile,
	plain_shutdown,
	plain_release
};

void
transport_plain(struct transport *t, int fd)
{
	t->ops = &plain_ops;
	t->fd = fd;
	t->want = TRANSPORT_WANT_READ;
	t->state = NULL;
}

int
transport_is_plain(const struct transport *t)
{
	return t->ops == &plain_ops;
}

static ssize_t
plain_recv(struct transport *t, void *buf, size_t len)
{
	ssize_t	n;

	if ((n = read(t->fd, buf, len)) == -1)
		t->want = TRANSPORT_WANT_READ;
	return n;
}

/*
 * One iovec goes out with send(2), which takes MSG_MORE; several with
 * sendmsg(2), which takes it too.  MSG_NOSIGNAL: a closed peer is an
 * EPIPE to handle, never a signal.
 */
static ssize_t
plain_sendv(struct transport *t, const struct iovec *iov, int n, int more)
{
	struct msghdr	msg;
	ssize_t		r;
	int		flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);

	if (n == 1)
		r = send(t->fd, iov[0].iov_base, iov[0].iov_len, flags);
	else {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = (struct iovec *)(uintptr_t)iov;
		msg.msg_iovlen = (size_t)n;
		r = sendmsg(t->fd, &msg, flags);
	}
	if (r == -1)
		t->want = TRANSPORT_WANT_WRITE;
	return r;
}

static ssize_t
plain_sendfile(struct transport *t, int file, off_t *off, size_t len)
{
	ssize_t	n;

	if ((n = sendfile(t->fd, file, off, len)) == -1)
		t->want = TRANSPORT_WANT_WRITE;
	return n;
}

static int
plain_shutdown(struct transport *t)
{
	return shutdown(t->fd, SHUT_WR);
}

static void
plain_release(struct transport *t)
{
	t->state = NULL;
}
