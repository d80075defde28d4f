/*
 * check_util: unit tests for src/core/util.c, the level 0 helpers:
 * bounded string copies (BSD strlcpy semantics), the strict decimal
 * parser used for Content-Length and ranges, OWS trimming and the
 * locale-free case-insensitive comparison.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static Suite	*util_suite(void);

/* util_strlcpy: returns strlen(src), truncates and always terminates. */
static const struct {
	const char	*desc;
	const char	*src;
	size_t		 size;
	const char	*want;		/* NULL: dst untouched */
	size_t		 ret;
} strlcpy_cases[] = {
	{ "fits with room", "abc", 8, "abc", 3 },
	{ "fits exactly with NUL", "abc", 4, "abc", 3 },
	{ "one byte short truncates", "abc", 3, "ab", 3 },
	{ "size 1 gives empty string", "abc", 1, "", 3 },
	{ "size 0 writes nothing", "abc", 0, NULL, 3 },
	{ "empty source", "", 4, "", 0 },
	{ "empty source, size 1", "", 1, "", 0 },
};

START_TEST(test_strlcpy_truncation)
{
	char	dst[16];
	size_t	ret;

	memset(dst, 'X', sizeof(dst));
	dst[sizeof(dst) - 1] = '\0';
	ret = util_strlcpy(dst, strlcpy_cases[_i].src, strlcpy_cases[_i].size);
	ck_assert_msg(ret == strlcpy_cases[_i].ret, "%s: returned %zu, want %zu",
	    strlcpy_cases[_i].desc, ret, strlcpy_cases[_i].ret);
	if (strlcpy_cases[_i].want == NULL)
		ck_assert_msg(dst[0] == 'X', "%s: dst was written",
		    strlcpy_cases[_i].desc);
	else
		ck_assert_msg(strcmp(dst, strlcpy_cases[_i].want) == 0,
		    "%s: got \"%s\", want \"%s\"", strlcpy_cases[_i].desc,
		    dst, strlcpy_cases[_i].want);
	/* Nothing is written at or past dst[size]. */
	ck_assert_msg(dst[strlcpy_cases[_i].size] == 'X',
	    "%s: wrote past size", strlcpy_cases[_i].desc);
}
END_TEST

/* util_parse_uint: exactly len bytes of digits, no sign, <= max. */
static const struct {
	const char	*desc;
	const char	*s;
	size_t		 len;		/* (size_t)-1: strlen(s) */
	uint64_t	 max;
	int		 ret;
	uint64_t	 want;
} uint_cases[] = {
	{ "zero", "0", (size_t)-1, 100, 0, 0 },
	{ "simple", "42", (size_t)-1, 100, 0, 42 },
	{ "leading zeros", "0007", (size_t)-1, 100, 0, 7 },
	{ "exact max", "100", (size_t)-1, 100, 0, 100 },
	{ "max plus one", "101", (size_t)-1, 100, -1, 0 },
	{ "far above max", "1000", (size_t)-1, 100, -1, 0 },
	{ "empty", "", (size_t)-1, 100, -1, 0 },
	{ "len 0 of a digit string", "12", 0, 100, -1, 0 },
	{ "only len bytes are read", "123", 2, 100, 0, 12 },
	{ "plus sign", "+1", (size_t)-1, 100, -1, 0 },
	{ "minus sign", "-1", (size_t)-1, 100, -1, 0 },
	{ "leading space", " 1", (size_t)-1, 100, -1, 0 },
	{ "trailing space", "1 ", (size_t)-1, 100, -1, 0 },
	{ "letter", "1a", (size_t)-1, 100, -1, 0 },
	{ "hex prefix", "0x1", (size_t)-1, 100, -1, 0 },
	{ "comma list", "1,1", (size_t)-1, 100, -1, 0 },
	{ "embedded NUL", "1\0" "2", 3, 100, -1, 0 },
	{ "UINT64_MAX exactly", "18446744073709551615", (size_t)-1,
	    UINT64_MAX, 0, UINT64_MAX },
	{ "UINT64_MAX + 1 overflows", "18446744073709551616", (size_t)-1,
	    UINT64_MAX, -1, 0 },
	{ "20 nines overflow", "99999999999999999999", (size_t)-1,
	    UINT64_MAX, -1, 0 },
	{ "2^62 exactly (HTTP Content-Length cap)", "4611686018427387904",
	    (size_t)-1, (uint64_t)1 << 62, 0, (uint64_t)1 << 62 },
	{ "2^62 + 1", "4611686018427387905", (size_t)-1, (uint64_t)1 << 62,
	    -1, 0 },
	/* A single digit above a small max must not wrap max - d. */
	{ "digit above a one-digit max", "7", (size_t)-1, 5, -1, 0 },
	{ "digit equal to a one-digit max", "5", (size_t)-1, 5, 0, 5 },
	{ "two digits, last above a one-digit max", "17", (size_t)-1, 5,
	    -1, 0 },
	{ "one with max 0", "1", (size_t)-1, 0, -1, 0 },
	{ "zero with max 0", "0", (size_t)-1, 0, 0, 0 },
	{ "19 with max 15", "19", (size_t)-1, 15, -1, 0 },
	{ "9 with max 8", "9", (size_t)-1, 8, -1, 0 },
};

START_TEST(test_parse_uint)
{
	uint64_t	out = 12345;
	size_t		len = uint_cases[_i].len == (size_t)-1 ?
			    strlen(uint_cases[_i].s) : uint_cases[_i].len;
	int		ret;

	ret = util_parse_uint(uint_cases[_i].s, len, uint_cases[_i].max, &out);
	ck_assert_msg(ret == uint_cases[_i].ret,
	    "%s: \"%.*s\" max %ju returned %d, want %d (out %ju)",
	    uint_cases[_i].desc, (int)len, uint_cases[_i].s,
	    (uintmax_t)uint_cases[_i].max, ret, uint_cases[_i].ret,
	    (uintmax_t)out);
	if (ret == 0)
		ck_assert_msg(out == uint_cases[_i].want, "%s: got %ju, want %ju",
		    uint_cases[_i].desc, (uintmax_t)out,
		    (uintmax_t)uint_cases[_i].want);
	else
		ck_assert_msg(out == 12345, "%s: *out written on error",
		    uint_cases[_i].desc);
}
END_TEST

/* util_trim_ows: spaces and tabs only (RFC 9110 section 5.6.3 OWS). */
static const struct {
	const char	*desc;
	const char	*in;
	const char	*want;
} trim_cases[] = {
	{ "nothing to trim", "abc", "abc" },
	{ "leading spaces", "  abc", "abc" },
	{ "trailing spaces", "abc  ", "abc" },
	{ "both, tabs and spaces", " \t abc\t \t", "abc" },
	{ "inner whitespace kept", " a b ", "a b" },
	{ "all whitespace", " \t \t", "" },
	{ "empty", "", "" },
	{ "CR is not OWS", "\rabc\r", "\rabc\r" },
	{ "LF is not OWS", "\nabc\n", "\nabc\n" },
	{ "vertical tab is not OWS", "\vabc", "\vabc" },
};

START_TEST(test_trim_ows)
{
	const char	*p = trim_cases[_i].in;
	size_t		 len = strlen(p);

	util_trim_ows(&p, &len);
	ck_assert_msg(len == strlen(trim_cases[_i].want) &&
	    memcmp(p, trim_cases[_i].want, len) == 0,
	    "%s: got \"%.*s\", want \"%s\"", trim_cases[_i].desc, (int)len, p,
	    trim_cases[_i].want);
	ck_assert_msg(p >= trim_cases[_i].in &&
	    p + len <= trim_cases[_i].in + strlen(trim_cases[_i].in),
	    "%s: result outside the input", trim_cases[_i].desc);
}
END_TEST

/* util_strncaseeq: ASCII only, exactly n bytes compared. */
static const struct {
	const char	*desc;
	const char	*a;
	const char	*b;
	size_t		 n;
	int		 want;
} caseeq_cases[] = {
	{ "same", "chunked", "chunked", 7, 1 },
	{ "different case", "ChUnKeD", "chunked", 7, 1 },
	{ "all upper", "HOST", "host", 4, 1 },
	{ "different", "close", "clese", 5, 0 },
	{ "prefix only compared", "keep-alive", "keep-dead", 5, 1 },
	{ "n 0 is always equal", "a", "b", 0, 1 },
	{ "punctuation is not folded", "[", "{", 1, 0 },
	{ "@ is not `", "@", "`", 1, 0 },
	{ "digits", "100-continue", "100-CONTINUE", 12, 1 },
	/* Latin-1 letters are not folded: no locale. */
	{ "high bytes not folded", "\xc9", "\xe9", 1, 0 },
	{ "high bytes equal", "\xc9", "\xc9", 1, 1 },
};

START_TEST(test_strncaseeq)
{
	int	got = util_strncaseeq(caseeq_cases[_i].a, caseeq_cases[_i].b,
		    caseeq_cases[_i].n);

	ck_assert_msg((got != 0) == caseeq_cases[_i].want,
	    "%s: got %d, want %d", caseeq_cases[_i].desc, got,
	    caseeq_cases[_i].want);
}
END_TEST

START_TEST(test_tolower)
{
	int	c;

	for (c = 0; c < 256; c++) {
		int	want = (c >= 'A' && c <= 'Z') ? c + 32 : c;

		ck_assert_msg(util_tolower(c) == want,
		    "util_tolower(%d) = %d, want %d", c, util_tolower(c), want);
	}
}
END_TEST

START_TEST(test_hexval)
{
	static const char	digits[] = "0123456789abcdefABCDEF";
	static const int	values[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		10, 11, 12, 13, 14, 15
	};
	size_t			i;
	int			c;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		ck_assert_int_eq(util_hexval(digits[i]), values[i]);
	for (c = 0; c < 256; c++)
		if (strchr(digits, c) == NULL || c == 0)
			ck_assert_msg(util_hexval(c) == -1, "byte %d", c);
}
END_TEST

START_TEST(test_xstrdup_copies)
{
	const char	*src = "document_root";
	char		*p = xstrdup(src);

	ck_assert_ptr_ne(p, src);
	ck_assert_str_eq(p, src);
	free(p);
}
END_TEST

START_TEST(test_array_len)
{
	static const int	a[7] = { 0 };

	ck_assert_uint_eq(UTIL_ARRAY_LEN(a), 7);
	ck_assert_uint_eq(UTIL_ARRAY_LEN(strlcpy_cases),
	    sizeof(strlcpy_cases) / sizeof(strlcpy_cases[0]));
}
END_TEST

static Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc;

	tc = tcase_create("strings");
	tcase_add_loop_test(tc, test_strlcpy_truncation, 0,
	    (int)UTIL_ARRAY_LEN(strlcpy_cases));
	tcase_add_loop_test(tc, test_trim_ows, 0,
	    (int)UTIL_ARRAY_LEN(trim_cases));
	tcase_add_loop_test(tc, test_strncaseeq, 0,
	    (int)UTIL_ARRAY_LEN(caseeq_cases));
	tcase_add_test(tc, test_tolower);
	tcase_add_test(tc, test_hexval);
	tcase_add_test(tc, test_xstrdup_copies);
	tcase_add_test(tc, test_array_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_uint");
	tcase_add_loop_test(tc, test_parse_uint, 0,
	    (int)UTIL_ARRAY_LEN(uint_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(util_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
