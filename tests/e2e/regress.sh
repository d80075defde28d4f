#!/bin/bash
# shellcheck disable=SC2317	# the test_ functions are called by e2e_run
#
# regress.sh: one test per bug found in review, each of which failed
# before its fix.
#
#	send_timer_restarts_on_progress
#		timeouts.send must restart on progress, not only after a wait
#	http09_refused_at_once
#		a request line without a version (HTTP/0.9) is refused at once
#	reload_moves_workers_off_root
#		a reload can move workers off root
#	second_daemonized_start_fails
#		a second daemonized start fails with status 1 and says why
#	relative_conf_reload_after_detach
#		a relative -c keeps working for reloads after detaching
#	stop_with_invalid_conf
#		-s stop works although the configuration became invalid
#	startup_errors_on_terminal
#		start-up errors reach the terminal when error_log is a file
#	multipart_long_type
#		multipart/byteranges with a long media type (heap overflow)
#	redirect_location_too_long
#		a redirect whose Location cannot fit the head gets 414, not EOF
#	failing_fork_does_not_spin
#		a failing fork() does not make the master spin
#	body_dropped_handed_over_on_reload
#		a connection idle after its body was dropped is handed over
#		on reload
#	error_log_file_to_stderr
#		switching error_log from a file to stderr, then reopening
#	quit_while_retiring
#		QUIT while a generation retires: nothing more is handed over
#	get_body_discard_limit
#		limits without a test elsewhere: a request body over 1 MiB
#
# Fixture daemons (tests/e2e/lib.sh "Cases"): main (the default
# configuration), send (timeouts.send = 1), mp (a 124-byte
# default_type).  The cases that reload, signal, stop or detach a daemon
# start one of their own.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

# ---------------------------------------------------------------------
# Helpers

# site: the case's own directory, $CR on disk and $CU in URLs (/<case>).
site() {
	CU=/$E2E_CASE
	CR=$T/root$CU
	mkdir -p "$CR"
}

uid_of() {
	awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# detached NAME: daemon NAME started daemonized (no -F) from its own
# directory with a relative -c, as an administrator would, and adopted;
# three checks.  1 when it does not come up.
detached() {
	daemon_prepare "$1" || return 1
	(cd "$DDIR" && "$MINIHTTPD" -c conf) > "$CASE_DIR/start.out" 2>&1
	check_eq "daemonized start exits 0" 0 "$?"
	check "daemonized start writes the pid file" \
	    wait_until 5 test -s "$DDIR/pid"
	[ -s "$DDIR/pid" ] || return 1
	daemon_adopt "$1" "$(cat "$DDIR/pid")"
	check "the daemon answers" wait_http 10 "$PORT" "$DPID"
	alive "$DPID"
}

# ---------------------------------------------------------------------
# timeouts.send restarts on progress: a client that reads as fast as the
# server sends must get a long download whole with send = 1.
test_send_timer_restarts_on_progress() {
	local got

	fixture send \
	    'timeouts = { header = 5; keepalive = 5; send = 1; shutdown = 5; };' ||
	    return
	site
	truncate -s 3G "$CR/huge.bin"
	got=$(curl -s -o /dev/null --max-time 60 -w '%{size_download}' \
	    "$(url "$CU/huge.bin")")
	check_eq "send timer restarts on progress: 3 GiB at full speed" \
	    $((3 * 1024 * 1024 * 1024)) "$got"
	rm -f "$CR/huge.bin"
}

# HTTP/0.9: "GET /" and nothing after it gets 400 at once, not 408 after
# the header deadline (5 s here).
test_http09_refused_at_once() {
	local start got

	fixture main || return
	start=$SECONDS
	got=$(rawreq $'GET /\r\n' -k -t 3 | status_of)
	check_eq "HTTP/0.9 request line: 400 without waiting" 400 "$got"
	check "HTTP/0.9 request line: answered within 3 s" \
	    test $((SECONDS - start)) -le 3
	liveness "an HTTP/0.9 request"
}

# A reload moves workers from root to nobody.
test_reload_moves_workers_off_root() {
	local w nobody

	if [ "$(id -u)" != 0 ]; then
		skip "reload moves workers off root" "not running as root"
		return
	fi
	daemon_start priv 'user = "root";' 'group = "root";' ||
	    { fail "daemon priv starts" "see above"; return; }
	w=$(live_children "$DPID" | head -n 1)
	check_eq "user = root: workers run as root" 0 "$(uid_of "$w")"
	write_conf priv
	"$MINIHTTPD" -s reload -c "$CONF" > "$CASE_DIR/reload.out" 2>&1
	check "reload to the default user succeeds" grep -q reloaded \
	    "$CASE_DIR/reload.out"
	nobody=$(id -u nobody)
	all_nobody() {
		local c

		[ -n "$(live_children "$DPID")" ] || return 1
		for c in $(live_children "$DPID"); do
			[ "$(uid_of "$c")" = "$nobody" ] || return 1
		done
	}
	check "after the reload every worker runs as nobody" \
	    wait_until 10 all_nobody
	daemon_stop priv
}

# A daemonized start fails loudly when a master already owns the pid
# file.
test_second_daemonized_start_fails() {
	detached bg1 || return
	(cd "$DDIR" && "$MINIHTTPD" -c conf) > "$CASE_DIR/second.out" 2>&1
	check_eq "second daemonized start exits 1" 1 "$?"
	check "second start says a master already runs" \
	    grep -q "already running" "$CASE_DIR/second.out"
	check "the first master still runs" alive "$DPID"
	daemon_stop bg1
}

# A relative -c survives the master's chdir("/").
test_relative_conf_reload_after_detach() {
	detached bg2 || return
	(cd "$DDIR" && "$MINIHTTPD" -s reload -c conf) > "$CASE_DIR/reload.out" 2>&1
	check_eq "reload with a relative -c exits 0" 0 "$?"
	check "reload with a relative -c: reloaded" grep -q reloaded \
	    "$CASE_DIR/reload.out"
	daemon_stop bg2
}

# -s stop still works when the configuration has become invalid.
test_stop_with_invalid_conf() {
	detached bg3 || return
	echo 'no_such_setting = 1;' >> "$CONF"
	"$MINIHTTPD" -s stop -c "$CONF" > "$CASE_DIR/stop.out" 2>&1
	check_eq "-s stop with an invalid configuration exits 0" 0 "$?"
	check "-s stop names the problem" grep -q no_such_setting \
	    "$CASE_DIR/stop.out"
	check "-s stop stopped the master" wait_gone 10 "$DPID"
	if alive "$DPID"; then
		daemon_stop bg3
	else
		daemon_forget bg3
	fi
}

# Start-up errors reach the terminal when error_log is a file.
test_startup_errors_on_terminal() {
	daemon_prepare noroot "document_root = \"$T/no/such/dir\";" || return
	"$MINIHTTPD" -F -c "$CONF" > "$CASE_DIR/noroot.out" 2>&1
	check_eq "missing document_root: exit 1" 1 "$?"
	check "missing document_root: said on the terminal" \
	    grep -q "no/such/dir" "$CASE_DIR/noroot.out"
}

# multipart/byteranges with the longest media type allowed: the part
# headers must fit (they overran the buffer and killed the worker).
test_multipart_long_type() {
	local longtype ranges got out=$CASE_DIR/mp.out

	longtype="application/x-$(printf 'a%.0s' $(seq 1 110))"
	fixture mp "default_type = \"$longtype\";" 'charset = "utf-8";' ||
	    return
	site
	head -c 100000 /dev/urandom > "$CR/blob.unknownext"
	ranges=$(seq 1 16 | awk '{ printf "%s%d-%d", (NR > 1 ? "," : ""),
	    $1 * 5000, $1 * 5000 + 9 }')
	got=$(curl -s -o "$out" --max-time 10 -w '%{http_code}' \
	    -H "Range: bytes=$ranges" "$(url "$CU/blob.unknownext")")
	check_eq "16 ranges with a 124-byte type: 206" 206 "$got"
	check_eq "16 ranges with a 124-byte type: 16 parts" 16 \
	    "$(grep -ac "^Content-Range: bytes" "$out")"
	check "16 ranges with a 124-byte type: the type in each part" \
	    grep -aq "^Content-Type: $longtype" "$out"
	liveness "multipart with a long type"
	check "no worker died" \
	    test -z "$(grep 'died of signal' "$DDIR/error.log")"
}

# A redirect whose Location would not fit the response head.
test_redirect_location_too_long() {
	local q

	fixture main || return
	site
	mkdir -p "$CR/adir"
	q=$(head -c 3000 /dev/zero | tr '\0' a)
	expect_status "directory redirect with a 3000-byte query: 414" 414 \
	    "$(url "$CU/adir?$q")"
	expect_status "directory redirect with a 1000-byte query: 301" 301 \
	    "$(url "$CU/adir?${q:0:1000}")"
}

# A failing fork() must not make the master spin: run it as nobody with
# a process limit of 1, so every fork fails.
test_failing_fork_does_not_spin() {
	local rpid t0 t1 s0 n0 n

	if [ "$(id -u)" != 0 ] || ! command -v runuser >/dev/null; then
		skip "failing fork does not spin" "needs root and runuser"
		return
	fi
	daemon_prepare nofork 'pid_file = "";' || return
	chmod 777 "$DDIR"
	runuser -u nobody -- bash -c "ulimit -u 1; exec '$MINIHTTPD' -F \
	    -c '$CONF'" > "$DDIR/out" 2>&1 &
	rpid=$!
	bg_track "$rpid"
	# runuser forks: the master is its child, once it runs our binary.
	master_of() {
		local c

		for c in $(children "$rpid"); do
			if alive "$c" && is_ours "$c"; then
				MASTER=$c
				return 0
			fi
		done
		return 1
	}
	if ! wait_until 5 master_of; then
		fail "failing fork: the master starts" "no minihttpd under runuser"
		return
	fi
	daemon_adopt nofork "$MASTER"
	ticks() {
		awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null
	}
	forks() {
		grep -c fork "$DDIR/error.log" 2>/dev/null
	}
	# The first forks have failed.
	wait_until 10 grep -q fork "$DDIR/error.log"
	# The window measured: two more rounds of retries (one a second per
	# worker), and at least two seconds by the clock.
	n0=$(forks)
	s0=$(date +%s)
	t0=$(ticks "$DPID")
	window() {
		[ "$(date +%s)" -ge $((s0 + 2)) ] &&
		    [ "$(forks)" -ge $((n0 + 4)) ]
	}
	wait_until 10 window
	t1=$(ticks "$DPID")
	check "failing fork: the master stays up" alive "$DPID"
	check "failing fork: the master does not spin ($((t1 - t0)) ticks)" \
	    test $((t1 - t0)) -lt 50
	n=$(forks)
	check "failing fork: a few log lines, not a flood ($n)" test "$n" -lt 30
	daemon_stop nofork
	wait_gone 5 "$rpid" && wait "$rpid" 2>/dev/null
}

# Reload while a request body is half sent: once the body is dropped and
# the connection goes idle, it must be handed over to the new generation
# (its next request is then served from the new root).
test_body_dropped_handed_over_on_reload() {
	local fd n0 reply root2=$CASE_DIR/root2

	mkdir -p "$root2"
	echo new-root > "$root2/index.html"
	daemon_start body 'workers = 1;' ||
	    { fail "daemon body starts" "see above"; return; }
	n0=$(wc -l < "$DDIR/access.log")
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	# Each write in a subshell: should the daemon close the connection,
	# SIGPIPE ends the subshell, not the suite.
	(printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc' >&"$fd") 2>/dev/null
	# The request is answered (and logged) before its body is read; the
	# connection is then dropping the body.
	answered() {
		[ "$(wc -l < "$DDIR/access.log")" -gt "$n0" ]
	}
	wait_until 5 answered
	write_conf body 'workers = 1;' "document_root = \"$root2\";"
	"$MINIHTTPD" -s reload -c "$CONF" > /dev/null 2>&1
	(printf 'defghij' >&"$fd") 2>/dev/null
	# The body is dropped; the idle connection goes to generation 2.
	wait_until 5 grep -q "passed to the new generation" "$DDIR/error.log"
	(printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&"$fd") 2>/dev/null
	reply=$(timeout 5 cat <&"$fd")
	exec {fd}>&-
	check "body dropped during a reload: both requests answered" \
	    test "$(echo "$reply" | grep -c '^HTTP/1.1 200')" = 2
	check "body dropped during a reload: the next one from the new root" \
	    grep -q new-root <<< "$reply"
	daemon_stop body
}

# error_log switched from a file to stderr by a reload, then USR1: the
# old file must get nothing more.
test_error_log_file_to_stderr() {
	local old before

	daemon_start elog || { fail "daemon elog starts" "see above"; return; }
	old=$(live_children "$DPID")
	write_conf elog 'error_log = "stderr";'
	"$MINIHTTPD" -s reload -c "$CONF" > /dev/null 2>&1
	"$MINIHTTPD" -s reopen -c "$CONF" > /dev/null 2>&1
	# The master has taken its USR1: it reopens before it can see the
	# next HUP (both are blocked outside its ppoll).
	usr1_taken() {
		local key v pending=0

		while read -r key v; do
			case $key in
			SigPnd: | ShdPnd:) pending=$((pending | 16#$v)) ;;
			esac
		done < "/proc/$DPID/status"
		((!(pending & (1 << (10 - 1)))))	# SIGUSR1 is 10
	}
	wait_until 5 usr1_taken
	# The first generation's workers, which log to the file, are gone.
	# shellcheck disable=SC2086
	wait_gone 10 $old
	before=$(wc -l < "$DDIR/error.log")
	"$MINIHTTPD" -s reload -c "$CONF" > /dev/null 2>&1
	# The master has logged that reload, to stderr or to the file.
	reload_logged() {
		grep -q reloading "$DDIR/out" ||
		    [ "$(wc -l < "$DDIR/error.log")" -gt "$before" ]
	}
	wait_until 5 reload_logged
	check_eq "error_log moved to stderr: the old file gets no more lines" \
	    "$before" "$(wc -l < "$DDIR/error.log")"
	check "error_log moved to stderr: the lines go to stderr" \
	    grep -q reloading "$DDIR/out"
	daemon_stop elog
}

# QUIT while the old generation still retires (a slow download keeps one
# of its workers busy): once the download ends, that connection must be
# closed, not handed to the new generation, which is stopping too.
test_quit_while_retiring() {
	local slow passed_after out=$CASE_DIR/qr.out

	site
	head -c $((8 * 1024 * 1024)) /dev/urandom > "$CR/eight.bin"
	daemon_start qr 'workers = 1;' \
	    'timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 15; };' ||
	    { fail "daemon qr starts" "see above"; return; }
	# A slow reader: 16 KiB every 8 ms (the stall is the behaviour).
	( curl -s --max-time 30 "$(url "$CU/eight.bin")" |
	    perl -e 'while (sysread(STDIN, $b, 16384)) { syswrite(STDOUT, $b);
		select(undef, undef, undef, 0.008); }' > "$out" ) &
	slow=$!
	bg_track "$slow"
	# The download has begun: a worker of generation 1 is busy with it.
	wait_until 10 test -s "$out"
	kill -HUP "$DPID"
	check "QUIT while retiring: the new generation is up" \
	    wait_until 10 grep -q "serving: generation 2" "$DDIR/error.log"
	kill -QUIT "$DPID"
	wait "$slow"
	check "QUIT while retiring: the download completes" \
	    cmp -s "$out" "$CR/eight.bin"
	check "QUIT while retiring: everything exits" wait_gone 20 "$DPID"
	passed_after=$(awk '/draining and stopping/ { q = 1 }
	    q && /passed to the new generation/ { n++ } END { print n + 0 }' \
	    "$DDIR/error.log")
	check_eq "QUIT while retiring: nothing handed over after QUIT" 0 \
	    "$passed_after"
	if alive "$DPID"; then
		daemon_stop qr
	else
		daemon_forget qr
	fi
}

# A GET body within the discard limit (1 MiB) keeps the connection; a
# bigger one is answered, then the connection closes (never buffered).
test_get_body_discard_limit() {
	local small_body reply

	fixture main || return
	small_body=$(head -c 1000 /dev/zero | tr '\0' x)
	reply=$( { printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n%s' \
	    "$small_body"; printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'; } | raw)
	check_eq "a 1000-byte GET body: both requests answered" "200 200" \
	    "$(statuses <<< "$reply")"
	reply=$( { printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n'
	    head -c 2000000 /dev/zero
	    printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'; } | raw -t 10)
	check_eq "a 2 MB GET body: answered once, then closed" "200" \
	    "$(statuses <<< "$reply")"
	check "a 2 MB GET body: Connection: close" \
	    grep -qi "^Connection: close" <<< "$reply"
	liveness "a 2 MB request body"
}

# A download cut by a stop (TERM, or QUIT's deadline) is in the access
# log with the bytes actually sent: between the first byte and the size.
test_cut_transfer_logged() {
	local sig slow out line size=$((8 * 1024 * 1024)) bytes

	site
	head -c "$size" /dev/urandom > "$CR/cut.bin"
	for sig in TERM QUIT; do
		out=$CASE_DIR/cut-$sig.out
		daemon_start "cut$sig" 'workers = 1;' \
		    'timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 1; };' ||
		    { fail "daemon cut$sig starts" "see above"; continue; }
		# A slow reader (the stall is the behaviour): 16 KiB per 20 ms.
		( curl -s --max-time 30 "$(url "$CU/cut.bin")" |
		    perl -e 'while (sysread(STDIN, $b, 16384)) {
			syswrite(STDOUT, $b); select(undef, undef, undef, 0.02); }' \
		    > "$out" ) &
		slow=$!
		bg_track "$slow"
		wait_until 10 test -s "$out"
		kill "-$sig" "$DPID"
		check "$sig cuts the download: the daemon exits" \
		    wait_gone 15 "$DPID"
		daemon_forget "cut$sig"
		wait "$slow"
		line=$(grep 'cut\.bin' "$DDIR/access.log")
		check "$sig: the cut download is in the access log" \
		    test -n "$line"
		bytes=$(awk '{ print $10 }' <<< "$line")
		check "$sig: logged with the bytes sent, fewer than the file ($bytes)" \
		    test "${bytes:-0}" -gt 0 -a "${bytes:-0}" -lt "$size"
		check_eq "$sig: logged with status 200" 200 \
		    "$(awk '{ print $9 }' <<< "$line")"
	done
}

e2e_run "$@"
