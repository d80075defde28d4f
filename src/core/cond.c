/*
 * cond: preconditions.  Entity-tags are compared as RFC 9110 section
 * 8.8.3.2 says: strong comparison (If-Match, If-Range) needs both tags
 * strong and equal; weak comparison (If-None-Match) ignores "W/".  An
 * invalid date makes its header ignored (section 13.1.3-4).
 */
#include "config.h"

#include <string.h>

#include "core/cond.h"
#include "core/httpdate.h"
#include "core/util.h"

int
cond_etag_match(const char *p, size_t len, const char *etag, int weak)
{
	const char	*end = p + len, *q;
	size_t		 el = strlen(etag);
	int		 isweak;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p == end)
			return 0;
		if (*p == '*')
			return 1;
		isweak = 0;
		if (end - p >= 2 && p[0] == 'W' && p[1] == '/') {
			isweak = 1;
			p += 2;
		}
		if (p == end || *p != '"')
			return 0;	/* malformed: nothing further matches */
		if ((q = memchr(p + 1, '"', (size_t)(end - p - 1))) == NULL)
			return 0;
		q++;
		if ((size_t)(q - p) == el && memcmp(p, etag, el) == 0 &&
		    (weak || !isweak))
			return 1;
		p = q;
	}
}

enum cond_result
cond_evaluate(const struct request *r, const char *etag, time_t mtime)
{
	int	get = r->method == REQUEST_METHOD_GET ||
		    r->method == REQUEST_METHOD_HEAD;
	time_t	t;

	/* Steps 1-2: the client's copy must still be the current one. */
	if (r->if_match.p != NULL) {
		if (!cond_etag_match(r->if_match.p, r->if_match.len, etag, 0))
			return COND_FAILED;
	} else if (r->if_unmodified_since.p != NULL &&
	    httpdate_parse(r->if_unmodified_since.p,
	    r->if_unmodified_since.len, &t) == 0 && mtime > t)
		return COND_FAILED;

	/* Steps 3-4: the client's copy is still good. */
	if (r->if_none_match.p != NULL) {
		if (cond_etag_match(r->if_none_match.p, r->if_none_match.len,
		    etag, 1))
			return get ? COND_NOT_MODIFIED : COND_FAILED;
	} else if (get && r->if_modified_since.p != NULL &&
	    httpdate_parse(r->if_modified_since.p, r->if_modified_since.len,
	    &t) == 0 && mtime <= t)
		return COND_NOT_MODIFIED;
	return COND_PROCEED;
}

int
cond_if_range(const struct request *r, const char *etag, time_t mtime,
    time_t now)
{
	const char	*v = r->if_range.p;
	size_t		 len = r->if_range.len;
	time_t		 t;

	if (v == NULL)
		return 1;
	util_trim_ows(&v, &len);
	if (len > 0 && (v[0] == '"' || (len > 1 && v[0] == 'W' &&
	    v[1] == '/')))
		return v[0] == '"' && len == strlen(etag) &&
		    memcmp(v, etag, len) == 0;
	if (httpdate_parse(v, len, &t) == -1)
		return 0;
	return t == mtime && mtime < now;
}
