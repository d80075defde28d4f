/*
 * mime: the extension -> media type table.  Built at start-up or reload
 * (allocation allowed there), sorted once, then searched with bsearch on
 * every request without allocating.  When an extension is added twice,
 * the first addition wins, so a mime.types file added before the
 * built-in table overrides it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/mime.h"
#include "core/util.h"

#define MIME_EXT_MAX	32

static const char *const builtin[][2] = {
	{ "html", "text/html" },	{ "htm", "text/html" },
	{ "css", "text/css" },		{ "txt", "text/plain" },
	{ "md", "text/markdown" },	{ "csv", "text/csv" },
	{ "xml", "application/xml" },	{ "js", "text/javascript" },
	{ "mjs", "text/javascript" },	{ "json", "application/json" },
	{ "svg", "image/svg+xml" },	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },		{ "webp", "image/webp" },
	{ "avif", "image/avif" },	{ "ico", "image/vnd.microsoft.icon" },
	{ "pdf", "application/pdf" },	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },	{ "tar", "application/x-tar" },
	{ "xz", "application/x-xz" },	{ "wasm", "application/wasm" },
	{ "woff", "font/woff" },	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },		{ "otf", "font/otf" },
	{ "mp4", "video/mp4" },		{ "webm", "video/webm" },
	{ "mp3", "audio/mpeg" },	{ "ogg", "audio/ogg" },
	{ "wav", "audio/wav" },		{ "xhtml", "application/xhtml+xml" },
	{ "rss", "application/rss+xml" }, { "atom", "application/atom+xml" },
};

static void	add(struct mime_table *, const char *, size_t, const char *,
		    size_t);
static int	cmp_entry(const void *, const void *);

void
mime_init(struct mime_table *t)
{
	memset(t, 0, sizeof(*t));
}

static void
add(struct mime_table *t, const char *ext, size_t elen, const char *type,
    size_t tlen)
{
	struct mime_entry	*e;
	size_t			 i;

	/* A NUL would cut the string short of what was checked. */
	if (elen == 0 || elen >= MIME_EXT_MAX || tlen == 0 ||
	    tlen > MIME_TYPE_MAX || memchr(ext, '\0', elen) != NULL ||
	    memchr(type, '\0', tlen) != NULL)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->entries = xreallocarray(t->entries, t->cap, sizeof(*e));
	}
	e = &t->entries[t->n];
	e->order = t->n++;
	e->ext = xmalloc(elen + 1);
	for (i = 0; i < elen; i++)
		e->ext[i] = (char)util_tolower((unsigned char)ext[i]);
	e->ext[elen] = '\0';
	e->type = xmalloc(tlen + 1);
	memcpy(e->type, type, tlen);
	e->type[tlen] = '\0';
}

void
mime_add_builtin(struct mime_table *t)
{
	size_t	i;

	for (i = 0; i < UTIL_ARRAY_LEN(builtin); i++)
		add(t, builtin[i][0], strlen(builtin[i][0]), builtin[i][1],
		    strlen(builtin[i][1]));
}

size_t
mime_add_text(struct mime_table *t, const char *p, size_t len)
{
	const char	*end = p + len, *eol, *type, *w;
	size_t		 tlen, before = t->n;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p == eol || *p == '#')
			continue;
		type = p;
		while (p < eol && *p != ' ' && *p != '\t' && *p != '#' &&
		    *p != '\r')
			p++;
		tlen = (size_t)(p - type);
		/* A media type has exactly one '/' inside it. */
		w = memchr(type, '/', tlen);
		if (w == NULL || w == type || w == type + tlen - 1 ||
		    memchr(w + 1, '/', tlen - (size_t)(w - type) - 1) != NULL)
			continue;
		for (;;) {
			while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
				p++;
			if (p == eol || *p == '#')
				break;
			w = p;
			while (p < eol && *p != ' ' && *p != '\t' &&
			    *p != '\r' && *p != '#')
				p++;
			add(t, w, (size_t)(p - w), type, tlen);
		}
	}
	return t->n - before;
}

/* Sort by extension, then by insertion order, so the first one wins. */
static int
cmp_entry(const void *a, const void *b)
{
	const struct mime_entry	*x = a, *y = b;
	int			 c = strcmp(x->ext, y->ext);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

void
mime_finish(struct mime_table *t)
{
	size_t	i, w = 0;

	if (t->n == 0)
		return;
	qsort(t->entries, t->n, sizeof(*t->entries), cmp_entry);
	for (i = 0; i < t->n; i++) {
		if (w > 0 && strcmp(t->entries[w - 1].ext,
		    t->entries[i].ext) == 0) {
			free(t->entries[i].ext);
			free(t->entries[i].type);
			continue;
		}
		t->entries[w++] = t->entries[i];
	}
	t->n = w;
}

const char *
mime_lookup(const struct mime_table *t, const char *path)
{
	const char		*dot, *slash;
	char			 ext[MIME_EXT_MAX];
	size_t			 len, i;
	size_t			 lo = 0, hi = t->n;

	slash = strrchr(path, '/');
	dot = strrchr(path, '.');
	if (dot == NULL || (slash != NULL && dot < slash))
		return NULL;
	len = strlen(dot + 1);
	if (len == 0 || len >= sizeof(ext))
		return NULL;
	for (i = 0; i <= len; i++)
		ext[i] = (char)util_tolower((unsigned char)dot[1 + i]);
	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = strcmp(ext, t->entries[mid].ext);

		if (c == 0)
			return t->entries[mid].type;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
mime_is_text(const char *type)
{
	static const char *const texty[] = {
		"application/javascript", "application/json",
		"application/xml", "application/xhtml+xml",
		"application/rss+xml", "application/atom+xml",
		"image/svg+xml",
	};
	size_t	i;

	/* RFC 9110 section 8.3.1: type and subtype ignore case. */
	if (util_strncaseeq(type, "text/", 5))
		return 1;
	for (i = 0; i < UTIL_ARRAY_LEN(texty); i++)
		if (strlen(type) == strlen(texty[i]) &&
		    util_strncaseeq(type, texty[i], strlen(type)))
			return 1;
	return 0;
}

void
mime_free(struct mime_table *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		free(t->entries[i].ext);
		free(t->entries[i].type);
	}
	free(t->entries);
	mime_init(t);
}
