#!/bin/bash
#
# sandbox: the confinement of workers (DESIGN section 7, sandbox.c).
# Runs tests/minihttpd-test, the daemon built with the test hooks of
# sandbox.h: a GET of /.well-known/minihttpd-test/open?PATH, write?PATH
# or exec?PATH makes the worker that takes it try that and answer with
# "ok" or the errno name.  Covers: the production binary has no hook; a
# worker runs with a seccomp filter and no_new_privs; it cannot read
# /etc/passwd, cannot write outside its open logs (in a directory its
# user may write), cannot exec (the filter kills it and the master
# replaces it); the master logs what was applied once per generation;
# and sandbox = false lifts all of it.
#
# Daemons: "box" (the default, sandboxed) and "open" (sandbox = false);
# all stop by PID.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PRODUCTION=$MINIHTTPD
MINIHTTPD=$top_builddir/tests/minihttpd-test
HOOK=/.well-known/minihttpd-test
e2e_init "$MINIHTTPD" "$PRODUCTION"
[ "$(uname -s)" = Linux ] || skip_all "Linux only"

# WRITABLE: a directory the workers' user may write to, so that only
# the sandbox can refuse a write there.
WRITABLE=$T/writable
mkdir -p "$WRITABLE"
chmod 1777 "$WRITABLE"

# hook DAEMON-PORT OP PATH: the worker's answer ("ok", "EACCES", ...).
hook() {
	curl -s --max-time 5 "http://127.0.0.1:$1$HOOK/$2?$3" | tr -d '\n'
}

# field PID NAME: a field of /proc/PID/status, blanks removed.
field() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null
}

# landlock_on: the error log says Landlock was applied.
landlock_on() {
	grep -q 'sandbox: landlock ABI' "$DDIR/error.log"
}

fx_box() {
	fixture box
}

fx_open() {
	fixture open 'sandbox = false;'
}

test_production_has_no_hooks() {
	local n

	if command -v strings > /dev/null; then
		n=$(strings "$PRODUCTION" | grep -c minihttpd-test)
	else
		n=$(grep -a -c minihttpd-test "$PRODUCTION")
	fi
	check_eq "src/minihttpd holds no test hook" 0 "$n"
	check "control: tests/minihttpd-test holds it" \
	    grep -a -q minihttpd-test "$MINIHTTPD"
}

test_workers_filtered() {
	local w n=0 bad="" want

	fx_box || return
	# A sanitizer build has no filter (LeakSanitizer ptraces).
	want=2
	[ "$E2E_SANITIZERS" = 1 ] && want=0
	for w in $(live_children "$DPID"); do
		n=$((n + 1))
		[ "$(field "$w" Seccomp)" = "$want" ] || bad="$bad $w:Seccomp"
		[ "$(field "$w" NoNewPrivs)" = 1 ] || bad="$bad $w:NoNewPrivs"
	done
	check_eq "two workers" 2 "$n"
	check_eq "every worker: Seccomp $want, NoNewPrivs 1" "" "$bad"
	check_eq "the master is not confined" 0 "$(field "$DPID" Seccomp)"
}

test_applied_logged_once() {
	fx_box || return
	wait_until 5 grep -q 'info: sandbox: ' "$DDIR/error.log"
	check_eq "one info line for the generation" 1 \
	    "$(grep -c 'info: sandbox: ' "$DDIR/error.log")"
	check "it says what was applied" grep -Eq \
	    'info: sandbox: (landlock ABI [0-9]+ \(1 read-only tree, 2 log files\)|no landlock[^,]*), (seccomp [0-9]+ syscalls|no seccomp in a sanitizer build)' \
	    "$DDIR/error.log"
}

test_cannot_read_outside_roots() {
	fx_box || return
	landlock_on || { skip "reading outside the roots" "no Landlock"; return; }
	check_eq "open /etc/passwd: refused" EACCES \
	    "$(hook "$PORT" open /etc/passwd)"
	check_eq "open the secret next to the root: refused" EACCES \
	    "$(hook "$PORT" open "$T/secret")"
	check_eq "control: a file beneath the root opens" ok \
	    "$(hook "$PORT" open "$T/root/index.html")"
	check_eq "control: it is served" 200 "$(http_code "$PORT" /index.html)"
}

test_cannot_write_outside_logs() {
	fx_box || return
	landlock_on || { skip "writing outside the logs" "no Landlock"; return; }
	check_eq "create a file in a writable directory: refused" EACCES \
	    "$(hook "$PORT" write "$WRITABLE/box.txt")"
	check "and it was not made" test ! -e "$WRITABLE/box.txt"
	check_eq "write beneath the root: refused" EACCES \
	    "$(hook "$PORT" write "$T/root/index.html")"
	check_eq "control: its own open access log may be written" ok \
	    "$(hook "$PORT" write "$DDIR/access.log")"
}

test_cannot_exec() {
	local code

	fx_box || return
	if [ "$E2E_SANITIZERS" = 1 ]; then
		skip "exec kills the worker" "no seccomp in a sanitizer build"
		return
	fi
	code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' \
	    "http://127.0.0.1:$PORT$HOOK/exec?/bin/true")
	check_eq "exec: no answer, the worker is gone" 000 "$code"
	check "the master says it died of SIGSYS" \
	    wait_until 5 grep -q 'died of signal 31' "$DDIR/error.log"
	check "a new worker replaces it" wait_until 5 count_is "$DPID" 2
	check_eq "serving goes on" 200 "$(http_code "$PORT" /)"
}

test_usr1_reopen_confined() {
	fx_box || return
	mv "$DDIR/access.log" "$DDIR/access.log.old"
	kill -USR1 "$DPID"
	check "USR1: the master makes a fresh access log" \
	    wait_until 5 test -e "$DDIR/access.log"
	at_new() {
		curl -s -o /dev/null --max-time 3 \
		    "http://127.0.0.1:$PORT/?confined-usr1"
		grep -q 'confined-usr1' "$DDIR/access.log"
	}
	check "confined workers write to it" wait_until 10 at_new
	check "the workers took the files" \
	    grep -q 'took 2 reopened log files' "$DDIR/error.log"
}

# An access log that is a pipe ("/dev/stdout" under a supervisor, an
# anonymous pipe): Landlock takes no rule for it, and the workers must
# still start.
test_access_log_on_a_pipe() {
	local out=$CASE_DIR/log.out pfd rd

	exec {pfd}> >(exec cat > "$out")
	rd=$!
	E2E_BG_PIDS+=("$rd")
	if ! daemon_start pipe "access_log = \"/dev/fd/$pfd\";"; then
		fail "a log on a pipe: the daemon starts" "see above"
		exec {pfd}>&-
		return
	fi
	exec {pfd}>&-
	check_eq "a log on a pipe: the workers serve" 200 \
	    "$(http_code "$PORT" /)"
	check "a log on a pipe: the request is logged through it" \
	    wait_until 5 grep -q '"GET / HTTP/1.1" 200' "$out"
	check "a log on a pipe: the workers are confined" grep -q \
	    'info: sandbox: ' "$DDIR/error.log"
	daemon_stop pipe
	wait_gone 5 "$rd"
}

test_sandbox_off() {
	local w bad=""

	fx_open || return
	for w in $(live_children "$DPID"); do
		[ "$(field "$w" Seccomp)" = 0 ] || bad="$bad $w"
	done
	check_eq "sandbox = false: Seccomp 0 in every worker" "" "$bad"
	check "it is said" grep -q 'info: sandbox: off' "$DDIR/error.log"
	check_eq "open /etc/passwd works" ok \
	    "$(hook "$PORT" open /etc/passwd)"
	check_eq "create a file in a writable directory works" ok \
	    "$(hook "$PORT" write "$WRITABLE/open.txt")"
	check "and it was made" test -e "$WRITABLE/open.txt"
	check_eq "exec is reached (of a missing file)" ENOENT \
	    "$(hook "$PORT" exec "$T/no-such-program")"
	check "-T prints it" grep -q '^sandbox = false;' \
	    <("$MINIHTTPD" -T -c "$CONF")
}

e2e_run "$@"
