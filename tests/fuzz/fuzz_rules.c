/*
 * fuzz_rules: libFuzzer target for the per-site rules: site names and
 * locations (vhost.c), configured header lines and redirect templates
 * (fieldrule.c), allow lists (cidr.c) and the choice of a precompressed
 * variant (coding.c).  The first byte picks the module, the rest is
 * lines.  Properties:
 *  - vhost: a canonical host is lower case, has no port (but an IPv6
 *    literal) and is its own canonical form; the site and the location
 *    found by the tables are those a plain search of the lists finds;
 *  - fieldrule: a formatted block is CRLF-terminated lines, one per
 *    line checked; a merge keeps every inner line; an expanded redirect
 *    is visible ASCII that fits;
 *  - cidr: a parsed prefix formats to text that parses to it again,
 *    and matching agrees with a bit-by-bit comparison;
 *  - coding: the choice is -1 or an allowed index of a known coding.
 *
 *	tests/fuzz/run rules
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/cidr.h"
#include "core/coding.h"
#include "core/fieldrule.h"
#include "core/util.h"
#include "core/vhost.h"

#define LINES_MAX	32

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t	split(const uint8_t *, size_t, char **);
static void	fuzz_vhost(char **, size_t);
static int	ref_site(char **, size_t, const char *, size_t);
static void	fuzz_fieldrule(char **, size_t);
static void	fuzz_cidr(char **, size_t, const uint8_t *, size_t);
static void	fuzz_coding(const uint8_t *, size_t);

/* Lines as NUL-terminated strings, each in a buffer of its own size. */
static size_t
split(const uint8_t *p, size_t len, char **l)
{
	const uint8_t	*end = p + len, *nl;
	size_t		 n = 0;

	while (p <= end && n < LINES_MAX) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((l[n] = malloc((size_t)(nl - p) + 1)) == NULL)
			abort();
		memcpy(l[n], p, (size_t)(nl - p));
		l[n][nl - p] = '\0';
		n++;
		p = nl + 1;
	}
	return n;
}

/* The site of host among the accepted names l[i] (NULL: refused). */
static int
ref_site(char **l, size_t n, const char *host, size_t hl)
{
	size_t	i, nl, best = 0;
	int	site = -1;

	for (i = 0; i < n; i++)
		if (l[i] != NULL && l[i][0] != '*' && strcmp(l[i], host) == 0)
			return (int)i;
	for (i = 0; i < n; i++) {
		if (l[i] == NULL || l[i][0] != '*')
			continue;
		nl = strlen(l[i] + 1);		/* ".example.org" */
		if (hl > nl && memcmp(host + hl - nl, l[i] + 1, nl) == 0 &&
		    nl > best) {
			best = nl;
			site = (int)i;
		}
	}
	return site;
}

static void
fuzz_vhost(char **l, size_t n)
{
	struct vhost_name	 names[LINES_MAX];
	struct vhost_loc	 locs[LINES_MAX];
	struct vhost_names	 nt;
	struct vhost_locs	 lt;
	char			*ok[LINES_MAX], canon[VHOST_NAME_MAX + 1];
	char			 again[VHOST_NAME_MAX + 1], why[128];
	const char		*host = l[n - 1], *path;
	size_t			 i, j, cl, nn = 0, nloc = 0, a, b, pl, best;
	int			 want, exact;

	for (i = 0; i + 1 < n; i++) {
		ok[i] = NULL;
		if (l[i][0] == '/' || (l[i][0] == '=' && l[i][1] == '/')) {
			locs[nloc].exact = l[i][0] == '=';
			locs[nloc].path = l[i] + locs[nloc].exact;
			locs[nloc].id = (int)i;
			nloc++;
		} else if (vhost_name_check(l[i], why, sizeof(why)) == 0) {
			ok[i] = l[i];
			names[nn].name = l[i];
			names[nn].site = (int)i;
			nn++;
		}
	}
	cl = vhost_host_canon(host, strlen(host), canon, sizeof(canon));
	if (cl > 0) {
		if (cl != strlen(canon))
			abort();
		for (j = 0; j < cl; j++)
			if (canon[j] >= 'A' && canon[j] <= 'Z')
				abort();
		if (vhost_host_canon(canon, cl, again, sizeof(again)) != cl ||
		    strcmp(canon, again) != 0)
			abort();
		if (vhost_names_build(&nt, names, nn, &a, &b) == 0) {
			want = ref_site(ok, n - 1, canon, cl);
			if (vhost_names_find(&nt, canon, cl) != want)
				abort();
			vhost_names_free(&nt);
		}
	}
	path = host;
	pl = strlen(path);
	if (pl == 0 || path[0] != '/')
		return;
	if (vhost_locs_build(&lt, locs, nloc, &a, &b) != 0)
		return;
	want = -1;
	for (i = 0; i < nloc; i++)
		if (locs[i].exact && strcmp(locs[i].path, path) == 0)
			want = locs[i].id;
	exact = want;
	best = 0;
	for (i = 0; exact == -1 && i < nloc; i++) {
		size_t	ll = strlen(locs[i].path);

		if (!locs[i].exact && ll <= pl && ll > best &&
		    memcmp(locs[i].path, path, ll) == 0) {
			best = ll;
			want = locs[i].id;
		}
	}
	if (vhost_locs_find(&lt, path, pl) != want) {
		fprintf(stderr, "rules: location of %s: %d, expected %d\n",
		    path, vhost_locs_find(&lt, path, pl), want);
		abort();
	}
	vhost_locs_free(&lt);
}

static void
fuzz_fieldrule(char **l, size_t n)
{
	const char		*ok[LINES_MAX], *merged[LINES_MAX];
	struct fieldrule_vars	 v;
	char			*block, out[FIELDRULE_REDIRECT_MAX], why[128];
	size_t			 i, nok = 0, len, crlf = 0, m, half;

	for (i = 0; i < n; i++)
		if (fieldrule_check(l[i], why, sizeof(why)) == 0)
			ok[nok++] = l[i];
	block = fieldrule_format(ok, nok, &len);
	if (strlen(block) != len)
		abort();
	for (i = 0; i < len; i++) {
		if (block[i] == '\n' && (i == 0 || block[i - 1] != '\r'))
			abort();
		if (block[i] == '\r' && (i + 1 == len || block[i + 1] != '\n'))
			abort();
		crlf += block[i] == '\n';
	}
	if (crlf != nok)
		abort();
	free(block);
	half = nok / 2;
	m = fieldrule_merge(ok, half, ok + half, nok - half, merged,
	    LINES_MAX);
	if (m < nok - half || m > nok)
		abort();
	for (i = 0; i < nok - half; i++)
		if (merged[m - (nok - half) + i] != ok[half + i])
			abort();
	if (fieldrule_redirect_check(l[0], why, sizeof(why)) != 0)
		return;
	v.scheme = "https";
	v.host = n > 1 ? l[1] : "example.com";
	v.hostlen = strlen(v.host);
	v.request_uri = n > 2 ? l[2] : "/a?b";
	v.request_urilen = strlen(v.request_uri);
	v.uri = n > 3 ? l[3] : "/a b";
	v.urilen = strlen(v.uri);
	len = fieldrule_redirect_expand(l[0], &v, out, sizeof(out));
	if (len >= sizeof(out) || strlen(out) != len)
		abort();
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] <= 0x20 ||
		    (unsigned char)out[i] >= 0x7f)
			abort();
}

static void
fuzz_cidr(char **l, size_t n, const uint8_t *raw, size_t rawlen)
{
	struct cidr		 c[LINES_MAX], c2;
	struct sockaddr_in6	 s6;
	struct sockaddr_in	 s4;
	uint8_t			 a[16];
	char			 txt[CIDR_STR_MAX], why[128];
	size_t			 i, nc = 0, len;
	unsigned		 bit;
	int			 in6 = 0, in4 = 0, b6, b4;

	for (i = 0; i < n; i++) {
		if (cidr_parse(l[i], &c[nc], why, sizeof(why)) != 0)
			continue;
		if (c[nc].bits > 128)
			abort();
		len = cidr_format(&c[nc], txt, sizeof(txt));
		if (len == 0 || len >= sizeof(txt) ||
		    cidr_parse(txt, &c2, why, sizeof(why)) != 0 ||
		    c2.bits != c[nc].bits ||
		    memcmp(c2.addr, c[nc].addr, 16) != 0) {
			fprintf(stderr, "rules: %s -> %s\n", l[i], txt);
			abort();
		}
		nc++;
	}
	memset(a, 0, sizeof(a));
	memcpy(a, raw, rawlen < 16 ? rawlen : 16);
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	memcpy(&s6.sin6_addr, a, 16);
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	memcpy(&s4.sin_addr, a, 4);
	for (i = 0; i < nc; i++) {
		b6 = b4 = 1;
		for (bit = 0; bit < c[i].bits; bit++) {
			uint8_t	m = (uint8_t)(0x80 >> (bit % 8));
			uint8_t	v4 = bit < 80 ? 0 : bit < 96 ? 0xff :
				    a[(bit - 96) / 8];

			if ((a[bit / 8] & m) != (c[i].addr[bit / 8] & m))
				b6 = 0;
			if ((v4 & m) != (c[i].addr[bit / 8] & m))
				b4 = 0;
		}
		in6 |= b6;
		in4 |= b4;
	}
	if (cidr_match(c, nc, (struct sockaddr *)&s6) != in6 ||
	    cidr_match(c, nc, (struct sockaddr *)&s4) != in4)
		abort();
}

static void
fuzz_coding(const uint8_t *p, size_t len)
{
	enum coding	 list[8];
	char		*ae;
	size_t		 n, i;
	unsigned	 try;
	int		 r;

	if (len < 3)
		return;
	n = p[0] % 9;
	try = p[1] | (unsigned)p[2] << 8;
	p += 3;
	len -= 3;
	for (i = 0; i < n && i < len; i++)
		list[i] = (enum coding)(p[i] % (CODING_MAX + 1));
	n = i;
	p += n;
	len -= n;
	if ((ae = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(ae, p, len);
	r = coding_choose(ae, len, list, n, try);
	if (r != -1 && (r < 0 || (size_t)r >= n || !(try & 1U << r) ||
	    coding_name(list[r]) == NULL))
		abort();
	(void)coding_choose(NULL, 0, list, n, try);
	free(ae);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*l[LINES_MAX];
	size_t	 n = 0, i;

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		n = split(data + 1, size - 1, l);
		fuzz_vhost(l, n);
		break;
	case 1:
		n = split(data + 1, size - 1, l);
		fuzz_fieldrule(l, n);
		break;
	case 2:
		n = split(data + 1, size - 1, l);
		fuzz_cidr(l, n, data + 1, size - 1);
		break;
	default:
		fuzz_coding(data + 1, size - 1);
		break;
	}
	for (i = 0; i < n; i++)
		free(l[i]);
	return 0;
}
