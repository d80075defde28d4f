/*
 * check_response: response head parsing, body framing and the chunked
 * decoder.  Every input is also fed one byte at a time and split in two
 * at every position: the result must not depend on how bytes arrive.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/response.h"

/* A string literal that may hold NUL bytes, with its length. */
#define S(lit)	lit, sizeof(lit) - 1

enum { D = RESPONSE_DONE, A = RESPONSE_AGAIN, E = RESPONSE_ERROR };
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
	int	res = RESPONSE_AGAIN;

	response_init(p, r);
	while (have < len) {
		if (cut != 0 && have < cut)
			have = cut;
		else
			have = have + step > len ? len : have + step;
		res = response_parse(p, buf, have, r);
		if (res != RESPONSE_AGAIN)
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
	if (res == RESPONSE_ERROR)
		ck_assert_str_eq(p.error, c->error);
	if (res == RESPONSE_DONE) {
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
	if (res == RESPONSE_ERROR)
		ck_assert_str_eq(p2.error, p.error);
	if (res == RESPONSE_DONE)
		assert_same_response(&r, &r2);
	for (cut = 1; cut < c->len; cut++) {
		ck_assert_int_eq(parse_in_steps(buf, c->len, c->len, cut, &p2,
		    &r2), res);
		if (res == RESPONSE_ERROR)
			ck_assert_str_eq(p2.error, p.error);
		if (res == RESPONSE_DONE)
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
	    RESPONSE_DONE);
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
	    RESPONSE_DONE);
	ck_assert_uint_eq(r.nheaders, 8);
}
END_TEST

START_TEST(test_head_early_reject_non_http)
{
	struct response_parser	p;
	struct response		r;

	/* One byte is enough to tell an SSH banner from a response. */
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, "S", 1, &r), RESPONSE_ERROR);
	ck_assert_str_eq(p.error, "not an HTTP/1.x response");
	/* And the error sticks. */
	ck_assert_int_eq(response_parse(&p, H200 "\r\n", 19, &r),
	    RESPONSE_ERROR);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, "HTTP/1", 6, &r), RESPONSE_AGAIN);
	ck_assert_int_eq(response_parse(&p, "HTTP/2", 6, &r), RESPONSE_ERROR);
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
	ck_assert_int_eq(response_parse(&p, buf, len, &r), RESPONSE_DONE);
	ck_assert_uint_eq(r.nheaders, RESPONSE_HEADERS_MAX);
	free(buf);

	buf = make_head(RESPONSE_HEADERS_MAX + 1, 1, &len);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), RESPONSE_ERROR);
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
	    RESPONSE_AGAIN);
	ck_assert_int_eq(response_parse(&p, buf, RESPONSE_HEAD_MAX + 1, &r),
	    RESPONSE_ERROR);
	ck_assert_str_eq(p.error, "response head too large");
	free(buf);

	/* A head of exactly the limit is fine, one byte more is not. */
	fit = RESPONSE_HEAD_MAX - strlen(H200 "X-0: \r\n\r\n");
	buf = make_head(1, fit, &len);
	ck_assert_uint_eq(len, RESPONSE_HEAD_MAX);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), RESPONSE_DONE);
	free(buf);
	buf = make_head(1, fit + 1, &len);
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, buf, len, &r), RESPONSE_ERROR);
	ck_assert_str_eq(p.error, "response head too large");
	free(buf);

	/* Many short lines add up too; limits can be lowered. */
	buf = make_head(50, 10, &len);
	response_init(&p, &r);
	p.max_head = 200;
	for (i = 1; i <= len; i++)
		if (response_parse(&p, buf, i, &r) != RESPONSE_AGAIN)
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
	    RESPONSE_DONE);
	ck_assert_int_eq(r.status, 100);
	ck_assert_int_eq(response_body(&r, 0), RESPONSE_BODY_NONE);
	off = r.head_len;
	response_init(&p, &r);
	ck_assert_int_eq(response_parse(&p, in + off, sizeof(in) - 1 - off,
	    &r), RESPONSE_DONE);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(response_body(&r, 0), RESPONSE_BODY_LENGTH);
	ck_assert_str_eq(in + off + r.head_len, "ok");
}
END_TEST

struct chunk_case {
	const char	*in;
	size_t		 len;
	int		 result;
	const char	*body;		/* decoded so far */
	size_t		 rest;		/* bytes left after DONE */
	const char	*error;
};

static const struct chunk_case chunks[] = {
	{ S("5\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL },
	{ S("3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n"), D, "abcdef", 0,
	    NULL },
	{ S("A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n"), D,
	    "0123456789abcdefghij", 0, NULL },
	{ S("0005\r\nhello\r\n000\r\n\r\n"), D, "hello", 0, NULL },
	{ S("0\r\n\r\n"), D, "", 0, NULL },
	{ S("0\r\n\r\nHTTP/1.1 200 OK\r\n"), D, "", 17, NULL },
	{ S("2\r\n\r\n\r\n0\r\n\r\n"), D, "\r\n", 0, NULL },
	/* Extensions are ignored, BWS before them allowed. */
	{ S("5;name=value\r\nhello\r\n0;last\r\n\r\n"), D, "hello", 0, NULL },
	{ S("5 ;x=\"q;uoted\"\r\nhello\r\n0\t;y\r\n\r\n"), D, "hello", 0,
	    NULL },
	{ S("5 \r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL },
	/* Trailers are skipped. */
	{ S("5\r\nhello\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n"), D, "hello", 0,
	    NULL },
	{ S("0\r\nX: \xff\r\n\r\nnext"), D, "", 4, NULL },
	/* Bad sizes. */
	{ S("g\r\n"), E, "", 0, "invalid chunk size" },
	{ S("5x\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("\r\n"), E, "", 0, "invalid chunk size" },
	{ S(" 5\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("-1\r\n"), E, "", 0, "invalid chunk size" },
	{ S("0x5\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("5 5\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("10000000000000000\r\n"), E, "", 0, "chunk size too large" },
	{ S("000000000000000000010\r\nab"), A, "ab", 0, NULL },
	{ S("ffffffffffffffff\r\nab"), A, "ab", 0, NULL },
	/* Missing CRLF. */
	{ S("5\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "missing CRLF after chunk size" },
	{ S("5\r\rhello\r\n0\r\n\r\n"), E, "", 0,
	    "missing CRLF after chunk size" },
	{ S("5;x\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "missing CRLF after chunk size" },
	{ S("5\r\nhelloX\r\n0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data" },
	{ S("5\r\nhello\n0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data" },
	{ S("5\r\nhello\rX0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data" },
	{ S("0\r\n\rX"), E, "", 0, "missing CRLF in trailer section" },
	{ S("0\r\nX: 1\rY"), E, "", 0, "missing CRLF in trailer section" },
	{ S("0\r\nX: 1\n\r\n"), E, "", 0, "bare LF in trailer section" },
	{ S("0\r\n\n"), E, "", 0, "bare LF in trailer section" },
	{ S("5\r\nhello\r\n0\r\nX: 1\r\n\n"), E, "hello", 0,
	    "bare LF in trailer section" },
	/* More sizes: case, zeros, signs, a last chunk with data after. */
	{ S("aB\r\n" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "01234567890"
	    "\r\n0\r\n\r\n"), D, "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "01234567890", 0, NULL },
	{ S("+5\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("5.0\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("\t5\r\nhello"), E, "", 0, "invalid chunk size" },
	{ S("5\r\nhello\r\n\r\n"), E, "hello", 0, "invalid chunk size" },
	{ S("0000000000000000000000000000001\r\nx\r\n0\r\n\r\n"), D, "x",
	    0, NULL },
	{ S("fffffffffffffffff\r\n"), E, "", 0, "chunk size too large" },
	{ S("5\r\nhello\r\n0\r\n\r\n\r\n"), D, "hello", 2, NULL },
	/* Trailer lines are skipped unread: obs-fold there changes nothing. */
	{ S("5\r\nhello\r\n0\r\nX: a\r\n folded\r\n\r\n"), D, "hello", 0,
	    NULL },
	{ S("0\r\nContent-Length: 99\r\nTransfer-Encoding: x\r\n\r\n"), D,
	    "", 0, NULL },
	{ S("5;a\0b\r\nhello"), E, "", 0, "invalid chunk extension" },
	/* Incomplete. */
	{ S(""), A, "", 0, NULL },
	{ S("5"), A, "", 0, NULL },
	{ S("5\r\nhel"), A, "hel", 0, NULL },
	{ S("5\r\nhello\r\n"), A, "hello", 0, NULL },
	{ S("5\r\nhello\r\n0\r\n"), A, "hello", 0, NULL },
	{ S("5\r\nhello\r\n0\r\nX: y\r\n"), A, "hello", 0, NULL },
};

/*
 * Feeds buf[0..len) in pieces of step bytes (each piece its own buffer,
 * as reads would deliver them) after a first piece of cut bytes.
 * Appends decoded data to out and returns the final result; *left gets
 * the bytes not consumed after DONE.
 */
static int
chunk_feed(const char *buf, size_t len, size_t step, size_t cut, char *out,
    size_t outsz, size_t *outlen, size_t *left)
{
	struct response_chunked	 c;
	const char		*data;
	size_t			 off = 0, end, used, dlen;
	int			 res = RESPONSE_AGAIN;

	response_chunked_init(&c);
	*outlen = 0;
	*left = 0;
	while (off < len) {
		end = cut != 0 && off < cut ? cut : off + step;
		if (end > len)
			end = len;
		while (off < end) {
			res = response_chunked(&c, buf + off, end - off, &used,
			    &data, &dlen);
			ck_assert_uint_le(used, end - off);
			if (dlen > 0) {
				ck_assert(data >= buf + off &&
				    data + dlen <= buf + off + used);
				ck_assert_uint_le(*outlen + dlen, outsz);
				memcpy(out + *outlen, data, dlen);
				*outlen += dlen;
			}
			off += used;
			if (res == RESPONSE_ERROR) {
				ck_assert_ptr_nonnull(c.error);
				return res;
			}
			if (res == RESPONSE_DONE) {
				*left = len - off;
				return res;
			}
			/* AGAIN must make progress while input remains. */
			ck_assert_uint_gt(used, 0);
		}
	}
	return res;
}

START_TEST(test_chunked_cases)
{
	const struct chunk_case	*c = &chunks[_i];
	struct response_chunked	 st;
	char			*buf, out[256];
	const char		*data;
	size_t			 outlen, left, cut, step, used, dlen;
	int			 res;

	buf = malloc(c->len + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, c->in, c->len);
	for (step = 1; step <= c->len + 1; step++) {
		for (cut = 0; cut < (step == 1 ? c->len : 1); cut++) {
			res = chunk_feed(buf, c->len, step, cut, out,
			    sizeof(out), &outlen, &left);
			ck_assert_msg(res == c->result,
			    "case %d step %zu cut %zu: %d", _i, step, cut,
			    res);
			ck_assert_uint_eq(outlen, strlen(c->body));
			ck_assert(memcmp(out, c->body, outlen) == 0);
			if (res == RESPONSE_DONE)
				ck_assert_uint_eq(left, c->rest);
		}
	}
	/* The error message, from one whole-buffer run. */
	if (c->result == RESPONSE_ERROR) {
		response_chunked_init(&st);
		cut = 0;
		do {
			res = response_chunked(&st, buf + cut, c->len - cut,
			    &used, &data, &dlen);
			cut += used;
		} while (res == RESPONSE_AGAIN && used > 0);
		ck_assert_int_eq(res, RESPONSE_ERROR);
		ck_assert_str_eq(st.error, c->error);
	}
	free(buf);
}
END_TEST

START_TEST(test_chunked_long_lines)
{
	struct response_chunked	 c;
	static char		 buf[RESPONSE_TRAILER_MAX + 64];
	const char		*data;
	size_t			 used, dlen, n;

	/* A size line with RESPONSE_CHUNK_LINE_MAX bytes is fine. */
	n = RESPONSE_CHUNK_LINE_MAX;
	buf[0] = '1';
	buf[1] = ';';
	memset(buf + 2, 'x', n - 2);
	response_chunked_init(&c);
	ck_assert_int_eq(response_chunked(&c, buf, n, &used, &data, &dlen),
	    RESPONSE_AGAIN);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(response_chunked(&c, "x", 1, &used, &data, &dlen),
	    RESPONSE_ERROR);
	ck_assert_str_eq(c.error, "chunk size line too long");

	/* An endless trailer section. */
	memcpy(buf, "0\r\n", 3);
	memset(buf + 3, 'x', sizeof(buf) - 3);
	response_chunked_init(&c);
	ck_assert_int_eq(response_chunked(&c, buf, sizeof(buf), &used, &data,
	    &dlen), RESPONSE_ERROR);
	ck_assert_str_eq(c.error, "trailer section too large");
	ck_assert_uint_eq(used, 3 + RESPONSE_TRAILER_MAX);
}
END_TEST

START_TEST(test_chunked_data_spans_not_copied)
{
	static const char	 in[] = "4\r\nabcd\r\n0\r\n\r\n";
	struct response_chunked	 c;
	const char		*data;
	size_t			 used, dlen;

	response_chunked_init(&c);
	ck_assert_int_eq(response_chunked(&c, in, sizeof(in) - 1, &used,
	    &data, &dlen), RESPONSE_AGAIN);
	ck_assert_ptr_eq(data, in + 3);
	ck_assert_uint_eq(dlen, 4);
	ck_assert_uint_eq(used, 7);
	ck_assert_int_eq(response_chunked(&c, in + used, sizeof(in) - 1 - used,
	    &used, &data, &dlen), RESPONSE_DONE);
	ck_assert_uint_eq(dlen, 0);
	/* DONE again with nothing consumed. */
	ck_assert_int_eq(response_chunked(&c, "x", 1, &used, &data, &dlen),
	    RESPONSE_DONE);
	ck_assert_uint_eq(used, 0);
}
END_TEST

/* Content-Range values. */
struct crange_case {
	const char	*in;
	int		 result;
	int		 unsatisfied;
	uint64_t	 first, last;
	int		 has_size;
	uint64_t	 size;
};

static const struct crange_case cranges[] = {
	{ "bytes 0-0/1", 0, 0, 0, 0, 1, 1 },
	{ "bytes 10-20/3000000", 0, 0, 10, 20, 1, 3000000 },
	{ "  bytes 10-20/30 ", 0, 0, 10, 20, 1, 30 },
	{ "BYTES 1-2/3", 0, 0, 1, 2, 1, 3 },
	{ "bytes 0-9/*", 0, 0, 0, 9, 0, 0 },
	{ "bytes */123", 0, 1, 0, 0, 1, 123 },
	{ "bytes */0", 0, 1, 0, 0, 1, 0 },
	{ "bytes 0-9223372036854775806/9223372036854775807", 0, 0, 0,
	    9223372036854775806ULL, 1, 9223372036854775807ULL },
	{ "bytes 5-4/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-10/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes */*", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-1", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes -1/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-1/10x", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-1 /10", -1, 0, 0, 0, 0, 0 },
	{ "bytes=0-1/10", -1, 0, 0, 0, 0, 0 },
	{ "items 0-1/10", -1, 0, 0, 0, 0, 0 },
	{ "bytes", -1, 0, 0, 0, 0, 0 },
	{ "", -1, 0, 0, 0, 0, 0 },
	{ "bytes 0-99999999999999999999/*", -1, 0, 0, 0, 0, 0 },
	{ "bytes +0-1/10", -1, 0, 0, 0, 0, 0 },
};

START_TEST(test_content_range_cases)
{
	const struct crange_case	*c = &cranges[_i];
	struct response_crange		 cr;
	char				*buf;
	size_t				 len = strlen(c->in);

	/* Exactly len bytes, no NUL: the parser must stay inside. */
	buf = malloc(len + 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, c->in, len);
	ck_assert_msg(response_content_range(buf, len, &cr) == c->result,
	    "%s", c->in);
	if (c->result == 0) {
		ck_assert_int_eq(cr.unsatisfied, c->unsatisfied);
		ck_assert_uint_eq(cr.first, c->first);
		ck_assert_uint_eq(cr.last, c->last);
		ck_assert_int_eq(cr.has_size, c->has_size);
		ck_assert_uint_eq(cr.size, c->size);
	}
	free(buf);
}
END_TEST

/* The -r argument. */
struct spec_case {
	const char	*in;
	int		 ok;
};

static const struct spec_case specs[] = {
	{ "0-99", 1 }, { "100-", 1 }, { "-500", 1 }, { "0-0", 1 },
	{ "0-9,20-29", 1 }, { "0-9, 20-", 1 }, { "-1 , 5-5", 1 },
	{ "9223372036854775807-", 1 },
	{ "", 0 }, { "-", 0 }, { "5", 0 }, { "9-0", 0 }, { "a-b", 0 },
	{ "0-9,", 0 }, { ",0-9", 0 }, { "0--9", 0 }, { "0-9-", 0 },
	{ "bytes=0-9", 0 }, { "0-9;x", 0 }, { "99999999999999999999-", 0 },
	{ "0-9\r\nX: y", 0 },
};

START_TEST(test_range_spec_cases)
{
	const struct spec_case	*c = &specs[_i];

	ck_assert_msg(response_range_spec_ok(c->in) == c->ok, "%s", c->in);
}
END_TEST

START_TEST(test_range_spec_limit)
{
	char	buf[RESPONSE_RANGE_SPECS_MAX * 4 + 8];
	size_t	i, o = 0;

	for (i = 0; i < RESPONSE_RANGE_SPECS_MAX; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s-1",
		    i == 0 ? "" : ",");
	ck_assert_int_eq(response_range_spec_ok("-1"), 1);
	ck_assert_int_eq(response_range_spec_ok(buf), 1);
	snprintf(buf + o, sizeof(buf) - o, ",-1");
	ck_assert_int_eq(response_range_spec_ok(buf), 0);
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

	tc = tcase_create("chunked");
	tcase_add_loop_test(tc, test_chunked_cases, 0,
	    (int)(sizeof(chunks) / sizeof(chunks[0])));
	tcase_add_test(tc, test_chunked_long_lines);
	tcase_add_test(tc, test_chunked_data_spans_not_copied);
	suite_add_tcase(s, tc);

	tc = tcase_create("ranges");
	tcase_add_loop_test(tc, test_content_range_cases, 0,
	    (int)(sizeof(cranges) / sizeof(cranges[0])));
	tcase_add_loop_test(tc, test_range_spec_cases, 0,
	    (int)(sizeof(specs) / sizeof(specs[0])));
	tcase_add_test(tc, test_range_spec_limit);
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
