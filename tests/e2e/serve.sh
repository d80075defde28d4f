#!/bin/bash
# shellcheck disable=SC2317	# the test_ functions are called by e2e_run
#
# serve: the daemon serves static files as minihttpd(8) says:
# exact bytes (small and multi-megabyte files) with curl and minihttp-get,
# HEAD, status codes for missing files and malformed or unsupported
# requests, index files, redirects, autoindex, content types, keep-alive
# and pipelining, limits, conditionals and ranges, gzip_static, the
# header timeout, and the access log.
#
# Fixture daemons (tests/e2e/lib.sh "Cases"):
#	main	the default configuration, for most cases
#	auto	autoindex = true
#	slow	timeouts.header = 1
# Private daemons: logd (workers = 1, its access log is counted line by
# line) and term (stopped with TERM).
#
# Each case serves files from a directory of its own, $T/root/<case>
# (see site), reached as /<case>/... in URLs.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

R=$T/root
have_get=0
[ -x "$GETCMD" ] && have_get=1

# ---------------------------------------------------------------------
# Helpers

# site: the case's own directory, $CR on disk and $CU in URLs (/<case>).
site() {
	CU=/$E2E_CASE
	CR=$R$CU
	mkdir -p "$CR"
}

# abc: a.txt, b.txt and c.txt in the case's directory.
abc() {
	printf 'AAA\n' > "$CR/a.txt"
	printf 'BBB\n' > "$CR/b.txt"
	printf 'CCC\n' > "$CR/c.txt"
}

# big: an 8 MiB file of random bytes, $CR/big.bin.
big() {
	head -c 8388608 /dev/urandom > "$CR/big.bin"
}

get() {	# get PATH [CURL ARGS]: body on stdout
	local p=$1

	shift
	curl -s --max-time 20 "$@" "$(url "$p")"
}

# reqs PATH...: sets REQ to one GET request per PATH, pipelined.
reqs() {
	local p

	REQ=""
	for p in "$@"; do
		REQ+="GET $p HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	done
}

ctype() {
	curl -s -o /dev/null --max-time 5 -w '%{content_type}' "$(url "$1")"
}

# hget HEADER PATH: the response head and body of a GET with HEADER,
# head in $CASE_DIR/h, body in $CASE_DIR/b; prints the status.
hget() {
	: > "$CASE_DIR/b"	# curl creates no file for an empty body
	curl -s --max-time 5 -D "$CASE_DIR/h" -o "$CASE_DIR/b" -H "$1" \
	    "$(url "$2")"
	status_of < "$CASE_DIR/h"
}

# clients PORT: the number of established client connections to PORT
# (remote port PORT, state 01 in /proc/net/tcp).
clients() {
	local hex

	printf -v hex '%04X' "$1"
	awk -v p=":$hex\$" '$3 ~ p && $4 == "01"' /proc/net/tcp | wc -l
}

# ---------------------------------------------------------------------
# Start-up

test_daemon_starts() {
	fixture main || return
	ok "daemon starts"
}

# ---------------------------------------------------------------------
# Exact bytes

test_bytes_curl() {
	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	big
	check "curl: small file byte-exact" \
	    cmp -s "$CR/small.txt" <(get "$CU/small.txt")
	check "curl: 8 MiB file byte-exact" \
	    cmp -s "$CR/big.bin" <(get "$CU/big.bin")
	check_eq "curl: 8 MiB file sha256" \
	    "$(sha256sum < "$CR/big.bin")" "$(get "$CU/big.bin" | sha256sum)"
}

test_bytes_get() {
	if [ "$have_get" = 0 ]; then
		skip "minihttp-get tests" "$GETCMD not built"
		return
	fi
	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	big
	abc
	check "minihttp-get: small file byte-exact" \
	    cmp -s "$CR/small.txt" <("$GETCMD" -m 20 "$(url "$CU/small.txt")")
	check "minihttp-get: 8 MiB file byte-exact" \
	    cmp -s "$CR/big.bin" <("$GETCMD" -m 20 "$(url "$CU/big.bin")")
	check "minihttp-get: three files over keep-alive" \
	    cmp -s <(cat "$CR/a.txt" "$CR/b.txt" "$CR/c.txt") \
	    <("$GETCMD" -m 20 "$(url "$CU/a.txt")" "$(url "$CU/b.txt")" \
	    "$(url "$CU/c.txt")")
}

# ---------------------------------------------------------------------
# HEAD

test_head() {
	local h out

	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	big
	abc
	h=$(curl -s -I --max-time 5 "$(url "$CU/small.txt")")
	check_eq "HEAD: status 200" 200 "$(status_of <<< "$h")"
	check_eq "HEAD: Content-Length is the file size" \
	    "$(stat -c %s "$CR/small.txt")" "$(header Content-Length <<< "$h")"
	check_eq "HEAD: 8 MiB Content-Length" 8388608 \
	    "$(curl -s -I --max-time 5 "$(url "$CU/big.bin")" |
	    header Content-Length)"
	out=$(rawreq "HEAD $CU/small.txt HTTP/1.1"$'\r\nHost: x\r\nConnection: close\r\n\r\n' |
	    od -An -c | tr -d ' \n')
	case $out in
	*'\r\n\r\n') ok "HEAD: no body after the head" ;;
	*) fail "HEAD: no body after the head" \
	    "response ends with ${out: -40}" ;;
	esac
	out=$(rawreq "HEAD $CU/small.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n'"GET $CU/a.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n')
	check_eq "HEAD then GET pipelined: two responses" "200 200" \
	    "$(statuses <<< "$out")"
	check_eq "HEAD then GET pipelined: GET body follows" "AAA" \
	    "$(tr -d '\r' <<< "$out" | tail -n 1)"
}

# ---------------------------------------------------------------------
# Headers

test_headers() {
	local h d e

	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	h=$(curl -s -D - -o /dev/null --max-time 5 "$(url "$CU/small.txt")")
	d=$(header Date <<< "$h")
	if [[ $d =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ GMT$ ]]; then
		ok "Date header in IMF-fixdate"
	else
		fail "Date header in IMF-fixdate" "got [$d]"
	fi
	check_eq "Last-Modified is the file's mtime" \
	    "$(LC_ALL=C date -u -r "$CR/small.txt" '+%a, %d %b %Y %H:%M:%S GMT')" \
	    "$(header Last-Modified <<< "$h")"
	e=$(header ETag <<< "$h")
	if [[ $e =~ ^\"[^\"]+\"$ ]]; then
		ok "strong ETag"
	else
		fail "strong ETag" "got [$e]"
	fi
	check_eq "ETag is stable" "$e" \
	    "$(curl -s -I --max-time 5 "$(url "$CU/small.txt")" | header ETag)"
}

test_content_type() {
	fixture main || return
	site
	printf '<p>page</p>\n' > "$CR/page.html"
	printf 'body { color: red; }\n' > "$CR/style.css"
	printf 'small file\n' > "$CR/small.txt"
	printf 'opaque\n' > "$CR/data.zzqx"
	printf 'no extension\n' > "$CR/noext"
	check_eq "Content-Type .html" "text/html; charset=utf-8" \
	    "$(ctype "$CU/page.html")"
	check_eq "Content-Type .css" "text/css; charset=utf-8" \
	    "$(ctype "$CU/style.css")"
	check_eq "Content-Type .txt" "text/plain; charset=utf-8" \
	    "$(ctype "$CU/small.txt")"
	check_eq "Content-Type unknown extension" "application/octet-stream" \
	    "$(ctype "$CU/data.zzqx")"
	check_eq "Content-Type no extension" "application/octet-stream" \
	    "$(ctype "$CU/noext")"
}

# ---------------------------------------------------------------------
# Status codes

test_404() {
	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	expect_status "404 missing file" 404 "$(url "$CU/missing.txt")"
	expect_status "404 missing directory" 404 "$(url "$CU/nodir/x.txt")"
	expect_status "404 file used as a directory" 404 \
	    "$(url "$CU/small.txt/")"
	expect_status "404 below a file" 404 "$(url "$CU/small.txt/x")"
	liveness "404s"
}

test_400_malformed() {
	local i bad

	fixture main || return
	bad=(
		"HTTP/0.9 request"		$'GET /\r\n\r\n'
		"%00 in the target"		$'GET /small.txt%00.html HTTP/1.1\r\nHost: x\r\n\r\n'
		"control character in target"	$'GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n'
		"space in target"		$'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n'
		"missing Host in 1.1"		$'GET / HTTP/1.1\r\n\r\n'
		"two Host headers"		$'GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n'
		"Host with a space"		$'GET / HTTP/1.1\r\nHost: bad host\r\n\r\n'
		"Host with a slash"		$'GET / HTTP/1.1\r\nHost: x/y\r\n\r\n'
		"Content-Length and Transfer-Encoding" $'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc'
		"invalid Content-Length"	$'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'
		"two different Content-Lengths"	$'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'
		"header line without colon"	$'GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'
		"space before the colon"	$'GET / HTTP/1.1\r\nHost : x\r\n\r\n'
		"binary garbage (TLS hello)"	$'\x16\x03\x01\x02\x01\x01\xfc\x03\x03\r\n\r\n'
		"missing version"		$'GET / \r\nHost: x\r\n\r\n'
		"bad version"			$'GET / HTTX/1.1\r\nHost: x\r\n\r\n'
	)
	for ((i = 0; i < ${#bad[@]}; i += 2)); do
		expect_raw "400 for ${bad[i]}" 400 "${bad[i + 1]}"
		liveness "${bad[i]}"
	done
}

test_405() {
	local m out

	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	for m in POST PUT DELETE PATCH OPTIONS TRACE; do
		out=$(rawreq "$m / HTTP/1.1"$'\r\nHost: x\r\nContent-Length: 0\r\n\r\n')
		check_eq "405 for $m" 405 "$(status_of <<< "$out")"
		check_eq "405 for $m: Allow header" "GET, HEAD" \
		    "$(header Allow <<< "$out")"
	done
	expect_status "405 for POST with curl" 405 -d x=1 \
	    "$(url "$CU/small.txt")"
	liveness "405s"
}

test_501() {
	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	expect_raw "501 for BREW" 501 $'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'
	expect_raw "501 for FOO" 501 \
	    "FOO $CU/small.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	liveness "501s"
}

test_505() {
	fixture main || return
	expect_raw "505 for HTTP/2.0" 505 $'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
	expect_raw "505 for HTTP/3.0" 505 $'GET / HTTP/3.0\r\nHost: x\r\n\r\n'
	liveness "505s"
}

# Error bodies never echo the request.
test_error_body_no_echo() {
	local out

	fixture main || return
	out=$(rawreq $'GET /<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n')
	check_eq "404 for a target with markup" 404 "$(status_of <<< "$out")"
	if grep -q 'script' <<< "$out"; then
		fail "error body does not echo the target" "it does"
	else
		ok "error body does not echo the target"
	fi
}

# ---------------------------------------------------------------------
# Directories

test_index_files() {
	fixture main || return
	site
	mkdir -p "$CR/sub" "$CR/sub dir"
	printf 'sub index\n' > "$CR/sub/index.html"
	printf 'spaced\n' > "$CR/sub dir/index.html"
	check_eq "index file of /sub/" "sub index" "$(get "$CU/sub/")"
	check_eq "index file of /" "$(cat "$R/index.html")" "$(get /)"
	check_eq "index file of a percent-encoded directory" "spaced" \
	    "$(get "$CU/sub%20dir/")"
}

test_dir_redirect() {
	local h loc

	fixture main || return
	site
	mkdir -p "$CR/sub"
	printf 'sub index\n' > "$CR/sub/index.html"
	h=$(curl -s -D - -o /dev/null --max-time 5 "$(url "$CU/sub")")
	check_eq "301 for a directory without slash" 301 "$(status_of <<< "$h")"
	loc=$(header Location <<< "$h")
	case $loc in
	"$CU/sub/" | http://*"$CU/sub/") ok "301 Location is /sub/" ;;
	*) fail "301 Location is /sub/" "got [$loc]" ;;
	esac
	h=$(curl -s -D - -o /dev/null --max-time 5 "$(url "$CU/sub?x=1&y=2")")
	check_eq "301 with a query" 301 "$(status_of <<< "$h")"
	loc=$(header Location <<< "$h")
	case $loc in
	"$CU/sub/?x=1&y=2" | http://*"$CU/sub/?x=1&y=2")
		ok "301 Location keeps the query" ;;
	*) fail "301 Location keeps the query" "got [$loc]" ;;
	esac
}

test_query_ignored_for_file() {
	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	expect_status "query ignored for a file" 200 "$(url "$CU/small.txt?v=1")"
}

test_dir_without_index_403() {
	fixture main || return
	site
	mkdir -p "$CR/list"
	printf 'one\n' > "$CR/list/one.txt"
	expect_status "403 for a directory without index (autoindex off)" 403 \
	    "$(url "$CU/list/")"
	liveness "directories"
}

# ---------------------------------------------------------------------
# Keep-alive and pipelining

test_keepalive_curl() {
	local n

	fixture main || return
	site
	abc
	n=$(curl -s --max-time 10 -w "%{num_connects}\n" -o /dev/null \
	    -o /dev/null -o /dev/null "$(url "$CU/a.txt")" \
	    "$(url "$CU/b.txt")" "$(url "$CU/c.txt")" | paste -sd' ')
	check_eq "curl: three URLs over one connection" "1 0 0" "$n"
	n=$(curl -s --max-time 10 -w "%{num_connects}\n" -o /dev/null \
	    -o /dev/null "$(url "$CU/missing")" "$(url "$CU/a.txt")" |
	    paste -sd' ')
	check_eq "keep-alive kept after a 404" "1 0" "$n"
}

test_pipelining() {
	local out rc

	fixture main || return
	site
	abc
	reqs "$CU/a.txt" "$CU/b.txt" "$CU/c.txt"
	out=$(rawreq "$REQ")
	rc=$?
	check_eq "three pipelined requests: three responses" "200 200 200" \
	    "$(statuses <<< "$out")"
	check_eq "three pipelined requests: in order" "AAA BBB CCC" \
	    "$(tr -d '\r' <<< "$out" | grep -x '[ABC]\{3\}' | paste -sd' ')"
	check_eq "server closes after the client's end of stream" 0 "$rc"
	reqs "$CU/a.txt" "$CU/missing" "$CU/c.txt"
	out=$(rawreq "$REQ")
	check_eq "pipelining continues after a 404" "200 404 200" \
	    "$(statuses <<< "$out")"
}

test_http10_close() {
	local out rc

	fixture main || return
	site
	abc
	out=$(rawreq "GET $CU/a.txt HTTP/1.0"$'\r\n\r\n' -k)
	rc=$?
	check_eq "HTTP/1.0 without keep-alive: answered" 200 \
	    "$(status_of <<< "$out")"
	check_eq "HTTP/1.0 without keep-alive: server closes" 0 "$rc"
}

test_connection_close() {
	local rc

	fixture main || return
	site
	abc
	rawreq "GET $CU/a.txt HTTP/1.1"$'\r\nHost: x\r\nConnection: close\r\n\r\n' \
	    -k > /dev/null
	rc=$?
	check_eq "HTTP/1.1 Connection: close: server closes" 0 "$rc"
}

test_http10_keepalive() {
	local out rc

	fixture main || return
	site
	abc
	out=$(rawreq "GET $CU/a.txt HTTP/1.0"$'\r\nConnection: keep-alive\r\n\r\n'"GET $CU/b.txt HTTP/1.0"$'\r\n\r\n' -k)
	rc=$?
	check_eq "HTTP/1.0 keep-alive: both answered" "200 200" \
	    "$(statuses <<< "$out")"
	check_eq "HTTP/1.0 keep-alive: response says keep-alive" "keep-alive" \
	    "$(header Connection <<< "$out" | tr '[:upper:]' '[:lower:]')"
	check_eq "HTTP/1.0 keep-alive: closed after the last" 0 "$rc"
}

# A GET with a body: the body is discarded, even when it looks like a
# request, and the next pipelined request is answered.
test_get_body_discarded() {
	local body out

	fixture main || return
	site
	abc
	reqs "$CU/c.txt"
	body=$REQ
	out=$(rawreq "GET $CU/a.txt HTTP/1.1"$'\r\nHost: x\r\n'"Content-Length: ${#body}"$'\r\n\r\n'"${body}GET $CU/b.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n')
	check_eq "GET with a body then a pipelined request: two responses" \
	    "200 200" "$(statuses <<< "$out")"
	check_eq "GET with a body: body not taken as a request" "AAA BBB" \
	    "$(tr -d '\r' <<< "$out" | grep -x '[ABC]\{3\}' | paste -sd' ')"
	liveness "request bodies"
}

# ---------------------------------------------------------------------
# Limits (defaults: max_request_header 8192, max_headers 100)

test_414() {
	local long

	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	long=$(head -c 9000 /dev/zero | tr '\0' a)
	expect_raw "414 for a 9000-byte request line" 414 \
	    "GET /$long HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	expect_raw "414 for a 9000-byte query" 414 \
	    "GET $CU/small.txt?$long HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	liveness "414"
}

test_431_size() {
	local long big i

	fixture main || return
	long=$(head -c 500 /dev/zero | tr '\0' a)
	big=""
	for ((i = 0; i < 20; i++)); do
		big+="X-Filler-$i: $long"$'\r\n'
	done
	expect_raw "431 for a 10 kB head" 431 \
	    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"$big"$'\r\n'
	liveness "431 (size)"
}

test_431_count() {
	local many i

	fixture main || return
	many=""
	for ((i = 0; i < 150; i++)); do
		many+="X-H$i: v"$'\r\n'
	done
	expect_raw "431 for 150 header fields" 431 \
	    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"$many"$'\r\n'
	liveness "431 (count)"
}

test_long_within_limits() {
	local long

	fixture main || return
	site
	printf 'small file\n' > "$CR/small.txt"
	long=$(head -c 7000 /dev/zero | tr '\0' a)
	expect_raw "a 4000-byte path is fine (404)" 404 \
	    "GET /${long:0:4000} HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	expect_raw "a 7000-byte query within the head limit is fine (200)" 200 \
	    "GET $CU/small.txt?$long HTTP/1.1"$'\r\nHost: x\r\n\r\n'
}

# ---------------------------------------------------------------------
# Conditionals (RFC 9110 section 13)

# r_txt: $CR/r.txt, 16 bytes; sets ETAG and LM, its validators.
r_txt() {
	printf '0123456789abcdef' > "$CR/r.txt"
	ETAG=$(curl -s -I --max-time 5 "$(url "$CU/r.txt")" | header ETag)
	LM=$(curl -s -I --max-time 5 "$(url "$CU/r.txt")" |
	    header Last-Modified)
}

test_if_none_match() {
	fixture main || return
	site
	r_txt
	check_eq "If-None-Match with the ETag: 304" 304 \
	    "$(hget "If-None-Match: $ETAG" "$CU/r.txt")"
	check_eq "304: no body" 0 "$(wc -c < "$CASE_DIR/b")"
	check_eq "304: ETag repeated" "$ETAG" "$(header ETag < "$CASE_DIR/h")"
	check_eq "If-None-Match weak comparison: 304" 304 \
	    "$(hget "If-None-Match: W/$ETAG" "$CU/r.txt")"
	check_eq "If-None-Match list: 304" 304 \
	    "$(hget "If-None-Match: \"other\", $ETAG" "$CU/r.txt")"
	check_eq "If-None-Match *: 304" 304 \
	    "$(hget 'If-None-Match: *' "$CU/r.txt")"
	check_eq "If-None-Match another tag: 200" 200 \
	    "$(hget 'If-None-Match: "other"' "$CU/r.txt")"
}

test_if_modified_since() {
	local rfc850 asct out

	fixture main || return
	site
	r_txt
	check_eq "If-Modified-Since Last-Modified: 304" 304 \
	    "$(hget "If-Modified-Since: $LM" "$CU/r.txt")"
	check_eq "If-Modified-Since in 1994: 200" 200 \
	    "$(hget 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT' "$CU/r.txt")"
	rfc850=$(LC_ALL=C date -u -d "$LM" '+%A, %d-%b-%y %H:%M:%S GMT')
	asct=$(LC_ALL=C date -u -d "$LM" '+%a %b %e %H:%M:%S %Y')
	check_eq "If-Modified-Since in RFC 850 form: 304" 304 \
	    "$(hget "If-Modified-Since: $rfc850" "$CU/r.txt")"
	check_eq "If-Modified-Since in asctime form: 304" 304 \
	    "$(hget "If-Modified-Since: $asct" "$CU/r.txt")"
	out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
	    -H 'If-None-Match: "other"' -H "If-Modified-Since: $LM" \
	    "$(url "$CU/r.txt")")
	check_eq "If-None-Match wins over If-Modified-Since: 200" 200 "$out"
}

test_if_match() {
	fixture main || return
	site
	r_txt
	check_eq "If-Match another tag: 412" 412 \
	    "$(hget 'If-Match: "nope"' "$CU/r.txt")"
	check_eq "If-Match the ETag: 200" 200 \
	    "$(hget "If-Match: $ETAG" "$CU/r.txt")"
	check_eq "If-Match *: 200" 200 "$(hget 'If-Match: *' "$CU/r.txt")"
	check_eq "If-Unmodified-Since in 1994: 412" 412 \
	    "$(hget 'If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT' "$CU/r.txt")"
}

# ---------------------------------------------------------------------
# Ranges

test_range_single() {
	local b=$CASE_DIR/b h=$CASE_DIR/h

	fixture main || return
	site
	printf '0123456789abcdef' > "$CR/r.txt"
	check_eq "Range 0-3: 206" 206 "$(hget 'Range: bytes=0-3' "$CU/r.txt")"
	check_eq "Range 0-3: body" 0123 "$(cat "$b")"
	check_eq "Range 0-3: Content-Range" "bytes 0-3/16" \
	    "$(header Content-Range < "$h")"
	check_eq "Range 0-3: Content-Length" 4 "$(header Content-Length < "$h")"
	check_eq "Range -4: 206" 206 "$(hget 'Range: bytes=-4' "$CU/r.txt")"
	check_eq "Range -4: the last 4 bytes" cdef "$(cat "$b")"
	check_eq "Range 10-: 206" 206 "$(hget 'Range: bytes=10-' "$CU/r.txt")"
	check_eq "Range 10-: to the end" abcdef "$(cat "$b")"
	check_eq "Range 10-100: clipped" "bytes 10-15/16" \
	    "$(hget 'Range: bytes=10-100' "$CU/r.txt" >/dev/null
	    header Content-Range < "$h")"
	check_eq "Range beyond the end: 416" 416 \
	    "$(hget 'Range: bytes=100-' "$CU/r.txt")"
	check_eq "416: Content-Range bytes */16" "bytes */16" \
	    "$(header Content-Range < "$h")"
	check_eq "Range with an unknown unit: ignored (200)" 200 \
	    "$(hget 'Range: items=0-3' "$CU/r.txt")"
	check "Range with an unknown unit: whole body" cmp -s "$CR/r.txt" "$b"
}

test_range_multi() {
	local b=$CASE_DIR/b h=$CASE_DIR/h

	fixture main || return
	site
	head -c 100000 /dev/urandom > "$CR/r.bin"
	check_eq "two distant ranges: 206" 206 \
	    "$(hget 'Range: bytes=0-9,50000-50009' "$CU/r.bin")"
	case $(header Content-Type < "$h") in
	multipart/byteranges\;*boundary=*)
		ok "two ranges: multipart/byteranges" ;;
	*) fail "two ranges: multipart/byteranges" \
	    "got [$(header Content-Type < "$h")]" ;;
	esac
	check "two ranges: first part" \
	    grep -qa 'Content-Range: bytes 0-9/100000' "$b"
	check "two ranges: second part" \
	    grep -qa 'Content-Range: bytes 50000-50009/100000' "$b"
	check_eq "two ranges: Content-Length is the body size" \
	    "$(wc -c < "$b")" "$(header Content-Length < "$h")"
	liveness "ranges"
}

test_if_range() {
	local out

	fixture main || return
	site
	r_txt
	out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
	    -H 'Range: bytes=0-3' -H "If-Range: $ETAG" "$(url "$CU/r.txt")")
	check_eq "If-Range with the ETag: 206" 206 "$out"
	out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
	    -H 'Range: bytes=0-3' -H 'If-Range: "old"' "$(url "$CU/r.txt")")
	check_eq "If-Range with another tag: 200" 200 "$out"
}

# ---------------------------------------------------------------------
# gzip_static, FIFOs

test_gzip_static() {
	local b=$CASE_DIR/b h=$CASE_DIR/h

	fixture main || return
	site
	printf 'plain text, also stored compressed\n' > "$CR/g.txt"
	gzip -9nc "$CR/g.txt" > "$CR/g.txt.gz"
	check_eq "gzip_static: 200" 200 \
	    "$(hget 'Accept-Encoding: gzip' "$CU/g.txt")"
	check_eq "gzip_static: Content-Encoding gzip" gzip \
	    "$(header Content-Encoding < "$h")"
	check_eq "gzip_static: type of the original" \
	    "text/plain; charset=utf-8" "$(header Content-Type < "$h")"
	check "gzip_static: the .gz bytes" cmp -s "$CR/g.txt.gz" "$b"
	check_eq "gzip_static without Accept-Encoding: plain" "" \
	    "$(hget 'X-None: 1' "$CU/g.txt" >/dev/null
	    header Content-Encoding < "$h")"
	check "gzip_static without Accept-Encoding: plain bytes" \
	    cmp -s "$CR/g.txt" "$b"
	check_eq "gzip q=0 refused: plain" "" \
	    "$(hget 'Accept-Encoding: gzip;q=0' "$CU/g.txt" >/dev/null
	    header Content-Encoding < "$h")"
}

test_fifo_403() {
	fixture main || return
	site
	[ -p "$CR/fifo" ] || mkfifo "$CR/fifo"
	expect_status "a FIFO in the root: 403" 403 "$(url "$CU/fifo")"
	liveness "FIFO"
}

# ---------------------------------------------------------------------
# Autoindex

test_autoindex() {
	local h head=$CASE_DIR/head

	fixture auto 'autoindex = true;' || return
	site
	mkdir -p "$CR/list" "$CR/sub"
	printf 'one\n' > "$CR/list/one.txt"
	printf 'two\n' > "$CR/list/two.txt"
	printf 'hidden\n' > "$CR/list/.hidden"
	printf 'markup\n' > "$CR/list/a<b>&c.txt"
	printf 'sub index\n' > "$CR/sub/index.html"
	h=$(curl -s -D "$head" --max-time 5 "$(url "$CU/list/")")
	check_eq "autoindex on: 200" 200 "$(status_of < "$head")"
	check_eq "autoindex on: HTML" "text/html; charset=utf-8" \
	    "$(header Content-Type < "$head")"
	check "autoindex on: lists one.txt" grep -q 'one\.txt' <<< "$h"
	check "autoindex on: lists two.txt" grep -q 'two\.txt' <<< "$h"
	if grep -q 'hidden' <<< "$h"; then
		fail "autoindex hides dotfiles" ".hidden listed"
	else
		ok "autoindex hides dotfiles"
	fi
	if grep -qF 'a<b>&c' <<< "$h"; then
		fail "autoindex escapes names" "raw a<b>&c.txt in the listing"
	else
		check "autoindex escapes names" \
		    grep -qF 'a&lt;b&gt;&amp;c' <<< "$h"
	fi
	check_eq "autoindex on: index.html still wins" "sub index" \
	    "$(get "$CU/sub/")"
	liveness "autoindex"
}

# ---------------------------------------------------------------------
# Header timeout: a slow, incomplete head gets 408 while another client
# is served normally.

test_header_timeout() {
	local p1 p2 rc partial=$CASE_DIR/partial.out
	local slowloris=$CASE_DIR/slowloris.out

	fixture slow 'timeouts = { header = 1; keepalive = 5; send = 10; shutdown = 5; };' ||
	    return
	"$RAWHTTP" -k -t 10 "$PORT" > "$partial" \
	    < <(printf 'GET / HTTP/1.1\r\nHost: x\r\n') &
	p1=$!
	bg_track "$p1"
	printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\nX-More: still sending\r\n\r\n' |
	    "$RAWHTTP" -b 150 -t 15 "$PORT" > "$slowloris" &
	p2=$!
	bg_track "$p2"
	# Both slow clients are connected before the third one asks.
	two_clients() {
		[ "$(clients "$PORT")" -ge 2 ]
	}
	wait_until 5 two_clients
	expect_status "another client is served during a slow head" 200 \
	    "$(url /)"
	wait "$p1"
	rc=$?
	check_eq "408 for an incomplete head" 408 "$(status_of < "$partial")"
	check_eq "408: connection closed" 0 "$rc"
	wait "$p2"
	check_eq "408 for a head sent byte by byte (total time, not per byte)" \
	    408 "$(status_of < "$slowloris")"
	liveness "408"
}

# ---------------------------------------------------------------------
# Access log: one Combined Log Format line per request, with status and
# bytes sent.  A daemon of its own, so that no other case adds lines.

test_access_log() {
	local log new=$CASE_DIR/log.new s404 l clf

	daemon_start logd 'workers = 1;' ||
	    { fail "log daemon starts" "see above"; return; }
	site
	printf 'small file\n' > "$CR/small.txt"
	big
	abc
	log=$DDIR/access.log
	s404=$(curl -s -o /dev/null --max-time 5 -w '%{size_download}' \
	    "$(url "$CU/missing")")
	curl -s -o /dev/null --max-time 5 -e 'http://ref.example/' \
	    -A 'e2e-agent/1.0' "$(url "$CU/small.txt")"
	curl -s -o /dev/null --max-time 20 "$(url "$CU/big.bin")"
	curl -s -o /dev/null --max-time 5 -I "$(url "$CU/a.txt")"
	rawreq "POST $CU/a.txt HTTP/1.1"$'\r\nHost: x\r\nContent-Length: 0\r\n\r\n' \
	    >/dev/null
	# Leave out the lines of daemon_start's readiness probe (GET /).
	ours() {
		grep -vF '"GET / HTTP/1.1"' "$log" > "$new" 2>/dev/null
		[ "$(wc -l < "$new")" -ge 5 ]
	}
	wait_until 5 ours
	check_eq "access log: one line per request" 5 "$(wc -l < "$new")"
	clf='^127\.0\.0\.1 [^ ]+ [^ ]+ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] "[^"]*" [0-9]{3} ([0-9]+|-) "[^"]*" "[^"]*"$'
	check_eq "access log: every line is Combined Log Format" 0 \
	    "$(grep -cvE "$clf" "$new")"
	l=$(sed -n 1p "$new")
	check "access log: 404 with its body size ($s404)" \
	    grep -qE "\"GET $CU/missing HTTP/1.1\" 404 $s404 " <<< "$l"
	l=$(sed -n 2p "$new")
	check "access log: 200 with size, referer and user agent" \
	    grep -qF "\"GET $CU/small.txt HTTP/1.1\" 200 $(stat -c %s "$CR/small.txt") \"http://ref.example/\" \"e2e-agent/1.0\"" <<< "$l"
	l=$(sed -n 3p "$new")
	check "access log: 8 MiB sent" \
	    grep -qF "\"GET $CU/big.bin HTTP/1.1\" 200 8388608 " <<< "$l"
	l=$(sed -n 4p "$new")
	check "access log: HEAD sends no body bytes" \
	    grep -qE "\"HEAD $CU/a.txt HTTP/1.1\" 200 (0|-) " <<< "$l"
	l=$(sed -n 5p "$new")
	check "access log: 405" \
	    grep -qE "\"POST $CU/a.txt HTTP/1.1\" 405 " <<< "$l"
	daemon_stop logd
}

# ---------------------------------------------------------------------
# The end

# The shared daemon is still there after everything before it.
test_main_lives_on() {
	fixture main || return
	liveness "everything"
	check "daemon still running" alive "$DPID"
}

test_stops_on_term() {
	daemon_start term ||
	    { fail "daemon term starts" "see above"; return; }
	check "daemon stops on TERM" daemon_stop term
}

e2e_run "$@"
