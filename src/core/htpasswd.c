/*
 * htpasswd: the syntax of Basic authentication, both halves of it: the
 * lines of an htpasswd file and the base64 credentials of an
 * Authorization field.  It must not read files, call crypt(3) or keep
 * state: auth.c in the daemon reads the file, verifies the hashes and
 * remembers what it verified.
 *
 * A file is refused whole at its first bad line rather than loaded
 * without it: a user silently missing from a protected location would
 * be locked out with nothing in the log to say why, and a hash we would
 * accept but crypt(3) cannot verify would do the same.  Weak schemes
 * (DES, MD5, unsalted SHA-1) are refused, not tolerated, because every
 * line of the file is a password that leaks if the file does.
 *
 * The base64 decoder is strict (RFC 4648 sections 3.3 and 3.5): the
 * alphabet of section 4 only, padding required, no bits left over
 * behind it, so that a set of credentials has exactly one encoding.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/htpasswd.h"
#include "core/util.h"

/* The longest "user:hash" line of a file. */
#define HTPASSWD_LINE_MAX	(HTPASSWD_USER_MAX + 1 + HTPASSWD_HASH_MAX)
/* The longest decoded "user:password", rounded up to whole groups. */
#define HTPASSWD_CRED_MAX	(HTPASSWD_USER_MAX + 1 + HTPASSWD_PASS_MAX)
#define HTPASSWD_B64_OUT_MAX	((HTPASSWD_CRED_MAX + 2) / 3 * 3)
#define HTPASSWD_BCRYPT_LEN	60	/* "$2b$NN$" + 22 salt + 31 hash */
#define HTPASSWD_BCRYPT_COST_MIN 4
#define HTPASSWD_BCRYPT_COST_MAX 31

/* An entry with the line it came from, while the file is parsed. */
struct htpasswd_line {
	struct htpasswd_entry	 e;
	size_t			 line;
};

static int	htpasswd_ctl(int);
static int	htpasswd_crypt64(const char *, size_t);
static const char *htpasswd_scheme(const char *, size_t);
static int	htpasswd_entry(const char *, size_t, struct htpasswd_entry *,
		    const char **);
static int	htpasswd_cmp(const void *, const void *);
static void	htpasswd_dup(const struct htpasswd_line *, size_t, char *,
		    size_t);
static int	htpasswd_b64_value(int);
static int	htpasswd_b64_decode(const char *, size_t, unsigned char *,
		    size_t, size_t *);

/*
 * The schemes, in the order they are tried; reason NULL means accepted.
 * Each accepted one is verified by libcrypt as Debian 12 builds it.
 */
static const struct {
	const char	*prefix;
	const char	*reason;
} htpasswd_schemes[] = {
	{ "$2y$", NULL },
	{ "$2b$", NULL },
	{ "$2a$", NULL },
	{ "$5$", NULL },
	{ "$6$", NULL },
	{ "$y$", NULL },
	{ "$7$", NULL },
	{ "$gy$", NULL },
	{ "$1$", "MD5-crypt ($1$) hashes are weak, make a new one with "
	    "htpasswd -B" },
	{ "$apr1$", "Apache MD5 ($apr1$) hashes are weak, make a new one "
	    "with htpasswd -B" },
	{ "{SHA}", "unsalted SHA-1 ({SHA}) hashes are weak, make a new one "
	    "with htpasswd -B" },
	{ "_", "extended DES (_) hashes are weak, make a new one with "
	    "htpasswd -B" },
};

/* Control bytes: C0 and DEL.  Bytes from 0x80 up are UTF-8, allowed. */
static int
htpasswd_ctl(int c)
{
	return c < 0x20 || c == 0x7f;
}

/* Whether s[0..len) is non-empty and in crypt(3)'s alphabet. */
static int
htpasswd_crypt64(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '/'))
			return 0;
	return 1;
}

/*
 * NULL when hash[0..len) is a hash we accept, else why not.  The form is
 * checked only as far as it is cheap to: a bcrypt hash has a fixed
 * length and cost field; the others end in "$" and the hash proper, the
 * setting before that being theirs to judge.
 */
static const char *
htpasswd_scheme(const char *hash, size_t len)
{
	const char	*last;
	size_t		 i, plen;
	uint64_t	 cost;

	for (i = 0; i < UTIL_ARRAY_LEN(htpasswd_schemes); i++) {
		plen = strlen(htpasswd_schemes[i].prefix);
		if (len >= plen &&
		    memcmp(hash, htpasswd_schemes[i].prefix, plen) == 0)
			break;
	}
	if (i == UTIL_ARRAY_LEN(htpasswd_schemes)) {
		if (len == 13 && htpasswd_crypt64(hash, len))
			return "DES crypt hashes are weak, make a new one "
			    "with htpasswd -B";
		if (hash[0] == '$')
			return "unknown hash scheme";
		return "not a crypt(3) hash (a plain-text password?)";
	}
	if (htpasswd_schemes[i].reason != NULL)
		return htpasswd_schemes[i].reason;
	if (hash[1] == '2') {
		if (len != HTPASSWD_BCRYPT_LEN || hash[6] != '$' ||
		    util_parse_uint(hash + 4, 2, HTPASSWD_BCRYPT_COST_MAX,
		    &cost) == -1 || cost < HTPASSWD_BCRYPT_COST_MIN ||
		    !htpasswd_crypt64(hash + 7, len - 7))
			return "malformed bcrypt hash";
		return NULL;
	}
	last = hash + len;
	while (last > hash + plen && last[-1] != '$')
		last--;
	if (last == hash + plen ||
	    !htpasswd_crypt64(last, (size_t)(hash + len - last)))
		return "malformed hash: no \"$\" and hash after the setting";
	return NULL;
}

/*
 * One line, CR and LF removed.  Returns 1 with an entry (its user and
 * hash in one allocation, which the user's pointer owns), 0 for a line
 * without one, -1 with the reason.
 */
static int
htpasswd_entry(const char *line, size_t n, struct htpasswd_entry *e,
    const char **why)
{
	const char	*colon, *hash;
	size_t		 i, ulen, hlen;

	for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	if (i == n || line[0] == '#')
		return 0;
	if (n > HTPASSWD_LINE_MAX) {
		*why = "line too long for a user name and a hash";
		return -1;
	}
	if ((colon = memchr(line, ':', n)) == NULL) {
		*why = "no ':' between user and hash";
		return -1;
	}
	ulen = (size_t)(colon - line);
	hash = colon + 1;
	hlen = n - ulen - 1;
	if (ulen == 0) {
		*why = "empty user name";
		return -1;
	}
	if (ulen > HTPASSWD_USER_MAX) {
		*why = "user name too long";
		return -1;
	}
	for (i = 0; i < ulen; i++)
		if (htpasswd_ctl((unsigned char)line[i])) {
			*why = "control byte in the user name";
			return -1;
		}
	if (hlen == 0) {
		*why = "empty hash";
		return -1;
	}
	if (hlen > HTPASSWD_HASH_MAX) {
		*why = "hash too long";
		return -1;
	}
	for (i = 0; i < hlen; i++)
		if ((unsigned char)hash[i] <= ' ' ||
		    (unsigned char)hash[i] >= 0x7f || hash[i] == ':') {
			*why = "space, control byte or ':' in the hash";
			return -1;
		}
	if ((*why = htpasswd_scheme(hash, hlen)) != NULL)
		return -1;
	if ((e->user = malloc(ulen + 1 + hlen + 1)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	memcpy(e->user, line, ulen);
	e->user[ulen] = '\0';
	e->hash = e->user + ulen + 1;
	memcpy(e->hash, hash, hlen);
	e->hash[hlen] = '\0';
	return 1;
}

/* By user, then by line, so that a duplicate follows its first. */
static int
htpasswd_cmp(const void *a, const void *b)
{
	const struct htpasswd_line	*x = a, *y = b;
	int				 r;

	if ((r = strcmp(x->e.user, y->e.user)) != 0)
		return r;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Reports the earliest line that repeats a user of sorted v. */
static void
htpasswd_dup(const struct htpasswd_line *v, size_t n, char *why,
    size_t whysz)
{
	size_t	i, best = 0;

	for (i = 1; i < n; i++)
		if (strcmp(v[i].e.user, v[i - 1].e.user) == 0 &&
		    (best == 0 || v[i].line < v[best].line))
			best = i;
	snprintf(why, whysz, "line %zu: duplicate user \"%s\" (first on "
	    "line %zu)", v[best].line, v[best].e.user, v[best - 1].line);
}

int
htpasswd_parse(const char *text, size_t len, struct htpasswd *hp,
    char *why, size_t whysz)
{
	struct htpasswd_line	*v = NULL, *nv;
	struct htpasswd_entry	 e;
	const char		*line, *nl, *reason;
	size_t			 pos = 0, lineno = 0, n, nent = 0, cap = 0, i;
	int			 r;

	hp->e = NULL;
	hp->n = 0;
	while (pos < len) {
		lineno++;
		line = text + pos;
		nl = memchr(line, '\n', len - pos);
		n = nl != NULL ? (size_t)(nl - line) : len - pos;
		pos += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if ((r = htpasswd_entry(line, n, &e, &reason)) == 0)
			continue;
		if (r == 1 && nent == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				free(e.user);
				reason = "out of memory";
				r = -1;
			} else
				v = nv;
		}
		if (r == -1) {
			snprintf(why, whysz, "line %zu: %s", lineno, reason);
			goto fail;
		}
		v[nent].e = e;
		v[nent++].line = lineno;
	}
	if (nent == 0)
		goto done;
	qsort(v, nent, sizeof(*v), htpasswd_cmp);
	for (i = 1; i < nent; i++)
		if (strcmp(v[i].e.user, v[i - 1].e.user) == 0) {
			htpasswd_dup(v, nent, why, whysz);
			goto fail;
		}
	if ((hp->e = reallocarray(NULL, nent, sizeof(*hp->e))) == NULL) {
		snprintf(why, whysz, "out of memory");
		goto fail;
	}
	for (i = 0; i < nent; i++)
		hp->e[i] = v[i].e;
	hp->n = nent;
done:
	free(v);
	return 0;
fail:
	for (i = 0; i < nent; i++)
		free(v[i].e.user);
	free(v);
	return -1;
}

/*
 * Binary search; user[0..len) compares as strcmp would compare it NUL-
 * terminated, which is the order htpasswd_parse sorted by.
 */
const char *
htpasswd_find(const struct htpasswd *hp, const char *user, size_t len)
{
	size_t		 lo = 0, hi = hp->n, mid, i;
	const char	*s;

	if (len > HTPASSWD_USER_MAX || memchr(user, '\0', len) != NULL)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		s = hp->e[mid].user;
		for (i = 0; i < len && s[i] == user[i]; i++)
			continue;
		if (i == len && s[len] == '\0')
			return hp->e[mid].hash;
		/* user first when it is a prefix or has the lower byte. */
		if (i == len || (unsigned char)user[i] < (unsigned char)s[i])
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
htpasswd_free(struct htpasswd *hp)
{
	size_t	i;

	for (i = 0; i < hp->n; i++)
		free(hp->e[i].user);	/* the hash is in the same block */
	free(hp->e);
	hp->e = NULL;
	hp->n = 0;
}

/* The value of a base64 digit (RFC 4648 table 1), or -1. */
static int
htpasswd_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes in[0..len) into out; 0 with the length in *outlen, or -1.
 * Every group of four is decoded as one 24-bit word, a pad digit
 * counting as zero; the bits a pad leaves over must be zero too.
 */
static int
htpasswd_b64_decode(const char *in, size_t len, unsigned char *out,
    size_t outsz, size_t *outlen)
{
	size_t		i, j, pad = 0, n = 0;
	uint32_t	w = 0;
	int		v;

	if (len % 4 != 0 || len / 4 * 3 > outsz)
		return -1;
	if (len > 0 && in[len - 1] == '=')
		pad++;
	if (len > 1 && in[len - 2] == '=')
		pad++;
	for (i = 0; i < len; i += 4) {
		w = 0;
		for (j = i; j < i + 4; j++) {
			if (j >= len - pad)
				v = 0;
			else if ((v = htpasswd_b64_value(
			    (unsigned char)in[j])) == -1)
				return -1;
			w = w << 6 | (uint32_t)v;
		}
		out[n++] = (unsigned char)(w >> 16);
		out[n++] = (unsigned char)(w >> 8);
		out[n++] = (unsigned char)w;
	}
	if (pad > 0 && (w & ((UINT32_C(1) << (8 * pad)) - 1)) != 0)
		return -1;
	*outlen = n - pad;
	return 0;
}

int
htpasswd_basic(const char *value, size_t len,
    char user[HTPASSWD_USER_MAX + 1], char pass[HTPASSWD_PASS_MAX + 1])
{
	unsigned char	 buf[HTPASSWD_B64_OUT_MAX];
	const char	*colon;
	size_t		 n = 0, i, ulen, plen;
	int		 rc = -1;

	util_trim_ows(&value, &len);
	if (len < 6 || !util_strncaseeq(value, "Basic ", 6))
		return -1;
	value += 6;
	len -= 6;
	while (len > 0 && *value == ' ') {
		value++;
		len--;
	}
	if (htpasswd_b64_decode(value, len, buf, sizeof(buf), &n) == -1)
		goto done;
	for (i = 0; i < n; i++)
		if (htpasswd_ctl(buf[i]))
			goto done;
	if ((colon = memchr(buf, ':', n)) == NULL)
		goto done;
	ulen = (size_t)(colon - (const char *)buf);
	plen = n - ulen - 1;
	if (ulen > HTPASSWD_USER_MAX || plen > HTPASSWD_PASS_MAX)
		goto done;
	memcpy(user, buf, ulen);
	user[ulen] = '\0';
	memcpy(pass, colon + 1, plen);
	pass[plen] = '\0';
	rc = 0;
done:
	/* The password must not outlive the request in a stack frame. */
	explicit_bzero(buf, sizeof(buf));
	return rc;
}
