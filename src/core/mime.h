/*
 * mime: file name extension -> media type.  A table is built once (at
 * start-up or reload) from the text of a mime.types file and/or the
 * built-in fallback, then only read.  Lookups are case-insensitive.
 * Pure: the caller reads the file and hands over its bytes.
 */
#ifndef MINIHTTPD_MIME_H
#define MINIHTTPD_MIME_H

#include <stddef.h>

/* Longer media types in a mime.types file are skipped. */
#define MIME_TYPE_MAX	127

struct mime_entry {
	char	*ext;		/* lower case, without the dot */
	char	*type;		/* e.g. "text/html" */
	size_t	 order;		/* insertion order: first one wins */
};

struct mime_table {
	struct mime_entry	*entries;	/* sorted by ext */
	size_t			 n;
	size_t			 cap;
};

void		 mime_init(struct mime_table *);
/* Adds the built-in table (entries already present are kept). */
void		 mime_add_builtin(struct mime_table *);
/*
 * Adds the entries of a mime.types text ("type ext ext ...", '#' comments).
 * Returns the number of entries added.
 */
size_t		 mime_add_text(struct mime_table *, const char *, size_t);
/* Sorts the table and drops duplicate extensions; call once after adding. */
void		 mime_finish(struct mime_table *);
/* Returns the type for the extension of path, or NULL. */
const char	*mime_lookup(const struct mime_table *, const char *path);
/* Non-zero when a charset parameter belongs on the type (text/x, js, json). */
int		 mime_is_text(const char *type);
void		 mime_free(struct mime_table *);

#endif
