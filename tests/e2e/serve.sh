#!/bin/bash
#
# serve: the daemon serves static files as DESIGN.md section 4 says:
# exact bytes (small and multi-megabyte files) with curl and minihttp-get,
# HEAD, status codes for missing files and malformed or unsupported
# requests, index files, redirects, autoindex, content types, keep-alive
# and pipelining, limits, the header timeout, and the access log.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

R=$T/root
have_get=0
[ -x "$GETCMD" ] && have_get=1

# ---------------------------------------------------------------------
# The site
printf 'small file\n' > "$R/small.txt"
printf 'AAA\n' > "$R/a.txt"
printf 'BBB\n' > "$R/b.txt"
printf 'CCC\n' > "$R/c.txt"
printf '<p>page</p>\n' > "$R/page.html"
printf 'body { color: red; }\n' > "$R/style.css"
printf 'opaque\n' > "$R/data.zzqx"
printf 'no extension\n' > "$R/noext"
head -c 8388608 /dev/urandom > "$R/big.bin"
mkdir -p "$R/sub" "$R/list" "$R/sub dir"
printf 'sub index\n' > "$R/sub/index.html"
printf 'spaced\n' > "$R/sub dir/index.html"
printf 'one\n' > "$R/list/one.txt"
printf 'two\n' > "$R/list/two.txt"
printf 'hidden\n' > "$R/list/.hidden"
printf 'markup\n' > "$R/list/a<b>&c.txt"

daemon_start main || { fail "daemon starts" "see above"; finish; }
ok "daemon starts"

get() {	# get PATH [CURL ARGS]: body on stdout
	local p=$1

	shift
	curl -s --max-time 20 "$@" "$(url "$p")"
}

# ---------------------------------------------------------------------
# Exact bytes
check "curl: small file byte-exact" \
    cmp -s "$R/small.txt" <(get /small.txt)
check "curl: 8 MiB file byte-exact" \
    cmp -s "$R/big.bin" <(get /big.bin)
check_eq "curl: 8 MiB file sha256" \
    "$(sha256sum < "$R/big.bin")" "$(get /big.bin | sha256sum)"
if [ "$have_get" = 1 ]; then
	check "minihttp-get: small file byte-exact" \
	    cmp -s "$R/small.txt" <("$GETCMD" -m 20 "$(url /small.txt)")
	check "minihttp-get: 8 MiB file byte-exact" \
	    cmp -s "$R/big.bin" <("$GETCMD" -m 20 "$(url /big.bin)")
	check "minihttp-get: three files over keep-alive" \
	    cmp -s <(cat "$R/a.txt" "$R/b.txt" "$R/c.txt") \
	    <("$GETCMD" -m 20 "$(url /a.txt)" "$(url /b.txt)" "$(url /c.txt)")
else
	skip "minihttp-get tests" "$GETCMD not built"
fi

# ---------------------------------------------------------------------
# HEAD
h=$(curl -s -I --max-time 5 "$(url /small.txt)")
check_eq "HEAD: status 200" 200 "$(status_of <<< "$h")"
check_eq "HEAD: Content-Length is the file size" \
    "$(stat -c %s "$R/small.txt")" "$(header Content-Length <<< "$h")"
check_eq "HEAD: 8 MiB Content-Length" 8388608 \
    "$(curl -s -I --max-time 5 "$(url /big.bin)" | header Content-Length)"
out=$(rawreq $'HEAD /small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | od -An -c | tr -d ' \n')
case $out in
*'\r\n\r\n') ok "HEAD: no body after the head" ;;
*) fail "HEAD: no body after the head" "response ends with ${out: -40}" ;;
esac
out=$(rawreq $'HEAD /small.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n')
check_eq "HEAD then GET pipelined: two responses" "200 200" \
    "$(statuses <<< "$out")"
check_eq "HEAD then GET pipelined: GET body follows" "AAA" \
    "$(tr -d '\r' <<< "$out" | tail -n 1)"

# ---------------------------------------------------------------------
# Headers
h=$(curl -s -D - -o /dev/null --max-time 5 "$(url /small.txt)")
d=$(header Date <<< "$h")
if [[ $d =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ GMT$ ]]; then
	ok "Date header in IMF-fixdate"
else
	fail "Date header in IMF-fixdate" "got [$d]"
fi
check_eq "Last-Modified is the file's mtime" \
    "$(LC_ALL=C date -u -r "$R/small.txt" '+%a, %d %b %Y %H:%M:%S GMT')" \
    "$(header Last-Modified <<< "$h")"
e=$(header ETag <<< "$h")
if [[ $e =~ ^\"[^\"]+\"$ ]]; then
	ok "strong ETag"
else
	fail "strong ETag" "got [$e]"
fi
check_eq "ETag is stable" "$e" \
    "$(curl -s -I --max-time 5 "$(url /small.txt)" | header ETag)"

ctype() {
	curl -s -o /dev/null --max-time 5 -w '%{content_type}' "$(url "$1")"
}
check_eq "Content-Type .html" "text/html; charset=utf-8" "$(ctype /page.html)"
check_eq "Content-Type .css" "text/css; charset=utf-8" "$(ctype /style.css)"
check_eq "Content-Type .txt" "text/plain; charset=utf-8" "$(ctype /small.txt)"
check_eq "Content-Type unknown extension" "application/octet-stream" \
    "$(ctype /data.zzqx)"
check_eq "Content-Type no extension" "application/octet-stream" \
    "$(ctype /noext)"

# ---------------------------------------------------------------------
# Status codes
expect_status "404 missing file" 404 "$(url /missing.txt)"
expect_status "404 missing directory" 404 "$(url /nodir/x.txt)"
expect_status "404 file used as a directory" 404 "$(url /small.txt/)"
expect_status "404 below a file" 404 "$(url /small.txt/x)"
liveness "404s"

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

for m in POST PUT DELETE PATCH OPTIONS TRACE; do
	out=$(rawreq "$m / HTTP/1.1"$'\r\nHost: x\r\nContent-Length: 0\r\n\r\n')
	check_eq "405 for $m" 405 "$(status_of <<< "$out")"
	check_eq "405 for $m: Allow header" "GET, HEAD" \
	    "$(header Allow <<< "$out")"
done
expect_status "405 for POST with curl" 405 -d x=1 "$(url /small.txt)"
liveness "405s"
expect_raw "501 for BREW" 501 $'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'
expect_raw "501 for FOO" 501 $'FOO /small.txt HTTP/1.1\r\nHost: x\r\n\r\n'
liveness "501s"
expect_raw "505 for HTTP/2.0" 505 $'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
expect_raw "505 for HTTP/3.0" 505 $'GET / HTTP/3.0\r\nHost: x\r\n\r\n'
liveness "505s"

# Error bodies never echo the request.
out=$(rawreq $'GET /<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n')
check_eq "404 for a target with markup" 404 "$(status_of <<< "$out")"
if grep -q 'script' <<< "$out"; then
	fail "error body does not echo the target" "it does"
else
	ok "error body does not echo the target"
fi

# ---------------------------------------------------------------------
# Directories
check_eq "index file of /sub/" "sub index" "$(get /sub/)"
check_eq "index file of /" "$(cat "$R/index.html")" "$(get /)"
check_eq "index file of a percent-encoded directory" "spaced" \
    "$(get /sub%20dir/)"
h=$(curl -s -D - -o /dev/null --max-time 5 "$(url /sub)")
check_eq "301 for a directory without slash" 301 "$(status_of <<< "$h")"
loc=$(header Location <<< "$h")
case $loc in
/sub/ | http://*/sub/) ok "301 Location is /sub/" ;;
*) fail "301 Location is /sub/" "got [$loc]" ;;
esac
h=$(curl -s -D - -o /dev/null --max-time 5 "$(url '/sub?x=1&y=2')")
check_eq "301 with a query" 301 "$(status_of <<< "$h")"
loc=$(header Location <<< "$h")
case $loc in
'/sub/?x=1&y=2' | http://*'/sub/?x=1&y=2') ok "301 Location keeps the query" ;;
*) fail "301 Location keeps the query" "got [$loc]" ;;
esac
expect_status "query ignored for a file" 200 "$(url '/small.txt?v=1')"
expect_status "403 for a directory without index (autoindex off)" 403 \
    "$(url /list/)"
liveness "directories"

# ---------------------------------------------------------------------
# Keep-alive and pipelining
n=$(curl -s --max-time 10 -w "%{num_connects}\n" -o /dev/null -o /dev/null \
    -o /dev/null "$(url /a.txt)" "$(url /b.txt)" "$(url /c.txt)" | paste -sd' ')
check_eq "curl: three URLs over one connection" "1 0 0" "$n"
n=$(curl -s --max-time 10 -w "%{num_connects}\n" -o /dev/null -o /dev/null \
    "$(url /missing)" "$(url /a.txt)" | paste -sd' ')
check_eq "keep-alive kept after a 404" "1 0" "$n"
out=$(rawreq $'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /c.txt HTTP/1.1\r\nHost: x\r\n\r\n')
rc=$?
check_eq "three pipelined requests: three responses" "200 200 200" \
    "$(statuses <<< "$out")"
check_eq "three pipelined requests: in order" "AAA BBB CCC" \
    "$(tr -d '\r' <<< "$out" | grep -x '[ABC]\{3\}' | paste -sd' ')"
check_eq "server closes after the client's end of stream" 0 "$rc"
out=$(rawreq $'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\nGET /c.txt HTTP/1.1\r\nHost: x\r\n\r\n')
check_eq "pipelining continues after a 404" "200 404 200" \
    "$(statuses <<< "$out")"
out=$(rawreq $'GET /a.txt HTTP/1.0\r\n\r\n' -k)
rc=$?
check_eq "HTTP/1.0 without keep-alive: answered" 200 "$(status_of <<< "$out")"
check_eq "HTTP/1.0 without keep-alive: server closes" 0 "$rc"
out=$(rawreq $'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' -k)
rc=$?
check_eq "HTTP/1.1 Connection: close: server closes" 0 "$rc"
out=$(rawreq $'GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b.txt HTTP/1.0\r\n\r\n' -k)
rc=$?
check_eq "HTTP/1.0 keep-alive: both answered" "200 200" "$(statuses <<< "$out")"
check_eq "HTTP/1.0 keep-alive: response says keep-alive" "keep-alive" \
    "$(header Connection <<< "$out" | tr A-Z a-z)"
check_eq "HTTP/1.0 keep-alive: closed after the last" 0 "$rc"

# A GET with a body: the body is discarded, even when it looks like a
# request, and the next pipelined request is answered.
body=$'GET /c.txt HTTP/1.1\r\nHost: x\r\n\r\n'
out=$(rawreq "GET /a.txt HTTP/1.1"$'\r\nHost: x\r\n'"Content-Length: ${#body}"$'\r\n\r\n'"${body}GET /b.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n')
check_eq "GET with a body then a pipelined request: two responses" \
    "200 200" "$(statuses <<< "$out")"
check_eq "GET with a body: body not taken as a request" "AAA BBB" \
    "$(tr -d '\r' <<< "$out" | grep -x '[ABC]\{3\}' | paste -sd' ')"
liveness "request bodies"

# ---------------------------------------------------------------------
# Limits (defaults: max_request_header 8192, max_headers 100)
long=$(head -c 9000 /dev/zero | tr '\0' a)
expect_raw "414 for a 9000-byte request line" 414 \
    "GET /$long HTTP/1.1"$'\r\nHost: x\r\n\r\n'
expect_raw "414 for a 9000-byte query" 414 \
    "GET /small.txt?$long HTTP/1.1"$'\r\nHost: x\r\n\r\n'
liveness "414"
big=""
for ((i = 0; i < 20; i++)); do
	big+="X-Filler-$i: ${long:0:500}"$'\r\n'
done
expect_raw "431 for a 10 kB head" 431 \
    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"$big"$'\r\n'
liveness "431 (size)"
many=""
for ((i = 0; i < 150; i++)); do
	many+="X-H$i: v"$'\r\n'
done
expect_raw "431 for 150 header fields" 431 \
    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"$many"$'\r\n'
liveness "431 (count)"
expect_raw "a 4000-byte path is fine (404)" 404 \
    "GET /${long:0:4000} HTTP/1.1"$'\r\nHost: x\r\n\r\n'
expect_raw "a 7000-byte query within the head limit is fine (200)" 200 \
    "GET /small.txt?${long:0:7000} HTTP/1.1"$'\r\nHost: x\r\n\r\n'

# ---------------------------------------------------------------------
# Conditionals (RFC 9110 section 13), ranges, gzip_static, FIFOs.
printf '0123456789abcdef' > "$R/r.txt"
head -c 100000 /dev/urandom > "$R/r.bin"
printf 'plain text, also stored compressed\n' > "$R/g.txt"
gzip -9nc "$R/g.txt" > "$R/g.txt.gz"
mkfifo "$R/fifo"
# hget HEADER PATH: the response head and body of a GET with HEADER,
# head in $T/h, body in $T/b; prints the status.
hget() {
	: > "$T/b"	# curl creates no file for an empty body
	curl -s --max-time 5 -D "$T/h" -o "$T/b" -H "$1" "$(url "$2")"
	status_of < "$T/h"
}
etag=$(curl -s -I --max-time 5 "$(url /r.txt)" | header ETag)
lm=$(curl -s -I --max-time 5 "$(url /r.txt)" | header Last-Modified)
check_eq "If-None-Match with the ETag: 304" 304 \
    "$(hget "If-None-Match: $etag" /r.txt)"
check_eq "304: no body" 0 "$(wc -c < "$T/b")"
check_eq "304: ETag repeated" "$etag" "$(header ETag < "$T/h")"
check_eq "If-None-Match weak comparison: 304" 304 \
    "$(hget "If-None-Match: W/$etag" /r.txt)"
check_eq "If-None-Match list: 304" 304 \
    "$(hget "If-None-Match: \"other\", $etag" /r.txt)"
check_eq "If-None-Match *: 304" 304 "$(hget 'If-None-Match: *' /r.txt)"
check_eq "If-None-Match another tag: 200" 200 \
    "$(hget 'If-None-Match: "other"' /r.txt)"
check_eq "If-Modified-Since Last-Modified: 304" 304 \
    "$(hget "If-Modified-Since: $lm" /r.txt)"
check_eq "If-Modified-Since in 1994: 200" 200 \
    "$(hget 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT' /r.txt)"
rfc850=$(LC_ALL=C date -u -d "$lm" '+%A, %d-%b-%y %H:%M:%S GMT')
asct=$(LC_ALL=C date -u -d "$lm" '+%a %b %e %H:%M:%S %Y')
check_eq "If-Modified-Since in RFC 850 form: 304" 304 \
    "$(hget "If-Modified-Since: $rfc850" /r.txt)"
check_eq "If-Modified-Since in asctime form: 304" 304 \
    "$(hget "If-Modified-Since: $asct" /r.txt)"
out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
    -H 'If-None-Match: "other"' -H "If-Modified-Since: $lm" "$(url /r.txt)")
check_eq "If-None-Match wins over If-Modified-Since: 200" 200 "$out"
check_eq "If-Match another tag: 412" 412 "$(hget 'If-Match: "nope"' /r.txt)"
check_eq "If-Match the ETag: 200" 200 "$(hget "If-Match: $etag" /r.txt)"
check_eq "If-Match *: 200" 200 "$(hget 'If-Match: *' /r.txt)"
check_eq "If-Unmodified-Since in 1994: 412" 412 \
    "$(hget 'If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT' /r.txt)"
check_eq "Range 0-3: 206" 206 "$(hget 'Range: bytes=0-3' /r.txt)"
check_eq "Range 0-3: body" 0123 "$(cat "$T/b")"
check_eq "Range 0-3: Content-Range" "bytes 0-3/16" \
    "$(header Content-Range < "$T/h")"
check_eq "Range 0-3: Content-Length" 4 "$(header Content-Length < "$T/h")"
check_eq "Range -4: 206" 206 "$(hget 'Range: bytes=-4' /r.txt)"
check_eq "Range -4: the last 4 bytes" cdef "$(cat "$T/b")"
check_eq "Range 10-: 206" 206 "$(hget 'Range: bytes=10-' /r.txt)"
check_eq "Range 10-: to the end" abcdef "$(cat "$T/b")"
check_eq "Range 10-100: clipped" "bytes 10-15/16" \
    "$(hget 'Range: bytes=10-100' /r.txt >/dev/null; header Content-Range < "$T/h")"
check_eq "Range beyond the end: 416" 416 "$(hget 'Range: bytes=100-' /r.txt)"
check_eq "416: Content-Range bytes */16" "bytes */16" \
    "$(header Content-Range < "$T/h")"
check_eq "Range with an unknown unit: ignored (200)" 200 \
    "$(hget 'Range: items=0-3' /r.txt)"
check "Range with an unknown unit: whole body" cmp -s "$R/r.txt" "$T/b"
check_eq "two distant ranges: 206" 206 \
    "$(hget 'Range: bytes=0-9,50000-50009' /r.bin)"
case $(header Content-Type < "$T/h") in
multipart/byteranges\;*boundary=*) ok "two ranges: multipart/byteranges" ;;
*) fail "two ranges: multipart/byteranges" \
    "got [$(header Content-Type < "$T/h")]" ;;
esac
check "two ranges: first part" grep -qa 'Content-Range: bytes 0-9/100000' "$T/b"
check "two ranges: second part" \
    grep -qa 'Content-Range: bytes 50000-50009/100000' "$T/b"
check_eq "two ranges: Content-Length is the body size" "$(wc -c < "$T/b")" \
    "$(header Content-Length < "$T/h")"
out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
    -H 'Range: bytes=0-3' -H "If-Range: $etag" "$(url /r.txt)")
check_eq "If-Range with the ETag: 206" 206 "$out"
out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
    -H 'Range: bytes=0-3' -H 'If-Range: "old"' "$(url /r.txt)")
check_eq "If-Range with another tag: 200" 200 "$out"
liveness "ranges"
check_eq "gzip_static: 200" 200 "$(hget 'Accept-Encoding: gzip' /g.txt)"
check_eq "gzip_static: Content-Encoding gzip" gzip \
    "$(header Content-Encoding < "$T/h")"
check_eq "gzip_static: type of the original" "text/plain; charset=utf-8" \
    "$(header Content-Type < "$T/h")"
check "gzip_static: the .gz bytes" cmp -s "$R/g.txt.gz" "$T/b"
check_eq "gzip_static without Accept-Encoding: plain" "" \
    "$(hget 'X-None: 1' /g.txt >/dev/null; header Content-Encoding < "$T/h")"
check "gzip_static without Accept-Encoding: plain bytes" cmp -s "$R/g.txt" "$T/b"
check_eq "gzip q=0 refused: plain" "" \
    "$(hget 'Accept-Encoding: gzip;q=0' /g.txt >/dev/null; header Content-Encoding < "$T/h")"
expect_status "a FIFO in the root: 403" 403 "$(url /fifo)"
liveness "FIFO"

# ---------------------------------------------------------------------
# Autoindex
daemon_start auto 'autoindex = true;' ||
    { fail "autoindex daemon starts" "see above"; finish; }
h=$(curl -s -D "$T/auto.head" --max-time 5 "$(url /list/)")
check_eq "autoindex on: 200" 200 "$(status_of < "$T/auto.head")"
check_eq "autoindex on: HTML" "text/html; charset=utf-8" \
    "$(header Content-Type < "$T/auto.head")"
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
	check "autoindex escapes names" grep -qF 'a&lt;b&gt;&amp;c' <<< "$h"
fi
check_eq "autoindex on: index.html still wins" "sub index" "$(get /sub/)"
liveness "autoindex"
daemon_stop auto
use_daemon main

# ---------------------------------------------------------------------
# Header timeout: a slow, incomplete head gets 408 while another client
# is served normally.
daemon_start slow 'timeouts = { header = 1; keepalive = 5; send = 10; shutdown = 5; };' ||
    { fail "slow daemon starts" "see above"; finish; }
"$RAWHTTP" -k -t 10 "$PORT" > "$T/partial.out" \
    < <(printf 'GET / HTTP/1.1\r\nHost: x\r\n') &
p1=$!
bg_track "$p1"
printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\nX-More: still sending\r\n\r\n' |
    "$RAWHTTP" -b 150 -t 15 "$PORT" > "$T/slowloris.out" &
p2=$!
bg_track "$p2"
sleep 0.3
expect_status "another client is served during a slow head" 200 "$(url /)"
wait "$p1"
rc=$?
check_eq "408 for an incomplete head" 408 "$(status_of < "$T/partial.out")"
check_eq "408: connection closed" 0 "$rc"
wait "$p2"
check_eq "408 for a head sent byte by byte (total time, not per byte)" \
    408 "$(status_of < "$T/slowloris.out")"
liveness "408"
daemon_stop slow
use_daemon main

# ---------------------------------------------------------------------
# Access log: one Combined Log Format line per request, with status and
# bytes sent.
daemon_start logd 'workers = 1;' ||
    { fail "log daemon starts" "see above"; finish; }
log=$DDIR/access.log
s404=$(curl -s -o /dev/null --max-time 5 -w '%{size_download}' "$(url /missing)")
curl -s -o /dev/null --max-time 5 -e 'http://ref.example/' -A 'e2e-agent/1.0' "$(url /small.txt)"
curl -s -o /dev/null --max-time 20 "$(url /big.bin)"
curl -s -o /dev/null --max-time 5 -I "$(url /a.txt)"
rawreq $'POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n' >/dev/null
# Leave out the lines of daemon_start's readiness probe (GET /).
ours() {
	grep -vF '"GET / HTTP/1.1"' "$log" > "$T/log.new" 2>/dev/null
	[ "$(wc -l < "$T/log.new")" -ge 5 ]
}
wait_until 5 ours
check_eq "access log: one line per request" 5 "$(wc -l < "$T/log.new")"
clf='^127\.0\.0\.1 [^ ]+ [^ ]+ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] "[^"]*" [0-9]{3} ([0-9]+|-) "[^"]*" "[^"]*"$'
check_eq "access log: every line is Combined Log Format" 0 \
    "$(grep -cvE "$clf" "$T/log.new")"
l=$(sed -n 1p "$T/log.new")
check "access log: 404 with its body size ($s404)" \
    grep -qE "\"GET /missing HTTP/1.1\" 404 $s404 " <<< "$l"
l=$(sed -n 2p "$T/log.new")
check "access log: 200 with size, referer and user agent" \
    grep -qF "\"GET /small.txt HTTP/1.1\" 200 $(stat -c %s "$R/small.txt") \"http://ref.example/\" \"e2e-agent/1.0\"" <<< "$l"
l=$(sed -n 3p "$T/log.new")
check "access log: 8 MiB sent" \
    grep -qF '"GET /big.bin HTTP/1.1" 200 8388608 ' <<< "$l"
l=$(sed -n 4p "$T/log.new")
check "access log: HEAD sends no body bytes" \
    grep -qE '"HEAD /a.txt HTTP/1.1" 200 (0|-) ' <<< "$l"
l=$(sed -n 5p "$T/log.new")
check "access log: 405" grep -qE '"POST /a.txt HTTP/1.1" 405 ' <<< "$l"
daemon_stop logd
use_daemon main

liveness "everything"
check "daemon still running" alive "$DPID"
check "daemon stops on TERM" daemon_stop main
finish
