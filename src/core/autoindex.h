/*
 * autoindex: the HTML listing of a directory that has no index file.
 * Names are sorted, HTML-escaped in text and percent-encoded in links;
 * dotfiles are hidden unless asked for.  Level 1: the directory is read
 * through the fd the caller resolved.
 */
#ifndef MINIHTTPD_AUTOINDEX_H
#define MINIHTTPD_AUTOINDEX_H

#include <stddef.h>

#define AUTOINDEX_MAX_ENTRIES	10000

/*
 * Renders the listing of dirfd (not closed) titled with the request
 * path.  Returns a malloc'd page in *out and its length, or -1 with errno.
 */
int	autoindex_render(int dirfd, const char *path, int dotfiles,
	    char **out, size_t *len);

#endif
