/*
 * vhost: choosing a site by name and a location by path, with tables
 * built once per configuration and searched without allocation.  Pure:
 * no I/O, no globals.
 */
#ifndef MINIHTTPD_VHOST_H
#define MINIHTTPD_VHOST_H

#include <stddef.h>

#define VHOST_NAME_MAX	255	/* a canonical host name, bytes */

/*
 * A Host field value or an SNI name made canonical: ASCII lower case,
 * without the port and without one trailing dot.  An IPv6 literal keeps
 * its brackets ("[::1]:80" -> "[::1]").  Returns the length written
 * (NUL-terminated) or 0 when host is not a valid RFC 3986 host (empty,
 * a byte outside reg-name/IP-literal, a bad port, longer than
 * VHOST_NAME_MAX or than outsz - 1).  Stricter than RFC 3986: '%'
 * (pct-encoded), IPvFuture and zone ids are refused, a port has at most
 * five digits (none is fine), and, as nginx does, so is a name with an
 * empty label (".a", "a..b", "a..").
 */
size_t	vhost_host_canon(const char *host, size_t len, char *out,
	    size_t outsz);

/*
 * A configured site name: "example.com", or "*.example.org" (any
 * subdomain, not example.org itself).  Made canonical in place (lower
 * case, trailing dot removed).  Returns 0, or -1 with why.
 */
int	vhost_name_check(char *name, char *why, size_t whysz);

struct vhost_name {
	const char	*name;		/* canonical, as vhost_name_check left it */
	int		 site;		/* caller's id */
};

/*
 * Both tables are sorted by strcmp and searched by bisection; a "*."
 * name is kept without its '*', so that a host's suffix from one of its
 * dots can be looked up as it is.
 */
struct vhost_names {
	struct vhost_name	*exact;		/* sorted */
	size_t			 nexact;
	struct vhost_name	*wild;		/* ".example.org", sorted */
	size_t			 nwild;
	/*
	 * Open-addressing hash tables over exact and wild (index + 1, 0
	 * empty; mask + 1 slots, a power of two at least twice the names),
	 * so that a lookup costs one hash and about one comparison
	 * whatever the number of names.
	 */
	unsigned		*hexact, *hwild;
	size_t			 mexact, mwild;
};

/*
 * Builds the table of one address from n names (copied pointers: the
 * strings must outlive the table).  Returns 0, or -1 with *dup_a and
 * *dup_b the indexes in `in` of two equal names (a conflict).
 */
int	vhost_names_build(struct vhost_names *, const struct vhost_name *in,
	    size_t n, size_t *dup_a, size_t *dup_b);
/*
 * The site for a canonical host: an exact name first, then the longest
 * "*." suffix; -1 when none matches.
 */
int	vhost_names_find(const struct vhost_names *, const char *host,
	    size_t len);
void	vhost_names_free(struct vhost_names *);

struct vhost_loc {
	const char	*path;		/* starts with '/' */
	int		 exact;		/* the whole path, not a prefix */
	int		 id;		/* caller's id */
};

struct vhost_locs {
	/*
	 * Implementation-defined: sorted tables built once.  parent[i] is
	 * the index in prefix[] of the longest other prefix location that
	 * is a string prefix of prefix[i].path, or -1.
	 */
	struct vhost_loc	*prefix;
	size_t			 nprefix;
	int			*parent;	/* longest other prefix of each */
	struct vhost_loc	*exact;
	size_t			 nexact;
};

/*
 * Builds the table of one site.  Returns 0, or -1 with *dup_a and
 * *dup_b the indexes in `in` of two locations with the same path and
 * the same exactness.
 */
int	vhost_locs_build(struct vhost_locs *, const struct vhost_loc *in,
	    size_t n, size_t *dup_a, size_t *dup_b);
/*
 * The location for a normalised path: an exact location equal to it
 * first, then the longest prefix location (plain string prefix, as
 * nginx: "/admin" matches "/administrator"); -1 when none.  O(log n)
 * plus the depth of nested prefixes, no allocation.
 */
int	vhost_locs_find(const struct vhost_locs *, const char *path,
	    size_t len);
void	vhost_locs_free(struct vhost_locs *);

#endif
