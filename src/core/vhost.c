/*
 * vhost: which site a request is for, by its Host or SNI name, and which
 * location of that site, by its normalised path.  The tables are built
 * once per configuration, from strings the caller owns, and searched by
 * bisection without allocating, so a lookup costs the same on every
 * request whatever the order of the configuration file.  This file must
 * not do I/O, log, keep globals or know how a site is configured: conf.c
 * validates names with vhost_name_check and hands over ids.
 *
 * Names compare as text: "[::1]" and "[0::1]" are two names, so an
 * address must be configured the way clients write it.
 *
 * The longest prefix location is found from the greatest table entry E
 * not above the path: the longest prefix P of the path satisfies
 * P <= E <= path, so P is a prefix of E and one of E's ancestors in the
 * parent chain built here; the walk up that chain stops at the first
 * entry that is a prefix of the path, which is then the longest one.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/vhost.h"

#define VHOST_LABEL_MAX	63	/* bytes in one DNS label (RFC 1035) */
#define VHOST_PORT_MAX	5	/* digits in a port */

/* A key of a table being built and its index in the caller's array. */
struct vhost_key {
	const char	*key;
	size_t		 idx;
};

static int	vhost_ip6_ok(const char *, size_t);
static int	vhost_port_ok(const char *, size_t);
static int	vhost_name_labels(const char *, size_t, size_t, char *,
		    size_t);
static int	vhost_cmp(const char *, const char *, size_t);
static int	vhost_is_prefix(const char *, const char *, size_t);
static int	vhost_key_cmp(const void *, const void *);
static int	vhost_keys_sort(struct vhost_key *, size_t, size_t *,
		    size_t *);
static int	vhost_keys_dups(struct vhost_key *, size_t, struct vhost_key *,
		    size_t, size_t *, size_t *);
static uint32_t	vhost_hash(const char *, size_t);
static unsigned	*vhost_hash_build(const struct vhost_name *, size_t, size_t *);
static long	vhost_hash_find(const struct vhost_name *, const unsigned *,
		    size_t, const char *, size_t);
static long	vhost_loc_floor(const struct vhost_loc *, size_t, const char *,
		    size_t, int *);

/*
 * The inside of "[...]": hex digits, ':' and '.' (an embedded IPv4
 * address), with at least one ':'.  IPvFuture and zone identifiers
 * ("%25eth0") are refused; neither names a site.
 */
static int
vhost_ip6_ok(const char *p, size_t len)
{
	size_t	i;
	int	colon = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == ':')
			colon = 1;
		else if (p[i] != '.' && util_hexval((unsigned char)p[i]) == -1)
			return 0;
	}
	return colon;
}

/* Nothing, or ':' and at most VHOST_PORT_MAX digits (RFC 3986 allows none). */
static int
vhost_port_ok(const char *p, size_t len)
{
	size_t	i;

	if (len == 0)
		return 1;
	if (p[0] != ':' || len - 1 > VHOST_PORT_MAX)
		return 0;
	for (i = 1; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}


/*
 * Each byte of a reg-name (RFC 3986 unreserved and sub-delims) mapped
 * to its lower case; 0 for any other byte.  pct-encoded is refused: no
 * DNS name needs it, and accepting it would give one name two spellings
 * that must compare equal.  One table lookup a byte
 * both checks and folds a Host, the hot part of choosing a site.
 */
static const unsigned char vhost_host_tab[256] = {
	['!'] = '!', ['$'] = '$', ['&'] = '&', ['\''] = '\'', ['('] = '(',
	[')'] = ')', ['*'] = '*', ['+'] = '+', [','] = ',', ['-'] = '-',
	['.'] = '.', [';'] = ';', ['='] = '=', ['_'] = '_', ['~'] = '~',
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define VHOST_AZ(c)	[c] = c, [c - 'a' + 'A'] = c
	VHOST_AZ('a'), VHOST_AZ('b'), VHOST_AZ('c'), VHOST_AZ('d'),
	VHOST_AZ('e'), VHOST_AZ('f'), VHOST_AZ('g'), VHOST_AZ('h'),
	VHOST_AZ('i'), VHOST_AZ('j'), VHOST_AZ('k'), VHOST_AZ('l'),
	VHOST_AZ('m'), VHOST_AZ('n'), VHOST_AZ('o'), VHOST_AZ('p'),
	VHOST_AZ('q'), VHOST_AZ('r'), VHOST_AZ('s'), VHOST_AZ('t'),
	VHOST_AZ('u'), VHOST_AZ('v'), VHOST_AZ('w'), VHOST_AZ('x'),
	VHOST_AZ('y'), VHOST_AZ('z')
#undef VHOST_AZ
};

size_t
vhost_host_canon(const char *host, size_t len, char *out, size_t outsz)
{
	size_t		 hlen, n, i;
	unsigned char	 c, prev;
	int		 bad;
	const char	*colon;

	if (len == 0)
		return 0;
	if (host[0] == '[') {
		for (hlen = 1; hlen < len && host[hlen] != ']'; hlen++)
			;
		if (hlen == len || !vhost_ip6_ok(host + 1, hlen - 1))
			return 0;
		n = ++hlen;
		if (!vhost_port_ok(host + hlen, len - hlen) ||
		    n > VHOST_NAME_MAX || n >= outsz)
			return 0;
		for (i = 0; i < n; i++)
			out[i] = (char)util_tolower((unsigned char)host[i]);
		out[n] = '\0';
		return n;
	}
	/*
	 * Checked, folded and copied in one pass up to the port, refusing
	 * an empty label on the way (prev starts as a dot, so a leading
	 * dot is one).  Like nginx, which refuses "..", this keeps a host
	 * from reaching a "*." name through an empty label, and such a
	 * host names no DNS name anyway.
	 */
	colon = memchr(host, ':', len);
	hlen = colon != NULL ? (size_t)(colon - host) : len;
	/* A trailing dot is written, then dropped: n < outsz below. */
	if (hlen > outsz)
		return 0;
	/* Branch-free: bad collects a refused byte or an empty label. */
	prev = '.';
	bad = 0;
	for (i = 0; i < hlen; i++) {
		c = vhost_host_tab[(unsigned char)host[i]];
		bad |= (c == 0) | ((c == '.') & (prev == '.'));
		out[i] = (char)c;
		prev = c;
	}
	if (bad)
		return 0;
	n = hlen;
	if (n > 0 && out[n - 1] == '.')
		n--;
	if (n == 0 || n > VHOST_NAME_MAX || n >= outsz ||
	    !vhost_port_ok(host + hlen, len - hlen))
		return 0;
	out[n] = '\0';
	return n;
}

/*
 * The labels of name[start..n), after any "*.": letters, digits, '-'
 * and '_', none empty, none longer than a DNS label may be.
 */
static int
vhost_name_labels(const char *name, size_t start, size_t n, char *why,
    size_t whysz)
{
	size_t	i, label = 0;
	int	c;

	for (i = start; i < n; i++) {
		c = (unsigned char)name[i];
		if (c == '.') {
			if (label == 0)
				return util_why(why, whysz,
				    "empty label at byte %zu", i);
			label = 0;
			continue;
		}
		if (c == '*')
			return util_why(why, whysz, "'*' is only allowed "
			    "as the whole first label, as in "
			    "\"*.example.org\"");
		if (c == ':')
			return util_why(why, whysz, "a name has no port; "
			    "sites choose ports with listen");
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '-' && c != '_')
			return util_why(why, whysz, "byte 0x%02x at %zu: "
			    "letters, digits, '-', '_' and '.' only", c, i);
		if (++label > VHOST_LABEL_MAX)
			return util_why(why, whysz, "label longer than %d "
			    "bytes at byte %zu", VHOST_LABEL_MAX, i);
	}
	if (label == 0)
		return util_why(why, whysz, start == n ?
		    "\"*.\" needs a domain after it" : "empty last label");
	return 0;
}

/*
 * Nothing is written to name unless it is valid, so a caller can still
 * quote it as it was written when reporting the error.
 */
int
vhost_name_check(char *name, char *why, size_t whysz)
{
	size_t	len = strlen(name), n, i;

	n = len > 0 && name[len - 1] == '.' ? len - 1 : len;
	if (n == 0)
		return util_why(why, whysz, "empty name");
	if (name[0] == '[') {
		if (n != len || n < 3 || name[n - 1] != ']' ||
		    !vhost_ip6_ok(name + 1, n - 2))
			return util_why(why, whysz, "an IPv6 address is "
			    "written in brackets, with hex digits, ':' and "
			    "'.' only, as in \"[::1]\"");
	} else if (name[0] == '*') {
		if (n == 1)
			return util_why(why, whysz, "'*' alone is not a "
			    "name: \"*.example.org\" matches the subdomains "
			    "of example.org");
		if (name[1] != '.')
			return util_why(why, whysz, "'*' must be followed "
			    "by '.', as in \"*.example.org\"");
		if (vhost_name_labels(name, 2, n, why, whysz) == -1)
			return -1;
	} else if (vhost_name_labels(name, 0, n, why, whysz) == -1)
		return -1;
	if (n > VHOST_NAME_MAX)
		return util_why(why, whysz, "longer than %d bytes",
		    VHOST_NAME_MAX);
	for (i = 0; i < n; i++)
		name[i] = (char)util_tolower((unsigned char)name[i]);
	name[n] = '\0';
	return 0;
}

/*
 * key against the len bytes at p, in the order strcmp gives NUL-free
 * strings: byte by byte, unsigned, a proper prefix first.
 */
static int
vhost_cmp(const char *key, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len && key[i] != '\0' && key[i] == p[i]; i++)
		;
	if (key[i] == '\0')
		return i == len ? 0 : -1;
	if (i == len)
		return 1;
	return (unsigned char)key[i] < (unsigned char)p[i] ? -1 : 1;
}

/* Whether key is a string prefix of the len bytes at p. */
static int
vhost_is_prefix(const char *key, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; key[i] != '\0'; i++)
		if (i == len || key[i] != p[i])
			return 0;
	return 1;
}

/* By key, then by index, so equal keys stay in the caller's order. */
static int
vhost_key_cmp(const void *a, const void *b)
{
	const struct vhost_key	*ka = a, *kb = b;
	int			 r;

	if ((r = strcmp(ka->key, kb->key)) != 0)
		return r;
	return ka->idx < kb->idx ? -1 : ka->idx > kb->idx;
}

/*
 * Sorts keys and looks for two equal ones.  Of several conflicts it
 * keeps the one whose second member comes first in the caller's array,
 * the first a reader of the configuration meets.  Returns 1 and sets
 * *a < *b when there is one (and its *b is below the *b passed in).
 */
static int
vhost_keys_sort(struct vhost_key *k, size_t n, size_t *a, size_t *b)
{
	size_t	i;
	int	found = 0;

	if (n > 1)
		qsort(k, n, sizeof(*k), vhost_key_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(k[i - 1].key, k[i].key) != 0 || k[i].idx >= *b)
			continue;
		*a = k[i - 1].idx;
		*b = k[i].idx;
		found = 1;
	}
	return found;
}

/*
 * Sorts both key arrays of a table; returns -1 with the indexes of a
 * conflict in either, the earliest as vhost_keys_sort defines it.
 */
static int
vhost_keys_dups(struct vhost_key *k1, size_t n1, struct vhost_key *k2,
    size_t n2, size_t *dup_a, size_t *dup_b)
{
	size_t	a = 0, b = (size_t)-1;
	int	found;

	found = vhost_keys_sort(k1, n1, &a, &b);
	found |= vhost_keys_sort(k2, n2, &a, &b);
	if (!found)
		return 0;
	if (dup_a != NULL)
		*dup_a = a;
	if (dup_b != NULL)
		*dup_b = b;
	return -1;
}

int
vhost_names_build(struct vhost_names *t, const struct vhost_name *in,
    size_t n, size_t *dup_a, size_t *dup_b)
{
	struct vhost_key	*ex, *wi;
	size_t			 nex = 0, nwi = 0, i;
	int			 rv = -1;

	memset(t, 0, sizeof(*t));
	ex = xreallocarray(NULL, n, sizeof(*ex));
	wi = xreallocarray(NULL, n, sizeof(*wi));
	for (i = 0; i < n; i++) {
		if (in[i].name[0] == '*' && in[i].name[1] == '.') {
			wi[nwi].key = in[i].name + 1;
			wi[nwi++].idx = i;
		} else {
			ex[nex].key = in[i].name;
			ex[nex++].idx = i;
		}
	}
	if (vhost_keys_dups(ex, nex, wi, nwi, dup_a, dup_b) == -1)
		goto done;
	t->exact = xreallocarray(NULL, nex, sizeof(*t->exact));
	for (i = 0; i < nex; i++) {
		t->exact[i].name = ex[i].key;
		t->exact[i].site = in[ex[i].idx].site;
	}
	t->nexact = nex;
	t->wild = xreallocarray(NULL, nwi, sizeof(*t->wild));
	for (i = 0; i < nwi; i++) {
		t->wild[i].name = wi[i].key;
		t->wild[i].site = in[wi[i].idx].site;
	}
	t->nwild = nwi;
	t->hexact = vhost_hash_build(t->exact, t->nexact, &t->mexact);
	t->hwild = vhost_hash_build(t->wild, t->nwild, &t->mwild);
	rv = 0;
done:
	free(ex);
	free(wi);
	return rv;
}

/* FNV-1a over len bytes. */
static uint32_t
vhost_hash(const char *p, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

/* The hash table over n names (see struct vhost_names). */
static unsigned *
vhost_hash_build(const struct vhost_name *v, size_t n, size_t *mask)
{
	unsigned	*slots;
	size_t		 size = 4, i, k;

	while (size < 2 * n)
		size *= 2;
	slots = xcalloc(size, sizeof(*slots));
	for (i = 0; i < n; i++) {
		k = vhost_hash(v[i].name, strlen(v[i].name)) & (size - 1);
		while (slots[k] != 0)
			k = (k + 1) & (size - 1);
		slots[k] = (unsigned)i + 1;
	}
	*mask = size - 1;
	return slots;
}

/* The index of the name equal to the len bytes at p, or -1. */
static long
vhost_hash_find(const struct vhost_name *v, const unsigned *slots,
    size_t mask, const char *p, size_t len)
{
	size_t		 k;
	const char	*name;

	if (slots == NULL)
		return -1;
	for (k = vhost_hash(p, len) & mask; slots[k] != 0;
	    k = (k + 1) & mask) {
		name = v[slots[k] - 1].name;
		/* A shorter name must not be read past its end. */
		if (strnlen(name, len + 1) == len && memcmp(name, p, len) == 0)
			return (long)slots[k] - 1;
	}
	return -1;
}

/*
 * A "*." name is stored from its dot, so each suffix of the host that
 * starts at one of its dots is looked up as it is, the longest first.
 * The dot must not be the host's first byte: "*.example.org" is for
 * subdomains, and a label before the dot is what makes one.
 */
int
vhost_names_find(const struct vhost_names *t, const char *host, size_t len)
{
	size_t	i;
	long	k;

	if (len == 0)
		return -1;
	if ((k = vhost_hash_find(t->exact, t->hexact, t->mexact, host,
	    len)) != -1)
		return t->exact[k].site;
	for (i = 1; t->nwild > 0 && i < len; i++) {
		if (host[i] != '.')
			continue;
		k = vhost_hash_find(t->wild, t->hwild, t->mwild, host + i,
		    len - i);
		if (k != -1)
			return t->wild[k].site;
	}
	return -1;
}

void
vhost_names_free(struct vhost_names *t)
{
	free(t->exact);
	free(t->wild);
	free(t->hexact);
	free(t->hwild);
	memset(t, 0, sizeof(*t));
}

int
vhost_locs_build(struct vhost_locs *t, const struct vhost_loc *in, size_t n,
    size_t *dup_a, size_t *dup_b)
{
	struct vhost_key	*ex, *pre;
	size_t			 nex = 0, npre = 0, i;
	long			 p;
	int			 rv = -1;

	memset(t, 0, sizeof(*t));
	ex = xreallocarray(NULL, n, sizeof(*ex));
	pre = xreallocarray(NULL, n, sizeof(*pre));
	for (i = 0; i < n; i++) {
		if (in[i].exact) {
			ex[nex].key = in[i].path;
			ex[nex++].idx = i;
		} else {
			pre[npre].key = in[i].path;
			pre[npre++].idx = i;
		}
	}
	if (vhost_keys_dups(ex, nex, pre, npre, dup_a, dup_b) == -1)
		goto done;
	t->exact = xreallocarray(NULL, nex, sizeof(*t->exact));
	for (i = 0; i < nex; i++)
		t->exact[i] = in[ex[i].idx];
	t->nexact = nex;
	t->prefix = xreallocarray(NULL, npre, sizeof(*t->prefix));
	t->parent = xreallocarray(NULL, npre, sizeof(*t->parent));
	for (i = 0; i < npre; i++)
		t->prefix[i] = in[pre[i].idx];
	t->nprefix = npre;
	/*
	 * In sorted order every prefix of an entry comes before it, and
	 * stays a prefix of every entry in between; so the chain from the
	 * previous entry up its parents holds all the candidates, and the
	 * first of them that is a prefix of this entry is its parent.
	 */
	for (i = 0; i < npre; i++) {
		p = (long)i - 1;
		while (p != -1 && !vhost_is_prefix(t->prefix[p].path,
		    t->prefix[i].path, strlen(t->prefix[i].path)))
			p = t->parent[p];
		t->parent[i] = (int)p;
	}
	rv = 0;
done:
	free(ex);
	free(pre);
	return rv;
}

/*
 * The index of the greatest location not above the len bytes at p, or
 * -1; *eq tells whether it is equal.
 */
static long
vhost_loc_floor(const struct vhost_loc *v, size_t n, const char *p,
    size_t len, int *eq)
{
	size_t	lo = 0, hi = n, mid;
	int	r;

	*eq = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = vhost_cmp(v[mid].path, p, len)) == 0) {
			*eq = 1;
			return (long)mid;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

int
vhost_locs_find(const struct vhost_locs *t, const char *path, size_t len)
{
	long	k;
	int	eq;

	k = vhost_loc_floor(t->exact, t->nexact, path, len, &eq);
	if (eq)
		return t->exact[k].id;
	k = vhost_loc_floor(t->prefix, t->nprefix, path, len, &eq);
	while (k != -1 && !vhost_is_prefix(t->prefix[k].path, path, len))
		k = t->parent[k];
	return k == -1 ? -1 : t->prefix[k].id;
}

void
vhost_locs_free(struct vhost_locs *t)
{
	free(t->prefix);
	free(t->parent);
	free(t->exact);
	memset(t, 0, sizeof(*t));
}
