/*
 * check_http: unit tests for src/core/http.c, the HTTP/1.x syntax both
 * programs share: tokens, field-value bytes, comma-separated lists,
 * Accept-Encoding weights, reason phrases and the chunked decoder in
 * its two dialects (strict for the client, lenient for the server).
 *
 * Every chunked case is decoded three ways that must agree: in pieces
 * of every size (after a first piece of every length), one byte at a
 * time, and split in two at every offset.  Each piece is a fresh copy
 * followed by LF bytes that are not part of it, so a decoder that reads
 * past len is caught by a different answer (and by the sanitizers when
 * they are on).
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/util.h"

#define PAD	8	/* poison bytes after every buffer */
/* A string literal that may hold NUL bytes, with its length. */
#define S(lit)	lit, sizeof(lit) - 1

enum { D = HTTP_PARSE_DONE, A = HTTP_PARSE_AGAIN, E = HTTP_PARSE_ERROR };
enum { ST = HTTP_CHUNKED_STRICT, LE = HTTP_CHUNKED_LENIENT };

struct chunk_case {
	int		 mode;		/* ST or LE */
	const char	*in;
	size_t		 len;
	int		 result;
	const char	*body;		/* decoded so far */
	size_t		 rest;		/* bytes left after DONE */
	const char	*error;		/* when result is E */
	const char	*desc;		/* may be NULL */
	size_t		 bodylen;	/* 0: strlen(body) */
};

static Suite	*http_suite(void);
static char	*padded(const char *, size_t);
static char	*repeat(char, size_t, const char *, const char *);
static size_t	 case_bodylen(const struct chunk_case *);
static const char *case_name(const struct chunk_case *);
static int	 chunk_feed(const struct chunk_case *, size_t, size_t, char *,
		    size_t, size_t *, size_t *);
static enum http_parse chunk_piece(struct http_chunked *, const char *,
		    size_t, char *, size_t, size_t *, size_t *);
static enum http_parse chunk_skip(struct http_chunked *, const char *,
		    size_t, size_t *);

/* A fresh heap copy of n bytes followed by PAD poison LFs. */
static char *
padded(const char *s, size_t n)
{
	char	*p = malloc(n + PAD);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, n);
	memset(p + n, '\n', PAD);
	return p;
}

/* pre, then n times ch, then post, NUL-terminated. */
static char *
repeat(char ch, size_t n, const char *pre, const char *post)
{
	size_t	lp = strlen(pre), lq = strlen(post);
	char	*p = malloc(lp + n + lq + 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, pre, lp);
	memset(p + lp, ch, n);
	memcpy(p + lp + n, post, lq + 1);
	return p;
}

/* http_is_tchar, http_token_len (RFC 9110 5.6.2). */
static const struct {
	const char	*in;
	size_t		 len;
	size_t		 want;
} token_cases[] = {
	{ S("GET / HTTP/1.1"), 3 },
	{ S(""), 0 },
	{ S("!#$%&'*+-.^_`|~09azAZ"), 21 },
	{ S("Content-Length: 5"), 14 },
	{ S("a b"), 1 },
	{ S("(x)"), 0 },
	{ S("x\"y"), 1 },
	{ S("a,b"), 1 },
	{ S("a;b"), 1 },
	{ S("a/b"), 1 },
	{ S("a\0b"), 1 },
	{ S("\xc3\xa9t\xc3\xa9"), 0 },
	{ S("a\x7f"), 1 },
	{ "abc", 2, 2 },	/* len bounds the token */
};

START_TEST(test_token_len)
{
	size_t	got;

	got = http_token_len(token_cases[_i].in, token_cases[_i].len);

	ck_assert_msg(got == token_cases[_i].want, "\"%.*s\": %zu, want %zu",
	    (int)token_cases[_i].len, token_cases[_i].in, got,
	    token_cases[_i].want);
}
END_TEST

/* Every byte value: tchar exactly when RFC 9110 5.6.2 says so. */
START_TEST(test_tchar_bytes)
{
	int	c, want;

	for (c = 0; c < 256; c++) {
		want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != 0 &&
		    strchr("!#$%&'*+-.^_`|~", c) != NULL);
		ck_assert_msg((http_is_tchar(c) != 0) == want, "byte %d", c);
	}
}
END_TEST

/*
 * Every byte value through the class table: http_token_len stops at the
 * first non-tchar wherever it is, and http_text_ok refuses exactly the
 * controls other than HTAB, and DEL (RFC 9110 5.5), wherever they are.
 */
START_TEST(test_class_bytes)
{
	char	buf[5];
	int	c, tchar, text;

	for (c = 0; c < 256; c++) {
		tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != 0 &&
		    strchr("!#$%&'*+-.^_`|~", c) != NULL);
		text = !((c < 0x20 && c != '\t') || c == 0x7f);
		memcpy(buf, "ab", 2);
		buf[2] = (char)c;
		memcpy(buf + 3, "cd", 2);
		ck_assert_msg(http_token_len(buf, 5) == (tchar ? 5U : 2U),
		    "byte %d in a token", c);
		ck_assert_msg(http_token_len(buf + 2, 1) == (tchar ? 1U : 0U),
		    "byte %d alone", c);
		ck_assert_msg((http_text_ok(buf, 5) != 0) == text,
		    "byte %d in a value", c);
		ck_assert_msg((http_text_ok(buf + 2, 1) != 0) == text,
		    "byte %d alone in a value", c);
	}
	/* Out of a byte's range: never a tchar. */
	ck_assert_int_eq(http_is_tchar(-1), 0);
	ck_assert_int_eq(http_is_tchar(256 + 'a'), 0);
}
END_TEST

/* http_text_ok: field values and reason phrases (RFC 9110 5.5). */
static const struct {
	const char	*in;
	size_t		 len;
	int		 want;
} text_cases[] = {
	{ S(""), 1 },
	{ S("text/html; charset=utf-8"), 1 },
	{ S("a\tb c"), 1 },
	{ S("obs-text \x80\xff"), 1 },
	{ S("a\0b"), 0 },
	{ S("a\rb"), 0 },
	{ S("a\nb"), 0 },
	{ S("\x1b[31m"), 0 },
	{ S("a\x7f"), 0 },
	{ S("\x01"), 0 },
	{ "ok\r", 2, 1 },	/* len bounds the value */
};

START_TEST(test_text_ok)
{
	int	got = http_text_ok(text_cases[_i].in, text_cases[_i].len);

	ck_assert_msg((got != 0) == text_cases[_i].want, "case %d: %d", _i,
	    got);
}
END_TEST

/*
 * http_list_next: the members of a list (RFC 9110 5.6.1), OWS removed,
 * empty ones included, joined with '|' here.
 */
static const struct {
	const char	*list;
	size_t		 n;		/* members */
	const char	*want;
} next_cases[] = {
	{ "", 1, "" },
	{ "a", 1, "a" },
	{ "a,b", 2, "a|b" },
	{ " a , b ", 2, "a|b" },
	{ "\ta\t,\tb", 2, "a|b" },
	{ "a,", 2, "a|" },
	{ ",a", 2, "|a" },
	{ ",,", 3, "||" },
	{ " , ", 2, "|" },
	{ "a b, c", 2, "a b|c" },
	{ "gzip;q=0.5, br", 2, "gzip;q=0.5|br" },
};

START_TEST(test_list_next)
{
	const char	*p = next_cases[_i].list, *end = p + strlen(p);
	struct http_str	 e;
	char		 got[64];
	size_t		 n = 0, o = 0;

	while (http_list_next(&p, end, &e)) {
		ck_assert_uint_lt(o + e.len + 1, sizeof(got));
		if (n++ > 0)
			got[o++] = '|';
		memcpy(got + o, e.p, e.len);
		o += e.len;
	}
	got[o] = '\0';
	ck_assert_ptr_null(p);
	ck_assert_msg(n == next_cases[_i].n && strcmp(got,
	    next_cases[_i].want) == 0, "\"%s\": %zu members \"%s\"",
	    next_cases[_i].list, n, got);
	/* At the end it stays at the end. */
	ck_assert_int_eq(http_list_next(&p, end, &e), 0);
}
END_TEST

/* http_str_caseeq: whole tokens, ASCII case ignored. */
START_TEST(test_str_caseeq)
{
	struct http_str	s = { "Keep-Alive, x", 10 };

	ck_assert_int_eq(http_str_caseeq(&s, "keep-alive"), 1);
	ck_assert_int_eq(http_str_caseeq(&s, "KEEP-ALIVE"), 1);
	ck_assert_int_eq(http_str_caseeq(&s, "keep-aliv"), 0);
	ck_assert_int_eq(http_str_caseeq(&s, "keep-alive,"), 0);
	s.len = 0;
	ck_assert_int_eq(http_str_caseeq(&s, ""), 1);
	ck_assert_int_eq(http_str_caseeq(&s, "k"), 0);
}
END_TEST


/* http_list_has: RFC 9110 5.6.1 lists, tokens compared ignoring case. */
static const struct {
	const char	*desc;
	const char	*list;
	size_t		 len;		/* 0: strlen */
	const char	*token;
	int		 want;
} list_cases[] = {
	{ "single", "close", 0, "close", 1 },
	{ "case-insensitive", "Close", 0, "close", 1 },
	{ "second element", "keep-alive, close", 0, "close", 1 },
	{ "first element", "keep-alive, close", 0, "keep-alive", 1 },
	{ "OWS around", " \tclose\t , x", 0, "close", 1 },
	{ "no OWS", "a,close,b", 0, "close", 1 },
	{ "empty elements", ",, ,close,,", 0, "close", 1 },
	{ "longer token", "closed", 0, "close", 0 },
	{ "prefix of token", "clos", 0, "close", 0 },
	{ "token with a prefix", "xclose", 0, "close", 0 },
	{ "inner space", "clo se", 0, "close", 0 },
	{ "empty list", "", 0, "close", 0 },
	{ "only commas", ",,,", 0, "close", 0 },
	{ "len bounds the list", "close", 4, "close", 0 },
	{ "len bounds the list, later element", "a, close", 5, "close", 0 },
	{ "not in the list", "keep-alive, Upgrade", 0, "close", 0 },
	{ "upgrade found", "keep-alive, Upgrade", 0, "upgrade", 1 },
};

START_TEST(test_list_has)
{
	size_t	len = list_cases[_i].len != 0 ? list_cases[_i].len :
		    strlen(list_cases[_i].list);
	int	got = http_list_has(list_cases[_i].list, len,
		    list_cases[_i].token);

	ck_assert_msg((got != 0) == list_cases[_i].want,
	    "%s: \"%.*s\" has \"%s\": %d", list_cases[_i].desc, (int)len,
	    list_cases[_i].list, list_cases[_i].token, got);
}
END_TEST

START_TEST(test_reason_phrases)
{
	ck_assert_str_eq(http_reason(200), "OK");
	ck_assert_str_eq(http_reason(206), "Partial Content");
	ck_assert_str_eq(http_reason(304), "Not Modified");
	ck_assert_str_eq(http_reason(404), "Not Found");
	ck_assert_str_eq(http_reason(412), "Precondition Failed");
	ck_assert_str_eq(http_reason(416), "Range Not Satisfiable");
	ck_assert_str_eq(http_reason(505), "HTTP Version Not Supported");
	ck_assert_str_eq(http_reason(999), "Unknown");
}
END_TEST

/*
 * The chunked decoder (RFC 9112 7.1), both dialects.  ST rows are the
 * client's (CRLF only, 64-bit sizes), LE rows the server's (bare LF
 * accepted, RFC 9112 2.2; at most HTTP_CHUNK_SIZE_DIGITS digits).
 */
static const struct chunk_case chunks[] = {
	{ ST, S("5\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL, NULL, 0 },
	{ ST, S("3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n"), D, "abcdef", 0,
	    NULL, NULL, 0 },
	{ ST, S("A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n"), D,
	    "0123456789abcdefghij", 0, NULL, NULL, 0 },
	{ ST, S("0005\r\nhello\r\n000\r\n\r\n"), D, "hello", 0, NULL, NULL, 0 },
	{ ST, S("0\r\n\r\n"), D, "", 0, NULL, NULL, 0 },
	{ ST, S("0\r\n\r\nHTTP/1.1 200 OK\r\n"), D, "", 17, NULL, NULL, 0 },
	{ ST, S("2\r\n\r\n\r\n0\r\n\r\n"), D, "\r\n", 0, NULL, NULL, 0 },
	/* Extensions are ignored, BWS before them allowed. */
	{ ST, S("5;name=value\r\nhello\r\n0;last\r\n\r\n"), D, "hello", 0,
	    NULL, NULL, 0 },
	{ ST, S("5 ;x=\"q;uoted\"\r\nhello\r\n0\t;y\r\n\r\n"), D, "hello", 0,
	    NULL, NULL, 0 },
	{ ST, S("5 \r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL, NULL, 0 },
	/* Trailers are skipped. */
	{ ST, S("5\r\nhello\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n"), D, "hello", 0,
	    NULL, NULL, 0 },
	{ ST, S("0\r\nX: \xff\r\n\r\nnext"), D, "", 4, NULL, NULL, 0 },
	/* Bad sizes. */
	{ ST, S("g\r\n"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("5x\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("\r\n"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S(" 5\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("-1\r\n"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("0x5\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("5 5\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("10000000000000000\r\n"), E, "", 0, "chunk size too large",
	    NULL, 0 },
	{ ST, S("000000000000000000010\r\nab"), A, "ab", 0, NULL, NULL, 0 },
	{ ST, S("ffffffffffffffff\r\nab"), A, "ab", 0, NULL, NULL, 0 },
	/* Missing CRLF. */
	{ ST, S("5\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "missing CRLF after chunk size", NULL, 0 },
	{ ST, S("5\r\rhello\r\n0\r\n\r\n"), E, "", 0,
	    "missing CRLF after chunk size", NULL, 0 },
	{ ST, S("5;x\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "missing CRLF after chunk size", NULL, 0 },
	{ ST, S("5\r\nhelloX\r\n0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data", NULL, 0 },
	{ ST, S("5\r\nhello\n0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data", NULL, 0 },
	{ ST, S("5\r\nhello\rX0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data", NULL, 0 },
	{ ST, S("0\r\n\rX"), E, "", 0, "missing CRLF in trailer section", NULL,
	    0 },
	{ ST, S("0\r\nX: 1\rY"), E, "", 0, "missing CRLF in trailer section",
	    NULL, 0 },
	{ ST, S("0\r\nX: 1\n\r\n"), E, "", 0, "bare LF in trailer section",
	    NULL, 0 },
	{ ST, S("0\r\n\n"), E, "", 0, "bare LF in trailer section", NULL, 0 },
	{ ST, S("5\r\nhello\r\n0\r\nX: 1\r\n\n"), E, "hello", 0,
	    "bare LF in trailer section", NULL, 0 },
	/* More sizes: case, zeros, signs, a last chunk with data after. */
	{ ST, S("aB\r\n" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "01234567890"
	    "\r\n0\r\n\r\n"), D, "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "01234567890", 0, NULL, NULL, 0 },
	{ ST, S("+5\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("5.0\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("\t5\r\nhello"), E, "", 0, "invalid chunk size", NULL, 0 },
	{ ST, S("5\r\nhello\r\n\r\n"), E, "hello", 0, "invalid chunk size",
	    NULL, 0 },
	{ ST, S("0000000000000000000000000000001\r\nx\r\n0\r\n\r\n"), D, "x",
	    0, NULL, NULL, 0 },
	{ ST, S("fffffffffffffffff\r\n"), E, "", 0, "chunk size too large",
	    NULL, 0 },
	{ ST, S("5\r\nhello\r\n0\r\n\r\n\r\n"), D, "hello", 2, NULL, NULL, 0 },
	/* Trailer lines are skipped unread: obs-fold there changes nothing. */
	{ ST, S("5\r\nhello\r\n0\r\nX: a\r\n folded\r\n\r\n"), D, "hello", 0,
	    NULL, NULL, 0 },
	{ ST, S("0\r\nContent-Length: 99\r\nTransfer-Encoding: x\r\n\r\n"), D,
	    "", 0, NULL, NULL, 0 },
	{ ST, S("5;a\0b\r\nhello"), E, "", 0, "invalid chunk extension", NULL,
	    0 },
	/* Incomplete. */
	{ ST, S(""), A, "", 0, NULL, NULL, 0 },
	{ ST, S("5"), A, "", 0, NULL, NULL, 0 },
	{ ST, S("5\r\nhel"), A, "hel", 0, NULL, NULL, 0 },
	{ ST, S("5\r\nhello\r\n"), A, "hello", 0, NULL, NULL, 0 },
	{ ST, S("5\r\nhello\r\n0\r\n"), A, "hello", 0, NULL, NULL, 0 },
	{ ST, S("5\r\nhello\r\n0\r\nX: y\r\n"), A, "hello", 0, NULL, NULL, 0 },
	/* The server's dialect. */
	{ LE, S("0\r\n\r\n"), D, "", 0, NULL, "last chunk only", 0 },
	{ LE, S("5\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL,
	    "one chunk", 0 },
	{ LE, S("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), D, "hello world",
	    0, NULL, "two chunks", 0 },
	{ LE, S("A\r\n0123456789\r\n0\r\n\r\n"), D, "0123456789", 0, NULL,
	    "upper-case hex", 0 },
	{ LE, S("a\r\n0123456789\r\n0\r\n\r\n"), D, "0123456789", 0, NULL,
	    "lower-case hex", 0 },
	{ LE, S("005\r\nhello\r\n000\r\n\r\n"), D, "hello", 0, NULL,
	    "leading zeros", 0 },
	{ LE, S("000000000000005\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL,
	    "15 hex digits is the limit", 0 },
	{ LE, S("5;name=value\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL,
	    "extension (RFC 9112 7.1.1)", 0 },
	{ LE, S("5 ; a = b\r\nhello\r\n0 ;x\r\n\r\n"), D, "hello", 0, NULL,
	    "extension with BWS (RFC 9112 7.1.1)", 0 },
	{ LE, S("5;a=\"x y;z\"\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL,
	    "quoted extension value (RFC 9112 7.1.1)", 0 },
	{ LE, S("0;last=yes\r\n\r\n"), D, "", 0, NULL,
	    "extension on the last chunk (RFC 9112 7.1.1)", 0 },
	{ LE, S("5\r\nhello\r\n0\r\nX-Trailer: 1\r\nY: two\r\n\r\n"), D,
	    "hello", 0, NULL, "trailer fields (RFC 9112 7.1.2)", 0 },
	{ LE, S("5\nhello\n0\nT: 1\n\n"), D, "hello", 0, NULL,
	    "bare LF everywhere (RFC 9112 2.2)", 0 },
	{ LE, S("5\r\nhello\n0\r\n\r\n"), D, "hello", 0, NULL,
	    "bare LF after data only", 0 },
	{ LE, S("4\r\n\r\n\r\n\r\n0\r\n\r\n"), D, "\r\n\r\n", 0, NULL,
	    "CR LF inside the data is data", 0 },
	{ LE, S("5\r\n0\r\n\r\n\r\n0\r\n\r\n"), D, "0\r\n\r\n", 0, NULL,
	    "a fake last chunk inside the data is data", 0 },
	{ LE, S("3\r\n\0\0\0\r\n0\r\n\r\n"), D, "\0\0\0", 0, NULL,
	    "NUL bytes in the data", 3 },
	{ LE, S("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n"), D, "abc", 16,
	    NULL, "next request after the body is not consumed", 0 },
	{ LE, S("x\r\n"), E, "", 0, "invalid chunk size",
	    "not hex (RFC 9112 7.1)", 0 },
	{ LE, S("\r\n"), E, "", 0, "invalid chunk size",
	    "empty size line (RFC 9112 7.1)", 0 },
	{ LE, S("-5\r\nhello\r\n0\r\n\r\n"), E, "", 0, "invalid chunk size",
	    "negative size (RFC 9112 7.1)", 0 },
	{ LE, S("0x5\r\nhello\r\n0\r\n\r\n"), E, "", 0, "invalid chunk size",
	    "0x prefix (RFC 9112 7.1)", 0 },
	{ LE, S(" 5\r\nhello\r\n"), E, "", 0, "invalid chunk size",
	    "space before the size (RFC 9112 7.1)", 0 },
	{ LE, S("0000000000000001\r\nx\r\n0\r\n\r\n"), E, "", 0,
	    "chunk size too large", "16 hex digits: too many", 0 },
	{ LE, S("fffffffffffffffff\r\n"), E, "", 0, "chunk size too large",
	    "size overflowing 64 bits", 0 },
	{ LE, S("5\rhello\r\n"), E, "", 0, "missing CRLF after chunk size",
	    "size line CR without LF", 0 },
	{ LE, S("5\r\nhelloX0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data",
	    "missing CRLF after the data (RFC 9112 7.1)", 0 },
	{ LE, S("5\r\nhello\rX\n0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data", "CR then junk after the data", 0 },
	{ LE, S("5\r\nhello world\r\n0\r\n\r\n"), E, "hello", 0,
	    "missing CRLF after chunk data", "data longer than the size", 0 },
	{ LE, S("6\r\nhello\r\n\r\n0\r\n\r\n"), E, "hello\r", 0,
	    "invalid chunk size", "data shorter than the size", 0 },
	{ LE, S("5;a\x01=b\r\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "invalid chunk extension", "control byte in an extension", 0 },
	{ LE, S("5;a\0b\r\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "invalid chunk extension", "NUL in an extension", 0 },
	{ LE, S("0\r\n\rX"), E, "", 0, "missing CRLF in trailer section",
	    "last chunk: CR then junk", 0 },
	{ LE, S("5x\r\nhello\r\n0\r\n\r\n"), E, "", 0, "invalid chunk size",
	    "other junk after the size", 0 },
	/* Where the dialects part. */
	{ LE, S("5 x\r\nhello\r\n0\r\n\r\n"), D, "hello", 0, NULL,
	    "lenient: anything after BWS is an extension", 0 },
	{ ST, S("5 x\r\nhello\r\n0\r\n\r\n"), E, "", 0, "invalid chunk size",
	    "strict: only ';' after BWS", 0 },
	{ LE, S("5;a\rb\x7f\r\nhello\r\n0\r\nX: a\rb\r\n\r\n"), D, "hello", 0,
	    NULL, "lenient: CR and DEL inside an extension or a trailer", 0 },
	{ ST, S("5;a\x7f\r\nhello\r\n0\r\n\r\n"), E, "", 0,
	    "invalid chunk extension", "strict: DEL in an extension", 0 },
	{ LE, S("000000000000000000010\r\nab"), E, "", 0,
	    "chunk size too large", "lenient: leading zeros count as digits",
	    0 },
	/* Incomplete. */
	{ LE, S(""), A, "", 0, NULL, "lenient: nothing yet", 0 },
	{ LE, S("5\r\nhel"), A, "hel", 0, NULL, "lenient: inside the data", 0 },
	{ LE, S("5\r\nhello\n0\n"), A, "hello", 0, NULL,
	    "lenient: before the end of the trailer section", 0 },
};

static size_t
case_bodylen(const struct chunk_case *c)
{
	return c->bodylen != 0 ? c->bodylen : strlen(c->body);
}

static const char *
case_name(const struct chunk_case *c)
{
	return c->desc != NULL ? c->desc : c->in;
}

/*
 * Decodes one piece, a fresh padded copy of buf[0..len), until the
 * decoder stops or the piece is used up.  Appends the data to
 * out[*outlen..outsz) and adds the bytes consumed to *used.
 */
static enum http_parse
chunk_piece(struct http_chunked *c, const char *buf, size_t len, char *out,
    size_t outsz, size_t *outlen, size_t *used)
{
	char		*p = padded(buf, len);
	const char	*data;
	size_t		 off = 0, u, dlen;
	enum http_parse	 r;

	do {
		r = http_chunked(c, p + off, len - off, &u, &data, &dlen);
		ck_assert_uint_le(u, len - off);
		if (dlen > 0) {
			ck_assert(data >= p + off &&
			    data + dlen <= p + off + u);
			ck_assert_uint_le(*outlen + dlen, outsz);
			memcpy(out + *outlen, data, dlen);
			*outlen += dlen;
		}
		off += u;
		/* AGAIN must make progress while input remains. */
		if (r == HTTP_PARSE_AGAIN && off < len)
			ck_assert_uint_gt(u, 0);
	} while (r == HTTP_PARSE_AGAIN && off < len);
	if (r == HTTP_PARSE_ERROR)
		ck_assert_ptr_nonnull(c->error);
	*used += off;
	free(p);
	return r;
}

/*
 * Feeds the case in pieces of step bytes after a first piece of cut
 * bytes (0: none), as reads would deliver them.  Returns the final
 * result; *left gets the bytes not consumed after DONE.
 */
static int
chunk_feed(const struct chunk_case *cc, size_t step, size_t cut, char *out,
    size_t outsz, size_t *outlen, size_t *left)
{
	struct http_chunked	 c;
	size_t			 off = 0, end, used;
	enum http_parse		 res = HTTP_PARSE_AGAIN;

	http_chunked_init(&c, (enum http_chunked_mode)cc->mode);
	*outlen = 0;
	*left = 0;
	while (off < cc->len) {
		end = cut != 0 && off < cut ? cut : off + step;
		if (end > cc->len)
			end = cc->len;
		used = 0;
		res = chunk_piece(&c, cc->in + off, end - off, out, outsz,
		    outlen, &used);
		off += used;
		if (res == HTTP_PARSE_DONE)
			*left = cc->len - off;
		if (res != HTTP_PARSE_AGAIN)
			return res;
		ck_assert_uint_eq(off, end);
	}
	return res;
}

/* In pieces of every size, after a first piece of every length. */
START_TEST(test_chunked_cases)
{
	const struct chunk_case	*c = &chunks[_i];
	struct http_chunked	 st;
	char			 out[256];
	size_t			 outlen, left, cut, step, used = 0;
	int			 res;

	for (step = 1; step <= c->len + 1; step++) {
		for (cut = 0; cut < (step == 1 ? c->len : 1); cut++) {
			res = chunk_feed(c, step, cut, out, sizeof(out),
			    &outlen, &left);
			ck_assert_msg(res == c->result,
			    "%s: step %zu cut %zu: %d", case_name(c), step,
			    cut, res);
			ck_assert_msg(outlen == case_bodylen(c) &&
			    memcmp(out, c->body, outlen) == 0,
			    "%s: step %zu cut %zu: body \"%.*s\"", case_name(c),
			    step, cut, (int)outlen, out);
			if (res == HTTP_PARSE_DONE)
				ck_assert_uint_eq(left, c->rest);
		}
	}
	/* The error message, from one whole-buffer run. */
	if (c->result == HTTP_PARSE_ERROR) {
		http_chunked_init(&st, (enum http_chunked_mode)c->mode);
		outlen = 0;
		res = chunk_piece(&st, c->in, c->len, out, sizeof(out),
		    &outlen, &used);
		ck_assert_int_eq(res, HTTP_PARSE_ERROR);
		ck_assert_uint_le(used, c->len);
		ck_assert_msg(strcmp(st.error, c->error) == 0, "%s: \"%s\"",
		    case_name(c), st.error);
		/* The error sticks. */
		ck_assert_int_eq(chunk_piece(&st, "0\r\n\r\n", 5, out,
		    sizeof(out), &outlen, &used), HTTP_PARSE_ERROR);
	}
}
END_TEST

/*
 * One byte at a time, each in its own buffer: every byte is consumed
 * until the decoder stops, and the end is the same.
 */
START_TEST(test_chunked_bytewise)
{
	const struct chunk_case	*c = &chunks[_i];
	struct http_chunked	 st;
	char			 out[256];
	size_t			 i, used, outlen = 0, total = 0;
	enum http_parse		 r = HTTP_PARSE_AGAIN;

	http_chunked_init(&st, (enum http_chunked_mode)c->mode);
	for (i = 0; i < c->len && r == HTTP_PARSE_AGAIN; i++) {
		used = 0;
		r = chunk_piece(&st, c->in + i, 1, out, sizeof(out), &outlen,
		    &used);
		ck_assert_msg(used == (r == HTTP_PARSE_ERROR ? 0 : 1),
		    "%s: byte %zu consumed %zu", case_name(c), i, used);
		total += used;
	}
	ck_assert_msg((int)r == c->result, "%s: bytewise %d", case_name(c),
	    r);
	ck_assert_uint_eq(outlen, case_bodylen(c));
	ck_assert(memcmp(out, c->body, outlen) == 0);
	if (r == HTTP_PARSE_DONE)
		ck_assert_uint_eq(total, c->len - c->rest);
}
END_TEST

/* Split in two at every offset, each piece in its own buffer. */
START_TEST(test_chunked_split)
{
	const struct chunk_case	*c = &chunks[_i];
	struct http_chunked	 st;
	char			 out[256];
	size_t			 k, u1, u2, outlen;
	enum http_parse		 r;

	for (k = 0; k <= c->len; k++) {
		http_chunked_init(&st, (enum http_chunked_mode)c->mode);
		outlen = u1 = u2 = 0;
		r = chunk_piece(&st, c->in, k, out, sizeof(out), &outlen, &u1);
		if (r == HTTP_PARSE_AGAIN) {
			ck_assert_msg(u1 == k, "%s: split %zu: AGAIN consumed "
			    "%zu", case_name(c), k, u1);
			r = chunk_piece(&st, c->in + k, c->len - k, out,
			    sizeof(out), &outlen, &u2);
		}
		ck_assert_msg((int)r == c->result, "%s: split %zu: %d",
		    case_name(c), k, r);
		ck_assert_uint_eq(outlen, case_bodylen(c));
		ck_assert(memcmp(out, c->body, outlen) == 0);
		if (r == HTTP_PARSE_DONE)
			ck_assert_msg(u1 + u2 == c->len - c->rest,
			    "%s: split %zu: used %zu + %zu", case_name(c), k,
			    u1, u2);
	}
}
END_TEST

/* Runs the decoder over buf[0..len) as conn.c drops a request body. */
static enum http_parse
chunk_skip(struct http_chunked *c, const char *buf, size_t len, size_t *used)
{
	const char	*data;
	size_t		 u, dlen;
	enum http_parse	 r;

	*used = 0;
	do {
		r = http_chunked(c, buf + *used, len - *used, &u, &data, &dlen);
		*used += u;
	} while (r == HTTP_PARSE_AGAIN && *used < len);
	return r;
}

/* Lenient: extension and trailer lines are bounded one by one. */
START_TEST(test_chunked_long_lines_lenient)
{
	struct http_chunked	 c;
	char			*s;
	size_t			 used;

	s = repeat('a', 10000, "5;", "\r\nhello\r\n0\r\n\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_ERROR);
	ck_assert_str_eq(c.error, "chunk size line too long");
	free(s);

	s = repeat('b', 10000, "0\r\nX: ", "\r\n\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_ERROR);
	ck_assert_str_eq(c.error, "trailer line too long");
	free(s);

	/* A reasonable extension and trailer are fine. */
	s = repeat('c', 100, "5;", "\r\nhello\r\n0\r\nX: y\r\n\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_DONE);
	ck_assert_uint_eq(used, strlen(s));
	free(s);

	/* The bounds: HTTP_CHUNK_LINE_MAX bytes after ';' (CR included). */
	s = repeat('d', HTTP_CHUNK_LINE_MAX - 1, "5;", "\r\nhello\r\n0\r\n"
	    "\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_DONE);
	free(s);
	s = repeat('d', HTTP_CHUNK_LINE_MAX, "5;", "\r\nhello\r\n0\r\n\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_ERROR);
	free(s);
	/* ... and HTTP_CHUNK_LINE_MAX bytes in a trailer line before LF. */
	s = repeat('e', HTTP_CHUNK_LINE_MAX - 1, "0\r\nX", "\n\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_DONE);
	free(s);
	s = repeat('e', HTTP_CHUNK_LINE_MAX, "0\r\nX", "\n\r\n");
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, s, strlen(s), &used),
	    HTTP_PARSE_ERROR);
	free(s);
}
END_TEST

/* Strict: the size line as a whole, the trailer section in total. */
START_TEST(test_chunked_long_lines_strict)
{
	struct http_chunked	 c;
	static char		 buf[HTTP_CHUNK_TRAILER_MAX + 64];
	const char		*data;
	size_t			 used, dlen, n;

	/* A size line with HTTP_CHUNK_LINE_MAX bytes is fine. */
	n = HTTP_CHUNK_LINE_MAX;
	buf[0] = '1';
	buf[1] = ';';
	memset(buf + 2, 'x', n - 2);
	http_chunked_init(&c, HTTP_CHUNKED_STRICT);
	ck_assert_int_eq(http_chunked(&c, buf, n, &used, &data, &dlen),
	    HTTP_PARSE_AGAIN);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(http_chunked(&c, "x", 1, &used, &data, &dlen),
	    HTTP_PARSE_ERROR);
	ck_assert_str_eq(c.error, "chunk size line too long");

	/* An endless trailer section. */
	memcpy(buf, "0\r\n", 3);
	memset(buf + 3, 'x', sizeof(buf) - 3);
	http_chunked_init(&c, HTTP_CHUNKED_STRICT);
	ck_assert_int_eq(http_chunked(&c, buf, sizeof(buf), &used, &data,
	    &dlen), HTTP_PARSE_ERROR);
	ck_assert_str_eq(c.error, "trailer section too large");
	ck_assert_uint_eq(used, 3 + HTTP_CHUNK_TRAILER_MAX);
}
END_TEST

/* A big chunk is skipped in pieces, whatever the data holds. */
START_TEST(test_chunked_large_chunk)
{
	static const char	head[] = "100000\r\n";
	static const char	tail[] = "\r\n0\r\n\r\n";
	struct http_chunked	c;
	char			data[4096];
	size_t			used, left = 0x100000;
	enum http_parse		r;

	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, head, sizeof(head) - 1, &used),
	    HTTP_PARSE_AGAIN);
	ck_assert_uint_eq(used, sizeof(head) - 1);
	memset(data, '\n', sizeof(data));	/* looks like line ends */
	while (left > 0) {
		size_t	n = left < sizeof(data) ? left : sizeof(data);

		r = chunk_skip(&c, data, n, &used);
		ck_assert_int_eq(r, HTTP_PARSE_AGAIN);
		ck_assert_uint_eq(used, n);
		left -= n;
	}
	ck_assert_int_eq(chunk_skip(&c, tail, sizeof(tail) - 1, &used),
	    HTTP_PARSE_DONE);
	ck_assert_uint_eq(used, sizeof(tail) - 1);
}
END_TEST

START_TEST(test_chunked_empty_input)
{
	struct http_chunked	c;
	const char		*data = "x";
	size_t			used = 99, dlen = 99;

	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(http_chunked(&c, "", 0, &used, &data, &dlen),
	    HTTP_PARSE_AGAIN);
	ck_assert_uint_eq(used, 0);
	ck_assert_ptr_null(data);
	ck_assert_uint_eq(dlen, 0);
}
END_TEST

START_TEST(test_chunked_data_spans_not_copied)
{
	static const char	 in[] = "4\r\nabcd\r\n0\r\n\r\n";
	struct http_chunked	 c;
	const char		*data;
	size_t			 used, dlen;

	http_chunked_init(&c, HTTP_CHUNKED_STRICT);
	ck_assert_int_eq(http_chunked(&c, in, sizeof(in) - 1, &used,
	    &data, &dlen), HTTP_PARSE_AGAIN);
	ck_assert_ptr_eq(data, in + 3);
	ck_assert_uint_eq(dlen, 4);
	ck_assert_uint_eq(used, 7);
	ck_assert_int_eq(http_chunked(&c, in + used, sizeof(in) - 1 - used,
	    &used, &data, &dlen), HTTP_PARSE_DONE);
	ck_assert_uint_eq(dlen, 0);
	/* DONE again with nothing consumed. */
	ck_assert_int_eq(http_chunked(&c, "x", 1, &used, &data, &dlen),
	    HTTP_PARSE_DONE);
	ck_assert_uint_eq(used, 0);
}
END_TEST

/* A zeroed decoder is a strict one; init picks the dialect. */
START_TEST(test_chunked_init)
{
	struct http_chunked	c;
	size_t			used;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(chunk_skip(&c, "1\nx\n0\n\n", 7, &used),
	    HTTP_PARSE_ERROR);
	memset(&c, 0xa5, sizeof(c));
	http_chunked_init(&c, HTTP_CHUNKED_LENIENT);
	ck_assert_int_eq(chunk_skip(&c, "1\nx\n0\n\n", 7, &used),
	    HTTP_PARSE_DONE);
	ck_assert_ptr_null(c.error);
	http_chunked_init(&c, HTTP_CHUNKED_STRICT);
	ck_assert_int_eq(chunk_skip(&c, "1\r\nx\r\n0\r\n\r\n", 11, &used),
	    HTTP_PARSE_DONE);
}
END_TEST

static Suite *
http_suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*tc;

	tc = tcase_create("syntax");
	tcase_add_loop_test(tc, test_token_len, 0,
	    (int)UTIL_ARRAY_LEN(token_cases));
	tcase_add_test(tc, test_tchar_bytes);
	tcase_add_test(tc, test_class_bytes);
	tcase_add_loop_test(tc, test_text_ok, 0,
	    (int)UTIL_ARRAY_LEN(text_cases));
	tcase_add_loop_test(tc, test_list_next, 0,
	    (int)UTIL_ARRAY_LEN(next_cases));
	tcase_add_test(tc, test_str_caseeq);
	tcase_add_loop_test(tc, test_list_has, 0,
	    (int)UTIL_ARRAY_LEN(list_cases));
	tcase_add_test(tc, test_reason_phrases);
	suite_add_tcase(s, tc);

	tc = tcase_create("chunked");
	tcase_add_loop_test(tc, test_chunked_cases, 0,
	    (int)UTIL_ARRAY_LEN(chunks));
	tcase_add_loop_test(tc, test_chunked_bytewise, 0,
	    (int)UTIL_ARRAY_LEN(chunks));
	tcase_add_loop_test(tc, test_chunked_split, 0,
	    (int)UTIL_ARRAY_LEN(chunks));
	tcase_add_test(tc, test_chunked_long_lines_lenient);
	tcase_add_test(tc, test_chunked_long_lines_strict);
	tcase_add_test(tc, test_chunked_large_chunk);
	tcase_add_test(tc, test_chunked_empty_input);
	tcase_add_test(tc, test_chunked_data_spans_not_copied);
	tcase_add_test(tc, test_chunked_init);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(http_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
