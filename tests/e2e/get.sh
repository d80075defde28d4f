#!/bin/bash
#
# get.sh: end-to-end tests of minihttp-get.  Against minihttpd on
# 127.0.0.1 with a temporary root, against tests/fakeserver (the faults
# a correct server never makes: stalls, cuts, bad chunks, redirects...)
# and, when one is installed, against nginx (or python3 -m http.server)
# as an independent second server.  Every client run is bounded by
# timeout(1); every server is killed by its PID at exit (lib.sh).
#
# Servers:
#	main		the minihttpd fixture, default test configuration,
#			shared by the cases that only fetch
#	ka		private to keepalive_max_requests:
#			max_keepalive_requests = 2
#	v6		private to ipv6: listens on [::1] only
#	fakeserver	tests/fakeserver, started on first use and shared (it
#			keeps no state from one connection to the next)
#	nginx/python	private to other_server, when installed
#
# The files served ($T/root/small.txt, mid.bin, big.bin...) are made on
# first use by setup and big_file and never changed; each case writes
# only under its $CASE_DIR.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

FAKESERVER=$top_builddir/tests/fakeserver
e2e_init "$MINIHTTPD" "$GETCMD" "$FAKESERVER"
G=$GETCMD
MIB100=104857600
R=$T/root
MAN_GET=$top_srcdir/man/minihttp-get.1.in

# ---------------------------------------------------------------------
# Helpers

# mg ARGS...: minihttp-get bounded to 30 s; stdout in $O, stderr in $E,
# exit status in RC.
mg() {
	timeout -k 2 30 "$G" "$@" > "$O" 2> "$E"
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

# setup: this case's scratch names, under $CASE_DIR: O and E (the
# client's standard output and error), DL (a directory for downloads);
# and the small files served, made on first use.  big.bin is big_file's.
setup() {
	O=$CASE_DIR/o
	E=$CASE_DIR/e
	DL=$CASE_DIR/dl
	mkdir -p "$DL"
	[ -e "$R/dir/index.html" ] && return 0
	printf 'small file\n' > "$R/small.txt"
	printf 'spaced\n' > "$R/a b.txt"
	head -c 100000 /dev/urandom > "$R/mid.bin"
	mkdir -p "$R/dir"
	printf 'dir index\n' > "$R/dir/.index.html"
	# Strong Last-Modified validators (If-Range) need a time in the past.
	touch -d '2024-01-02 03:04:05 UTC' "$R/small.txt" "$R/mid.bin" \
	    "$R/a b.txt" "$R/dir/.index.html"
	# Last: its presence says the others are there.
	mv "$R/dir/.index.html" "$R/dir/index.html"
}

# big_file: $R/big.bin, 100 MiB with a time in the past, made on first
# use; sets BIGSUM, its sha256.
big_file() {
	if [ ! -e "$R/big.bin" ]; then
		head -c "$MIB100" /dev/urandom > "$R/.big.bin"
		touch -d '2024-01-02 03:04:05 UTC' "$R/.big.bin"
		mv "$R/.big.bin" "$R/big.bin"
	fi
	[ -n "${BIGSUM:-}" ] || BIGSUM=$(sha "$R/big.bin")
}

# tidy FILE...: a case that passed removes its 100 MiB downloads (one
# that failed keeps them, for E2E_KEEP=1).
tidy() {
	[ "$E2E_CASE_FAILED" = 0 ] && rm -f "$@"
	return 0
}

# main_server: the minihttpd fixture; sets M (its URL without the
# slash) and MLOG (its access log).
main_server() {
	fixture main || return 1
	M=$(url "")
	MLOG=$DDIR/access.log
}

# fake_server: tests/fakeserver, started on first use (again if its
# lifetime ran out); sets F, its URL.  It logs one line "CONN PATH" per
# request in $T/fake.log.
fake_server() {
	if [ -n "${FPID:-}" ] && alive "$FPID"; then
		return 0
	fi
	"$FAKESERVER" -l "$T/fake.log" -t 300 > "$T/fake.port" \
	    2> "$T/fake.err" &
	FPID=$!
	bg_track "$FPID"
	if ! wait_until 5 test -s "$T/fake.port"; then
		fail "fakeserver starts" "$(cat "$T/fake.err")"
		return 1
	fi
	F=http://127.0.0.1:$(head -n 1 "$T/fake.port")
}

# fake_mark / fake_log: the lines the fakeserver logged since fake_mark,
# in $CASE_DIR/fake.log.
fake_mark() {
	FMARK=0
	[ -f "$T/fake.log" ] && FMARK=$(wc -l < "$T/fake.log")
}

fake_log() {
	tail -n +"$((FMARK + 1))" "$T/fake.log" > "$CASE_DIR/fake.log" \
	    2>/dev/null
}

# fake_conns: the number of connections in $CASE_DIR/fake.log.
fake_conns() {
	cut -d' ' -f1 "$CASE_DIR/fake.log" | sort -u | wc -l
}

# logged N PATTERN: at least N lines of the main access log have the
# fixed string PATTERN.
logged() {
	local n

	n=$(grep -cF -- "$2" "$MLOG" 2>/dev/null)
	[ "${n:-0}" -ge "$1" ]
}

# ---------------------------------------------------------------------
# Targets

test_targets() {
	setup
	main_server || return
	mg "$M/small.txt"
	check_eq "URL: exit 0" 0 "$RC"
	check_same "URL: body" "$R/small.txt" "$O"
	mg "$M/a b.txt"
	check_same "space in a target is percent-encoded" "$R/a b.txt" "$O"
	mg "$M/a%20b.txt"
	check_same "a valid %XX is kept" "$R/a b.txt" "$O"
	mg "$M/small.txt?x=1#frag"
	check_same "query sent, fragment dropped" "$R/small.txt" "$O"
}

# A bare path is http://localhost:6789/PATH; whoever is there.
test_bare_path() {
	setup
	mg -v --connect-timeout 2 -m 3 index.html
	check_grep "bare path: localhost port 6789" \
	    '^\* connecting to (127\.0\.0\.1|::1) port 6789$' "$E"
}

# v6_fetch: small.txt from the daemon on [::1] came whole.
v6_fetch() {
	mg -s -m 2 "http://[::1]:$PORT/small.txt"
	[ "$RC" = 0 ]
}

test_ipv6() {
	local closed

	setup
	closed=$(random_port)
	if ! (exec 3<>"/dev/tcp/::1/$closed") 2>&1 | grep -q refused; then
		skip "IPv6 literal" "no ::1 on this host"
		return
	fi
	expect_rc "IPv6 literal, nothing listening" 3 "http://[::1]:$closed/"
	check_grep "IPv6 literal: one-line error" \
	    "^minihttp-get: connection refused: \[::1\]:$closed$" "$E"
	daemon_prepare v6
	write_conf v6 "listen = [ \"[::1]:$PORT\" ];"
	"$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1 &
	daemon_adopt v6 "$!"
	# Until it answers (wait_http knows 127.0.0.1 only).
	wait_until "$E2E_START_WAIT" v6_fetch
	check_same "IPv6 literal: body" "$R/small.txt" "$O"
	daemon_stop v6
}

# ---------------------------------------------------------------------
# Downloads

test_big() {
	local t0 t1

	setup
	big_file
	main_server || return
	t0=$(now_ms)
	mg -o "$DL/big" "$M/big.bin"
	t1=$(now_ms)
	check_eq "100 MiB: exit 0" 0 "$RC"
	check_eq "100 MiB: sha256" "$BIGSUM" "$(sha "$DL/big")"
	echo "# 100 MiB from minihttpd in $((t1 - t0)) ms"
	tidy "$DL/big"
}

# Streamed: an address space smaller than the body is enough.
test_big_streamed() {
	setup
	# (No exec in the inner shell: it reports a crash to /dev/null.)
	if ! bash -c 'ulimit -v 65536; "$0" --version; exit $?' "$G" \
	    > /dev/null 2>&1; then
		skip "100 MiB in 64 MiB" "cannot run in 64 MiB (sanitizers?)"
		return
	fi
	big_file
	main_server || return
	(ulimit -v 65536; exec timeout -k 2 30 "$G" -s -o "$DL/big2" \
	    "$M/big.bin")
	check_eq "100 MiB with 64 MiB of address space: exit 0" 0 "$?"
	check_eq "100 MiB with 64 MiB of address space: sha256" "$BIGSUM" \
	    "$(sha "$DL/big2")"
	tidy "$DL/big2"
}

test_output_404() {
	setup
	main_server || return
	expect_rc "-f -o: 404" 1 -f -o "$DL/x" "$M/missing.html"
	check "-f -o: no file for a 404" test ! -e "$DL/x"
}

test_output_truncated() {
	setup
	fake_server || return
	expect_rc "-o: truncated" 4 -o "$DL/x" "$F/cut"
	check "-o: no partial file without -C" test ! -e "$DL/x"
	check_eq "-o: no temporary file left" "" \
	    "$(find "$DL" -name '.x.*')"
}

test_output_missing_dir() {
	setup
	main_server || return
	expect_rc "-o: missing directory" 5 -o "$CASE_DIR/nodir/x" \
	    "$M/small.txt"
	check_grep "-o: one-line reason" \
	    "^minihttp-get: cannot create $CASE_DIR/nodir/x: No such file" "$E"
}

test_output_several() {
	setup
	main_server || return
	mg -o "$DL/s1" -o - -o "$DL/s3" "$M/small.txt" "$M/mid.bin" \
	    "$M/dir/"
	check_same "-o: first target" "$R/small.txt" "$DL/s1"
	check_same "-o -: second to standard output" "$R/mid.bin" "$O"
	check_same "-o: third target" "$R/dir/index.html" "$DL/s3"
}

test_output_arguments() {
	setup
	main_server || return
	expect_rc "more -o than targets" 2 -o a -o b "$M/small.txt"
	expect_rc "-o /dev/null" 0 -o /dev/null "$M/small.txt"
}

test_remote_name() {
	local d

	setup
	main_server || return
	d=$DL/O
	mkdir -p "$d"
	(cd "$d" && exec timeout 30 "$G" -O "$M/small.txt" -O "$M/a%20b.txt")
	check_eq "-O: exit 0" 0 "$?"
	check_same "-O: remote name" "$R/small.txt" "$d/small.txt"
	check_same "-O: percent-decoded name" "$R/a b.txt" "$d/a b.txt"
}

test_remote_name_clobber() {
	local d

	setup
	main_server || return
	d=$DL/O
	mkdir -p "$d"
	echo keep > "$d/small.txt"
	(cd "$d" && exec timeout 30 "$G" -s -O "$M/small.txt")
	check_eq "-O: existing file refused: exit 5" 5 "$?"
	check_eq "-O: existing file kept" keep "$(cat "$d/small.txt")"
	(cd "$d" && exec timeout 30 "$G" -O --clobber "$M/small.txt")
	check_same "-O --clobber replaces" "$R/small.txt" "$d/small.txt"
}

test_remote_name_redirect() {
	local d

	setup
	fake_server || return
	d=$DL/O
	mkdir -p "$d"
	(cd "$d" && exec timeout 30 "$G" -s -L -O "$F/r1")
	check_eq "-O -L: the name of the target as given" ok "$(cat "$d/r1")"
}

test_remote_name_refused() {
	setup
	main_server || return
	expect_rc "-O: no name in /" 2 -O "$M/"
	check_grep "-O: says why" "no file name" "$E"
	expect_rc "-O: encoded slash refused" 2 -O "$M/..%2Fx"
	expect_rc "-O: .. refused" 2 -O "$M/%2e%2e"
}

test_ranges() {
	setup
	main_server || return
	mg -r 0-9 "$M/mid.bin"
	check_eq "-r 0-9: exit 0" 0 "$RC"
	check_eq "-r 0-9: first bytes" \
	    "$(head -c 10 "$R/mid.bin" | od -An -tx1)" "$(od -An -tx1 < "$O")"
	mg -r 99990- "$M/mid.bin"
	check_eq "-r 99990-: last bytes" \
	    "$(tail -c 10 "$R/mid.bin" | od -An -tx1)" "$(od -An -tx1 < "$O")"
	mg -r -5 -o "$DL/r" "$M/mid.bin"
	check_eq "-r -5: suffix" "$(tail -c 5 "$R/mid.bin" | od -An -tx1)" \
	    "$(od -An -tx1 < "$DL/r")"
	mg -i -r 0-0,5-5 "$M/small.txt"
	check_grep "-r with two parts: 206 written as received" \
	    "^HTTP/1.1 206" "$O"
}

test_range_ignored() {
	setup
	fake_server || return
	mg -r 0-1 "$F/ok"
	check_eq "200 to a range: written whole" ok "$(cat "$O")"
	check_grep "200 to a range: notice" "to a range request" "$E"
}

test_range_errors() {
	setup
	main_server || return
	expect_rc "-r beyond the end: 416" 1 -r 200000- "$M/mid.bin"
	expect_rc "-r syntax checked" 2 -r 9-1 "$M/mid.bin"
}

# One file through its life: fetched, cut, resumed, complete, changed.
test_resume() {
	local f lm

	setup
	big_file
	main_server || return
	f=$DL/res
	mg -C - -o "$f" "$M/big.bin"
	check_eq "-C, no file yet: whole download" "$BIGSUM" "$(sha "$f")"
	check_eq "-C implies -R: mtime is Last-Modified" \
	    "$(mtime "$R/big.bin")" "$(mtime "$f")"
	lm=$(mtime "$f")
	truncate -s 52428800 "$f"
	touch -d "@$lm" "$f"
	mg -v -C - -o "$f" "$M/big.bin"
	check_eq "-C after a cut: exit 0" 0 "$RC"
	check_grep "-C: Range from the file size" \
	    '^> Range: bytes=52428800-' "$E"
	check_grep "-C: If-Range is the file time" \
	    '^> If-Range: Tue, 02 Jan 2024 03:04:05 GMT' "$E"
	check_grep "-C: 206 answered" '^< HTTP/1.1 206' "$E"
	check_eq "-C: resumed file sha256" "$BIGSUM" "$(sha "$f")"
	mg -C - -o "$f" "$M/big.bin"
	check_eq "-C on a complete file: exit 0" 0 "$RC"
	check_grep "-C on a complete file: notice" "complete already" "$E"
	check_eq "-C on a complete file: unchanged" "$BIGSUM" "$(sha "$f")"
	# A part whose time is not the server's: fetched whole again.
	truncate -s 1000 "$f"
	mg -C - -o "$f" "$M/big.bin"
	check_grep "-C on a changed file: notice" "fetching .* whole" "$E"
	check_eq "-C on a changed file: whole again" "$BIGSUM" "$(sha "$f")"
	tidy "$f"
}

# A real cut: the part stays, with the server's time, for next time.
test_resume_server_cut() {
	local f

	setup
	fake_server || return
	f=$DL/res
	expect_rc "-C, server cuts: exit 4" 4 -C - -o "$f" "$F/cut"
	check_eq "-C, server cuts: partial kept" 1000 "$(stat -c %s "$f")"
	check_eq "-C, server cuts: mtime from Last-Modified" 784111777 \
	    "$(mtime "$f")"
	check_grep "-C, server cuts: says so" "partial .* kept" "$E"
}

test_resume_arguments() {
	setup
	main_server || return
	expect_rc "-C needs an output file" 2 -C - "$M/small.txt"
	expect_rc "-C and -r exclude each other" 2 -C - -r 0-1 -o "$DL/res" \
	    "$M/small.txt"
}

# size_is FILE N: FILE exists and has N bytes.
size_is() {
	[ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ]
}

# temp_written DIR NAME: the client's temporary file for NAME
# (DIR/.NAME.XXXXXX) exists and has bytes in it: the client has armed
# its clean-up and is in the body.
temp_written() {
	[ -n "$(find "$1" -maxdepth 1 -name ".$2.*" -size +0c)" ]
}

# term_client PID: TERM the client, then until it is gone (KILL after
# 10 s); its exit status is not looked at.
term_client() {
	kill -TERM "$1" 2>/dev/null
	wait_gone 10 "$1" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# An interrupted transfer: TERM while the body stalls.  /stall-body
# sends 10 bytes of 100, then nothing.
test_signal_resume() {
	local f pid

	setup
	fake_server || return
	f=$DL/sig
	"$G" -s -C - -o "$f" "$F/stall-body" &
	pid=$!
	bg_track "$pid"
	wait_until 5 size_is "$f" 10
	term_client "$pid"
	check_eq "TERM during -C: partial kept" 10 "$(stat -c %s "$f")"
	check_eq "TERM during -C: mtime from Last-Modified" 784111777 \
	    "$(mtime "$f")"
}

test_signal_temporary() {
	local pid

	setup
	fake_server || return
	"$G" -s -o "$DL/sig" "$F/stall-body" &
	pid=$!
	bg_track "$pid"
	wait_until 5 temp_written "$DL" sig
	term_client "$pid"
	check_eq "TERM without -C: nothing left" "" \
	    "$(find "$DL" -mindepth 1 -name '*sig*')"
}

test_remote_time() {
	setup
	main_server || return
	mg -R -o "$DL/rt" "$M/small.txt"
	check_eq "-R: mtime is Last-Modified" "$(mtime "$R/small.txt")" \
	    "$(mtime "$DL/rt")"
	mg -o "$DL/rt" "$M/small.txt"
	check "without -R: mtime is now" test "$(mtime "$DL/rt")" -gt \
	    "$(mtime "$R/small.txt")"
}

test_since_older() {
	setup
	main_server || return
	mg -o "$DL/z" -z 'Sun, 06 Nov 1994 08:49:37 GMT' "$M/small.txt"
	check_same "-z older IMF-fixdate: fetched" "$R/small.txt" "$DL/z"
	mg -z 'Sunday, 06-Nov-94 08:49:37 GMT' "$M/small.txt"
	check_same "-z RFC 850 date: fetched" "$R/small.txt" "$O"
	mg -z 'Sun Nov  6 08:49:37 1994' "$M/small.txt"
	check_same "-z asctime date: fetched" "$R/small.txt" "$O"
}

test_since_newer() {
	setup
	main_server || return
	mg -o "$DL/z" -z 'Wed, 01 Jan 2025 00:00:00 GMT' "$M/small.txt"
	check_eq "-z newer: 304 exit 0" 0 "$RC"
	check "-z newer: nothing written" test ! -e "$DL/z"
	check_grep "-z newer: notice" "^minihttp-get: 304 Not Modified: " "$E"
}

test_since_file() {
	setup
	main_server || return
	mg -s -z "$R/small.txt" "$M/small.txt"
	check_eq "-z FILE -s: exit 0" 0 "$RC"
	check_eq "-z FILE -s: no output, no notice" "" "$(cat "$O" "$E")"
	expect_rc "-z neither date nor file" 2 -z 'yesterday' "$M/small.txt"
}

test_head() {
	setup
	main_server || return
	mg -I "$M/small.txt"
	check_eq "-I: exit 0" 0 "$RC"
	check_grep "-I: status line" '^HTTP/1.1 200 OK' "$O"
	check_grep "-I: Content-Length" '^Content-Length: 11' "$O"
	check_nogrep "-I: no body" 'small file' "$O"
}

test_include() {
	setup
	main_server || return
	mg -i "$M/small.txt"
	check_grep "-i: head" '^HTTP/1.1 200 OK' "$O"
	check_eq "-i: body last" "small file" "$(tail -n 1 "$O")"
}

test_headers() {
	setup
	main_server || return
	mg -v -H 'User-Agent: probe/1' -H 'Accept:' -H 'X-Test: yes' \
	    "$M/small.txt"
	check_grep "-H replaces a default" '^> User-Agent: probe/1' "$E"
	check_nogrep "-H 'Name:' removes a default" '^> Accept:' "$E"
	check_grep "-H adds" '^> X-Test: yes' "$E"
	expect_rc "-H checked" 2 -H 'Bad Name: x' "$M/small.txt"
}

# ---------------------------------------------------------------------
# Connections

test_keepalive() {
	local tag='?case=keepalive HTTP/'

	setup
	main_server || return
	# The query marks this case's requests in the shared access log.
	mg -v "$M/small.txt?case=keepalive" "$M/mid.bin?case=keepalive" \
	    "$M/a%20b.txt?case=keepalive" "$M/dir/?case=keepalive"
	check_eq "4 targets: exit 0" 0 "$RC"
	check_eq "4 targets: one connect" 1 "$(grep -c '^\* connected to' "$E")"
	check_eq "4 targets: 3 reuses" 3 "$(grep -c '^\* reusing' "$E")"
	wait_until 5 logged 4 "$tag"
	check_eq "4 targets: 4 requests in the access log" 4 \
	    "$(grep -cF -- "$tag" "$MLOG")"
	check_eq "4 targets: Connection: close on the last only" 1 \
	    "$(grep -c '^> Connection: close' "$E")"
}

# Two servers alternating: one connection each.
test_keepalive_two_servers() {
	setup
	main_server || return
	fake_server || return
	fake_mark
	mg -v "$F/ok" "$M/small.txt" "$F/ok" "$M/small.txt"
	fake_log
	check_eq "alternating servers: two connects" 2 \
	    "$(grep -c '^\* connected to' "$E")"
	check_eq "alternating servers: one fake connection" 1 "$(fake_conns)"
}

# The server closes an idle connection: once more on a new one.
test_keepalive_idle_closed() {
	setup
	fake_server || return
	mg -v "$F/drop-next" "$F/ok"
	check_eq "server closed the idle connection: exit 0" 0 "$RC"
	check_eq "server closed the idle connection: both bodies" \
	    "drop ok" "$(tr '\n' ' ' < "$O" | sed 's/ $//')"
	check_grep "server closed the idle connection: retried" "retrying" \
	    "$E"
}

# Close-delimited bodies end their connection.
test_keepalive_close_delimited() {
	setup
	fake_server || return
	mg -v "$F/close" "$F/close" "$F/ok"
	check_eq "close-delimited, three targets: exit 0" 0 "$RC"
	check_eq "close-delimited, three targets: three connects" 3 \
	    "$(grep -c '^\* connected to' "$E")"
}

test_keepalive_max_requests() {
	setup
	if ! daemon_start ka 'limits = { max_keepalive_requests = 2; };'; then
		fail "daemon (max_keepalive_requests = 2) starts" "see above"
		return
	fi
	mg -v "$(url /small.txt)" "$(url /small.txt)" "$(url /small.txt)" \
	    "$(url /small.txt)" "$(url /small.txt)"
	check_eq "max_keepalive_requests 2, 5 targets: exit 0" 0 "$RC"
	check_eq "max_keepalive_requests 2, 5 targets: 5 bodies" 5 \
	    "$(grep -c 'small file' "$O")"
	check_eq "max_keepalive_requests 2, 5 targets: 3 connects" 3 \
	    "$(grep -c '^\* connected to' "$E")"
	daemon_stop ka
}

# ---------------------------------------------------------------------
# Responses

test_chunked() {
	setup
	fake_server || return
	mg "$F/chunked"
	check_eq "chunked: exit 0" 0 "$RC"
	check_eq "chunked: size" 65557 "$(wc -c < "$O")"
	check_eq "chunked: start" "hello, chunked world" "$(head -n 1 "$O")"
	mg "$F/chunked" "$F/ok"
	check_eq "chunked with trailers, then the next on the connection" \
	    ok "$(tail -c 3 "$O")"
}

test_interim() {
	setup
	fake_server || return
	mg "$F/interim"
	check_eq "1xx skipped" "after interim" "$(cat "$O")"
}

test_no_content() {
	setup
	fake_server || return
	mg -v "$F/204" "$F/ok"
	check_eq "204 has no body, connection kept" "ok" "$(cat "$O")"
	check_eq "204: one connect" 1 "$(grep -c '^\* connected to' "$E")"
}

test_close_delimited() {
	setup
	fake_server || return
	mg "$F/close"
	check_eq "close-delimited body" "close-delimited body" "$(cat "$O")"
}

test_content_coding() {
	setup
	fake_server || return
	mg "$F/gzip"
	check_eq "Content-Encoding saved as received" hello \
	    "$(gzip -dc < "$O")"
	mg "$F/te-gzip"
	check_eq "unknown transfer coding: saved, close-delimited" hello \
	    "$(gzip -dc < "$O")"
}

test_exit_http_error() {
	setup
	main_server || return
	expect_rc "-f 404" 1 -f "$M/missing.html"
	check_eq "-f 404: one line" \
	    "minihttp-get: 404 Not Found: /missing.html" "$(cat "$E")"
	check_eq "-f 404: no body written" "" "$(cat "$O")"
}

test_exit_usage() {
	setup
	main_server || return
	expect_rc "unknown option" 2 -Q "$M/"
	expect_rc "no target" 2
	expect_rc "unsupported scheme" 2 "ftp://127.0.0.1/"
	check_grep "unsupported scheme: says so" "unsupported scheme" "$E"
	expect_rc "bad -m" 2 -m x "$M/"
	expect_rc "bad --max-redirs" 2 --max-redirs -1 "$M/"
}

test_exit_refused() {
	local closed

	setup
	closed=$(random_port)
	expect_rc "connection refused" 3 "http://127.0.0.1:$closed/x"
	check_eq "connection refused: one line" \
	    "minihttp-get: connection refused: 127.0.0.1:$closed" "$(cat "$E")"
}

test_exit_stalled() {
	local t0 t1

	setup
	fake_server || return
	t0=$(now_ms)
	expect_rc "stalled head, -m 1" 3 -m 1 "$F/stall"
	t1=$(now_ms)
	check "stalled head: gave up within 3 s" test $((t1 - t0)) -lt 3000
	check_grep "stalled head: timed out" "timed out after 1 s" "$E"
	expect_rc "stalled body, -m 0.5" 3 -m 0.5 "$F/stall-body"
}

test_exit_cut() {
	setup
	fake_server || return
	expect_rc "cut mid-body" 4 "$F/cut"
	check_grep "cut mid-body: reported" \
	    "transfer truncated: got 1000 of 100000 bytes: /cut" "$E"
	expect_rc "cut mid-chunk" 4 "$F/cut-chunked"
}

test_exit_malformed() {
	setup
	fake_server || return
	expect_rc "bad chunk size" 4 "$F/bad-chunk"
	check_grep "bad chunk size: reported" "invalid chunk size" "$E"
	expect_rc "not HTTP" 4 "$F/garbage"
	expect_rc "obs-fold" 4 "$F/obsfold"
	expect_rc "head over 32 KiB" 4 "$F/hugehead"
}

test_exit_local() {
	setup
	main_server || return
	expect_rc "local file error" 5 -o "$CASE_DIR/nodir/x" "$M/small.txt"
}

test_exit_several() {
	local closed

	setup
	main_server || return
	closed=$(random_port)
	mg -f "$M/missing.html" "$M/small.txt" "http://127.0.0.1:$closed/"
	check_eq "several failures: the first one's status" 1 "$RC"
	check_eq "several failures: the others still fetched" "small file" \
	    "$(cat "$O")"
}

test_exit_silent() {
	setup
	main_server || return
	mg -s "$M/missing.html"
	check_eq "-s: silent on errors" "" "$(cat "$E")"
}

# ---------------------------------------------------------------------
# HTTP errors: the body written as curl does, or nothing with -f.  The
# fakeserver answers any path it does not know with a 404 whose body is
# "not found\n"; minihttpd's error page is compared with curl's copy.

# error_page: minihttpd's 404 page for /missing.html, as curl gets it,
# in $CASE_DIR/page.
error_page() {
	curl -s -o "$CASE_DIR/page" "$M/missing.html" &&
	    grep -q 404 "$CASE_DIR/page"
}

test_error_body_stdout() {
	setup
	fake_server || return
	expect_rc "404 without -f" 1 "$F/missing"
	check_eq "404 without -f: the body on stdout" "not found" "$(cat "$O")"
	check_eq "404 without -f: the same one line on stderr" \
	    "minihttp-get: 404 Not Found: /missing" "$(cat "$E")"
	main_server || return
	check "minihttpd's error page (curl)" error_page
	expect_rc "minihttpd 404 without -f" 1 "$M/missing.html"
	check_same "minihttpd 404 without -f: its error page on stdout" \
	    "$CASE_DIR/page" "$O"
}

test_error_body_output() {
	local d

	setup
	main_server || return
	check "minihttpd's error page (curl)" error_page
	expect_rc "-o, 404 without -f" 1 -o "$DL/x" "$M/missing.html"
	check_same "-o, 404 without -f: the error page saved" \
	    "$CASE_DIR/page" "$DL/x"
	check_eq "-o, 404 without -f: one line, nothing on stdout" \
	    "minihttp-get: 404 Not Found: /missing.html" "$(cat "$E" "$O")"
	check_eq "-o, 404 without -f: no temporary file left" "" \
	    "$(find "$DL" -name '.x.*')"
	d=$DL/O
	mkdir -p "$d"
	(cd "$d" && exec timeout 30 "$G" -s -O "$M/missing.html")
	check_eq "-O, 404 without -f: exit 1" 1 "$?"
	check_same "-O, 404 without -f: the error page saved" \
	    "$CASE_DIR/page" "$d/missing.html"
}

test_error_fail() {
	local d

	setup
	main_server || return
	expect_rc "-f -o, 404" 1 -f -o "$DL/x" "$M/missing.html"
	check_eq "-f -o, 404: one line, nothing on stdout" \
	    "minihttp-get: 404 Not Found: /missing.html" "$(cat "$E" "$O")"
	check_eq "-f -o, 404: no file, no temporary file" "" "$(ls -A "$DL")"
	echo keep > "$DL/k"
	expect_rc "--fail -o onto a file, 404" 1 --fail -o "$DL/k" \
	    "$M/missing.html"
	check_eq "--fail -o onto a file, 404: left as it was" keep \
	    "$(cat "$DL/k")"
	d=$CASE_DIR/O
	mkdir -p "$d"
	(cd "$d" && exec timeout 30 "$G" -s -f -O "$M/missing.html")
	check_eq "-f -O, 404: exit 1" 1 "$?"
	check_eq "-f -O, 404: no file" "" "$(ls -A "$d")"
	expect_rc "-f, 200" 0 -f -o "$DL/s" "$M/small.txt"
	check_same "-f, 200: written as without it" "$R/small.txt" "$DL/s"
}

test_error_silent() {
	setup
	fake_server || return
	expect_rc "-s 404" 1 -s "$F/missing"
	check_eq "-s 404: nothing on stderr" "" "$(cat "$E")"
	check_eq "-s 404: the body still written" "not found" "$(cat "$O")"
	expect_rc "-s -f 404" 1 -s -f "$F/missing"
	check_eq "-s -f 404: nothing at all" "" "$(cat "$E" "$O")"
}

# With -I and -i the head of an error is written with its body.
test_error_head() {
	setup
	fake_server || return
	main_server || return
	expect_rc "-I 404 without -f" 1 -I "$M/missing.html"
	check_grep "-I 404 without -f: head written" \
	    '^HTTP/1.1 404 Not Found' "$O"
	check_eq "-I 404 without -f: one line" \
	    "minihttp-get: 404 Not Found: /missing.html" "$(cat "$E")"
	expect_rc "-I -f 404" 1 -I -f "$M/missing.html"
	check_eq "-I -f 404: nothing written" "" "$(cat "$O")"
	expect_rc "-i 404 without -f" 1 -i "$F/missing"
	check_eq "-i 404 without -f: status line first" \
	    "HTTP/1.1 404 Not Found" "$(head -n 1 "$O" | tr -d '\r')"
	check_eq "-i 404 without -f: body last" "not found" \
	    "$(tail -n 1 "$O")"
	expect_rc "-i -f 404" 1 -i -f "$F/missing"
	check_eq "-i -f 404: nothing written" "" "$(cat "$O")"
}

# A 416 to -r is an error like any other, with no range notice.
test_error_range() {
	setup
	main_server || return
	expect_rc "416 without -f" 1 -r 200000- "$M/mid.bin"
	check_eq "416 without -f: one line" \
	    "minihttp-get: 416 Range Not Satisfiable: /mid.bin" "$(cat "$E")"
	check "416 without -f: its body written" test -s "$O"
	expect_rc "416 with -f" 1 -f -r 200000- "$M/mid.bin"
	check_eq "416 with -f: nothing written" "" "$(cat "$O")"
}

# -C never writes an error into the file it would resume, -f or not.
test_error_resume() {
	setup
	main_server || return
	printf partial > "$DL/res"
	touch -d '2024-01-02 03:04:05 UTC' "$DL/res"
	expect_rc "-C, 404 without -f" 1 -C - -o "$DL/res" "$M/missing.html"
	check_eq "-C, 404: the partial file left as it was" partial \
	    "$(cat "$DL/res")"
	check_eq "-C, 404: its time too" 1704164645 "$(mtime "$DL/res")"
	check_eq "-C, 404: one line" \
	    "minihttp-get: 404 Not Found: /missing.html" "$(cat "$E")"
	expect_rc "-C, 404, no file yet" 1 -C - -o "$DL/new" "$M/missing.html"
	check "-C, 404, no file yet: none created" test ! -e "$DL/new"
}

# -L to an error: the final response's body, as for any target.  A
# directory without an index redirects to its name with a slash, which
# is forbidden (no autoindex by default).
test_error_redirect() {
	local d

	setup
	main_server || return
	mkdir -p "$R/noindex"
	curl -s -o "$CASE_DIR/page" "$M/noindex/"
	mg -L "$M/noindex"
	check_eq "-L to a 403: exit 1" 1 "$RC"
	check_eq "-L to a 403: one line, for the final response" \
	    "minihttp-get: 403 Forbidden: /noindex/" "$(cat "$E")"
	check_same "-L to a 403: its body written" "$CASE_DIR/page" "$O"
	d=$CASE_DIR/O
	mkdir -p "$d"
	(cd "$d" && exec timeout 30 "$G" -s -L -O "$M/noindex")
	check_eq "-L -O to a 403: exit 1" 1 "$?"
	check_same "-L -O to a 403: saved under the target's name" \
	    "$CASE_DIR/page" "$d/noindex"
	expect_rc "-L -f to a 403" 1 -L -f "$M/noindex"
	check_eq "-L -f to a 403: nothing written" "" "$(cat "$O")"
}

# Several targets: each error's body in its place, or none with -f; the
# connection is kept either way.
test_error_several() {
	setup
	fake_server || return
	mg -v "$F/ok" "$F/missing" "$F/ok"
	check_eq "ok, 404, ok: exit 1" 1 "$RC"
	check_eq "ok, 404, ok: bodies in order" "ok not found ok" \
	    "$(tr '\n' ' ' < "$O" | sed 's/ $//')"
	check_eq "ok, 404, ok: one error line" 1 \
	    "$(grep -c '^minihttp-get: 404 Not Found: /missing$' "$E")"
	check_eq "ok, 404, ok: one connection" 1 \
	    "$(grep -c '^\* connected to' "$E")"
	mg -f -v "$F/ok" "$F/missing" "$F/ok"
	check_eq "-f ok, 404, ok: exit 1" 1 "$RC"
	check_eq "-f ok, 404, ok: the error's body left out" "ok ok" \
	    "$(tr '\n' ' ' < "$O" | sed 's/ $//')"
	check_eq "-f ok, 404, ok: one connection" 1 \
	    "$(grep -c '^\* connected to' "$E")"
}

# Writing an error's body can fail too: both said, the status stays 1.
test_error_output_fails() {
	setup
	fake_server || return
	expect_rc "404 into a missing directory" 1 -o "$CASE_DIR/nodir/x" \
	    "$F/missing"
	check_grep "404 into a missing directory: the HTTP error" \
	    '^minihttp-get: 404 Not Found: /missing$' "$E"
	check_grep "404 into a missing directory: the file error" \
	    "^minihttp-get: cannot create $CASE_DIR/nodir/x: " "$E"
}

test_redirect_not_followed() {
	setup
	fake_server || return
	mg "$F/r1"
	check_eq "no -L: 301 is success" 0 "$RC"
	check_eq "no -L: its body written" moved "$(cat "$O")"
	check_grep "no -L: notice" "301 Moved Permanently: /r1 -> r2" "$E"
}

test_redirect_followed() {
	setup
	fake_server || return
	fake_mark
	mg -L "$F/r1"
	fake_log
	check_eq "-L: relative, then dot segments" ok "$(cat "$O")"
	check_grep "-L: resolved against the current URL" \
	    ' /final\?from=r2$' "$CASE_DIR/fake.log"
	check_eq "-L: one connection for the chain" 1 "$(fake_conns)"
}

test_redirect_absolute() {
	setup
	fake_server || return
	mg -L "$F/abs"
	check_eq "-L: absolute Location" ok "$(cat "$O")"
}

test_redirect_limits() {
	setup
	fake_server || return
	expect_rc "-L: loop" 4 -L "$F/loop"
	check_grep "-L: loop: too many redirects" "too many redirects \(10\)" \
	    "$E"
	expect_rc "--max-redirs 1 for two" 4 -L --max-redirs 1 "$F/r1"
	expect_rc "--max-redirs 2 for two" 0 -L --max-redirs 2 "$F/r1"
}

test_redirect_refused() {
	setup
	fake_server || return
	expect_rc "-L: ftp refused" 4 -L "$F/ftp"
	check_grep "-L: ftp: says why" "unsupported scheme" "$E"
	expect_rc "-L: no Location" 4 -L "$F/nolocation"
}

test_redirect_directory() {
	setup
	main_server || return
	mg -L "$M/dir"
	check_same "-L: minihttpd directory redirect" "$R/dir/index.html" "$O"
}

# ---------------------------------------------------------------------
# Terminal

# pty CMD...: runs CMD under a pseudo-terminal; everything it wrote to
# the terminal in $TTY.
pty() {
	timeout -k 2 40 script -qfec "$*" /dev/null < /dev/null > "$TTY" 2>&1
}

# tty_setup NAME: setup, and TTY; 1 (after a skip NAME) without
# script(1).
tty_setup() {
	setup
	TTY=$CASE_DIR/tty
	if ! command -v script > /dev/null; then
		skip "$1" "script(1) not installed"
		return 1
	fi
}

test_progress_file() {
	local t0 t1 n

	tty_setup "progress bar" || return
	big_file
	main_server || return
	t0=$(now_ms)
	pty "'$G' -o '$DL/p' '$M/big.bin'"
	t1=$(now_ms)
	check_grep "tty, 100 MiB to a file: bar" \
	    '100\.0 MiB / 100\.0 MiB +100% \[=+\] .*/s in [0-9]' "$TTY"
	n=$(tr -cd '\r' < "$TTY" | wc -c)
	# Each redraw starts with CR, the final newline adds one (onlcr).
	check "tty: at most 10 redraws a second ($n in $((t1 - t0)) ms)" \
	    test "$n" -le $(((t1 - t0) / 100 + 3))
	check_eq "tty: the file is whole" "$BIGSUM" "$(sha "$DL/p")"
	tidy "$DL/p"
}

test_progress_pipe() {
	tty_setup "progress bar, body to a pipe" || return
	big_file
	main_server || return
	pty "'$G' '$M/big.bin' | cat > /dev/null"
	check_grep "tty, body to a pipe: bar" '100\.0 MiB / 100\.0 MiB +100%' \
	    "$TTY"
}

test_progress_silent() {
	tty_setup "progress bar, -s" || return
	big_file
	main_server || return
	pty "'$G' -s -o '$DL/p' '$M/big.bin'"
	check_eq "tty, -s: no bar" "" "$(cat "$TTY")"
	tidy "$DL/p"
}

test_progress_stderr_not_tty() {
	tty_setup "progress bar, stderr not a tty" || return
	big_file
	main_server || return
	pty "'$G' -o '$DL/p' '$M/big.bin' 2> '$DL/err'"
	check_eq "stderr not a tty: no bar" "" "$(cat "$TTY" "$DL/err")"
	tidy "$DL/p"
}

test_progress_quick() {
	tty_setup "progress bar, small and quick" || return
	main_server || return
	pty "'$G' -o '$DL/p' '$M/mid.bin'"
	check_eq "tty, small and quick: no bar" "" "$(cat "$TTY")"
}

test_progress_slow() {
	local t0 t1 n

	tty_setup "progress bar, small but slow" || return
	fake_server || return
	t0=$(now_ms)
	pty "'$G' -o '$DL/p' '$F/slow'"
	t1=$(now_ms)
	n=$(tr -cd '\r' < "$TTY" | wc -c)
	# A byte every 50 ms, shown from the first second on.
	check "tty, slow: at most 10 redraws a second ($n in $((t1 - t0)) ms)" \
	    test "$n" -le $(((t1 - t0 - 1000) / 100 + 3))
	check_grep "tty, small but slow: bar after a second" \
	    '30 B / 30 B +100%' "$TTY"
	check_grep "tty, small but slow: rate and time left" \
	    ' [0-9]+ B/s ETA [0-9]+:[0-9]{2}' "$TTY"
	n=$(tr '\r' '\n' < "$TTY" | grep -oE '^ *[0-9]+ B / 30 B' |
	    head -n 1 | awk '{ print $1 }')
	# 20 bytes a second: the first line shows after about one.
	check "tty, small but slow: not before a second (first at ${n:-?} B)" \
	    test "${n:-0}" -ge 15
}

test_progress_body_to_tty() {
	tty_setup "progress bar, body to the terminal" || return
	fake_server || return
	pty "'$G' '$F/slow'"
	check_nogrep "tty, body to the terminal: no bar" '%' "$TTY"
	check_grep "tty, body to the terminal: body" 'sssss' "$TTY"
}

test_progress_error() {
	tty_setup "progress bar, error" || return
	main_server || return
	pty "'$G' -o '$DL/p' '$M/missing.html'"
	check_eq "tty: error on one clean line" \
	    "minihttp-get: 404 Not Found: /missing.html" \
	    "$(tr -d '\r' < "$TTY")"
}

# ---------------------------------------------------------------------
# Documentation and layering

test_docs_options() {
	local help man_opts help_opts

	setup
	mg --help
	check_eq "--help: exit 0" 0 "$RC"
	help=$O
	help_opts=$(grep -oE -- '--[a-z][a-z-]+' "$help" | sort -u | tr '\n' ' ')
	man_opts=$(grep -oE 'Fl \\-[a-z][a-z\\-]+' "$MAN_GET" |
	    sed 's/^Fl \\-/--/; s/\\-/-/g' | sort -u | tr '\n' ' ')
	check_eq "--help and the man page list the same long options" \
	    "$man_opts" "$help_opts"
	help_opts=$(grep -oE '^  -[a-zA-Z],' "$help" | tr -d ' ,-' | sort |
	    tr -d '\n')
	man_opts=$(grep -oE '^\.It Fl [a-zA-Z] ' "$MAN_GET" | cut -c8 | sort |
	    tr -d '\n')
	check_eq "--help and the man page list the same short options" \
	    "$man_opts" "$help_opts"
}

test_docs_exit_status() {
	local n

	setup
	mg --help
	for n in 0 1 2 3 4 5 6; do
		check_grep "--help: exit status $n" "(: |, )$n [A-Za-z]" "$O"
	done
}

test_docs_version() {
	setup
	mg --version
	check_grep "--version" "^minihttp-get [0-9]" "$O"
}

test_docs_man_lint() {
	setup
	if ! command -v mandoc > /dev/null; then
		skip "man page: mandoc -Tlint clean" "mandoc not installed"
		return
	fi
	sed 's|@sysconfdir@|/etc|g;s|@sbindir@|/usr/sbin|g;s|@bindir@|/usr/bin|g;s|@localstatedir@|/var|g;s|@VERSION@|0.1.0|g' \
	    "$MAN_GET" | mandoc -Tlint -W warning > "$CASE_DIR/lint" 2>&1
	check_eq "man page: mandoc -Tlint clean" "" "$(cat "$CASE_DIR/lint")"
}

# The client's own files use the core only (ARCHITECTURE, "Levels"), with
# or without the directory in the #include (src/ or src/client/).
test_layering() {
	local name="get_*.[ch] include nothing above level 1" f=()

	mapfile -t f < <(find "$top_srcdir/src" \( -name 'get_*.[ch]' -o \
	    -name minihttp-get.c \) | sort)
	if [ "${#f[@]}" -lt 2 ]; then
		fail "$name" "the client's sources are not under $top_srcdir/src"
		return
	fi
	check_eq "$name" "" \
	    "$(grep -lE '#include ("((daemon|core)/)?(conf|log|listen|daemon|worker|master|conn|resolve|mime|autoindex)\.h"|<event2/|<libconfig\.h>)' \
	    "${f[@]}")"
}

# ---------------------------------------------------------------------
# A second, independent server

start_nginx() {
	local d=$CASE_DIR/nginx p

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
	    > "$CASE_DIR/python.out" 2>&1 &
	OTHER_PID=$!
	bg_track "$OTHER_PID"
	OTHER=http://127.0.0.1:$p
	OTHER_NAME=python
	wait_http 10 "$p" "$OTHER_PID"
}

# stop_other: the second server, by its PID (KILL after 10 s).
stop_other() {
	kill -TERM "$OTHER_PID" 2>/dev/null
	wait_gone 10 "$OTHER_PID" || kill -KILL "$OTHER_PID" 2>/dev/null
	wait "$OTHER_PID" 2>/dev/null
}

test_other_server() {
	local f lm t0 t1

	setup
	big_file
	f=$DL/other
	OTHER_PID=""
	if ! start_nginx; then
		[ -n "$OTHER_PID" ] && stop_other
		OTHER_PID=""
		if ! start_python; then
			[ -n "$OTHER_PID" ] && stop_other
			skip "second server" "neither nginx nor python3 is usable"
			return
		fi
	fi
	echo "# second server: $OTHER_NAME"
	mg "$OTHER/small.txt"
	check_same "$OTHER_NAME: small file" "$R/small.txt" "$O"
	t0=$(now_ms)
	mg -o "$f" "$OTHER/big.bin"
	t1=$(now_ms)
	check_eq "$OTHER_NAME: 100 MiB sha256" "$BIGSUM" "$(sha "$f")"
	echo "# 100 MiB from $OTHER_NAME in $((t1 - t0)) ms"
	mg -I "$OTHER/small.txt"
	check_grep "$OTHER_NAME: HEAD" '^HTTP/1\.[01] 200' "$O"
	expect_rc "$OTHER_NAME: 404" 1 "$OTHER/missing"
	if [ "$OTHER_NAME" != nginx ]; then
		stop_other
		tidy "$f"
		return
	fi
	mg -v "$OTHER/small.txt" "$OTHER/mid.bin" "$OTHER/a%20b.txt"
	check_eq "nginx: 3 targets, one connect" 1 \
	    "$(grep -c '^\* connected to' "$E")"
	check_same "nginx: 3 targets, last body" "$R/a b.txt" \
	    <(tail -c 7 "$O")
	mg -r 10-19 "$OTHER/mid.bin"
	check_eq "nginx: -r" "$(head -c 20 "$R/mid.bin" | tail -c 10 |
	    od -An -tx1)" "$(od -An -tx1 < "$O")"
	rm -f "$f"
	mg -C - -o "$f" "$OTHER/big.bin"
	lm=$(mtime "$f")
	check_eq "nginx: -C sets the Last-Modified time" \
	    "$(mtime "$R/big.bin")" "$lm"
	truncate -s 33333333 "$f"
	touch -d "@$lm" "$f"
	mg -v -C - -o "$f" "$OTHER/big.bin"
	check_grep "nginx: -C resumes with 206" '^< HTTP/1.1 206' "$E"
	check_eq "nginx: resumed sha256" "$BIGSUM" "$(sha "$f")"
	mg -C - -o "$f" "$OTHER/big.bin"
	check_grep "nginx: -C on a complete file" "complete already" "$E"
	mg -z "$R/small.txt" -o "$DL/nz" "$OTHER/small.txt"
	check_grep "nginx: -z gives 304" "304 Not Modified" "$E"
	check "nginx: -z: nothing written" test ! -e "$DL/nz"
	stop_other
	tidy "$f"
}

e2e_run "$@"
