/*
 * check_coding: unit tests for src/core/coding.c, the choice of a
 * precompressed variant (FILE.br, FILE.zst, FILE.gz) by Accept-Encoding:
 * weights, ties by the operator's list order, "*", identity, aliases,
 * case and blanks, malformed weights, duplicates, the try mask that
 * drops variants that do not exist, and the names and suffixes.
 *
 * Every header is handed over as a fresh heap copy without its NUL and
 * followed by bytes that would change the answer if they were read
 * (", br, zstd, gzip"), so a reader that goes past len is caught (and
 * by the sanitizers when they are on).
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/coding.h"
#include "core/util.h"

#define POISON		", br, zstd, gzip"
#define ALL		(~0u)
#define HUGE_LEN	10000	/* bytes of the huge header */

static Suite	*coding_suite(void);
static char	*poisoned(const char *, size_t);
static int	 choose(const char *, const enum coding *, size_t, unsigned);

/* The operator's lists the cases use. */
static const enum coding bzg[] = { CODING_BR, CODING_ZSTD, CODING_GZIP };
static const enum coding g[] = { CODING_GZIP };
static const enum coding gb[] = { CODING_GZIP, CODING_BR };

#define L(a)	a, UTIL_ARRAY_LEN(a)

/* A heap copy of s[0..n) followed by POISON and no NUL. */
static char *
poisoned(const char *s, size_t n)
{
	char	*p = malloc(n + sizeof(POISON) - 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, n);
	memcpy(p + n, POISON, sizeof(POISON) - 1);
	return p;
}

/* coding_choose on a poisoned copy of ae (NULL passed as is). */
static int
choose(const char *ae, const enum coding *list, size_t n, unsigned try)
{
	char	*p;
	size_t	 len;
	int	 got;

	if (ae == NULL)
		return coding_choose(NULL, 0, list, n, try);
	len = strlen(ae);
	p = poisoned(ae, len);
	got = coding_choose(p, len, list, n, try);
	free(p);
	return got;
}

static const struct {
	const char		*desc;
	const char		*ae;	/* NULL: no header */
	const enum coding	*list;
	size_t			 n;
	unsigned		 try;
	int			 want;	/* index into list, -1 identity */
} choose_cases[] = {
	/* Plain lists: every weight 1, the operator's order decides. */
	{ "plain, [br zstd gzip]", "gzip, deflate, br", L(bzg), ALL, 0 },
	{ "plain, [gzip]", "gzip, deflate, br", L(g), ALL, 0 },
	{ "plain, [gzip br]: tie to list order", "gzip, deflate, br", L(gb),
	    ALL, 0 },
	{ "header order does not matter", "br, gzip", L(gb), ALL, 0 },
	{ "tie between two named", "zstd, br", L(bzg), ALL, 0 },
	{ "one coding", "gzip", L(bzg), ALL, 2 },
	{ "no coding of ours", "deflate, compress", L(bzg), ALL, -1 },
	{ "prefixes and suffixes are not names", "gzipx, brotli, zst, gz",
	    L(bzg), ALL, -1 },

	/* Weights (RFC 9110 12.4.2). */
	{ "higher q wins over list order", "gzip;q=1.0, br;q=0.8", L(bzg),
	    ALL, 2 },
	{ "higher q wins, [gzip br]", "br;q=1, gzip;q=0.9", L(gb), ALL, 1 },
	{ "three weights", "br;q=0.5, gzip;q=0.9, zstd;q=0.7", L(bzg), ALL,
	    2 },
	{ "no weight is 1", "zstd;q=0.9, br;q=0.9, gzip", L(bzg), ALL, 2 },
	{ "equal weights tie to list order", "gzip;q=0.5, zstd;q=0.5",
	    L(bzg), ALL, 1 },
	{ "0.1 and 0.10 are equal", "gzip;q=0.1, br;q=0.10", L(gb), ALL, 0 },
	{ "smallest weight accepts", "br;q=0.001, gzip;q=0", L(bzg), ALL,
	    0 },
	{ "1. is 1", "br;q=1., gzip;q=0.999", L(gb), ALL, 1 },
	{ "1.000 is 1", "gzip;q=1.000, br;q=0.999", L(bzg), ALL, 2 },
	{ "0. and 0.0 refuse", "br;q=0., gzip;q=0.0", L(bzg), ALL, -1 },
	{ "upper-case Q", "br;Q=0.2, gzip;Q=0.3", L(bzg), ALL, 2 },

	/* "*" (RFC 9110 12.5.3). */
	{ "star alone", "*", L(bzg), ALL, 0 },
	{ "star alone, [gzip]", "*", L(g), ALL, 0 },
	{ "star;q=0 refuses all", "*;q=0", L(bzg), ALL, -1 },
	{ "named beats star;q=0", "*;q=0, gzip", L(bzg), ALL, 2 },
	{ "star gives its q to the unnamed", "br;q=0, *", L(bzg), ALL, 1 },
	{ "star below a named coding", "*;q=0.1, gzip;q=0.5", L(bzg), ALL,
	    2 },
	{ "star above a named coding", "*;q=0.9, gzip;q=0.5", L(bzg), ALL,
	    0 },

	/* Refusals. */
	{ "br;q=0 alone", "br;q=0", L(bzg), ALL, -1 },
	{ "br;q=0 and gzip", "br;q=0, gzip", L(bzg), ALL, 2 },
	{ "gzip;q=0, [gzip]", "gzip;q=0", L(g), ALL, -1 },

	/* x-gzip (RFC 9110 8.4.1.3) and case (RFC 9110 8.4.1). */
	{ "x-gzip is gzip", "x-gzip", L(g), ALL, 0 },
	{ "x-gzip is gzip, [br zstd gzip]", "x-gzip", L(bzg), ALL, 2 },
	{ "X-GZIP with a weight", "X-GZIP;q=0.5, br;q=0.4", L(bzg), ALL, 2 },
	{ "upper-case name", "GZIP", L(g), ALL, 0 },
	{ "mixed-case names", "Br;q=0.3, gZiP;Q=0.5", L(bzg), ALL, 2 },
	{ "upper-case ZSTD", "ZSTD", L(bzg), ALL, 1 },

	/* Blanks and empty members (RFC 9110 5.6.1, 12.4.2). */
	{ "blanks around members and ';'", "  gzip  ,  br ;  q=0.5 ",
	    L(bzg), ALL, 2 },
	{ "tabs", "gzip\t;\tq=0.5,\tbr;q=0.4", L(bzg), ALL, 2 },
	{ "no blanks", "br;q=0.4,gzip;q=0.5", L(bzg), ALL, 2 },
	{ "empty members", ",, ,gzip,,", L(g), ALL, 0 },

	/* Malformed weights: the member is ignored. */
	{ "q above 1", "br;q=2, gzip;q=0.1", L(bzg), ALL, 2 },
	{ "four decimals", "br;q=0.5000, gzip;q=0.1", L(bzg), ALL, 2 },
	{ "empty q", "br;q=, gzip;q=0.1", L(bzg), ALL, 2 },
	{ "q not a number", "br;q=x", L(bzg), ALL, -1 },
	{ "1.001", "br;q=1.001", L(bzg), ALL, -1 },
	{ "negative", "br;q=-0.5", L(bzg), ALL, -1 },
	{ "no leading digit", "br;q=.5", L(bzg), ALL, -1 },
	{ "trailing garbage", "br;q=0.5x", L(bzg), ALL, -1 },
	{ "a parameter after q", "br;q=0.5;level=1, gzip;q=0.1", L(bzg),
	    ALL, 2 },
	{ "malformed leaves star", "gzip;q=x, *", L(g), ALL, 0 },
	{ "malformed is no occurrence", "br;q=x, br;q=0.2, gzip;q=0.1",
	    L(bzg), ALL, 0 },

	/* Empty and absent headers. */
	{ "empty header (RFC 9110 12.5.3)", "", L(bzg), ALL, -1 },
	{ "blank header", " \t ", L(bzg), ALL, -1 },
	{ "only a comma", ",", L(bzg), ALL, -1 },
	{ "no header", NULL, L(bzg), ALL, -1 },
	{ "empty list", "gzip, br", bzg, 0, ALL, -1 },

	/* Identity. */
	{ "identity preferred", "identity;q=1, gzip;q=0.5", L(g), ALL, -1 },
	{ "identity tie goes to the coding", "identity, gzip", L(g), ALL,
	    0 },
	{ "identity below a coding", "identity;q=0.3, gzip;q=0.4", L(g), ALL,
	    0 },
	{ "identity unmentioned does not compete", "gzip;q=0.5", L(g), ALL,
	    0 },
	{ "identity through star", "*, gzip;q=0.5", L(g), ALL, -1 },
	{ "identity through star ties br", "*, gzip;q=0.5", L(bzg), ALL, 0 },
	{ "identity named beats star", "identity;q=0.1, *, gzip;q=0.5",
	    L(g), ALL, 0 },
	{ "identity;q=0 and nothing else", "identity;q=0", L(bzg), ALL, -1 },
	{ "identity;q=0 and nothing of ours", "identity;q=0, deflate",
	    L(bzg), ALL, -1 },
	{ "identity;q=0 and gzip", "identity;q=0, gzip", L(g), ALL, 0 },
	{ "identity alone", "identity", L(bzg), ALL, -1 },

	/* Duplicates: the first occurrence wins. */
	{ "gzip;q=0 then gzip", "gzip;q=0, gzip", L(g), ALL, -1 },
	{ "gzip then gzip;q=0", "gzip, gzip;q=0", L(g), ALL, 0 },
	{ "br twice", "br;q=0.1, gzip;q=0.5, br;q=0.9", L(bzg), ALL, 2 },
	{ "x-gzip then gzip", "x-gzip;q=0, gzip", L(g), ALL, -1 },
	{ "star twice", "*;q=0, *", L(bzg), ALL, -1 },
	{ "identity twice", "identity;q=1, identity;q=0, gzip;q=0.5", L(g),
	    ALL, -1 },

	/* The try mask: variants that do not exist. */
	{ "br missing: next best", "br, zstd, gzip", L(bzg), 0x6, 1 },
	{ "br and zstd missing", "br, zstd, gzip", L(bzg), 0x4, 2 },
	{ "none left", "br, zstd, gzip", L(bzg), 0, -1 },
	{ "br missing, by weight", "br;q=1, gzip;q=0.5, zstd;q=0.1", L(bzg),
	    ~1u, 2 },
	{ "the only acceptable one missing", "br", L(gb), 0x1, -1 },
	{ "only bit 0 counts for one entry", "gzip", L(g), 0x1, 0 },
	{ "bits past n do not help", "gzip", L(g), ~1u, -1 },
	{ "missing variant, identity preferred over the rest",
	    "br, identity;q=0.5, gzip;q=0.4", L(bzg), ~1u, -1 },
};

START_TEST(test_choose)
{
	int	got = choose(choose_cases[_i].ae, choose_cases[_i].list,
		    choose_cases[_i].n, choose_cases[_i].try);

	ck_assert_msg(got == choose_cases[_i].want,
	    "%s: \"%s\" (try %#x): %d, want %d", choose_cases[_i].desc,
	    choose_cases[_i].ae != NULL ? choose_cases[_i].ae : "(null)",
	    choose_cases[_i].try, got, choose_cases[_i].want);
}
END_TEST

/* Only len bytes are read, even inside a longer string. */
START_TEST(test_choose_len_only)
{
	const char	*ae = "gzip, br";

	ck_assert_int_eq(coding_choose(ae, 4, L(bzg), ALL), 2);
	ck_assert_int_eq(coding_choose(ae, 0, L(bzg), ALL), -1);
	ck_assert_int_eq(coding_choose(ae, strlen(ae), L(bzg), ALL), 0);
}
END_TEST

/*
 * A 10,000-byte header of unknown codings with weights, with ours at
 * both ends: the answer is found, in one pass, and nothing past len is
 * read.
 */
START_TEST(test_choose_huge_header)
{
	const char	*filler = "x-unknown-coding;q=0.999, ";
	const char	*head = "identity;q=0.2, gzip;q=0.3, ";
	const char	*tail = "br;q=0.4, zstd;q=0.001";
	size_t		 fl = strlen(filler), hl = strlen(head);
	size_t		 tl = strlen(tail), len = 0, members = 0;
	char		*buf;

	buf = malloc(HUGE_LEN);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, head, hl);
	len = hl;
	while (len + fl + tl <= HUGE_LEN) {
		memcpy(buf + len, filler, fl);
		len += fl;
		members++;
	}
	memset(buf + len, ' ', HUGE_LEN - len - tl);
	memcpy(buf + HUGE_LEN - tl, tail, tl);
	ck_assert_uint_gt(members, 300);

	ck_assert_int_eq(coding_choose(buf, HUGE_LEN, L(bzg), ALL), 0);
	ck_assert_int_eq(coding_choose(buf, HUGE_LEN, L(bzg), ~1u), 2);
	/* zstd at 0.001 is below identity at 0.2. */
	ck_assert_int_eq(coding_choose(buf, HUGE_LEN, L(bzg), 0x2), -1);
	ck_assert_int_eq(coding_choose(buf, HUGE_LEN, L(g), ALL), 0);
	/* Without the tail: gzip at the head, br absent. */
	ck_assert_int_eq(coding_choose(buf, HUGE_LEN - tl, L(bzg), ALL), 2);
	free(buf);
}
END_TEST

/* Entries outside enum coding and indexes past the mask's width. */
START_TEST(test_choose_odd_lists)
{
	enum coding	 odd[] = { (enum coding)CODING_MAX, CODING_GZIP };
	enum coding	 longl[CHAR_BIT * sizeof(unsigned) + 4];
	size_t		 i;

	ck_assert_int_eq(coding_choose("gzip", 4, L(odd), ALL), 1);
	ck_assert_int_eq(coding_choose("*", 1, L(odd), ALL), 1);
	for (i = 0; i < UTIL_ARRAY_LEN(longl); i++)
		longl[i] = i + 1 < UTIL_ARRAY_LEN(longl) ? CODING_BR :
		    CODING_GZIP;
	ck_assert_int_eq(coding_choose("gzip", 4, L(longl), ALL), -1);
	ck_assert_int_eq(coding_choose("br, gzip", 8, L(longl), ~1u), 1);
}
END_TEST

static const struct {
	enum coding	 c;
	const char	*name;
	const char	*suffix;
} name_cases[] = {
	{ CODING_BR, "br", ".br" },
	{ CODING_ZSTD, "zstd", ".zst" },
	{ CODING_GZIP, "gzip", ".gz" },
};

START_TEST(test_name_suffix_parse)
{
	enum coding	c = (enum coding)CODING_MAX;

	ck_assert_str_eq(coding_name(name_cases[_i].c), name_cases[_i].name);
	ck_assert_str_eq(coding_suffix(name_cases[_i].c),
	    name_cases[_i].suffix);
	ck_assert_int_eq(coding_parse(name_cases[_i].name, &c), 0);
	ck_assert_int_eq(c, name_cases[_i].c);
}
END_TEST

START_TEST(test_name_out_of_range)
{
	ck_assert_ptr_null(coding_name((enum coding)CODING_MAX));
	ck_assert_ptr_null(coding_suffix((enum coding)CODING_MAX));
	ck_assert_ptr_null(coding_name((enum coding)-1));
	ck_assert_ptr_null(coding_suffix((enum coding)-1));
}
END_TEST

/* Config names are exact. */
static const char *const parse_rejects[] = {
	"", "GZIP", "Br", "x-gzip", "gz", "zst", ".gz", "identity", "*",
	"deflate", "gzip ", " br", "brotli",
};

START_TEST(test_parse_rejects)
{
	enum coding	c = CODING_ZSTD;

	ck_assert_int_eq(coding_parse(parse_rejects[_i], &c), -1);
	ck_assert_int_eq(c, CODING_ZSTD);
}
END_TEST

START_TEST(test_parse_null)
{
	enum coding	c = CODING_ZSTD;

	ck_assert_int_eq(coding_parse(NULL, &c), -1);
	ck_assert_int_eq(c, CODING_ZSTD);
}
END_TEST

static Suite *
coding_suite(void)
{
	Suite	*s = suite_create("coding");
	TCase	*tc;

	tc = tcase_create("choose");
	tcase_add_loop_test(tc, test_choose, 0,
	    (int)UTIL_ARRAY_LEN(choose_cases));
	tcase_add_test(tc, test_choose_len_only);
	tcase_add_test(tc, test_choose_huge_header);
	tcase_add_test(tc, test_choose_odd_lists);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_name_suffix_parse, 0,
	    (int)UTIL_ARRAY_LEN(name_cases));
	tcase_add_test(tc, test_name_out_of_range);
	tcase_add_loop_test(tc, test_parse_rejects, 0,
	    (int)UTIL_ARRAY_LEN(parse_rejects));
	tcase_add_test(tc, test_parse_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(coding_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
