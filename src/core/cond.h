/*
 * cond: conditional requests (RFC 9110 section 13): If-Match,
 * If-Unmodified-Since, If-None-Match, If-Modified-Since evaluated in the
 * order of section 13.2.2, and If-Range, for the server's requests.
 * Pure: the caller passes the request, the selected representation's
 * strong ETag and its time; it decides nothing about the answer beyond
 * the status the preconditions call for.
 */
#ifndef MINIHTTPD_COND_H
#define MINIHTTPD_COND_H

#include <stddef.h>
#include <time.h>

#include "core/request.h"

enum cond_result {
	COND_PROCEED = 0,	/* answer normally */
	COND_NOT_MODIFIED,	/* 304 */
	COND_FAILED		/* 412 */
};

enum cond_result	cond_evaluate(const struct request *,
			    const char *etag, time_t mtime);
/*
 * Non-zero when a Range header may be honoured: there is no If-Range, or
 * it names our ETag (strong comparison) or exactly our Last-Modified
 * time, and that time is a strong validator (at least a second before
 * now, RFC 9110 section 8.8.2.2).
 */
int			cond_if_range(const struct request *,
			    const char *etag, time_t mtime, time_t now);
/* Non-zero when the entity-tag list matches etag; weak or strong. */
int			cond_etag_match(const char *list, size_t len,
			    const char *etag, int weak);

#endif
