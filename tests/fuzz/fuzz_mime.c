/*
 * fuzz_mime: libFuzzer target for the mime.types parser (mime.c).  The
 * input is the text of a mime.types file, read from a buffer of its own
 * length.  Properties: every entry has a lower-case extension without a
 * blank and a type no longer than MIME_TYPE_MAX; after
 * mime_finish the table is sorted with one entry per extension, and
 * looking up "x.EXT" (in upper case too) finds the entry; the built-in
 * table added after the text does not replace what the text said.
 *
 *	tests/fuzz/run mime
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mime.h"
#include "core/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_table	 t;
	const char		*type;
	char			*in, path[300];
	size_t			 i, j, added;

	if ((in = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(in, data, size);
	mime_init(&t);
	added = mime_add_text(&t, in, size);
	if (added != t.n)
		abort();
	if (size > 0 && (data[0] & 1))
		mime_add_builtin(&t);
	mime_finish(&t);
	for (i = 0; i < t.n; i++) {
		const char	*e = t.entries[i].ext;

		if (e[0] == '\0' || strlen(t.entries[i].type) > MIME_TYPE_MAX ||
		    t.entries[i].type[0] == '\0')
			abort();
		for (j = 0; e[j] != '\0'; j++)
			if (e[j] == ' ' || e[j] == '\t' || e[j] == '\n' ||
			    util_tolower((unsigned char)e[j]) != (unsigned char)e[j])
				abort();
		if (i > 0 && strcmp(t.entries[i - 1].ext, e) >= 0)
			abort();
		/* "tar.gz" is kept but can never match a last extension. */
		if (strpbrk(e, "./") != NULL)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "/dir.d/x.%s", e) >=
		    sizeof(path))
			continue;
		if ((type = mime_lookup(&t, path)) == NULL ||
		    strcmp(type, t.entries[i].type) != 0)
			abort();
		for (j = 0; path[j] != '\0'; j++)
			if (path[j] >= 'a' && path[j] <= 'z')
				path[j] = (char)(path[j] - 'a' + 'A');
		if ((type = mime_lookup(&t, path)) == NULL ||
		    strcmp(type, t.entries[i].type) != 0)
			abort();
		(void)mime_is_text(t.entries[i].type);
	}
	(void)mime_lookup(&t, in[0] == '\0' || size == 0 ? "/" : "/a.html");
	mime_free(&t);
	free(in);
	return 0;
}
