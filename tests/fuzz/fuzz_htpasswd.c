/*
 * fuzz_htpasswd: libFuzzer target for the htpasswd file parser and the
 * Basic credentials of an Authorization field (htpasswd.c).  The first
 * byte picks which.  Properties: a file that parses gives users without
 * ':' that htpasswd_find finds again, sorted, with their hash; a failure
 * leaves the table empty and says why; credentials that decode give a
 * user without ':' and both without control bytes.
 *
 *	tests/fuzz/run htpasswd
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/htpasswd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	no_controls(const char *);

static int
no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct htpasswd	 hp;
	char		*in, why[256];
	char		 user[HTPASSWD_USER_MAX + 1], pass[HTPASSWD_PASS_MAX + 1];
	size_t		 i;

	if (size < 1)
		return 0;
	if ((in = malloc(size - 1 ? size - 1 : 1)) == NULL)
		abort();
	memcpy(in, data + 1, size - 1);
	if (data[0] & 1) {
		if (htpasswd_basic(in, size - 1, user, pass) == 0 &&
		    (strchr(user, ':') != NULL || !no_controls(user) ||
		    !no_controls(pass)))
			abort();
		free(in);
		return 0;
	}
	why[0] = '\0';
	if (htpasswd_parse(in, size - 1, &hp, why, sizeof(why)) == -1) {
		if (hp.n != 0 || why[0] == '\0')
			abort();
		htpasswd_free(&hp);
	} else {
		for (i = 0; i < hp.n; i++) {
			if (strchr(hp.e[i].user, ':') != NULL ||
			    hp.e[i].hash[0] != '$' ||
			    htpasswd_find(&hp, hp.e[i].user,
			    strlen(hp.e[i].user)) != hp.e[i].hash)
				abort();
			if (i > 0 && strcmp(hp.e[i - 1].user,
			    hp.e[i].user) >= 0)
				abort();
		}
		htpasswd_free(&hp);
	}
	free(in);
	return 0;
}
