/*
 * conf_int: what conf.c and conf_sites.c share, the two files of the
 * configuration module (the only ones that include libconfig).  Not for
 * any other file.
 */
#ifndef MINIHTTPD_CONF_INT_H
#define MINIHTTPD_CONF_INT_H

#include <libconfig.h>
#include <stddef.h>

#include "daemon/conf.h"

struct conf_ctx {
	const char	*file;
	char		*err;
	size_t		 errsz;
};

/* Writes "FILE:LINE: key: reason" (LINE of s when s is not NULL); -1. */
int	 conf_fail(struct conf_ctx *, config_setting_t *, const char *key,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
/* Copies an array or list of strings; NULL if an element is not one. */
char	**conf_strlist(config_setting_t *, size_t *);
void	 conf_free_list(char **, size_t);
/* "v" with '"' and '\\' escaped; "INDENTkey = \"v\";" and a newline. */
void	 conf_dump_quoted(FILE *, const char *);
void	 conf_dump_str(FILE *, const char *indent, const char *key,
	    const char *v);
/* Value checks shared by the top level, sites and locations: NULL or why. */
const char *conf_index_bad(char *const *, size_t);
const char *conf_type_bad(const char *);
const char *conf_charset_bad(const char *);
/* The symlinks names ("inside", ...); -1 when unknown. */
int	 conf_symlinks_parse(const char *);

/*
 * Reads "sites" (or makes the one site of the top level), the top-level
 * headers, error_pages and precompressed, and builds the tables that
 * choose sites and locations.  After the top-level walk and check.
 */
int	 conf_sites_load(struct conf_ctx *, config_t *, struct conf *);
void	 conf_sites_dump(const struct conf *, FILE *);
void	 conf_sites_free(struct conf *);
/* Settings conf_sites_load reads itself: the top-level walk skips them. */
int	 conf_sites_key(const char *);

#endif
