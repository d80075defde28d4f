/*
 * range: byte ranges.  A syntactically invalid header is ignored (RFC
 * 9110 section 14.2 lets a server ignore Range), an unknown unit too; a
 * valid one where no part overlaps the representation is unsatisfiable
 * (416).  Every sum is checked for overflow before it is made.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/range.h"
#include "core/util.h"

#define RANGE_NUM_MAX	((uint64_t)1 << 62)

static int	cmp_range(const void *, const void *);
static int	parse_spec(const char *, size_t, uint64_t, struct range *,
		    int *);

static int
cmp_range(const void *a, const void *b)
{
	const struct range	*x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * One "first-last", "first-" or "-suffix".  Returns -1 on bad syntax,
 * else 0 with *usable telling whether it overlaps the representation.
 */
static int
parse_spec(const char *s, size_t len, uint64_t size, struct range *r,
    int *usable)
{
	const char	*dash = memchr(s, '-', len);
	uint64_t	 a, b;
	size_t		 al, bl;

	*usable = 0;
	if (dash == NULL)
		return -1;
	al = (size_t)(dash - s);
	bl = len - al - 1;
	if (al == 0) {
		/* suffix-range: the last b bytes. */
		if (util_parse_uint(dash + 1, bl, RANGE_NUM_MAX, &b) == -1)
			return -1;
		if (b == 0 || size == 0)
			return 0;
		r->first = b >= size ? 0 : size - b;
		r->last = size - 1;
		*usable = 1;
		return 0;
	}
	if (util_parse_uint(s, al, RANGE_NUM_MAX, &a) == -1)
		return -1;
	if (bl == 0)
		b = RANGE_NUM_MAX;
	else if (util_parse_uint(dash + 1, bl, RANGE_NUM_MAX, &b) == -1 ||
	    b < a)
		return -1;
	if (a >= size)
		return 0;
	r->first = a;
	r->last = b >= size ? size - 1 : b;
	*usable = 1;
	return 0;
}

enum range_result
range_parse(const char *h, size_t len, uint64_t size, struct range *out,
    size_t *n)
{
	struct range	 all[RANGE_SPECS_MAX];
	const char	*end, *comma, *p;
	size_t		 cnt = 0, specs = 0, i, w, sl;
	int		 usable;

	*n = 0;
	util_trim_ows(&h, &len);
	if (len < 6 || !util_strncaseeq(h, "bytes=", 6))
		return RANGE_NONE;
	end = h + len;
	for (p = h + 6; p <= end; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		sl = (size_t)(comma - p);
		util_trim_ows(&p, &sl);
		/* RFC 9110 section 5.6.1: empty list elements are allowed. */
		if (sl > 0) {
			if (++specs > RANGE_SPECS_MAX)
				return RANGE_NONE;
			if (parse_spec(p, sl, size, &all[cnt], &usable) == -1)
				return RANGE_NONE;
			if (usable)
				cnt++;
		}
		if (comma == end)
			break;
	}
	if (specs == 0)
		return RANGE_NONE;
	if (cnt == 0)
		return RANGE_UNSATISFIABLE;

	qsort(all, cnt, sizeof(all[0]), cmp_range);
	for (i = 1, w = 0; i < cnt; i++) {
		if (all[i].first <= all[w].last ||
		    all[i].first - all[w].last <= RANGE_GAP) {
			if (all[i].last > all[w].last)
				all[w].last = all[i].last;
		} else
			all[++w] = all[i];
	}
	cnt = w + 1;
	if (cnt > RANGE_MAX)
		return RANGE_NONE;
	memcpy(out, all, cnt * sizeof(all[0]));
	*n = cnt;
	return RANGE_OK;
}
