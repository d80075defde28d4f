/*
 * check_cond: preconditions in RFC 9110 section 13.2.2 order, entity-tag
 * comparison (section 8.8.3.2) and If-Range (section 13.1.5).
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "core/cond.h"

#define ETAG	"\"a-b-c\""
#define MTIME	784111777	/* Sun, 06 Nov 1994 08:49:37 GMT */
#define D_SAME	"Sun, 06 Nov 1994 08:49:37 GMT"
#define D_OLDER	"Sun, 06 Nov 1994 08:49:36 GMT"
#define D_NEWER	"Sun, 06 Nov 1994 08:49:38 GMT"

static void
set(struct http_str *s, const char *v)
{
	s->p = v;
	s->len = v ? strlen(v) : 0;
}

/* The methods of the table rows. */
#define GET	REQUEST_METHOD_GET
#define HEAD	REQUEST_METHOD_HEAD
#define POST	REQUEST_METHOD_POST

static const struct {
	const char		*why;
	enum request_method	 m;
	const char		*im, *ius, *inm, *ims;
	enum cond_result	 want;
} cases[] = {
	{ "no conditions", GET, 0, 0, 0, 0, COND_PROCEED },
	{ "13.1.1 If-Match same tag", GET, ETAG, 0, 0, 0,
	    COND_PROCEED },
	{ "13.1.1 If-Match other tag: 412", GET, "\"x\"", 0, 0, 0,
	    COND_FAILED },
	{ "13.1.1 If-Match list", GET, "\"x\", " ETAG, 0, 0, 0,
	    COND_PROCEED },
	{ "13.1.1 If-Match *", GET, "*", 0, 0, 0, COND_PROCEED },
	{ "8.8.3.2 If-Match is strong: W/ never matches", GET,
	    "W/" ETAG, 0, 0, 0, COND_FAILED },
	{ "13.1.4 If-Unmodified-Since older: 412", GET, 0, D_OLDER,
	    0, 0, COND_FAILED },
	{ "13.1.4 If-Unmodified-Since same", GET, 0, D_SAME, 0, 0,
	    COND_PROCEED },
	{ "13.1.4 invalid date ignored", GET, 0, "yesterday", 0, 0,
	    COND_PROCEED },
	{ "13.2.2 If-Match wins over If-Unmodified-Since", GET,
	    ETAG, D_OLDER, 0, 0, COND_PROCEED },
	{ "13.1.2 If-None-Match same: 304", GET, 0, 0, ETAG, 0,
	    COND_NOT_MODIFIED },
	{ "13.1.2 If-None-Match on HEAD: 304", HEAD, 0, 0, ETAG, 0,
	    COND_NOT_MODIFIED },
	{ "8.8.3.2 If-None-Match is weak: W/ matches", GET, 0, 0,
	    "W/" ETAG, 0, COND_NOT_MODIFIED },
	{ "13.1.2 If-None-Match list", GET, 0, 0,
	    "\"1\", W/\"2\" ," ETAG, 0, COND_NOT_MODIFIED },
	{ "13.1.2 If-None-Match *", GET, 0, 0, "*", 0,
	    COND_NOT_MODIFIED },
	{ "13.1.2 If-None-Match other", GET, 0, 0, "\"x\"", 0,
	    COND_PROCEED },
	{ "13.1.2 If-None-Match other method: 412", POST, 0, 0,
	    ETAG, 0, COND_FAILED },
	{ "13.1.3 If-Modified-Since same: 304", GET, 0, 0, 0,
	    D_SAME, COND_NOT_MODIFIED },
	{ "13.1.3 If-Modified-Since newer: 304", GET, 0, 0, 0,
	    D_NEWER, COND_NOT_MODIFIED },
	{ "13.1.3 If-Modified-Since older: 200", GET, 0, 0, 0,
	    D_OLDER, COND_PROCEED },
	{ "13.1.3 RFC 850 date", GET, 0, 0, 0,
	    "Sunday, 06-Nov-94 08:49:37 GMT", COND_NOT_MODIFIED },
	{ "13.1.3 asctime date", GET, 0, 0, 0,
	    "Sun Nov  6 08:49:37 1994", COND_NOT_MODIFIED },
	{ "13.1.3 invalid date ignored", GET, 0, 0, 0, "garbage",
	    COND_PROCEED },
	{ "13.1.3 only for GET and HEAD", POST, 0, 0, 0, D_SAME,
	    COND_PROCEED },
	{ "13.2.2 If-None-Match wins over If-Modified-Since", GET,
	    0, 0, "\"x\"", D_NEWER, COND_PROCEED },
	{ "13.2.2 412 before 304", GET, "\"x\"", 0, ETAG, 0,
	    COND_FAILED },
};

START_TEST(test_precondition_order)
{
	struct request		r;
	enum cond_result	got;

	memset(&r, 0, sizeof(r));
	r.method = cases[_i].m;
	set(&r.if_match, cases[_i].im);
	set(&r.if_unmodified_since, cases[_i].ius);
	set(&r.if_none_match, cases[_i].inm);
	set(&r.if_modified_since, cases[_i].ims);
	got = cond_evaluate(&r, ETAG, MTIME);
	ck_assert_msg(got == cases[_i].want, "%s: got %d want %d",
	    cases[_i].why, got, cases[_i].want);
}
END_TEST

static const struct {
	const char	*why;
	const char	*ir;
	time_t		 now;
	int		 want;
} ir_cases[] = {
	{ "no If-Range", NULL, MTIME + 10, 1 },
	{ "13.1.5 same strong tag", ETAG, MTIME + 10, 1 },
	{ "13.1.5 other tag", "\"x\"", MTIME + 10, 0 },
	{ "13.1.5 weak tag never matches", "W/" ETAG, MTIME + 10, 0 },
	{ "13.1.5 exact date", D_SAME, MTIME + 10, 1 },
	{ "13.1.5 newer date is not a match", D_NEWER, MTIME + 10, 0 },
	{ "13.1.5 older date", D_OLDER, MTIME + 10, 0 },
	{ "8.8.2.2 date of this second is weak", D_SAME, MTIME, 0 },
	{ "13.1.5 invalid date", "tomorrow", MTIME + 10, 0 },
};

START_TEST(test_if_range)
{
	struct request		r;

	memset(&r, 0, sizeof(r));
	r.method = REQUEST_METHOD_GET;
	set(&r.if_range, ir_cases[_i].ir);
	ck_assert_msg(cond_if_range(&r, ETAG, MTIME, ir_cases[_i].now) ==
	    ir_cases[_i].want, "%s", ir_cases[_i].why);
}
END_TEST

START_TEST(test_etag_list_malformed)
{
	/* A malformed member stops matching, never reads past the end. */
	ck_assert(!cond_etag_match("\"a", 2, "\"a\"", 1));
	ck_assert(!cond_etag_match("a-b-c", 5, ETAG, 1));
	ck_assert(!cond_etag_match("", 0, ETAG, 1));
	ck_assert(cond_etag_match(" ,," ETAG, strlen(" ,," ETAG), ETAG, 0));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("cond");
	TCase	*tc = tcase_create("cond");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_precondition_order, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, test_if_range, 0,
	    (int)(sizeof(ir_cases) / sizeof(ir_cases[0])));
	tcase_add_test(tc, test_etag_list_malformed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
