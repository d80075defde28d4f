#!/bin/bash
#
# process: the master and its workers (DESIGN.md section 1).  Worker
# count and respawn, TERM/INT/QUIT stops, the pid file, daemonized start
# with "-s" signals, no orphan workers when the master is killed, HUP
# reloads (good and broken configurations, with clients running during
# the reload), and USR1 log reopening.  Every wait is bounded; processes
# are found only through recorded pids and "pgrep -P".

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

# Short drains keep the suite fast.
TIMEOUTS='timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 3; };'

printf 'A' > "$T/root/ver.txt"
head -c 8388608 /dev/urandom > "$T/root/big.bin"

# count_is PID N: PID has exactly N live children.
count_is() {
	[ "$(live_children "$1" | wc -l)" -eq "$2" ]
}

pidfile_is() {	# pidfile_is FILE PID
	[ -s "$1" ] && [ "$(tr -d ' \n' < "$1")" = "$2" ]
}

body() {	# body PATH: the current daemon's body for PATH
	curl -s --max-time 5 "$(url "$1")"
}

# ---------------------------------------------------------------------
# Workers: count, respawn after SIGKILL, TERM stops everything.
daemon_start w3 'workers = 3;' "$TIMEOUTS" ||
    { fail "daemon with 3 workers starts" "see above"; finish; }
if wait_until 10 count_is "$DPID" 3; then
	ok "workers = 3: the master has 3 children"
else
	fail "workers = 3: the master has 3 children" \
	    "children: $(live_children "$DPID" | paste -sd' ')"
fi
check "pid file holds the master's pid" pidfile_is "$DDIR/pid" "$DPID"
old=$(live_children "$DPID")
victim=$(head -n 1 <<< "$old")
kill -KILL "$victim"
respawned() {
	count_is "$DPID" 3 && ! live_children "$DPID" | grep -qx "$victim"
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
for w in $(live_children "$DPID"); do
	kill -KILL "$w"
done
if wait_until 10 count_is "$DPID" 3; then
	ok "three SIGKILLed workers are replaced"
else
	fail "three SIGKILLed workers are replaced" \
	    "children: $(live_children "$DPID" | paste -sd' ')"
fi
check "service continues after all workers died" \
    wait_until 10 test "$(http_code "$PORT")" = 200
workers=$(live_children "$DPID")
kill -TERM "$DPID"
# shellcheck disable=SC2086
check "TERM: master and workers gone" wait_gone 10 "$DPID" $workers
check "TERM: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
check "TERM: port closed" test "$(http_code "$PORT")" = 000

# INT is a fast stop too, even with a client holding a keep-alive
# connection.
daemon_start int "$TIMEOUTS" ||
    { fail "daemon for INT starts" "see above"; finish; }
workers=$(live_children "$DPID")
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
    "$RAWHTTP" -k -t 20 "$PORT" > "$T/int.out" &
holder=$!
bg_track "$holder"
wait_until 5 grep -q '^HTTP/1.1 200' "$T/int.out"
kill -INT "$DPID"
# shellcheck disable=SC2086
check "INT with an open keep-alive connection: all gone" \
    wait_gone 10 "$DPID" $workers
check "INT: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
wait "$holder"
check_eq "INT: the held connection is closed" 0 "$?"

# ---------------------------------------------------------------------
# Daemonized start and -s.
daemon_prepare bg "$TIMEOUTS" || { fail "port" "none free"; finish; }
timeout 20 "$MINIHTTPD" -c "$CONF" > "$DDIR/out" 2>&1
check_eq "daemonized start exits 0" 0 "$?"
if wait_until 10 test -s "$DDIR/pid"; then
	mpid=$(tr -d ' \n' < "$DDIR/pid")
	daemon_adopt bg "$mpid"
	ok "daemonized start writes the pid file"
	check "the pid file names a running minihttpd" is_ours "$mpid"
	check "daemonized master answers" wait_http 10 "$PORT" "$mpid"
	check "daemonized master has its workers" wait_until 10 count_is "$mpid" 2
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
	# shellcheck disable=SC2086
	check "-s stop: master and workers gone" wait_gone 10 "$mpid" $workers
	check "-s stop: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
else
	fail "daemonized start writes the pid file" "no $DDIR/pid"
fi
timeout 10 "$MINIHTTPD" -c "$CONF" -s stop > "$DDIR/out3" 2>&1
rc=$?
check "-s stop without a running master fails" test "$rc" -ne 0
check "-s stop without a master says why" test -s "$DDIR/out3"
timeout 10 "$MINIHTTPD" -c "$CONF" -s bogus > "$DDIR/out4" 2>&1
rc=$?
check "-s with an unknown signal fails" test "$rc" -ne 0
check "-s with an unknown signal names it" grep -q bogus "$DDIR/out4"

# ---------------------------------------------------------------------
# SIGKILL to the master: no worker survives it.
daemon_start orphan 'workers = 3;' "$TIMEOUTS" ||
    { fail "daemon for SIGKILL starts" "see above"; finish; }
wait_until 10 count_is "$DPID" 3
workers=$(live_children "$DPID")
disown "$DPID" 2>/dev/null	# no "Killed" job notice in the log
kill -KILL "$DPID"
# shellcheck disable=SC2086
check "SIGKILL to the master: every worker exits" wait_gone 10 $workers
check "SIGKILL to the master: the port stops answering" \
    wait_until 10 test "$(http_code "$PORT")" = 000

# ---------------------------------------------------------------------
# HUP: reload to a new root while clients keep fetching.
mkdir -p "$T/rootB"
printf '<html>B</html>\n' > "$T/rootB/index.html"
printf 'B' > "$T/rootB/ver.txt"
daemon_start reload "$TIMEOUTS" ||
    { fail "daemon for HUP starts" "see above"; finish; }
check_eq "before HUP: old content" A "$(body /ver.txt)"
gen1=$(live_children "$DPID")
stop=$T/reload.stop
# New connections in a loop, and one keep-alive connection at 20/s.
(
	for ((i = 0; i < 600; i++)); do
		[ -e "$stop" ] && break
		curl -s --max-time 5 -w ' %{http_code}\n' "$(url /ver.txt)" ||
		    echo " curl-exit-$?"
	done
) > "$T/loop.new" 2>&1 &
bg_track "$!"
loop1=$!
urls=()
for ((i = 0; i < 100; i++)); do
	urls+=("$(url /ver.txt)")
done
curl -s --max-time 30 --rate 20/s -w ' %{http_code}\n' "${urls[@]}" \
    > "$T/loop.ka" 2>&1 &
loop2=$!
bg_track "$loop2"
sleep 1
write_conf reload "document_root = \"$T/rootB\";" "$TIMEOUTS"
kill -HUP "$DPID"
check "HUP: new root served" wait_until 10 test "$(body /ver.txt)" = B
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
sleep 1
touch "$stop"
wait "$loop1"
wait "$loop2"
n=$(wc -l < "$T/loop.new")
bad=$(grep -cvxE '[AB] 200' "$T/loop.new")
check "HUP: the request loop ran ($n requests)" test "$n" -gt 5
check_eq "HUP: no failed request on new connections" 0 "$bad"
grep -vxE '[AB] 200' "$T/loop.new" | head -n 5 | sed 's/^/# /'
n=$(wc -l < "$T/loop.ka")
bad=$(grep -cvxE '[AB] 200' "$T/loop.ka")
check_eq "HUP: keep-alive client got 100 responses" 100 "$n"
check_eq "HUP: no failed request on the keep-alive connection" 0 "$bad"
grep -vxE '[AB] 200' "$T/loop.ka" | head -n 5 | sed 's/^/# /'
check "HUP: the old content was seen by the loop" \
    grep -q '^A' "$T/loop.new"
check "HUP: the new content was seen by the loop" \
    grep -q '^B' "$T/loop.new"

# HUP with a broken configuration: the old one keeps running.
gen2=$(live_children "$DPID")
cp "$CONF" "$T/good.conf"
{
	cat "$T/good.conf"
	echo 'no_such_key = 1;'
} > "$CONF"
bad_line=$(grep -n no_such_key "$CONF" | cut -d: -f1)
kill -HUP "$DPID"
check "broken HUP: the error log names the problem" \
    wait_until 10 grep -q "no_such_key" "$DDIR/error.log"
check "broken HUP: the error log names file and line" \
    grep -qF "$CONF:$bad_line:" "$DDIR/error.log"
check_eq "broken HUP: old content still served" B "$(body /ver.txt)"
check "broken HUP: master alive" alive "$DPID"
sleep 0.5
check_eq "broken HUP: same workers" "$gen2" "$(live_children "$DPID")"
# A root that does not exist is refused the same way; "-s reload"
# waits for the master's verdict and reports the failure.
write_conf reload "document_root = \"$T/nonexistent\";" "$TIMEOUTS"
timeout 20 "$MINIHTTPD" -c "$CONF" -s reload > "$T/reload.out" 2>&1
check_eq "-s reload to a missing root: exits 1" 1 "$?"
check "-s reload to a missing root: says why" test -s "$T/reload.out"
check "HUP to a missing root: the error log says so" \
    wait_until 10 grep -q "nonexistent" "$DDIR/error.log"
check_eq "HUP to a missing root: same workers" "$gen2" \
    "$(live_children "$DPID")"
check_eq "HUP to a missing root: old content still served" B \
    "$(body /ver.txt)"
# A good configuration afterwards is taken, with another worker count
# and a second address.
port2=$(random_port)
write_conf reload "listen = [ \"127.0.0.1:$PORT\", \"127.0.0.1:$port2\" ];" \
    'workers = 3;' 'index = [ "ver.txt" ];' "$TIMEOUTS"
kill -HUP "$DPID"
check "HUP: new index served" wait_until 10 test "$(body /)" = A
check "HUP: new listen address answers" \
    wait_until 10 test "$(http_code "$port2" /ver.txt)" = 200
check "HUP: three workers after the reload" \
    wait_until 15 count_is "$DPID" 3
check_eq "HUP: the old address still answers" 200 "$(http_code "$PORT")"
timeout 20 "$MINIHTTPD" -c "$CONF" -s reload > "$T/reload.out" 2>&1
check_eq "-s reload exits 0" 0 "$?"
check "-s reload reports the reload" grep -qi 'reloaded' "$T/reload.out"
expect_status "after -s reload: serving" 200 "$(url /)"

# ---------------------------------------------------------------------
# USR1: reopen the logs after logrotate renamed them.
curl -s -o /dev/null --max-time 5 "$(url /before-rotate)"
wait_until 5 grep -q before-rotate "$DDIR/access.log"
mv "$DDIR/access.log" "$DDIR/access.log.1"
mv "$DDIR/error.log" "$DDIR/error.log.1"
kill -USR1 "$DPID"
check "USR1: a fresh access log is created" \
    wait_until 10 test -e "$DDIR/access.log"
# The workers may reopen a little after the master: retry until a marker
# lands in the new file.
n=0
landed() {
	n=$((n + 1))
	curl -s -o /dev/null --max-time 5 "$(url "/after-rotate-$n")"
	grep -q "after-rotate-" "$DDIR/access.log" 2>/dev/null
}
check "USR1: new requests go to the fresh access log" wait_until 10 landed
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

# ---------------------------------------------------------------------
# QUIT: a graceful stop finishes the response in flight.
workers=$(live_children "$DPID")
curl -s --max-time 30 --limit-rate 3M -o "$T/big.out" "$(url /big.bin)" &
dl=$!
bg_track "$dl"
sleep 0.5
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
    "$RAWHTTP" -k -t 20 "$PORT" > "$T/quit-idle.out" &
idle=$!
bg_track "$idle"
wait_until 5 grep -q '^HTTP/1.1 200' "$T/quit-idle.out"
kill -QUIT "$DPID"
wait "$dl"
check_eq "QUIT: the download in flight completes" 0 "$?"
check "QUIT: the download in flight is byte-exact" \
    cmp -s "$T/root/big.bin" "$T/big.out"
# shellcheck disable=SC2086
check "QUIT: master and workers gone" wait_gone 15 "$DPID" $workers
check "QUIT: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
wait "$idle"
check_eq "QUIT: an idle keep-alive connection is closed" 0 "$?"
check "QUIT: port closed" test "$(http_code "$PORT")" = 000

finish
