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
#	- multipart/byteranges with a long media type (heap overflow)
#	- a redirect whose Location cannot fit the head gets 414, not EOF
#	- a failing fork() does not make the master spin
#	- a connection idle after its body was dropped is handed over on reload
#	- switching error_log from a file to stderr, then reopening
#	- QUIT while a generation retires: nothing more is handed over
#	- limits without a test elsewhere: a request body over 1 MiB

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

# --- multipart/byteranges with the longest media type allowed: the part
# headers must fit (they overran the buffer and killed the worker).
longtype="application/x-$(printf 'a%.0s' $(seq 1 110))"
daemon_start mp "default_type = \"$longtype\";" 'charset = "utf-8";'
head -c 100000 /dev/urandom > "$T/root/blob.unknownext"
ranges=$(seq 1 16 | awk '{ printf "%s%d-%d", (NR > 1 ? "," : ""), $1 * 5000,
    $1 * 5000 + 9 }')
got=$(curl -s -o "$T/mp.out" --max-time 10 -w '%{http_code}' \
    -H "Range: bytes=$ranges" "$(url /blob.unknownext)")
check_eq "16 ranges with a 124-byte type: 206" 206 "$got"
check_eq "16 ranges with a 124-byte type: 16 parts" 16 \
    "$(grep -ac "^Content-Range: bytes" "$T/mp.out")"
check "16 ranges with a 124-byte type: the type in each part" \
    grep -aq "^Content-Type: $longtype" "$T/mp.out"
liveness "multipart with a long type"
check "no worker died" test -z "$(grep 'died of signal' "$DDIR/error.log")"

# --- A redirect whose Location would not fit the response head.
mkdir -p "$T/root/adir"
q=$(head -c 3000 /dev/zero | tr '\0' a)
expect_status "directory redirect with a 3000-byte query: 414" 414 \
    "$(url "/adir?$q")"
expect_status "directory redirect with a 1000-byte query: 301" 301 \
    "$(url "/adir?${q:0:1000}")"
daemon_stop mp

# --- A failing fork() must not make the master spin: run it as nobody
# with a process limit of 1, so every fork fails.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	daemon_prepare nofork 'pid_file = "";'
	chmod 777 "$DDIR"
	runuser -u nobody -- bash -c "ulimit -u 1; exec '$MINIHTTPD' -F \
	    -c '$CONF'" > "$DDIR/out" 2>&1 &
	daemon_adopt nofork "$!"
	sleep 3
	ticks() {
		awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null
	}
	t0=$(ticks "$DPID")
	sleep 2
	t1=$(ticks "$DPID")
	check "failing fork: the master stays up" alive "$DPID"
	check "failing fork: the master does not spin ($((t1 - t0)) ticks)" \
	    test $((t1 - t0)) -lt 50
	n=$(grep -c "fork" "$DDIR/error.log")
	check "failing fork: a few log lines, not a flood ($n)" test "$n" -lt 30
	kill -TERM "$DPID"
	wait_gone 10 "$DPID"
else
	skip "failing fork does not spin" "needs root and runuser"
fi

# --- Reload while a request body is half sent: once the body is dropped
# and the connection goes idle, it must be handed over to the new
# generation (its next request is then served from the new root).
mkdir -p "$T/root2"
echo new-root > "$T/root2/index.html"
daemon_start body 'workers = 1;'
exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc' >&"$fd"
sleep 0.3
write_conf body 'workers = 1;' "document_root = \"$T/root2\";"
"$MINIHTTPD" -s reload -c "$CONF" > /dev/null 2>&1
printf 'defghij' >&"$fd"
sleep 0.5
printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&"$fd"
reply=$(timeout 5 cat <&"$fd")
exec {fd}>&-
check "body dropped during a reload: both requests answered" \
    test "$(echo "$reply" | grep -c '^HTTP/1.1 200')" = 2
check "body dropped during a reload: the next one from the new root" \
    grep -q new-root <<< "$reply"
daemon_stop body

# --- error_log switched from a file to stderr by a reload, then USR1:
# the old file must get nothing more.
daemon_start elog
write_conf elog 'error_log = "stderr";'
"$MINIHTTPD" -s reload -c "$CONF" > /dev/null 2>&1
"$MINIHTTPD" -s reopen -c "$CONF" > /dev/null 2>&1
sleep 0.3
before=$(wc -l < "$DDIR/error.log")
"$MINIHTTPD" -s reload -c "$CONF" > /dev/null 2>&1
sleep 0.5
check_eq "error_log moved to stderr: the old file gets no more lines" \
    "$before" "$(wc -l < "$DDIR/error.log")"
check "error_log moved to stderr: the lines go to stderr" \
    grep -q reloading "$DDIR/out"
daemon_stop elog

# --- QUIT while the old generation still retires (a slow download keeps
# one of its workers busy): once the download ends, that connection must
# be closed, not handed to the new generation, which is stopping too.
head -c $((8 * 1024 * 1024)) /dev/urandom > "$T/root/eight.bin"
daemon_start qr 'workers = 1;' \
    'timeouts = { header = 5; keepalive = 5; send = 10; shutdown = 15; };'
( curl -s --max-time 30 "$(url /eight.bin)" |
    perl -e 'while (sysread(STDIN, $b, 16384)) { syswrite(STDOUT, $b);
	select(undef, undef, undef, 0.008); }' > "$T/qr.out" ) &
slow=$!
bg_track "$slow"
sleep 0.5
kill -HUP "$DPID"
check "QUIT while retiring: the new generation is up" \
    wait_until 10 grep -q "serving: generation 2" "$DDIR/error.log"
kill -QUIT "$DPID"
wait "$slow"
check "QUIT while retiring: the download completes" \
    cmp -s "$T/qr.out" "$T/root/eight.bin"
check "QUIT while retiring: everything exits" wait_gone 20 "$DPID"
passed_after=$(awk '/draining and stopping/ { q = 1 }
    q && /passed to the new generation/ { n++ } END { print n + 0 }' \
    "$DDIR/error.log")
check_eq "QUIT while retiring: nothing handed over after QUIT" 0 \
    "$passed_after"

# --- A GET body within the discard limit (1 MiB) keeps the connection;
# a bigger one is answered, then the connection closes (never buffered).
daemon_start body2
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
daemon_stop body2

finish
