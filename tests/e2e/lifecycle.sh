#!/bin/bash
#
# lifecycle: the demanding side of the process model (minihttpd(8),
# SIGNALS; ARCHITECTURE, "Processes"), where process.sh checks the simple cases.  Reloads under wrk load
# with no failed request (also while the worker count changes), reloads
# that the configuration parser or the master refuses (also a file that
# became a directory), the pid file as a lock (stale pids, a second
# instance, a restart after KILL), QUIT during a
# throttled download and with a client that stopped reading, TERM with
# clients connected (also during a QUIT drain), SIGKILL of the master, the
# crash-loop back-off, log rotation under load, running out of file
# descriptors, limits.max_connections, privileges, the systemd notify
# protocol, socket activation, and a keep-alive connection that lives
# through a reload.
#
# Daemons: no fixture.  Every case reloads, signals, stops or starves
# its daemon, or needs a configuration of its own, so each starts a
# private one named after it (load, loadw, parse, refuse, confdir,
# stale, stalesig, lockfirst, killed, restart, quit, term,
# qdl, tdq, orphan, crash, rot, emfile, maxc, priv, rootw, nouser,
# notify, sa, ka) and stops it, or forgets it when it made it exit.
# The files a case serves are made by case_roots under
# $T/root/CASE (and $T/root/CASE-B); scratch files go in $CASE_DIR.
#
# Every wait is bounded and waits for a condition (the one fixed sleep
# left measures CPU time over a window: see emfile), every client is
# loopback-only, and processes are found only through recorded pids and
# "pgrep -P" (see lib.sh).

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

NOTIFYSOCK=$top_builddir/tests/notifysock
SOCKETACT=$top_builddir/tests/socketact

e2e_init "$MINIHTTPD" "$RAWHTTP" "$NOTIFYSOCK" "$SOCKETACT"

TIMEOUTS='timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 5; };'
# Idle connections that the test holds must outlive the test.
LONG_TIMEOUTS='timeouts = { header = 30; keepalive = 30; send = 10;
    shutdown = 5; };'
INFO='log_level = "info";'

# ---------------------------------------------------------------------
# Helpers

# ticks PID: user + system CPU time of PID in clock ticks (fields 14 and
# 15 of /proc/PID/stat, counted after the parenthesised name).
ticks() {
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk '{ print $12 + $13 }'
}

# now_ms: a monotonic-enough wall clock in milliseconds.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

body() {	# body PATH: the current daemon's body for PATH
	curl -s --max-time 5 "$(url "$1")"
}

# all_gone PID...: none of the pids is alive.
all_gone() {
	local p

	for p in "$@"; do
		alive "$p" && return 1
	done
	return 0
}

# server_conns PORT: the server's side of the TCP connections to PORT
# that are established, one "TX_QUEUE" (hex) a line, from /proc/net/tcp
# and tcp6.
server_conns() {
	local hex

	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
	    awk -v p="$hex" '$4 == "01" { n = split($2, a, ":")
		if (a[n] == p) { split($5, q, ":"); print q[1] } }'
}

# conns_at_least N: N connections to the current daemon are established.
conns_at_least() {
	[ "$(server_conns "$PORT" | wc -l)" -ge "$1" ]
}

# stalled: the daemon holds response bytes that a connection does not
# take (a send queue that is not empty: the client's window is shut).
stalled() {
	server_conns "$PORT" | grep -qv '^0*$'
}

# serving GEN: the current daemon logged that generation GEN accepts
# (needs log_level "info").
serving() {
	grep -q "serving: generation $1," "$DDIR/error.log"
}

# none_holds FILE PID...: none of the processes has FILE open.
none_holds() {
	local f=$1 p

	shift
	for p in "$@"; do
		ls -l "/proc/$p/fd" 2>/dev/null
	done | awk -v f="$f" '$NF == f { held = 1 } END { exit held }'
}

# uids PID: the Uid line of /proc/PID/status, tab-separated fields as
# spaces ("0 0 0 0").  gids PID: the same for Gid, groups PID: Groups.
uids() {
	awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$1/status" \
	    2>/dev/null
}
gids() {
	awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "/proc/$1/status" \
	    2>/dev/null
}
groups_of() {
	awk '$1 == "Groups:" { $1 = ""; sub(/^ /, ""); print }' \
	    "/proc/$1/status" 2>/dev/null
}

# slow_get URL OUT: download URL to OUT at about 2 MB/s in the
# background; sets SLOW_PID.  curl --limit-rate alone lets the first
# megabytes through at full speed, and the socket buffers of the loopback
# then hold the rest, so the server would be done in a few milliseconds:
# the pipe into a paced reader keeps curl from reading faster, so that
# the server really is still sending for a couple of seconds.  (The
# reader's pause between reads is the pace under test, not a wait.)
slow_get() {
	if command -v perl >/dev/null; then
		( curl -s --max-time 30 --limit-rate 2M "$1" |
		    perl -e 'while (sysread(STDIN, $b, 16384)) {
			syswrite(STDOUT, $b);
			select(undef, undef, undef, 0.008); }' > "$2" ) &
	else
		curl -s --max-time 30 --limit-rate 2M -o "$2" "$1" &
	fi
	SLOW_PID=$!
	bg_track "$SLOW_PID"
}

# ka_open: a keep-alive connection to the current daemon from this shell;
# sets KA (the fd).  ka_get FD PATH: one request on it; prints "STATUS
# BODY" (empty on failure).  ka_close FD.
ka_open() {
	exec {KA}<>"/dev/tcp/127.0.0.1/$PORT"
}

ka_get() {
	local fd=$1 line st len=0 b=""
	local LC_ALL=C

	printf 'GET %s HTTP/1.1\r\nHost: lifecycle\r\n\r\n' "$2" 1>&"$fd" \
	    2>/dev/null || return 1
	IFS= read -r -t 5 -u "$fd" line || return 1
	line=${line%$'\r'}
	st=$(awk '{ print $2 }' <<< "$line")
	while IFS= read -r -t 5 -u "$fd" line; do
		line=${line%$'\r'}
		[ -z "$line" ] && break
		if [[ ${line,,} =~ ^content-length:\ *([0-9]+) ]]; then
			len=${BASH_REMATCH[1]}
		fi
	done
	if [ "$len" -gt 0 ]; then
		IFS= read -r -N "$len" -t 5 -u "$fd" b || return 1
	fi
	echo "$st $b"
}

# hold N: opens N connections to the current daemon from this shell and
# keeps them open; their fds go to HELD.  release: closes them.
HELD=()
hold() {
	local i fd

	for ((i = 0; i < $1; i++)); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || return 1
		HELD+=("$fd")
	done
}

release() {
	local fd

	for fd in "${HELD[@]}"; do
		exec {fd}>&-
	done
	HELD=()
}

# stall: a connection from this shell that asks for big.bin and never
# reads, so that the response stalls once the socket buffers are full;
# sets STALL (the fd).
stall() {
	exec {STALL}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' 1>&"$STALL"
}

# wrk_run OUT: wrk against index.html in the background, with 64
# connections, until wrk_stop (60 s at most); sets WRK_PID.  Returns
# once the 64 connections are established (bounded).
wrk_run() {
	timeout 90 wrk -t2 -c64 -d60s --latency "$(url /index.html)" \
	    > "$1" 2>&1 &
	WRK_PID=$!
	bg_track "$WRK_PID"
	wait_until 10 conns_at_least 64
}

# grown FILE SIZE: FILE is larger than SIZE bytes.
grown() {
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt "$2" ]
}

# wrk_stop: once the current daemon has answered more of wrk's requests
# (its access log grew), INT stops wrk, which then prints its report.
wrk_stop() {
	local size

	size=$(stat -c %s "$DDIR/access.log" 2>/dev/null || echo 0)
	wait_until 5 grown "$DDIR/access.log" "$size"
	kill -INT "$WRK_PID" 2>/dev/null
	wait_gone 15 "$WRK_PID"
	wait "$WRK_PID"
}

# wrk_check NAME OUT: no socket error, no non-2xx/3xx response, some
# requests; reports the figures.
wrk_check() {
	local name=$1 out=$2 reqs errs non

	reqs=$(awk '/requests in/ { print $1 }' "$out")
	errs=$(awk '/Socket errors:/ {
	    for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s }' \
	    "$out")
	non=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")
	echo "# $name: ${reqs:-0} requests, ${errs:-0} socket errors," \
	    "${non:-0} non-2xx/3xx, $(awk '/Requests\/sec/ { print $2 }' \
	    "$out") req/s"
	grep -E 'Socket errors|Non-2xx' "$out" | sed 's/^ */# | /'
	check "$name: wrk made requests (${reqs:-0})" test "${reqs:-0}" -gt 0
	check_eq "$name: no socket errors" 0 "${errs:-0}"
	check_eq "$name: no non-2xx or 3xx responses" 0 "${non:-0}"
	if [ -z "$reqs" ]; then
		sed 's/^/# | /' "$out"
	fi
}

# hup_loop NAME [workers]: 20 HUPs to the current daemon (started as
# generation 1, log_level "info"), each sent once the generation of the
# previous one serves, while the generations before it may still be
# retiring; with "workers", workers = 1, 2, 3, 4, 1... is written before
# each HUP.  Every worker seen goes to SEEN.  Checks that each new
# generation served within 10 s.
hup_loop() {
	local name=$1 i gen=1 late=()

	SEEN=()
	for ((i = 0; i < 20; i++)); do
		mapfile -t -O "${#SEEN[@]}" SEEN < <(live_children "$DPID")
		if [ "${2:-}" = workers ]; then
			write_conf "$DNAME" "workers = $((i % 4 + 1));" \
			    "$ROOT_A_LINE" "$INFO" "$TIMEOUTS"
		fi
		kill -HUP "$DPID"
		gen=$((gen + 1))
		wait_until 10 serving "$gen" || late+=("$gen")
	done
	check_eq "$name: each new generation serves within 10 s" "" \
	    "${late[*]}"
}

# gens_settle NAME N SEEN...: the master has exactly N live workers and
# every other pid in SEEN (workers of earlier generations) is gone.
gens_settle() {
	local name=$1 n=$2 cur p old=()

	shift 2
	if wait_until 15 count_is "$DPID" "$n"; then
		ok "$name: $n live workers"
	else
		fail "$name: $n live workers" \
		    "children: $(live_children "$DPID" | paste -sd' ')"
	fi
	cur=$(live_children "$DPID")
	for p in "$@"; do
		grep -qx "$p" <<< "$cur" || old+=("$p")
	done
	if wait_gone 15 "${old[@]}"; then
		ok "$name: the ${#old[@]} workers of older generations are gone"
	else
		fail "$name: the workers of older generations are gone" \
		    "still alive: $(for p in "${old[@]}"; do
			alive "$p" && echo "$p"; done | paste -sd' ')"
	fi
}

# ---------------------------------------------------------------------
# Zero-loss reload: 20 HUPs under wrk load, then the same while the
# worker count changes between reloads.

test_reload_under_load() {
	local n

	if ! command -v wrk >/dev/null; then
		skip "reload under wrk load" "wrk is not installed"
		return
	fi
	case_roots
	daemon_start load 'workers = 2;' "$ROOT_A_LINE" "$INFO" "$TIMEOUTS" ||
	    { fail "load: daemon starts" "see above"; return; }
	wrk_run "$CASE_DIR/wrk.out"
	hup_loop "20 HUPs under load"
	wrk_stop
	wrk_check "20 HUPs under load" "$CASE_DIR/wrk.out"
	n=$(grep -c 'reloaded: generation' "$DDIR/error.log")
	check_eq "20 HUPs under load: 20 reloads logged" 20 "$n"
	check "20 HUPs under load: master alive" alive "$DPID"
	gens_settle "20 HUPs under load" 2 "${SEEN[@]}"
	daemon_stop load
}

# The same, with workers = 1, 2, 3, 4, 1, ... written before each HUP.
test_reload_workers_under_load() {
	local n

	if ! command -v wrk >/dev/null; then
		skip "reload changing workers under wrk load" \
		    "wrk is not installed"
		return
	fi
	case_roots
	daemon_start loadw 'workers = 2;' "$ROOT_A_LINE" "$INFO" \
	    "$TIMEOUTS" || { fail "loadw: daemon starts" "see above"; return; }
	wrk_run "$CASE_DIR/wrk.out"
	hup_loop "20 HUPs changing workers under load" workers
	wrk_stop
	wrk_check "20 HUPs changing workers under load" "$CASE_DIR/wrk.out"
	n=$(grep -c 'reloaded: generation' "$DDIR/error.log")
	check_eq "20 HUPs changing workers: 20 reloads logged" 20 "$n"
	gens_settle "20 HUPs changing workers (last: 4)" 4 "${SEEN[@]}"
	expect_status "after the reloads: serving" 200 "$(url /index.html)"
	daemon_stop loadw
}

# ---------------------------------------------------------------------
# Broken configurations on "-s reload".

# The parser's errors: "-s" parses the file itself and refuses before
# signalling anything.
test_reload_parse_errors() {
	local gen1 line out rc good=$CASE_DIR/good.conf

	case_roots
	daemon_start parse "$ROOT_A_LINE" "$TIMEOUTS" ||
	    { fail "parse: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")
	cp "$CONF" "$good"

	# An unknown key, then a syntax error.
	{ cat "$good"; echo 'no_such_key = 1;'; } > "$CONF"
	line=$(grep -n no_such_key "$CONF" | cut -d: -f1)
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check "-s reload, unknown key: exits non-zero ($rc)" test "$rc" -ne 0
	check "-s reload, unknown key: names $CONF:$line" \
	    grep -qF "$CONF:$line" <<< "$out"
	check "-s reload, unknown key: names the key" \
	    grep -q no_such_key <<< "$out"
	{ cat "$good"; echo 'workers = = 3;'; } > "$CONF"
	line=$(grep -n 'workers = =' "$CONF" | cut -d: -f1)
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check "-s reload, syntax error: exits non-zero ($rc)" test "$rc" -ne 0
	check "-s reload, syntax error: names $CONF:$line" \
	    grep -qF "$CONF:$line" <<< "$out"
	check_eq "parser errors: old content still served" A \
	    "$(body /ver.txt)"
	check_eq "parser errors: same workers" "$gen1" \
	    "$(live_children "$DPID")"
	daemon_stop parse
}

# Configurations that parse but that the master refuses (a missing
# root, an address another socket holds), then a good one, which is
# generation 2 as failures do not count.
test_reload_refused() {
	local gen1 out rc busy holder

	case_roots
	daemon_start refuse "$ROOT_A_LINE" "$TIMEOUTS" ||
	    { fail "refuse: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")

	# A missing root...
	write_conf refuse "document_root = \"$T/no-such-root\";" "$TIMEOUTS"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check_eq "-s reload, missing root: exits 1" 1 "$rc"
	check "-s reload, missing root: says \"reload failed\"" \
	    grep -q 'reload failed' <<< "$out"
	check "-s reload, missing root: names the root" \
	    grep -q "no-such-root" <<< "$out"
	check "missing root: the error log says reload failed" \
	    grep -q "reload failed.*no-such-root" "$DDIR/error.log"
	check_eq "missing root: old content still served" A "$(body /ver.txt)"
	check_eq "missing root: same workers" "$gen1" \
	    "$(live_children "$DPID")"

	# ... and an address that another socket holds.
	busy=$(random_port)
	# socketact execs without a PATH search.  The program it runs only
	# keeps the socket open: "sleep 60" is the holder, not a wait.
	"$SOCKETACT" "$busy" "$(command -v sleep)" 60 \
	    > "$CASE_DIR/busy.out" 2>&1 &
	holder=$!
	bg_track "$holder"
	if ! wait_until 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$busy" \
	    2>/dev/null; then
		fail "a socket holds port $busy" \
		    "socketact did not listen: $(cat "$CASE_DIR/busy.out")"
	fi
	write_conf refuse \
	    "listen = [ \"127.0.0.1:$PORT\", \"127.0.0.1:$busy\" ];" \
	    "$ROOT_B_LINE" "$TIMEOUTS"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check_eq "-s reload, address in use: exits 1" 1 "$rc"
	check "-s reload, address in use: says \"reload failed\"" \
	    grep -q 'reload failed' <<< "$out"
	check "-s reload, address in use: names the address" \
	    grep -q "127.0.0.1:$busy" <<< "$out"
	check "-s reload, address in use: gives the reason" \
	    grep -qi "in use" <<< "$out"
	check_eq "address in use: old content still served" A \
	    "$(body /ver.txt)"
	check_eq "address in use: same workers" "$gen1" \
	    "$(live_children "$DPID")"
	kill -TERM "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null

	# A good one is taken: generation 2, as failures do not count.
	write_conf refuse "$ROOT_B_LINE" "$TIMEOUTS"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check_eq "-s reload, good config: exits 0" 0 "$rc"
	check "-s reload, good config: prints \"reloaded: generation 2\"" \
	    grep -q 'reloaded: generation 2\b' <<< "$out"
	[ "$rc" = 0 ] || echo "# -s reload said: $out"
	check_eq "good config: new content served" B "$(body /ver.txt)"
	# shellcheck disable=SC2086
	check "good config: the old workers are gone" wait_gone 10 $gen1
	daemon_stop refuse
}

# The configuration path turns into a directory (an editor's or a
# deployment's rename gone wrong).  libconfig's scanner, handed the
# directory, used to exit the whole master ("input in flex scanner
# failed").  The reload must fail, say why in the log and keep serving.
test_reload_conf_directory() {
	local gen1 out rc

	case_roots
	daemon_start confdir "$ROOT_A_LINE" "$INFO" "$TIMEOUTS" ||
	    { fail "confdir: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")
	mv "$CONF" "$CONF.bak"
	mkdir "$CONF"
	kill -HUP "$DPID"
	check "HUP, the file is a directory: the log says reload failed" \
	    wait_until 10 logged "reload failed" "$CONF: is a directory"
	check "HUP, the file is a directory: the master still runs" \
	    alive "$DPID"
	check_eq "HUP, the file is a directory: old content still served" A \
	    "$(body /ver.txt)"
	check_eq "HUP, the file is a directory: same workers" "$gen1" \
	    "$(live_children "$DPID")"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check_eq "-s reload, the file is a directory: exits 1" 1 "$rc"
	check "-s reload, the file is a directory: says so" \
	    grep -qF "$CONF: is a directory" <<< "$out"
	rmdir "$CONF"
	mv "$CONF.bak" "$CONF"
	# The same master takes the next good configuration.
	write_conf confdir "$ROOT_B_LINE" "$INFO" "$TIMEOUTS"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	check_eq "then a good file: -s reload exits 0" 0 "$?"
	check_eq "then a good file: new content served" B "$(body /ver.txt)"
	daemon_stop confdir
}

# logged TEXT1 TEXT2: one line of the current daemon's error log holds
# both (fixed strings).
logged() {
	grep -F -- "$1" "$DDIR/error.log" 2>/dev/null | grep -qF -- "$2"
}

# ---------------------------------------------------------------------
# The pid file is a lock held by the master: its pid alone says nothing
# once the master was killed and the number was given to another
# process.

# pid_in FILE PID: FILE holds PID.
pid_in() {
	[ "$(tr -d ' \n' < "$1" 2>/dev/null)" = "$2" ]
}

# A stale pid file that names a live process that is not minihttpd (a
# "sleep" of this script): start-up must not take it for a running
# master, and must leave that process alone.
test_pidfile_stale_start() {
	local holder out

	sleep 60 &
	holder=$!
	bg_track "$holder"
	daemon_prepare stale "$TIMEOUTS" || { fail "port" "none free"; return; }
	echo "$holder" > "$DDIR/pid"
	"$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1 &
	daemon_adopt stale "$!"
	if wait_http "$E2E_START_WAIT" "$PORT" "$DPID"; then
		ok "start with a stale pid file naming a live process"
	else
		fail "start with a stale pid file naming a live process" \
		    "$(cat "$DDIR/out" "$DDIR/error.log" 2>/dev/null | tail -n 3)"
		daemon_forget stale
		kill -TERM "$holder" 2>/dev/null
		return
	fi
	check "stale pid file: now holds the master's pid" \
	    wait_until 5 pid_in "$DDIR/pid" "$DPID"
	check "stale pid file: the process it named lives on" alive "$holder"
	kill -TERM "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	check_eq "-s reload finds the new master" 0 "$?"
	out=$(timeout 20 "$MINIHTTPD" -s stop -c "$CONF" 2>&1)
	check_eq "-s stop finds the new master" 0 "$?"
	daemon_forget stale
	check "-s stop: the master is gone" wait_gone 10 "$DPID"
	check "-s stop: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
}

# The same stale file and no master: -s must not signal the process it
# names.
test_pidfile_stale_signal() {
	local holder out rc sig

	sleep 60 &
	holder=$!
	bg_track "$holder"
	daemon_prepare stalesig "$TIMEOUTS" ||
	    { fail "port" "none free"; return; }
	echo "$holder" > "$DDIR/pid"
	for sig in stop reopen; do
		out=$(timeout 10 "$MINIHTTPD" -s "$sig" -c "$CONF" 2>&1)
		rc=$?
		check_eq "-s $sig, stale pid file: exits 1" 1 "$rc"
		check "-s $sig, stale pid file: says it is stale" \
		    grep -q "stale" <<< "$out"
		check "-s $sig, stale pid file: the process it names lives on" \
		    wait_until 1 alive "$holder"
	done
	kill -TERM "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
}

# A second master on the same pid file (another port, so that only the
# lock can stop it), in the foreground and daemonizing.
test_pidfile_second_instance() {
	local first port2 conf2 rc mode

	daemon_start lockfirst "$TIMEOUTS" ||
	    { fail "lockfirst: daemon starts" "see above"; return; }
	first=$DPID
	wait_until 5 pid_in "$DDIR/pid" "$first"
	port2=$(random_port)
	conf2=$CASE_DIR/second.conf
	conf_text "$DDIR" "$port2" "error_log = \"$CASE_DIR/error.log\";" \
	    "access_log = \"$CASE_DIR/access.log\";" "$TIMEOUTS" > "$conf2"
	for mode in -F ""; do
		rm -f "$CASE_DIR/error.log"
		# shellcheck disable=SC2086
		timeout 20 "$MINIHTTPD" $mode -c "$conf2" \
		    > "$CASE_DIR/out" 2>&1
		rc=$?
		cat "$CASE_DIR/error.log" >> "$CASE_DIR/out" 2>/dev/null
		check_eq "second instance ${mode:-daemonizing}: exits 1" 1 "$rc"
		check "second instance ${mode:-daemonizing}: already running" \
		    grep -qF "already running as pid $first" "$CASE_DIR/out"
		check "second instance ${mode:-daemonizing}: nothing listens" \
		    test "$(http_code "$port2")" = 000
		check "second instance ${mode:-daemonizing}: pid file kept" \
		    pid_in "$DDIR/pid" "$first"
	done
	daemon_stop lockfirst
}

# KILL leaves the pid file behind; a new master starts all the same,
# even while a worker of the killed one still lives (stopped here, so
# that its parent-death signal waits): workers must not keep the lock.
test_pidfile_after_kill() {
	local workers w1 w pidfile

	daemon_start killed 'workers = 2;' "$TIMEOUTS" ||
	    { fail "killed: daemon starts" "see above"; return; }
	pidfile=$DDIR/pid
	wait_until 10 count_is "$DPID" 2
	workers=$(live_children "$DPID")
	w1=$(echo "$workers" | head -n 1)
	kill -STOP "$w1"
	disown "$DPID" 2>/dev/null	# no "Killed" job notice in the log
	kill -KILL "$DPID"
	daemon_forget killed
	wait_gone 5 "$DPID"
	check "KILL: the pid file is left behind" test -s "$pidfile"
	check "KILL: a stopped worker outlives its master" alive "$w1"
	daemon_prepare restart "pid_file = \"$pidfile\";" "$TIMEOUTS" ||
	    { fail "port" "none free"; return; }
	"$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1 &
	daemon_adopt restart "$!"
	if wait_http "$E2E_START_WAIT" "$PORT" "$DPID"; then
		ok "after KILL of the master, a new one starts"
	else
		fail "after KILL of the master, a new one starts" \
		    "$(cat "$DDIR/out" "$DDIR/error.log" 2>/dev/null | tail -n 3)"
	fi
	check "after KILL: the pid file names the new master" \
	    wait_until 5 pid_in "$pidfile" "$DPID"
	for w in $workers; do
		alive "$w" && is_ours "$w" && kill -KILL "$w" 2>/dev/null
	done
	# shellcheck disable=SC2086
	check "the old workers are gone" wait_gone 5 $workers
	daemon_stop restart
}

# ---------------------------------------------------------------------
# Stops with clients connected.

# QUIT during a large, throttled download.
test_quit_download() {
	local workers t0 rc out=$CASE_DIR/quit.out

	case_roots big
	daemon_start quit "$ROOT_A_LINE" "$INFO" \
	    'timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 15; };' ||
	    { fail "quit: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	workers=$(live_children "$DPID")
	slow_get "$(url /big.bin)" "$out"
	# The download is under way once its first bytes are through.
	wait_until 5 test -s "$out"
	# The response must still be going out, or the test proves nothing
	# (the access log line is written when the last byte is sent).
	check "QUIT: the download is still in flight when QUIT is sent" \
	    test "$(grep -c big.bin "$DDIR/access.log")" = 0
	kill -QUIT "$DPID"
	daemon_forget quit
	t0=$(now_ms)
	refused() {
		curl -s -o /dev/null --max-time 1 "$(url /)"
		[ $? = 7 ]
	}
	if wait_until 3 refused; then
		ok "QUIT: new connections refused within $(($(now_ms) - t0)) ms"
	else
		fail "QUIT: new connections are refused within 3 s" \
		    "still accepted (and left unanswered) $(($(now_ms) - t0)) ms after QUIT; download still running: $(alive "$SLOW_PID" &&
		    echo yes || echo no)"
	fi
	wait "$SLOW_PID"
	rc=$?
	check_eq "QUIT: the download completes" 0 "$rc"
	check "QUIT: the download is byte-exact" \
	    cmp -s "$ROOT_A/big.bin" "$out"
	# shellcheck disable=SC2086
	check "QUIT: master and workers exit afterwards" \
	    wait_gone 20 "$DPID" $workers
	check "QUIT: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
	check_eq "QUIT: port closed" 000 "$(http_code "$PORT")"
}

# TERM with a slow download and an idle keep-alive connection.
test_term_busy() {
	local pids seen t0 ms holder idle=$CASE_DIR/idle.out

	case_roots big
	daemon_start term "$ROOT_A_LINE" "$INFO" "$TIMEOUTS" ||
	    { fail "term: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	seen=$(live_children "$DPID" | paste -sd' ')
	slow_get "$(url /big.bin)" "$CASE_DIR/term.out"
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
	    "$RAWHTTP" -k -t 30 "$PORT" > "$idle" &
	holder=$!
	bg_track "$holder"
	wait_until 5 grep -q '^HTTP/1.1 200' "$idle"
	# Both clients are connected: the download is under way.
	wait_until 5 test -s "$CASE_DIR/term.out"
	# Every worker seen during this test, not only the last ones.
	pids=$(echo "$DPID" "$seen" "$(live_children "$DPID")" | tr ' ' '\n' |
	    sort -un | paste -sd' ')
	kill -TERM "$DPID"
	daemon_forget term
	t0=$(now_ms)
	# shellcheck disable=SC2086
	if wait_gone 8 $pids; then
		ms=$(($(now_ms) - t0))
		ok "TERM with clients connected: the whole tree is gone in $ms ms"
	else
		fail "TERM with clients connected: the whole tree is gone within 8 s" \
		    "still alive: $(for p in $pids; do
			alive "$p" && echo "$p"; done | paste -sd' ')"
	fi
	# shellcheck disable=SC2086
	check "TERM: no recorded process of the tree survives" all_gone $pids
	check "TERM: pid file removed" wait_until 5 test ! -e "$DDIR/pid"
	if wait_gone 5 "$holder"; then
		ok "TERM: the idle keep-alive connection is closed"
	else
		fail "TERM: the idle keep-alive connection is closed" "open"
	fi
	wait_gone 10 "$SLOW_PID"
}

# QUIT with a client that stopped reading: the drain ends at
# timeouts.shutdown, not at timeouts.send.
test_quit_deadline() {
	local pids t0 ms

	case_roots big
	daemon_start qdl "$ROOT_A_LINE" "$INFO" \
	    'timeouts = { header = 5; keepalive = 5; send = 30; shutdown = 2; };' ||
	    { fail "qdl: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	stall
	wait_until 5 stalled
	pids="$DPID $(live_children "$DPID" | paste -sd' ')"
	kill -QUIT "$DPID"
	daemon_forget qdl
	t0=$(now_ms)
	# shellcheck disable=SC2086
	if wait_gone 6 $pids; then
		ms=$(($(now_ms) - t0))
		ok "QUIT with a stalled client: all gone in $ms ms (shutdown = 2)"
	else
		fail "QUIT with a stalled client: all gone within 6 s" \
		    "(timeouts.shutdown = 2)"
	fi
	exec {STALL}>&-
}

# TERM during a QUIT drain is still a fast stop.
test_term_during_quit() {
	local pids t0 ms

	case_roots big
	daemon_start tdq "$ROOT_A_LINE" "$INFO" \
	    'timeouts = { header = 5; keepalive = 5; send = 30; shutdown = 12; };' ||
	    { fail "tdq: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	stall
	wait_until 5 stalled
	pids="$DPID $(live_children "$DPID" | paste -sd' ')"
	kill -QUIT "$DPID"
	daemon_forget tdq
	wait_until 5 grep -q 'draining and stopping' "$DDIR/error.log"
	check "TERM during QUIT: the drain is still running" alive "$DPID"
	kill -TERM "$DPID"
	t0=$(now_ms)
	# shellcheck disable=SC2086
	if wait_gone 8 $pids; then
		ms=$(($(now_ms) - t0))
		ok "TERM during a QUIT drain: all gone in $ms ms"
	else
		fail "TERM during a QUIT drain: all gone within 8 s" \
		    "still alive after 8 s: $(for p in $pids; do
			alive "$p" && echo "$p"; done | paste -sd' ')"
	fi
	exec {STALL}>&-
	check "TERM during QUIT: pid file removed" \
	    wait_until 10 test ! -e "$DDIR/pid"
}

# ---------------------------------------------------------------------
# SIGKILL to the master: the parent-death signal reaches workers that
# dropped their privileges (a credential change clears it).
test_kill_master() {
	local workers w holder idle=$CASE_DIR/idle.out

	case_roots big
	daemon_start orphan 'workers = 3;' "$ROOT_A_LINE" "$INFO" \
	    "$TIMEOUTS" || { fail "orphan: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 3
	workers=$(live_children "$DPID")
	if [ "$(id -u)" = 0 ]; then
		for w in $workers; do
			check_eq "SIGKILL: worker $w runs as nobody first" \
			    "65534 65534 65534 65534" "$(uids "$w")"
		done
	fi
	slow_get "$(url /big.bin)" "$CASE_DIR/orphan.out"
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
	    "$RAWHTTP" -k -t 30 "$PORT" > "$idle" &
	holder=$!
	bg_track "$holder"
	wait_until 5 grep -q '^HTTP/1.1 200' "$idle"
	disown "$DPID" 2>/dev/null
	kill -KILL "$DPID"
	daemon_forget orphan
	# shellcheck disable=SC2086
	if wait_gone 5 $workers; then
		ok "SIGKILL to the master: every worker exits within 5 s"
	else
		fail "SIGKILL to the master: every worker exits within 5 s" \
		    "still alive: $(for w in $workers; do
			alive "$w" && echo "$w"; done | paste -sd' ')"
	fi
	check "SIGKILL to the master: the port stops answering" \
	    wait_until 5 code_is "$PORT" 000
	wait_gone 5 "$holder" "$SLOW_PID"
}

# ---------------------------------------------------------------------
# Crash loop: the back-off grows, the master does not spin, and the
# service comes back once the crashes stop.
test_crash_loop() {
	local t0 t1 i w killed=() gap=() delays m0 m1 k

	daemon_start crash 'workers = 1;' "$INFO" "$TIMEOUTS" ||
	    { fail "crash: daemon starts" "see above"; return; }
	m0=$(ticks "$DPID")
	newcomer() {
		local c

		for c in $(live_children "$DPID"); do
			for k in "${killed[@]}"; do
				[ "$c" = "$k" ] && continue 2
			done
			w=$c
			return 0
		done
		return 1
	}
	t1=""
	for ((i = 0; i < 6; i++)); do
		if ! wait_until 10 newcomer; then
			fail "crash loop: worker $((i + 1)) appears" "none"
			break
		fi
		t0=$(now_ms)
		[ -n "$t1" ] && gap+=($((t0 - t1)))
		kill -KILL "$w"
		killed+=("$w")
		t1=$(now_ms)
	done
	echo "# crash loop: killed ${#killed[@]} workers; kill-to-respawn" \
	    "gaps ${gap[*]} ms"
	check "crash loop: the error log says \"crashing repeatedly\"" \
	    wait_until 5 grep -q 'crashing repeatedly' "$DDIR/error.log"
	delays=$(sed -n 's/.*crashing repeatedly: next start in \([0-9]*\) ms.*/\1/p' \
	    "$DDIR/error.log" | paste -sd' ')
	echo "# crash loop: logged delays: $delays"
	if [ "$(wc -w <<< "$delays")" -ge 3 ] &&
	    awk '{ for (i = 2; i <= NF; i++) if ($i <= $(i - 1)) exit 1 }' \
	    <<< "$delays"; then
		ok "crash loop: the logged delays grow ($delays)"
	else
		fail "crash loop: the logged delays grow" "got [$delays]"
	fi
	# The last gap waited out the longest delay: the back-off is real.
	if [ "${#gap[@]}" -ge 5 ] && [ "${gap[4]}" -ge 300 ]; then
		ok "crash loop: the last respawn waited (${gap[4]} ms)"
	else
		fail "crash loop: the last respawn waited" "gaps: ${gap[*]}"
	fi
	check "crash loop: the master keeps running" alive "$DPID"
	check "crash loop: service resumes" wait_until 10 code_is "$PORT" 200
	m1=$(ticks "$DPID")
	if [ -n "$m0" ] && [ -n "$m1" ] && [ $((m1 - m0)) -lt 100 ]; then
		ok "crash loop: the master does not spin ($((m1 - m0)) ticks)"
	else
		fail "crash loop: the master does not spin" \
		    "${m0:-?} -> ${m1:-?} ticks"
	fi
	check "crash loop: one worker afterwards" \
	    wait_until 10 count_is "$DPID" 1
	daemon_stop crash
}

# ---------------------------------------------------------------------
# Log rotation under load: every request in exactly one of the files.
test_rotation() {
	local stop=$CASE_DIR/stop req=$CASE_DIR/req codes=$CASE_DIR/codes
	local i n want got dups pre post pids

	case_roots
	daemon_start rot "$ROOT_A_LINE" "$INFO" "$TIMEOUTS" ||
	    { fail "rot: daemon starts" "see above"; return; }
	: > "$req"
	: > "$codes"
	for ((i = 0; i < 5; i++)); do
		curl -s -o /dev/null --max-time 5 -w '%{http_code}\n' \
		    "$(url "/ver.txt?pre-$i")" >> "$codes"
		echo "/ver.txt?pre-$i" >> "$req"
	done
	(
		for ((i = 0; i < 400; i++)); do
			[ -e "$stop" ] && break
			curl -s -o /dev/null --max-time 5 -w '%{http_code}\n' \
			    "$(url "/ver.txt?loop-$i")" >> "$codes"
			echo "/ver.txt?loop-$i" >> "$req"
		done
	) &
	bg_track "$!"
	n=$!
	# The loop runs once its requests reach the log about to be rotated.
	wait_until 5 grep -q "?loop-" "$DDIR/access.log"
	mv "$DDIR/access.log" "$DDIR/access.log.1"
	timeout 10 "$MINIHTTPD" -s reopen -c "$CONF"
	check_eq "-s reopen during the loop: exits 0" 0 "$?"
	check "reopen: a fresh access.log appears" \
	    wait_until 5 test -e "$DDIR/access.log"
	# Every process of the daemon has reopened once none of them holds
	# the renamed file open any more.
	wait_until 5 grep -q "?loop-" "$DDIR/access.log"
	pids=$(live_children "$DPID")
	# shellcheck disable=SC2086
	wait_until 5 none_holds "$DDIR/access.log.1" "$DPID" $pids
	for ((i = 0; i < 5; i++)); do
		curl -s -o /dev/null --max-time 5 -w '%{http_code}\n' \
		    "$(url "/ver.txt?post-$i")" >> "$codes"
		echo "/ver.txt?post-$i" >> "$req"
	done
	# The loop goes on after the marked requests: two more of its own
	# (unless it ran out).
	i=$(wc -l < "$req")
	more() {
		[ "$(wc -l < "$req")" -ge $((i + 2)) ] || ! alive "$n"
	}
	wait_until 5 more
	touch "$stop"
	wait_gone 15 "$n"
	want=$(wc -l < "$req")
	check_eq "rotation: every request answered 200" "$want" \
	    "$(grep -cx 200 "$codes")"
	# Only our marked requests: daemon_start made one of its own.
	logged() {
		cat "$DDIR/access.log" "$DDIR/access.log.1" |
		    grep -E '"GET /ver\.txt\?(pre|loop|post)-'
	}
	counted() {
		got=$(logged | wc -l)
		[ "$got" -eq "$want" ]
	}
	wait_until 5 counted
	echo "# rotation: $want requests;" \
	    "$(wc -l < "$DDIR/access.log.1") lines in access.log.1," \
	    "$(wc -l < "$DDIR/access.log") in access.log"
	check_eq "rotation: lines in both files = requests" "$want" "$got"
	dups=$(logged | awk '{ print $7 }' | sort | uniq -d | head -n 3 |
	    paste -sd' ')
	check_eq "rotation: no request logged twice" "" "$dups"
	check_eq "rotation: every request logged" "" \
	    "$(comm -23 <(sort "$req") <(logged | awk '{ print $7 }' |
	    sort) | head -n 3 | paste -sd' ')"
	pre=$(grep -c ' "GET /ver.txt?pre-' "$DDIR/access.log.1")
	post=$(grep -c ' "GET /ver.txt?post-' "$DDIR/access.log")
	check_eq "rotation: the old requests are in access.log.1" 5 "$pre"
	check_eq "rotation: the new requests are in the fresh access.log" 5 \
	    "$post"
	in_both() {
		grep -q "$1" "$DDIR/access.log.1" &&
		    grep -q "$1" "$DDIR/access.log"
	}
	check "rotation: both files got loop requests" in_both "?loop-"
	check "logrotate template runs \"minihttpd -s reopen\"" \
	    grep -q -- '-s reopen' "$top_srcdir/etc/logrotate.d/minihttpd.in"
	daemon_stop rot
}

# ---------------------------------------------------------------------
# Out of file descriptors: the worker pauses accepting instead of
# spinning, and recovers when descriptors are free again.
test_emfile() {
	local w t0 t1 m0 m1 rc

	# The held connections live in this shell.
	if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt 256 ]; then
		ulimit -Sn 256 2>/dev/null
	fi
	daemon_prepare emfile 'workers = 1;' "$INFO" "$LONG_TIMEOUTS" ||
	    { fail "emfile: port" "none free"; return; }
	( ulimit -n 40 && exec "$MINIHTTPD" -F -c "$CONF" ) \
	    > "$DDIR/out" 2>&1 &
	daemon_adopt emfile "$!"
	if ! wait_http 10 "$PORT" "$DPID"; then
		fail "emfile: daemon with 40 descriptors starts" \
		    "$(tail -n 3 "$DDIR/out" "$DDIR/error.log" 2>/dev/null)"
		return
	fi
	w=$(live_children "$DPID")
	check_eq "emfile: the worker has the 40-descriptor limit" 40 \
	    "$(awk '/^Max open files/ { print $4 }' "/proc/$w/limits")"
	if ! hold 60; then
		fail "emfile: 60 connections opened" "connect failed"
	fi
	check "emfile: the error log says \"pausing\"" \
	    wait_until 5 grep -q 'pausing' "$DDIR/error.log"
	t0=$(ticks "$w")
	m0=$(ticks "$DPID")
	# The CPU time used over a 2 s window is what is measured: this
	# sleep is the window, not a wait for something to happen.
	sleep 2
	t1=$(ticks "$w")
	m1=$(ticks "$DPID")
	if [ -n "$t0" ] && [ -n "$t1" ] && [ $((t1 - t0)) -lt 40 ]; then
		ok "emfile: the worker does not spin ($((t1 - t0)) ticks in 2 s)"
	else
		fail "emfile: the worker does not spin" \
		    "${t0:-?} -> ${t1:-?} ticks in 2 s"
	fi
	check "emfile: the master is quiet ($((m1 - m0)) ticks in 2 s)" \
	    test $((m1 - m0)) -lt 20
	check "emfile: the worker is still the same process" alive "$w"
	release
	if wait_until 10 code_is "$PORT" 200; then
		ok "emfile: the server answers again after the close"
	else
		fail "emfile: the server answers again after the close" \
		    "$(http_code "$PORT")"
	fi
	rc=$(grep -c 'pausing' "$DDIR/error.log")
	echo "# emfile: $rc \"pausing\" lines"
	daemon_stop emfile
}

# ---------------------------------------------------------------------
# limits.max_connections = 5 with one worker.
test_max_connections() {
	local i fds=() fd r rc

	case_roots
	daemon_start maxc 'workers = 1;' 'limits = { max_connections = 5; };' \
	    "$ROOT_A_LINE" "$INFO" "$LONG_TIMEOUTS" ||
	    { fail "maxc: daemon starts" "see above"; return; }
	# Five keep-alive connections, each answered once, then idle.
	for ((i = 0; i < 5; i++)); do
		ka_open
		fds+=("$KA")
		r=$(ka_get "$KA" /ver.txt)
		check_eq "max_connections: held connection $((i + 1)) answered" \
		    "200 A" "$r"
	done
	curl -s -o /dev/null --max-time 1 "$(url /ver.txt)"
	rc=$?
	if [ "$rc" = 0 ]; then
		fail "max_connections: a 6th connection is not served" \
		    "it was served"
	else
		ok "max_connections: a 6th connection is not served (curl exit $rc)"
	fi
	fd=${fds[0]}
	exec {fd}>&-
	if wait_until 5 code_is "$PORT" 200 /ver.txt; then
		ok "max_connections: served after one connection closes"
	else
		fail "max_connections: served after one connection closes"
	fi
	r=$(ka_get "${fds[1]}" /ver.txt)
	check_eq "max_connections: the held connections still work" "200 A" \
	    "$r"
	for fd in "${fds[@]:1}"; do
		exec {fd}>&-
	done
	daemon_stop maxc
}

# ---------------------------------------------------------------------
# Privileges (as root only).

# No user setting: the workers run as nobody:nogroup, the master stays
# root.
test_privileges_default() {
	local w ng

	if [ "$(id -u)" != 0 ]; then
		skip "privileges, user unset" "not running as root"
		return
	fi
	ng=$(getent group nogroup | cut -d: -f3)
	[ -n "$ng" ] || ng=$(id -g nobody)
	daemon_start priv "$INFO" "$TIMEOUTS" ||
	    { fail "priv: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	for w in $(live_children "$DPID"); do
		check_eq "user unset: worker $w Uid is nobody" \
		    "65534 65534 65534 65534" "$(uids "$w")"
		check_eq "user unset: worker $w Gid is nogroup" \
		    "$ng $ng $ng $ng" "$(gids "$w")"
		check_eq "user unset: worker $w has no other group" "$ng" \
		    "$(groups_of "$w")"
	done
	check_eq "user unset: the master is still root" "0 0 0 0" \
	    "$(uids "$DPID")"
	daemon_stop priv
}

test_privileges_root_user() {
	local w

	if [ "$(id -u)" != 0 ]; then
		skip "privileges, user = root" "not running as root"
		return
	fi
	daemon_start rootw 'user = "root";' "$INFO" "$TIMEOUTS" ||
	    { fail "user = root: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	for w in $(live_children "$DPID"); do
		check_eq "user = \"root\": worker $w is root" "0 0 0 0" \
		    "$(uids "$w")"
	done
	daemon_stop rootw
}

test_privileges_unknown_user() {
	local rc

	if [ "$(id -u)" != 0 ]; then
		skip "privileges, unknown user" "not running as root"
		return
	fi
	daemon_prepare nouser 'user = "no-such-user-zz";' "$INFO" \
	    "$TIMEOUTS" || { fail "nouser: port" "none free"; return; }
	timeout 10 "$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1
	rc=$?
	check "nonexistent user: start fails (exit $rc)" \
	    test "$rc" -ne 0 -a "$rc" -ne 124
	check "nonexistent user: a clear message" \
	    grep -q 'user "no-such-user-zz" does not exist' "$DDIR/out" \
	    "$DDIR/error.log"
	check_eq "nonexistent user: nothing listens" 000 "$(http_code "$PORT")"
}

# ---------------------------------------------------------------------
# The systemd notify protocol.
test_notify() {
	local sock=$CASE_DIR/notify.sock out=$CASE_DIR/notify.out np gen1 rc
	local l1 l2 l3 l4 l5 l6

	"$NOTIFYSOCK" "$sock" 60 "$CASE_DIR/notify.stop" > "$out" 2>&1 &
	np=$!
	bg_track "$np"
	wait_until 5 test -S "$sock" ||
	    { fail "notify: notifysock listens" "no socket"; return; }
	export NOTIFY_SOCKET=$sock
	daemon_start notify "$INFO" "$TIMEOUTS"
	rc=$?
	unset NOTIFY_SOCKET
	[ "$rc" = 0 ] || { fail "notify: daemon starts" "see above"; return; }
	# lineno REGEX: the line number of the first line matching REGEX.
	lineno() {
		grep -nE "$1" "$out" | head -n 1 | cut -d: -f1
	}
	check "notify: READY=1 with MAINPID=$DPID after start" \
	    wait_until 10 grep -qE "^READY=1\|.*MAINPID=$DPID(\||$)" "$out"
	gen1=$(live_children "$DPID")
	kill -HUP "$DPID"
	check "notify: RELOADING=1 with MONOTONIC_USEC on HUP" \
	    wait_until 10 grep -qE '^RELOADING=1\|MONOTONIC_USEC=[0-9]+$' "$out"
	check "notify: READY=1 with a STATUS after the reload" \
	    wait_until 10 grep -qE '^READY=1\|STATUS=generation 2' "$out"
	# shellcheck disable=SC2086
	wait_gone 10 $gen1
	write_conf notify "document_root = \"$T/no-such-root\";" "$INFO" \
	    "$TIMEOUTS"
	kill -HUP "$DPID"
	check "notify: READY=1 with STATUS=reload failed on a broken reload" \
	    wait_until 10 grep -qE '^READY=1\|STATUS=reload failed' "$out"
	kill -TERM "$DPID"
	daemon_forget notify
	check "notify: STOPPING=1 on TERM" \
	    wait_until 10 grep -qx 'STOPPING=1' "$out"
	wait_gone 10 "$DPID"
	touch "$CASE_DIR/notify.stop"
	wait_gone 5 "$np"
	l1=$(lineno "^READY=1\|.*MAINPID=")
	l2=$(lineno '^RELOADING=1')
	l3=$(lineno '^READY=1\|STATUS=generation 2')
	l4=$(grep -nE '^RELOADING=1' "$out" | sed -n 2p | cut -d: -f1)
	l5=$(lineno '^READY=1\|STATUS=reload failed')
	l6=$(lineno '^STOPPING=1')
	if [ -n "$l1" ] && [ -n "$l2" ] && [ -n "$l3" ] && [ -n "$l4" ] &&
	    [ -n "$l5" ] && [ -n "$l6" ] && [ "$l1" -lt "$l2" ] &&
	    [ "$l2" -lt "$l3" ] && [ "$l3" -lt "$l4" ] &&
	    [ "$l4" -lt "$l5" ] && [ "$l5" -lt "$l6" ]; then
		ok "notify: the messages come in order"
	else
		fail "notify: the messages come in order" \
		    "lines $l1 $l2 $l3 $l4 $l5 $l6"
		sed 's/^/# | /' "$out"
	fi
	check_eq "notify: one READY=1 before the first reload" 1 \
	    "$(head -n "${l2:-1}" "$out" | grep -c '^READY=1')"
}

# ---------------------------------------------------------------------
# Socket activation: an inherited socket next to a configured one,
# kept across a reload.
test_socket_activation() {
	local port2 gen1

	case_roots
	port2=$(random_port)
	daemon_prepare sa "$ROOT_A_LINE" "$INFO" "$TIMEOUTS" ||
	    { fail "sa: port" "none free"; return; }
	"$SOCKETACT" "$port2" "$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1 &
	daemon_adopt sa "$!"
	check "socket activation: the configured port serves" \
	    wait_http 10 "$PORT" "$DPID"
	check_eq "socket activation: the inherited port serves" 200 \
	    "$(http_code "$port2" /ver.txt)"
	check "socket activation: the log says adopted 127.0.0.1:$port2" \
	    grep -qF "socket activation: adopted 127.0.0.1:$port2" \
	    "$DDIR/error.log"
	# No site names it: served plain by the first site, and said so
	# (a socket unit passing 443 must not be served plain unnoticed).
	check "socket activation: warns that no site names 127.0.0.1:$port2" \
	    grep -qF "127.0.0.1:$port2 is no site's listen address" \
	    "$DDIR/error.log"
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")
	write_conf sa 'workers = 3;' "$ROOT_A_LINE" "$INFO" "$TIMEOUTS"
	kill -HUP "$DPID"
	check "socket activation: HUP makes 3 new workers" \
	    wait_until 10 count_is "$DPID" 3
	# shellcheck disable=SC2086
	check "socket activation: the old workers are gone" wait_gone 10 $gen1
	check_eq "socket activation: after HUP the inherited port serves" \
	    200 "$(http_code "$port2" /ver.txt)"
	check_eq "socket activation: after HUP the configured port serves" \
	    200 "$(http_code "$PORT" /ver.txt)"
	daemon_stop sa
}

# ---------------------------------------------------------------------
# A keep-alive connection is handed to the new generation.
test_keepalive_handover() {
	local gen1 i fds=() r

	case_roots
	daemon_start ka "$ROOT_A_LINE" "$INFO" "$LONG_TIMEOUTS" ||
	    { fail "ka: daemon starts" "see above"; return; }
	wait_until 10 count_is "$DPID" 2
	for ((i = 0; i < 3; i++)); do
		ka_open
		fds+=("$KA")
		r=$(ka_get "$KA" /ver.txt)
		check_eq "handover: connection $((i + 1)), first request" \
		    "200 A" "$r"
	done
	gen1=$(live_children "$DPID")
	write_conf ka "$ROOT_B_LINE" "$INFO" "$LONG_TIMEOUTS"
	kill -HUP "$DPID"
	# shellcheck disable=SC2086
	check "handover: the old generation is gone" wait_gone 10 $gen1
	check "handover: a new generation runs" \
	    wait_until 10 count_is "$DPID" 2
	for ((i = 0; i < 3; i++)); do
		r=$(ka_get "${fds[$i]}" /ver.txt)
		check_eq "handover: connection $((i + 1)) answered by the new generation" \
		    "200 B" "$r"
		r=$(ka_get "${fds[$i]}" /index.html)
		check_eq "handover: connection $((i + 1)) keeps going" \
		    "200 <html>B</html>" "$r"
	done
	for r in "${fds[@]}"; do
		exec {r}>&-
	done
	daemon_stop ka
}

e2e_run "$@"
