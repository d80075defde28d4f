#!/bin/bash
#
# client: the minihttp-get contract (minihttp-get(1)) against the real
# daemon: version and help, byte-exact bodies on standard output and in
# files (-o, -O), -I and -i, HTTP errors (exit 1, one line on standard
# error, the error page written, or nothing with -f), network errors
# (exit 3), local file errors (exit 5),
# usage errors (exit 2), several targets over one keep-alive connection,
# -H, -v, -s, -m and redirections.  The default server localhost:6789
# is used only when that port is free; everything else uses full URLs.
#
# Daemons (all on 127.0.0.1, the temporary root):
#	main	the fixture: the default test configuration, shared by
#		the cases that only fetch
#	once	private to server_closes: max_keepalive_requests = 1
#	silent	private to max_time: stopped with SIGSTOP
#	default	private to default_server: listens on 127.0.0.1:6789
#
# The files fetched ($T/root/small.txt, big.bin...) are made once by
# site() and never changed; each case writes only under $CASE_DIR.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ -x "$GETCMD" ] || skip_all "$GETCMD not built"
e2e_init "$MINIHTTPD" "$GETCMD"

R=$T/root

# ---------------------------------------------------------------------
# Helpers

# site: the files the cases fetch, made on first use and never changed
# afterwards; sets this case's scratch names O and E (the client's
# standard output and standard error) under $CASE_DIR.
site() {
	O=$CASE_DIR/out
	E=$CASE_DIR/err
	[ -e "$R/big.bin" ] && return 0
	mkdir -p "$R/sub"
	printf 'small file\n' > "$R/small.txt"
	printf 'AAA\n' > "$R/a.txt"
	printf 'BBB\n' > "$R/b.txt"
	printf 'CCC\n' > "$R/c.txt"
	printf 'spaced\n' > "$R/a b.txt"
	printf 'sub index\n' > "$R/sub/index.html"
	: > "$R/empty.txt"
	# Last, under another name: its presence says the site is whole.
	head -c 8388608 /dev/urandom > "$R/.big.bin"
	mv "$R/.big.bin" "$R/big.bin"
}

# get OUT ERR ARGS...: run the client, bounded; returns its exit status.
get() {
	local out=$1 err=$2

	shift 2
	timeout 30 "$GETCMD" "$@" > "$out" 2> "$err"
}

# ---------------------------------------------------------------------
# Version, help, usage errors: nothing is fetched.

test_version_help() {
	site
	get "$O" "$E" -V
	check_eq "-V exits 0" 0 "$?"
	check "-V prints the version" grep -qE '^minihttp-get [0-9]' "$O"
	get "$O" "$E" --version
	check_eq "--version exits 0" 0 "$?"
	check "--version prints the version" grep -qE '^minihttp-get [0-9]' "$O"
	get "$O" "$E" -h
	check_eq "-h exits 0" 0 "$?"
	check "-h prints usage on stdout" grep -qi 'usage' "$O"
}

test_usage_errors() {
	local i x=$CASE_DIR/x
	local usage_cases=(
		"no target"			""
		"unknown option"		"-Z http://127.0.0.1:1/"
		"missing -o argument"		"http://127.0.0.1:1/ -o"
		"bad -m"			"-m abc http://127.0.0.1:1/"
		"file URL"			"file:///etc/passwd"
		"ftp URL"			"ftp://127.0.0.1:1/x"
		"port out of range"		"http://127.0.0.1:70000/"
		"URL with user info"		"http://user@127.0.0.1:1/"
		"mistyped URL"			"http:/127.0.0.1:1/"
		"-O without a file name"	"-O http://127.0.0.1:1/dir/"
		"more -o than targets"		"-o ${x}1 -o ${x}2 http://127.0.0.1:1/"
		"bad -H header"			"-H NoColon http://127.0.0.1:1/"
	)

	site
	for ((i = 0; i < ${#usage_cases[@]}; i += 2)); do
		# shellcheck disable=SC2086
		get "$O" "$E" ${usage_cases[i + 1]}
		check_eq "usage error (${usage_cases[i]}) exits 2" 2 "$?"
		check "usage error (${usage_cases[i]}) says why" test -s "$E"
	done
	check "usage errors fetch nothing (no output file)" test ! -e "${x}1"
}

# Built with OpenSSL, get-tls.sh tests https:// URLs; built without
# (./configure --without-openssl), they are a usage error that says why.
test_https_without_tls() {
	local O=$CASE_DIR/out E=$CASE_DIR/err

	if grep -q '^#define HAVE_OPENSSL 1' "$top_builddir/config.h"; then
		skip "https:// without TLS support" "built with OpenSSL"
		return
	fi
	get "$O" "$E" "https://127.0.0.1:1/"
	check_eq "https:// without TLS support: exit 2" 2 "$?"
	check "https:// without TLS support: says so" \
	    grep -q 'built without TLS support' "$E"
}

# ---------------------------------------------------------------------
# Network errors.

test_connection_refused() {
	local closed

	site
	closed=$(random_port)
	get "$O" "$E" "http://127.0.0.1:$closed/"
	check_eq "connection refused exits 3" 3 "$?"
	check_eq "connection refused: one line on stderr" 1 "$(wc -l < "$E")"
	check "connection refused: says so" grep -qi 'refused' "$E"
}

# ---------------------------------------------------------------------
# Bodies.

test_body_small() {
	site
	fixture main || return
	get "$O" "$E" "$(url /small.txt)"
	check_eq "small file: exit 0" 0 "$?"
	check "small file: byte-exact on stdout" cmp -s "$R/small.txt" "$O"
	check_eq "small file: nothing on stderr" 0 "$(wc -c < "$E")"
}

test_body_big() {
	site
	fixture main || return
	get "$O" "$E" "$(url /big.bin)"
	check_eq "8 MiB file: exit 0" 0 "$?"
	check "8 MiB file: byte-exact on stdout" cmp -s "$R/big.bin" "$O"
}

test_body_empty() {
	site
	fixture main || return
	get "$O" "$E" "$(url /empty.txt)"
	check_eq "empty file: exit 0" 0 "$?"
	check_eq "empty file: empty output" 0 "$(wc -c < "$O")"
}

test_url_without_path() {
	site
	fixture main || return
	get "$O" "$E" "http://127.0.0.1:$PORT"
	check_eq "URL without a path: exit 0" 0 "$?"
	check "URL without a path: the index" cmp -s "$R/index.html" "$O"
}

test_target_encoding() {
	site
	fixture main || return
	get "$O" "$E" "$(url '/a b.txt')"
	check_eq "a space in the target is sent encoded" spaced "$(cat "$O")"
	get "$O" "$E" "$(url '/small.txt?x=1&y=2')"
	check "a query is sent" cmp -s "$R/small.txt" "$O"
}

# ---------------------------------------------------------------------
# Output files.

test_output_file() {
	local f=$CASE_DIR/o.bin

	site
	fixture main || return
	get "$O" "$E" -o "$f" "$(url /big.bin)"
	check_eq "-o: exit 0" 0 "$?"
	check "-o: the file is byte-exact" cmp -s "$R/big.bin" "$f"
	check_eq "-o: nothing on stdout" 0 "$(wc -c < "$O")"
	f=$CASE_DIR/o.txt
	printf 'old content that is longer than the new one\n' > "$f"
	get "$O" "$E" -o "$f" "$(url /a.txt)"
	check "-o: an existing file is replaced" cmp -s "$R/a.txt" "$f"
}

test_output_several() {
	local o1=$CASE_DIR/o1 o2=$CASE_DIR/o2

	site
	fixture main || return
	get "$O" "$E" -o "$o1" -o "$o2" "$(url /a.txt)" "$(url /b.txt)" \
	    "$(url /c.txt)"
	check_eq "two -o for three targets: exit 0" 0 "$?"
	check "two -o: first body in the first file" cmp -s "$R/a.txt" "$o1"
	check "two -o: second body in the second file" cmp -s "$R/b.txt" "$o2"
	check "two -o: third body on stdout" cmp -s "$R/c.txt" "$O"
}

test_remote_name() {
	local w=$CASE_DIR/work

	site
	fixture main || return
	mkdir -p "$w"
	(cd "$w" && get "$O" "$E" -O "$(url /small.txt)")
	check_eq "-O: exit 0" 0 "$?"
	check "-O: file named after the path" cmp -s "$R/small.txt" "$w/small.txt"
	(cd "$w" && get "$O" "$E" -O "$(url '/a%20b.txt?x=1')")
	check "-O: name percent-decoded, query dropped" \
	    cmp -s "$R/a b.txt" "$w/a b.txt"
}

test_remote_name_clobber() {
	local w=$CASE_DIR/work

	site
	fixture main || return
	mkdir -p "$w"
	printf 'keep me\n' > "$w/a.txt"
	(cd "$w" && get "$O" "$E" -O "$(url /a.txt)")
	check_eq "-O onto an existing file: exit 5" 5 "$?"
	check_eq "-O onto an existing file: left as it was" "keep me" \
	    "$(cat "$w/a.txt")"
	(cd "$w" && get "$O" "$E" --clobber -O "$(url /a.txt)")
	check_eq "-O --clobber: exit 0" 0 "$?"
	check "-O --clobber: replaced" cmp -s "$R/a.txt" "$w/a.txt"
}

test_output_missing_dir() {
	site
	fixture main || return
	get "$O" "$E" -o "$CASE_DIR/no/such/dir/file" "$(url /a.txt)"
	check_eq "-o into a missing directory: exit 5" 5 "$?"
	check "-o into a missing directory: says why" test -s "$E"
}

test_stdout_full() {
	site
	if [ ! -w /dev/full ]; then
		skip "stdout on a full device" "no /dev/full"
		return
	fi
	fixture main || return
	timeout 30 "$GETCMD" "$(url /big.bin)" > /dev/full 2> "$E"
	check_eq "stdout on a full device: exit 5" 5 "$?"
}

# ---------------------------------------------------------------------
# Heads.

test_head() {
	site
	fixture main || return
	get "$O" "$E" -I "$(url /small.txt)"
	check_eq "-I: exit 0" 0 "$?"
	check "-I: status line" grep -q '^HTTP/1.1 200' "$O"
	check_eq "-I: Content-Length" "$(stat -c %s "$R/small.txt")" \
	    "$(header Content-Length < "$O")"
	check "-I: no body" test "$(grep -c 'small file' "$O")" = 0
}

test_include() {
	site
	fixture main || return
	get "$O" "$E" -i "$(url /small.txt)"
	check_eq "-i: exit 0" 0 "$?"
	check "-i: status line first" \
	    test "$(head -n 1 "$O" | tr -d '\r')" = "HTTP/1.1 200 OK"
	check_eq "-i: body after the head" "small file" "$(tail -n 1 "$O")"
}

# ---------------------------------------------------------------------
# HTTP errors.

test_http_404() {
	site
	fixture main || return
	get "$O" "$E" -f "$(url /missing.txt)"
	check_eq "-f 404: exit 1" 1 "$?"
	check_eq "-f 404: one line on stderr" 1 "$(wc -l < "$E")"
	check "-f 404: the line has the status" grep -q '404' "$E"
	check "-f 404: the line has the target" grep -qF '/missing.txt' "$E"
	check_eq "-f 404: no body written" 0 "$(wc -c < "$O")"
}

# Without -f the error page is written, as curl does; the line on
# stderr and the exit status are the same.
test_http_404_body() {
	site
	fixture main || return
	curl -s -o "$CASE_DIR/page" "$(url /missing.txt)"
	get "$O" "$E" "$(url /missing.txt)"
	check_eq "404 without -f: exit 1" 1 "$?"
	check_eq "404 without -f: one line on stderr" 1 "$(wc -l < "$E")"
	check "404 without -f: the line has the status and the target" \
	    grep -qF '404 Not Found: /missing.txt' "$E"
	check "404 without -f: the error page on stdout, as curl gets it" \
	    cmp -s "$CASE_DIR/page" "$O"
	check "404 without -f: an error page" grep -q '404' "$O"
}

test_http_404_silent() {
	site
	fixture main || return
	get "$O" "$E" -s "$(url /missing.txt)"
	check_eq "-s 404: exit 1" 1 "$?"
	check_eq "-s 404: silent" 0 "$(wc -c < "$E")"
	check "-s 404: the error page still written" test -s "$O"
}

test_http_404_fail() {
	site
	fixture main || return
	get "$O" "$E" --fail -o "$CASE_DIR/f404" "$(url /missing.txt)"
	check_eq "--fail -o 404: exit 1" 1 "$?"
	check "--fail -o 404: no file created" test ! -e "$CASE_DIR/f404"
	check_eq "--fail -o 404: one line on stderr" 1 "$(wc -l < "$E")"
}

test_http_404_head() {
	site
	fixture main || return
	get "$O" "$E" -I "$(url /missing.txt)"
	check_eq "-I 404: exit 1" 1 "$?"
}

test_http_404_output() {
	site
	fixture main || return
	get "$O" "$E" -f -o "$CASE_DIR/o404" "$(url /missing.txt)"
	check "404 with -f -o: no file created" test ! -e "$CASE_DIR/o404"
	get "$O" "$E" -o "$CASE_DIR/o404" "$(url /missing.txt)"
	check_eq "404 with -o, without -f: exit 1" 1 "$?"
	check "404 with -o, without -f: the error page saved" \
	    grep -q '404' "$CASE_DIR/o404"
}

test_error_between_targets() {
	site
	fixture main || return
	get "$O" "$E" -f "$(url /a.txt)" "$(url /missing.txt)" "$(url /c.txt)"
	check_eq "error between two targets: exit 1" 1 "$?"
	check "error between two targets: the others are written in order" \
	    cmp -s <(cat "$R/a.txt" "$R/c.txt") "$O"
	check_eq "error between two targets: one line on stderr" 1 \
	    "$(wc -l < "$E")"
}

test_first_failure() {
	local closed

	site
	fixture main || return
	closed=$(random_port)
	get "$O" "$E" "http://127.0.0.1:$closed/" "$(url /missing.txt)"
	check_eq "first failure decides the exit status (3 then 1)" 3 "$?"
}

# ---------------------------------------------------------------------
# Redirections.

test_redirect_not_followed() {
	site
	fixture main || return
	get "$O" "$E" "$(url /sub)"
	check_eq "301 without -L: exit 0" 0 "$?"
	check "301 without -L: stderr names the Location" grep -qF '/sub/' "$E"
}

test_redirect_followed() {
	site
	fixture main || return
	get "$O" "$E" -L "$(url /sub)"
	check_eq "301 with -L: exit 0" 0 "$?"
	check "301 with -L: final body" cmp -s "$R/sub/index.html" "$O"
}

# ---------------------------------------------------------------------
# Several targets: one keep-alive connection, bodies in order.

test_keepalive() {
	local log

	site
	fixture main || return
	log=$DDIR/access.log
	# The "seq=" queries are this case's own: only it logs them.
	get "$O" "$E" -v "$(url /a.txt?seq=1)" "$(url /b.txt?seq=2)" \
	    "$(url /c.txt?seq=3)"
	check_eq "three targets: exit 0" 0 "$?"
	check "three targets: bodies in order" \
	    cmp -s <(cat "$R/a.txt" "$R/b.txt" "$R/c.txt") "$O"
	check_eq "three targets: a single connect (-v)" 1 \
	    "$(grep -ci '^\* connecting to' "$E")"
	check_eq "three targets: the last request says Connection: close" 1 \
	    "$(grep -ci '^> Connection: close' "$E")"
	check "-v: request heads" grep -q '^> GET /a.txt?seq=1 HTTP/1.1' "$E"
	check "-v: response heads" grep -q '^< HTTP/1.1 200' "$E"
	check "-v: User-Agent minihttp-get/VERSION" \
	    grep -qE '^> User-Agent: minihttp-get/[0-9]' "$E"
	logged_three() { [ "$(grep -c 'seq=' "$log")" -ge 3 ]; }
	wait_until 5 logged_three
	check_eq "server side: three requests logged in order" \
	    "/a.txt?seq=1 /b.txt?seq=2 /c.txt?seq=3" \
	    "$(grep 'seq=' "$log" | awk '{ print $7 }' | paste -sd' ')"
	check "server side: User-Agent logged" \
	    grep -qE '"minihttp-get/[0-9][^"]*"$' <(grep 'seq=3' "$log")
}

test_header_user_agent() {
	local log

	site
	fixture main || return
	log=$DDIR/access.log
	get "$O" "$E" -H 'User-Agent: e2e-custom' "$(url /a.txt)"
	wait_until 5 grep -q '"e2e-custom"$' "$log"
	check "-H replaces the User-Agent (server side)" \
	    grep -q '"e2e-custom"$' "$log"
}

test_keepalive_big() {
	site
	fixture main || return
	get "$O" "$E" "$(url /big.bin)" "$(url /small.txt)" "$(url /big.bin)"
	check "8 MiB, small, 8 MiB over one connection: byte-exact" \
	    cmp -s <(cat "$R/big.bin" "$R/small.txt" "$R/big.bin") "$O"
}

# A server that closes after each response: the client reconnects.
test_server_closes() {
	site
	if ! daemon_start once 'limits = { max_keepalive_requests = 1; };'; then
		fail "daemon (one request per connection) starts" "see above"
		return
	fi
	get "$O" "$E" -v "$(url /a.txt)" "$(url /b.txt)" "$(url /c.txt)"
	check_eq "server closing after each response: exit 0" 0 "$?"
	check "server closing after each response: all bodies in order" \
	    cmp -s <(cat "$R/a.txt" "$R/b.txt" "$R/c.txt") "$O"
	daemon_stop once
}

# ---------------------------------------------------------------------
# -m: a server that accepts but never answers (a daemon of this case's
# own, stopped with SIGSTOP: the kernel still accepts on its socket).

test_max_time() {
	local workers start rc

	site
	if ! daemon_start silent; then
		fail "daemon (to be stopped) starts" "see above"
		return
	fi
	workers=$(live_children "$DPID")
	# shellcheck disable=SC2086
	kill -STOP "$DPID" $workers
	start=$SECONDS
	get "$O" "$E" -m 1 "$(url /a.txt)"
	rc=$?
	# shellcheck disable=SC2086
	kill -CONT "$DPID" $workers
	check_eq "-m 1 against a silent server: exit 3" 3 "$rc"
	check "-m 1: gives up in time" test $((SECONDS - start)) -le 10
	check "-m: says why" test -s "$E"
	liveness "SIGSTOP/SIGCONT"
	daemon_stop silent
}

# ---------------------------------------------------------------------
# A bare path uses http://localhost:6789/, when that port is free here.

test_default_server() {
	site
	if (exec 3<>/dev/tcp/127.0.0.1/6789) 2>/dev/null ||
	    (exec 3<>/dev/tcp/::1/6789) 2>/dev/null; then
		skip "bare path to localhost:6789" "port 6789 is in use"
		return
	fi
	if ! daemon_start default 'listen = [ "127.0.0.1:6789" ];'; then
		skip "bare path to localhost:6789" \
		    "could not start a daemon there"
		return
	fi
	get "$O" "$E" small.txt
	check_eq "bare path: exit 0" 0 "$?"
	check "bare path: fetched from localhost:6789" \
	    cmp -s "$R/small.txt" "$O"
	get "$O" "$E" /a.txt
	check "bare absolute path: fetched" cmp -s "$R/a.txt" "$O"
	daemon_stop default
}

e2e_run "$@"
