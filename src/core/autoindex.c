/*
 * autoindex: directory listings, as a head and a body (autoindex.h says
 * why), each built into one malloc'd buffer.  Reading the directory is
 * bounded by AUTOINDEX_MAX_ENTRIES, the body by the caller's size; the
 * request path is HTML-escaped wherever it appears, and every name is
 * escaped for text and percent-encoded for its link, so a file name can
 * never inject markup.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/autoindex.h"
#include "core/uri.h"

#define PUTL(o, s)	put(o, s, sizeof(s) - 1)

struct out {
	char	*p;
	size_t	 len, size;
	int	 failed;
};

struct entry {
	char		*name;
	int		 isdir;
	off_t		 size;
	time_t		 mtime;
};

static void	put(struct out *, const char *, size_t);
static void	putf(struct out *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	put_html(struct out *, const char *);
static int	cmp_entry(const void *, const void *);
static int	finish(struct out *, char **, size_t *);
static void	put_row(struct out *, const struct entry *);
static int	read_entries(int, int, struct entry **, size_t *, int *);

static void
put(struct out *o, const char *s, size_t n)
{
	char	*np;
	size_t	 ns;

	if (o->failed)
		return;
	if (o->len + n + 1 > o->size) {
		ns = o->size ? o->size : 4096;
		while (ns < o->len + n + 1)
			ns *= 2;
		if ((np = realloc(o->p, ns)) == NULL) {
			o->failed = 1;
			return;
		}
		o->p = np;
		o->size = ns;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
putf(struct out *o, const char *fmt, ...)
{
	char	buf[256];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
}

static void
put_html(struct out *o, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<':
			put(o, "&lt;", 4);
			break;
		case '>':
			put(o, "&gt;", 4);
			break;
		case '&':
			put(o, "&amp;", 5);
			break;
		case '"':
			put(o, "&quot;", 6);
			break;
		case '\'':
			put(o, "&#39;", 5);
			break;
		default:
			put(o, s, 1);
		}
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry	*x = a, *y = b;

	if (x->isdir != y->isdir)
		return y->isdir - x->isdir;	/* directories first */
	return strcmp(x->name, y->name);
}

/* Hands the page over, shrunk to its size (a kept body is long-lived). */
static int
finish(struct out *o, char **res, size_t *reslen)
{
	char	*np;

	if (o->failed) {
		free(o->p);
		errno = ENOMEM;
		return -1;
	}
	if ((np = realloc(o->p, o->len + 1)) != NULL)
		o->p = np;
	o->p[o->len] = '\0';	/* put() always leaves room for it */
	*res = o->p;
	*reslen = o->len;
	return 0;
}

int
autoindex_head(const char *path, char **res, size_t *reslen)
{
	struct out	o = { NULL, 0, 0, 0 };

	PUTL(&o, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>Index of ");
	put_html(&o, path);
	PUTL(&o, "</title></head>\n<body>\n<h1>Index of ");
	put_html(&o, path);
	PUTL(&o, "</h1>\n<table>\n<tr><th>Name</th><th>Last modified</th>"
	    "<th>Size</th></tr>\n");
	if (strcmp(path, "/") != 0)
		PUTL(&o, "<tr><td><a href=\"../\">../</a></td><td></td>"
		    "<td></td></tr>\n");
	return finish(&o, res, reslen);
}

/* One row; the link is relative, so that it is right under any path. */
static void
put_row(struct out *o, const struct entry *e)
{
	char		link[1024], date[32];
	struct tm	tm;

	if (uri_encode(e->name, strlen(e->name), link, sizeof(link), 0) !=
	    URI_OK)
		return;
	gmtime_r(&e->mtime, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
	PUTL(o, "<tr><td><a href=\"");
	/* "./" keeps a name with ':' from reading as a scheme. */
	PUTL(o, "./");
	put_html(o, link);
	if (e->isdir)
		PUTL(o, "/");
	PUTL(o, "\">");
	put_html(o, e->name);
	if (e->isdir)
		PUTL(o, "/");
	putf(o, "</a></td><td>%s</td><td>", date);
	if (e->isdir)
		PUTL(o, "-");
	else
		putf(o, "%lld", (long long)e->size);
	PUTL(o, "</td></tr>\n");
}

/*
 * The entries of dirfd worth listing, at most AUTOINDEX_MAX_ENTRIES of
 * them (*cut set when there were more), unsorted.  -1 with errno.
 */
static int
read_entries(int dirfd, int dotfiles, struct entry **res, size_t *resn,
    int *cut)
{
	struct entry	*ents = NULL, *ne;
	size_t		 n = 0, cap = 0, i;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	int		 fd, save;

	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		save = errno;
		close(fd);
		errno = save;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!dotfiles ||
		    strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0))
			continue;
		if (n == AUTOINDEX_MAX_ENTRIES) {
			*cut = 1;
			break;
		}
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((ne = realloc(ents, cap * sizeof(*ents))) == NULL)
				goto nomem;
			ents = ne;
		}
		if ((ents[n].name = strdup(de->d_name)) == NULL)
			goto nomem;
		ents[n].isdir = S_ISDIR(st.st_mode);
		ents[n].size = st.st_size;
		ents[n].mtime = st.st_mtime;
		n++;
	}
	closedir(d);
	*res = ents;
	*resn = n;
	return 0;
nomem:
	closedir(d);
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	errno = ENOMEM;
	return -1;
}

int
autoindex_body(int dirfd, int dotfiles, size_t max, char **res,
    size_t *reslen)
{
	struct out	 o = { NULL, 0, 0, 0 };
	struct entry	*ents = NULL;
	size_t		 n = 0, i, mark, room;
	int		 cut = 0;

	if (read_entries(dirfd, dotfiles, &ents, &n, &cut) == -1)
		return -1;
	if (n > 1)
		qsort(ents, n, sizeof(*ents), cmp_entry);
	room = max > AUTOINDEX_TAIL_MAX ? max - AUTOINDEX_TAIL_MAX : 0;
	for (i = 0; i < n; i++) {
		mark = o.len;
		put_row(&o, &ents[i]);
		if (o.len > room) {
			o.len = mark;	/* the whole row, or none of it */
			cut = 1;
			break;
		}
	}
	PUTL(&o, "</table>\n");
	if (cut)
		putf(&o, "<p>This listing is cut short: %zu entries "
		    "shown.</p>\n", i);
	PUTL(&o, "</body></html>\n");
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	return finish(&o, res, reslen);
}
