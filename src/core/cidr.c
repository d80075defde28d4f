/*
 * cidr: the address prefixes of "allow" lists, parsed at load, matched
 * against each client's address and written back for -T.  Every prefix
 * lives in the IPv6 space: an IPv4 prefix a.b.c.d/n is kept as
 * ::ffff:a.b.c.d/96+n, and an IPv4 client is looked up as that mapped
 * address, so that the same client matches the same prefixes whether it
 * reached an IPv4 socket or a dual-stack IPv6 one.  A consequence worth
 * knowing: "::/0" covers IPv4 clients too.
 *
 * This file must not resolve names, read files or keep state: it takes
 * strings and socket addresses and answers from them alone.
 */
#include "config.h"

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "core/cidr.h"
#include "core/util.h"

#define CIDR_V4_BITS	32
#define CIDR_V6_BITS	128
#define CIDR_MAPPED	96	/* bits of the ::ffff:0:0/96 prefix */

static const uint8_t	cidr_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static int	cidr_fail(char *, size_t, const char *);
static int	cidr_dotted_ok(const char *);
static int	cidr_prefix_len(const char *, unsigned, unsigned *);
static void	cidr_mask(uint8_t *, unsigned);
static int	cidr_in(const struct cidr *, const uint8_t *);

/*
 * The why of a refusal.  It does not repeat the text: the caller quotes
 * the value with the setting's name, as it does for listen_parse.
 */
static int
cidr_fail(char *why, size_t whysz, const char *what)
{
	if (why != NULL && whysz > 0)
		snprintf(why, whysz, "%s", what);
	return -1;
}

/*
 * Dotted quads without leading zeros: "010.0.0.1" is octal to some
 * parsers and decimal to others, so it is refused rather than guessed.
 * glibc's and musl's inet_pton refuse it too, but POSIX does not say
 * so.  Only the part after the last ':' can be dotted in IPv6.
 */
static int
cidr_dotted_ok(const char *p)
{
	const char	*colon = strrchr(p, ':');
	int		 start = 1;

	if (colon != NULL)
		p = colon + 1;
	if (strchr(p, '.') == NULL)
		return 1;
	for (; *p != '\0'; p++) {
		if (start && p[0] == '0' && p[1] >= '0' && p[1] <= '9')
			return 0;
		start = *p == '.';
	}
	return 1;
}

/* The length after '/': decimal, no sign, no leading zero, at most max. */
static int
cidr_prefix_len(const char *p, unsigned max, unsigned *bits)
{
	size_t		len = strlen(p);
	uint64_t	v;

	if (len == 0 || len > 3 || (p[0] == '0' && len > 1))
		return -1;
	if (util_parse_uint(p, len, max, &v) == -1)
		return -1;
	*bits = (unsigned)v;
	return 0;
}

/* Clears every bit of addr past the first bits. */
static void
cidr_mask(uint8_t *addr, unsigned bits)
{
	unsigned	i;

	for (i = 0; i < 16; i++) {
		if (bits >= 8)
			bits -= 8;
		else {
			addr[i] &= (uint8_t)(0xff00 >> bits);
			bits = 0;
		}
	}
}

int
cidr_parse(const char *s, struct cidr *c, char *why, size_t whysz)
{
	struct cidr	 p;
	char		 text[CIDR_STR_MAX], hint[2 * CIDR_STR_MAX];
	char		*slash;
	uint8_t		 addr[16];
	unsigned	 bits, max;
	int		 v6;

	if (s == NULL || *s == '\0')
		return cidr_fail(why, whysz, "empty address");
	if (strlen(s) >= sizeof(text))
		return cidr_fail(why, whysz, "too long for an address");
	if (s[strspn(s, "0123456789abcdefABCDEF:./")] != '\0')
		return cidr_fail(why, whysz, "not an IPv4 or IPv6 address "
		    "(only hex digits, ':', '.' and '/' may appear)");
	util_strlcpy(text, s, sizeof(text));
	if ((slash = strchr(text, '/')) != NULL)
		*slash++ = '\0';
	v6 = strchr(text, ':') != NULL;
	max = v6 ? CIDR_V6_BITS : CIDR_V4_BITS;
	memset(addr, 0, sizeof(addr));
	if (!cidr_dotted_ok(text) ||
	    inet_pton(v6 ? AF_INET6 : AF_INET, text,
	    v6 ? addr : addr + sizeof(cidr_mapped)) != 1)
		return cidr_fail(why, whysz, v6 ? "not an IPv6 address" :
		    "not an IPv4 address");
	bits = max;
	if (slash != NULL && cidr_prefix_len(slash, max, &bits) == -1)
		return cidr_fail(why, whysz, v6 ?
		    "the prefix length after '/' must be 0 to 128, "
		    "without a sign or leading zeros" :
		    "the prefix length after '/' must be 0 to 32, "
		    "without a sign or leading zeros");
	if (!v6) {
		memcpy(addr, cidr_mapped, sizeof(cidr_mapped));
		bits += CIDR_MAPPED;
	}
	memcpy(p.addr, addr, sizeof(p.addr));
	p.bits = bits;
	cidr_mask(p.addr, bits);
	if (memcmp(p.addr, addr, sizeof(addr)) != 0) {
		/* Say what was meant, in the family the operator wrote. */
		if (!v6)
			bits -= CIDR_MAPPED;
		if (inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? p.addr :
		    p.addr + sizeof(cidr_mapped), text, sizeof(text)) == NULL)
			text[0] = '\0';
		snprintf(hint, sizeof(hint), "bits set past /%u: write %s/%u",
		    bits, text, bits);
		return cidr_fail(why, whysz, hint);
	}
	*c = p;
	return 0;
}

/* 1 when the 16-byte address a is inside c. */
static int
cidr_in(const struct cidr *c, const uint8_t *a)
{
	unsigned	whole = c->bits / 8, rest = c->bits % 8;
	uint8_t		m;

	if (c->bits > CIDR_V6_BITS)
		return 0;
	if (memcmp(c->addr, a, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	m = (uint8_t)(0xff00 >> rest);
	return (a[whole] & m) == c->addr[whole];
}

int
cidr_match(const struct cidr *c, size_t n, const struct sockaddr *sa)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	uint8_t			 a[16];
	size_t			 i;

	if (sa == NULL)
		return 0;
	switch (sa->sa_family) {
	case AF_INET:
		memcpy(&sin, sa, sizeof(sin));
		memcpy(a, cidr_mapped, sizeof(cidr_mapped));
		memcpy(a + sizeof(cidr_mapped), &sin.sin_addr, 4);
		break;
	case AF_INET6:
		memcpy(&sin6, sa, sizeof(sin6));
		memcpy(a, &sin6.sin6_addr, sizeof(a));
		break;
	default:
		return 0;
	}
	for (i = 0; i < n; i++)
		if (cidr_in(&c[i], a))
			return 1;
	return 0;
}

/*
 * Like snprintf, the length returned is that of the whole text, which
 * was truncated when it is bufsz or more.
 */
size_t
cidr_format(const struct cidr *c, char *buf, size_t bufsz)
{
	char		addr[CIDR_STR_MAX];
	unsigned	bits = c->bits;
	int		v4, n;

	v4 = bits >= CIDR_MAPPED && bits <= CIDR_V6_BITS &&
	    memcmp(c->addr, cidr_mapped, sizeof(cidr_mapped)) == 0;
	if (inet_ntop(v4 ? AF_INET : AF_INET6, v4 ?
	    c->addr + sizeof(cidr_mapped) : c->addr, addr,
	    sizeof(addr)) == NULL)
		addr[0] = '\0';
	if (v4)
		bits -= CIDR_MAPPED;
	if (bits == (v4 ? CIDR_V4_BITS : CIDR_V6_BITS))
		n = snprintf(buf, bufsz, "%s", addr);
	else
		n = snprintf(buf, bufsz, "%s/%u", addr, bits);
	return n < 0 ? 0 : (size_t)n;
}
