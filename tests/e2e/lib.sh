#!/bin/bash
#
# lib.sh: helpers sourced by the end-to-end scripts (STYLE.md point 14).
#
# Each script starts the real daemon on 127.0.0.1 with a free port and a
# temporary root, talks to it with curl, tests/rawhttp and minihttp-get,
# and counts results with ok/fail/check.  Every wait is bounded, and the
# EXIT trap stops every daemon this script started by its recorded PID
# (TERM, bounded wait, then KILL, workers included), so nothing is left
# behind even when a test fails half-way.  Processes are never looked up
# by name.
#
# Layout of the temporary directory $T:
#	$T/root/		the default document root (index.html inside)
#	$T/secret		a file next to the root that must never leak
#	$T/NAME/		one directory per daemon: conf, pid, logs, out
#
# Output is TAP: "ok N - CASE: what", "not ok N - ..." with the reason
# on a "#" line after it, and the plan "1..N" at the end, followed by a
# "# SCRIPT: N passed, N failed" comment.  Exit status: 0 all passed, 1
# a test failed.  See "Cases" below for how a suite is laid out.

set -u

E2E_NAME=$(basename "$0" .sh)
E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Manual runs: top_srcdir defaults to the script's ../..; top_builddir to
# the current directory when it holds a build, else to top_srcdir.
if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$E2E_HERE/../.." && pwd)
fi
if [ -z "${top_builddir:-}" ]; then
	if [ -x "$PWD/src/minihttpd" ]; then
		top_builddir=$PWD
	else
		top_builddir=$top_srcdir
	fi
fi
MINIHTTPD=$top_builddir/src/minihttpd
# 1 in a build with --enable-sanitizers: the daemon then runs without
# its seccomp filter (LeakSanitizer ptraces it at exit) and ASan keeps
# freed memory in quarantine, so the suites skip what that changes.
E2E_SANITIZERS=0
grep -q '^#define BUILT_WITH_SANITIZERS 1' "$top_builddir/config.h" \
    2>/dev/null && E2E_SANITIZERS=1
# A command the daemons of daemon_start run under, e.g. valgrind (see
# tests/valgrind.sh); empty: none.
E2E_WRAPPER=${E2E_WRAPPER:-}
GETCMD=$top_builddir/src/minihttp-get
RAWHTTP=$top_builddir/tests/rawhttp

E2E_PASSED=0
E2E_FAILED=0
E2E_BG_PIDS=()			# helper processes (curl loops...)
E2E_ALL_DAEMONS=()		# every master pid ever started
declare -A D_PORT D_PID D_DIR D_CONF

# Waits are polled every 0.05 s up to a limit in seconds; generous, as
# the suite must pass on a loaded two-core machine.
E2E_START_WAIT=${E2E_START_WAIT:-10}
E2E_STOP_WAIT=${E2E_STOP_WAIT:-10}

# ---------------------------------------------------------------------
# Results, in TAP (the Test Anything Protocol: automake's tap-driver.sh
# reads it, and so does a person)

E2E_N=0				# number of the last TAP line
E2E_CASE=""			# the case running now, without "test_"
E2E_CASE_FAILED=0		# failures of the case running now

ok() {
	E2E_N=$((E2E_N + 1))
	E2E_PASSED=$((E2E_PASSED + 1))
	echo "ok $E2E_N - ${E2E_CASE:+$E2E_CASE: }$1"
}

fail() {
	E2E_N=$((E2E_N + 1))
	E2E_FAILED=$((E2E_FAILED + 1))
	E2E_CASE_FAILED=$((E2E_CASE_FAILED + 1))
	echo "not ok $E2E_N - ${E2E_CASE:+$E2E_CASE: }$1"
	echo "# ${2:-failed}"
}

skip() {
	E2E_N=$((E2E_N + 1))
	echo "ok $E2E_N - ${E2E_CASE:+$E2E_CASE: }$1 # SKIP ${2:-skipped}"
}

# check NAME COMMAND...: ok when COMMAND exits 0.
check() {
	local _ck_name=$1

	shift
	if "$@"; then
		ok "$_ck_name"
	else
		fail "$_ck_name" "command failed: $*"
	fi
}

# check_eq NAME EXPECTED GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1" "expected [$2], got [$3]"
	fi
}

# finish: the TAP plan, a summary comment, then the exit status (0
# when every check passed, 1 otherwise).
finish() {
	sanitizer_check
	if [ "$E2E_FAILED" -gt 0 ]; then
		dump_logs
	fi
	echo "1..$E2E_N"
	echo "# $E2E_NAME: $E2E_PASSED passed, $E2E_FAILED failed"
	if [ "$E2E_FAILED" -gt 0 ]; then
		exit 1
	fi
	exit 0
}

# sanitizer_scan FILE: copies the AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer reports in FILE (a daemon's standard error,
# which its workers share) to $T/sanitizer.txt.
sanitizer_scan() {
	[ -f "$1" ] || return 0
	grep -A 30 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1" \
	    >> "$T/sanitizer.txt" 2>/dev/null
	return 0
}

# sanitizer_check: stops every daemon (a leak is reported at exit), then
# fails if any of them reported anything.  In a build without sanitizers
# there is nothing to find, and the check passes.
sanitizer_check() {
	local n d

	for n in "${!D_PID[@]}"; do
		[ -n "${D_PID[$n]}" ] && daemon_stop "$n"
	done
	for d in "${D_DIR[@]}"; do
		sanitizer_scan "$d/out"
	done
	E2E_CASE=""
	if [ -s "$T/sanitizer.txt" ]; then
		fail "no sanitizer report from any daemon" "reports:"
		head -n 60 "$T/sanitizer.txt" | sed 's/^/# | /'
	else
		ok "no sanitizer report from any daemon"
	fi
}

# skip_all REASON: the whole script cannot run.
skip_all() {
	echo "1..0 # SKIP $E2E_NAME: $1"
	exit 0
}

dump_logs() {
	local d f

	for d in "${D_DIR[@]}"; do
		for f in "$d/error.log" "$d/out"; do
			[ -s "$f" ] || continue
			echo "# --- last lines of $f"
			tail -n 20 "$f" | sed 's/^/# | /'
		done
	done
}

# ---------------------------------------------------------------------
# Cases
#
# A suite defines one function per behaviour, test_<behaviour>, and ends
# with `e2e_run "$@"`.  The runner runs the cases in the order the file
# defines them, or only those whose name matches one of the glob
# patterns given on the command line (with or without "test_"):
#
#	tests/e2e/http.sh 'range*' etag_strong
#	tests/e2e/run http 'range*'
#	tests/e2e/http.sh -l		(lists the cases)
#
# Each case gets a scratch directory of its own, $CASE_DIR, and creates
# the files it serves under names of its own.  Daemons started with
# `fixture` are shared by the cases that ask for the same one; a case
# that needs a private daemon starts it with daemon_start.  After each
# case, every daemon still on record must still answer HTTP (a case
# that stops one on purpose uses daemon_stop or daemon_forget).

# e2e_cases: the test_ functions of the suite, in file order.
e2e_cases() {
	grep -o '^test_[A-Za-z0-9_]*[ ]*()' "$0" | sed 's/[ ]*()$//'
}

# e2e_selected NAME PATTERN...: NAME matches a pattern (or none given).
e2e_selected() {
	local name=$1 pat

	shift
	[ $# -eq 0 ] && return 0
	for pat in "$@"; do
		# shellcheck disable=SC2053
		[[ $name == $pat || ${name#test_} == $pat ]] && return 0
	done
	return 1
}

# e2e_check_live: after a case, every daemon on record is alive and
# answers HTTP.
e2e_check_live() {
	local name pid

	for name in "${!D_PID[@]}"; do
		pid=${D_PID[$name]}
		[ -n "$pid" ] || continue
		if ! alive "$pid"; then
			fail "daemon $name still runs" "master $pid is gone"
			D_PID[$name]=""
		elif ! wait_http 5 "${D_PORT[$name]}" "$pid"; then
			fail "daemon $name still answers" \
			    "nothing answers on port ${D_PORT[$name]}"
		fi
	done
}

# e2e_run [-l] [PATTERN...]: run the cases, then finish.
e2e_run() {
	local name any=0

	if [ "${1:-}" = -l ]; then
		e2e_cases
		exit 0
	fi
	for name in $(e2e_cases); do
		e2e_selected "$name" "$@" || continue
		any=1
		E2E_CASE=${name#test_}
		E2E_CASE_FAILED=0
		CASE_DIR=$T/cases/$E2E_CASE
		mkdir -p "$CASE_DIR"
		echo "# $name"
		"$name"
		e2e_check_live
		E2E_CASE=""
	done
	[ "$any" = 1 ] || skip_all "no case matches: $*"
	finish
}

# fixture NAME [LINE...]: the shared daemon NAME, started with the
# configuration lines given (see conf_text) on first use, reused by the
# next case that asks for it with the same lines; sets PORT, DPID,
# DDIR, CONF.  Returns 1 (after a failed check) when it cannot start.
declare -A E2E_FIXTURE
fixture() {
	local name=$1 want

	shift
	want=$(printf '%s\n' "$@")
	if [ -n "${D_PID[$name]:-}" ] && alive "${D_PID[$name]}" &&
	    [ "${E2E_FIXTURE[$name]:-}" = "$want" ]; then
		use_daemon "$name"
		return 0
	fi
	[ -n "${D_PID[$name]:-}" ] && daemon_stop "$name"
	if ! daemon_start "$name" "$@"; then
		fail "daemon $name starts" "see above"
		return 1
	fi
	E2E_FIXTURE[$name]=$want
}

# ---------------------------------------------------------------------
# Processes

# alive PID: the process exists and is not a zombie (PID 1 of a container
# may never reap orphans).
alive() {
	local st

	kill -0 "$1" 2>/dev/null || return 1
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# wait_gone SECS PID...: until none is alive; 1 on timeout.
wait_gone() {
	local _wg_n _wg_i _wg_p _wg_any

	_wg_n=$(($1 * 20))
	shift
	for ((_wg_i = 0; _wg_i <= _wg_n; _wg_i++)); do
		_wg_any=0
		for _wg_p in "$@"; do
			if alive "$_wg_p"; then
				_wg_any=1
				break
			fi
		done
		[ "$_wg_any" = 0 ] && return 0
		sleep 0.05
	done
	return 1
}

# wait_until SECS COMMAND...: until COMMAND succeeds; 1 on timeout.
# The bound is also checked against the clock, as COMMAND may be slow.
# (Local names are prefixed: bash scoping is dynamic, and COMMAND may
# be a function of the caller's.)
wait_until() {
	local _wu_end

	_wu_end=$((SECONDS + $1 + 1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$_wu_end" ] && return 1
		sleep 0.05
	done
}

# children PID: the direct children of PID, one per line.  Every pid
# seen is also noted in $T/.pids, so that the clean-up can still stop a
# worker that outlived its master (then a child of PID 1).
children() {
	local _c

	_c=$(pgrep -P "$1" 2>/dev/null | sort -n)
	[ -n "$_c" ] && [ -n "${T:-}" ] && echo "$_c" >> "$T/.pids"
	[ -n "$_c" ] && echo "$_c"
	return 0
}

# live_children PID: the children that are not zombies.
live_children() {
	local c

	for c in $(children "$1"); do
		alive "$c" && echo "$c"
	done
}

# is_ours PID: PID still runs our daemon binary (guards against a reused
# pid before sending KILL in the clean-up).
is_ours() {
	local exe

	exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
	[ "$exe" -ef "$MINIHTTPD" ] || [ "${exe% (deleted)}" = "$(readlink -f "$MINIHTTPD")" ] ||
	    { [ -n "$E2E_WRAPPER" ] &&
	    tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF "$MINIHTTPD"; }
}

# kill_tree PID: TERM the master, bounded wait, then KILL it and any of
# its workers that were still there.
kill_tree() {
	local pid=$1 kids k

	# A pid recorded long ago may have been reused: only our binary.
	alive "$pid" && is_ours "$pid" || return 0
	kids=$(children "$pid")
	kill -TERM "$pid" 2>/dev/null
	# In case a test left them stopped (SIGSTOP).
	# shellcheck disable=SC2086
	kill -CONT "$pid" $kids 2>/dev/null
	if ! wait_gone "$E2E_STOP_WAIT" "$pid"; then
		is_ours "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	for k in $kids; do
		if alive "$k" && is_ours "$k"; then
			wait_gone 2 "$k" || kill -KILL "$k" 2>/dev/null
		fi
	done
	wait "$pid" 2>/dev/null
	return 0
}

# bg_track PID: a helper process of ours (curl loop...) to stop at exit.
bg_track() {
	E2E_BG_PIDS+=("$1")
}

# is_child PID: PID is still a child of this shell (not a reused pid).
is_child() {
	local ppid

	ppid=$(awk '{ print $4 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$ppid" = "$$" ]
}

e2e_cleanup() {
	local p

	trap - EXIT
	trap '' PIPE
	for p in "${E2E_BG_PIDS[@]}"; do
		is_child "$p" && kill -TERM "$p" 2>/dev/null
	done
	for p in "${E2E_ALL_DAEMONS[@]}"; do
		kill_tree "$p"
	done
	# Workers that outlived their master, by their recorded pids.
	if [ -n "${T:-}" ] && [ -f "$T/.pids" ]; then
		for p in $(sort -un "$T/.pids"); do
			if alive "$p" && is_ours "$p"; then
				kill -KILL "$p" 2>/dev/null
			fi
		done
	fi
	for p in "${E2E_BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		if [ -n "${E2E_KEEP:-}" ]; then
			echo "# kept $T"
		else
			rm -rf "$T"
		fi
	fi
}

# ---------------------------------------------------------------------
# Set-up

# e2e_init [PROGRAM...]: check the binaries (default: the daemon and
# rawhttp), make $T with $T/root and $T/secret, install the trap.
e2e_init() {
	local p

	[ $# -gt 0 ] || set -- "$MINIHTTPD" "$RAWHTTP"
	for p in "$@"; do
		[ -x "$p" ] || skip_all "$p not built"
	done
	command -v curl >/dev/null || skip_all "curl not installed"
	T=$(mktemp -d "${TMPDIR:-/tmp}/minihttpd-$E2E_NAME.XXXXXX") ||
	    skip_all "mktemp failed"
	T=$(cd "$T" && pwd -P)
	# Started as root, the workers run as nobody: the tree must be
	# readable by others for the "always" and absolute-link cases.
	umask 022
	chmod 755 "$T"
	trap e2e_cleanup EXIT
	trap 'exit 1' HUP INT TERM
	mkdir -p "$T/root"
	printf '<html><body>index</body></html>\n' > "$T/root/index.html"
	SECRET="TOPSECRET-$RANDOM$RANDOM-do-not-serve"
	echo "$SECRET" > "$T/secret"
}

# random_port: a port on which nothing listens now, outside the kernel's
# ephemeral range: the local port of any client connection (wrk, curl,
# other suites running in parallel) would otherwise make bind() fail.
random_port() {
	local p i lo=32768 hi=60999 base span

	read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null
	if [ "$lo" -gt 12000 ]; then
		base=10000 span=$((lo - 10000))
	else
		base=$((hi + 1)) span=$((65000 - hi))
	fi
	for ((i = 0; i < 50; i++)); do
		p=$((base + (RANDOM * 32768 + RANDOM) % span))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# conf_text DIR PORT [LINE...]: a test configuration; each LINE is a
# whole setting ("autoindex = true;") and replaces the base setting of
# the same key.
conf_text() {
	local dir=$1 port=$2 line key
	declare -A over=()

	shift 2
	for line in "$@"; do
		key=${line%%[ =:]*}
		over[$key]=1
	done
	[ -n "${over[listen]:-}" ] || echo "listen = [ \"127.0.0.1:$port\" ];"
	[ -n "${over[workers]:-}" ] || echo "workers = 2;"
	[ -n "${over[pid_file]:-}" ] || echo "pid_file = \"$dir/pid\";"
	[ -n "${over[document_root]:-}" ] ||
	    echo "document_root = \"$T/root\";"
	[ -n "${over[access_log]:-}" ] ||
	    echo "access_log = \"$dir/access.log\";"
	[ -n "${over[error_log]:-}" ] || echo "error_log = \"$dir/error.log\";"
	[ -n "${over[log_level]:-}" ] || echo "log_level = \"debug\";"
	[ -n "${over[timeouts]:-}" ] || echo "timeouts = { header = 5;" \
	    "keepalive = 5; send = 10; shutdown = 5; };"
	# Under valgrind (tests/valgrind.sh): it cannot run a seccomp
	# filter or Landlock's calls, so the sandbox is off there.
	[ -n "${over[sandbox]:-}" ] || [ "${E2E_SANDBOX:-1}" = 1 ] ||
	    echo "sandbox = false;"
	for line in "$@"; do
		echo "$line"
	done
}

# write_conf NAME [LINE...]: (re)writes $T/NAME/conf for the daemon NAME
# on its current port (used for reloads); sets CONF.
write_conf() {
	local name=$1

	shift
	mkdir -p "$T/$name"
	CONF=$T/$name/conf
	conf_text "$T/$name" "${D_PORT[$name]:-0}" "$@" > "$CONF"
	D_CONF[$name]=$CONF
}

# http_code PORT [PATH]: the status of a GET, "000" when nothing answers.
http_code() {
	curl -s -o /dev/null --max-time 3 -w '%{http_code}' \
	    "http://127.0.0.1:$1${2:-/}" 2>/dev/null
}

# case_roots [big]: the document roots of the running case, made on
# first use: ROOT_A ($T/root/CASE: index.html, ver.txt "A", and with
# "big" an 8 MiB big.bin) and ROOT_B ($T/root/CASE-B: index.html
# "<html>B</html>", ver.txt "B").  Sets ROOT_A, ROOT_B, ROOT_A_LINE and
# ROOT_B_LINE (the document_root settings).  For suites whose cases
# switch a daemon between two roots.
case_roots() {
	ROOT_A=$T/root/$E2E_CASE
	ROOT_B=$T/root/$E2E_CASE-B
	ROOT_A_LINE="document_root = \"$ROOT_A\";"
	ROOT_B_LINE="document_root = \"$ROOT_B\";"
	mkdir -p "$ROOT_A" "$ROOT_B"
	printf '<html><body>index</body></html>\n' > "$ROOT_A/index.html"
	printf 'A' > "$ROOT_A/ver.txt"
	printf '<html>B</html>\n' > "$ROOT_B/index.html"
	printf 'B' > "$ROOT_B/ver.txt"
	if [ "${1:-}" = big ] && [ ! -e "$ROOT_A/big.bin" ]; then
		head -c 8388608 /dev/urandom > "$ROOT_A/.big.bin"
		mv "$ROOT_A/.big.bin" "$ROOT_A/big.bin"
	fi
}

# count_is PID N: PID has exactly N live children (for wait_until).
count_is() {
	[ "$(live_children "$1" | wc -l)" -eq "$2" ]
}

# code_is PORT CODE [PATH]: a GET answers CODE now (for wait_until: the
# request is made at each try, not once when the arguments expand).
code_is() {
	[ "$(http_code "$1" "${3:-/}")" = "$2" ]
}

# use_daemon NAME: make NAME the current daemon (PORT, DPID, DDIR, CONF).
use_daemon() {
	PORT=${D_PORT[$1]}
	DPID=${D_PID[$1]}
	DDIR=${D_DIR[$1]}
	CONF=${D_CONF[$1]}
	DNAME=$1
}

# daemon_prepare NAME [LINE...]: picks a free port and writes the
# configuration of daemon NAME (see conf_text) without starting it; sets
# PORT, DDIR, CONF, DNAME.
daemon_prepare() {
	local name=$1 line

	shift
	mkdir -p "$T/$name"
	D_PORT[$name]=$(random_port) || return 1
	# A listen setting given by the caller names the port to use.
	for line in "$@"; do
		if [[ $line =~ ^listen.*127\.0\.0\.1:([0-9]+) ]]; then
			D_PORT[$name]=${BASH_REMATCH[1]}
			break
		fi
	done
	D_DIR[$name]=$T/$name
	D_PID[$name]=""
	write_conf "$name" "$@"
	rm -f "$T/$name/pid"
	use_daemon "$name"
}

# daemon_adopt NAME PID: record PID as the master of NAME (a daemon that
# detached itself), so that the clean-up stops it.
daemon_adopt() {
	D_PID[$1]=$2
	E2E_ALL_DAEMONS+=("$2")
	use_daemon "$1"
}

# wait_http SECS PORT [PID]: until something answers HTTP on PORT; 1 on
# timeout or when PID (if given) dies first.
wait_http() {
	local n i

	n=$(($1 * 20))
	for ((i = 0; i <= n; i++)); do
		if [ -n "${3:-}" ] && ! alive "$3"; then
			return 1
		fi
		[ "$(http_code "$2")" != 000 ] && return 0
		sleep 0.05
	done
	return 1
}

# daemon_start NAME [LINE...]: writes a configuration (see conf_text) on
# a fresh port, starts "minihttpd -F" in the background and waits until
# it answers HTTP.  Retries on another port when the chosen one was
# taken meanwhile.  Sets PORT, DPID, DDIR, CONF.  Returns 1 (after
# printing why) when the daemon does not come up.
daemon_start() {
	local name=$1 try

	shift
	for ((try = 0; try < 5; try++)); do
		daemon_prepare "$name" "$@" || return 1
		# A daemon of the same name ran before: keep its reports.
		sanitizer_scan "$T/$name/out"
		# shellcheck disable=SC2086  # the wrapper is words
		$E2E_WRAPPER "$MINIHTTPD" -F -c "$CONF" > "$T/$name/out" 2>&1 &
		daemon_adopt "$name" "$!"
		if wait_http "$E2E_START_WAIT" "$PORT" "$DPID"; then
			return 0
		fi
		if alive "$DPID"; then
			echo "# daemon $name (pid $DPID) does not answer on" \
			    "port $PORT within ${E2E_START_WAIT}s"
			kill_tree "$DPID"
			return 1
		fi
		wait "$DPID" 2>/dev/null
		if ! grep -qi 'in use' "$T/$name/out" "$T/$name/error.log" \
		    2>/dev/null; then
			echo "# daemon $name exited at start:"
			cat "$T/$name/out" "$T/$name/error.log" 2>/dev/null |
			    tail -n 10 | sed 's/^/# | /'
			return 1
		fi
	done
	echo "# daemon $name: no free port found"
	return 1
}

# daemon_stop [NAME]: stop a daemon (the current one by default) by its
# pid; 0 when the master and its workers are all gone.
daemon_stop() {
	local name=${1:-$DNAME} pid kids

	pid=${D_PID[$name]}
	[ -n "$pid" ] || return 0
	D_PID[$name]=""
	kids=$(children "$pid")
	kill_tree "$pid"
	# shellcheck disable=SC2086
	! alive "$pid" && wait_gone 5 $kids
}

# daemon_forget NAME: the case stopped daemon NAME itself (with a signal
# or -s stop) or expects it to exit: the runner stops checking it.  The
# clean-up still stops it if it runs.
daemon_forget() {
	D_PID[$1]=""
}

# ---------------------------------------------------------------------
# HTTP

# raw [RAWHTTP OPTIONS]: send stdin to the current daemon, response on
# stdout.  Bounded by -t 5 unless the options give another -t.
raw() {
	"$RAWHTTP" -t 5 "$@" "$PORT"
}

# rawreq REQUEST [RAWHTTP OPTIONS]: send REQUEST verbatim ($'...' quoting
# gives CR LF without any printf interpretation).
rawreq() {
	local req=$1

	shift
	printf '%s' "$req" | raw "$@"
}

# status_of: the status code of the first response on stdin.
status_of() {
	head -n 1 | tr -d '\r' | awk '{ print $2 }'
}

# statuses: every status line's code on stdin, space-separated.
statuses() {
	tr -d '\r' | awk '/^HTTP\/[0-9.]+ [0-9][0-9][0-9]/ { printf "%s%s",
	    sep, $2; sep = " " } END { print "" }'
}

# header NAME: the value of the first header NAME in the response on
# stdin (case-insensitive name), without CR.
header() {
	tr -d '\r' | awk -v h="$1" 'BEGIN { h = tolower(h) }
	    /^$/ { exit } { n = index($0, ":") }
	    n > 0 && tolower(substr($0, 1, n - 1)) == h {
		v = substr($0, n + 1); sub(/^[ \t]+/, "", v); print v; exit }'
}

# expect_status NAME CODE CURL-ARGS...: a curl request answered CODE.
expect_status() {
	local name=$1 want=$2 got

	shift 2
	got=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$@")
	check_eq "$name" "$want" "$got"
}

# expect_raw NAME CODE REQUEST [RAWHTTP OPTIONS]: a raw request answered
# CODE (first status line).
expect_raw() {
	local name=$1 want=$2 req=$3 got

	shift 3
	got=$(rawreq "$req" "$@" | status_of)
	check_eq "$name" "$want" "$got"
}

# url PATH: the current daemon's URL for PATH.
url() {
	echo "http://127.0.0.1:$PORT$1"
}

# liveness [WHAT]: the current daemon still serves GET / with 200 (call
# it after every hostile request).
liveness() {
	local got

	got=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$(url /)")
	check_eq "liveness${1:+ after $1}" 200 "$got"
}

# ---------------------------------------------------------------------
# Certificates (for the HTTPS suites; they need the openssl command)

# mkca DIR: a CA (DIR/ca.pem, DIR/ca.key), made once per directory.
mkca() {
	[ -f "$1/ca.pem" ] && return 0
	mkdir -p "$1"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 3 -subj "/CN=minihttpd test CA" -keyout "$1/ca.key" \
	    -out "$1/ca.pem" 2> /dev/null
}

# cert_san NAME: the subjectAltName for NAME: an IP address entry when
# NAME is a numeric IPv4 address, else a DNS name.
cert_san() {
	if [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
		echo "subjectAltName=IP:$1"
	else
		echo "subjectAltName=DNS:$1"
	fi
}

# mkcert DIR NAME [DAYS [KEYTYPE]]: DIR/NAME.pem (leaf then CA) and
# DIR/NAME.key, for the DNS name (or IPv4 address) NAME, signed by DIR's
# CA.  KEYTYPE is "ec" (P-256, default) or "rsa".
mkcert() {
	local d=$1 n=$2 days=${3:-3} kt=${4:-ec} kopt

	mkca "$d"
	if [ "$kt" = rsa ]; then
		kopt=(-newkey rsa:2048)
	else
		kopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	fi
	openssl req "${kopt[@]}" -nodes -subj "/CN=$n" -keyout "$d/$n.key" \
	    -out "$d/$n.csr" 2> /dev/null
	cert_san "$n" > "$d/$n.ext"
	openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
	    -CAcreateserial -days "$days" -extfile "$d/$n.ext" \
	    -out "$d/$n.leaf" 2> /dev/null
	cat "$d/$n.leaf" "$d/ca.pem" > "$d/$n.pem"
}

# mkexpired DIR NAME: DIR/NAME.pem valid from 2020-01-01 to 2020-01-02.
mkexpired() {
	local d=$1 n=$2

	mkca "$d"
	mkdir -p "$d/db"
	: > "$d/db/index.txt"
	printf '1000\n' > "$d/db/serial"
	cat > "$d/ca.cnf" <<-EOF
	[ ca ]
	default_ca = test
	[ test ]
	dir = $d/db
	database = $d/db/index.txt
	serial = $d/db/serial
	new_certs_dir = $d/db
	default_md = sha256
	policy = any
	copy_extensions = copy
	[ any ]
	commonName = supplied
	EOF
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -subj "/CN=$n" -addext "$(cert_san "$n")" \
	    -keyout "$d/$n.key" -out "$d/$n.csr" 2> /dev/null
	openssl ca -batch -config "$d/ca.cnf" -cert "$d/ca.pem" \
	    -keyfile "$d/ca.key" -startdate 20200101000000Z \
	    -enddate 20200102000000Z -in "$d/$n.csr" -out "$d/$n.pem" \
	    > /dev/null 2>&1
}

# tls_group DIR NAME: the tls setting for NAME's certificate in DIR.
tls_group() {
	echo "tls = { certificate = \"$1/$2.pem\"; key = \"$1/$2.key\"; };"
}
