#!/bin/bash
#
# get.sh: end-to-end tests of minihttp-get.  Against minihttpd on
# 127.0.0.1 with a temporary root, against tests/fakeserver (the faults
# a correct server never makes: stalls, cuts, bad chunks, redirects...)
# and, when one is installed, against nginx (or python3 -m http.server)
# as an independent second server.  Every client run is bounded by
# timeout(1); every server is killed by its PID at exit (lib.sh).
#
# The last line is "get: N passed, N failed".

set -u
. "$(dirname "$0")/lib.sh"

FAKESERVER=$top_builddir/tests/fakeserver
e2e_init "$MINIHTTPD" "$GETCMD" "$FAKESERVER"
G=$GETCMD
MIB100=104857600

# mg ARGS...: minihttp-get bounded to 30 s; stdout in $T/o, stderr in
# $T/e, exit status in RC.
mg() {
	timeout -k 2 30 "$G" "$@" > "$T/o" 2> "$T/e"
	RC=$?
}

# expect_rc NAME STATUS ARGS...: minihttp-get ARGS exits with STATUS.
expect_rc() {
	local name=$1 want=$2

	shift 2
	mg "$@"
	check_eq "$name: exit $want" "$want" "$RC"
}

sha() {
	sha256sum < "$1" | cut -d' ' -f1
}

# check_same NAME EXPECTED-FILE GOT-FILE: byte for byte.
check_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		fail "$1" "$3 differs from $2"
	fi
}

# check_grep NAME PATTERN FILE / check_nogrep: an extended regexp.
check_grep() {
	if grep -qE -- "$2" "$3"; then
		ok "$1"
	else
		fail "$1" "no /$2/ in $3: $(head -c 300 "$3")"
	fi
}

check_nogrep() {
	if grep -qE -- "$2" "$3"; then
		fail "$1" "/$2/ found in $3: $(grep -E -- "$2" "$3" | head -3)"
	else
		ok "$1"
	fi
}

mtime() {
	stat -c %Y "$1"
}

now_ms() {
	date +%s%3N
}

# ---------------------------------------------------------------------
# Fixtures and servers

R=$T/root
head -c "$MIB100" /dev/urandom > "$R/big.bin"
printf 'small file\n' > "$R/small.txt"
printf 'spaced\n' > "$R/a b.txt"
head -c 100000 /dev/urandom > "$R/mid.bin"
mkdir -p "$R/dir"
printf 'dir index\n' > "$R/dir/index.html"
# Strong Last-Modified validators (If-Range) need a time in the past.
touch -d '2024-01-02 03:04:05 UTC' "$R/big.bin" "$R/small.txt" \
    "$R/mid.bin" "$R/a b.txt" "$R/dir/index.html"
BIGSUM=$(sha "$R/big.bin")
mkdir -p "$T/dl"

daemon_start main || { fail "minihttpd starts"; finish; }
M=$(url "")
MLOG=$DDIR/access.log

"$FAKESERVER" -l "$T/fake.log" -t 300 > "$T/fake.port" 2> "$T/fake.err" &
FPID=$!
bg_track "$FPID"
if ! wait_until 5 test -s "$T/fake.port"; then
	fail "fakeserver starts" "$(cat "$T/fake.err")"
	finish
fi
F=http://127.0.0.1:$(head -n 1 "$T/fake.port")

# A port where nothing listens: a fakeserver that has exited.
CLOSED=$(random_port)

# ---------------------------------------------------------------------
# Targets

test_targets() {
	mg "$M/small.txt"
	check_eq "URL: exit 0" 0 "$RC"
	check_same "URL: body" "$R/small.txt" "$T/o"
	mg "$M/a b.txt"
	check_same "space in a target is percent-encoded" "$R/a b.txt" "$T/o"
	mg "$M/a%20b.txt"
	check_same "a valid %XX is kept" "$R/a b.txt" "$T/o"
	mg "$M/small.txt?x=1#frag"
	check_same "query sent, fragment dropped" "$R/small.txt" "$T/o"
	# A bare path is http://localhost:6789/PATH; whoever is there.
	mg -v --connect-timeout 2 -m 3 index.html
	check_grep "bare path: localhost port 6789" \
	    '^\* connecting to (127\.0\.0\.1|::1) port 6789$' "$T/e"
}

test_ipv6() {
	local i

	if ! (exec 3<>"/dev/tcp/::1/$CLOSED") 2>&1 | grep -q refused; then
		skip "IPv6 literal" "no ::1 on this host"
		return
	fi
	expect_rc "IPv6 literal, nothing listening" 3 "http://[::1]:$CLOSED/"
	check_grep "IPv6 literal: one-line error" \
	    "^minihttp-get: connection refused: \[::1\]:$CLOSED$" "$T/e"
	daemon_prepare v6
	write_conf v6 "listen = [ \"[::1]:$PORT\" ];"
	"$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1 &
	daemon_adopt v6 "$!"
	for ((i = 0; i < 100; i++)); do
		mg -s -m 2 "http://[::1]:$PORT/small.txt"
		[ "$RC" = 0 ] && break
		sleep 0.05
	done
	check_same "IPv6 literal: body" "$R/small.txt" "$T/o"
	daemon_stop v6
	use_daemon main
}

# ---------------------------------------------------------------------
# Downloads

test_big() {
	local t0 t1

	rm -f "$T/dl/big"
	t0=$(now_ms)
	mg -o "$T/dl/big" "$M/big.bin"
	t1=$(now_ms)
	check_eq "100 MiB: exit 0" 0 "$RC"
	check_eq "100 MiB: sha256" "$BIGSUM" "$(sha "$T/dl/big")"
	echo "# 100 MiB from minihttpd in $((t1 - t0)) ms"
	# Streamed: an address space smaller than the body is enough.
	rm -f "$T/dl/big2"
	# (No exec in the inner shell: it reports a crash to /dev/null.)
	if ! bash -c 'ulimit -v 65536; "$0" --version; exit $?' "$G" \
	    > /dev/null 2>&1; then
		skip "100 MiB in 64 MiB" "cannot run in 64 MiB (sanitizers?)"
		return
	fi
	(ulimit -v 65536; exec "$G" -s -o "$T/dl/big2" "$M/big.bin")
	check_eq "100 MiB with 64 MiB of address space: exit 0" 0 "$?"
	check_eq "100 MiB with 64 MiB of address space: sha256" "$BIGSUM" \
	    "$(sha "$T/dl/big2")"
	rm -f "$T/dl/big2"
}

test_output_files() {
	rm -f "$T/dl/x"
	expect_rc "-o: 404" 1 -o "$T/dl/x" "$M/missing.html"
	check "-o: no file for a 404" test ! -e "$T/dl/x"
	expect_rc "-o: truncated" 4 -o "$T/dl/x" "$F/cut"
	check "-o: no partial file without -C" test ! -e "$T/dl/x"
	check_eq "-o: no temporary file left" "" \
	    "$(find "$T/dl" -name '.x.*')"
	expect_rc "-o: missing directory" 5 -o "$T/nodir/x" "$M/small.txt"
	check_grep "-o: one-line reason" \
	    "^minihttp-get: cannot create $T/nodir/x: No such file" "$T/e"
	mg -o "$T/dl/s1" -o - -o "$T/dl/s3" "$M/small.txt" "$M/mid.bin" \
	    "$M/dir/"
	check_same "-o: first target" "$R/small.txt" "$T/dl/s1"
	check_same "-o -: second to standard output" "$R/mid.bin" "$T/o"
	check_same "-o: third target" "$R/dir/index.html" "$T/dl/s3"
	expect_rc "more -o than targets" 2 -o a -o b "$M/small.txt"
	expect_rc "-o /dev/null" 0 -o /dev/null "$M/small.txt"
}

test_remote_name() {
	local d=$T/dl/O

	mkdir -p "$d"
	(cd "$d" && exec timeout 30 "$G" -O "$M/small.txt" -O "$M/a%20b.txt")
	check_eq "-O: exit 0" 0 "$?"
	check_same "-O: remote name" "$R/small.txt" "$d/small.txt"
	check_same "-O: percent-decoded name" "$R/a b.txt" "$d/a b.txt"
	echo keep > "$d/small.txt"
	(cd "$d" && exec timeout 30 "$G" -s -O "$M/small.txt")
	check_eq "-O: existing file refused: exit 5" 5 "$?"
	check_eq "-O: existing file kept" keep "$(cat "$d/small.txt")"
	(cd "$d" && exec timeout 30 "$G" -O --clobber "$M/small.txt")
	check_same "-O --clobber replaces" "$R/small.txt" "$d/small.txt"
	(cd "$d" && exec timeout 30 "$G" -s -L -O "$F/r1")
	check_eq "-O -L: the name of the target as given" ok "$(cat "$d/r1")"
	expect_rc "-O: no name in /" 2 -O "$M/"
	check_grep "-O: says why" "no file name" "$T/e"
	expect_rc "-O: encoded slash refused" 2 -O "$M/..%2Fx"
	expect_rc "-O: .. refused" 2 -O "$M/%2e%2e"
}

test_ranges() {
	mg -r 0-9 "$M/mid.bin"
	check_eq "-r 0-9: exit 0" 0 "$RC"
	check_eq "-r 0-9: first bytes" "$(head -c 10 "$R/mid.bin" | od -An -tx1)" \
	    "$(od -An -tx1 < "$T/o")"
	mg -r 99990- "$M/mid.bin"
	check_eq "-r 99990-: last bytes" \
	    "$(tail -c 10 "$R/mid.bin" | od -An -tx1)" "$(od -An -tx1 < "$T/o")"
	mg -r -5 -o "$T/dl/r" "$M/mid.bin"
	check_eq "-r -5: suffix" "$(tail -c 5 "$R/mid.bin" | od -An -tx1)" \
	    "$(od -An -tx1 < "$T/dl/r")"
	mg -i -r 0-0,5-5 "$M/small.txt"
	check_grep "-r with two parts: 206 written as received" \
	    "^HTTP/1.1 206" "$T/o"
	mg -r 0-1 "$F/ok"
	check_eq "200 to a range: written whole" ok "$(cat "$T/o")"
	check_grep "200 to a range: notice" "to a range request" "$T/e"
	expect_rc "-r beyond the end: 416" 1 -r 200000- "$M/mid.bin"
	expect_rc "-r syntax checked" 2 -r 9-1 "$M/mid.bin"
}

test_resume() {
	local f=$T/dl/res lm

	rm -f "$f"
	mg -C - -o "$f" "$M/big.bin"
	check_eq "-C, no file yet: whole download" "$BIGSUM" "$(sha "$f")"
	check_eq "-C implies -R: mtime is Last-Modified" "$(mtime "$R/big.bin")" \
	    "$(mtime "$f")"
	lm=$(mtime "$f")
	truncate -s 52428800 "$f"
	touch -d "@$lm" "$f"
	mg -v -C - -o "$f" "$M/big.bin"
	check_eq "-C after a cut: exit 0" 0 "$RC"
	check_grep "-C: Range from the file size" \
	    '^> Range: bytes=52428800-' "$T/e"
	check_grep "-C: If-Range is the file time" \
	    '^> If-Range: Tue, 02 Jan 2024 03:04:05 GMT' "$T/e"
	check_grep "-C: 206 answered" '^< HTTP/1.1 206' "$T/e"
	check_eq "-C: resumed file sha256" "$BIGSUM" "$(sha "$f")"
	mg -C - -o "$f" "$M/big.bin"
	check_eq "-C on a complete file: exit 0" 0 "$RC"
	check_grep "-C on a complete file: notice" "complete already" "$T/e"
	check_eq "-C on a complete file: unchanged" "$BIGSUM" "$(sha "$f")"
	# A part whose time is not the server's: fetched whole again.
	truncate -s 1000 "$f"
	mg -C - -o "$f" "$M/big.bin"
	check_grep "-C on a changed file: notice" "fetching .* whole" "$T/e"
	check_eq "-C on a changed file: whole again" "$BIGSUM" "$(sha "$f")"
	# A real cut: the part stays, with the server's time, for next time.
	rm -f "$f"
	expect_rc "-C, server cuts: exit 4" 4 -C - -o "$f" "$F/cut"
	check_eq "-C, server cuts: partial kept" 1000 "$(stat -c %s "$f")"
	check_eq "-C, server cuts: mtime from Last-Modified" 784111777 \
	    "$(mtime "$f")"
	check_grep "-C, server cuts: says so" "partial .* kept" "$T/e"
	expect_rc "-C needs an output file" 2 -C - "$M/small.txt"
	expect_rc "-C and -r exclude each other" 2 -C - -r 0-1 -o "$f" \
	    "$M/small.txt"
}

# An interrupted transfer: TERM while the body stalls.
test_signal() {
	local f=$T/dl/sig pid

	rm -f "$f"
	"$G" -s -C - -o "$f" "$F/stall-body" & pid=$!
	wait_until 5 test -s "$f"
	sleep 0.2
	kill -TERM "$pid"
	wait "$pid"
	check_eq "TERM during -C: partial kept" 10 "$(stat -c %s "$f")"
	check_eq "TERM during -C: mtime from Last-Modified" 784111777 \
	    "$(mtime "$f")"
	rm -f "$f"
	"$G" -s -o "$f" "$F/stall-body" & pid=$!
	wait_until 5 sh -c "ls -a '$T/dl' | grep -q '^\.sig\.'"
	kill -TERM "$pid"
	wait "$pid"
	check_eq "TERM without -C: nothing left" "" \
	    "$(ls -a "$T/dl" | grep 'sig')"
}

test_remote_time() {
	mg -R -o "$T/dl/rt" "$M/small.txt"
	check_eq "-R: mtime is Last-Modified" "$(mtime "$R/small.txt")" \
	    "$(mtime "$T/dl/rt")"
	mg -o "$T/dl/rt" "$M/small.txt"
	check "without -R: mtime is now" test "$(mtime "$T/dl/rt")" -gt \
	    "$(mtime "$R/small.txt")"
}

test_since() {
	rm -f "$T/dl/z"
	mg -o "$T/dl/z" -z 'Sun, 06 Nov 1994 08:49:37 GMT' "$M/small.txt"
	check_same "-z older IMF-fixdate: fetched" "$R/small.txt" "$T/dl/z"
	mg -z 'Sunday, 06-Nov-94 08:49:37 GMT' "$M/small.txt"
	check_same "-z RFC 850 date: fetched" "$R/small.txt" "$T/o"
	mg -z 'Sun Nov  6 08:49:37 1994' "$M/small.txt"
	check_same "-z asctime date: fetched" "$R/small.txt" "$T/o"
	rm -f "$T/dl/z"
	mg -o "$T/dl/z" -z 'Wed, 01 Jan 2025 00:00:00 GMT' "$M/small.txt"
	check_eq "-z newer: 304 exit 0" 0 "$RC"
	check "-z newer: nothing written" test ! -e "$T/dl/z"
	check_grep "-z newer: notice" "^minihttp-get: 304 Not Modified: " \
	    "$T/e"
	mg -s -z "$R/small.txt" "$M/small.txt"
	check_eq "-z FILE -s: exit 0" 0 "$RC"
	check_eq "-z FILE -s: no output, no notice" "" "$(cat "$T/o" "$T/e")"
	expect_rc "-z neither date nor file" 2 -z 'yesterday' "$M/small.txt"
}

test_head_include() {
	mg -I "$M/small.txt"
	check_eq "-I: exit 0" 0 "$RC"
	check_grep "-I: status line" '^HTTP/1.1 200 OK' "$T/o"
	check_grep "-I: Content-Length" '^Content-Length: 11' "$T/o"
	check_nogrep "-I: no body" 'small file' "$T/o"
	mg -i "$M/small.txt"
	check_grep "-i: head" '^HTTP/1.1 200 OK' "$T/o"
	check_eq "-i: body last" "small file" "$(tail -n 1 "$T/o")"
	mg -v -H 'User-Agent: probe/1' -H 'Accept:' -H 'X-Test: yes' \
	    "$M/small.txt"
	check_grep "-H replaces a default" '^> User-Agent: probe/1' "$T/e"
	check_nogrep "-H 'Name:' removes a default" '^> Accept:' "$T/e"
	check_grep "-H adds" '^> X-Test: yes' "$T/e"
	expect_rc "-H checked" 2 -H 'Bad Name: x' "$M/small.txt"
}

# ---------------------------------------------------------------------
# Connections

test_keepalive() {
	local before after

	before=$(wc -l < "$MLOG")
	mg -v "$M/small.txt" "$M/mid.bin" "$M/a%20b.txt" "$M/dir/"
	after=$(wc -l < "$MLOG")
	check_eq "4 targets: exit 0" 0 "$RC"
	check_eq "4 targets: one connect" 1 "$(grep -c '^\* connected to' "$T/e")"
	check_eq "4 targets: 3 reuses" 3 "$(grep -c '^\* reusing' "$T/e")"
	check_eq "4 targets: 4 requests in the access log" 4 \
	    "$((after - before))"
	check_eq "4 targets: Connection: close on the last only" 1 \
	    "$(grep -c '^> Connection: close' "$T/e")"
	# Two servers alternating: one connection each.
	: > "$T/fake.log"
	mg -v "$F/ok" "$M/small.txt" "$F/ok" "$M/small.txt"
	check_eq "alternating servers: two connects" 2 \
	    "$(grep -c '^\* connected to' "$T/e")"
	check_eq "alternating servers: one fake connection" 1 \
	    "$(cut -d' ' -f1 "$T/fake.log" | sort -u | wc -l)"
	# The server closes an idle connection: once more on a new one.
	: > "$T/fake.log"
	mg -v "$F/drop-next" "$F/ok"
	check_eq "server closed the idle connection: exit 0" 0 "$RC"
	check_eq "server closed the idle connection: both bodies" \
	    "drop ok" "$(tr '\n' ' ' < "$T/o" | sed 's/ $//')"
	check_grep "server closed the idle connection: retried" "retrying" \
	    "$T/e"
	# Close-delimited bodies end their connection.
	mg -v "$F/close" "$F/close" "$F/ok"
	check_eq "close-delimited, three targets: exit 0" 0 "$RC"
	check_eq "close-delimited, three targets: three connects" 3 \
	    "$(grep -c '^\* connected to' "$T/e")"
	daemon_start ka 'limits = { max_keepalive_requests = 2; };'
	mg -v "$(url /small.txt)" "$(url /small.txt)" "$(url /small.txt)" \
	    "$(url /small.txt)" "$(url /small.txt)"
	check_eq "max_keepalive_requests 2, 5 targets: exit 0" 0 "$RC"
	check_eq "max_keepalive_requests 2, 5 targets: 5 bodies" 5 \
	    "$(grep -c 'small file' "$T/o")"
	check_eq "max_keepalive_requests 2, 5 targets: 3 connects" 3 \
	    "$(grep -c '^\* connected to' "$T/e")"
	daemon_stop ka
	use_daemon main
}

# ---------------------------------------------------------------------
# Responses

test_framing() {
	mg "$F/chunked"
	check_eq "chunked: exit 0" 0 "$RC"
	check_eq "chunked: size" 65557 "$(wc -c < "$T/o")"
	check_eq "chunked: start" "hello, chunked world" "$(head -n 1 "$T/o")"
	mg "$F/chunked" "$F/ok"
	check_eq "chunked with trailers, then the next on the connection" \
	    ok "$(tail -c 3 "$T/o")"
	mg "$F/interim"
	check_eq "1xx skipped" "after interim" "$(cat "$T/o")"
	mg -v "$F/204" "$F/ok"
	check_eq "204 has no body, connection kept" "ok" "$(cat "$T/o")"
	check_eq "204: one connect" 1 "$(grep -c '^\* connected to' "$T/e")"
	mg "$F/close"
	check_eq "close-delimited body" "close-delimited body" "$(cat "$T/o")"
	mg "$F/gzip"
	check_eq "Content-Encoding saved as received" hello \
	    "$(gzip -dc < "$T/o")"
	mg "$F/te-gzip"
	check_eq "unknown transfer coding: saved, close-delimited" hello \
	    "$(gzip -dc < "$T/o")"
}

test_exit_codes() {
	local t0 t1

	expect_rc "404" 1 "$M/missing.html"
	check_eq "404: one line" \
	    "minihttp-get: 404 Not Found: /missing.html" "$(cat "$T/e")"
	check_eq "404: no body written" "" "$(cat "$T/o")"
	expect_rc "unknown option" 2 -Q "$M/"
	expect_rc "no target" 2
	expect_rc "unsupported scheme" 2 "https://127.0.0.1/"
	check_grep "unsupported scheme: says so" "unsupported scheme" "$T/e"
	expect_rc "bad -m" 2 -m x "$M/"
	expect_rc "bad --max-redirs" 2 --max-redirs -1 "$M/"
	expect_rc "connection refused" 3 "http://127.0.0.1:$CLOSED/x"
	check_eq "connection refused: one line" \
	    "minihttp-get: connection refused: 127.0.0.1:$CLOSED" "$(cat "$T/e")"
	t0=$(now_ms)
	expect_rc "stalled head, -m 1" 3 -m 1 "$F/stall"
	t1=$(now_ms)
	check "stalled head: gave up within 3 s" test $((t1 - t0)) -lt 3000
	check_grep "stalled head: timed out" "timed out after 1 s" "$T/e"
	expect_rc "stalled body, -m 0.5" 3 -m 0.5 "$F/stall-body"
	expect_rc "cut mid-body" 4 "$F/cut"
	check_grep "cut mid-body: reported" \
	    "transfer truncated: got 1000 of 100000 bytes: /cut" "$T/e"
	expect_rc "cut mid-chunk" 4 "$F/cut-chunked"
	expect_rc "bad chunk size" 4 "$F/bad-chunk"
	check_grep "bad chunk size: reported" "invalid chunk size" "$T/e"
	expect_rc "not HTTP" 4 "$F/garbage"
	expect_rc "obs-fold" 4 "$F/obsfold"
	expect_rc "head over 32 KiB" 4 "$F/hugehead"
	expect_rc "local file error" 5 -o "$T/nodir/x" "$M/small.txt"
	mg "$M/missing.html" "$M/small.txt" "http://127.0.0.1:$CLOSED/"
	check_eq "several failures: the first one's status" 1 "$RC"
	check_eq "several failures: the others still fetched" "small file" \
	    "$(cat "$T/o")"
	mg -s "$M/missing.html"
	check_eq "-s: silent on errors" "" "$(cat "$T/e")"
}

test_redirects() {
	mg "$F/r1"
	check_eq "no -L: 301 is success" 0 "$RC"
	check_eq "no -L: its body written" moved "$(cat "$T/o")"
	check_grep "no -L: notice" "301 Moved Permanently: /r1 -> r2" "$T/e"
	: > "$T/fake.log"
	mg -L "$F/r1"
	check_eq "-L: relative, then dot segments" ok "$(cat "$T/o")"
	check_grep "-L: resolved against the current URL" \
	    ' /final\?from=r2$' "$T/fake.log"
	check_eq "-L: one connection for the chain" 1 \
	    "$(cut -d' ' -f1 "$T/fake.log" | sort -u | wc -l)"
	mg -L "$F/abs"
	check_eq "-L: absolute Location" ok "$(cat "$T/o")"
	expect_rc "-L: loop" 4 -L "$F/loop"
	check_grep "-L: loop: too many redirects" "too many redirects \(10\)" \
	    "$T/e"
	expect_rc "--max-redirs 1 for two" 4 -L --max-redirs 1 "$F/r1"
	expect_rc "--max-redirs 2 for two" 0 -L --max-redirs 2 "$F/r1"
	expect_rc "-L: https refused" 4 -L "$F/https"
	check_grep "-L: https: says why" "unsupported scheme" "$T/e"
	expect_rc "-L: no Location" 4 -L "$F/nolocation"
	mg -L "$M/dir"
	check_same "-L: minihttpd directory redirect" "$R/dir/index.html" \
	    "$T/o"
}

# ---------------------------------------------------------------------
# Terminal

# pty CMD...: runs CMD under a pseudo-terminal; everything it wrote to
# the terminal in $T/tty.
pty() {
	timeout -k 2 40 script -qfec "$*" /dev/null < /dev/null > "$T/tty" 2>&1
}

test_progress() {
	local t0 t1 n

	if ! command -v script > /dev/null; then
		skip "progress bar" "script(1) not installed"
		return
	fi
	t0=$(now_ms)
	pty "'$G' -o '$T/dl/p' '$M/big.bin'"
	t1=$(now_ms)
	check_grep "tty, 100 MiB to a file: bar" \
	    '100\.0 MiB / 100\.0 MiB +100% \[=+\] .*/s in [0-9]' "$T/tty"
	n=$(tr -cd '\r' < "$T/tty" | wc -c)
	# Each redraw starts with CR, the final newline adds one (onlcr).
	check "tty: at most 10 redraws a second ($n in $((t1 - t0)) ms)" \
	    test "$n" -le $(((t1 - t0) / 100 + 3))
	check_eq "tty: the file is whole" "$BIGSUM" "$(sha "$T/dl/p")"
	pty "'$G' '$M/big.bin' | cat > /dev/null"
	check_grep "tty, body to a pipe: bar" '100\.0 MiB / 100\.0 MiB +100%' \
	    "$T/tty"
	pty "'$G' -s -o '$T/dl/p' '$M/big.bin'"
	check_eq "tty, -s: no bar" "" "$(cat "$T/tty")"
	pty "'$G' -o '$T/dl/p' '$M/big.bin' 2> '$T/dl/err'"
	check_eq "stderr not a tty: no bar" "" "$(cat "$T/tty" "$T/dl/err")"
	pty "'$G' -o '$T/dl/p' '$M/mid.bin'"
	check_eq "tty, small and quick: no bar" "" "$(cat "$T/tty")"
	t0=$(now_ms)
	pty "'$G' -o '$T/dl/p' '$F/slow'"
	t1=$(now_ms)
	n=$(tr -cd '\r' < "$T/tty" | wc -c)
	# A byte every 50 ms, shown from the first second on.
	check "tty, slow: at most 10 redraws a second ($n in $((t1 - t0)) ms)" \
	    test "$n" -le $(((t1 - t0 - 1000) / 100 + 3))
	check_grep "tty, small but slow: bar after a second" \
	    '30 B / 30 B +100%' "$T/tty"
	check_grep "tty, small but slow: rate and time left" \
	    ' [0-9]+ B/s ETA [0-9]+:[0-9]{2}' "$T/tty"
	n=$(tr '\r' '\n' < "$T/tty" | grep -oE '^ *[0-9]+ B / 30 B' | head -n 1 |
	    awk '{ print $1 }')
	# 20 bytes a second: the first line shows after about one.
	check "tty, small but slow: not before a second (first at ${n:-?} B)" \
	    test "${n:-0}" -ge 15
	pty "'$G' '$F/slow'"
	check_nogrep "tty, body to the terminal: no bar" '%' "$T/tty"
	check_grep "tty, body to the terminal: body" 'sssss' "$T/tty"
	pty "'$G' -o '$T/dl/p' '$M/missing.html'"
	check_eq "tty: error on one clean line" \
	    "minihttp-get: 404 Not Found: /missing.html" \
	    "$(tr -d '\r' < "$T/tty")"
}

# ---------------------------------------------------------------------
# Documentation and layering

test_docs() {
	local man=$top_srcdir/man/minihttp-get.1.in help man_opts help_opts

	mg --help
	check_eq "--help: exit 0" 0 "$RC"
	help=$T/help
	cp "$T/o" "$help"
	help_opts=$(grep -oE -- '--[a-z][a-z-]+' "$help" | sort -u | tr '\n' ' ')
	man_opts=$(grep -oE 'Fl \\-[a-z][a-z\\-]+' "$man" |
	    sed 's/^Fl \\-/--/; s/\\-/-/g' | sort -u | tr '\n' ' ')
	check_eq "--help and the man page list the same long options" \
	    "$man_opts" "$help_opts"
	help_opts=$(grep -oE '^  -[a-zA-Z],' "$help" | tr -d ' ,-' | sort |
	    tr -d '\n')
	man_opts=$(grep -oE '^\.It Fl [a-zA-Z] ' "$man" | cut -c8 | sort |
	    tr -d '\n')
	check_eq "--help and the man page list the same short options" \
	    "$man_opts" "$help_opts"
	for n in 0 1 2 3 4 5; do
		check_grep "--help: exit status $n" "(: |, )$n [A-Za-z]" "$help"
	done
	mg --version
	check_grep "--version" "^minihttp-get [0-9]" "$T/o"
	if command -v mandoc > /dev/null; then
		sed 's|@sysconfdir@|/etc|g;s|@sbindir@|/usr/sbin|g;s|@bindir@|/usr/bin|g;s|@localstatedir@|/var|g;s|@VERSION@|0.1.0|g' \
		    "$man" | mandoc -Tlint -W warning > "$T/lint" 2>&1
		check_eq "man page: mandoc -Tlint clean" "" "$(cat "$T/lint")"
	fi
	# The client's own files use levels 0-1 only (DESIGN section 5).
	check_eq "get_*.[ch] include nothing above level 1" "" \
	    "$(grep -lE '#include ("(conf|log|listen|daemon|worker|master|conn|resolve|mime|autoindex)\.h"|<event2/|<libconfig\.h>)' \
	    "$top_srcdir"/src/get_*.[ch] "$top_srcdir"/src/minihttp-get.c)"
}

# ---------------------------------------------------------------------
# A second, independent server

start_nginx() {
	local d=$T/nginx p

	command -v nginx > /dev/null || return 1
	mkdir -p "$d/tmp"
	p=$(random_port) || return 1
	cat > "$d/conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $d/pid;
error_log $d/error.log;
events { worker_connections 64; }
http {
	access_log $d/access.log;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	server {
		listen 127.0.0.1:$p;
		root $R;
	}
}
EOF
	nginx -c "$d/conf" -p "$d" -e "$d/error.log" > "$d/out" 2>&1 &
	OTHER_PID=$!
	bg_track "$OTHER_PID"
	OTHER=http://127.0.0.1:$p
	OTHER_NAME=nginx
	wait_http 5 "$p" "$OTHER_PID"
}

start_python() {
	local p

	command -v python3 > /dev/null || return 1
	p=$(random_port) || return 1
	python3 -m http.server --bind 127.0.0.1 --directory "$R" "$p" \
	    > "$T/python.out" 2>&1 &
	OTHER_PID=$!
	bg_track "$OTHER_PID"
	OTHER=http://127.0.0.1:$p
	OTHER_NAME=python
	wait_http 10 "$p" "$OTHER_PID"
}

test_other_server() {
	local f=$T/dl/other lm t0 t1

	if ! start_nginx && ! start_python; then
		skip "second server" "neither nginx nor python3 is usable"
		return
	fi
	echo "# second server: $OTHER_NAME"
	mg "$OTHER/small.txt"
	check_same "$OTHER_NAME: small file" "$R/small.txt" "$T/o"
	rm -f "$f"
	t0=$(now_ms)
	mg -o "$f" "$OTHER/big.bin"
	t1=$(now_ms)
	check_eq "$OTHER_NAME: 100 MiB sha256" "$BIGSUM" "$(sha "$f")"
	echo "# 100 MiB from $OTHER_NAME in $((t1 - t0)) ms"
	mg -I "$OTHER/small.txt"
	check_grep "$OTHER_NAME: HEAD" '^HTTP/1\.[01] 200' "$T/o"
	expect_rc "$OTHER_NAME: 404" 1 "$OTHER/missing"
	if [ "$OTHER_NAME" != nginx ]; then
		return
	fi
	mg -v "$OTHER/small.txt" "$OTHER/mid.bin" "$OTHER/a%20b.txt"
	check_eq "nginx: 3 targets, one connect" 1 \
	    "$(grep -c '^\* connected to' "$T/e")"
	check_same "nginx: 3 targets, last body" "$R/a b.txt" \
	    <(tail -c 7 "$T/o")
	mg -r 10-19 "$OTHER/mid.bin"
	check_eq "nginx: -r" "$(head -c 20 "$R/mid.bin" | tail -c 10 |
	    od -An -tx1)" "$(od -An -tx1 < "$T/o")"
	rm -f "$f"
	mg -C - -o "$f" "$OTHER/big.bin"
	lm=$(mtime "$f")
	check_eq "nginx: -C sets the Last-Modified time" "$(mtime "$R/big.bin")" \
	    "$lm"
	truncate -s 33333333 "$f"
	touch -d "@$lm" "$f"
	mg -v -C - -o "$f" "$OTHER/big.bin"
	check_grep "nginx: -C resumes with 206" '^< HTTP/1.1 206' "$T/e"
	check_eq "nginx: resumed sha256" "$BIGSUM" "$(sha "$f")"
	mg -C - -o "$f" "$OTHER/big.bin"
	check_grep "nginx: -C on a complete file" "complete already" "$T/e"
	mg -z "$R/small.txt" -o "$T/dl/nz" "$OTHER/small.txt"
	check_grep "nginx: -z gives 304" "304 Not Modified" "$T/e"
	check "nginx: -z: nothing written" test ! -e "$T/dl/nz"
}

test_targets
test_ipv6
test_big
test_output_files
test_remote_name
test_ranges
test_resume
test_signal
test_remote_time
test_since
test_head_include
test_keepalive
test_framing
test_exit_codes
test_redirects
test_progress
test_docs
test_other_server
finish
