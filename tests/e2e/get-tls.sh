#!/bin/bash
#
# get-tls: minihttp-get over HTTPS.  A throwaway CA and its certificates
# are made with the openssl command in each case's directory (lib.sh's
# mkca, mkcert, mkexpired); the client fetches from minihttpd's TLS
# sites, from `openssl s_server -www` (an expired certificate, which
# minihttpd refuses to load), from nginx serving HTTPS when it is
# installed, and from tests/fakeserver (a server that never answers a
# handshake).  Covers: verification against --cacert, the system store
# (an unknown CA), -k, a name or address the certificate does not cover,
# an expired certificate, exit status 6 and its one-line reasons, -v's
# protocol, suite, ALPN and certificate lines, keep-alive and session
# resumption over TLS, -L from http:// to https://, the handshake bound
# by --connect-timeout, and a plain server on an https:// URL.
#
# Servers: each case starts its own minihttpd (daemon_start, by name
# below); s_server, nginx and fakeserver are private to their case and
# stopped by their PID.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

FAKESERVER=$top_builddir/tests/fakeserver
e2e_init "$MINIHTTPD" "$GETCMD" "$FAKESERVER"

if ! grep -q '^#define HAVE_OPENSSL 1' "$top_builddir/config.h" 2>/dev/null
then
	skip_all "built without OpenSSL"
fi
command -v openssl > /dev/null || skip_all "no openssl command"

# ---------------------------------------------------------------------
# Helpers

# mg ARGS...: minihttp-get bounded to 30 s; stdout in $O, stderr in $E,
# exit status in RC (files of the running case).
mg() {
	O=$CASE_DIR/out
	E=$CASE_DIR/err
	timeout -k 2 30 "$GETCMD" "$@" > "$O" 2> "$E"
	RC=$?
}

# check_grep NAME PATTERN FILE: an extended regexp matches a line.
check_grep() {
	if grep -qE -- "$2" "$3"; then
		ok "$1"
	else
		fail "$1" "no /$2/ in $3: $(head -c 300 "$3")"
	fi
}

# check_body NAME FILE: the last run wrote FILE's bytes.
check_body() {
	if cmp -s "$2" "$O"; then
		ok "$1"
	else
		fail "$1" "the output differs from $2: $(head -c 200 "$O")"
	fi
}

# count PATTERN FILE: lines of FILE matching the extended regexp.
count() {
	grep -cE -- "$1" "$2"
}

# logged N FILE: FILE (an access log) has N lines or more (for
# wait_until: the log is written in blocks, within a second).
logged() {
	[ "$(wc -l < "$2" 2>/dev/null || echo 0)" -ge "$1" ]
}

# tls_daemon NAME CERT [LINE...]: a minihttpd serving $T/root over TLS
# for the name localhost with CERT's certificate, made in $CASE_DIR
# (signed by its CA, $CASE_DIR/ca.pem).  Sets PORT, DPID, CA.
tls_daemon() {
	local name=$1 cert=$2

	shift 2
	mkcert "$CASE_DIR" "$cert"
	CA=$CASE_DIR/ca.pem
	daemon_start "$name" 'names = [ "localhost" ];' \
	    "$(tls_group "$CASE_DIR" "$cert")" "$@" ||
	    { fail "daemon $name starts" "see above"; return 1; }
}

# tls_done [WHAT]: the case's minihttpd still serves over TLS; then it
# is stopped, so that later cases do not keep checking it.
tls_done() {
	mg -k -o /dev/null "https://localhost:$PORT/"
	check_eq "liveness over TLS${1:+ after $1}" 0 "$RC"
	daemon_stop
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# listening PORT: something listens on 127.0.0.1:PORT, seen in
# /proc/net/tcp without connecting (a connection would use up a server
# that accepts only one).
listening() {
	grep -qE "^ *[0-9]+: 0100007F:$(printf '%04X' "$1") 0{8}:0000 0A " \
	    /proc/net/tcp
}

# stop_pid PID: TERM, a bounded wait, then KILL; for the helper servers.
stop_pid() {
	kill -TERM "$1" 2>/dev/null
	wait_gone 10 "$1" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# ---------------------------------------------------------------------
# Cases

test_get_with_cacert() {
	local u

	tls_daemon cacert localhost || return
	u=https://localhost:$PORT
	mg --cacert "$CA" "$u/index.html"
	check_eq "--cacert: exit 0" 0 "$RC"
	check_body "--cacert: the file" "$T/root/index.html"
	mg -v --cacert "$CA" -o /dev/null "$u/index.html"
	check_eq "-v: exit 0" 0 "$RC"
	check_grep "-v: the protocol, TLSv1.3" '^\* TLSv1\.3 TLS_[A-Z0-9_]+, ' \
	    "$E"
	check_grep "-v: ALPN http/1.1" '^\* TLSv1\.3 .*, ALPN http/1\.1$' "$E"
	check_grep "-v: the subject" '^\*  subject: CN = localhost$' "$E"
	check_grep "-v: the issuer" '^\*  issuer: CN = minihttpd test CA$' \
	    "$E"
	check_grep "-v: the expiry" \
	    '^\*  expires: [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [0-9]{4} GMT$' "$E"
	check_grep "-v: verified" '^\*  certificate verified$' "$E"
	check_grep "-v: Host with the port (not 443)" \
	    "^> Host: localhost:$PORT\$" "$E"
	mg --cacert "$CA" -I "$u/index.html"
	check_grep "-I over TLS: the head" '^HTTP/1\.1 200 ' "$O"
	tls_done
}

test_unknown_ca() {
	local u

	tls_daemon unknownca localhost || return
	u=https://localhost:$PORT
	mg "$u/index.html"
	check_eq "system store: exit 6" 6 "$RC"
	check_eq "system store: one line naming the cause and the server" \
	    "minihttp-get: TLS: unknown CA (self-signed or not trusted): localhost:$PORT" \
	    "$(cat "$E")"
	check_eq "system store: nothing written" "" "$(cat "$O")"
	mg -k "$u/index.html"
	check_eq "-k: exit 0" 0 "$RC"
	check_body "-k: the file" "$T/root/index.html"
	mg --insecure -v -o /dev/null "$u/index.html"
	check_grep "--insecure -v: says it is not verified, and why" \
	    '^\*  certificate not verified \(-k\): unknown CA' "$E"
	# Another CA than the server's: unknown too.
	mkca "$CASE_DIR/other"
	mg --cacert "$CASE_DIR/other/ca.pem" "$u/index.html"
	check_eq "another CA: exit 6" 6 "$RC"
	check_grep "another CA: unknown CA" 'unknown CA' "$E"
	tls_done
}

test_name_mismatch() {
	local u

	tls_daemon mismatch other.test || return
	u=https://localhost:$PORT
	mg --cacert "$CA" "$u/index.html"
	check_eq "a certificate for other.test: exit 6" 6 "$RC"
	check_eq "a certificate for other.test: says it does not match" \
	    "minihttp-get: TLS: certificate does not match localhost: localhost:$PORT" \
	    "$(cat "$E")"
	mg -k "$u/index.html"
	check_eq "a certificate for other.test, -k: exit 0" 0 "$RC"
	# An address is checked against the certificate's IP entries.
	mg --cacert "$CA" "https://127.0.0.1:$PORT/index.html"
	check_eq "https://127.0.0.1 with a DNS-only certificate: exit 6" 6 \
	    "$RC"
	check_grep "https://127.0.0.1: does not match 127.0.0.1" \
	    "does not match 127\.0\.0\.1: 127\.0\.0\.1:$PORT\$" "$E"
	tls_done
}

test_ip_address_certificate() {
	tls_daemon ipcert 127.0.0.1 || return
	mg --cacert "$CA" "https://127.0.0.1:$PORT/index.html"
	check_eq "a certificate with IP:127.0.0.1: exit 0" 0 "$RC"
	check_body "a certificate with IP:127.0.0.1: the file" \
	    "$T/root/index.html"
	mg --cacert "$CA" "https://localhost:$PORT/index.html"
	check_eq "the same certificate, asked for localhost: exit 6" 6 "$RC"
	check_grep "the same certificate, asked for localhost: no match" \
	    'does not match localhost' "$E"
	tls_done
}

# minihttpd refuses to load an expired certificate (tls.sh checks it):
# openssl s_server serves it.
test_expired_certificate() {
	local p spid

	mkexpired "$CASE_DIR" localhost
	p=$(random_port) || { fail "a free port" "none found"; return; }
	openssl s_server -accept "127.0.0.1:$p" -cert "$CASE_DIR/localhost.pem" \
	    -key "$CASE_DIR/localhost.key" -www -quiet \
	    > "$CASE_DIR/s_server.out" 2>&1 < /dev/null &
	spid=$!
	bg_track "$spid"
	if ! wait_until 10 port_open "$p"; then
		fail "s_server starts" "$(head -c 300 "$CASE_DIR/s_server.out")"
		stop_pid "$spid"
		return
	fi
	mg --cacert "$CASE_DIR/ca.pem" "https://localhost:$p/"
	check_eq "an expired certificate: exit 6" 6 "$RC"
	check_eq "an expired certificate: says so" \
	    "minihttp-get: TLS: certificate has expired: localhost:$p" \
	    "$(cat "$E")"
	mg -k -v "https://localhost:$p/"
	check_eq "an expired certificate, -k: exit 0" 0 "$RC"
	check_grep "an expired certificate, -k: s_server's page" \
	    's_server' "$O"
	check_grep "-k -v: the expiry shown" '^\*  expires: Jan  2 00:00:00 2020 GMT$' \
	    "$E"
	check_grep "-k -v: no ALPN from s_server" ', ALPN none$' "$E"
	stop_pid "$spid"
}

# A body that ends with the connection (no Content-Length) is complete
# only when the server ends the TLS session with close_notify: an end
# of the TCP stream without it may be an attacker's cut.  s_server sends
# what its standard input (a FIFO here) gives; closing that FIFO makes it
# end the session cleanly, and KILL cuts it.
test_close_delimited_body() {
	local how p spid cpid rc fifo=$CASE_DIR/in

	mkcert "$CASE_DIR" localhost
	for how in clean cut; do
		p=$(random_port) || { fail "a free port" "none found"; return; }
		rm -f "$fifo"
		mkfifo "$fifo"
		openssl s_server -accept "127.0.0.1:$p" -naccept 1 -quiet \
		    -cert "$CASE_DIR/localhost.pem" \
		    -key "$CASE_DIR/localhost.key" < "$fifo" \
		    > "$CASE_DIR/s_server.$how" 2>&1 &
		spid=$!
		bg_track "$spid"
		exec 7> "$fifo"
		printf 'HTTP/1.0 200 OK\r\n\r\nfirst part' >&7
		if ! wait_until 10 listening "$p"; then
			fail "$how: s_server starts" \
			    "$(head -c 300 "$CASE_DIR/s_server.$how")"
			exec 7>&-
			stop_pid "$spid"
			continue
		fi
		timeout -k 2 20 "$GETCMD" -v --cacert "$CASE_DIR/ca.pem" \
		    "https://localhost:$p/" > "$CASE_DIR/out.$how" \
		    2> "$CASE_DIR/err.$how" 7>&- &
		cpid=$!
		wait_until 10 grep -q '^< HTTP/1.0 200' "$CASE_DIR/err.$how"
		wait_until 10 grep -q 'first part' "$CASE_DIR/out.$how"
		if [ "$how" = cut ]; then
			kill -KILL "$spid" 2>/dev/null
		fi
		exec 7>&-
		wait "$cpid"
		rc=$?
		stop_pid "$spid"
		if [ "$how" = clean ]; then
			check_eq "close_notify ends the body: exit 0" 0 "$rc"
			check_eq "close_notify ends the body: all of it" \
			    "first part" "$(cat "$CASE_DIR/out.$how")"
		else
			check_eq "a cut without close_notify: exit 4" 4 "$rc"
			check_grep "a cut without close_notify: says so" \
			    'transfer truncated: got 10 bytes, then the connection ended without TLS close_notify: /$' \
			    "$CASE_DIR/err.$how"
		fi
	done
}

test_keepalive_two_targets() {
	local u

	tls_daemon keepalive localhost || return
	u=https://localhost:$PORT
	printf 'second\n' > "$CASE_DIR/second.txt"
	cp "$CASE_DIR/second.txt" "$T/root/ka-second.txt"
	mg -v --cacert "$CA" -o "$CASE_DIR/1" -o "$CASE_DIR/2" \
	    "$u/index.html" "$u/ka-second.txt"
	check_eq "two targets: exit 0" 0 "$RC"
	check_eq "two targets: one connection" 1 \
	    "$(count '^\* connected to' "$E")"
	check_eq "two targets: one handshake" 1 "$(count '^\* TLSv' "$E")"
	check_eq "two targets: the second reuses it" 1 \
	    "$(count "^\* reusing connection to localhost:$PORT\$" "$E")"
	check "two targets: the first file" cmp -s "$T/root/index.html" \
	    "$CASE_DIR/1"
	check "two targets: the second file" cmp -s "$CASE_DIR/second.txt" \
	    "$CASE_DIR/2"
	wait_until 5 logged 2 "$DDIR/access.log"
	check_eq "two targets: both requests in the access log" 2 \
	    "$(count '"GET /(index.html|ka-second.txt) ' "$DDIR/access.log")"
	tls_done
}

# One request per connection: the second connection resumes the TLS
# session of the first (a TLS 1.3 ticket, kept per server).
test_session_resumed() {
	local u

	tls_daemon resume localhost \
	    'limits = { max_keepalive_requests = 1; };' || return
	u=https://localhost:$PORT
	mg -v --cacert "$CA" -o /dev/null -o /dev/null "$u/index.html" \
	    "$u/index.html"
	check_eq "one request per connection: exit 0" 0 "$RC"
	check_eq "one request per connection: two connections" 2 \
	    "$(count '^\* connected to' "$E")"
	check_eq "the second connection resumes the session" 1 \
	    "$(count '^\* TLS session resumed$' "$E")"
	check_eq "a resumed session is still verified" 2 \
	    "$(count '^\*  certificate verified$' "$E")"
	tls_done
}

test_redirect_http_to_https() {
	local p1 p2

	mkcert "$CASE_DIR" localhost
	p1=$(random_port) && p2=$(random_port) ||
	    { fail "free ports" "none found"; return; }
	daemon_start redirect "listen = [ \"127.0.0.1:$p1\" ];" "sites = (
  { listen = [ \"127.0.0.1:$p1\" ];
    redirect = \"https://localhost:$p2\$request_uri\"; },
  { names = [ \"localhost\" ]; listen = [ \"127.0.0.1:$p2\" ];
    $(tls_group "$CASE_DIR" localhost) }
);" || { fail "daemon redirect starts" "see above"; return; }
	mg -L -v --cacert "$CASE_DIR/ca.pem" "http://localhost:$p1/index.html"
	check_eq "-L http -> https: exit 0" 0 "$RC"
	check_body "-L http -> https: the file" "$T/root/index.html"
	check_grep "-L http -> https: the 301" '^< HTTP/1\.1 301 ' "$E"
	check_grep "-L http -> https: followed" \
	    "^\* following redirect to https://localhost:$p2/index.html\$" "$E"
	check_grep "-L http -> https: over TLS" '^\* TLSv1\.3 ' "$E"
	mg -L "http://localhost:$p1/index.html"
	check_eq "-L to https without --cacert: exit 6" 6 "$RC"
	check_grep "-L to https without --cacert: unknown CA" 'unknown CA' "$E"
	mg "http://localhost:$p1/index.html"
	check_eq "without -L: the 301 is a success" 0 "$RC"
	check_grep "without -L: the notice names the https location" \
	    "-> https://localhost:$p2/index.html" "$E"
}

# The handshake counts against --connect-timeout: fakeserver accepts
# the connection and waits for a request head that never comes.
test_handshake_timeout() {
	local fpid

	"$FAKESERVER" -t 60 > "$CASE_DIR/fake.port" 2> "$CASE_DIR/fake.err" &
	fpid=$!
	bg_track "$fpid"
	if ! wait_until 5 test -s "$CASE_DIR/fake.port"; then
		fail "fakeserver starts" "$(cat "$CASE_DIR/fake.err")"
		stop_pid "$fpid"
		return
	fi
	mg -k --connect-timeout 1 \
	    "https://127.0.0.1:$(head -n 1 "$CASE_DIR/fake.port")/ok"
	check_eq "a handshake without answer: exit 3" 3 "$RC"
	check_grep "a handshake without answer: timed out" \
	    '^minihttp-get: timed out after 1 s: 127\.0\.0\.1:' "$E"
	stop_pid "$fpid"
}

test_plain_server_on_https_url() {
	daemon_start plainsrv || { fail "daemon plainsrv starts" "see above"; return; }
	mg -k "https://127.0.0.1:$PORT/index.html"
	check_eq "https:// to a plain HTTP port: exit 6" 6 "$RC"
	check_grep "https:// to a plain HTTP port: the handshake failed" \
	    "^minihttp-get: TLS: handshake failed: .+: 127\.0\.0\.1:$PORT\$" "$E"
}

test_cacert_errors() {
	mg --cacert "$CASE_DIR/missing.pem" "https://127.0.0.1:1/"
	check_eq "--cacert of a missing file: usage error" 2 "$RC"
	check_grep "--cacert of a missing file: says so" \
	    'cannot read --cacert .*missing\.pem' "$E"
	echo "not a certificate" > "$CASE_DIR/bad.pem"
	tls_daemon cacerterr localhost || return
	mg --cacert "$CASE_DIR/bad.pem" "https://localhost:$PORT/"
	check_eq "--cacert that holds no certificate: exit 6" 6 "$RC"
	check_grep "--cacert that holds no certificate: says so" \
	    'cannot load --cacert .*bad\.pem' "$E"
	tls_done
}

# nginx as an independent HTTPS server: its own prefix and configuration
# in the case directory, stopped by its PID.
test_nginx_https() {
	local d=$CASE_DIR/nginx p npid u

	if ! command -v nginx > /dev/null && [ ! -x /usr/sbin/nginx ]; then
		skip "nginx over HTTPS" "no nginx"
		return
	fi
	mkcert "$CASE_DIR" localhost
	mkdir -p "$d/tmp" "$d/logs"
	p=$(random_port) || { fail "a free port" "none found"; return; }
	cat > "$d/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
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
		listen 127.0.0.1:$p ssl;
		ssl_protocols TLSv1.2 TLSv1.3;
		ssl_certificate $CASE_DIR/localhost.pem;
		ssl_certificate_key $CASE_DIR/localhost.key;
		root $T/root;
	}
}
EOF
	"$(command -v nginx || echo /usr/sbin/nginx)" -p "$d" -c "$d/nginx.conf" \
	    -e "$d/error.log" > "$d/out" 2>&1 &
	npid=$!
	bg_track "$npid"
	if ! wait_until 10 port_open "$p"; then
		fail "nginx starts" "$(tail -n 5 "$d/error.log" "$d/out" 2>&1)"
		stop_pid "$npid"
		return
	fi
	u=https://localhost:$p
	printf 'nginx second\n' > "$T/root/nginx-second.txt"
	mg -v --cacert "$CASE_DIR/ca.pem" "$u/index.html"
	check_eq "nginx: exit 0" 0 "$RC"
	check_body "nginx: the file" "$T/root/index.html"
	check_grep "nginx: TLSv1.3 and ALPN http/1.1" \
	    '^\* TLSv1\.3 .*, ALPN http/1\.1$' "$E"
	mg -v --cacert "$CASE_DIR/ca.pem" -o "$CASE_DIR/1" -o "$CASE_DIR/2" \
	    "$u/index.html" "$u/nginx-second.txt"
	check_eq "nginx: two targets: exit 0" 0 "$RC"
	check_eq "nginx: two targets, one connection" 1 \
	    "$(count '^\* connected to' "$E")"
	check_eq "nginx: two targets, the second reuses it" 1 \
	    "$(count '^\* reusing connection' "$E")"
	check "nginx: two targets: the second file" cmp -s \
	    "$T/root/nginx-second.txt" "$CASE_DIR/2"
	mg "$u/index.html"
	check_eq "nginx: without --cacert: exit 6" 6 "$RC"
	stop_pid "$npid"
}

e2e_run "$@"
