#!/bin/bash
#
# http: HTTP/1.1 conformance, raw bytes on the wire.  Each behaviour of
# DESIGN.md section 4 is checked by sending the exact request bytes with
# tests/rawhttp and reading the exact response bytes back, with the rule
# of RFC 9110 or RFC 9112 it follows named in the test (or the comment
# above it).  Every hostile request is followed by a liveness check.
# serve.sh covers the same ground through curl and minihttp-get; this
# suite is about the protocol edges: request-line and header syntax,
# framing and smuggling, limits and timeouts, pipelining split byte by
# byte, conditionals, ranges, content coding, changed files behind the
# open-file cache, and the access log.
#
# One test_<behaviour> function per case (lib.sh "Cases"); run one with
# `tests/e2e/run http 'range*'`, list them with `tests/e2e/run -l http`.
# A case serves files it creates under $T/root/CASE/ (URL /CASE/...),
# plus read-only files that several cases share, each made on first use
# by an idempotent helper and never changed: /index.html (e2e_init),
# /page.html and /r.txt (site), /big.bin (site_big), /links/ (links).
# Its response files go in $CASE_DIR.
#
# Fixture daemons (all on 127.0.0.1, temporary root, short timeouts),
# started by the first case that needs them and shared afterwards:
#	main	symlinks = inside, built-in MIME table only
#	lim	one worker, max_headers = 10, max_keepalive_requests = 3,
#		server_tokens = true
#	never	one worker, symlinks = never
#	always	symlinks = always
#	logd	one worker, for the access log
# test_stop_on_term starts and stops a daemon of its own.

# The cases, and the helpers only they use, are called by name from
# e2e_run: shellcheck cannot see it.
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Byte lengths and C collation everywhere (the responses are bytes).
export LC_ALL=C

e2e_init

R=$T/root
INDEX=$R/index.html
PAGE=$'GET /page.html HTTP/1.1\r\nHost: x\r\n\r\n'	# often pipelined
TMO='timeouts = { header = 2; keepalive = 3; send = 3; shutdown = 3; };'
IMF='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$'
BIGSIZE=2097152
HUGESIZE=67108864

# ---------------------------------------------------------------------
# Fixtures

fx_main() {
	fixture main "$TMO" 'mime_types = "";' 'symlinks = "inside";'
}

fx_lim() {
	fixture lim "$TMO" 'workers = 1;' 'server_tokens = true;' \
	    'limits = { max_headers = 10; max_keepalive_requests = 3; };'
}

fx_never() {
	fixture never "$TMO" 'workers = 1;' 'symlinks = "never";'
}

fx_always() {
	fixture always "$TMO" 'symlinks = "always";'
}

fx_logd() {
	fixture logd "$TMO" 'workers = 1;'
}

# ---------------------------------------------------------------------
# Files

# site: the read-only files shared by many cases, made when missing:
# /page.html, and /r.txt (1000 distinct-enough bytes for ranges); sets
# RSIZE.  No case changes them.
site() {
	local i

	[ -s "$R/page.html" ] || printf '<p>page</p>\n' > "$R/page.html"
	if [ ! -s "$R/r.txt" ]; then
		for ((i = 0; i < 100; i++)); do
			printf '%09d\n' "$i"
		done > "$R/r.txt.new" && mv "$R/r.txt.new" "$R/r.txt"
	fi
	RSIZE=$(stat -c %s "$R/r.txt")
}

# site_big: /big.bin, 2 MiB of random bytes (read-only, shared).
site_big() {
	if [ ! -s "$R/big.bin" ]; then
		head -c "$BIGSIZE" /dev/urandom > "$R/big.bin.new" &&
		    mv "$R/big.bin.new" "$R/big.bin"
	fi
}

# own: the case's own directory, D on disk ($T/root/CASE), U in URLs
# (/CASE); made empty.
own() {
	D=$R/$E2E_CASE
	U=/$E2E_CASE
	rm -rf "$D"
	mkdir -p "$D"
}

# r_meta: site, then RETAG and RLM, the ETag and Last-Modified of
# /r.txt as the current daemon sends them.
r_meta() {
	site
	get /r.txt
	RETAG=$(hdr ETag)
	RLM=$(hdr Last-Modified)
}

# ms: a monotonic-enough clock in milliseconds.
ms() {
	echo $(($(date +%s%N) / 1000000))
}

# past MS: the clock (ms) has reached MS.
past() {
	[ "$(ms)" -ge "$1" ]
}

# wait_settled FILE...: until the clock has passed the last change
# (mtime and ctime) of every FILE by more than the open-file cache's
# FCACHE_SETTLE_SECS (whole seconds; src/daemon/fcache.c), so that
# serving them now caches them.  50 ms more for the coarse clock the
# daemon reads.
wait_settled() {
	local f t max=0 secs

	secs=$(awk '$2 == "FCACHE_SETTLE_SECS" { print $3 }' \
	    "$top_srcdir/src/daemon/fcache.h" 2>/dev/null)
	[[ $secs =~ ^[0-9]+$ ]] || secs=1
	for f in "$@"; do
		for t in $(stat -c '%Y %Z' "$f"); do
			[ "$t" -gt "$max" ] && max=$t
		done
	done
	wait_until $((secs + 5)) past $(((max + secs + 1) * 1000 + 50))
}

# wait_older FILE: until the clock's second is past FILE's mtime: a
# Last-Modified date is a strong validator (If-Range) only then (RFC
# 9110 8.8.2.2, src/core/cond.c).
wait_older() {
	wait_until 5 past $(($(stat -c %Y "$1") * 1000 + 1050))
}

# ---------------------------------------------------------------------
# Requests and responses

# send REQUEST [RAWHTTP OPTIONS]: REQUEST goes out verbatim (use $'...'
# for CR LF); the response is in $CASE_DIR/resp, rawhttp's exit status
# in RC (0: the server closed, 3: still open at the time limit), and the
# first response is cut into $CASE_DIR/h (head, CRs removed) and
# $CASE_DIR/b (the bytes after the head).
send() {
	local req=$1

	shift
	printf '%s' "$req" | "$RAWHTTP" -t 5 "$@" "$PORT" > "$CASE_DIR/resp"
	RC=$?
	cut_first
}

# sendf FORMAT [RAWHTTP OPTIONS]: like send, FORMAT goes through printf
# (for bytes a shell string cannot hold, like NUL).
sendf() {
	local fmt=$1

	shift
	# shellcheck disable=SC2059
	printf "$fmt" | "$RAWHTTP" -t 5 "$@" "$PORT" > "$CASE_DIR/resp"
	RC=$?
	cut_first
}

# sendfile FILE [RAWHTTP OPTIONS]: like send, the request from FILE.
sendfile() {
	local f=$1

	shift
	"$RAWHTTP" -t 5 "$@" "$PORT" < "$f" > "$CASE_DIR/resp"
	RC=$?
	cut_first
}

# head_len FILE OFFSET: the length in bytes of the response head that
# starts at OFFSET in FILE, empty line included; 0 when incomplete.
head_len() {
	local line n=0

	while IFS= read -r line; do
		n=$((n + ${#line} + 1))
		if [ "$line" = $'\r' ] || [ -z "$line" ]; then
			echo "$n"
			return
		fi
	done < <(tail -c +$(($2 + 1)) "$1")
	echo 0
}

# cut_first: $CASE_DIR/resp -> $CASE_DIR/h, $CASE_DIR/b.
cut_first() {
	local n

	n=$(head_len "$CASE_DIR/resp" 0)
	head -c "$n" "$CASE_DIR/resp" | tr -d '\r' > "$CASE_DIR/h"
	tail -c +$((n + 1)) "$CASE_DIR/resp" > "$CASE_DIR/b"
}

# split_all: cuts the responses in $CASE_DIR/resp apart by their
# Content-Length (none: no body, as for 304) into $CASE_DIR/r.I.h and
# $CASE_DIR/r.I.b, I from 1; sets NRESP.  Not for responses to HEAD.
split_all() {
	local size off=0 n cl resp=$CASE_DIR/resp

	NRESP=0
	size=$(stat -c %s "$resp")
	while [ "$off" -lt "$size" ]; do
		n=$(head_len "$resp" "$off")
		[ "$n" -gt 0 ] || break
		NRESP=$((NRESP + 1))
		tail -c +$((off + 1)) "$resp" | head -c "$n" | tr -d '\r' \
		    > "$CASE_DIR/r.$NRESP.h"
		cl=$(header Content-Length < "$CASE_DIR/r.$NRESP.h")
		off=$((off + n))
		tail -c +$((off + 1)) "$resp" | head -c "${cl:-0}" \
		    > "$CASE_DIR/r.$NRESP.b"
		off=$((off + ${cl:-0}))
	done
}

# st: the status code of the first response.
st() {
	status_of < "$CASE_DIR/h"
}

# allst: the status codes of every response, space-separated.
allst() {
	statuses < "$CASE_DIR/resp"
}

# hdr NAME [FILE]: a header of the first response.
hdr() {
	header "$1" < "${2:-$CASE_DIR/h}"
}

# expect NAME CODE REQUEST [RAWHTTP OPTIONS]: REQUEST gets CODE.
expect() {
	local name=$1 code=$2

	shift 2
	send "$@"
	check_eq "$name" "$code" "$(st)"
}

# hostile NAME CODE REQUEST [RAWHTTP OPTIONS]: expect, then liveness.
hostile() {
	expect "$@"
	liveness "$1"
}

# hostilef NAME CODE FORMAT: the same with a printf format.
hostilef() {
	sendf "$3"
	check_eq "$1" "$2" "$(st)"
	liveness "$1"
}

# body_is NAME FILE: the body of the first response is FILE's bytes.
body_is() {
	check "$1" cmp -s "$2" "$CASE_DIR/b"
}

# no_body NAME: nothing follows the head of the (only) response.
no_body() {
	check_eq "$1" 0 "$(stat -c %s "$CASE_DIR/b")"
}

# has_date NAME [FILE]: a Date header in IMF-fixdate.
has_date() {
	local d

	d=$(hdr Date "${2:-$CASE_DIR/h}")
	if [[ $d =~ $IMF ]]; then
		ok "$1"
	else
		fail "$1" "Date is [$d]"
	fi
}

# absent NAME STRING [FILE]: STRING appears nowhere in the response.
absent() {
	if grep -qaF -- "$2" "${3:-$CASE_DIR/resp}"; then
		fail "$1" "the response contains [$2]"
	else
		ok "$1"
	fi
}

# bytes FILE FIRST LAST: those bytes of FILE (inclusive offsets).
bytes() {
	tail -c +$(($2 + 1)) "$1" | head -c $(($3 - $2 + 1))
}

# get PATH [HEADER...]: a GET with those header lines (each given without
# CR LF), over HTTP/1.1 with Connection: close.
get() {
	local p=$1 h req

	shift
	req="GET $p HTTP/1.1"$'\r\nHost: x\r\nConnection: close\r\n'
	for h in "$@"; do
		req+="$h"$'\r\n'
	done
	send "$req"$'\r\n'
}

# pad_head SIZE: a request head of exactly SIZE bytes.
pad_head() {
	local pre=$'GET /index.html HTTP/1.1\r\nHost: x\r\nX-Pad: '
	local suf=$'\r\n\r\n'

	printf '%s' "$pre"
	head -c $(($1 - ${#pre} - ${#suf})) /dev/zero | tr '\0' p
	printf '%s' "$suf"
}

# ---------------------------------------------------------------------
# Request line (RFC 9112 section 3)

test_http10_request() {
	fx_main || return
	send $'GET /index.html HTTP/1.0\r\n\r\n' -k
	check_eq "HTTP/1.0 request: 200" 200 "$(st)"
	body_is "HTTP/1.0 request: the file" "$INDEX"
	# RFC 9110 section 2.5: a server sends its own highest version.
	check_eq "HTTP/1.0 request: answered as HTTP/1.1" "HTTP/1.1 200 OK" \
	    "$(head -n 1 "$CASE_DIR/h")"
	check_eq "HTTP/1.0 without keep-alive: closed (RFC 9112 9.3)" 0 "$RC"
}

test_http11_request() {
	fx_main || return
	send $'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n'
	check_eq "HTTP/1.1 request: 200" 200 "$(st)"
	body_is "HTTP/1.1 request: the file" "$INDEX"
}

# RFC 9110 section 2.5: a higher minor version is served as the highest
# one we implement; 1.1 rules then apply (Host required, persistent).
test_http12_as_11() {
	fx_main || return
	site
	hostile "HTTP/1.2 served as 1.1 (RFC 9110 2.5)" 200 \
	    $'GET /index.html HTTP/1.2\r\nHost: x\r\n\r\n'
	hostile "HTTP/1.2 without Host: 400 as for 1.1 (RFC 9112 3.2)" 400 \
	    $'GET /index.html HTTP/1.2\r\n\r\n'
	send $'GET /index.html HTTP/1.2\r\nHost: x\r\n\r\nGET /page.html HTTP/1.2\r\nHost: x\r\n\r\n'
	check_eq "HTTP/1.2 is persistent like 1.1: two responses" "200 200" \
	    "$(allst)"
}

test_version_errors() {
	fx_main || return
	hostile "HTTP/2.0 in an HTTP/1 request line: 505 (RFC 9110 15.6.6)" \
	    505 $'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
	hostile "HTTP/0.9 style request without version: 400 (RFC 9112 3)" \
	    400 $'GET /\r\n\r\n'
	hostile "lowercase http/1.1: 400 (RFC 9112 2.3, HTTP-name is case-sensitive)" \
	    400 $'GET / http/1.1\r\nHost: x\r\n\r\n'
}

test_unknown_methods() {
	fx_main || return
	hostile "unknown method BREW: 501 (RFC 9110 9.1)" 501 \
	    $'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'
	hostile "lowercase get is another method: 501 (RFC 9110 9.1)" 501 \
	    $'get / HTTP/1.1\r\nHost: x\r\n\r\n'
}

test_methods_405() {
	local m

	fx_main || return
	for m in POST PUT DELETE OPTIONS TRACE PATCH; do
		send "$m /index.html HTTP/1.1"$'\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
		check_eq "$m: 405 (RFC 9110 15.5.6)" 405 "$(st)"
		check_eq "$m: Allow: GET, HEAD (RFC 9110 10.2.1)" "GET, HEAD" \
		    "$(hdr Allow)"
		liveness "$m"
	done
}

# RFC 9112 section 3.2.2: a server MUST accept the absolute form.
test_absolute_form() {
	fx_main || return
	send $'GET http://anything/index.html HTTP/1.1\r\nHost: x\r\n\r\n'
	check_eq "absolute-form target: 200 (RFC 9112 3.2.2)" 200 "$(st)"
	body_is "absolute-form target: the file" "$INDEX"
	liveness "absolute-form"
	hostile "absolute-form with an empty host: 400 (RFC 9110 4.2.1)" 400 \
	    $'GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n'
}

# ---------------------------------------------------------------------
# Host (RFC 9112 section 3.2: 400 when missing, repeated or invalid)

test_host_field() {
	fx_main || return
	hostile "HTTP/1.1 without Host: 400" 400 \
	    $'GET /index.html HTTP/1.1\r\n\r\n'
	hostile "two Host fields: 400" 400 \
	    $'GET /index.html HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n'
	hostile "Host with a space: 400" 400 \
	    $'GET /index.html HTTP/1.1\r\nHost: a b\r\n\r\n'
	hostile "Host with a slash: 400" 400 \
	    $'GET /index.html HTTP/1.1\r\nHost: x/y\r\n\r\n'
	expect "HTTP/1.0 without Host: 200" 200 \
	    $'GET /index.html HTTP/1.0\r\n\r\n'
}

# ---------------------------------------------------------------------
# Header syntax

test_header_syntax() {
	fx_main || return
	hostile "space before the colon: 400 (RFC 9112 5.1)" 400 \
	    $'GET / HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n'
	hostile "obs-fold continuation line: 400 (RFC 9112 5.2)" 400 \
	    $'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n'
	hostilef "NUL in a field value: 400 (RFC 9110 5.5)" 400 \
	    'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n'
	hostile "bare CR in a field value: 400 (RFC 9110 5.5)" 400 \
	    $'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n'
	hostile "obs-text (UTF-8) in a field value: 200 (RFC 9110 5.5)" 200 \
	    $'GET /index.html HTTP/1.1\r\nHost: x\r\nX-A: caf\xc3\xa9\r\n\r\n'
	hostile "DEL in a field value: 400 (RFC 9110 5.5)" 400 \
	    $'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n'
}

# RFC 9112 section 2.2: a recipient MAY take a bare LF as a line end
# (documented in minihttpd(8)).
test_bare_lf() {
	fx_main || return
	send $'GET /index.html HTTP/1.1\nHost: x\nX-A: 1\n\n'
	check_eq "bare LF line endings: 200 (RFC 9112 2.2)" 200 "$(st)"
	body_is "bare LF line endings: the file" "$INDEX"
	liveness "bare LF"
}

# RFC 9112 section 2.2: ignore at least one empty line before the request.
test_leading_empty_line() {
	fx_main || return
	expect "empty line before the request line: 200 (RFC 9112 2.2)" 200 \
	    $'\r\nGET /index.html HTTP/1.1\r\nHost: x\r\n\r\n'
	liveness "leading empty line"
}

# ---------------------------------------------------------------------
# Connection and Expect (RFC 9112 section 9.3, RFC 9110 section 10.1.1)

test_http10_keepalive() {
	fx_main || return
	site
	send $'GET /index.html HTTP/1.0\r\nConnection: keep-alive, Upgrade\r\n\r\nGET /page.html HTTP/1.0\r\n\r\n' -k
	check_eq "1.0 Connection: keep-alive, Upgrade: two responses, one connection" \
	    "200 200" "$(allst)"
	check_eq "1.0 keep-alive: announced (RFC 9112 C.2.2)" keep-alive \
	    "$(hdr Connection | tr '[:upper:]' '[:lower:]')"
	check_eq "1.0 keep-alive: closed after the second (1.0 default)" 0 "$RC"
}

test_connection_close() {
	fx_main || return
	site
	send $'GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'"$PAGE" -k -t 4
	check_eq "Connection: close: one response only (RFC 9112 9.6)" 200 \
	    "$(allst)"
	check_eq "Connection: close: announced" close "$(hdr Connection)"
	check_eq "Connection: close: the server closes" 0 "$RC"
}

test_expect() {
	fx_main || return
	send $'GET /index.html HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n'
	check_eq "Expect: 100-continue on a GET without body: final 200" 200 \
	    "$(allst | awk '{ print $NF }')"
	hostile "Expect: something-else: 417 (RFC 9110 10.1.1)" 417 \
	    $'GET /index.html HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n\r\n'
}

# ---------------------------------------------------------------------
# Request bodies and framing (RFC 9112 section 6), each sent in one
# write and byte by byte.

test_body_content_length() {
	local how o

	fx_main || return
	site
	for how in "one write" "-b 0"; do
		o=()
		[ "$how" = "-b 0" ] && o=(-b 0 -t 10)
		send $'GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'"$PAGE" "${o[@]}"
		split_all
		check_eq "GET with a 5-byte body + pipelined GET ($how): both (RFC 9112 6.3)" \
		    "200 200" "$(allst)"
		check "... the second is page.html" \
		    cmp -s "$R/page.html" "$CASE_DIR/r.2.b"
	done
}

test_body_chunked() {
	local how o

	fx_main || return
	site
	for how in "one write" "-b 0"; do
		o=()
		[ "$how" = "-b 0" ] && o=(-b 0 -t 10)
		send $'GET /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n'"$PAGE" "${o[@]}"
		split_all
		check_eq "GET with a chunked body + pipelined GET ($how): both (RFC 9112 7.1)" \
		    "200 200" "$(allst)"
		check "... the second is page.html" \
		    cmp -s "$R/page.html" "$CASE_DIR/r.2.b"
	done
}

# Bare LF in a chunked body too (documented in minihttpd(8)).
test_body_chunked_bare_lf() {
	fx_main || return
	site
	send $'GET /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n'"$PAGE"
	split_all
	check_eq "chunked body with bare LF, then a pipelined GET: both" \
	    "200 200" "$(allst)"
	check "... the second is page.html" cmp -s "$R/page.html" "$CASE_DIR/r.2.b"
}

test_body_cl_and_te() {
	fx_main || return
	site
	send $'GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'"$PAGE" -k
	check_eq "Content-Length + Transfer-Encoding: 400 only (RFC 9112 6.1)" \
	    400 "$(allst)"
	check_eq "Content-Length + Transfer-Encoding: connection closed" 0 "$RC"
	liveness "CL + TE"
}

test_body_bad_content_length() {
	local cl

	fx_main || return
	hostile "two Content-Length fields: 400 (RFC 9112 6.3)" 400 \
	    $'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello'
	for cl in abc -1 1,1 +1 0x10 ' '; do
		hostile "Content-Length [$cl]: 400 (RFC 9112 6.3)" 400 \
		    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"Content-Length: $cl"$'\r\n\r\n'
	done
}

# Documented policy (minihttpd(8)): a Transfer-Encoding other than a
# single "chunked" cannot be framed here.
test_body_bad_transfer_encoding() {
	fx_main || return
	hostile "Transfer-Encoding: gzip, chunked: 400" 400 \
	    $'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n'
	hostile "Transfer-Encoding in HTTP/1.0: 400 (RFC 9112 6.1)" 400 \
	    $'GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
}

# ---------------------------------------------------------------------
# Limits (RFC 9110 15.5.15 414, RFC 6585 section 5 431, RFC 9110
# 15.5.9 408)

test_limit_request_line() {
	local long

	fx_main || return
	long=$(head -c 9000 /dev/zero | tr '\0' a)
	hostile "request line over max_request_header: 414" 414 \
	    "GET /$long HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	has_date "Date on a 414 (RFC 9110 6.6.1)"
}

test_limit_huge_header_field() {
	fx_main || return
	{
		printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Big: '
		head -c 1048576 /dev/zero | tr '\0' b
		printf '\r\n\r\n'
	} > "$CASE_DIR/big.req"
	sendfile "$CASE_DIR/big.req" -t 10
	check_eq "1 MiB header field: 431" 431 "$(st)"
	has_date "Date on a 431 (RFC 9110 6.6.1)"
	check_eq "1 MiB header field: connection closed" 0 "$RC"
	liveness "1 MiB header"
	check "daemon main still running after 1 MiB" alive "$DPID"
}

# The head limit is inclusive: 8192 bytes pass, 8193 do not.
test_limit_head_size() {
	fx_main || return
	pad_head 8192 > "$CASE_DIR/h8192.req"
	pad_head 8193 > "$CASE_DIR/h8193.req"
	sendfile "$CASE_DIR/h8192.req"
	check_eq "a head of exactly max_request_header (8192) bytes: 200" 200 \
	    "$(st)"
	sendfile "$CASE_DIR/h8193.req"
	check_eq "a head of 8193 bytes: 431" 431 "$(st)"
	liveness "8193-byte head"
}

test_limit_max_headers() {
	local hdrs9="" i

	fx_lim || return
	for ((i = 1; i <= 9; i++)); do
		hdrs9+="X-H$i: v"$'\r\n'
	done
	expect "max_headers = 10: ten fields pass" 200 \
	    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"$hdrs9"$'\r\n'
	hostile "max_headers = 10: eleven fields get 431" 431 \
	    "GET / HTTP/1.1"$'\r\nHost: x\r\n'"${hdrs9}X-H10: v"$'\r\n\r\n'
}

# max_keepalive_requests = 3: the third response says close and the
# connection ends (RFC 9112 9.6); the fourth request is not answered.
test_limit_max_keepalive_requests() {
	local r=$'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n'

	fx_lim || return
	send "$r$r$r$r" -k
	split_all
	check_eq "max_keepalive_requests = 3: three responses" "200 200 200" \
	    "$(allst)"
	check_eq "max_keepalive_requests = 3: first keeps the connection" "" \
	    "$(hdr Connection "$CASE_DIR/r.1.h")"
	check_eq "max_keepalive_requests = 3: third says Connection: close" \
	    close "$(hdr Connection "$CASE_DIR/r.3.h")"
	check_eq "max_keepalive_requests = 3: connection closed" 0 "$RC"
	liveness "max_keepalive_requests"
}

# A slow client (one byte a second) is cut at the 2 s header deadline
# with 408 while other clients are served by the same (single) worker;
# meanwhile an idle keep-alive connection is closed after 3 s, and a
# client that asks for 64 MiB and never reads is dropped after the send
# timeout (3 s), its access log line showing the bytes actually sent.
test_limit_slow_clients() {
	local slowpid idlepid t0 t1 rc codes="" i l re

	fx_lim || return
	site
	own
	# 64 MiB without using the disk: more than socket buffers can absorb.
	truncate -s "$HUGESIZE" "$D/huge.bin"
	exec 5<> "/dev/tcp/127.0.0.1/$PORT"
	printf 'GET %s/huge.bin HTTP/1.1\r\nHost: x\r\nUser-Agent: stalled-reader\r\n\r\n' \
	    "$U" >&5
	printf 'GET /index.html HTTP/1.1\r\nHost: x\r\nX-Slow: 0123456789abcdefghij\r\n\r\n' |
	    "$RAWHTTP" -b 1000 -t 15 "$PORT" > "$CASE_DIR/slow.out" &
	slowpid=$!
	bg_track "$slowpid"
	t0=$(ms)
	printf 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n' |
	    "$RAWHTTP" -k -t 10 "$PORT" > "$CASE_DIR/idle.out" &
	idlepid=$!
	bg_track "$idlepid"
	# One request every 0.3 s while the slow head comes in.
	for ((i = 1; i <= 6; i++)); do
		wait_until 5 past $((t0 + i * 300))
		codes+="$(http_code "$PORT" /page.html) "
	done
	check_eq "other clients served during a slow head" \
	    "200 200 200 200 200 200 " "$codes"
	wait "$idlepid"
	rc=$?
	t1=$(ms)
	check_eq "idle keep-alive: answered" 200 \
	    "$(status_of < "$CASE_DIR/idle.out")"
	check_eq "idle keep-alive: closed by the server" 0 "$rc"
	if [ $((t1 - t0)) -ge 2500 ] && [ $((t1 - t0)) -le 6000 ]; then
		ok "idle keep-alive closed after timeouts.keepalive (3 s): $((t1 - t0)) ms"
	else
		fail "idle keep-alive closed after timeouts.keepalive (3 s)" \
		    "closed after $((t1 - t0)) ms"
	fi
	wait "$slowpid"
	rc=$?
	t1=$(ms)
	check_eq "slow client: 408 (RFC 9110 15.5.9)" 408 \
	    "$(status_of < "$CASE_DIR/slow.out")"
	check_eq "slow client: connection closed" 0 "$rc"
	has_date "Date on a 408 (RFC 9110 6.6.1)" \
	    <(tr -d '\r' < "$CASE_DIR/slow.out")
	check_eq "slow client: 408 says Connection: close" close \
	    "$(header Connection < "$CASE_DIR/slow.out")"
	# Sending the whole head would take 60 s; the server ends it after
	# header (2 s) + lingering close (2 s), so rawhttp's writes fail soon.
	if [ $((t1 - t0)) -le 12000 ]; then
		ok "slow client cut early: $((t1 - t0)) ms"
	else
		fail "slow client cut early" "took $((t1 - t0)) ms"
	fi
	# The access log shows how much of the head had arrived: 2 s at one
	# byte a second is "GE" or "GET" (a few bytes more on a loaded
	# machine), not the whole request line.
	wait_until 5 grep -qa '" 408 ' "$DDIR/access.log"
	l=$(grep -a '" 408 ' "$DDIR/access.log" | tail -n 1)
	if [[ $l =~ \"(G|GE|GET|GET\ |GET\ /)\"\ 408 ]]; then
		ok "slow client cut at the header deadline (log: ${BASH_REMATCH[0]})"
	else
		fail "slow client cut at the header deadline" "log line [$l]"
	fi
	liveness "slow client"
	timeout 10 cat <&5 > /dev/null
	check_eq "stalled reader: the server closed the connection" 0 "$?"
	exec 5<&-
	wait_until 5 grep -qa '"stalled-reader"' "$DDIR/access.log"
	l=$(grep -a '"stalled-reader"' "$DDIR/access.log")
	re="\"GET $U/huge\\.bin HTTP/1\\.1\" 200 ([0-9]+) "
	if [[ $l =~ $re ]] && [ "${BASH_REMATCH[1]}" -lt "$HUGESIZE" ]; then
		ok "stalled reader: logged with the bytes sent (${BASH_REMATCH[1]})"
	else
		fail "stalled reader: logged with the bytes sent (< $HUGESIZE)" \
		    "log line [$l]"
	fi
}

# Server: with the version when server_tokens = true (RFC 9110 10.2.4).
test_server_tokens() {
	fx_lim || return
	send $'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n'
	check_eq "server_tokens = true: Server with version" \
	    "minihttpd/$("$MINIHTTPD" -v | awk '{ print $2 }')" "$(hdr Server)"
}

# ---------------------------------------------------------------------
# Pipelining (RFC 9112 section 9.3.2)

# 200, 304, 206, 404 in one write, then the same bytes one at a time.
test_pipelining_mixed() {
	local pipe how

	fx_main || return
	r_meta
	pipe="GET /r.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	pipe+="GET /r.txt HTTP/1.1"$'\r\nHost: x\r\n'"If-None-Match: $RETAG"$'\r\n\r\n'
	pipe+="GET /r.txt HTTP/1.1"$'\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n'
	pipe+="GET /nothing-here HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	bytes "$R/r.txt" 10 19 > "$CASE_DIR/r10-19"
	for how in "one write" "-b 0" "-b 1"; do
		if [ "$how" = "one write" ]; then
			send "$pipe"
		else
			# shellcheck disable=SC2086
			send "$pipe" $how -t 10
		fi
		split_all
		check_eq "pipelined 200/304/206/404 ($how): in order" \
		    "200 304 206 404" "$(allst)"
		check "pipelined ($how): 200 body" \
		    cmp -s "$R/r.txt" "$CASE_DIR/r.1.b"
		check_eq "pipelined ($how): 304 without body" 0 \
		    "$(stat -c %s "$CASE_DIR/r.2.b")"
		check "pipelined ($how): 206 body" \
		    cmp -s "$CASE_DIR/r10-19" "$CASE_DIR/r.3.b"
		check_eq "pipelined ($how): 206 Content-Range" \
		    "bytes 10-19/$RSIZE" "$(hdr Content-Range "$CASE_DIR/r.3.h")"
		check_eq "pipelined ($how): nothing after the 404" 4 "$NRESP"
	done
}

# 300 pipelined requests (more than the request buffer) in one write:
# 300 answers in order.
test_pipelining_300() {
	local i

	fx_main || return
	own
	printf 'AAA\n' > "$D/a.txt"
	printf 'BBB\n' > "$D/b.txt"
	for ((i = 0; i < 150; i++)); do
		printf 'GET %s/a.txt HTTP/1.1\r\nHost: x\r\n\r\n' "$U"
		printf 'GET %s/b.txt HTTP/1.1\r\nHost: x\r\n\r\n' "$U"
	done > "$CASE_DIR/pipe300.req"
	sendfile "$CASE_DIR/pipe300.req" -t 10
	check_eq "300 pipelined requests: 300 answers, the last one closing" \
	    "300 0" "$(allst | wc -w) $RC"
	check_eq "300 pipelined requests: bodies in order" \
	    "$(for ((i = 0; i < 150; i++)); do printf 'AAA\nBBB\n'; done | md5sum)" \
	    "$(tr -d '\r' < "$CASE_DIR/resp" | grep -x 'AAA\|BBB' | md5sum)"
	liveness "pipelining"
}

# ---------------------------------------------------------------------
# Paths (RFC 3986 sections 2.4, 3.4 and 5.2.4)

test_path_nul() {
	fx_main || return
	hostile "%00 in the path: 400" 400 \
	    $'GET /index.html%00 HTTP/1.1\r\nHost: x\r\n\r\n'
}

# Decoded once: "%252e%252e" is the name "%2e%2e", a real directory here
# holding a file, never "..".
test_path_decoded_once() {
	fx_main || return
	mkdir -p "$R/%2e%2e"
	printf 'a file in a directory named %%2e%%2e\n' \
	    > "$R/%2e%2e/secret-double-decoded"
	expect "%252e%252e/secret decoded once only: 404" 404 \
	    $'GET /%252e%252e/secret HTTP/1.1\r\nHost: x\r\n\r\n'
	absent "%252e%252e/secret: no secret" "$SECRET"
	liveness "%252e%252e"
	expect "%252e%252e names the literal directory %2e%2e" 200 \
	    $'GET /%252e%252e/secret-double-decoded HTTP/1.1\r\nHost: x\r\n\r\n'
}

test_path_dot_segments_encoded() {
	fx_main || return
	expect "%2e%2e/%2e%2e/secret clamped at the root: 404" 404 \
	    $'GET /%2e%2e/%2e%2e/secret HTTP/1.1\r\nHost: x\r\n\r\n'
	absent "%2e%2e/%2e%2e/secret: no secret" "$SECRET"
	liveness "%2e%2e"
	expect "%2e%2e/index.html clamped at the root: 200" 200 \
	    $'GET /%2e%2e/index.html HTTP/1.1\r\nHost: x\r\n\r\n'
	body_is "%2e%2e/index.html: the root's index" "$INDEX"
}

test_path_overlong_utf8() {
	fx_main || return
	expect "overlong UTF-8 %c0%ae%c0%ae/secret: 404" 404 \
	    $'GET /%c0%ae%c0%ae/secret HTTP/1.1\r\nHost: x\r\n\r\n'
	absent "overlong UTF-8: no secret" "$SECRET"
	liveness "overlong UTF-8"
}

test_path_query() {
	fx_main || return
	expect "query ignored: /index.html?x=1 200" 200 \
	    $'GET /index.html?x=1 HTTP/1.1\r\nHost: x\r\n\r\n'
	body_is "query ignored: the file" "$INDEX"
}

test_path_file_as_directory() {
	fx_main || return
	hostile "/index.html/: 404" 404 \
	    $'GET /index.html/ HTTP/1.1\r\nHost: x\r\n\r\n'
	hostile "/index.html/x: 404" 404 \
	    $'GET /index.html/x HTTP/1.1\r\nHost: x\r\n\r\n'
}

test_path_directory_redirect() {
	fx_main || return
	own
	mkdir -p "$D/dir"
	printf 'dir index\n' > "$D/dir/index.html"
	expect "directory without slash: 301 (RFC 9110 15.4.2)" 301 \
	    "GET $U/dir HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	check_eq "301 Location: $U/dir/" "$U/dir/" "$(hdr Location)"
	expect "directory without slash, with a query: 301" 301 \
	    "GET $U/dir?a=b HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	check_eq "301 Location keeps the query" "$U/dir/?a=b" "$(hdr Location)"
	expect "301 with an encoded CR LF in the query" 301 \
	    "GET $U/dir?%0d%0aSet-Cookie:%20x=1 HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	check_eq "301: the query stays encoded, no header injected" \
	    "$U/dir/?%0d%0aSet-Cookie:%20x=1 " \
	    "$(hdr Location) $(hdr Set-Cookie)"
	expect "directory with slash: its index" 200 \
	    "GET $U/dir/ HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	body_is "directory with slash: index bytes" "$D/dir/index.html"
}

# Started as root, the workers run as nobody, for whom mode 000 is
# unreadable; as another user too.  RFC 9110 section 15.5.4.
test_path_mode_000() {
	fx_main || return
	own
	printf 'nobody may read this\n' > "$D/m000.txt"
	chmod 000 "$D/m000.txt"
	hostile "file with mode 000: 403" 403 \
	    "GET $U/m000.txt HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	absent "mode 000: not served" "nobody may read this"
}

# The same after the file was served (and cached) readable; and a served
# file whose directory becomes unsearchable.
test_path_chmod_after_cache() {
	local i

	fx_main || return
	own
	printf 'readable now, not later\n' > "$D/later000.txt"
	mkdir -p "$D/sub"
	printf 'in sub\n' > "$D/sub/f.txt"
	wait_settled "$D/later000.txt" "$D/sub/f.txt"
	for ((i = 0; i < 4; i++)); do get "$U/later000.txt"; done
	check_eq "later000.txt readable first" 200 "$(st)"
	chmod 000 "$D/later000.txt"
	for ((i = 0; i < 4; i++)); do
		get "$U/later000.txt"
		[ "$(st)" = 403 ] || break
	done
	check_eq "chmod 000 after being served: 403 on every request" 403 \
	    "$(st)"
	for ((i = 0; i < 4; i++)); do get "$U/sub/f.txt"; done
	check_eq "sub/f.txt readable first" 200 "$(st)"
	chmod 000 "$D/sub"
	for ((i = 0; i < 4; i++)); do
		get "$U/sub/f.txt"
		[ "$(st)" = 403 ] || break
	done
	check_eq "directory chmod 000 after being served: 403 on every request" \
	    403 "$(st)"
	chmod 755 "$D/sub"
}

# ---------------------------------------------------------------------
# Symbolic links in each mode: nothing outside the root in inside/never.

# links: /links/ with two links out of the root (relative and absolute)
# and two inside it, to target.html (read-only, shared by the three
# symlink cases).
links() {
	local d=$R/links

	[ -f "$d/target.html" ] && return 0
	mkdir -p "$d"
	ln -sfn ../../secret "$d/up.txt"
	ln -sfn "$T/secret" "$d/abs.txt"
	ln -sfn target.html "$d/in.txt"
	ln -sfn "$d/target.html" "$d/inabs.txt"
	cp "$INDEX" "$d/target.html"
}

# symlink_checks MODE: the checks of symlinks = MODE on the current
# daemon.
symlink_checks() {
	local mode=$1 l

	links
	for l in /links/up.txt /links/abs.txt; do
		send "GET $l HTTP/1.1"$'\r\nHost: x\r\n\r\n'
		if [ "$mode" = always ]; then
			check_eq "symlinks always: $l is followed" 200 "$(st)"
			check "symlinks always: $l reaches the secret" \
			    grep -qF "$SECRET" "$CASE_DIR/b"
		else
			check_eq "symlinks $mode: $l out of the root: 404" 404 \
			    "$(st)"
			absent "symlinks $mode: $l: no secret" "$SECRET"
		fi
		liveness "symlinks $mode $l"
	done
	for l in /links/in.txt /links/inabs.txt; do
		send "GET $l HTTP/1.1"$'\r\nHost: x\r\n\r\n'
		if [ "$mode" = never ]; then
			check_eq "symlinks never: $l refused: 404" 404 "$(st)"
		else
			check_eq "symlinks $mode: $l inside the root: 200" 200 \
			    "$(st)"
			body_is "symlinks $mode: $l: the target's bytes" \
			    "$R/links/target.html"
		fi
	done
}

test_symlinks_inside() {
	fx_main || return
	symlink_checks inside
}

test_symlinks_never() {
	fx_never || return
	symlink_checks never
}

test_symlinks_always() {
	fx_always || return
	symlink_checks always
}

# ---------------------------------------------------------------------
# Representation metadata (RFC 9110 section 8)

test_content_type() {
	local ctypes i

	fx_main || return
	own
	printf '<p>page</p>\n' > "$D/page.html"
	printf '<p>upper</p>\n' > "$D/UP.HTML"
	printf 'p { color: red; }\n' > "$D/style.css"
	printf 'var x = 1;\n' > "$D/app.js"
	printf '{"a": 1}\n' > "$D/data.json"
	printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' > "$D/pic.svg"
	printf '\x89PNG\r\n\x1a\n' > "$D/pic.png"
	printf 'opaque\n' > "$D/blob.zzqx"
	ctypes=(
		page.html	"text/html; charset=utf-8"
		UP.HTML		"text/html; charset=utf-8"
		style.css	"text/css; charset=utf-8"
		app.js		"text/javascript; charset=utf-8"
		data.json	"application/json; charset=utf-8"
		pic.svg		"image/svg+xml; charset=utf-8"
		pic.png		"image/png"
		blob.zzqx	"application/octet-stream"
	)
	for ((i = 0; i < ${#ctypes[@]}; i += 2)); do
		get "$U/${ctypes[i]}"
		check_eq "Content-Type of $U/${ctypes[i]} (RFC 9110 8.3)" \
		    "${ctypes[i + 1]}" "$(hdr Content-Type)"
	done
}

test_metadata_200() {
	fx_main || return
	site
	get /r.txt
	check_eq "200: Content-Length is the size" "$RSIZE" \
	    "$(hdr Content-Length)"
	if [[ $(hdr ETag) =~ ^\"[^\"]+\"$ ]]; then
		ok "ETag present and strong (RFC 9110 8.8.3)"
	else
		fail "ETag present and strong (RFC 9110 8.8.3)" \
		    "got [$(hdr ETag)]"
	fi
	check_eq "Last-Modified is the mtime (RFC 9110 8.8.2)" \
	    "$(date -u -r "$R/r.txt" '+%a, %d %b %Y %H:%M:%S GMT')" \
	    "$(hdr Last-Modified)"
	check_eq "Accept-Ranges: bytes (RFC 9110 14.3)" bytes \
	    "$(hdr Accept-Ranges)"
	check_eq "Server without version by default (RFC 9110 10.2.4)" \
	    minihttpd "$(hdr Server)"
	has_date "Date on a 200 (RFC 9110 6.6.1)"
}

# Date on errors and other statuses too.
test_date_on_every_status() {
	local dated i

	fx_main || return
	r_meta
	own
	mkdir -p "$D/dir"
	printf 'dir index\n' > "$D/dir/index.html"
	dated=(
		404 $'GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n'
		400 $'GET / HTTP/1.1\r\n\r\n'
		405 $'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
		501 $'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'
		505 $'GET / HTTP/2.0\r\n\r\n'
		304 "GET /r.txt HTTP/1.1"$'\r\nHost: x\r\n'"If-None-Match: $RETAG"$'\r\n\r\n'
		412 $'GET /r.txt HTTP/1.1\r\nHost: x\r\nIf-Match: "no"\r\n\r\n'
		416 $'GET /r.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=999999999-\r\n\r\n'
		301 "GET $U/dir HTTP/1.1"$'\r\nHost: x\r\n\r\n'
		206 $'GET /r.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n'
	)
	for ((i = 0; i < ${#dated[@]}; i += 2)); do
		send "${dated[i + 1]}"
		check_eq "status ${dated[i]} for the Date check" "${dated[i]}" \
		    "$(st)"
		has_date "Date on a ${dated[i]} (RFC 9110 6.6.1)"
	done
}

# ---------------------------------------------------------------------
# gzip_static (RFC 9110 sections 8.4, 12.5.3, 12.5.5)

# gz_files: $D/g.txt with a newer $D/g.txt.gz, and $D/old.txt with a
# stale (older) $D/old.txt.gz.
gz_files() {
	printf 'plain text, also stored compressed, plain text\n' > "$D/g.txt"
	gzip -9nc "$D/g.txt" > "$D/g.txt.gz"
	printf 'this one has a stale compressed copy\n' > "$D/old.txt"
	gzip -9nc "$D/old.txt" > "$D/old.txt.gz"
	touch -d '-1 hour' "$D/old.txt.gz"
}

test_gzip_negotiation() {
	local petag getag

	fx_main || return
	own
	gz_files
	get "$U/g.txt"
	petag=$(hdr ETag)
	check_eq "no Accept-Encoding: plain" "" "$(hdr Content-Encoding)"
	check_eq "no Accept-Encoding: Vary: Accept-Encoding" Accept-Encoding \
	    "$(hdr Vary)"
	body_is "no Accept-Encoding: plain bytes" "$D/g.txt"
	get "$U/g.txt" "Accept-Encoding: gzip"
	check_eq "Accept-Encoding: gzip: 200" 200 "$(st)"
	check_eq "Accept-Encoding: gzip: Content-Encoding: gzip" gzip \
	    "$(hdr Content-Encoding)"
	check_eq "Accept-Encoding: gzip: Vary: Accept-Encoding" \
	    Accept-Encoding "$(hdr Vary)"
	check_eq "Accept-Encoding: gzip: type of the original" \
	    "text/plain; charset=utf-8" "$(hdr Content-Type)"
	body_is "Accept-Encoding: gzip: the .gz bytes" "$D/g.txt.gz"
	check_eq "Accept-Encoding: gzip: Content-Length of the .gz" \
	    "$(stat -c %s "$D/g.txt.gz")" "$(hdr Content-Length)"
	getag=$(hdr ETag)
	if [ -n "$getag" ] && [ "$getag" != "$petag" ]; then
		ok "gzip: a different ETag (RFC 9110 8.8.3)"
	else
		fail "gzip: a different ETag (RFC 9110 8.8.3)" \
		    "plain [$petag] gzip [$getag]"
	fi
	get "$U/g.txt" "Accept-Encoding: gzip;q=0"
	check_eq "Accept-Encoding: gzip;q=0: plain" "" "$(hdr Content-Encoding)"
	body_is "Accept-Encoding: gzip;q=0: plain bytes" "$D/g.txt"
	get "$U/g.txt" "Accept-Encoding: *"
	check_eq "Accept-Encoding: *: gzip" gzip "$(hdr Content-Encoding)"
	body_is "Accept-Encoding: *: the .gz bytes" "$D/g.txt.gz"
	get "$U/g.txt" "Accept-Encoding: identity"
	check_eq "Accept-Encoding: identity: plain" "" "$(hdr Content-Encoding)"
	check_eq "Accept-Encoding: identity: Vary: Accept-Encoding" \
	    Accept-Encoding "$(hdr Vary)"
	body_is "Accept-Encoding: identity: plain bytes" "$D/g.txt"
	# The gzip ETag names the gzip representation only.
	get "$U/g.txt" "Accept-Encoding: gzip" "If-None-Match: $getag"
	check_eq "gzip ETag revalidates the gzip representation: 304" 304 \
	    "$(st)"
	get "$U/g.txt" "If-None-Match: $getag"
	check_eq "gzip ETag does not validate the plain one: 200" 200 "$(st)"
}

test_gzip_stale_copy() {
	fx_main || return
	own
	gz_files
	get "$U/old.txt" "Accept-Encoding: gzip"
	check_eq "FILE.gz older than FILE: plain" "" "$(hdr Content-Encoding)"
	body_is "FILE.gz older than FILE: plain bytes" "$D/old.txt"
}

test_gzip_range() {
	fx_main || return
	own
	gz_files
	get "$U/g.txt" "Accept-Encoding: gzip" "Range: bytes=0-9"
	check_eq "gzip + Range: 206 of the gzip representation" \
	    "206 gzip bytes 0-9/$(stat -c %s "$D/g.txt.gz")" \
	    "$(st) $(hdr Content-Encoding) $(hdr Content-Range)"
	body_is "gzip + Range: the first 10 bytes of the .gz" \
	    <(bytes "$D/g.txt.gz" 0 9)
}

# ---------------------------------------------------------------------
# Conditionals (RFC 9110 section 13; evaluation order 13.2.2)

test_cond_if_none_match() {
	fx_main || return
	r_meta
	get /r.txt "If-None-Match: $RETAG"
	check_eq "If-None-Match: the ETag: 304 (13.1.2)" 304 "$(st)"
	check_eq "304: ETag repeated (15.4.5)" "$RETAG" "$(hdr ETag)"
	has_date "304: Date (15.4.5)"
	check_eq "304: Vary as the 200 would (15.4.5)" Accept-Encoding \
	    "$(hdr Vary)"
	check_eq "304: no Content-Length of a body" "" "$(hdr Content-Length)"
	no_body "304: no body"
	get /r.txt "If-None-Match: W/$RETAG"
	check_eq "If-None-Match: W/ETag: 304 (weak comparison, 8.8.3.2)" 304 \
	    "$(st)"
	get /r.txt "If-None-Match: \"a\", $RETAG, \"b\""
	check_eq "If-None-Match: a list containing it: 304" 304 "$(st)"
	get /r.txt "If-None-Match: *"
	check_eq "If-None-Match: *: 304" 304 "$(st)"
	get /r.txt 'If-None-Match: "other"'
	check_eq "If-None-Match: another tag: 200" 200 "$(st)"
}

test_cond_if_modified_since() {
	local rfc850 asct d

	fx_main || return
	r_meta
	rfc850=$(date -u -d "$RLM" '+%A, %d-%b-%y %H:%M:%S GMT')
	asct=$(date -u -d "$RLM" '+%a %b %e %H:%M:%S %Y')
	for d in "$RLM" "$rfc850" "$asct"; do
		get /r.txt "If-Modified-Since: $d"
		check_eq "If-Modified-Since [$d]: 304 (13.1.3, 5.6.7)" 304 \
		    "$(st)"
	done
	get /r.txt "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"
	check_eq "If-Modified-Since in 1994: 200" 200 "$(st)"
	get /r.txt "If-Modified-Since: yesterday, about noon"
	check_eq "If-Modified-Since invalid date: ignored, 200 (13.1.3)" 200 \
	    "$(st)"
	liveness "invalid date"
}

test_cond_if_match() {
	fx_main || return
	r_meta
	get /r.txt 'If-Match: "mismatch"'
	check_eq "If-Match mismatch: 412 (13.1.1)" 412 "$(st)"
	get /r.txt "If-Match: W/$RETAG"
	check_eq "If-Match with a weak tag: 412 (strong comparison)" 412 \
	    "$(st)"
	get /r.txt "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT"
	check_eq "If-Unmodified-Since older than the file: 412 (13.1.4)" 412 \
	    "$(st)"
	get /r.txt 'If-Match: *'
	check_eq "If-Match: *: 200" 200 "$(st)"
	get /r.txt "If-Match: $RETAG"
	check_eq "If-Match: the ETag: 200" 200 "$(st)"
}

test_cond_order() {
	fx_main || return
	r_meta
	get /r.txt "If-None-Match: \"other\"" "If-Modified-Since: $RLM"
	check_eq "If-None-Match wins over If-Modified-Since: 200 (13.2.2 step 3)" \
	    200 "$(st)"
	get /r.txt "If-None-Match: $RETAG" \
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"
	check_eq "If-None-Match match, old If-Modified-Since: 304 (13.2.2 step 3)" \
	    304 "$(st)"
	get /r.txt 'If-Match: "mismatch"' "If-None-Match: $RETAG"
	check_eq "If-Match is evaluated before If-None-Match: 412 (13.2.2 step 1)" \
	    412 "$(st)"
	get /r.txt "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT" \
	    "If-Match: $RETAG"
	check_eq "If-Match present: If-Unmodified-Since ignored: 200 (13.1.4)" \
	    200 "$(st)"
}

# ---------------------------------------------------------------------
# Ranges (RFC 9110 section 14)

test_range_single() {
	fx_main || return
	site
	get /r.txt "Range: bytes=0-9"
	check_eq "bytes=0-9: 206 (15.3.7)" 206 "$(st)"
	check_eq "bytes=0-9: Content-Range (14.4)" "bytes 0-9/$RSIZE" \
	    "$(hdr Content-Range)"
	check_eq "bytes=0-9: Content-Length" 10 "$(hdr Content-Length)"
	body_is "bytes=0-9: those bytes" <(bytes "$R/r.txt" 0 9)
	get /r.txt "Range: bytes=-10"
	check_eq "suffix bytes=-10: 206" 206 "$(st)"
	check_eq "suffix bytes=-10: Content-Range" \
	    "bytes $((RSIZE - 10))-$((RSIZE - 1))/$RSIZE" "$(hdr Content-Range)"
	body_is "suffix bytes=-10: the last 10 bytes" <(tail -c 10 "$R/r.txt")
	get /r.txt "Range: bytes=10-"
	check_eq "open bytes=10-: 206" 206 "$(st)"
	check_eq "open bytes=10-: Content-Range" \
	    "bytes 10-$((RSIZE - 1))/$RSIZE" "$(hdr Content-Range)"
	body_is "open bytes=10-: to the end" <(tail -c +11 "$R/r.txt")
}

# Two disjoint ranges: multipart/byteranges (RFC 9110 section 14.6).
test_range_multipart() {
	local ct bnd offs p s e n f l b=$CASE_DIR/b pt=$CASE_DIR/part

	fx_main || return
	site
	get /r.txt "Range: bytes=0-9,500-519"
	check_eq "two ranges: 206" 206 "$(st)"
	ct=$(hdr Content-Type)
	bnd=${ct#*boundary=}
	if [[ $ct =~ ^multipart/byteranges\;\ ?boundary=. ]]; then
		ok "two ranges: multipart/byteranges with a boundary"
	else
		fail "two ranges: multipart/byteranges with a boundary" \
		    "got [$ct]"
	fi
	check_eq "two ranges: Content-Length is the body length" \
	    "$(stat -c %s "$b")" "$(hdr Content-Length)"
	# Cut the parts at the boundary lines and check each one's head and
	# bytes.
	mapfile -t offs < <(grep -obaF -- "--$bnd" "$b" | cut -d: -f1)
	if [ "${#offs[@]}" != 3 ]; then
		fail "two ranges: three delimiter lines" "found ${#offs[@]}"
		return
	fi
	for p in 0 1; do
		# A part: "--B" CRLF, head, CRLF CRLF, data, CRLF before the
		# next.
		s=$((offs[p] + ${#bnd} + 4))
		e=$((offs[p + 1] - 2))
		tail -c +$((s + 1)) "$b" | head -c $((e - s)) > "$pt"
		n=$(head_len "$pt" 0)
		head -c "$n" "$pt" | tr -d '\r' > "$pt.h"
		tail -c +$((n + 1)) "$pt" > "$pt.b"
		if [ "$p" = 0 ]; then f=0 l=9; else f=500 l=519; fi
		check_eq "two ranges: part $((p + 1)) Content-Type" \
		    "text/plain; charset=utf-8" \
		    "$(header Content-Type < "$pt.h")"
		check_eq "two ranges: part $((p + 1)) Content-Range" \
		    "bytes $f-$l/$RSIZE" "$(header Content-Range < "$pt.h")"
		check "two ranges: part $((p + 1)) bytes" \
		    cmp -s <(bytes "$R/r.txt" "$f" "$l") "$pt.b"
	done
	check_eq "two ranges: closing delimiter" "--$bnd--" \
	    "$(tail -c +$((offs[2] + 1)) "$b" | tr -d '\r\n')"
}

# 200 overlapping ranges on 2 MiB: one 206 no larger than the file
# (RFC 9110 15.3.7 lets a server coalesce; never amplify).
test_range_overlapping() {
	local spec="" i cl

	fx_main || return
	site_big
	for ((i = 0; i < 200; i++)); do
		spec+="${spec:+,}$i-"
	done
	get /big.bin "Range: bytes=$spec"
	check_eq "200 overlapping ranges: 206" 206 "$(st)"
	cl=$(hdr Content-Length)
	if [ -n "$cl" ] && [ "$cl" -le "$BIGSIZE" ]; then
		ok "200 overlapping ranges: Content-Length $cl <= $BIGSIZE"
	else
		fail "200 overlapping ranges: Content-Length <= $BIGSIZE" \
		    "got [$cl]"
	fi
	check_eq "200 overlapping ranges: coalesced into one" \
	    "bytes 0-$((BIGSIZE - 1))/$BIGSIZE" "$(hdr Content-Range)"
	body_is "200 overlapping ranges: the whole file once" "$R/big.bin"
	liveness "overlapping ranges"
}

# 16 disjoint ranges are served; 17 exceed the cap: 200, whole file.
test_range_cap() {
	local spec="" i

	fx_main || return
	site_big
	for ((i = 0; i < 16; i++)); do
		spec+="${spec:+,}$((i * 1000))-$((i * 1000))"
	done
	get /big.bin "Range: bytes=$spec"
	check_eq "16 disjoint ranges: 206 multipart" \
	    "206 multipart/byteranges" \
	    "$(st) $(hdr Content-Type | cut -d';' -f1)"
	check_eq "16 disjoint ranges: 16 parts" 16 \
	    "$(grep -ac '^Content-Range: bytes ' "$CASE_DIR/b")"
	get /big.bin "Range: bytes=$spec,17000-17000"
	check_eq "17 disjoint ranges: over the cap, 200" 200 "$(st)"
	check_eq "17 disjoint ranges: Content-Length of the whole file" \
	    "$BIGSIZE" "$(hdr Content-Length)"
	body_is "17 disjoint ranges: the whole file" "$R/big.bin"
	liveness "17 ranges"
}

test_range_unsatisfiable() {
	fx_main || return
	site
	get /r.txt "Range: bytes=999999999-"
	check_eq "bytes=999999999-: 416 (15.5.17)" 416 "$(st)"
	check_eq "416: Content-Range: bytes */SIZE (14.4)" "bytes */$RSIZE" \
	    "$(hdr Content-Range)"
}

test_range_ignored() {
	fx_main || return
	site
	get /r.txt "Range: items=0-1"
	check_eq "unknown unit items=0-1: ignored, 200 (14.2)" 200 "$(st)"
	body_is "unknown unit: whole file" "$R/r.txt"
	get /r.txt "Range: bytes=5-1"
	check_eq "invalid bytes=5-1: ignored, 200 (14.1.1)" 200 "$(st)"
	body_is "invalid range: whole file" "$R/r.txt"
}

test_range_if_range() {
	fx_main || return
	r_meta
	get /r.txt "Range: bytes=0-3" "If-Range: $RETAG"
	check_eq "If-Range with the current ETag: 206 (13.1.5)" 206 "$(st)"
	get /r.txt "Range: bytes=0-3" 'If-Range: "0-0-0"'
	check_eq "If-Range with an old ETag: 200" 200 "$(st)"
	body_is "If-Range with an old ETag: whole file" "$R/r.txt"
	get /r.txt "Range: bytes=0-3" "If-Range: W/$RETAG"
	check_eq "If-Range with W/ETag: 200 (strong comparison only)" 200 \
	    "$(st)"
	# A fresh r.txt (this case run alone) is no strong validator yet.
	wait_older "$R/r.txt"
	get /r.txt "Range: bytes=0-3" "If-Range: $RLM"
	check_eq "If-Range with the Last-Modified date: 206" 206 "$(st)"
}

test_head() {
	fx_main || return
	site
	send $'HEAD /nothing HTTP/1.1\r\nHost: x\r\n\r\n'
	check_eq "HEAD of a missing file: 404" 404 "$(st)"
	no_body "HEAD 404: no body (RFC 9110 9.3.2)"
	send $'HEAD /r.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\n\r\n'
	check_eq "Range on HEAD: 200 (14.2: GET only)" 200 "$(st)"
	check_eq "Range on HEAD: Content-Length of the whole file" "$RSIZE" \
	    "$(hdr Content-Length)"
	no_body "HEAD: no body"
}

# ---------------------------------------------------------------------
# A changed file is never served stale (RFC 9110 8.8.3: a new
# representation, a new ETag), whether or not the open-file cache holds
# it.  Rewritten in place with the same size, and replaced by rename.

# changed NAME PATH FILE OLDETAG: every one of a few requests (over new
# connections, so both workers) gets FILE's bytes and an ETag other than
# OLDETAG; sets NEWETAG.
changed() {
	local i bad=""

	for ((i = 0; i < 4; i++)); do
		get "$2"
		cmp -s "$3" "$CASE_DIR/b" || bad="stale bytes on request $((i + 1))"
		[ "$(hdr ETag)" != "$4" ] ||
		    bad="old ETag on request $((i + 1))"
		[ -z "$bad" ] || break
	done
	NEWETAG=$(hdr ETag)
	if [ -z "$bad" ]; then
		ok "$1"
	else
		fail "$1" "$bad"
	fi
}

# next_want FROM TO: $CASE_DIR/want gets its FROM bytes turned into TO
# (the same size, other bytes).
next_want() {
	tr "$1" "$2" < "$CASE_DIR/want" > "$CASE_DIR/want.new" &&
	    mv "$CASE_DIR/want.new" "$CASE_DIR/want"
}

# chg_files CHAR: $D/chg.txt (9 bytes) and $D/chgbig.bin (64 KiB) of
# CHAR.
chg_files() {
	printf '%s\n' "$1$1$1$1$1$1$1$1" > "$D/chg.txt"
	head -c 65536 /dev/zero | tr '\0' "$1" > "$D/chgbig.bin"
}

# Changed at once after being served, and changed again at once.
test_changed_at_once() {
	local f e0 e1 want=$CASE_DIR/want

	fx_main || return
	own
	chg_files A
	# Settled first, so the first request may cache them.
	wait_settled "$D/chg.txt" "$D/chgbig.bin"
	for f in chg.txt chgbig.bin; do
		cp "$D/$f" "$want"
		get "$U/$f"
		e0=$(hdr ETag)
		# Immediately: rewritten with other bytes of the same size.
		next_want A B
		cat "$want" > "$D/$f"
		changed "$f rewritten in place at once: new bytes, new ETag" \
		    "$U/$f" "$want" "$e0"
		e1=$NEWETAG
		next_want B C
		cp "$want" "$D/$f.tmp" && mv "$D/$f.tmp" "$D/$f"
		changed "$f replaced by rename at once: new bytes, new ETag" \
		    "$U/$f" "$want" "$e1"
	done
}

# After settling, the files are cached: serve them several times, then
# change them again.
test_changed_cached() {
	local f i e0 e1 want=$CASE_DIR/want

	fx_main || return
	own
	chg_files C
	wait_settled "$D/chg.txt" "$D/chgbig.bin"
	for f in chg.txt chgbig.bin; do
		cp "$D/$f" "$want"
		for ((i = 0; i < 6; i++)); do get "$U/$f"; done
		check "$f served from the cache: right bytes" \
		    cmp -s "$want" "$CASE_DIR/b"
		e0=$(hdr ETag)
		next_want C D
		cat "$want" > "$D/$f"
		changed "$f cached, rewritten in place: new bytes, new ETag" \
		    "$U/$f" "$want" "$e0"
		e1=$NEWETAG
		next_want D E
		cp "$want" "$D/$f.tmp" && mv "$D/$f.tmp" "$D/$f"
		changed "$f cached, replaced by rename: new bytes, new ETag" \
		    "$U/$f" "$want" "$e1"
		get "$U/$f" "If-None-Match: $e0"
		check_eq "$f: the old ETag no longer validates: 200" 200 "$(st)"
	done
}

# The plain file changes after both were cached: its .gz is now older
# and must not be served for it.
test_changed_gzip_cached() {
	local i

	fx_main || return
	own
	gz_files
	wait_settled "$D/g.txt" "$D/g.txt.gz"
	for ((i = 0; i < 4; i++)); do get "$U/g.txt" "Accept-Encoding: gzip"; done
	check_eq "g.txt.gz served from the cache" gzip "$(hdr Content-Encoding)"
	printf 'plain text, rewritten after its .gz, now newer and longer\n' \
	    > "$D/g.txt"
	for ((i = 0; i < 4; i++)); do
		get "$U/g.txt" "Accept-Encoding: gzip"
		if [ -n "$(hdr Content-Encoding)" ] ||
		    ! cmp -s "$D/g.txt" "$CASE_DIR/b"; then
			break
		fi
	done
	check_eq "g.txt rewritten after caching: its older .gz not served" "" \
	    "$(hdr Content-Encoding)"
	body_is "g.txt rewritten after caching: the new plain bytes" "$D/g.txt"
}

# The symlink policy holds for cached files too: a served (cached) file
# whose directory is moved out of the root and replaced by a symlink to
# its new place is outside the root now, and "inside" and "never" must
# refuse it (404) exactly as they do when it was never cached (the
# control: movedir/g.txt, never requested before the move).  (lim and
# never have one worker each, so the entry is surely cached.)
test_changed_moved_out_of_root() {
	local d p i codes out=$CASE_DIR/outside

	fx_main || return
	fx_lim || return
	fx_never || return
	own
	mkdir -p "$D/movedir" "$D/movedir2" "$out"
	printf 'MOVED-OUT-OF-THE-ROOT\n' > "$D/movedir/f.txt"
	printf 'MOVED-OUT-OF-THE-ROOT, never requested before\n' \
	    > "$D/movedir/g.txt"
	printf 'MOVED-OUT-OF-THE-ROOT-2\n' > "$D/movedir2/f.txt"
	printf 'MOVED-FILE-OUT-OF-THE-ROOT\n' > "$D/movefile.txt"
	wait_settled "$D/movedir/f.txt" "$D/movedir2/f.txt" "$D/movefile.txt"
	for d in main lim never; do
		use_daemon "$d"
		for p in movedir/f.txt movedir2/f.txt movefile.txt; do
			for ((i = 0; i < 6; i++)); do
				get "$U/$p"
			done
			check_eq "$d: $U/$p served (and cached) first" 200 "$(st)"
		done
	done
	# $out is $T/cases/CASE/outside, $D is $T/root/CASE.
	mv "$D/movedir" "$out/movedir"
	ln -s "../../cases/$E2E_CASE/outside/movedir" "$D/movedir"
	mv "$D/movedir2" "$out/movedir2"
	ln -s "$out/movedir2" "$D/movedir2"
	mv "$D/movefile.txt" "$out/movefile.txt"
	ln -s "../../cases/$E2E_CASE/outside/movefile.txt" "$D/movefile.txt"
	for d in main lim never; do
		use_daemon "$d"
		for p in movedir/g.txt movedir/f.txt movedir2/f.txt movefile.txt
		do
			codes=""
			for ((i = 0; i < 4; i++)); do
				get "$U/$p"
				codes+="$(st) "
				grep -qaF MOVED "$CASE_DIR/resp" &&
				    codes+="(leaked) "
			done
			check_eq "$d: $U/$p now behind a symlink out of the root: 404" \
			    "404 404 404 404 " "$codes"
		done
		liveness "moved out of the root"
	done
	use_daemon main
	liveness "changed files"
}

# ---------------------------------------------------------------------
# Errors: fixed bodies that never echo the request; framing kept.

test_errors_no_echo() {
	local z=ZZZ-ECHO-ZZZ

	fx_main || return
	expect "404 for a target with $z" 404 \
	    "GET /$z HTTP/1.1"$'\r\nHost: x\r\n'"X-$z: $z"$'\r\nUser-Agent: '"$z"$'\r\n\r\n'
	absent "404 does not echo the request" "$z"
	expect "400 for a bad header with $z" 400 \
	    "GET /$z HTTP/1.1"$'\r\nHost: x\r\n'"Bad $z"$'\r\n\r\n'
	absent "400 does not echo the request" "$z"
	expect "501 for the method $z" 501 \
	    "$z /$z HTTP/1.1"$'\r\nHost: x\r\n\r\n'
	absent "501 does not echo the request" "$z"
	expect "405 for POST /$z" 405 \
	    "POST /$z HTTP/1.1"$'\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
	absent "405 does not echo the request" "$z"
	liveness "echo checks"
}

test_errors_keep_framing() {
	fx_main || return
	site
	send $'GET /nothing HTTP/1.1\r\nHost: x\r\n\r\nPOST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'"$PAGE"
	split_all
	check_eq "404, 405 (with a body), then 200 on one connection" \
	    "404 405 200" "$(allst)"
	check "... the 200 after them is page.html" \
	    cmp -s "$R/page.html" "$CASE_DIR/r.3.b"
	send $'BREW / HTTP/1.1\r\nHost: x\r\n\r\nGET /index.html HTTP/1.1\r\nHost: x\r\nExpect: nope\r\n\r\n'"$PAGE"
	split_all
	check_eq "501, 417, then 200 on one connection" "501 417 200" "$(allst)"
	check "... the 200 after them is page.html" \
	    cmp -s "$R/page.html" "$CASE_DIR/r.3.b"
	send $'GET /r.txt HTTP/1.1\r\nHost: x\r\nIf-Match: "no"\r\n\r\nGET /r.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=5000-\r\n\r\n'"$PAGE"
	split_all
	check_eq "412, 416, then 200 on one connection" "412 416 200" "$(allst)"
	check "... the 200 after them is page.html" \
	    cmp -s "$R/page.html" "$CASE_DIR/r.3.b"
	liveness "errors"
}

# ---------------------------------------------------------------------
# Access log: one Combined Log Format line per request, real status and
# body bytes sent ("-" when none).  Only this case uses logd; its lines
# are told from others by the "l=" in their query.

# logged: the access log of logd has the 11 lines of the case.
logged() {
	[ "$(grep -ac 'l=' "$T/logd/access.log" 2>/dev/null)" -ge 11 ]
}

test_access_log() {
	local log mpl l404 l400 clf logline l

	fx_logd || return
	r_meta
	log=$DDIR/access.log
	send $'GET /r.txt?l=200 HTTP/1.1\r\nHost: x\r\nUser-Agent: e2e-ua\r\nReferer: http://ref/\r\n\r\n'
	send $'HEAD /r.txt?l=head HTTP/1.1\r\nHost: x\r\n\r\n'
	send "GET /r.txt?l=304 HTTP/1.1"$'\r\nHost: x\r\n'"If-None-Match: $RETAG"$'\r\n\r\n'
	send $'GET /r.txt?l=206 HTTP/1.1\r\nHost: x\r\nRange: bytes=5-14\r\n\r\n'
	send $'GET /r.txt?l=mp HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9,500-519\r\n\r\n'
	mpl=$(hdr Content-Length)
	send $'GET /nothing?l=404 HTTP/1.1\r\nHost: x\r\n\r\n'
	l404=$(hdr Content-Length)
	send $'GET /r.txt?l=400 HTTP/1.1\r\nHost: a b\r\n\r\n'
	l400=$(hdr Content-Length)
	send $'GET /r.txt?l=esc HTTP/1.1\r\nHost: x\r\nUser-Agent: a"b\\c\xe9\r\n\r\n'
	send $'GET /r.txt?l=p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing?l=p2 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /r.txt?l=p3 HTTP/1.1\r\nHost: x\r\n\r\n'
	wait_until 5 logged
	check_eq "access log: one line per request" 11 "$(grep -ac 'l=' "$log")"
	clf='^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] "[^"]*" [0-9]{3} ([0-9]+|-) "[^"]*" "[^"]*"$'
	check_eq "access log: every line is Combined Log Format" 0 \
	    "$(grep -a 'l=' "$log" | grep -cvE "$clf")"
	logline=(
		'"GET /r.txt?l=200 HTTP/1.1" 200 '"$RSIZE"' "http://ref/" "e2e-ua"'
		'"HEAD /r.txt?l=head HTTP/1.1" 200 - '
		'"GET /r.txt?l=304 HTTP/1.1" 304 - '
		'"GET /r.txt?l=206 HTTP/1.1" 206 10 '
		'"GET /r.txt?l=mp HTTP/1.1" 206 '"$mpl"' '
		'"GET /nothing?l=404 HTTP/1.1" 404 '"$l404"' '
		'"GET /r.txt?l=400 HTTP/1.1" 400 '"$l400"' '
		'"GET /r.txt?l=p1 HTTP/1.1" 200 '"$RSIZE"' '
		'"GET /nothing?l=p2 HTTP/1.1" 404 '"$l404"' '
		'"HEAD /r.txt?l=p3 HTTP/1.1" 200 - '
		'"GET /r.txt?l=esc HTTP/1.1" 200 '"$RSIZE"' "-" "a\x22b\x5cc\xe9"'
	)
	for l in "${logline[@]}"; do
		check "access log: $l" grep -qaF -- "$l" "$log"
	done
}

# ---------------------------------------------------------------------
# The end: every fixture still runs, and a daemon stops on TERM.  (The
# fixtures start when a case first needs them: until then, the runner's
# liveness checks after each case need not visit them.)

test_fixtures_still_run() {
	local d

	fx_main || return
	fx_lim || return
	fx_never || return
	fx_always || return
	fx_logd || return
	ok "five daemons start"
	use_daemon main
	liveness "everything"
	for d in main lim never always logd; do
		check "daemon $d still running" alive "${D_PID[$d]}"
	done
}

# A daemon of its own (the shared ones stay up for the runner's
# liveness checks), with main's configuration, after some traffic.
test_stop_on_term() {
	daemon_start term "$TMO" 'mime_types = "";' 'symlinks = "inside";' ||
	    { fail "daemon term starts" "see above"; return; }
	site
	send "$PAGE$PAGE$PAGE"
	check "daemon with main's configuration stops on TERM" daemon_stop term
}

e2e_run "$@"
