/*
 * check_reply: unit tests for src/core/reply.c, the response heads and
 * error pages of minihttpd: exact bytes, bounds, the structure of a
 * head (RFC 9112 section 2) and pages that never echo the request.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/reply.h"
#include "core/request.h"
#include "core/util.h"

#define DEF_MAX_HEAD	8192
#define DEF_MAX_HDRS	100

static Suite	*reply_suite(void);

/* reply_format_head: exact bytes for a few responses. */
static const struct {
	const char	*desc;
	struct reply	 r;
	const char	*want;
} head_cases[] = {
	{ "minimal keep-alive 1.1 response",
	  { .status = 200, .keepalive = 1 },
	  "HTTP/1.1 200 OK\r\nServer: minihttpd\r\n\r\n" },
	{ "everything, not kept alive",
	  { .status = 200, .keepalive = 0,
	    .date = "Sun, 06 Nov 1994 08:49:37 GMT",
	    .content_type = "text/html", .charset = "utf-8",
	    .has_length = 1, .content_length = 1234,
	    .last_modified = 784111777, .etag = "\"5f-4d2-2ebbbe61\"",
	    .accept_ranges = 1 },
	  "HTTP/1.1 200 OK\r\n"
	  "Server: minihttpd\r\n"
	  "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	  "Content-Type: text/html; charset=utf-8\r\n"
	  "Content-Length: 1234\r\n"
	  "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	  "ETag: \"5f-4d2-2ebbbe61\"\r\n"
	  "Accept-Ranges: bytes\r\n"
	  "Connection: close\r\n"
	  "\r\n" },
	{ "partial gzip content (RFC 9110 14.4, 8.4, 12.5.5)",
	  { .status = 206, .keepalive = 1, .content_type = "text/css",
	    .charset = "utf-8", .has_length = 1, .content_length = 100,
	    .content_range = "0-99/1234", .content_encoding = "gzip",
	    .vary = "Accept-Encoding", .accept_ranges = 1 },
	  "HTTP/1.1 206 Partial Content\r\n"
	  "Server: minihttpd\r\n"
	  "Content-Type: text/css; charset=utf-8\r\n"
	  "Content-Length: 100\r\n"
	  "Content-Range: bytes 0-99/1234\r\n"
	  "Content-Encoding: gzip\r\n"
	  "Vary: Accept-Encoding\r\n"
	  "Accept-Ranges: bytes\r\n"
	  "\r\n" },
	{ "416 with the unsatisfied range (RFC 9110 15.5.17)",
	  { .status = 416, .keepalive = 1, .content_range = "*/1234" },
	  "HTTP/1.1 416 Range Not Satisfiable\r\nServer: minihttpd\r\n"
	  "Content-Range: bytes */1234\r\n\r\n" },
	{ "HTTP/1.0 keep-alive says so (RFC 9112 C.2.2)",
	  { .status = 200, .keepalive = 1, .http10 = 1, .has_length = 1 },
	  "HTTP/1.1 200 OK\r\nServer: minihttpd\r\nContent-Length: 0\r\n"
	  "Connection: keep-alive\r\n\r\n" },
	{ "HTTP/1.0 not kept alive",
	  { .status = 404, .keepalive = 0, .http10 = 1 },
	  "HTTP/1.1 404 Not Found\r\nServer: minihttpd\r\n"
	  "Connection: close\r\n\r\n" },
	{ "redirect with Location",
	  { .status = 301, .keepalive = 1, .location = "/dir/?q=1" },
	  "HTTP/1.1 301 Moved Permanently\r\nServer: minihttpd\r\n"
	  "Location: /dir/?q=1\r\n\r\n" },
	{ "405 with Allow (RFC 9110 15.5.6)",
	  { .status = 405, .keepalive = 1, .allow = "GET, HEAD" },
	  "HTTP/1.1 405 Method Not Allowed\r\nServer: minihttpd\r\n"
	  "Allow: GET, HEAD\r\n\r\n" },
	{ "empty charset is left out",
	  { .status = 200, .keepalive = 1, .content_type = "image/png",
	    .charset = "" },
	  "HTTP/1.1 200 OK\r\nServer: minihttpd\r\n"
	  "Content-Type: image/png\r\n\r\n" },
	{ "largest Content-Length",
	  { .status = 206, .keepalive = 1, .has_length = 1,
	    .content_length = UINT64_MAX },
	  "HTTP/1.1 206 Partial Content\r\nServer: minihttpd\r\n"
	  "Content-Length: 18446744073709551615\r\n\r\n" },
	{ "server_tokens adds the version",
	  { .status = 304, .keepalive = 1, .server_tokens = 1 },
	  "HTTP/1.1 304 Not Modified\r\nServer: minihttpd/" PACKAGE_VERSION
	  "\r\n\r\n" },
	{ "a status without a preformatted line: reason from http.c",
	  { .status = 299, .keepalive = 1, .has_length = 1 },
	  "HTTP/1.1 299 Unknown\r\nServer: minihttpd\r\n"
	  "Content-Length: 0\r\n\r\n" },
	{ "a status without a preformatted line, with server_tokens",
	  { .status = 599, .keepalive = 0, .server_tokens = 1 },
	  "HTTP/1.1 599 Unknown\r\nServer: minihttpd/" PACKAGE_VERSION
	  "\r\nConnection: close\r\n\r\n" },
	{ "431 reason phrase",
	  { .status = 431, .keepalive = 0 },
	  "HTTP/1.1 431 Request Header Fields Too Large\r\n"
	  "Server: minihttpd\r\nConnection: close\r\n\r\n" },
};

START_TEST(test_format_head)
{
	char	buf[1024];
	size_t	n, want = strlen(head_cases[_i].want);

	memset(buf, 'X', sizeof(buf));
	n = reply_format_head(buf, sizeof(buf), &head_cases[_i].r);
	ck_assert_msg(n == want && memcmp(buf, head_cases[_i].want, n) == 0,
	    "%s: got (%zu)\n%.*s\nwant (%zu)\n%s", head_cases[_i].desc, n,
	    (int)n, buf, want, head_cases[_i].want);
}
END_TEST

/* Every size below the needed one returns 0 and writes within size. */
START_TEST(test_format_head_overflow)
{
	char	buf[1024];
	size_t	need, size, n;

	need = reply_format_head(buf, sizeof(buf), &head_cases[_i].r);
	ck_assert_uint_gt(need, 0);
	n = reply_format_head(buf, need, &head_cases[_i].r);
	ck_assert_msg(n == need, "%s: exact size gave %zu, want %zu",
	    head_cases[_i].desc, n, need);
	for (size = 0; size < need; size++) {
		memset(buf, 'X', sizeof(buf));
		n = reply_format_head(buf, size, &head_cases[_i].r);
		ck_assert_msg(n == 0, "%s: size %zu of %zu gave %zu",
		    head_cases[_i].desc, size, need, n);
		ck_assert_msg(buf[size] == 'X', "%s: size %zu: wrote past it",
		    head_cases[_i].desc, size);
	}
}
END_TEST

/* Structure: one status line, CRLF-terminated fields, one empty line. */
START_TEST(test_format_head_structure)
{
	char		 buf[1024];
	const char	*p, *eol;
	size_t		 n;

	n = reply_format_head(buf, sizeof(buf), &head_cases[_i].r);
	ck_assert_uint_gt(n, 4);
	ck_assert_msg(memcmp(buf + n - 4, "\r\n\r\n", 4) == 0,
	    "%s: does not end with an empty line", head_cases[_i].desc);
	ck_assert_msg(memcmp(buf, "HTTP/1.1 ", 9) == 0, "%s: status line",
	    head_cases[_i].desc);
	for (p = buf; p < buf + n - 2; p = eol + 2) {
		eol = memchr(p, '\r', (size_t)(buf + n - p));
		ck_assert_ptr_nonnull(eol);
		ck_assert_msg(eol[1] == '\n', "%s: bare CR", head_cases[_i].desc);
		ck_assert_msg(memchr(p, '\n', (size_t)(eol - p)) == NULL,
		    "%s: bare LF", head_cases[_i].desc);
		ck_assert_msg(eol > p, "%s: empty line before the end",
		    head_cases[_i].desc);
		if (p != buf)
			ck_assert_msg(memchr(p, ':', (size_t)(eol - p)) != NULL,
			    "%s: field line without ':'", head_cases[_i].desc);
	}
}
END_TEST

/*
 * Every status of HTTP_STATUS_LIST starts its head with the line its
 * preformatted copy holds, and the same as the piece-by-piece path for
 * statuses outside the list: "HTTP/1.1", the code, http_reason's phrase.
 */
START_TEST(test_status_lines)
{
#define STATUS_CODE(code, reason, page)	code,
	static const int	 listed[] = { HTTP_STATUS_LIST(STATUS_CODE) };
#undef STATUS_CODE
	static const int	 unlisted[] = { 102, 201, 299, 300, 418, 999 };
	struct reply		 r;
	char			 buf[256], want[256];
	size_t			 i, n;
	int			 w;

	for (i = 0; i < UTIL_ARRAY_LEN(listed) + UTIL_ARRAY_LEN(unlisted);
	    i++) {
		memset(&r, 0, sizeof(r));
		r.status = i < UTIL_ARRAY_LEN(listed) ? listed[i] :
		    unlisted[i - UTIL_ARRAY_LEN(listed)];
		r.keepalive = 1;
		w = snprintf(want, sizeof(want),
		    "HTTP/1.1 %d %s\r\nServer: minihttpd\r\n\r\n", r.status,
		    http_reason(r.status));
		ck_assert(w > 0 && (size_t)w < sizeof(want));
		n = reply_format_head(buf, sizeof(buf), &r);
		ck_assert_msg(n == (size_t)w && memcmp(buf, want, n) == 0,
		    "status %d: [%.*s]", r.status, (int)n, buf);
		if (i >= UTIL_ARRAY_LEN(listed))
			ck_assert_str_eq(http_reason(r.status), "Unknown");
	}
}
END_TEST

/* reply_error_body: fixed short HTML that never echoes the request. */
static const int error_statuses[] = {
	301, 400, 403, 404, 405, 408, 412, 414, 416, 417, 431, 500, 501, 503,
	505,
};

START_TEST(test_error_body)
{
	int		 st = error_statuses[_i];
	const char	*b1, *b2, *reason = http_reason(st);
	size_t		 l1 = 0, l2 = 0;
	char		 code[16];

	b1 = reply_error_body(st, &l1);
	b2 = reply_error_body(st, &l2);
	ck_assert_ptr_nonnull(b1);
	ck_assert_msg(b1 == b2 && l1 == l2, "%d: body not fixed", st);
	ck_assert_uint_eq(l1, strlen(b1));
	ck_assert_uint_lt(l1, 512);
	snprintf(code, sizeof(code), "%d ", st);
	ck_assert_msg(strstr(b1, code) != NULL, "%d: code missing", st);
	ck_assert_msg(strcmp(reason, "Unknown") != 0, "%d: no reason", st);
	ck_assert_msg(strstr(b1, reason) != NULL, "%d: reason missing", st);
	ck_assert_msg(strncmp(b1, "<!DOCTYPE html>", 15) == 0,
	    "%d: not HTML", st);
	ck_assert_msg(strchr(b1, '%') == NULL, "%d: format characters", st);
}
END_TEST

/* Not request-dependent: the same bytes whatever was parsed before. */
START_TEST(test_error_body_independent_of_request)
{
	static const char	in[] =
	    "GET /<script>alert(1)</script> HTTP/1.1\r\nHost: evil\r\n\r\n";
	struct request_limits	lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request_parser	ps;
	struct request		req;
	const char		*before, *after;
	size_t			lb, la;
	int			status;

	before = reply_error_body(404, &lb);
	memset(&ps, 0, sizeof(ps));
	request_parse(&ps, in, sizeof(in) - 1, &lim, &req, &status);
	after = reply_error_body(404, &la);
	ck_assert_ptr_eq(before, after);
	ck_assert_uint_eq(lb, la);
	ck_assert_ptr_null(strstr(after, "script"));
	ck_assert_ptr_null(strstr(after, "evil"));
}
END_TEST

/* A status without its own body still gets a short fixed one. */
START_TEST(test_error_body_unknown_status)
{
	static const int	odd[] = { 418, 999, 0, -1, 200 };
	const char		*b;
	size_t			i, len;

	for (i = 0; i < UTIL_ARRAY_LEN(odd); i++) {
		len = 0;
		b = reply_error_body(odd[i], &len);
		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(len, strlen(b));
		ck_assert_uint_gt(len, 0);
	}
}
END_TEST

/* RFC 9110 section 14.6: a part's head and the closing delimiter. */
static const struct {
	const char	*why;
	const char	*type, *charset, *crange;
	int		 first;
	const char	*want;
} part_cases[] = {
	{ "first part: no CRLF before the delimiter", "text/plain", "utf-8",
	    "0-9/100", 1, "--B\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Range: bytes 0-9/100\r\n\r\n" },
	{ "later part: CRLF ends the previous body", "image/png", NULL,
	    "50-59/100", 0, "\r\n--B\r\nContent-Type: image/png\r\n"
	    "Content-Range: bytes 50-59/100\r\n\r\n" },
	{ "an empty charset is left out", "text/html", "", "1-1/2", 1,
	    "--B\r\nContent-Type: text/html\r\n"
	    "Content-Range: bytes 1-1/2\r\n\r\n" },
};

START_TEST(test_part_head)
{
	char	buf[256];
	size_t	n, want = strlen(part_cases[_i].want);

	n = reply_part_head(buf, sizeof(buf), "B", part_cases[_i].type,
	    part_cases[_i].charset, part_cases[_i].crange,
	    part_cases[_i].first);
	ck_assert_msg(n == want && memcmp(buf, part_cases[_i].want, n) == 0,
	    "%s: got [%.*s]", part_cases[_i].why, (int)n, buf);
	/* One byte short: nothing, never a cut head. */
	ck_assert_uint_eq(reply_part_head(buf, want, "B", part_cases[_i].type,
	    part_cases[_i].charset, part_cases[_i].crange,
	    part_cases[_i].first), 0);
}
END_TEST

START_TEST(test_parts_end)
{
	char	buf[16];

	ck_assert_uint_eq(reply_parts_end(buf, sizeof(buf), "B"), 9);
	ck_assert_int_eq(memcmp(buf, "\r\n--B--\r\n", 9), 0);
	ck_assert_uint_eq(reply_parts_end(buf, 9, "B"), 0);
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite	*s = suite_create("reply");
	TCase	*tc;

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format_head, 0,
	    (int)UTIL_ARRAY_LEN(head_cases));
	tcase_add_loop_test(tc, test_format_head_overflow, 0,
	    (int)UTIL_ARRAY_LEN(head_cases));
	tcase_add_test(tc, test_status_lines);
	tcase_add_loop_test(tc, test_format_head_structure, 0,
	    (int)UTIL_ARRAY_LEN(head_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("error");
	tcase_add_loop_test(tc, test_error_body, 0,
	    (int)UTIL_ARRAY_LEN(error_statuses));
	tcase_add_test(tc, test_error_body_independent_of_request);
	tcase_add_test(tc, test_error_body_unknown_status);
	suite_add_tcase(s, tc);

	tc = tcase_create("multipart");
	tcase_add_loop_test(tc, test_part_head, 0,
	    (int)UTIL_ARRAY_LEN(part_cases));
	tcase_add_test(tc, test_parts_end);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(reply_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
