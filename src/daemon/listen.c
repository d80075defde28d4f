/*
 * listen: listen addresses.  Parsing accepts numeric addresses only, so
 * that start-up never waits on a resolver and "-t" means the same thing
 * on every machine.  Binding sets SO_REUSEADDR (restarts do not wait for
 * TIME_WAIT) and IPV6_V6ONLY (an IPv6 address never captures IPv4).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/listen.h"
#include "core/util.h"

static int	parse_port(const char *, in_port_t *);

static int
parse_port(const char *s, in_port_t *port)
{
	uint64_t	v;

	if (util_parse_uint(s, strlen(s), 65535, &v) == -1 || v == 0)
		return -1;
	*port = htons((in_port_t)v);
	return 0;
}

int
listen_parse(const char *s, struct listen_addr *la, char *err, size_t errsz)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&la->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&la->ss;
	char			 host[INET6_ADDRSTRLEN + 2];
	const char		*colon, *port;
	size_t			 hl;

	memset(la, 0, sizeof(*la));
	if (s[0] == '[') {
		if ((colon = strstr(s, "]:")) == NULL) {
			snprintf(err, errsz, "expected \"[ADDRESS]:PORT\"");
			return -1;
		}
		hl = (size_t)(colon - s - 1);
		port = colon + 2;
		if (hl >= sizeof(host))
			goto badaddr;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		sin6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			goto badaddr;
		if (parse_port(port, &sin6->sin6_port) == -1)
			goto badport;
		la->len = sizeof(*sin6);
		snprintf(la->text, sizeof(la->text), "[%s]:%s", host, port);
		return 0;
	}
	sin->sin_family = AF_INET;
	la->len = sizeof(*sin);
	if ((colon = strrchr(s, ':')) == NULL) {
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		port = s;
		snprintf(host, sizeof(host), "0.0.0.0");
	} else {
		hl = (size_t)(colon - s);
		port = colon + 1;
		if (hl >= sizeof(host))
			goto badaddr;
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			goto badaddr;
	}
	if (parse_port(port, &sin->sin_port) == -1)
		goto badport;
	snprintf(la->text, sizeof(la->text), "%s:%s", host, port);
	return 0;
badaddr:
	snprintf(err, errsz, "not a numeric IPv4 or [IPv6] address");
	return -1;
badport:
	snprintf(err, errsz, "port must be a number from 1 to 65535");
	return -1;
}

int
listen_same(const struct listen_addr *a, const struct listen_addr *b)
{
	return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

int
listen_match(const struct listen_addr *a, const struct sockaddr *sa)
{
	const struct sockaddr_in	*a4, *s4;
	const struct sockaddr_in6	*a6, *s6;

	if (sa->sa_family != a->ss.ss_family)
		return 0;
	if (sa->sa_family == AF_INET) {
		a4 = (const struct sockaddr_in *)&a->ss;
		s4 = (const struct sockaddr_in *)sa;
		if (a4->sin_port != s4->sin_port)
			return 0;
		if (a4->sin_addr.s_addr == s4->sin_addr.s_addr)
			return 2;
		return a4->sin_addr.s_addr == htonl(INADDR_ANY);
	}
	if (sa->sa_family != AF_INET6)
		return 0;
	a6 = (const struct sockaddr_in6 *)&a->ss;
	s6 = (const struct sockaddr_in6 *)sa;
	if (a6->sin6_port != s6->sin6_port)
		return 0;
	if (memcmp(&a6->sin6_addr, &s6->sin6_addr, 16) == 0)
		return 2;
	return IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr);
}

int
listen_bind(const struct listen_addr *la)
{
	int	fd, on = 1, save;

	fd = socket(la->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	if (la->ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	if (bind(fd, (const struct sockaddr *)&la->ss, la->len) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;
fail:
	save = errno;
	close(fd);
	errno = save;
	return -1;
}

int
listen_from_fd(int fd, struct listen_addr *la)
{
	char		host[INET6_ADDRSTRLEN];
	const void	*addr;
	unsigned	port;

	memset(la, 0, sizeof(*la));
	la->len = sizeof(la->ss);
	if (getsockname(fd, (struct sockaddr *)&la->ss, &la->len) == -1)
		return -1;
	if (la->ss.ss_family == AF_INET) {
		addr = &((struct sockaddr_in *)&la->ss)->sin_addr;
		port = ntohs(((struct sockaddr_in *)&la->ss)->sin_port);
	} else if (la->ss.ss_family == AF_INET6) {
		addr = &((struct sockaddr_in6 *)&la->ss)->sin6_addr;
		port = ntohs(((struct sockaddr_in6 *)&la->ss)->sin6_port);
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	inet_ntop(la->ss.ss_family, addr, host, sizeof(host));
	snprintf(la->text, sizeof(la->text), la->ss.ss_family == AF_INET6 ?
	    "[%s]:%u" : "%s:%u", host, port);
	return 0;
}

size_t
listen_inherit(struct listen_addr *las, int *fds, size_t max)
{
	const char	*pid = getenv("LISTEN_PID"), *nfds = getenv("LISTEN_FDS");
	uint64_t	 p, n;
	size_t		 i, got = 0;
	int		 fd, fl;

	if (pid == NULL || nfds == NULL ||
	    util_parse_uint(pid, strlen(pid), 4194304, &p) == -1 ||
	    (pid_t)p != getpid() ||
	    util_parse_uint(nfds, strlen(nfds), 1024, &n) == -1)
		return 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	for (i = 0; i < n && got < max; i++) {
		fd = 3 + (int)i;
		if (listen_from_fd(fd, &las[got]) == -1)
			continue;
		fl = fcntl(fd, F_GETFL);
		if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
		    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
			continue;
		fds[got++] = fd;
	}
	return got;
}
