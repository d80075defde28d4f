/*
 * check_response: unit tests for src/core/response.c, the client's
 * response head parser and body framing.  Every input is also fed one
 * byte at a time and split in two at every position: the result must
 * not depend on how bytes arrive.  (The chunked decoder is tested in
 * check_http, Content-Range values in check_range.)
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/response.h"

/* A string literal that may hold NUL bytes, with its length. */
#define S(lit)	lit, sizeof(lit) - 1

enum { D = HTTP_PARSE_DONE, A = HTTP_PARSE_AGAIN, E = HTTP_PARSE_ERROR };
enum {
	NONE = RESPONSE_BODY_NONE, LEN = RESPONSE_BODY_LENGTH,
	CHUNK = RESPONSE_BODY_CHUNKED, CLOSE = RESPONSE_BODY_CLOSE
};

struct head_case {
	const char	*in;
	size_t		 len;
	int		 head_request;
	int		 result;
	const char	*error;		/* when result is E */
	int		 status;	/* the rest when result is D */
	int		 body;
	unsigned	 length;
	int		 close;
};

#define H200	"HTTP/1.1 200 OK\r\n"

static const struct head_case heads[] = {
	{ S(H200 "Content-Length: 5\r\n\r\n"), 0, D, NULL, 200, LEN, 5, 0 },
	{ S(H200 "Content-Length: 0\r\n\r\n"), 0, D, NULL, 200, LEN, 0, 0 },
	{ S(H200 "content-length:5\r\n\r\n"), 0, D, NULL, 200, LEN, 5, 0 },
	{ S(H200 "Content-Length: \t5 \t\r\n\r\n"), 0, D, NULL, 200, LEN,
	    5, 0 },
	{ S(H200 "\r\n"), 0, D, NULL, 200, CLOSE, 0, 0 },
	{ S("HTTP/1.0 200 OK\r\n\r\n"), 0, D, NULL, 200, CLOSE, 0, 1 },
	{ S("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n"), 0, D, NULL,
	    200, LEN, 3, 1 },
	{ S("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"
	    "Content-Length: 3\r\n\r\n"), 0, D, NULL, 200, LEN, 3, 0 },
	{ S(H200 "Connection: close\r\nContent-Length: 3\r\n\r\n"), 0, D,
	    NULL, 200, LEN, 3, 1 },
	{ S(H200 "Connection: keep-alive, CLOSE\r\n\r\n"), 0, D, NULL, 200,
	    CLOSE, 0, 1 },
	{ S(H200 "Connection: upgrade\r\nContent-Length: 1\r\n\r\n"), 0, D,
	    NULL, 200, LEN, 1, 0 },
	/* Transfer-Encoding. */
	{ S(H200 "Transfer-Encoding: chunked\r\n\r\n"), 0, D, NULL, 200,
	    CHUNK, 0, 0 },
	{ S(H200 "Transfer-Encoding: Chunked\r\n\r\n"), 0, D, NULL, 200,
	    CHUNK, 0, 0 },
	{ S(H200 "Transfer-Encoding: gzip, chunked\r\n\r\n"), 0, D, NULL,
	    200, CHUNK, 0, 0 },
	{ S(H200 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n"), 0, D, NULL, 200, CHUNK, 0, 0 },
	{ S(H200 "Transfer-Encoding: gzip\r\n\r\n"), 0, D, NULL, 200,
	    CLOSE, 0, 0 },
	{ S(H200 "Transfer-Encoding: chunked, gzip\r\n\r\n"), 0, E,
	    "chunked is not the final transfer coding", 0, 0, 0, 0 },
	{ S(H200 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
	    "\r\n\r\n"), 0, E, "chunked is not the final transfer coding", 0, 0, 0, 0 },
	{ S(H200 "Transfer-Encoding: chunked, chunked\r\n\r\n"), 0, E,
	    "chunked is not the final transfer coding", 0, 0, 0, 0 },
	{ S(H200 "Transfer-Encoding: \r\n\r\n"), 0, E,
	    "invalid Transfer-Encoding", 0, 0, 0, 0 },
	{ S(H200 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"),
	    0, E, "both Content-Length and Transfer-Encoding", 0, 0, 0, 0 },
	{ S("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), 0, E,
	    "Transfer-Encoding in an HTTP/1.0 response", 0, 0, 0, 0 },
	/* Content-Length repeated, listed, invalid. */
	{ S(H200 "Content-Length: 5\r\nContent-Length: 5\r\n\r\n"), 0, D,
	    NULL, 200, LEN, 5, 0 },
	{ S(H200 "Content-Length: 5, 5\r\n\r\n"), 0, D, NULL, 200, LEN, 5,
	    0 },
	{ S(H200 "Content-Length: 5\r\nContent-Length: 6\r\n\r\n"), 0, E,
	    "conflicting Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 5, 6\r\n\r\n"), 0, E,
	    "conflicting Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 5,\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length:\r\n\r\n"), 0, E, "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: -1\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: +5\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 0x5\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 1 2\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 9223372036854775808\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 9223372036854775807\r\n\r\n"), 0, D, NULL,
	    200, LEN, 0xffffffffu, 0 },
	{ S(H200 "Content-Length: 007\r\n\r\n"), 0, D, NULL, 200, LEN, 7,
	    0 },
	{ S(H200 "Content-Length: 5,,5\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 99999999999999999999999\r\n\r\n"), 0, E,
	    "invalid Content-Length", 0, 0, 0, 0 },
	{ S(H200 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
	    0, E, "both Content-Length and Transfer-Encoding", 0, 0, 0, 0 },
	/* Responses without a body. */
	{ S("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"), 0, D,
	    NULL, 204, NONE, 0, 0 },
	{ S("HTTP/1.1 204 No Content\r\n\r\n"), 0, D, NULL, 204, NONE, 0,
	    0 },
	{ S("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n"), 0,
	    D, NULL, 304, NONE, 100, 0 },
	{ S("HTTP/1.1 100 Continue\r\n\r\n"), 0, D, NULL, 100, NONE, 0, 0 },
	{ S("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"), 0, D, NULL,
	    103, NONE, 0, 0 },
	{ S(H200 "Content-Length: 5\r\n\r\n"), 1, D, NULL, 200, NONE, 5, 0 },
	{ S(H200 "Transfer-Encoding: chunked\r\n\r\n"), 1, D, NULL, 200,
	    NONE, 0, 0 },
	{ S("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n"), 0, D,
	    NULL, 404, LEN, 9, 0 },
	/* Status lines. */
	{ S("HTTP/1.1 200\r\n\r\n"), 0, D, NULL, 200, CLOSE, 0, 0 },
	{ S("HTTP/1.1 200 \r\n\r\n"), 0, D, NULL, 200, CLOSE, 0, 0 },
	{ S("HTTP/1.1 599 Whatever it is\r\n\r\n"), 0, D, NULL, 599, CLOSE,
	    0, 0 },
	{ S("HTTP/1.1 200 \xc3\xa9t\xc3\xa9\tok\r\n\r\n"), 0, D, NULL, 200,
	    CLOSE, 0, 0 },
	{ S("HTTP/2 200 OK\r\n\r\n"), 0, E, "not an HTTP/1.x response", 0, 0, 0, 0 },
	{ S("HTTP/2.0 200 OK\r\n\r\n"), 0, E, "not an HTTP/1.x response", 0, 0, 0, 0 },
	{ S("http/1.1 200 OK\r\n\r\n"), 0, E, "not an HTTP/1.x response", 0, 0, 0, 0 },
	{ S("SSH-2.0-OpenSSH_9.6\r\n"), 0, E, "not an HTTP/1.x response", 0, 0, 0, 0 },
	{ S("\r\n" H200 "\r\n"), 0, E, "not an HTTP/1.x response", 0, 0, 0, 0 },
	{ S("HTTP/\r\n\r\n"), 0, E, "not an HTTP/1.x response", 0, 0, 0, 0 },
	{ S("HTTP/1.\r\n\r\n"), 0, E, "invalid HTTP version", 0, 0, 0, 0 },
	{ S("HTTP/1.x 200 OK\r\n\r\n"), 0, E, "invalid HTTP version", 0, 0, 0, 0 },
	{ S("HTTP/1.1 99 OK\r\n\r\n"), 0, E, "invalid status line", 0, 0, 0, 0 },
	{ S("HTTP/1.1  200 OK\r\n\r\n"), 0, E, "invalid status line", 0, 0, 0, 0 },
	{ S("HTTP/1.1 200OK\r\n\r\n"), 0, E, "invalid status line", 0, 0, 0, 0 },
	{ S("HTTP/1.1 2000 OK\r\n\r\n"), 0, E, "invalid status line", 0, 0, 0, 0 },
	{ S("HTTP/1.1 099 OK\r\n\r\n"), 0, E, "invalid status code", 0, 0, 0, 0 },
	{ S("HTTP/1.1 600 OK\r\n\r\n"), 0, E, "invalid status code", 0, 0, 0, 0 },
	{ S("HTTP/1.1 200 O\x01K\r\n\r\n"), 0, E, "invalid reason phrase", 0, 0, 0, 0 },
	{ S("HTTP/1.1 200 O\rK\r\n\r\n"), 0, E, "invalid reason phrase", 0, 0, 0, 0 },
	{ S("HTTP/1.1 200 OK\n\n"), 0, E, "bare LF in response head", 0, 0, 0, 0 },
	{ S(H200 "X: a\n\r\n"), 0, E, "bare LF in response head", 0, 0, 0, 0 },
	{ S(H200 "X: a\r\n\n"), 0, E, "bare LF in response head", 0, 0, 0, 0 },
	/* Header fields. */
	{ S(H200 "X: a\r\n b\r\n\r\n"), 0, E,
	    "obs-fold or whitespace before a header field", 0, 0, 0, 0 },
	{ S(H200 "X: a\r\n\tb\r\n\r\n"), 0, E,
	    "obs-fold or whitespace before a header field", 0, 0, 0, 0 },
	{ S(H200 " X: a\r\n\r\n"), 0, E,
	    "obs-fold or whitespace before a header field", 0, 0, 0, 0 },
	{ S(H200 "Content-Length : 5\r\n\r\n"), 0, E,
	    "whitespace before a colon in a header field", 0, 0, 0, 0 },
	{ S(H200 "X\t: 5\r\n\r\n"), 0, E,
	    "whitespace before a colon in a header field", 0, 0, 0, 0 },
	{ S(H200 ": 5\r\n\r\n"), 0, E, "empty header field name", 0, 0, 0, 0 },
	{ S(H200 "X\r\n\r\n"), 0, E, "invalid header field name", 0, 0, 0, 0 },
	{ S(H200 "X(y): 5\r\n\r\n"), 0, E, "invalid header field name", 0, 0, 0, 0 },
	{ S(H200 "X-\xc3\xa9: 5\r\n\r\n"), 0, E,
	    "invalid header field name", 0, 0, 0, 0 },
	{ S(H200 "X: a\0b\r\n\r\n"), 0, E,
	    "control character in a header field value", 0, 0, 0, 0 },
	{ S(H200 "X: a\rb\r\n\r\n"), 0, E,
	    "control character in a header field value", 0, 0, 0, 0 },
	{ S(H200 "X: a\x1b[31mb\r\n\r\n"), 0, E,
	    "control character in a header field value", 0, 0, 0, 0 },
	{ S(H200 "X: a\x7f\r\n\r\n"), 0, E,
	    "control character in a header field value", 0, 0, 0, 0 },
	{ S(H200 "X: a\tb \xff\r\nY:\r\nZ: \r\n\r\n"), 0, D, NULL, 200,
	    CLOSE, 0, 0 },
	{ S(H200 "!#$%&'*+-.^_`|~09az: v\r\n\r\n"), 0, D, NULL, 200, CLOSE,
	    0, 0 },
	/* Incomplete heads. */
	{ S(""), 0, A, NULL, 0, 0, 0, 0 },
	{ S("H"), 0, A, NULL, 0, 0, 0, 0 },
	{ S("HTTP/1.1 200 OK"), 0, A, NULL, 0, 0, 0, 0 },
	{ S(H200), 0, A, NULL, 0, 0, 0, 0 },
	{ S(H200 "X: a\r\n\r"), 0, A, NULL, 0, 0, 0, 0 },
};

/*
 * The fields two parses of the same buffer must agree on.  Pointers are
 * compared as they are: both parses point into the same buffer.
 */
static void
assert_same_response(const struct response *a, const struct response *b)
{
	ck_assert_int_eq(a->status, b->status);
	ck_assert_int_eq(a->minor, b->minor);
	ck_assert_ptr_eq(a->reason.p, b->reason.p);
	ck_assert_uint_eq(a->reason.len, b->reason.len);
	ck_assert_uint_eq(a->nheaders, b->nheaders);
	ck_assert_uint_eq(a->head_len, b->head_len);
	ck_assert_int_eq(a->has_length, b->has_length);
	ck_assert_uint_eq(a->content_length, b->content_length);
	ck_assert_int_eq(a->chunked, b->chunked);
	ck_assert_int_eq(a->has_te, b->has_te);
	ck_assert_int_eq(a->close, b->close);
	ck_assert_ptr_eq(a->location.p, b->location.p);
	ck_assert_uint_eq(a->location.len, b->location.len);
	ck_assert_ptr_eq(a->content_type.p, b->content_type.p);
}

/* Offers buf[0..len) in growing prefixes cut at the given positions. */
static int
parse_in_steps(const char *buf, size_t len, size_t step, size_t cut,
    struct response_parser *p, struct response *r)
{
	size_t	have = 0;
	int	res = HTTP_PARSE_AGAIN;

	response_init(p, r);
	while (have < len) {
		if (cut != 0 && have < cut)
			have = cut;
		else
			have = have + step > len ? len : have + step;
		res = response_parse(p, buf, have, r);
		if (res != HTTP_PARSE_AGAIN)
			break;
	}
	if (len == 0)
		res = response_parse(p, buf, 0, r);
	return res;
}

START_TEST(test_head_cases)
{
	const struct head_case	*c = &heads[_i];
	struct response_parser	 p, p2;
	struct response		 r, r2;
	char			*buf;
	size_t			 cut;
	int			 res;

	/* A copy of exactly len bytes so that overreads show under ASan. */
	buf = malloc(c->len + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, c->in, c->len);

	res = parse_in_steps(buf, c->len, c->len, 0, &p, &r);
	ck_assert_msg(res == c->result, "case %d: result %d, want %d (%s)",
	    _i, res, c->result, p.error ? p.error : "");
	if (res == HTTP_PARSE_ERROR)
		ck_assert_str_eq(p.error, c->error);
	if (res == HTTP_PARSE_DONE) {
		ck_assert_int_eq(r.status, c->status);
		ck_assert_int_eq(response_body(&r, c->head_request), c->body);
		if (c->length == 0xffffffffu)
			ck_assert_uint_eq(r.content_length, INT64_MAX);
		else
			ck_assert_uint_eq(r.content_length, c->length);
		ck_assert_int_eq(r.close, c->close);
		ck_assert_uint_eq(r.head_len, c->len);
	}

	/* Byte by byte, then split in two at every position. */
	ck_assert_int_eq(parse_in_steps(buf, c->len, 1, 0, &p2, &r2), res);
	if (res == HTTP_PARSE_ERROR)
		ck_assert_str_eq(p2.error, p.error);
	if (res == HTTP_PARSE_DONE)
		assert_same_response(&r, &r2);
	for (cut = 1; cut < c->len; cut++) {
		ck_assert_int_eq(parse_in_steps(buf, c->len, c->len, cut, &p2,
		    &r2), res);
		if (res == HTTP_PARSE_ERROR)
			ck_assert_str_eq(p2.error, p.error);
		if (res == HTTP_PARSE_DONE)
			assert_same_response(&r, &r2);
	}
	free(buf);
}
END_TEST

START_TEST(test_head_fields_captured)
{
	static const char	 in[] = "HTTP/1.1 301 Moved Permanently\r\n"
	    "Location:  /dir/ \r\n"
	    "Location: /other\r\n"
	    "content-type: text/html; charset=utf-8\r\n"
	    "ETag: \"abc\"\r\n"
	    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Content-Range: bytes 0-1/2\r\n"
	    "Date: Mon, 07 Nov 1994 08:49:37 GMT\r\n"
	    "Content-Length: 0\r\n"
	    "\r\nBODY";
	struct response_parser	 p;
	struct response		 r;

	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, in, sizeof(in) - 1, &r),
	    HTTP_PARSE_DONE);
	ck_assert_int_eq(r.status, 301);
	ck_assert_int_eq((int)r.reason.len, 17);
	ck_assert(memcmp(r.reason.p, "Moved Permanently", 17) == 0);
	ck_assert_uint_eq(r.nheaders, 8);
	ck_assert_uint_eq(r.head_len, sizeof(in) - 1 - 4);
	ck_assert_str_eq(in + r.head_len, "BODY");
	ck_assert_uint_eq(r.location.len, 5);
	ck_assert(memcmp(r.location.p, "/dir/", 5) == 0);
	ck_assert_uint_eq(r.content_type.len, 24);
	ck_assert_uint_eq(r.etag.len, 5);
	ck_assert_uint_eq(r.last_modified.len, 29);
	ck_assert_uint_eq(r.date.len, 29);
	ck_assert_uint_eq(r.content_range.len, 11);
	/* Called again after DONE: still DONE, nothing changes. */
	ck_assert_int_eq(response_parse(&p, in, sizeof(in) - 1, &r),
	    HTTP_PARSE_DONE);
	ck_assert_uint_eq(r.nheaders, 8);
}
END_TEST

START_TEST(test_head_early_reject_non_http)
{
	struct response_parser	p;
	struct response		r;

	/* One byte is enough to tell an SSH banner from a response. */
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, "S", 1, &r), HTTP_PARSE_ERROR);
	ck_assert_str_eq(p.error, "not an HTTP/1.x response");
	/* And the error sticks. */
	ck_assert_int_eq(response_parse(&p, H200 "\r\n", 19, &r),
	    HTTP_PARSE_ERROR);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, "HTTP/1", 6, &r), HTTP_PARSE_AGAIN);
	ck_assert_int_eq(response_parse(&p, "HTTP/2", 6, &r), HTTP_PARSE_ERROR);
}
END_TEST

/* A head of exactly n header fields "X-n: v". */
static char *
make_head(size_t nfields, size_t valuelen, size_t *len)
{
	size_t	 size = 64 + nfields * (valuelen + 32), i, o;
	char	*buf = malloc(size);

	ck_assert_ptr_nonnull(buf);
	o = (size_t)snprintf(buf, size, H200);
	for (i = 0; i < nfields; i++) {
		o += (size_t)snprintf(buf + o, size - o, "X-%zu: ", i);
		memset(buf + o, 'v', valuelen);
		o += valuelen;
		o += (size_t)snprintf(buf + o, size - o, "\r\n");
	}
	o += (size_t)snprintf(buf + o, size - o, "\r\n");
	*len = o;
	return buf;
}

START_TEST(test_head_too_many_fields)
{
	struct response_parser	 p;
	struct response		 r;
	size_t			 len;
	char			*buf;

	buf = make_head(RESPONSE_HEADERS_MAX, 1, &len);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), HTTP_PARSE_DONE);
	ck_assert_uint_eq(r.nheaders, RESPONSE_HEADERS_MAX);
	free(buf);

	buf = make_head(RESPONSE_HEADERS_MAX + 1, 1, &len);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), HTTP_PARSE_ERROR);
	ck_assert_str_eq(p.error, "too many header fields");
	free(buf);
}
END_TEST

START_TEST(test_head_too_large)
{
	struct response_parser	 p;
	struct response		 r;
	size_t			 len, fit, i;
	char			*buf;

	/* One huge field with no line end in sight. */
	buf = make_head(1, RESPONSE_HEAD_MAX + 100, &len);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, RESPONSE_HEAD_MAX, &r),
	    HTTP_PARSE_AGAIN);
	ck_assert_int_eq(response_parse(&p, buf, RESPONSE_HEAD_MAX + 1, &r),
	    HTTP_PARSE_ERROR);
	ck_assert_str_eq(p.error, "response head too large");
	free(buf);

	/* A head of exactly the limit is fine, one byte more is not. */
	fit = RESPONSE_HEAD_MAX - strlen(H200 "X-0: \r\n\r\n");
	buf = make_head(1, fit, &len);
	ck_assert_uint_eq(len, RESPONSE_HEAD_MAX);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), HTTP_PARSE_DONE);
	free(buf);
	buf = make_head(1, fit + 1, &len);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), HTTP_PARSE_ERROR);
	ck_assert_str_eq(p.error, "response head too large");
	free(buf);

	/* Many short lines add up too; limits can be lowered. */
	buf = make_head(50, 10, &len);
	response_init(&p, &r);
	p.max_head = 200;
	for (i = 1; i <= len; i++)
		if (response_parse(&p, buf, i, &r) != HTTP_PARSE_AGAIN)
			break;
	ck_assert_uint_eq(i, 201);
	ck_assert_str_eq(p.error, "response head too large");
	free(buf);
}
END_TEST

START_TEST(test_head_interim_then_final)
{
	static const char	 in[] = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	struct response_parser	 p;
	struct response		 r;
	size_t			 off;

	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, in, sizeof(in) - 1, &r),
	    HTTP_PARSE_DONE);
	ck_assert_int_eq(r.status, 100);
	ck_assert_int_eq(response_body(&r, 0), RESPONSE_BODY_NONE);
	off = r.head_len;
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, in + off, sizeof(in) - 1 - off,
	    &r), HTTP_PARSE_DONE);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(response_body(&r, 0), RESPONSE_BODY_LENGTH);
	ck_assert_str_eq(in + off + r.head_len, "ok");
}
END_TEST

static Suite *
response_suite(void)
{
	Suite	*s = suite_create("response");
	TCase	*tc;

	tc = tcase_create("head");
	tcase_add_loop_test(tc, test_head_cases, 0,
	    (int)(sizeof(heads) / sizeof(heads[0])));
	tcase_add_test(tc, test_head_fields_captured);
	tcase_add_test(tc, test_head_early_reject_non_http);
	tcase_add_test(tc, test_head_too_many_fields);
	tcase_add_test(tc, test_head_too_large);
	tcase_add_test(tc, test_head_interim_then_final);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(response_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
