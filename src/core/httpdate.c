/*
 * httpdate: formats and parses HTTP-dates (RFC 9110 section 5.6.7).
 * Recipients must accept three formats; senders only use IMF-fixdate.
 * Parsing is strict about layout, so an invalid date is reported and the
 * caller ignores the header, as the RFC requires.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/httpdate.h"
#include "core/util.h"

static const char *const wkday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const weekday[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const month[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static char	*digits(char *, int, int);
static char	*clock_time(char *, const struct tm *);
static void	utc(time_t, struct tm *);
static int	num(const char *, size_t, int, int, int *);
static int	parse_month(const char *);
static int	parse_time(const char *, struct tm *);
static int	finish(struct tm *, int, time_t *);

/*
 * The broken-down UTC time of t, clamped to the years 0 to 9999 that a
 * date's four digits can say: a file may carry any mtime (tmpfs takes
 * 2^62), gmtime_r fails past year 2^31 and leaves tm undefined, and a
 * wrapped year would date a file in the past.
 */
static void
utc(time_t t, struct tm *tm)
{
	if (t > HTTPDATE_MAX)
		t = HTTPDATE_MAX;
	else if (t < HTTPDATE_MIN)
		t = HTTPDATE_MIN;
	gmtime_r(&t, tm);
}

/*
 * The digits of v, n of them, at p; returns p + n.  utc() keeps every
 * field within its width (years 0 to 9999), which snprintf's "%02d"
 * would not let the compiler see.
 */
static char *
digits(char *p, int v, int n)
{
	int	i;

	for (i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* "08:49:37" at p; returns its end. */
static char *
clock_time(char *p, const struct tm *tm)
{
	p = digits(p, tm->tm_hour, 2);
	*p++ = ':';
	p = digits(p, tm->tm_min, 2);
	*p++ = ':';
	return digits(p, tm->tm_sec, 2);
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
void
httpdate_format(time_t t, char *buf)
{
	struct tm	 tm;
	char		*p = buf;

	utc(t, &tm);
	memcpy(p, wkday[tm.tm_wday], 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	p = digits(p, tm.tm_mday, 2);
	*p++ = ' ';
	memcpy(p, month[tm.tm_mon], 3);
	p += 3;
	*p++ = ' ';
	p = digits(p, tm.tm_year + 1900, 4);
	*p++ = ' ';
	p = clock_time(p, &tm);
	memcpy(p, " GMT", 5);
}

/* "06/Nov/1994:08:49:37 +0000" */
void
httpdate_format_clf(time_t t, char *buf)
{
	struct tm	 tm;
	char		*p = buf;

	utc(t, &tm);
	p = digits(p, tm.tm_mday, 2);
	*p++ = '/';
	memcpy(p, month[tm.tm_mon], 3);
	p += 3;
	*p++ = '/';
	p = digits(p, tm.tm_year + 1900, 4);
	*p++ = ':';
	p = clock_time(p, &tm);
	memcpy(p, " +0000", 7);
}

/* Exactly n digits in [lo, hi]. */
static int
num(const char *s, size_t n, int lo, int hi, int *out)
{
	int	v = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
parse_month(const char *s)
{
	int	i;

	for (i = 0; i < 12; i++)
		if (memcmp(s, month[i], 3) == 0)
			return i;
	return -1;
}

/* "HH:MM:SS" (8 bytes); leap second 60 accepted as RFC 5322 allows. */
static int
parse_time(const char *s, struct tm *tm)
{
	if (s[2] != ':' || s[5] != ':')
		return -1;
	if (num(s, 2, 0, 23, &tm->tm_hour) == -1 ||
	    num(s + 3, 2, 0, 59, &tm->tm_min) == -1 ||
	    num(s + 6, 2, 0, 60, &tm->tm_sec) == -1)
		return -1;
	return 0;
}

/*
 * Rejects impossible days (31 Feb) and a weekday that does not match:
 * timegm normalises whatever it gets, so the date must survive the round
 * trip unchanged.  A leap second (60) counts as the second after 59, but
 * on the last day of 9999 as 59 itself.
 */
static int
finish(struct tm *tm, int wday, time_t *out)
{
	struct tm	in = *tm, chk;
	time_t		t;
	int		leap = in.tm_sec == 60;

	if (leap)
		in.tm_sec = 59;
	t = timegm(&in);
	gmtime_r(&t, &chk);
	if (chk.tm_year != tm->tm_year || chk.tm_mon != tm->tm_mon ||
	    chk.tm_mday != tm->tm_mday || chk.tm_hour != tm->tm_hour ||
	    chk.tm_min != tm->tm_min || chk.tm_sec != in.tm_sec ||
	    chk.tm_wday != wday)
		return -1;
	/* Not past the last second a date can be written for. */
	*out = t + (leap && t < HTTPDATE_MAX);
	return 0;
}

int
httpdate_parse(const char *s, size_t len, time_t *out)
{
	struct tm	tm;
	int		wd, y;
	size_t		wl;

	memset(&tm, 0, sizeof(tm));
	util_trim_ows(&s, &len);

	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (len == 29 && s[3] == ',') {
		for (wd = 0; wd < 7; wd++)
			if (memcmp(s, wkday[wd], 3) == 0)
				break;
		if (wd == 7 || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
		    s[16] != ' ' || s[25] != ' ' || memcmp(s + 26, "GMT", 3) != 0)
			return -1;
		if (num(s + 5, 2, 1, 31, &tm.tm_mday) == -1 ||
		    (tm.tm_mon = parse_month(s + 8)) == -1 ||
		    num(s + 12, 4, 1900, 9999, &y) == -1 ||
		    parse_time(s + 17, &tm) == -1)
			return -1;
		tm.tm_year = y - 1900;
		return finish(&tm, wd, out);
	}

	/* asctime: "Sun Nov  6 08:49:37 1994" */
	if (len == 24 && s[3] == ' ') {
		for (wd = 0; wd < 7; wd++)
			if (memcmp(s, wkday[wd], 3) == 0)
				break;
		if (wd == 7 || s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
			return -1;
		if ((tm.tm_mon = parse_month(s + 4)) == -1)
			return -1;
		/* date3: "Nov  6", also seen as "Nov 06". */
		if (s[8] == ' ') {
			if (num(s + 9, 1, 1, 9, &tm.tm_mday) == -1)
				return -1;
		} else if (num(s + 8, 2, 1, 31, &tm.tm_mday) == -1)
			return -1;
		if (parse_time(s + 11, &tm) == -1 ||
		    num(s + 20, 4, 1900, 9999, &y) == -1)
			return -1;
		tm.tm_year = y - 1900;
		return finish(&tm, wd, out);
	}

	/*
	 * RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT".  A two-digit year
	 * below 70 is taken as 20xx: the pure function has no clock, and
	 * the RFC's "50 years in the future" rule gives the same answer
	 * until 2020 + 50.
	 */
	for (wd = 0; wd < 7; wd++) {
		wl = strlen(weekday[wd]);
		if (len > wl && memcmp(s, weekday[wd], wl) == 0 && s[wl] == ',')
			break;
	}
	if (wd == 7 || len != wl + 24)
		return -1;
	s += wl + 1;
	if (s[0] != ' ' || s[3] != '-' || s[7] != '-' || s[10] != ' ' ||
	    s[19] != ' ' || memcmp(s + 20, "GMT", 3) != 0)
		return -1;
	if (num(s + 1, 2, 1, 31, &tm.tm_mday) == -1 ||
	    (tm.tm_mon = parse_month(s + 4)) == -1 ||
	    num(s + 8, 2, 0, 99, &y) == -1 ||
	    parse_time(s + 11, &tm) == -1)
		return -1;
	tm.tm_year = y < 70 ? y + 100 : y;
	return finish(&tm, wd, out);
}
