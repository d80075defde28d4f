#!/bin/bash
#
# regress.sh: one test per bug found in review, each of which failed
# before its fix.
#
#	- timeouts.send must restart on progress, not only after a wait
#	- a request line without a version (HTTP/0.9) is refused at once
#	- a reload can move workers off root
#	- a second daemonized start fails with status 1 and says why
#	- a relative -c keeps working for reloads after detaching
#	- -s stop works although the configuration became invalid
#	- start-up errors reach the terminal when error_log is a file

. "$(dirname "$0")/lib.sh"

e2e_init

# --- timeouts.send restarts on progress: a client that reads as fast as
# the server sends must get a long download whole with send = 1.
truncate -s 3G "$T/root/huge.bin"
daemon_start send 'timeouts = { header = 5; keepalive = 5; send = 1; shutdown = 5; };'
got=$(curl -s -o /dev/null --max-time 60 -w '%{size_download}' \
    "$(url /huge.bin)")
check_eq "send timer restarts on progress: 3 GiB at full speed" \
    $((3 * 1024 * 1024 * 1024)) "$got"
rm -f "$T/root/huge.bin"

# --- HTTP/0.9: "GET /" and nothing after it gets 400 at once, not 408
# after the header deadline (5 s here).
start=$SECONDS
got=$(rawreq $'GET /\r\n' -k -t 3 | status_of)
check_eq "HTTP/0.9 request line: 400 without waiting" 400 "$got"
check "HTTP/0.9 request line: answered within 3 s" \
    test $((SECONDS - start)) -le 3
liveness "an HTTP/0.9 request"
daemon_stop send

# --- A reload moves workers from root to nobody.
if [ "$(id -u)" = 0 ]; then
	daemon_start priv 'user = "root";' 'group = "root";'
	uid_of() {
		awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null
	}
	w=$(live_children "$DPID" | head -n 1)
	check_eq "user = root: workers run as root" 0 "$(uid_of "$w")"
	write_conf priv
	"$MINIHTTPD" -s reload -c "$CONF" > "$T/priv.out" 2>&1
	check "reload to the default user succeeds" grep -q reloaded \
	    "$T/priv.out"
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
else
	skip "reload moves workers off root" "not running as root"
fi

# --- A daemonized start fails loudly when a master already owns the
# pid file; a relative -c survives the master's chdir("/").
daemon_prepare bg
(cd "$DDIR" && "$MINIHTTPD" -c conf) > "$T/bg1.out" 2>&1
check_eq "daemonized start exits 0" 0 "$?"
check "daemonized start writes the pid file" wait_until 5 test -s "$DDIR/pid"
daemon_adopt bg "$(cat "$DDIR/pid")"
check "the daemon answers" wait_http 10 "$PORT" "$DPID"
(cd "$DDIR" && "$MINIHTTPD" -c conf) > "$T/bg2.out" 2>&1
check_eq "second daemonized start exits 1" 1 "$?"
check "second start says a master already runs" \
    grep -q "already running" "$T/bg2.out"
check "the first master still runs" alive "$DPID"
(cd "$DDIR" && "$MINIHTTPD" -s reload -c conf) > "$T/bg3.out" 2>&1
check_eq "reload with a relative -c exits 0" 0 "$?"
check "reload with a relative -c: reloaded" grep -q reloaded "$T/bg3.out"

# --- -s stop still works when the configuration has become invalid.
echo 'no_such_setting = 1;' >> "$CONF"
"$MINIHTTPD" -s stop -c "$CONF" > "$T/stop.out" 2>&1
check_eq "-s stop with an invalid configuration exits 0" 0 "$?"
check "-s stop names the problem" grep -q no_such_setting "$T/stop.out"
check "-s stop stopped the master" wait_gone 10 "$DPID"

# --- Start-up errors reach the terminal when error_log is a file.
daemon_prepare noroot "document_root = \"$T/no/such/dir\";"
"$MINIHTTPD" -F -c "$CONF" > "$T/noroot.out" 2>&1
check_eq "missing document_root: exit 1" 1 "$?"
check "missing document_root: said on the terminal" \
    grep -q "no/such/dir" "$T/noroot.out"

finish
