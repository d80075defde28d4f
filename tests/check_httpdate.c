/*
 * check_httpdate: unit tests for src/httpdate.c.  Formatting must give
 * IMF-fixdate (RFC 9110 section 5.6.7) and the Common Log Format time;
 * parsing must accept the three HTTP-date formats exactly as the grammar
 * writes them and reject anything else, so that a caller can ignore an
 * invalid conditional header as the RFC requires.
 */
#include "config.h"

#include <check.h>
#include <string.h>
#include <time.h>

#include "core/httpdate.h"
#include "core/util.h"

static Suite	*httpdate_suite(void);

static const struct {
	const char	*desc;
	time_t		 t;
	const char	*imf;
	const char	*clf;
} instants[] = {
	{ "the epoch", 0, "Thu, 01 Jan 1970 00:00:00 GMT",
	    "01/Jan/1970:00:00:00 +0000" },
	{ "RFC 9110 example", 784111777, "Sun, 06 Nov 1994 08:49:37 GMT",
	    "06/Nov/1994:08:49:37 +0000" },
	{ "leap day 2000", 951782400, "Tue, 29 Feb 2000 00:00:00 GMT",
	    "29/Feb/2000:00:00:00 +0000" },
	{ "CLF documentation example", 971186136,
	    "Tue, 10 Oct 2000 13:55:36 GMT", "10/Oct/2000:13:55:36 +0000" },
	{ "last second of 2016", 1483228799, "Sat, 31 Dec 2016 23:59:59 GMT",
	    "31/Dec/2016:23:59:59 +0000" },
	{ "INT32_MAX", 2147483647, "Tue, 19 Jan 2038 03:14:07 GMT",
	    "19/Jan/2038:03:14:07 +0000" },
	{ "year 2100", 4102444800, "Fri, 01 Jan 2100 00:00:00 GMT",
	    "01/Jan/2100:00:00:00 +0000" },
	{ "one second before the epoch", -1, "Wed, 31 Dec 1969 23:59:59 GMT",
	    "31/Dec/1969:23:59:59 +0000" },
	{ "last second of 9999", 253402300799,
	    "Fri, 31 Dec 9999 23:59:59 GMT", "31/Dec/9999:23:59:59 +0000" },
};

START_TEST(test_format_known_instants)
{
	char	buf[HTTPDATE_LEN + 8];

	memset(buf, 'X', sizeof(buf));
	httpdate_format(instants[_i].t, buf);
	ck_assert_msg(strcmp(buf, instants[_i].imf) == 0,
	    "%s: got \"%s\", want \"%s\"", instants[_i].desc, buf,
	    instants[_i].imf);
	ck_assert_uint_eq(strlen(buf), HTTPDATE_LEN);
	ck_assert_msg(buf[HTTPDATE_LEN + 1] == 'X', "%s: wrote past the NUL",
	    instants[_i].desc);
}
END_TEST

START_TEST(test_format_clf_known_instants)
{
	char	buf[HTTPDATE_CLF_LEN + 8];

	memset(buf, 'X', sizeof(buf));
	httpdate_format_clf(instants[_i].t, buf);
	ck_assert_msg(strcmp(buf, instants[_i].clf) == 0,
	    "%s: got \"%s\", want \"%s\"", instants[_i].desc, buf,
	    instants[_i].clf);
	ck_assert_uint_eq(strlen(buf), HTTPDATE_CLF_LEN);
	ck_assert_msg(buf[HTTPDATE_CLF_LEN + 1] == 'X',
	    "%s: wrote past the NUL", instants[_i].desc);
}
END_TEST

/* Whatever we format, we parse back to the same instant. */
START_TEST(test_round_trip)
{
	char	buf[HTTPDATE_LEN + 1];
	time_t	t = (time_t)-42;

	httpdate_format(instants[_i].t, buf);
	ck_assert_msg(httpdate_parse(buf, strlen(buf), &t) == 0,
	    "%s: \"%s\" not parsed back", instants[_i].desc, buf);
	ck_assert_msg(t == instants[_i].t, "%s: parsed %lld, want %lld",
	    instants[_i].desc, (long long)t, (long long)instants[_i].t);
}
END_TEST

START_TEST(test_round_trip_every_day_of_a_leap_year)
{
	char	buf[HTTPDATE_LEN + 1];
	time_t	t, got;

	/* 2024-01-01T13:14:15Z, then every day (and a few seconds) on. */
	for (t = 1704114855; t < 1704114855 + 366 * 86400; t += 86400 + 7) {
		httpdate_format(t, buf);
		ck_assert_msg(httpdate_parse(buf, strlen(buf), &got) == 0,
		    "\"%s\" not parsed", buf);
		ck_assert_msg(got == t, "\"%s\": %lld != %lld", buf,
		    (long long)got, (long long)t);
	}
}
END_TEST

/* RFC 9110 section 5.6.7: the three formats a recipient must accept. */
static const struct {
	const char	*desc;
	const char	*s;
	time_t		 want;
} valid[] = {
	{ "IMF-fixdate (RFC 9110 5.6.7 example)",
	    "Sun, 06 Nov 1994 08:49:37 GMT", 784111777 },
	{ "obsolete RFC 850 (RFC 9110 5.6.7 example)",
	    "Sunday, 06-Nov-94 08:49:37 GMT", 784111777 },
	{ "asctime (RFC 9110 5.6.7 example)",
	    "Sun Nov  6 08:49:37 1994", 784111777 },
	{ "IMF-fixdate, the epoch", "Thu, 01 Jan 1970 00:00:00 GMT", 0 },
	{ "asctime, the epoch", "Thu Jan  1 00:00:00 1970", 0 },
	{ "RFC 850, the epoch", "Thursday, 01-Jan-70 00:00:00 GMT", 0 },
	{ "asctime with a two-digit day",
	    "Tue Oct 10 13:55:36 2000", 971186136 },
	/* date3 = month SP ( 2DIGIT / ( SP DIGIT ) ): "06" is a 2DIGIT. */
	{ "asctime with a zero-padded day (RFC 9110 5.6.7 date3 2DIGIT)",
	    "Sun Nov 06 08:49:37 1994", 784111777 },
	{ "IMF-fixdate, 29 Feb of a leap year",
	    "Tue, 29 Feb 2000 00:00:00 GMT", 951782400 },
	{ "IMF-fixdate, 29 Feb 2024", "Thu, 29 Feb 2024 12:00:00 GMT",
	    1709208000 },
	{ "IMF-fixdate, 1 Mar 1900 (before the epoch)",
	    "Thu, 01 Mar 1900 00:00:00 GMT", -2203891200 },
	{ "IMF-fixdate, 31 Dec 9999", "Fri, 31 Dec 9999 23:59:59 GMT",
	    253402300799 },
	{ "RFC 850 two-digit year below 70 is 20xx",
	    "Wednesday, 01-Jan-31 00:00:00 GMT", 1924992000 },
	{ "RFC 850 Saturday", "Saturday, 31-Dec-16 23:59:59 GMT", 1483228799 },
	{ "surrounding OWS is ignored",
	    " \tSun, 06 Nov 1994 08:49:37 GMT\t ", 784111777 },
	/*
	 * RFC 9110 5.6.7 (second = 2DIGIT; RFC 5322 allows 60): the
	 * module says it accepts a leap second, which only ever happens
	 * at 23:59:60 and must be checked against that day's weekday.
	 */
	{ "leap second 23:59:60 on its own weekday",
	    "Sat, 31 Dec 2016 23:59:60 GMT", 1483228800 },
};

START_TEST(test_parse_valid)
{
	time_t	t = (time_t)-42;
	int	r;

	r = httpdate_parse(valid[_i].s, strlen(valid[_i].s), &t);
	ck_assert_msg(r == 0, "%s: \"%s\" rejected", valid[_i].desc,
	    valid[_i].s);
	ck_assert_msg(t == valid[_i].want, "%s: \"%s\" gave %lld, want %lld",
	    valid[_i].desc, valid[_i].s, (long long)t,
	    (long long)valid[_i].want);
}
END_TEST

/* Anything else is not an HTTP-date: the caller ignores the header. */
static const struct {
	const char	*desc;
	const char	*s;
} invalid[] = {
	{ "empty", "" },
	{ "garbage", "garbage" },
	{ "a number", "784111777" },
	{ "only spaces", "     " },
	{ "wrong weekday, IMF-fixdate", "Mon, 06 Nov 1994 08:49:37 GMT" },
	{ "wrong weekday, RFC 850", "Monday, 06-Nov-94 08:49:37 GMT" },
	{ "wrong weekday, asctime", "Mon Nov  6 08:49:37 1994" },
	{ "unknown weekday", "Xyz, 06 Nov 1994 08:49:37 GMT" },
	{ "weekday lower case (day-name is case-sensitive)",
	    "sun, 06 Nov 1994 08:49:37 GMT" },
	{ "month lower case (month is case-sensitive)",
	    "Sun, 06 nov 1994 08:49:37 GMT" },
	{ "unknown month", "Sun, 06 Nox 1994 08:49:37 GMT" },
	{ "31 Feb", "Thu, 31 Feb 2000 00:00:00 GMT" },
	{ "30 Feb of a leap year", "Wed, 30 Feb 2000 00:00:00 GMT" },
	{ "29 Feb of a non-leap year", "Tue, 29 Feb 1994 00:00:00 GMT" },
	{ "29 Feb 1900 (century, not leap)", "Thu, 29 Feb 1900 00:00:00 GMT" },
	{ "29 Feb 2100 (century, not leap)", "Mon, 29 Feb 2100 00:00:00 GMT" },
	{ "31 Apr", "Sat, 31 Apr 1994 00:00:00 GMT" },
	{ "day 00", "Sun, 00 Nov 1994 08:49:37 GMT" },
	{ "day 32", "Sun, 32 Nov 1994 08:49:37 GMT" },
	{ "hour 24", "Sun, 06 Nov 1994 24:00:00 GMT" },
	{ "hour 99", "Sun, 06 Nov 1994 99:49:37 GMT" },
	{ "minute 60", "Sun, 06 Nov 1994 08:60:37 GMT" },
	{ "second 61", "Sun, 06 Nov 1994 08:49:61 GMT" },
	{ "asctime hour 24", "Sun Nov  6 24:49:37 1994" },
	{ "RFC 850 minute 60", "Sunday, 06-Nov-94 08:60:37 GMT" },
	{ "dashes in IMF-fixdate", "Sun, 06-Nov-1994 08:49:37 GMT" },
	{ "dots in the time", "Sun, 06 Nov 1994 08.49.37 GMT" },
	{ "no comma after the weekday", "Sun  06 Nov 1994 08:49:37 GMT" },
	{ "no space after the comma", "Sun,006 Nov 1994 08:49:37 GMT" },
	{ "one-digit day in IMF-fixdate", "Sun, 6 Nov 1994 08:49:37 GMT" },
	{ "space-padded day in IMF-fixdate",
	    "Sun,  6 Nov 1994 08:49:37 GMT" },
	{ "two-digit year in IMF-fixdate", "Sun, 06 Nov 94 08:49:37 GMT" },
	{ "non-digit in the year", "Sun, 06 Nov 19x4 08:49:37 GMT" },
	{ "sign in the hour", "Sun, 06 Nov 1994 +8:49:37 GMT" },
	{ "GMT missing", "Sun, 06 Nov 1994 08:49:37" },
	{ "UTC instead of GMT", "Sun, 06 Nov 1994 08:49:37 UTC" },
	{ "gmt lower case (GMT is case-sensitive)",
	    "Sun, 06 Nov 1994 08:49:37 gmt" },
	{ "numeric zone", "Sun, 06 Nov 1994 08:49:37 +0000" },
	{ "trailing garbage", "Sun, 06 Nov 1994 08:49:37 GMTx" },
	{ "two spaces before GMT", "Sun, 06 Nov 1994 08:49:37  GMT" },
	{ "RFC 850 GMT missing", "Sunday, 06-Nov-94 08:49:37 XYZ" },
	{ "RFC 850 with spaces instead of dashes",
	    "Sunday, 06 Nov 94 08:49:37 GMT" },
	{ "RFC 850 with a four-digit year",
	    "Sunday, 06-Nov-1994 08:49:37 GMT" },
	{ "RFC 850 short weekday", "Sun, 06-Nov-94 08:49:37 GMT" },
	{ "RFC 850 weekday without comma", "Sunday 06-Nov-94 08:49:37 GMT" },
	{ "weekday alone", "Sunday," },
	{ "asctime two-digit year", "Sun Nov  6 08:49:37 94" },
	{ "asctime with GMT", "Sun Nov  6 08:49:37 1994 GMT" },
	{ "asctime comma", "Sun,Nov  6 08:49:37 1994" },
	{ "asctime day 0", "Sun Nov  0 08:49:37 1994" },
	{ "asctime day 32", "Sun Nov 32 08:49:37 1994" },
	{ "asctime bad time separators", "Sun Nov  6 08-49-37 1994" },
};

START_TEST(test_parse_invalid)
{
	time_t	t = (time_t)-42;
	size_t	len = strlen(invalid[_i].s);
	int	r;

	r = httpdate_parse(invalid[_i].s, len, &t);
	ck_assert_msg(r == -1, "%s: \"%.*s\" accepted as %lld",
	    invalid[_i].desc, (int)len, invalid[_i].s, (long long)t);
	ck_assert_msg(t == (time_t)-42, "%s: *out written on error",
	    invalid[_i].desc);
}
END_TEST

/* A NUL inside len bytes is just an invalid byte. */
START_TEST(test_parse_rejects_embedded_nul)
{
	static const char	nul_gmt[] = "Sun, 06 Nov 1994 08:49:37 G\0T";
	static const char	nul_comma[] = "Sun\0 06 Nov 1994 08:49:37 GMT";
	static const char	nul_asctime[] = "Sun Nov  6 08:49:37 19\0" "4";
	time_t			t = (time_t)-42;

	ck_assert_int_eq(httpdate_parse(nul_gmt, sizeof(nul_gmt) - 1, &t), -1);
	ck_assert_int_eq(httpdate_parse(nul_comma, sizeof(nul_comma) - 1, &t),
	    -1);
	ck_assert_int_eq(httpdate_parse(nul_asctime, sizeof(nul_asctime) - 1,
	    &t), -1);
	ck_assert_int_eq((long long)t, -42);
}
END_TEST

/* Only len bytes are looked at: the value need not be NUL-terminated. */
START_TEST(test_parse_uses_len_only)
{
	static const char	buf[] = "Sun, 06 Nov 1994 08:49:37 GMT, junk";
	time_t			t = 0;

	ck_assert_int_eq(httpdate_parse(buf, 29, &t), 0);
	ck_assert_int_eq((long long)t, 784111777);
	ck_assert_int_eq(httpdate_parse(buf, 28, &t), -1);
	ck_assert_int_eq(httpdate_parse(buf, sizeof(buf) - 1, &t), -1);
}
END_TEST

/* The three formats of one instant are the same instant. */
START_TEST(test_three_formats_agree)
{
	static const char *const forms[] = {
		"Tue, 10 Oct 2000 13:55:36 GMT",
		"Tuesday, 10-Oct-00 13:55:36 GMT",
		"Tue Oct 10 13:55:36 2000",
	};
	time_t	t[3];
	size_t	i;

	for (i = 0; i < 3; i++)
		ck_assert_msg(httpdate_parse(forms[i], strlen(forms[i]),
		    &t[i]) == 0, "\"%s\" rejected", forms[i]);
	ck_assert_int_eq((long long)t[0], 971186136);
	ck_assert_int_eq((long long)t[1], (long long)t[0]);
	ck_assert_int_eq((long long)t[2], (long long)t[0]);
}
END_TEST

/*
 * Found by tests/fuzz (fuzz_httpdate): a time past year 2^31 made
 * gmtime_r fail and the format index its tables with whatever tm held;
 * years past 9999 wrapped to a date in the past.  Any time_t (a file's
 * mtime can be anything on tmpfs) is clamped to the years 0 to 9999.
 */
static const struct {
	long long	 t;
	const char	*imf, *clf;
} far[] = {
	{ 9223372036854775807LL, "Fri, 31 Dec 9999 23:59:59 GMT",
	    "31/Dec/9999:23:59:59 +0000" },
	{ 253402300800LL, "Fri, 31 Dec 9999 23:59:59 GMT",
	    "31/Dec/9999:23:59:59 +0000" },
	{ 253402300799LL, "Fri, 31 Dec 9999 23:59:59 GMT",
	    "31/Dec/9999:23:59:59 +0000" },
	{ -62167219200LL, "Sat, 01 Jan 0000 00:00:00 GMT",
	    "01/Jan/0000:00:00:00 +0000" },
	{ -62167219201LL, "Sat, 01 Jan 0000 00:00:00 GMT",
	    "01/Jan/0000:00:00:00 +0000" },
	{ -9223372036854775807LL - 1, "Sat, 01 Jan 0000 00:00:00 GMT",
	    "01/Jan/0000:00:00:00 +0000" },
};

START_TEST(test_format_clamps_far_times)
{
	char	buf[HTTPDATE_LEN + 1], clf[HTTPDATE_CLF_LEN + 1];

	httpdate_format((time_t)far[_i].t, buf);
	ck_assert_str_eq(buf, far[_i].imf);
	httpdate_format_clf((time_t)far[_i].t, clf);
	ck_assert_str_eq(clf, far[_i].clf);
}
END_TEST

/*
 * Found by tests/fuzz (fuzz_httpdate): the leap second of the last day
 * of 9999 parsed to a time in year 10000, which no date can write, so
 * the date formatted from it did not parse back to it.
 */
START_TEST(test_parse_last_leap_second)
{
	static const char	s[] = "Fri, 31 Dec 9999 23:59:60 GMT";
	char			buf[HTTPDATE_LEN + 1];
	time_t			t, back;

	ck_assert_int_eq(httpdate_parse(s, sizeof(s) - 1, &t), 0);
	ck_assert_int_eq((long long)t, 253402300799LL);
	httpdate_format(t, buf);
	ck_assert_int_eq(httpdate_parse(buf, HTTPDATE_LEN, &back), 0);
	ck_assert_int_eq((long long)back, (long long)t);
}
END_TEST

static Suite *
httpdate_suite(void)
{
	Suite	*s = suite_create("httpdate");
	TCase	*tc;

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format_known_instants, 0,
	    (int)UTIL_ARRAY_LEN(instants));
	tcase_add_loop_test(tc, test_format_clf_known_instants, 0,
	    (int)UTIL_ARRAY_LEN(instants));
	tcase_add_loop_test(tc, test_round_trip, 0,
	    (int)UTIL_ARRAY_LEN(instants));
	tcase_add_test(tc, test_round_trip_every_day_of_a_leap_year);
	tcase_add_loop_test(tc, test_format_clamps_far_times, 0,
	    (int)UTIL_ARRAY_LEN(far));
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_valid, 0,
	    (int)UTIL_ARRAY_LEN(valid));
	tcase_add_loop_test(tc, test_parse_invalid, 0,
	    (int)UTIL_ARRAY_LEN(invalid));
	tcase_add_test(tc, test_parse_rejects_embedded_nul);
	tcase_add_test(tc, test_parse_uses_len_only);
	tcase_add_test(tc, test_three_formats_agree);
	tcase_add_test(tc, test_parse_last_leap_second);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(httpdate_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
