/*
 * autoindex: directory listings.  Built into one malloc'd buffer per
 * listing (listings are rare and bounded by AUTOINDEX_MAX_ENTRIES); the
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

int
autoindex_render(int dirfd, const char *path, int dotfiles, char **res,
    size_t *reslen)
{
	struct out	 o = { NULL, 0, 0, 0 };
	struct entry	*ents = NULL;
	size_t		 n = 0, cap = 0, i;
	struct dirent	*de;
	struct stat	 st;
	struct tm	 tm;
	char		 link[1024], date[32];
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
	while ((de = readdir(d)) != NULL && n < AUTOINDEX_MAX_ENTRIES) {
		if (de->d_name[0] == '.' && (!dotfiles ||
		    strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if (n == cap) {
			struct entry	*ne;

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
	d = NULL;
	if (n > 1)
		qsort(ents, n, sizeof(*ents), cmp_entry);

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
	for (i = 0; i < n; i++) {
		if (uri_encode(ents[i].name, strlen(ents[i].name), link,
		    sizeof(link), 0) != URI_OK)
			continue;
		gmtime_r(&ents[i].mtime, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
		PUTL(&o, "<tr><td><a href=\"");
		/* "./" keeps a name with ':' from reading as a scheme. */
		PUTL(&o, "./");
		put_html(&o, link);
		if (ents[i].isdir)
			PUTL(&o, "/");
		PUTL(&o, "\">");
		put_html(&o, ents[i].name);
		if (ents[i].isdir)
			PUTL(&o, "/");
		putf(&o, "</a></td><td>%s</td><td>", date);
		if (ents[i].isdir)
			PUTL(&o, "-");
		else
			putf(&o, "%lld", (long long)ents[i].size);
		PUTL(&o, "</td></tr>\n");
	}
	PUTL(&o, "</table>\n</body></html>\n");
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	if (o.failed) {
		free(o.p);
		errno = ENOMEM;
		return -1;
	}
	o.p[o.len] = '\0';	/* put() always leaves room for it */
	*res = o.p;
	*reslen = o.len;
	return 0;
nomem:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	errno = ENOMEM;
	return -1;
}
