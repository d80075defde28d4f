#!/bin/bash
#
# process: the master and its workers (minihttpd(8), SIGNALS).  Worker
# count and respawn, TERM/INT/QUIT stops, the pid file, daemonized start
# with "-s" signals, no orphan workers when the master is killed, HUP
# reloads (good and broken configurations, with clients running during
# the reload), and USR1 log reopening.
#
# Daemons (all on 127.0.0.1):
#	w3	the fixture: workers = 3, only looked at (worker_count)
#	every other case starts a private daemon named after what it does
#	(respawn, term, int, bg, orphan, reload, broken, refused, usr1,
#	quit), as it kills workers, signals, reloads or stops it; a case
#	that makes its daemon exit forgets it (daemon_forget).
# The files a case serves are made by case_roots under $T/root/CASE
# (and $T/root/CASE-B); scratch files go in $CASE_DIR.
#
# Every wait is bounded and waits for a condition; processes are found
# only through recorded pids and "pgrep -P".

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

# Short drains keep the suite fast.
TIMEOUTS='timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 3; };'

# ---------------------------------------------------------------------
# Helpers

pidfile_is() {	# pidfile_is FILE PID
	[ -s "$1" ] && [ "$(tr -d ' \n' < "$1")" = "$2" ]
}

body() {	# body PATH: the current daemon's body for PATH
	curl -s --max-time 5 "$(url "$1")"
}

# body_is PATH TEXT: the current daemon answers PATH with TEXT (for
# wait_until, which must make the request each time round, not once when
# its arguments are expanded).
body_is() {
	[ "$(body "$1")" = "$2" ]
}

# reload_recorded SEQ: the master recorded the outcome of its reload
# number SEQ in PID_FILE.reload (what "-s reload" waits for), the last
# thing it does for a reload, taken or refused.
reload_recorded() {
	grep -q "^$1 " "$DDIR/pid.reload" 2>/dev/null
}

# ---------------------------------------------------------------------
# Workers: count, respawn after SIGKILL, TERM stops everything.

test_worker_count() {
	fixture w3 'workers = 3;' "$TIMEOUTS" || return
	if wait_until 10 count_is "$DPID" 3; then
		ok "workers = 3: the master has 3 children"
	else
		fail "workers = 3: the master has 3 children" \
		    "children: $(live_children "$DPID" | paste -sd' ')"
	fi
	check "pid file holds the master's pid" pidfile_is "$DDIR/pid" "$DPID"
}

test_worker_respawn() {
	local old victim w

	daemon_start respawn 'workers = 3;' "$TIMEOUTS" ||
	    { fail "daemon with 3 workers starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 3
	old=$(live_children "$DPID")
	victim=$(head -n 1 <<< "$old")
	kill -KILL "$victim"
	respawned() {
		count_is "$DPID" 3 &&
		    ! live_children "$DPID" | grep -qx "$victim"
	}
	if wait_until 10 respawned; then
		ok "a SIGKILLed worker is replaced"
	else
		fail "a SIGKILLed worker is replaced" \
		    "children: $(live_children "$DPID" | paste -sd' ')"
	fi
	check "the other workers are unchanged" \
	    grep -qxF "$(sed -n 2p <<< "$old")" <(live_children "$DPID")
	expect_status "service continues after a worker died" 200 "$(url /)"
	# Kill all three at once.
	old=$(live_children "$DPID")
	for w in $old; do
		kill -KILL "$w"
	done
	all_new() {
		count_is "$DPID" 3 && [ -z "$(comm -12 <(echo "$old") \
		    <(live_children "$DPID"))" ]
	}
	if wait_until 10 all_new; then
		ok "three SIGKILLed workers are replaced"
	else
		fail "three SIGKILLed workers are replaced" \
		    "children: $(live_children "$DPID" | paste -sd' ')"
	fi
	check "service continues after all workers died" \
	    wait_until 10 code_is "$PORT" 200
	daemon_stop respawn
}

test_term_stop() {
	local workers

	daemon_start term 'workers = 3;' "$TIMEOUTS" ||
	    { fail "daemon for TERM starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 3
	workers=$(live_children "$DPID")
	kill -TERM "$DPID"
	daemon_forget term
	# shellcheck disable=SC2086
	check "TERM: master and workers gone" wait_gone 10 "$DPID" $workers
	check "TERM: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
	check "TERM: port closed" test "$(http_code "$PORT")" = 000
}

# INT is a fast stop too, even with a client holding a keep-alive
# connection.
test_int_keepalive() {
	local workers holder out=$CASE_DIR/int.out

	daemon_start int "$TIMEOUTS" ||
	    { fail "daemon for INT starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	workers=$(live_children "$DPID")
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
	    "$RAWHTTP" -k -t 20 "$PORT" > "$out" &
	holder=$!
	bg_track "$holder"
	wait_until 5 grep -q '^HTTP/1.1 200' "$out"
	kill -INT "$DPID"
	daemon_forget int
	# shellcheck disable=SC2086
	check "INT with an open keep-alive connection: all gone" \
	    wait_gone 10 "$DPID" $workers
	check "INT: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
	wait "$holder"
	check_eq "INT: the held connection is closed" 0 "$?"
}

# ---------------------------------------------------------------------
# Daemonized start and -s.

test_daemonized() {
	local mpid second rc workers

	daemon_prepare bg "$TIMEOUTS" || { fail "port" "none free"; return; }
	timeout 20 "$MINIHTTPD" -c "$CONF" > "$DDIR/out" 2>&1
	check_eq "daemonized start exits 0" 0 "$?"
	if ! wait_until 10 test -s "$DDIR/pid"; then
		fail "daemonized start writes the pid file" "no $DDIR/pid"
		return
	fi
	mpid=$(tr -d ' \n' < "$DDIR/pid")
	daemon_adopt bg "$mpid"
	ok "daemonized start writes the pid file"
	check "the pid file names a running minihttpd" is_ours "$mpid"
	check "daemonized master answers" wait_http 10 "$PORT" "$mpid"
	check "daemonized master has its workers" \
	    wait_until 10 count_is "$mpid" 2
	# A second instance on the same configuration must not start.
	timeout 20 "$MINIHTTPD" -F -c "$CONF" > "$DDIR/out2" 2>&1 &
	second=$!
	E2E_ALL_DAEMONS+=("$second")
	if wait_gone 10 "$second"; then
		wait "$second"
		rc=$?
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
			ok "a second instance refuses to start (exit $rc)"
		else
			fail "a second instance refuses to start" "exit $rc"
		fi
	else
		fail "a second instance refuses to start" "still running"
	fi
	check "the first instance keeps its pid file" \
	    pidfile_is "$DDIR/pid" "$mpid"
	expect_status "the first instance still serves" 200 "$(url /)"
	workers=$(live_children "$mpid")
	timeout 10 "$MINIHTTPD" -c "$CONF" -s stop
	check_eq "-s stop exits 0" 0 "$?"
	daemon_forget bg
	# shellcheck disable=SC2086
	check "-s stop: master and workers gone" wait_gone 10 "$mpid" $workers
	check "-s stop: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
}

# A configuration whose daemon is not running (no pid file).
test_stop_without_master() {
	local rc out=$CASE_DIR/out

	daemon_prepare nomaster "$TIMEOUTS" ||
	    { fail "port" "none free"; return; }
	timeout 10 "$MINIHTTPD" -c "$CONF" -s stop > "$out" 2>&1
	rc=$?
	check "-s stop without a running master fails" test "$rc" -ne 0
	check "-s stop without a master says why" test -s "$out"
}

test_unknown_signal() {
	local rc out=$CASE_DIR/out

	daemon_prepare bogus "$TIMEOUTS" ||
	    { fail "port" "none free"; return; }
	timeout 10 "$MINIHTTPD" -c "$CONF" -s bogus > "$out" 2>&1
	rc=$?
	check "-s with an unknown signal fails" test "$rc" -ne 0
	check "-s with an unknown signal names it" grep -q bogus "$out"
}

# ---------------------------------------------------------------------
# SIGKILL to the master: no worker survives it.
test_kill_master() {
	local workers

	daemon_start orphan 'workers = 3;' "$TIMEOUTS" ||
	    { fail "daemon for SIGKILL starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 3
	workers=$(live_children "$DPID")
	disown "$DPID" 2>/dev/null	# no "Killed" job notice in the log
	kill -KILL "$DPID"
	daemon_forget orphan
	# shellcheck disable=SC2086
	check "SIGKILL to the master: every worker exits" wait_gone 10 $workers
	check "SIGKILL to the master: the port stops answering" \
	    wait_until 10 code_is "$PORT" 000
}

# ---------------------------------------------------------------------
# HUP: reload to a new root while clients keep fetching.
test_hup_with_clients() {
	local gen1 gen2 stop=$CASE_DIR/stop new=$CASE_DIR/loop.new
	local ka=$CASE_DIR/loop.ka loop1 loop2 urls=() i n bad

	case_roots
	daemon_start reload "$ROOT_A_LINE" "$TIMEOUTS" ||
	    { fail "daemon for HUP starts" "see above"; return; }
	check_eq "before HUP: old content" A "$(body /ver.txt)"
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")
	# New connections in a loop, and one keep-alive connection at 20/s.
	(
		for ((i = 0; i < 600; i++)); do
			[ -e "$stop" ] && break
			curl -s --max-time 5 -w ' %{http_code}\n' \
			    "$(url /ver.txt)" || echo " curl-exit-$?"
		done
	) > "$new" 2>&1 &
	loop1=$!
	bg_track "$loop1"
	for ((i = 0; i < 100; i++)); do
		urls+=("$(url /ver.txt)")
	done
	curl -s --max-time 30 --rate 20/s -w ' %{http_code}\n' "${urls[@]}" \
	    > "$ka" 2>&1 &
	loop2=$!
	bg_track "$loop2"
	# Both clients run, and have had the old content.
	started() {
		grep -q '^A 200' "$new" && grep -q '^A 200' "$ka"
	}
	wait_until 10 started
	write_conf reload "$ROOT_B_LINE" "$TIMEOUTS"
	kill -HUP "$DPID"
	check "HUP: new root served" wait_until 10 body_is /ver.txt B
	# shellcheck disable=SC2086
	check "HUP: old workers gone" wait_gone 15 $gen1
	check "HUP: two new workers" wait_until 10 count_is "$DPID" 2
	check "HUP: master unchanged" alive "$DPID"
	gen2=$(live_children "$DPID")
	if [ -n "$(comm -12 <(echo "$gen1") <(echo "$gen2"))" ]; then
		fail "HUP: workers are new processes" "old pid still a child"
	else
		ok "HUP: workers are new processes"
	fi
	# The loop on new connections has had the new content too.
	wait_until 10 grep -q '^B 200' "$new"
	touch "$stop"
	wait "$loop1"
	wait "$loop2"
	n=$(wc -l < "$new")
	bad=$(grep -cvxE '[AB] 200' "$new")
	check "HUP: the request loop ran ($n requests)" test "$n" -gt 5
	check_eq "HUP: no failed request on new connections" 0 "$bad"
	grep -vxE '[AB] 200' "$new" | head -n 5 | sed 's/^/# /'
	n=$(wc -l < "$ka")
	bad=$(grep -cvxE '[AB] 200' "$ka")
	check_eq "HUP: keep-alive client got 100 responses" 100 "$n"
	check_eq "HUP: no failed request on the keep-alive connection" 0 "$bad"
	grep -vxE '[AB] 200' "$ka" | head -n 5 | sed 's/^/# /'
	check "HUP: the old content was seen by the loop" grep -q '^A' "$new"
	check "HUP: the new content was seen by the loop" grep -q '^B' "$new"
	daemon_stop reload
}

# HUP with a broken configuration: the old one keeps running.
test_hup_broken_config() {
	local gen1 good=$CASE_DIR/good.conf bad_line

	case_roots
	daemon_start broken "$ROOT_A_LINE" "$TIMEOUTS" ||
	    { fail "daemon for a broken HUP starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")
	cp "$CONF" "$good"
	{
		cat "$good"
		echo 'no_such_key = 1;'
	} > "$CONF"
	bad_line=$(grep -n no_such_key "$CONF" | cut -d: -f1)
	kill -HUP "$DPID"
	check "broken HUP: the error log names the problem" \
	    wait_until 10 grep -q "no_such_key" "$DDIR/error.log"
	check "broken HUP: the error log names file and line" \
	    grep -qF "$CONF:$bad_line:" "$DDIR/error.log"
	check_eq "broken HUP: old content still served" A "$(body /ver.txt)"
	check "broken HUP: master alive" alive "$DPID"
	# The master is done with the HUP once it recorded the outcome.
	wait_until 10 reload_recorded 1
	check_eq "broken HUP: same workers" "$gen1" "$(live_children "$DPID")"
	daemon_stop broken
}

# A root that does not exist is refused the same way; "-s reload" waits
# for the master's verdict and reports the failure.  A good configuration
# afterwards is taken, with another worker count, a second address and
# another index.
test_reload_refused_then_good() {
	local gen1 port2 out=$CASE_DIR/reload.out

	case_roots
	daemon_start refused "$ROOT_B_LINE" "$TIMEOUTS" ||
	    { fail "daemon for refused reloads starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")
	write_conf refused "document_root = \"$T/nonexistent\";" "$TIMEOUTS"
	timeout 20 "$MINIHTTPD" -c "$CONF" -s reload > "$out" 2>&1
	check_eq "-s reload to a missing root: exits 1" 1 "$?"
	check "-s reload to a missing root: says why" test -s "$out"
	check "HUP to a missing root: the error log says so" \
	    wait_until 10 grep -q "nonexistent" "$DDIR/error.log"
	check_eq "HUP to a missing root: same workers" "$gen1" \
	    "$(live_children "$DPID")"
	check_eq "HUP to a missing root: old content still served" B \
	    "$(body /ver.txt)"
	port2=$(random_port)
	write_conf refused \
	    "listen = [ \"127.0.0.1:$PORT\", \"127.0.0.1:$port2\" ];" \
	    'workers = 3;' 'index = [ "ver.txt" ];' "$ROOT_A_LINE" "$TIMEOUTS"
	kill -HUP "$DPID"
	check "HUP: new index served" wait_until 10 body_is / A
	check "HUP: new listen address answers" \
	    wait_until 10 code_is "$port2" 200 /ver.txt
	check "HUP: three workers after the reload" \
	    wait_until 15 count_is "$DPID" 3
	check_eq "HUP: the old address still answers" 200 "$(http_code "$PORT")"
	timeout 20 "$MINIHTTPD" -c "$CONF" -s reload > "$out" 2>&1
	check_eq "-s reload exits 0" 0 "$?"
	check "-s reload reports the reload" grep -qi 'reloaded' "$out"
	expect_status "after -s reload: serving" 200 "$(url /)"
	daemon_stop refused
}

# ---------------------------------------------------------------------
# USR1: reopen the logs after logrotate renamed them.
test_usr1_reopen() {
	local n last

	daemon_start usr1 "$TIMEOUTS" ||
	    { fail "daemon for USR1 starts" "see above"; return; }
	curl -s -o /dev/null --max-time 5 "$(url /before-rotate)"
	wait_until 5 grep -q before-rotate "$DDIR/access.log"
	mv "$DDIR/access.log" "$DDIR/access.log.1"
	mv "$DDIR/error.log" "$DDIR/error.log.1"
	kill -USR1 "$DPID"
	check "USR1: a fresh access log is created" \
	    wait_until 10 test -e "$DDIR/access.log"
	# The workers may reopen a little after the master: retry until a
	# marker lands in the new file.
	n=0
	landed() {
		n=$((n + 1))
		curl -s -o /dev/null --max-time 5 "$(url "/after-rotate-$n")"
		grep -q "after-rotate-" "$DDIR/access.log" 2>/dev/null
	}
	check "USR1: new requests go to the fresh access log" \
	    wait_until 10 landed
	last=$n
	check "USR1: the last request is not in the old log" \
	    test "$(grep -c "after-rotate-$last " "$DDIR/access.log.1")" = 0
	check "USR1: the old log kept its lines" \
	    grep -q before-rotate "$DDIR/access.log.1"
	check "USR1: a fresh error log is created" \
	    wait_until 10 test -e "$DDIR/error.log"
	mv "$DDIR/access.log" "$DDIR/access.log.2"
	timeout 10 "$MINIHTTPD" -c "$CONF" -s reopen
	check_eq "-s reopen exits 0" 0 "$?"
	check "-s reopen: a fresh access log is created" \
	    wait_until 10 test -e "$DDIR/access.log"
	expect_status "after USR1: serving" 200 "$(url /)"
	daemon_stop usr1
}

# ---------------------------------------------------------------------
# QUIT: a graceful stop finishes the response in flight.
test_quit_drains() {
	local workers dl idle out=$CASE_DIR/big.out idle_out=$CASE_DIR/idle.out

	case_roots big
	daemon_start quit "$ROOT_A_LINE" "$TIMEOUTS" ||
	    { fail "daemon for QUIT starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	workers=$(live_children "$DPID")
	curl -s --max-time 30 --limit-rate 3M -o "$out" "$(url /big.bin)" &
	dl=$!
	bg_track "$dl"
	# The download is under way once its first bytes are through.
	wait_until 5 test -s "$out"
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
	    "$RAWHTTP" -k -t 20 "$PORT" > "$idle_out" &
	idle=$!
	bg_track "$idle"
	wait_until 5 grep -q '^HTTP/1.1 200' "$idle_out"
	kill -QUIT "$DPID"
	daemon_forget quit
	wait "$dl"
	check_eq "QUIT: the download in flight completes" 0 "$?"
	check "QUIT: the download in flight is byte-exact" \
	    cmp -s "$ROOT_A/big.bin" "$out"
	# shellcheck disable=SC2086
	check "QUIT: master and workers gone" wait_gone 15 "$DPID" $workers
	check "QUIT: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
	wait "$idle"
	check_eq "QUIT: an idle keep-alive connection is closed" 0 "$?"
	check "QUIT: port closed" test "$(http_code "$PORT")" = 000
}

e2e_run "$@"
