/*
 * fuzz_clf: libFuzzer target for the access-log line (clf.c).  The input
 * is split into the request line, the Referer and the User-Agent, each
 * in a buffer of its own length.  Properties: a line is one line (a
 * single newline, at its end), within CLF_LINE_MAX, of printable ASCII
 * only, whatever the client sent; an escaped field is printable ASCII
 * within CLF_FIELD_MAX, without an unescaped '"'.
 *
 *	tests/fuzz/run clf
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	*part(const uint8_t **, const uint8_t *, size_t *);

/* The next part up to a NUL byte, copied into a buffer of its size. */
static char *
part(const uint8_t **pp, const uint8_t *end, size_t *len)
{
	const uint8_t	*p = *pp, *z;
	char		*s;

	if ((z = memchr(p, '\0', (size_t)(end - p))) == NULL)
		z = end;
	*len = (size_t)(z - p);
	if ((s = malloc(*len ? *len : 1)) == NULL)
		abort();
	memcpy(s, p, *len);
	*pp = z < end ? z + 1 : z;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct clf_entry	 e;
	const uint8_t		*p = data, *end = data + size;
	char			 line[CLF_LINE_MAX], field[CLF_FIELD_MAX + 1];
	char			*rq, *ref, *ua;
	size_t			 rl, fl, ul, n, i, sz;

	rq = part(&p, end, &rl);
	ref = part(&p, end, &fl);
	ua = part(&p, end, &ul);
	memset(&e, 0, sizeof(e));
	e.peer = "192.0.2.1";
	e.time = "10/Oct/2000:13:55:36 +0000";
	e.request = rq;
	e.request_len = rl;
	e.status = 200;
	e.bytes = size;
	e.referer = fl > 0 ? ref : NULL;
	e.referer_len = fl;
	e.agent = ul > 0 ? ua : NULL;
	e.agent_len = ul;
	/* The whole room, and less when the input asks (cut lines). */
	sz = size > 0 && data[0] < 64 ? 2 + data[0] * 8u : sizeof(line);
	n = clf_format(line, sz, &e);
	if (n == 0 || n > sz || line[n - 1] != '\n')
		abort();
	/* Not NUL-terminated: a write() of n bytes. */
	for (i = 0; i + 1 < n; i++)
		if ((unsigned char)line[i] < 0x20 ||
		    (unsigned char)line[i] >= 0x7f)
			abort();
	n = clf_escape(field, sizeof(field), rq, rl);
	if (n > CLF_FIELD_MAX || strlen(field) != n)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)field[i] < 0x20 ||
		    (unsigned char)field[i] >= 0x7f ||
		    (field[i] == '"' && (i == 0 || field[i - 1] != '\\')))
			abort();
	free(rq);
	free(ref);
	free(ua);
	return 0;
}
