/*
 * cfgscan: reads the text of a configuration file (libconfig syntax) the
 * way a person would, to say what libconfig's own "syntax error" means
 * and to catch what libconfig accepts but nobody meant: two adjacent
 * string literals, which it joins into one.  Pure: a buffer in, a line
 * and a sentence out; no libconfig, no I/O.
 */
#ifndef MINIHTTPD_CFGSCAN_H
#define MINIHTTPD_CFGSCAN_H

#include <stddef.h>

#define CFGSCAN_MSG_MAX		256
#define CFGSCAN_QUOTE_MAX	40	/* bytes of a string quoted back */

struct cfgscan_diag {
	unsigned	line;			/* 0: the file as a whole */
	char		msg[CFGSCAN_MSG_MAX];	/* "index: ...", no file */
};

enum cfgscan_mode {
	CFGSCAN_ADJACENT,	/* only adjacent strings: for every load */
	CFGSCAN_ALL		/* also what makes libconfig fail */
};

/*
 * Scans len bytes of text.  Returns 1 with the first problem in text
 * order in d, or 0 when it finds none.  CFGSCAN_ALL also reports a bare
 * word given as a value (on, off, yes, no, an unquoted string), a setting
 * named twice in one group, and brackets that do not pair up.
 */
int	cfgscan_check(const char *text, size_t len, enum cfgscan_mode,
	    struct cfgscan_diag *d);

#endif
