/*
 * check_request: unit tests for src/core/request.c, the server's
 * HTTP/1.x request head parser.  Each rule names the section of RFC
 * 9110 (semantics) or RFC 9112 (HTTP/1.1 message syntax) it checks.
 *
 * Resumability is checked on every request case: feeding the bytes one
 * at a time (same parser state, growing length), or in two pieces split
 * at every offset, must give exactly what feeding them all at once gives.
 * Every buffer handed to the parser is a fresh copy followed by LF bytes
 * that are not part of it, so a parser that reads past len is caught by
 * a different answer (and by the sanitizers when they are on).
 */
#include "config.h"

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/request.h"
#include "core/util.h"

#define PAD		8	/* poison bytes after every buffer */
#define DEF_MAX_HEAD	8192
#define DEF_MAX_HDRS	100

/* Expectation encodings: 0 always means "not checked". */
#define METHOD(m)	((int)(m) + 1)
#define V10		10
#define V11		11
#define KA_YES		1
#define KA_NO		2
#define CL(n)		((int64_t)(n) + 1)
#define NO_CL		(-1)
#define TE_YES		1
#define TE_NO		2
/* An input with NUL bytes: length from the literal. */
#define BIN(lit)	.in = (lit), .len = sizeof(lit) - 1

struct req_case {
	const char	*desc;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	enum http_parse	 want;
	int		 status;	/* for HTTP_PARSE_ERROR */
	size_t		 max_head;	/* 0: DEF_MAX_HEAD */
	size_t		 max_headers;	/* 0: DEF_MAX_HDRS */
	int		 method;	/* METHOD(x) */
	const char	*method_name;
	const char	*target;
	const char	*path;
	int		 path_cut_query; /* compare path up to '?' only */
	int		 version;	/* V10 or V11 */
	int		 ka;		/* KA_YES or KA_NO */
	const char	*host;
	int64_t		 cl;		/* CL(n) or NO_CL */
	int		 te;		/* TE_YES or TE_NO */
	size_t		 tail;		/* bytes after the head */
};

static Suite	*request_suite(void);
static size_t	 case_len(const struct req_case *);
static void	 case_limits(const struct req_case *, struct request_limits *);
static char	*padded(const char *, size_t);
static enum http_parse parse_once(const char *, size_t,
		    const struct request_limits *, struct request *, int *,
		    char **);
static const char *parse_name(enum http_parse);
static int	 str_is(struct http_str, const char *);
static void	 check_case(const struct req_case *, enum http_parse, int,
		    const struct request *);
static int	 same_str(struct http_str, struct http_str);
static void	 same_request(const char *, const struct request *,
		    const struct request *);
static void	 check_bytewise(const struct req_case *);
static void	 check_split(const struct req_case *);

/*
 * Request heads that parse.  RFC sections: 9112 3 request line, 9112 2.2
 * message parsing, 9112 3.2 Host, 9112 5 field syntax, 9112 6 framing,
 * 9112 9.3 persistence, 9110 9.1 methods.
 */
static const struct req_case ok_cases[] = {
	{ .desc = "simple GET (RFC 9112 3)",
	  .in = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_GET),
	  .method_name = "GET", .target = "/", .path = "/", .version = V11,
	  .ka = KA_YES, .host = "example.com", .cl = NO_CL, .te = TE_NO },
	{ .desc = "simple HEAD with a query (RFC 9112 3.2.1 origin-form)",
	  .in = "HEAD /a/b.html?x=1&y HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_HEAD),
	  .method_name = "HEAD", .target = "/a/b.html?x=1&y",
	  .path = "/a/b.html?x=1&y", .version = V11, .ka = KA_YES,
	  .host = "h" },
	{ .desc = "HTTP/1.0 without Host, not persistent (RFC 9112 9.3)",
	  .in = "GET /x HTTP/1.0\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_GET),
	  .path = "/x", .version = V10, .ka = KA_NO },
	{ .desc = "HTTP/1.0 with Connection: keep-alive (RFC 9112 9.3, C.2.2)",
	  .in = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .version = V10, .ka = KA_YES },
	{ .desc = "HTTP/1.0 keep-alive in a token list, any case "
	    "(RFC 9110 7.6.1)",
	  .in = "GET / HTTP/1.0\r\nConnection: Keep-Alive, Upgrade\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .version = V10, .ka = KA_YES },
	{ .desc = "HTTP/1.0 with Host and no Connection (RFC 9112 9.3)",
	  .in = "GET / HTTP/1.0\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .version = V10, .ka = KA_NO,
	  .host = "h" },
	{ .desc = "HTTP/1.0 with Connection: close (RFC 9112 9.6)",
	  .in = "GET / HTTP/1.0\r\nConnection: close\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .version = V10, .ka = KA_NO },
	{ .desc = "HTTP/1.1 persistent by default (RFC 9112 9.3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_YES },
	{ .desc = "HTTP/1.1 Connection: close (RFC 9112 9.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_NO },
	{ .desc = "HTTP/1.1 close in a token list (RFC 9110 7.6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_NO },
	{ .desc = "close wins over keep-alive (RFC 9112 9.6)",
	  .in = "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_NO },
	{ .desc = "close in a second Connection line (RFC 9110 5.3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n"
	    "Connection: close\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_NO },
	{ .desc = "empty list elements ignored (RFC 9110 5.6.1.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nConnection: ,, close ,\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_NO },
	{ .desc = "\"closed\" is not the close option (RFC 9110 7.6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .ka = KA_YES },
	{ .desc = "HTTP/1.2 served as 1.1 (RFC 9110 6.2)",
	  .in = "GET / HTTP/1.2\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .version = V11, .ka = KA_YES },
	{ .desc = "HTTP/1.9 served as 1.1 (RFC 9110 6.2)",
	  .in = "GET / HTTP/1.9\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .version = V11 },
	{ .desc = "unknown method token is DONE/UNKNOWN for a 501 "
	    "(RFC 9110 9.1)",
	  .in = "BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_UNKNOWN),
	  .method_name = "BREW", .path = "/pot" },
	{ .desc = "methods are case-sensitive: \"get\" is unknown "
	    "(RFC 9110 9.1)",
	  .in = "get / HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_UNKNOWN),
	  .method_name = "get" },
	{ .desc = "method token with tchar punctuation (RFC 9110 5.6.2)",
	  .in = "M-SEARCH! / HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_UNKNOWN),
	  .method_name = "M-SEARCH!" },
	{ .desc = "POST is a known method (RFC 9110 9.3.3)",
	  .in = "POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_POST),
	  .cl = CL(3), .tail = 3 },
	{ .desc = "OPTIONS asterisk-form (RFC 9112 3.2.4)",
	  .in = "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_OPTIONS),
	  .target = "*" },
	{ .desc = "CONNECT authority-form (RFC 9112 3.2.3)",
	  .in = "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .method = METHOD(REQUEST_METHOD_CONNECT),
	  .target = "h:443" },
	{ .desc = "empty Host is allowed (RFC 9110 7.2)",
	  .in = "GET / HTTP/1.1\r\nHost:\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "" },
	{ .desc = "Host of only OWS is empty (RFC 9110 7.2, 5.5)",
	  .in = "GET / HTTP/1.1\r\nHost:  \t \r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "" },
	{ .desc = "Host with port (RFC 9110 7.2, RFC 3986 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "example.com:8080" },
	{ .desc = "Host IPv4 (RFC 3986 3.2.2)",
	  .in = "GET / HTTP/1.1\r\nHost: 127.0.0.1:6789\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "127.0.0.1:6789" },
	{ .desc = "Host IPv6 literal with port (RFC 3986 3.2.2)",
	  .in = "GET / HTTP/1.1\r\nHost: [::1]:6789\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "[::1]:6789" },
	{ .desc = "Host IPv6 with embedded IPv4 (RFC 3986 3.2.2)",
	  .in = "GET / HTTP/1.1\r\nHost: [::ffff:1.2.3.4]\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "[::ffff:1.2.3.4]" },
	{ .desc = "Host with empty port (RFC 3986 3.2.3)",
	  .in = "GET / HTTP/1.1\r\nHost: h:\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "h:" },
	{ .desc = "header names are case-insensitive (RFC 9110 5.1)",
	  .in = "GET / HTTP/1.1\r\nhOsT: H\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "H" },
	{ .desc = "absolute-form: path extracted (RFC 9112 3.2.2)",
	  .in = "GET http://example.com/a/b?c=d HTTP/1.1\r\nHost: example.com"
	    "\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .target = "http://example.com/a/b?c=d",
	  .path = "/a/b?c=d" },
	{ .desc = "absolute-form without a path is \"/\" (RFC 9112 3.2.2, "
	    "RFC 9110 4.2.3)",
	  .in = "GET http://h HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/" },
	{ .desc = "absolute-form scheme is case-insensitive (RFC 3986 3.1)",
	  .in = "GET HTTPS://H:443/x HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/x" },
	/*
	 * RFC 3986 3.2: the authority ends at the first '/', '?' or '#'.
	 * "http://h?a/b" has an empty path and the query "a/b": the path
	 * served must be "/", not "/b".
	 */
	{ .desc = "absolute-form with a query and no path (RFC 3986 3.2, "
	    "RFC 9110 4.2.3)",
	  .in = "GET http://h?a/b HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/", .path_cut_query = 1 },
	{ .desc = "bare LF line endings (RFC 9112 2.2)",
	  .in = "GET /lf HTTP/1.1\nHost: h\nConnection: close\n\n",
	  .want = HTTP_PARSE_DONE, .path = "/lf", .host = "h", .ka = KA_NO },
	{ .desc = "mixed CRLF and bare LF (RFC 9112 2.2)",
	  .in = "GET / HTTP/1.1\nHost: h\r\nX: y\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "h" },
	{ .desc = "one leading empty line ignored (RFC 9112 2.2)",
	  .in = "\r\nGET /l HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/l" },
	{ .desc = "leading bare LF ignored (RFC 9112 2.2)",
	  .in = "\nGET /l HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/l" },
	{ .desc = "two leading empty lines ignored (RFC 9112 2.2)",
	  .in = "\r\n\r\nGET /l HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/l" },
	{ .desc = "Content-Length parsed, head_len excludes the body "
	    "(RFC 9112 6.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
	  .want = HTTP_PARSE_DONE, .cl = CL(5), .te = TE_NO, .tail = 5 },
	{ .desc = "Content-Length 0 (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .cl = CL(0) },
	{ .desc = "Content-Length with OWS and leading zeros (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: \t007 \r\n\r\n",
	  .want = HTTP_PARSE_DONE, .cl = CL(7) },
	{ .desc = "large Content-Length (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1099511627776"
	    "\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .cl = CL(1099511627776LL) },
	{ .desc = "Transfer-Encoding: chunked (RFC 9112 6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n0\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .te = TE_YES, .cl = NO_CL, .tail = 5 },
	{ .desc = "transfer coding names are case-insensitive (RFC 9112 7)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ChUnKeD\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .te = TE_YES },
	{ .desc = "HTAB and obs-text allowed in values (RFC 9110 5.5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: a\tb \xe9\xff\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .host = "h" },
	{ .desc = "pipelined: head_len at the next request (RFC 9112 9.3.2)",
	  .in = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h"
	    "\r\n\r\n",
	  .want = HTTP_PARSE_DONE, .path = "/1", .tail = 28 },
	{ .desc = "exactly max_headers headers (limits)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n",
	  .max_headers = 3, .want = HTTP_PARSE_DONE },
	{ .desc = "head of exactly max_head bytes (limits)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n\r\n", .max_head = 27,
	  .want = HTTP_PARSE_DONE },
	{ .desc = "incomplete: request line only",
	  .in = "GET / HTTP/1.1\r\n", .want = HTTP_PARSE_AGAIN },
	{ .desc = "incomplete: no empty line yet",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n", .want = HTTP_PARSE_AGAIN },
	{ .desc = "incomplete: CR of the empty line only",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n\r", .want = HTTP_PARSE_AGAIN },
	{ .desc = "incomplete: only an empty line so far",
	  .in = "\r\n", .want = HTTP_PARSE_AGAIN },
	{ .desc = "incomplete: half a method",
	  .in = "GE", .want = HTTP_PARSE_AGAIN },
};

/* Request heads that must be refused, with the status to answer. */
static const struct req_case bad_cases[] = {
	{ .desc = "HTTP/0.9 simple request has no version (RFC 9112 C.1)",
	  .in = "GET /\r\n\r\n", .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "HTTP/2.0 major version 2 (RFC 9110 15.6.6)",
	  .in = "GET / HTTP/2.0\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 505 },
	{ .desc = "HTTP/3.0 (RFC 9110 15.6.6)",
	  .in = "GET / HTTP/3.0\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 505 },
	{ .desc = "HTTP/0.9 as a version string (RFC 9110 15.6.6)",
	  .in = "GET / HTTP/0.9\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 505 },
	{ .desc = "HTTP-name is case-sensitive (RFC 9112 2.3)",
	  .in = "GET / http/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "version without minor (RFC 9112 2.3)",
	  .in = "GET / HTTP/1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "two-digit minor (RFC 9112 2.3)",
	  .in = "GET / HTTP/1.10\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "version with letters (RFC 9112 2.3)",
	  .in = "GET / HTTP/1.x\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid method character '(' (RFC 9110 5.6.2, 9112 3)",
	  .in = "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid method character '@' (RFC 9110 5.6.2)",
	  .in = "G@T / HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "tab after the method (RFC 9112 3)",
	  .in = "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "leading space before the method (RFC 9112 3)",
	  .in = " GET / HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "empty request line among leading CRLFs (RFC 9112 3)",
	  .in = "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "control byte in the target (RFC 9112 3.2)",
	  .in = "GET /a\x01z HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "raw space in the target (RFC 9112 3)",
	  .in = "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "raw high byte in the target (RFC 9112 3.2, RFC 3986 2)",
	  .in = "GET /\xe9 HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "bare CR in the request line (RFC 9112 2.2)",
	  .in = "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "NUL in the request line (RFC 9112 3)",
	  BIN("GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n"),
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "GET with a relative target (RFC 9112 3.2)",
	  .in = "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "GET with asterisk-form (RFC 9112 3.2.4)",
	  .in = "GET * HTTP/1.1\r\nHost: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "GET with an unknown scheme (RFC 9112 3.2.2)",
	  .in = "GET ftp://h/x HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	/*
	 * RFC 9110 4.2.1: "A recipient that processes such a URI reference
	 * [an http URI with an empty host] MUST reject it as invalid."
	 */
	{ .desc = "absolute-form with an empty host (RFC 9110 4.2.1)",
	  .in = "GET http:///etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "missing Host in HTTP/1.1 (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "missing Host in HTTP/1.1 with other headers (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHosts: h\r\nX-Host: h\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "missing Host in \"HTTP/1.2\" (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.2\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "two Host lines (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "two Authorization lines (RFC 9110 11.6.2: one field "
	    "value, not a list)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic YTpi\r\n"
	    "authorization: Basic YzpkCg==\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "two Authorization lines, the first empty",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nAuthorization:\r\n"
	    "Authorization: Basic YTpi\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "two identical Host lines (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "two Host lines in HTTP/1.0 (RFC 9112 3.2: any request)",
	  .in = "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "invalid Host: space (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid Host: path (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid Host: userinfo (RFC 9110 7.2, 4.2.4)",
	  .in = "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid Host: unclosed IPv6 (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid Host: bad port (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h:8o\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "invalid Host: two ports (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h:80:80\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "invalid Host in HTTP/1.0 (RFC 9112 3.2)",
	  .in = "GET / HTTP/1.0\r\nHost: a\"b\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "space before the colon (RFC 9112 5.1)",
	  .in = "GET / HTTP/1.1\r\nHost : h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "tab before the colon (RFC 9112 5.1)",
	  .in = "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "obs-fold (RFC 9112 5.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "obs-fold with a tab (RFC 9112 5.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n\tb\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "whitespace before the first header (RFC 9112 2.2)",
	  .in = "GET / HTTP/1.1\r\n Host: h\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "header line without a colon (RFC 9112 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "empty field name (RFC 9110 5.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "invalid field name character (RFC 9110 5.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX{y}: v\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "NUL in a field value (RFC 9110 5.5)",
	  BIN("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"),
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "NUL in a field name (RFC 9110 5.1)",
	  BIN("GET / HTTP/1.1\r\nHost: h\r\nX\0Y: v\r\n\r\n"),
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "bare CR in a field value (RFC 9110 5.5, 9112 2.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "bare CR ending the Host value (RFC 9112 2.2)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\r\n\r\n", .want = HTTP_PARSE_ERROR,
	  .status = 400 },
	{ .desc = "control byte 0x01 in a field value (RFC 9110 5.5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01z\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "ESC in a field value (RFC 9110 5.5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX: \x1b[0m\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "DEL in a field value (RFC 9110 5.5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "duplicate Content-Length, same value (RFC 9112 6.3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
	    "Content-Length: 1\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "duplicate Content-Length, different values (RFC 9112 6.3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
	    "Content-Length: 2\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length list \"1,1\" (RFC 9110 8.6, 9112 6.3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1,1\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length \"-1\" (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length \"+1\" (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length \"abc\" (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length \"1 2\" (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length \"0x10\" (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length empty (RFC 9110 8.6)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length huge (RFC 9112 6.3 item 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: "
	    "99999999999999999999999\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length 2^64 (RFC 9112 6.3 item 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: "
	    "18446744073709551616\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Content-Length and Transfer-Encoding (RFC 9112 6.3 item 3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Transfer-Encoding then Content-Length (RFC 9112 6.3 item 3)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 0\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Transfer-Encoding gzip (RFC 9112 6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Transfer-Encoding identity (RFC 9112 6.1; removed coding)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n"
	    "\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "chunked not last (RFC 9112 6.3 item 4)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip"
	    "\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "gzip, chunked (RFC 9112 6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked"
	    "\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "chunked twice in one line (RFC 9112 7.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, "
	    "chunked\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "chunked in two lines (RFC 9112 7.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Transfer-Encoding \"chunkedx\" (RFC 9112 6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunkedx\r\n"
	    "\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "Transfer-Encoding empty (RFC 9112 6.1)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n\r\n",
	  .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "request line longer than max_head: 414 (RFC 9112 3)",
	  .in = "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n",
	  .max_head = 64, .want = HTTP_PARSE_ERROR, .status = 414 },
	{ .desc = "request line longer than max_head, incomplete: 414 "
	    "(RFC 9112 3)",
	  .in = "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .max_head = 64, .want = HTTP_PARSE_ERROR, .status = 414 },
	{ .desc = "head larger than max_head: 431 (RFC 6585 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: bbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n\r\n",
	  .max_head = 64, .want = HTTP_PARSE_ERROR, .status = 431 },
	{ .desc = "head larger than max_head, incomplete: 431 (RFC 6585 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: bbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  .max_head = 64, .want = HTTP_PARSE_ERROR, .status = 431 },
	/* Found by fuzzing: the status must not depend on how bytes arrive. */
	{ .desc = "bad request line, head over max_head at once: 400 as "
	    "when it comes byte by byte",
	  .in = "GcT / HTT1a\r\nX-Long: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  .max_head = 64, .want = HTTP_PARSE_ERROR, .status = 400 },
	{ .desc = "bad version, complete head over max_head: 505 first",
	  .in = "GET / HTTP/2.0\r\nX-Long: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n\r\n",
	  .max_head = 64, .want = HTTP_PARSE_ERROR, .status = 505 },
	{ .desc = "head one byte over max_head: 431 (RFC 6585 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n\r\n", .max_head = 26,
	  .want = HTTP_PARSE_ERROR, .status = 431 },
	{ .desc = "more than max_headers: 431 (RFC 6585 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
	  .max_headers = 3, .want = HTTP_PARSE_ERROR, .status = 431 },
	{ .desc = "many tiny headers over max_headers: 431 (RFC 6585 5)",
	  .in = "GET / HTTP/1.1\r\nHost: h\r\n"
	    "a:\r\na:\r\na:\r\na:\r\na:\r\na:\r\n\r\n",
	  .max_headers = 5, .want = HTTP_PARSE_ERROR, .status = 431 },
};

static size_t
case_len(const struct req_case *c)
{
	return c->len != 0 ? c->len : strlen(c->in);
}

static void
case_limits(const struct req_case *c, struct request_limits *lim)
{
	lim->max_head = c->max_head != 0 ? c->max_head : DEF_MAX_HEAD;
	lim->max_headers = c->max_headers != 0 ? c->max_headers : DEF_MAX_HDRS;
}

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

/* All at once, in a fresh padded buffer kept in *keep. */
static enum http_parse
parse_once(const char *s, size_t n, const struct request_limits *lim,
    struct request *req, int *status, char **keep)
{
	struct request_parser	ps;

	memset(&ps, 0, sizeof(ps));
	*keep = padded(s, n);
	*status = -1;
	return request_parse(&ps, *keep, n, lim, req, status);
}

static const char *
parse_name(enum http_parse r)
{
	switch (r) {
	case HTTP_PARSE_DONE:
		return "DONE";
	case HTTP_PARSE_AGAIN:
		return "AGAIN";
	case HTTP_PARSE_ERROR:
		return "ERROR";
	}
	return "?";
}

static int
str_is(struct http_str s, const char *want)
{
	return s.p != NULL && s.len == strlen(want) &&
	    memcmp(s.p, want, s.len) == 0;
}

static void
check_case(const struct req_case *c, enum http_parse r, int status,
    const struct request *req)
{
	size_t	n = case_len(c);

	ck_assert_msg(r == c->want, "%s: got %s (status %d), want %s",
	    c->desc, parse_name(r), status, parse_name(c->want));
	if (r == HTTP_PARSE_ERROR) {
		ck_assert_msg(status == c->status, "%s: status %d, want %d",
		    c->desc, status, c->status);
		return;
	}
	if (r != HTTP_PARSE_DONE)
		return;
	ck_assert_msg(req->head_len == n - c->tail,
	    "%s: head_len %zu, want %zu", c->desc, req->head_len, n - c->tail);
	if (c->method != 0)
		ck_assert_msg((int)req->method + 1 == c->method,
		    "%s: method %d, want %d", c->desc, (int)req->method,
		    c->method - 1);
	if (c->method_name != NULL)
		ck_assert_msg(str_is(req->method_name, c->method_name),
		    "%s: method name \"%.*s\"", c->desc,
		    (int)req->method_name.len, req->method_name.p);
	if (c->target != NULL)
		ck_assert_msg(str_is(req->target, c->target),
		    "%s: target \"%.*s\", want \"%s\"", c->desc,
		    (int)req->target.len, req->target.p, c->target);
	if (c->path != NULL) {
		struct http_str	p = req->path;

		if (c->path_cut_query && p.p != NULL)
			for (p.len = 0; p.len < req->path.len &&
			    p.p[p.len] != '?' && p.p[p.len] != '#'; p.len++)
				;
		ck_assert_msg(str_is(p, c->path),
		    "%s: path \"%.*s\", want \"%s\"", c->desc,
		    (int)req->path.len, req->path.p, c->path);
	}
	if (c->version != 0)
		ck_assert_msg(req->major * 10 + req->minor == c->version,
		    "%s: version %d.%d, want %d.%d", c->desc, req->major,
		    req->minor, c->version / 10, c->version % 10);
	if (c->ka != 0)
		ck_assert_msg((req->keepalive != 0) == (c->ka == KA_YES),
		    "%s: keepalive %d, want %d", c->desc, req->keepalive,
		    c->ka == KA_YES);
	if (c->host != NULL)
		ck_assert_msg(str_is(req->host, c->host),
		    "%s: host \"%.*s\" (%s), want \"%s\"", c->desc,
		    (int)req->host.len, req->host.p != NULL ? req->host.p : "",
		    req->host.p != NULL ? "set" : "unset", c->host);
	if (c->cl == NO_CL)
		ck_assert_msg(!req->has_length, "%s: has a length", c->desc);
	else if (c->cl != 0) {
		ck_assert_msg(req->has_length, "%s: no length", c->desc);
		ck_assert_msg(req->content_length == (uint64_t)(c->cl - 1),
		    "%s: length %ju, want %jd", c->desc,
		    (uintmax_t)req->content_length, (intmax_t)(c->cl - 1));
	}
	if (c->te != 0)
		ck_assert_msg((req->chunked != 0) == (c->te == TE_YES),
		    "%s: chunked %d", c->desc, req->chunked);
}

/*
 * RFC 9112 section 3: a request line without a version (HTTP/0.9) is
 * refused as soon as its line is complete, without waiting for an empty
 * line that an HTTP/0.9 client never sends (it would get 408 instead).
 */
START_TEST(test_bad_request_line_refused_before_head_end)
{
	static const char *const lines[] = {
		"GET /\r\n", "GET /\n", "GET / HTTP/2.0\r\nHost: x\r\n",
		"G@T / HTTP/1.1\r\n", "GET  / HTTP/1.1\r\n",
	};
	static const int	 want[] = { 400, 400, 505, 400, 400 };
	struct request_limits	 lim = { 8192, 100 };
	struct request_parser	 ps;
	struct request		 req;
	size_t			 i;
	int			 status;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		memset(&ps, 0, sizeof(ps));
		status = 0;
		ck_assert_msg(request_parse(&ps, lines[i], strlen(lines[i]),
		    &lim, &req, &status) == HTTP_PARSE_ERROR,
		    "\"%s\" not refused at once", lines[i]);
		ck_assert_int_eq(status, want[i]);
	}
	/*
	 * A first byte that cannot start a method is refused with no line
	 * end at all: a TLS ClientHello on a plain port (0x16 0x03 0x01),
	 * binary garbage, a space.
	 */
	{
		static const char *const starts[] = {
			"\x16\x03\x01\x02\x00\x01", "\x80", " GET", "\x01",
			"\r\n\x16\x03",
		};

		for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
			memset(&ps, 0, sizeof(ps));
			status = 0;
			ck_assert_msg(request_parse(&ps, starts[i],
			    strlen(starts[i]), &lim, &req, &status) ==
			    HTTP_PARSE_ERROR, "start %zu not refused", i);
			ck_assert_int_eq(status, 400);
		}
		/* A method's first letter alone waits for more. */
		memset(&ps, 0, sizeof(ps));
		ck_assert_int_eq(request_parse(&ps, "G", 1, &lim, &req,
		    &status), HTTP_PARSE_AGAIN);
	}
	/* A good line alone still waits for the rest of the head. */
	memset(&ps, 0, sizeof(ps));
	ck_assert_int_eq(request_parse(&ps, "GET / HTTP/1.1\r\n", 16,
	    &lim, &req, &status), HTTP_PARSE_AGAIN);
	ck_assert_int_eq(request_parse(&ps,
	    "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, &lim, &req, &status),
	    HTTP_PARSE_DONE);
}
END_TEST

START_TEST(test_parse_ok)
{
	const struct req_case	*c = &ok_cases[_i];
	struct request_limits	 lim;
	struct request		 req;
	char			*buf;
	int			 status;
	enum http_parse		 r;

	case_limits(c, &lim);
	r = parse_once(c->in, case_len(c), &lim, &req, &status, &buf);
	check_case(c, r, status, &req);
	free(buf);
}
END_TEST

START_TEST(test_parse_bad)
{
	const struct req_case	*c = &bad_cases[_i];
	struct request_limits	 lim;
	struct request		 req;
	char			*buf;
	int			 status;
	enum http_parse		 r;

	case_limits(c, &lim);
	r = parse_once(c->in, case_len(c), &lim, &req, &status, &buf);
	check_case(c, r, status, &req);
	free(buf);
}
END_TEST

static int
same_str(struct http_str a, struct http_str b)
{
	if (a.p == NULL || b.p == NULL)
		return a.p == b.p;
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

#define SAME_STR(f) \
	ck_assert_msg(same_str(a->f, b->f), "%s: " #f " \"%.*s\" vs \"%.*s\"", \
	    desc, (int)a->f.len, a->f.p != NULL ? a->f.p : "", (int)b->f.len, \
	    b->f.p != NULL ? b->f.p : "")
#define SAME_INT(f) \
	ck_assert_msg(a->f == b->f, "%s: " #f " %jd vs %jd", desc, \
	    (intmax_t)a->f, (intmax_t)b->f)

/* Two parses of the same bytes filled in the same request. */
static void
same_request(const char *desc, const struct request *a,
    const struct request *b)
{
	SAME_INT(method);
	SAME_STR(method_name);
	SAME_STR(target);
	SAME_STR(path);
	SAME_INT(major);
	SAME_INT(minor);
	SAME_STR(host);
	SAME_INT(keepalive);
	SAME_INT(has_length);
	SAME_INT(content_length);
	SAME_INT(chunked);
	SAME_INT(expect_continue);
	SAME_INT(nheaders);
	SAME_INT(head_len);
	SAME_STR(if_modified_since);
	SAME_STR(if_none_match);
	SAME_STR(if_match);
	SAME_STR(if_unmodified_since);
	SAME_STR(if_range);
	SAME_STR(range);
	SAME_STR(accept_encoding);
	SAME_STR(authorization);
	SAME_STR(referer);
	SAME_STR(user_agent);
}

/*
 * One byte at a time: call again with len + 1 and the same parser
 * state.  Every call gets a fresh copy of exactly len bytes (plus
 * poison), so the parser cannot rely on bytes it was not given.
 */
static void
check_bytewise(const struct req_case *c)
{
	struct request_limits	 lim;
	struct request_parser	 ps;
	struct request		 all, one;
	char			*abuf, *buf = NULL;
	size_t			 n = case_len(c), k;
	int			 sall, sone = -1;
	enum http_parse		 rall, rone = HTTP_PARSE_AGAIN;

	case_limits(c, &lim);
	rall = parse_once(c->in, n, &lim, &all, &sall, &abuf);
	memset(&ps, 0, sizeof(ps));
	for (k = 1; k <= n; k++) {
		free(buf);
		buf = padded(c->in, k);
		sone = -1;
		rone = request_parse(&ps, buf, k, &lim, &one, &sone);
		if (rone != HTTP_PARSE_AGAIN)
			break;
	}
	ck_assert_msg(rone == rall, "%s: bytewise %s (status %d) after %zu of "
	    "%zu bytes, at once %s (status %d)", c->desc, parse_name(rone),
	    sone, k, n, parse_name(rall), sall);
	if (rall == HTTP_PARSE_ERROR)
		ck_assert_msg(sone == sall, "%s: bytewise status %d, at once %d",
		    c->desc, sone, sall);
	if (rall == HTTP_PARSE_DONE) {
		ck_assert_msg(k == all.head_len,
		    "%s: DONE after %zu bytes, head_len %zu", c->desc, k,
		    all.head_len);
		same_request(c->desc, &one, &all);
	}
	free(buf);
	free(abuf);
}

/* Two pieces: the first k bytes, then everything, same parser state. */
static void
check_split(const struct req_case *c)
{
	struct request_limits	 lim;
	struct request_parser	 ps;
	struct request		 all, two;
	char			*abuf, *b1, *b2;
	size_t			 n = case_len(c), k;
	int			 sall, stwo;
	enum http_parse		 rall, r;

	case_limits(c, &lim);
	rall = parse_once(c->in, n, &lim, &all, &sall, &abuf);
	for (k = 1; k < n; k++) {
		memset(&ps, 0, sizeof(ps));
		b1 = padded(c->in, k);
		stwo = -1;
		r = request_parse(&ps, b1, k, &lim, &two, &stwo);
		free(b1);
		if (r != HTTP_PARSE_AGAIN)
			continue;	/* checked by the bytewise walk */
		b2 = padded(c->in, n);
		stwo = -1;
		r = request_parse(&ps, b2, n, &lim, &two, &stwo);
		ck_assert_msg(r == rall, "%s: split at %zu gave %s (status %d), "
		    "at once %s (status %d)", c->desc, k, parse_name(r), stwo,
		    parse_name(rall), sall);
		if (r == HTTP_PARSE_ERROR)
			ck_assert_msg(stwo == sall, "%s: split at %zu status %d, "
			    "at once %d", c->desc, k, stwo, sall);
		if (r == HTTP_PARSE_DONE)
			same_request(c->desc, &two, &all);
		free(b2);
	}
	free(abuf);
}

START_TEST(test_resume_bytewise_ok)
{
	check_bytewise(&ok_cases[_i]);
}
END_TEST

START_TEST(test_resume_bytewise_bad)
{
	check_bytewise(&bad_cases[_i]);
}
END_TEST

START_TEST(test_resume_split_ok)
{
	check_split(&ok_cases[_i]);
}
END_TEST

START_TEST(test_resume_split_bad)
{
	check_split(&bad_cases[_i]);
}
END_TEST

/*
 * RFC 9112 6.1: "A server or client that receives an HTTP/1.0 message
 * containing a Transfer-Encoding header field MUST treat the message as
 * if the framing is faulty ... and close the connection after processing
 * the message."  Either a 400 or a request that is not kept alive.
 */
START_TEST(test_te_in_http10_closes)
{
	static const char *const ins[] = {
		"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n"
		    "Connection: keep-alive\r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	};
	struct request_limits	lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request		req;
	char			*buf;
	int			status;
	size_t			i;
	enum http_parse		r;

	for (i = 0; i < UTIL_ARRAY_LEN(ins); i++) {
		r = parse_once(ins[i], strlen(ins[i]), &lim, &req, &status,
		    &buf);
		ck_assert_msg(r == HTTP_PARSE_ERROR ||
		    (r == HTTP_PARSE_DONE && !req.keepalive),
		    "case %zu: HTTP/1.0 + Transfer-Encoding gave %s with "
		    "keepalive %d (RFC 9112 6.1 requires closing)", i,
		    parse_name(r), r == HTTP_PARSE_DONE ? req.keepalive : -1);
		if (r == HTTP_PARSE_ERROR)
			ck_assert_int_eq(status, 400);
		free(buf);
	}
}
END_TEST

/* Pipelined requests: parse the next one from head_len on. */
START_TEST(test_pipelined_requests)
{
	static const char	in[] =
	    "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
	    "HEAD /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
	    "GET /3 HTTP/1.0\r\n\r\n"
	    "GET /4 HTTP/1.1\r\nHo";
	static const char *const paths[] = { "/1", "/2", "/3" };
	struct request_limits	 lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request_parser	 ps;
	struct request		 req;
	size_t			 off = 0, i;
	int			 status;

	for (i = 0; i < UTIL_ARRAY_LEN(paths); i++) {
		memset(&ps, 0, sizeof(ps));
		ck_assert_msg(request_parse(&ps, in + off,
		    sizeof(in) - 1 - off, &lim, &req, &status) ==
		    HTTP_PARSE_DONE, "request %zu not DONE", i + 1);
		ck_assert_msg(str_is(req.path, paths[i]),
		    "request %zu path \"%.*s\"", i + 1, (int)req.path.len,
		    req.path.p);
		ck_assert_msg(req.target.p >= in + off &&
		    req.target.p < in + off + req.head_len,
		    "request %zu target outside its head", i + 1);
		off += req.head_len;
		if (req.has_length)
			off += (size_t)req.content_length;
	}
	ck_assert_msg(memcmp(in + off, "GET /4", 6) == 0,
	    "offset %zu does not point at the fourth request", off);
	memset(&ps, 0, sizeof(ps));
	ck_assert(request_parse(&ps, in + off, sizeof(in) - 1 - off,
	    &lim, &req, &status) == HTTP_PARSE_AGAIN);
}
END_TEST

/* The header fields the response code needs, trimmed of OWS. */
START_TEST(test_fields_captured)
{
	static const char	in[] =
	    "GET /f HTTP/1.1\r\n"
	    "Host: h\r\n"
	    "If-Modified-Since:  Sun, 06 Nov 1994 08:49:37 GMT \r\n"
	    "If-None-Match: \"a\", W/\"b\"\r\n"
	    "If-Match:\t*\t\r\n"
	    "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "If-Range: \"etag\"\r\n"
	    "Range: bytes=0-99\r\n"
	    "Accept-Encoding: gzip, br\r\n"
	    "Authorization: \t Basic YWxhZGRpbjpvcGVuc2VzYW1l \t\r\n"
	    "Referer: http://r/\r\n"
	    "User-Agent: check/1.0\r\n"
	    "Expect: 100-continue\r\n"
	    "X-Unknown: ignored\r\n"
	    "\r\n";
	struct request_limits	 lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request_parser	 ps;
	struct request		 req;
	int			 status;

	memset(&ps, 0, sizeof(ps));
	ck_assert(request_parse(&ps, in, sizeof(in) - 1, &lim, &req,
	    &status) == HTTP_PARSE_DONE);
	ck_assert(str_is(req.if_modified_since,
	    "Sun, 06 Nov 1994 08:49:37 GMT"));
	ck_assert(str_is(req.if_none_match, "\"a\", W/\"b\""));
	ck_assert(str_is(req.if_match, "*"));
	ck_assert(str_is(req.if_unmodified_since,
	    "Sun, 06 Nov 1994 08:49:37 GMT"));
	ck_assert(str_is(req.if_range, "\"etag\""));
	ck_assert(str_is(req.range, "bytes=0-99"));
	ck_assert(str_is(req.accept_encoding, "gzip, br"));
	ck_assert(str_is(req.authorization, "Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
	ck_assert(str_is(req.referer, "http://r/"));
	ck_assert(str_is(req.user_agent, "check/1.0"));
	ck_assert_int_eq(req.expect_continue, 1);
	ck_assert_uint_eq(req.nheaders, 13);
	ck_assert_uint_eq(req.head_len, sizeof(in) - 1);
	/* Everything points into the caller's buffer. */
	ck_assert(req.host.p > in && req.host.p < in + sizeof(in));
	ck_assert(req.range.p > in && req.range.p < in + sizeof(in));
}
END_TEST

/* Fields a request does not carry are left empty (p == NULL). */
START_TEST(test_fields_absent)
{
	static const char	in[] = "GET / HTTP/1.0\r\n\r\n";
	struct request_limits	lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request_parser	ps;
	struct request		req;
	int			status;

	memset(&ps, 0, sizeof(ps));
	memset(&req, 0xa5, sizeof(req));
	ck_assert(request_parse(&ps, in, sizeof(in) - 1, &lim, &req,
	    &status) == HTTP_PARSE_DONE);
	ck_assert_ptr_null(req.host.p);
	ck_assert_ptr_null(req.range.p);
	ck_assert_ptr_null(req.if_none_match.p);
	ck_assert_ptr_null(req.if_modified_since.p);
	ck_assert_ptr_null(req.authorization.p);
	ck_assert_int_eq(req.has_length, 0);
	ck_assert_int_eq(req.chunked, 0);
	ck_assert_int_eq(req.expect_continue, 0);
	ck_assert_uint_eq(req.nheaders, 0);
}
END_TEST

/* Expect values other than 100-continue are not taken as one. */
START_TEST(test_expect_other)
{
	static const char	in[] =
	    "GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue-ish\r\n\r\n";
	struct request_limits	lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request_parser	ps;
	struct request		req;
	int			status;

	memset(&ps, 0, sizeof(ps));
	ck_assert(request_parse(&ps, in, sizeof(in) - 1, &lim, &req,
	    &status) == HTTP_PARSE_DONE);
	ck_assert_int_eq(req.expect_continue, 0);
}
END_TEST

/* A head that never ends is refused at the limit, not waited on. */
START_TEST(test_endless_head_hits_limit)
{
	struct request_limits	 lim = { 1024, DEF_MAX_HDRS };
	struct request_parser	 ps;
	struct request		 req;
	char			*buf;
	size_t			 n = 0, cap = 4096;
	int			 status = -1;
	enum http_parse		 r = HTTP_PARSE_AGAIN;

	buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	n = (size_t)snprintf(buf, cap, "GET / HTTP/1.1\r\nHost: h\r\n");
	memset(&ps, 0, sizeof(ps));
	while (n + 8 < cap) {
		memcpy(buf + n, "X: y\r\n", 6);
		n += 6;
		r = request_parse(&ps, buf, n, &lim, &req, &status);
		if (r != HTTP_PARSE_AGAIN)
			break;
	}
	ck_assert_int_eq(r, HTTP_PARSE_ERROR);
	ck_assert_int_eq(status, 431);
	ck_assert_uint_le(n, 1024 + 6);
	free(buf);
}
END_TEST

/*
 * Authorization (RFC 9110 11.6.2): the value, OWS-trimmed, whatever the
 * case of the name; present but empty is not absent.
 */
START_TEST(test_authorization)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: absent */
	} cases[] = {
		{ "GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic YTpi\r\n\r\n",
		    "Basic YTpi" },
		{ "GET / HTTP/1.1\r\nAUTHORIZATION:Bearer x.y.z\t\r\nHost: h\r\n"
		    "\r\n", "Bearer x.y.z" },
		{ "GET / HTTP/1.1\r\nHost: h\r\naUtHoRiZaTiOn: \r\n\r\n", "" },
		{ "GET / HTTP/1.1\r\nHost: h\r\nAuthorisation: Basic YTpi\r\n"
		    "Proxy-Authorization: Basic YTpi\r\n\r\n", NULL },
	};
	struct request_limits	 lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request		 req;
	char			*buf;
	int			 status;
	size_t			 i;

	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		ck_assert_msg(parse_once(cases[i].in, strlen(cases[i].in), &lim,
		    &req, &status, &buf) == HTTP_PARSE_DONE, "case %zu", i);
		if (cases[i].want == NULL)
			ck_assert_msg(req.authorization.p == NULL,
			    "case %zu: set", i);
		else
			ck_assert_msg(str_is(req.authorization, cases[i].want),
			    "case %zu: \"%.*s\"", i, (int)req.authorization.len,
			    req.authorization.p != NULL ?
			    req.authorization.p : "(unset)");
		free(buf);
	}
}
END_TEST

/*
 * Field names are matched by length first, then byte by byte with the
 * case bit (0x20) forced on (request_field).  Every known name is
 * recognised in lower, upper and mixed case; the same name with a byte
 * changed (its last letter, its first one made '_', its first '-' made
 * '_'), one byte shorter or one longer is just another field.
 */
#define F_STR(f)	offsetof(struct request, f), 0
#define F_INT(f)	offsetof(struct request, f), 1

static const struct {
	const char	*name;
	const char	*value;
	size_t		 off;		/* of the member that shows it */
	int		 is_int;	/* an int set to 1, else a span */
} field_cases[] = {
	{ "host", "h", F_STR(host) },
	{ "range", "bytes=0-1", F_STR(range) },
	{ "expect", "100-continue", F_INT(expect_continue) },
	{ "referer", "http://r/", F_STR(referer) },
	{ "if-match", "\"a\"", F_STR(if_match) },
	{ "if-range", "\"b\"", F_STR(if_range) },
	{ "user-agent", "ua", F_STR(user_agent) },
	{ "if-none-match", "\"c\"", F_STR(if_none_match) },
	{ "authorization", "Basic YTpi", F_STR(authorization) },
	{ "content-length", "3", F_INT(has_length) },
	{ "accept-encoding", "gzip", F_STR(accept_encoding) },
	{ "if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT",
	    F_STR(if_modified_since) },
	{ "transfer-encoding", "chunked", F_INT(chunked) },
	{ "if-unmodified-since", "Sun, 06 Nov 1994 08:49:37 GMT",
	    F_STR(if_unmodified_since) },
};

/*
 * Parses a request with the one field "name: value" (and a Host unless
 * the field is Host) and tells whether the member at off shows it.
 */
static int
field_seen(const char *name, const char *value, size_t off, int is_int)
{
	struct request_limits	 lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request		 req;
	char			 in[256], *buf;
	int			 status, seen = 0, n;
	const struct http_str	*sp;

	n = snprintf(in, sizeof(in), "POST / HTTP/1.1\r\n%s%s: %s\r\n\r\n",
	    off == offsetof(struct request, host) ? "" : "Host: h\r\n",
	    name, value);
	ck_assert(n > 0 && (size_t)n < sizeof(in));
	if (parse_once(in, (size_t)n, &lim, &req, &status, &buf) !=
	    HTTP_PARSE_DONE) {
		free(buf);
		return -1;
	}
	if (is_int)
		seen = *(const int *)(const void *)((const char *)&req + off);
	else {
		sp = (const void *)((const char *)&req + off);
		seen = str_is(*sp, value);
	}
	free(buf);
	return seen;
}

START_TEST(test_field_names)
{
	const char	*name = field_cases[_i].name;
	size_t		 len = strlen(name), k;
	char		 upper[32], mixed[32], other[32];

	ck_assert_uint_lt(len, sizeof(upper));
	for (k = 0; k <= len; k++) {
		upper[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ?
		    name[k] - 'a' + 'A' : name[k]);
		mixed[k] = k % 2 ? upper[k] : name[k];
	}
	ck_assert_msg(field_seen(name, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) == 1, "%s", name);
	ck_assert_msg(field_seen(upper, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) == 1, "%s", upper);
	ck_assert_msg(field_seen(mixed, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) == 1, "%s", mixed);

	/* Near misses of the same length are other fields. */
	memcpy(other, name, len + 1);
	other[len - 1] = other[len - 1] == 'x' ? 'y' : 'x';
	ck_assert_msg(field_seen(other, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) != 1, "%s", other);
	memcpy(other, name, len + 1);
	other[0] = '_';
	ck_assert_msg(field_seen(other, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) != 1, "%s", other);
	if (strchr(name, '-') != NULL) {
		memcpy(other, name, len + 1);
		*strchr(other, '-') = '_';
		ck_assert_msg(field_seen(other, field_cases[_i].value,
		    field_cases[_i].off, field_cases[_i].is_int) != 1, "%s",
		    other);
	}
	/* One byte more or less is another field too. */
	memcpy(other, name, len + 1);
	other[len - 1] = '\0';
	ck_assert_msg(field_seen(other, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) != 1, "%s", other);
	memcpy(other, name, len);
	memcpy(other + len, "s", 2);
	ck_assert_msg(field_seen(other, field_cases[_i].value,
	    field_cases[_i].off, field_cases[_i].is_int) != 1, "%s", other);
}
END_TEST

/* Methods are matched exactly, by length and bytes (RFC 9110 9.1). */
START_TEST(test_methods)
{
	static const struct {
		const char		*name;
		enum request_method	 m;
	} cases[] = {
		{ "GET", REQUEST_METHOD_GET },
		{ "HEAD", REQUEST_METHOD_HEAD },
		{ "POST", REQUEST_METHOD_POST },
		{ "PUT", REQUEST_METHOD_PUT },
		{ "DELETE", REQUEST_METHOD_DELETE },
		{ "CONNECT", REQUEST_METHOD_CONNECT },
		{ "OPTIONS", REQUEST_METHOD_OPTIONS },
		{ "TRACE", REQUEST_METHOD_TRACE },
		{ "PATCH", REQUEST_METHOD_PATCH },
		{ "GE", REQUEST_METHOD_UNKNOWN },
		{ "GETS", REQUEST_METHOD_UNKNOWN },
		{ "Get", REQUEST_METHOD_UNKNOWN },
		{ "HEAP", REQUEST_METHOD_UNKNOWN },
		{ "PUTT", REQUEST_METHOD_UNKNOWN },
		{ "PATCHES", REQUEST_METHOD_UNKNOWN },
		{ "DELETe", REQUEST_METHOD_UNKNOWN },
	};
	struct request_limits	 lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request		 req;
	char			 in[128], *buf;
	int			 status, n;
	size_t			 i;

	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		/* OPTIONS and CONNECT take any target form. */
		n = snprintf(in, sizeof(in), "%s / HTTP/1.1\r\nHost: h\r\n\r\n",
		    cases[i].name);
		ck_assert_msg(parse_once(in, (size_t)n, &lim, &req, &status,
		    &buf) == HTTP_PARSE_DONE, "%s", cases[i].name);
		ck_assert_msg(req.method == cases[i].m, "%s: method %d, want %d",
		    cases[i].name, (int)req.method, (int)cases[i].m);
		ck_assert(str_is(req.method_name, cases[i].name));
		free(buf);
	}
}
END_TEST

/*
 * Every byte value in the middle of a reg-name: accepted exactly when
 * RFC 3986 section 3.2.2 allows it (unreserved, sub-delims, '%').  CR,
 * LF and ':' are left out: they end the line or start the port.
 */
START_TEST(test_host_bytes)
{
	struct request_limits	 lim = { DEF_MAX_HEAD, DEF_MAX_HDRS };
	struct request		 req;
	char			 in[64], *buf;
	int			 c, status, want;
	size_t			 n;
	enum http_parse		 r;

	for (c = 0; c < 256; c++) {
		if (c == '\r' || c == '\n' || c == ':')
			continue;
		n = (size_t)snprintf(in, sizeof(in),
		    "GET / HTTP/1.1\r\nHost: a%cb\r\n\r\n", 'X');
		in[strlen("GET / HTTP/1.1\r\nHost: a")] = (char)c;
		want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != 0 &&
		    strchr("-._~!$&'()*+,;=%", c) != NULL);
		r = parse_once(in, n, &lim, &req, &status, &buf);
		ck_assert_msg((r == HTTP_PARSE_DONE) == want,
		    "byte 0x%02x: %s", c, parse_name(r));
		if (!want)
			ck_assert_int_eq(status, 400);
		free(buf);
	}
}
END_TEST

static Suite *
request_suite(void)
{
	Suite	*s = suite_create("request");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_ok, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_parse_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_cases));
	tcase_add_test(tc, test_bad_request_line_refused_before_head_end);
	tcase_add_test(tc, test_te_in_http10_closes);
	tcase_add_test(tc, test_pipelined_requests);
	tcase_add_test(tc, test_fields_captured);
	tcase_add_test(tc, test_fields_absent);
	tcase_add_test(tc, test_expect_other);
	tcase_add_test(tc, test_endless_head_hits_limit);
	tcase_add_test(tc, test_authorization);
	tcase_add_loop_test(tc, test_field_names, 0,
	    (int)UTIL_ARRAY_LEN(field_cases));
	tcase_add_test(tc, test_methods);
	tcase_add_test(tc, test_host_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("resume");
	tcase_add_loop_test(tc, test_resume_bytewise_ok, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_resume_bytewise_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_cases));
	tcase_add_loop_test(tc, test_resume_split_ok, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_resume_split_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(request_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
