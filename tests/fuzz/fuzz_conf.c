/*
 * fuzz_conf: libFuzzer target for the configuration loader (conf.c and
 * conf_sites.c over libconfig) from a string: conf_load_string, then
 * conf_dump of what loaded, then conf_free (LeakSanitizer checks that
 * every path, failed ones included, frees what it took).  Property: the
 * effective configuration that -T prints loads again.
 *
 * Inputs with "@include" are skipped, so that the fuzzer cannot make
 * libconfig read files of this machine.  The loader still opens the
 * mime_types file a config names (read only, regular files only).
 *
 *	tests/fuzz/run conf
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/conf.h"

#define NO_MIME	"mime_types = \"\";\n"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*c, *c2;
	char		*buf, *text, *dump = NULL, err[512];
	size_t		 dlen = 0, pre = sizeof(NO_MIME) - 1;
	FILE		*fp;

	if ((buf = malloc(pre + size + 1)) == NULL)
		abort();
	memcpy(buf, NO_MIME, pre);
	memcpy(buf + pre, data, size);
	buf[pre + size] = '\0';
	/*
	 * Reading /etc/mime.types on every run would take most of the
	 * time: a config without its own mime_types does without.
	 */
	text = strstr(buf + pre, "mime_types") == NULL ? buf : buf + pre;
	if (strstr(text, "@include") != NULL) {
		free(buf);
		return 0;
	}
	err[0] = '\0';
	c = conf_load_string(text, "fuzz.conf", 2, err, sizeof(err));
	free(buf);
	if (c == NULL) {
		if (err[0] == '\0')
			abort();	/* a failure always says why */
		return 0;
	}
	if ((fp = open_memstream(&dump, &dlen)) == NULL)
		abort();
	conf_dump(c, fp);
	if (fclose(fp) != 0)
		abort();
	c2 = conf_load_string(dump, "dump.conf", 2, err, sizeof(err));
	if (c2 == NULL) {
		fprintf(stderr, "conf: the dump does not load: %s\n%s", err,
		    dump);
		abort();
	}
	conf_free(c2);
	conf_free(c);
	free(dump);
	return 0;
}
