/*
 * cfgscan: a second reading of a configuration file, after libconfig's.
 *
 * libconfig stops at the first token its grammar does not expect and
 * says "syntax error" with that token's line: "autoindex = on;" (a bare
 * word), a group whose '}' is missing (reported at the end of the file),
 * or a name given twice ("duplicate setting name", without the name).
 * This scanner walks the same tokens with a small version of the grammar
 * and names the cause instead.  It also finds what libconfig accepts
 * silently: two string literals with only blanks or comments between
 * them are one string to libconfig, so [ "a.html" "b.html" ] is a list
 * of one name, "a.htmlb.html".
 *
 * When the scanner meets something its grammar does not know, it stops
 * and reports nothing from there on: libconfig's own message is then the
 * better one, and a scanner that guessed could only mislead.  Problems
 * are reported in text order, the first one only, as libconfig does.
 * It must not do I/O or include libconfig (the conf module does both).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfgscan.h"
#include "core/util.h"

enum tok_type {
	T_EOF,
	T_WORD,		/* name, or true/false */
	T_STRING,	/* p, len: between the quotes, escapes as written */
	T_NUMBER,
	T_PUNCT,	/* c: one of = : ; , { } [ ] ( ) */
	T_AT,		/* a directive: "@include" */
	T_BAD		/* unterminated string or comment, unknown byte */
};

struct tok {
	enum tok_type	 type;
	const char	*p;
	size_t		 len;
	size_t		 off;
	unsigned	 line;
	char		 c;
};

struct lexer {
	const char	*s;
	size_t		 len, pos;
	unsigned	 line;
};

/* What the grammar expects next in the innermost group, list or array. */
enum expect {
	E_NAME,		/* a setting name (or the closer of a group) */
	E_SEP,		/* '=' or ':' after a name */
	E_VALUE,	/* a value (or the closer of a list or array) */
	E_AFTER		/* ';' or ',', a closer, or in a group a name */
};

/* One open group ('{', the file itself too), list ('(') or array ('['). */
struct frame {
	char		 open;
	unsigned	 line;
	unsigned	 scope;		/* groups: a number of their own */
	const char	*name;		/* groups: the latest setting name */
	size_t		 namelen;
};

/* One setting name, for the duplicate check. */
struct seen {
	unsigned	 scope;
	const char	*name;
	size_t		 len;
	size_t		 off;
	unsigned	 line;
};

struct scan {
	struct frame	*fr;
	size_t		 nfr, frcap;
	struct seen	*seen;
	size_t		 nseen, seencap;
	unsigned	 nscopes;
	enum expect	 expect;
	struct tok	 prev;		/* the previous token */
	int		 include;	/* an @include's file name comes next */
	size_t		 found;		/* offset of the problem in d, or -1 */
	struct cfgscan_diag *d;
};

static void	 lex(struct lexer *, struct tok *);
static int	 word_char(int, int);
static int	 step(struct scan *, const struct tok *);
static int	 report(struct scan *, const struct tok *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static const struct frame *group(const struct scan *);
static void	 push(struct scan *, char, unsigned);
static void	 note_name(struct scan *, const struct tok *);
static int	 bare_word(struct scan *, const struct tok *);
static int	 adjacent(struct scan *, const struct tok *);
static int	 closer(struct scan *, const struct tok *);
static void	 duplicates(struct scan *);
static int	 seen_cmp(const void *, const void *);
static int	 is_word(const struct tok *, const char *);

/* Names are [A-Za-z*][-A-Za-z0-9_*]*, as libconfig's scanner has them. */
static int
word_char(int c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*')
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '_');
}

/* The next token; comments and blanks are skipped, lines counted. */
static void
lex(struct lexer *lx, struct tok *t)
{
	const char	*s = lx->s;
	size_t		 n = lx->len;
	int		 c;

	for (;;) {
		while (lx->pos < n && s[lx->pos] != '\0' &&
		    strchr(" \t\r\n\f\v", s[lx->pos]) != NULL) {
			if (s[lx->pos] == '\n')
				lx->line++;
			lx->pos++;
		}
		if (lx->pos < n && (s[lx->pos] == '#' || (s[lx->pos] == '/' &&
		    lx->pos + 1 < n && s[lx->pos + 1] == '/'))) {
			while (lx->pos < n && s[lx->pos] != '\n')
				lx->pos++;
			continue;
		}
		if (lx->pos + 1 < n && s[lx->pos] == '/' &&
		    s[lx->pos + 1] == '*') {
			t->line = lx->line;
			for (lx->pos += 2; lx->pos + 1 < n && !(s[lx->pos] ==
			    '*' && s[lx->pos + 1] == '/'); lx->pos++)
				if (s[lx->pos] == '\n')
					lx->line++;
			if (lx->pos + 1 >= n) {
				t->type = T_BAD;
				return;
			}
			lx->pos += 2;
			continue;
		}
		break;
	}
	t->off = lx->pos;
	t->line = lx->line;
	t->p = s + lx->pos;
	t->len = 0;
	if (lx->pos >= n) {
		t->type = T_EOF;
		return;
	}
	c = (unsigned char)s[lx->pos];
	if (c == '"') {
		t->type = T_STRING;
		t->p = s + ++lx->pos;
		while (lx->pos < n && s[lx->pos] != '"') {
			if (s[lx->pos] == '\\' && lx->pos + 1 < n)
				lx->pos++;
			if (s[lx->pos] == '\n')
				lx->line++;
			lx->pos++;
		}
		if (lx->pos >= n) {
			t->type = T_BAD;
			return;
		}
		t->len = (size_t)(s + lx->pos - t->p);
		lx->pos++;
	} else if (word_char(c, 1) || c == '@') {
		t->type = c == '@' ? T_AT : T_WORD;
		if (c == '@')
			lx->pos++;
		while (lx->pos < n && word_char((unsigned char)s[lx->pos],
		    lx->pos == t->off + (c == '@')))
			lx->pos++;
		t->len = (size_t)(s + lx->pos - t->p);
	} else if ((c >= '0' && c <= '9') || c == '-' || c == '+' ||
	    c == '.') {
		/* 10, -3, 0x1F, 1.5e-3, 10L: no need to tell them apart. */
		t->type = T_NUMBER;
		for (lx->pos++; lx->pos < n; lx->pos++) {
			c = (unsigned char)s[lx->pos];
			if (!((c >= '0' && c <= '9') || (c >= 'a' &&
			    c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
			    ((c == '-' || c == '+') && (s[lx->pos - 1] == 'e' ||
			    s[lx->pos - 1] == 'E'))))
				break;
		}
		t->len = (size_t)(s + lx->pos - t->p);
	} else if (c != '\0' && strchr("=:;,{}[]()", c) != NULL) {
		t->type = T_PUNCT;
		t->c = (char)c;
		t->len = 1;
		lx->pos++;
	} else {
		t->type = T_BAD;
	}
}

static int
is_word(const struct tok *t, const char *w)
{
	return t->type == T_WORD && t->len == strlen(w) &&
	    util_strncaseeq(t->p, w, t->len);
}

/* Fills d with "LINE: NAME: reason"; returns 1 to stop the scan. */
static int
report(struct scan *sc, const struct tok *t, const char *fmt, ...)
{
	va_list	ap;

	sc->d->line = t->line;
	va_start(ap, fmt);
	vsnprintf(sc->d->msg, sizeof(sc->d->msg), fmt, ap);
	va_end(ap);
	sc->found = t->off;
	return 1;
}

/* The innermost group: its latest name is the setting being written. */
static const struct frame *
group(const struct scan *sc)
{
	size_t	i = sc->nfr;

	while (i > 1 && sc->fr[i - 1].open != '{')
		i--;
	return &sc->fr[i - 1];
}

static void
push(struct scan *sc, char open, unsigned line)
{
	struct frame	*f;

	if (sc->nfr == sc->frcap) {
		sc->frcap = sc->frcap ? sc->frcap * 2 : 16;
		sc->fr = xreallocarray(sc->fr, sc->frcap, sizeof(*sc->fr));
	}
	f = &sc->fr[sc->nfr++];
	f->open = open;
	f->line = line;
	f->scope = open == '{' ? sc->nscopes++ : 0;
	f->name = NULL;
	f->namelen = 0;
}

static void
note_name(struct scan *sc, const struct tok *t)
{
	struct frame	*f = &sc->fr[sc->nfr - 1];
	struct seen	*e;

	f->name = t->p;
	f->namelen = t->len;
	if (sc->nseen == sc->seencap) {
		sc->seencap = sc->seencap ? sc->seencap * 2 : 64;
		sc->seen = xreallocarray(sc->seen, sc->seencap,
		    sizeof(*sc->seen));
	}
	e = &sc->seen[sc->nseen++];
	e->scope = f->scope;
	e->name = t->p;
	e->len = t->len;
	e->off = t->off;
	e->line = t->line;
}

#define NAME_ARGS(f)	(int)((f)->name ? (f)->namelen : 5), \
			    ((f)->name ? (f)->name : "value")

/* A word where a value belongs: libconfig's "syntax error". */
static int
bare_word(struct scan *sc, const struct tok *t)
{
	const struct frame	*g = group(sc);
	int			 w = t->len > CFGSCAN_QUOTE_MAX ?
				    CFGSCAN_QUOTE_MAX : (int)t->len;

	if (is_word(t, "on") || is_word(t, "off") || is_word(t, "yes") ||
	    is_word(t, "no") || is_word(t, "enabled") ||
	    is_word(t, "disabled"))
		return report(sc, t, "%.*s: use true or false, not %.*s",
		    NAME_ARGS(g), w, t->p);
	return report(sc, t, "%.*s: %.*s is not a value: write a string in "
	    "double quotes (\"%.*s\")", NAME_ARGS(g), w, t->p, w, t->p);
}

/* A string right after a string: libconfig joins them into one. */
static int
adjacent(struct scan *sc, const struct tok *t)
{
	const struct frame	*g = group(sc);
	const struct tok	*a = &sc->prev;
	int			 la = a->len > CFGSCAN_QUOTE_MAX / 2 ?
				    CFGSCAN_QUOTE_MAX / 2 : (int)a->len;
	int			 lb = t->len > CFGSCAN_QUOTE_MAX / 2 ?
				    CFGSCAN_QUOTE_MAX / 2 : (int)t->len;

	sc->d->line = a->line;
	snprintf(sc->d->msg, sizeof(sc->d->msg), "%.*s: two adjacent strings "
	    "are joined by libconfig (\"%.*s%s\" \"%.*s%s\" becomes "
	    "\"%.*s%s%.*s%s\"); separate list items with commas",
	    NAME_ARGS(g), la, a->p, (size_t)la < a->len ? "..." : "", lb,
	    t->p, (size_t)lb < t->len ? "..." : "", la, a->p,
	    (size_t)la < a->len ? "..." : "", lb, t->p,
	    (size_t)lb < t->len ? "..." : "");
	sc->found = a->off;
	return 1;
}

static int
closer(struct scan *sc, const struct tok *t)
{
	static const char	 pairs[] = "{}[]()";
	const struct frame	*f = &sc->fr[sc->nfr - 1];
	char			 want = pairs[strchr(pairs, f->open) - pairs + 1];

	if (sc->nfr == 1)
		return report(sc, t, "'%c' closes nothing: there are more "
		    "closing than opening brackets", t->c);
	if (t->c != want)
		return report(sc, t, "'%c' does not close the '%c' opened at "
		    "line %u (expected '%c')", t->c, f->open, f->line, want);
	if (sc->expect == E_SEP || (f->open == '{' && sc->expect == E_VALUE))
		return -1;
	sc->nfr--;
	sc->expect = E_AFTER;
	return 0;
}

/*
 * One token through the grammar.  Returns 0 to go on, 1 when d holds a
 * problem, -1 when the grammar does not know what follows (then
 * libconfig's message stands).
 */
static int
step(struct scan *sc, const struct tok *t)
{
	const struct frame	*f = &sc->fr[sc->nfr - 1];
	int			 in_group = f->open == '{';

	switch (t->type) {
	case T_AT:
		if (!in_group || sc->expect != E_NAME || sc->nfr != 1)
			return -1;
		sc->include = 1;
		return 0;
	case T_WORD:
		if (sc->expect == E_VALUE) {
			if (!is_word(t, "true") && !is_word(t, "false"))
				return bare_word(sc, t);
			sc->expect = E_AFTER;
		} else if (in_group && sc->expect != E_SEP) {
			note_name(sc, t);
			sc->expect = E_SEP;
		} else
			return -1;
		return 0;
	case T_STRING:
		if (sc->include) {
			sc->include = 0;
			return 0;
		}
		/* FALLTHROUGH */
	case T_NUMBER:
		if (sc->expect != E_VALUE)
			return -1;
		sc->expect = E_AFTER;
		return 0;
	case T_PUNCT:
		break;
	default:
		return -1;
	}
	switch (t->c) {
	case '=':
	case ':':
		if (sc->expect != E_SEP)
			return -1;
		sc->expect = E_VALUE;
		return 0;
	case ';':
	case ',':
		if (sc->expect != E_AFTER)
			return -1;
		sc->expect = in_group ? E_NAME : E_VALUE;
		return 0;
	case '{':
	case '[':
	case '(':
		if (sc->expect != E_VALUE)
			return -1;
		push(sc, t->c, t->line);
		sc->expect = t->c == '{' ? E_NAME : E_VALUE;
		return 0;
	default:
		return closer(sc, t);
	}
}

static int
seen_cmp(const void *a, const void *b)
{
	const struct seen	*x = a, *y = b;
	size_t			 n = x->len < y->len ? x->len : y->len;
	int			 r;

	if (x->scope != y->scope)
		return x->scope < y->scope ? -1 : 1;
	if ((r = memcmp(x->name, y->name, n)) != 0)
		return r;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The earliest second use of a name in one group, when it comes before
 * the problem found so far: sorting by (group, name, position) puts each
 * name's first use right before its second.
 */
static void
duplicates(struct scan *sc)
{
	const struct seen	*a, *b, *best = NULL;
	size_t			 i;

	/* No name, or one: nothing to sort (qsort takes no NULL array). */
	if (sc->nseen < 2)
		return;
	qsort(sc->seen, sc->nseen, sizeof(*sc->seen), seen_cmp);
	for (i = 1; i < sc->nseen; i++) {
		a = &sc->seen[i - 1];
		b = &sc->seen[i];
		if (a->scope == b->scope && a->len == b->len &&
		    memcmp(a->name, b->name, a->len) == 0 &&
		    b->off < sc->found && (best == NULL || b->off < best->off))
			best = b;
	}
	if (best == NULL)
		return;
	for (i = 0; &sc->seen[i] != best; i++)
		;
	a = &sc->seen[i - 1];
	sc->d->line = best->line;
	snprintf(sc->d->msg, sizeof(sc->d->msg), "duplicate setting \"%.*s\" "
	    "(first at line %u)", (int)(best->len > CFGSCAN_QUOTE_MAX ?
	    CFGSCAN_QUOTE_MAX : best->len), best->name, a->line);
	sc->found = best->off;
}

int
cfgscan_check(const char *text, size_t len, enum cfgscan_mode mode,
    struct cfgscan_diag *d)
{
	struct lexer	 lx = { text, len, 0, 1 };
	struct scan	 sc;
	struct tok	 t;
	const struct frame *f;
	int		 r = 0, prev_string = 0, lost = 0;

	memset(&sc, 0, sizeof(sc));
	sc.d = d;
	sc.found = (size_t)-1;
	sc.expect = E_NAME;
	push(&sc, '{', 0);
	for (;;) {
		lex(&lx, &t);
		if (t.type == T_EOF || t.type == T_BAD)
			break;
		if (t.type == T_STRING && prev_string &&
		    (r = adjacent(&sc, &t)) != 0)
			break;
		prev_string = t.type == T_STRING && !sc.include;
		sc.prev = t;
		if (lost) {
			/* Only an @include's file name is no value. */
			if (t.type == T_AT)
				sc.include = 1;
			else if (t.type == T_STRING)
				sc.include = 0;
			continue;
		}
		if ((r = step(&sc, &t)) == 0)
			continue;
		if (mode == CFGSCAN_ALL)
			break;
		/*
		 * Looking for adjacent strings only, in text libconfig
		 * accepted: the grammar only names the setting, and where
		 * it is lost the lexer alone goes on.
		 */
		sc.found = (size_t)-1;
		lost = 1;
		r = 0;
	}
	if (mode == CFGSCAN_ALL && r == 0 && t.type == T_EOF && sc.nfr > 1) {
		f = &sc.fr[sc.nfr - 1];
		d->line = 0;
		snprintf(d->msg, sizeof(d->msg), "%s opened at line %u is not "
		    "closed (missing '%c')", f->open == '{' ? "group" :
		    f->open == '(' ? "list" : "array", f->line,
		    f->open == '{' ? '}' : f->open == '(' ? ')' : ']');
		sc.found = len;
	}
	if (mode == CFGSCAN_ALL)
		duplicates(&sc);
	free(sc.fr);
	free(sc.seen);
	return sc.found != (size_t)-1;
}
