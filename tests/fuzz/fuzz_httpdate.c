/*
 * fuzz_httpdate: libFuzzer target for HTTP-dates (httpdate.c).  The
 * input is parsed from a buffer of its own length (ASan catches a read
 * past it); a date that parses is formatted, and the IMF-fixdate written
 * must parse to the same time.  The first 8 bytes are also taken as a
 * time_t to format, as a file's mtime would be: whatever the time, both
 * formats write exactly their length, and a time from year 0 to 9999
 * formats to a date that parses back to it.
 *
 *	tests/fuzz/run httpdate
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/httpdate.h"

/* 9999-12-31T23:59:59Z and 0000-01-01T00:00:00Z. */
#define LAST_DATE	253402300799LL
#define FIRST_DATE	(-62167219200LL)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check_time(time_t);

static void
check_time(time_t t)
{
	char	buf[HTTPDATE_LEN + 1], clf[HTTPDATE_CLF_LEN + 1];
	time_t	back;

	memset(buf, 'x', sizeof(buf));
	memset(clf, 'x', sizeof(clf));
	httpdate_format(t, buf);
	httpdate_format_clf(t, clf);
	if (strlen(buf) != HTTPDATE_LEN || strlen(clf) != HTTPDATE_CLF_LEN)
		abort();
	if (t >= 0 && t <= LAST_DATE &&
	    (httpdate_parse(buf, HTTPDATE_LEN, &back) != 0 || back != t))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*in, buf[HTTPDATE_LEN + 1];
	time_t		 t, t2;
	uint64_t	 u = 0;
	size_t		 i;

	if ((in = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(in, data, size);
	if (httpdate_parse(in, size, &t) == 0) {
		httpdate_format(t, buf);
		if (httpdate_parse(buf, HTTPDATE_LEN, &t2) != 0 || t2 != t)
			abort();
		check_time(t);
	}
	free(in);
	if (size >= 8) {
		for (i = 0; i < 8; i++)
			u = u << 8 | data[i];
		check_time((time_t)u);
		/* And one in the range real clocks and files have. */
		check_time((time_t)(u % (uint64_t)(LAST_DATE - FIRST_DATE)) +
		    FIRST_DATE);
	}
	return 0;
}
