/*
 * cidr: address prefixes for allow lists.  IPv4 prefixes are kept as
 * IPv4-mapped IPv6 (::ffff:a.b.c.d/96+n), so that a client reaching an
 * IPv6 socket from IPv4 matches the IPv4 prefix.  Pure.
 */
#ifndef MINIHTTPD_CIDR_H
#define MINIHTTPD_CIDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define CIDR_STR_MAX	64

struct cidr {
	uint8_t		addr[16];	/* masked to bits */
	unsigned	bits;		/* 0..128 */
};

/*
 * "10.0.0.0/8", "192.0.2.1", "::1", "2001:db8::/32", "::ffff:10.0.0.0/104".
 * Host bits set below the prefix are an error (as "10.0.0.1/8": say
 * what was meant).  Returns 0, or -1 with why.
 */
int	cidr_parse(const char *, struct cidr *, char *why, size_t whysz);
/*
 * 1 when the address (AF_INET or AF_INET6) is inside any of the n.  An
 * AF_INET address is looked up as ::ffff:a.b.c.d, so "::/0" takes in
 * IPv4 clients too; any other family is never inside.
 */
int	cidr_match(const struct cidr *, size_t n, const struct sockaddr *);
/*
 * Writes the prefix back as text ("10.0.0.0/8"); returns its length.
 * An IPv4-mapped prefix of 96 bits or more is written as IPv4, and a
 * single address (/32, /128) without its length.  Like snprintf, the
 * length is that of the whole text, truncated when it is the size or
 * more; CIDR_STR_MAX always fits.
 */
size_t	cidr_format(const struct cidr *, char *, size_t);

#endif
