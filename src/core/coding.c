/*
 * coding: which precompressed variant of a file to send, from the
 * operator's list of codings and the client's Accept-Encoding.  It only
 * weighs names: the list syntax and the q-values are read by http.c
 * (one implementation of each protocol routine), and whether FILE.br
 * exists is the caller's business (it clears that bit of try and asks
 * again).  It must not touch the filesystem or keep any state.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "core/coding.h"
#include "core/http.h"
#include "core/util.h"

#define CODING_Q_UNSET	(-1)	/* not named in the header */
#define CODING_TRY_BITS	(sizeof(unsigned) * CHAR_BIT)

/* The weights one Accept-Encoding value gives, in thousandths. */
struct coding_weights {
	int	 q[CODING_MAX];		/* by enum coding */
	int	 star;			/* "*" */
	int	 identity;
};

static const struct {
	const char	*name;
	const char	*suffix;
} coding_table[CODING_MAX] = {
	[CODING_BR] = { "br", ".br" },
	[CODING_ZSTD] = { "zstd", ".zst" },
	[CODING_GZIP] = { "gzip", ".gz" },
};

static void	 coding_weigh(const char *, size_t, struct coding_weights *);
static int	*coding_slot(struct coding_weights *, const struct http_str *);
static int	 coding_q(const struct coding_weights *, enum coding);

const char *
coding_name(enum coding c)
{
	if ((unsigned)c >= CODING_MAX)
		return NULL;
	return coding_table[c].name;
}

const char *
coding_suffix(enum coding c)
{
	if ((unsigned)c >= CODING_MAX)
		return NULL;
	return coding_table[c].suffix;
}

int
coding_parse(const char *s, enum coding *out)
{
	unsigned	c;

	if (s == NULL)
		return -1;
	for (c = 0; c < CODING_MAX; c++)
		if (strcmp(s, coding_table[c].name) == 0) {
			*out = (enum coding)c;
			return 0;
		}
	return -1;
}

/* Where the weight of the member called name goes; NULL: not ours. */
static int *
coding_slot(struct coding_weights *w, const struct http_str *name)
{
	unsigned	c;

	if (http_str_caseeq(name, "*"))
		return &w->star;
	if (http_str_caseeq(name, "identity"))
		return &w->identity;
	if (http_str_caseeq(name, "x-gzip"))
		return &w->q[CODING_GZIP];
	for (c = 0; c < CODING_MAX; c++)
		if (http_str_caseeq(name, coding_table[c].name))
			return &w->q[c];
	return NULL;
}

/*
 * Reads ae[0..len) once.  A member is "name [weight]"; a member with a
 * malformed weight is skipped before it can claim its slot, so that a
 * later well-formed one still counts.
 */
static void
coding_weigh(const char *ae, size_t len, struct coding_weights *w)
{
	const char	*end = ae + len, *semi;
	struct http_str	 e, name;
	int		*slot, q;
	unsigned	 c;

	for (c = 0; c < CODING_MAX; c++)
		w->q[c] = CODING_Q_UNSET;
	w->star = w->identity = CODING_Q_UNSET;
	while (http_list_next(&ae, end, &e)) {
		semi = memchr(e.p, ';', e.len);
		name.p = e.p;
		name.len = semi != NULL ? (size_t)(semi - e.p) : e.len;
		util_trim_ows(&name.p, &name.len);
		q = http_qvalue(name.p + name.len,
		    (size_t)(e.p + e.len - (name.p + name.len)));
		if (q < 0 || (slot = coding_slot(w, &name)) == NULL)
			continue;
		if (*slot == CODING_Q_UNSET)
			*slot = q;
	}
}

/* The weight of coding c: its own, else that of "*", else 0. */
static int
coding_q(const struct coding_weights *w, enum coding c)
{
	if (w->q[c] != CODING_Q_UNSET)
		return w->q[c];
	return w->star != CODING_Q_UNSET ? w->star : 0;
}

int
coding_choose(const char *ae, size_t len, const enum coding *list,
    size_t n, unsigned try)
{
	struct coding_weights	 w;
	size_t			 i;
	int			 best = -1, bestq = 0, q, idq;

	if (ae == NULL)
		return -1;
	coding_weigh(ae, len, &w);
	for (i = 0; i < n && i < CODING_TRY_BITS; i++) {
		if ((try & (1u << i)) == 0 || (unsigned)list[i] >= CODING_MAX)
			continue;
		if ((q = coding_q(&w, list[i])) > bestq) {
			best = (int)i;
			bestq = q;
		}
	}
	/* Identity not mentioned, by name or "*", does not compete. */
	idq = w.identity != CODING_Q_UNSET ? w.identity : w.star;
	if (best >= 0 && idq > bestq)
		return -1;
	return best;
}
