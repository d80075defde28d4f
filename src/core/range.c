/*
 * range: the one place that reads and writes byte-range syntax.  It
 * must not know about files or connections: the server hands it a
 * header and a length, the client a string.  Every sum is checked for
 * overflow before it is made.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/range.h"
#include "core/util.h"

/* The server's numbers: small enough that no sum of two overflows. */
#define RANGE_NUM_MAX	((uint64_t)1 << 62)

static int	range_cmp(const void *, const void *);
static int	range_clamp(const struct range_spec *, uint64_t,
		    struct range *);
static size_t	range_digits(const char *, size_t, uint64_t *);

static int
range_cmp(const void *a, const void *b)
{
	const struct range	*x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

int
range_spec_parse(const char *s, size_t len, uint64_t max,
    struct range_spec *sp)
{
	const char	*dash = memchr(s, '-', len);
	size_t		 al, bl;

	memset(sp, 0, sizeof(*sp));
	if (dash == NULL)
		return -1;
	al = (size_t)(dash - s);
	bl = len - al - 1;
	if (al == 0) {
		sp->is_suffix = 1;
		return util_parse_uint(dash + 1, bl, max, &sp->suffix);
	}
	if (util_parse_uint(s, al, max, &sp->first) == -1)
		return -1;
	if (bl == 0)
		sp->last = max;
	else if (util_parse_uint(dash + 1, bl, max, &sp->last) == -1 ||
	    sp->last < sp->first)
		return -1;
	return 0;
}

/*
 * The part of a representation of size bytes that sp selects, in *r.
 * Returns 0 when it selects nothing (it is then unsatisfiable).
 */
static int
range_clamp(const struct range_spec *sp, uint64_t size, struct range *r)
{
	if (sp->is_suffix) {
		if (sp->suffix == 0 || size == 0)
			return 0;
		r->first = sp->suffix >= size ? 0 : size - sp->suffix;
		r->last = size - 1;
		return 1;
	}
	if (sp->first >= size)
		return 0;
	r->first = sp->first;
	r->last = sp->last >= size ? size - 1 : sp->last;
	return 1;
}

enum range_result
range_parse(const char *h, size_t len, uint64_t size, struct range *out,
    size_t *n)
{
	struct range		 all[RANGE_SPECS_MAX];
	struct range_spec	 sp;
	struct http_str		 e;
	const char		*p, *end;
	size_t			 cnt = 0, specs = 0, i, w;

	*n = 0;
	util_trim_ows(&h, &len);
	if (len < 6 || !util_strncaseeq(h, "bytes=", 6))
		return RANGE_NONE;
	end = h + len;
	for (p = h + 6; http_list_next(&p, end, &e);) {
		/* RFC 9110 section 5.6.1: empty list elements are allowed. */
		if (e.len == 0)
			continue;
		if (++specs > RANGE_SPECS_MAX)
			return RANGE_NONE;
		if (range_spec_parse(e.p, e.len, RANGE_NUM_MAX, &sp) == -1)
			return RANGE_NONE;
		if (range_clamp(&sp, size, &all[cnt]))
			cnt++;
	}
	if (specs == 0)
		return RANGE_NONE;
	if (cnt == 0)
		return RANGE_UNSATISFIABLE;

	qsort(all, cnt, sizeof(all[0]), range_cmp);
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

int
range_set_ok(const char *set, size_t len)
{
	const char		*p = set, *end = set + len;
	struct range_spec	 sp;
	struct http_str		 e;
	size_t			 specs = 0;

	while (http_list_next(&p, end, &e))
		if (++specs > RANGE_SET_MAX || e.len == 0 ||
		    range_spec_parse(e.p, e.len, INT64_MAX, &sp) == -1)
			return 0;
	return 1;
}

/*
 * The decimal number at the start of s[0..len): returns how many digits
 * it has (0: none, or more than INT64_MAX) and sets *v.
 */
static size_t
range_digits(const char *s, size_t len, uint64_t *v)
{
	size_t	n;

	for (n = 0; n < len && s[n] >= '0' && s[n] <= '9'; n++)
		;
	if (n == 0 || util_parse_uint(s, n, INT64_MAX, v) == -1)
		return 0;
	return n;
}

int
range_content_parse(const char *p, size_t len, struct range_content *cr)
{
	const char	*end;
	size_t		 n;

	memset(cr, 0, sizeof(*cr));
	util_trim_ows(&p, &len);
	end = p + len;
	if (len < 6 || !util_strncaseeq(p, "bytes ", 6))
		return -1;
	for (p += 6; p < end && *p == ' '; p++)
		;
	if (p < end && *p == '*') {
		cr->unsatisfied = 1;
		p++;
	} else {
		if ((n = range_digits(p, (size_t)(end - p), &cr->first)) == 0)
			return -1;
		p += n;
		if (p == end || *p++ != '-')
			return -1;
		if ((n = range_digits(p, (size_t)(end - p), &cr->last)) == 0)
			return -1;
		p += n;
		if (cr->first > cr->last)
			return -1;
	}
	if (p == end || *p++ != '/')
		return -1;
	if (p < end && *p == '*' && p + 1 == end && !cr->unsatisfied)
		return 0;
	if ((n = range_digits(p, (size_t)(end - p), &cr->size)) == 0 ||
	    p + n != end)
		return -1;
	cr->has_size = 1;
	if (!cr->unsatisfied && cr->last >= cr->size)
		return -1;
	return 0;
}

size_t
range_content_format(char *buf, size_t bufsz, const struct range *r,
    uint64_t size)
{
	int	n;

	if (r == NULL)
		n = snprintf(buf, bufsz, "*/%llu", (unsigned long long)size);
	else
		n = snprintf(buf, bufsz, "%llu-%llu/%llu",
		    (unsigned long long)r->first, (unsigned long long)r->last,
		    (unsigned long long)size);
	if (n < 0 || (size_t)n >= bufsz)
		return 0;
	return (size_t)n;
}
