/*
 * autoindex: the HTML listing of a directory that has no index file.
 * Names are sorted, HTML-escaped in text and percent-encoded in links;
 * dotfiles are hidden unless asked for.  Level 1: the directory is read
 * through the fd the caller resolved.
 *
 * A page is made of two parts, so that the costly one can be kept: the
 * head, which shows the request path, and the body (the rows and the
 * end of the page), which depends only on the directory and on the
 * dotfiles setting: its links are relative, so one body serves every
 * path that names the directory.
 */
#ifndef MINIHTTPD_AUTOINDEX_H
#define MINIHTTPD_AUTOINDEX_H

#include <stddef.h>

#define AUTOINDEX_MAX_ENTRIES	10000
/* The end of a body: the note on a cut listing and the closing tags. */
#define AUTOINDEX_TAIL_MAX	128

/*
 * The head of the listing of path, up to the rows: the title and, except
 * at "/", the link to the parent.  Returns a malloc'd string in *out and
 * its length, or -1 with errno.
 */
int	autoindex_head(const char *path, char **out, size_t *len);
/*
 * The body of the listing of dirfd (not closed): one row per entry, then
 * the end of the page.  At most AUTOINDEX_MAX_ENTRIES entries are read,
 * and the body is kept within max bytes (at least AUTOINDEX_TAIL_MAX);
 * entries left out are said so in a note after the table.  Returns a
 * malloc'd string in *out and its length, or -1 with errno.
 */
int	autoindex_body(int dirfd, int dotfiles, size_t max, char **out,
	    size_t *len);

#endif
