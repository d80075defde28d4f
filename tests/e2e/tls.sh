#!/bin/bash
#
# tls: HTTPS end to end (DESIGN section 4a).  A throwaway CA and its
# certificates are made with the openssl command for each case; curl
# (with --cacert) and openssl s_client talk to the real daemon on
# 127.0.0.1.  Covers: serving and keep-alive over TLS, SNI choosing the
# certificate of each of three sites on one address, TLS 1.0/1.1
# refused, ALPN http/1.1, a plain request on the TLS port and a TLS
# hello on a plain port (400 at once), a Host naming another site than
# SNI chose (421), garbage handshakes, resumption across workers,
# certificates swapped by a reload, a bad certificate on reload keeping
# the old one, and -t refusing an expired certificate or a wrong key.
#
# Daemons: each case starts its own (names below); all stop by PID.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

if ! grep -q '^#define HAVE_OPENSSL 1' "$top_builddir/config.h" 2>/dev/null
then
	skip_all "built without OpenSSL"
fi
command -v openssl > /dev/null || skip_all "no openssl command"

# lacks PATTERN: stdin has no line matching PATTERN.
lacks() {
	! grep -q -- "$1"
}

# ---------------------------------------------------------------------
# Clients

# hs NAME PATH [CURL ARGS]: status of GET https://NAME:PORT/PATH
# (NAME resolved to 127.0.0.1, verified against $CA).
hs() {
	local n=$1 p=$2

	shift 2
	curl -s -o "$CASE_DIR/body" -w '%{http_code}' --max-time 5 \
	    --cacert "$CA" --resolve "$n:$PORT:127.0.0.1" "$@" \
	    "https://$n:$PORT$p"
}

# sclient ARGS...: openssl s_client to the current daemon, stdin closed;
# output (both streams) on stdout.
sclient() {
	timeout 10 openssl s_client -connect "127.0.0.1:$PORT" \
	    -CAfile "$CA" "$@" < /dev/null 2>&1
}

# tls_alive: the current daemon still answers GET / over TLS.
tls_alive() {
	check_eq "liveness${1:+ after $1}" 200 "$(hs "$LIVE_NAME" /)"
}

# one_site NAME DAEMON [LINES]: a daemon serving $T/root over TLS for the
# name NAME (certificate in $CASE_DIR).  Sets CA, LIVE_NAME.
one_site() {
	local n=$1 d=$2

	shift 2
	mkcert "$CASE_DIR" "$n"
	CA=$CASE_DIR/ca.pem
	LIVE_NAME=$n
	daemon_start "$d" "names = [ \"$n\" ];" \
	    "$(tls_group "$CASE_DIR" "$n")" "$@"
}

# ---------------------------------------------------------------------
# Cases

test_https_serves() {
	local got

	one_site a.test https || { fail "daemon starts" "see above"; return; }
	check_eq "GET over TLS: 200" 200 "$(hs a.test /index.html)"
	check "GET over TLS: the file" cmp -s "$T/root/index.html" \
	    "$CASE_DIR/body"
	got=$(curl -s --cacert "$CA" --resolve "a.test:$PORT:127.0.0.1" \
	    --max-time 10 -o /dev/null -o /dev/null -o /dev/null \
	    -w '%{http_code} %{num_connects}\n' "https://a.test:$PORT/" \
	    "https://a.test:$PORT/index.html" "https://a.test:$PORT/" |
	    tr '\n' ' ')
	check_eq "keep-alive: three requests, one connection" \
	    "200 1 200 0 200 0 " "$got"
	check "HEAD over TLS: no body" test -z \
	    "$(curl -s -I --cacert "$CA" --resolve "a.test:$PORT:127.0.0.1" \
	    "https://a.test:$PORT/" | tr -d '\r' | sed '1,/^$/d')"
	got=$(sclient -servername a.test -alpn http/1.1)
	check "ALPN: http/1.1 chosen" grep -q 'ALPN protocol: http/1.1' \
	    <<< "$got"
	check "certificate verified" grep -q 'Verify return code: 0 (ok)' \
	    <<< "$got"
	got=$(sclient -servername a.test -tls1_2)
	check "TLS 1.2: an AEAD suite with ECDHE" grep -qE \
	    'Cipher is ECDHE-(ECDSA|RSA)-(AES[0-9]+-GCM|CHACHA20-POLY1305)' \
	    <<< "$got"
	check "TLS 1.2: no compression" grep -q 'Compression: NONE' <<< "$got"
	# Renegotiation ("R" asks s_client for one) is refused.
	got=$( (sleep 1; printf 'R\n'; sleep 1) | timeout 10 openssl s_client \
	    -connect "127.0.0.1:$PORT" -CAfile "$CA" -servername a.test \
	    -tls1_2 2>&1)
	check "TLS 1.2: renegotiation asked" grep -q RENEGOTIATING <<< "$got"
	check "TLS 1.2: renegotiation refused" grep -qi \
	    'no renegotiation\|alert' <<< "$got"
	got=$(sclient -servername a.test -tls1_3)
	check "TLS 1.3 works" grep -q 'New, TLSv1.3' <<< "$got"
	tls_alive
}

# Files too big for the cache's memory go out as pread + SSL_write in
# records (the transport has no sendfile): every byte, ranges too.
test_big_file_over_tls() {
	local got

	head -c 8388608 /dev/urandom > "$T/root/tls-big.bin"
	one_site a.test big || { fail "daemon starts" "see above"; return; }
	check_eq "8 MiB over TLS: 200" 200 "$(hs a.test /tls-big.bin)"
	check "8 MiB over TLS: every byte" cmp -s "$T/root/tls-big.bin" \
	    "$CASE_DIR/body"
	check_eq "a range over TLS: 206" 206 \
	    "$(hs a.test /tls-big.bin -r 1000000-1999999)"
	check "a range over TLS: the bytes" cmp -s "$CASE_DIR/body" \
	    <(tail -c +1000001 "$T/root/tls-big.bin" | head -c 1000000)
	got=$(curl -s --cacert "$CA" --resolve "a.test:$PORT:127.0.0.1" \
	    --max-time 20 -o /dev/null -o /dev/null \
	    -w '%{http_code} %{size_download}\n' \
	    "https://a.test:$PORT/tls-big.bin" "https://a.test:$PORT/tls-big.bin" |
	    tr '\n' ' ')
	check_eq "two 8 MiB downloads on one TLS connection" \
	    "200 8388608 200 8388608 " "$got"
	tls_alive "big files"
}

test_old_protocols_refused() {
	local got

	one_site a.test old || { fail "daemon starts" "see above"; return; }
	for v in tls1 tls1_1; do
		got=$(sclient -servername a.test "-$v" -cipher 'DEFAULT:@SECLEVEL=0')
		check "$v refused: no session" lacks 'Cipher is ECDHE' \
		    <<< "$got"
		check "$v refused: handshake fails" grep -qiE \
		    'alert|error|no protocols|wrong version' <<< "$got"
	done
	check_eq "curl --tls-max 1.1: fails" 000 \
	    "$(hs a.test / --tls-max 1.1)"
	tls_alive "old protocols"
}

test_sni_three_sites() {
	local n got

	for n in a.test b.test c.test; do
		mkcert "$CASE_DIR" "$n"
		mkdir -p "$CASE_DIR/$n"
		echo "site $n" > "$CASE_DIR/$n/index.html"
	done
	CA=$CASE_DIR/ca.pem
	LIVE_NAME=a.test
	daemon_start sni "sites = (
  { names = [ \"a.test\" ]; document_root = \"$CASE_DIR/a.test\";
    $(tls_group "$CASE_DIR" a.test) },
  { names = [ \"b.test\" ]; document_root = \"$CASE_DIR/b.test\";
    $(tls_group "$CASE_DIR" b.test) },
  { names = [ \"c.test\" ]; document_root = \"$CASE_DIR/c.test\";
    $(tls_group "$CASE_DIR" c.test) default = true; }
);" || { fail "daemon starts" "see above"; return; }
	for n in a.test b.test c.test; do
		got=$(sclient -servername "$n")
		check "SNI $n: its certificate" grep -q "subject=CN = $n" \
		    <<< "$got"
		check_eq "SNI $n: 200" 200 "$(hs "$n" /)"
		check_eq "SNI $n: its site" "site $n" "$(cat "$CASE_DIR/body")"
	done
	got=$(sclient -servername unknown.test)
	check "unknown SNI: the default site's certificate" \
	    grep -q "subject=CN = c.test" <<< "$got"
	got=$(sclient -noservername)
	check "no SNI: the default site's certificate" \
	    grep -q "subject=CN = c.test" <<< "$got"
	check_eq "SNI a.test, Host b.test: 421" 421 \
	    "$(hs a.test / -H 'Host: b.test')"
	check_eq "SNI a.test, unknown Host: stays on a.test" 200 \
	    "$(hs a.test / -H 'Host: zzz.test')"
	check_eq "SNI a.test, unknown Host: a.test's page" "site a.test" \
	    "$(cat "$CASE_DIR/body")"
	tls_alive "SNI"
}

test_plain_request_on_tls_port() {
	local got t0 t1

	one_site a.test plainon || { fail "daemon starts" "see above"; return; }
	t0=$(date +%s%N)
	got=$(rawreq $'GET / HTTP/1.1\r\nHost: a.test\r\n\r\n' | tr -d '\r')
	t1=$(date +%s%N)
	check_eq "plain HTTP on the TLS port: 400" 400 \
	    "$(status_of <<< "$got")"
	check "the 400 says the port speaks HTTPS" grep -qi 'https' <<< "$got"
	check "answered at once (not after timeouts.header)" \
	    test $(((t1 - t0) / 1000000)) -lt 4000
	tls_alive "a plain request"
}

test_tls_hello_on_plain_port() {
	local got t0 t1

	fixture_plain || return
	t0=$(date +%s%N)
	got=$(printf '\026\003\001\002\000\001\000\001\374\003\003' | raw | tr -d '\r')
	t1=$(date +%s%N)
	check_eq "TLS hello on a plain port: 400" 400 "$(status_of <<< "$got")"
	check "answered at once (not after timeouts.header)" \
	    test $(((t1 - t0) / 1000000)) -lt 4000
	liveness "a TLS hello"
}

# fixture_plain: a plain daemon for the case.
fixture_plain() {
	daemon_start plain || { fail "daemon starts" "see above"; return 1; }
}

test_garbage_handshakes() {
	local i

	one_site a.test garbage || { fail "daemon starts" "see above"; return; }
	for i in 1 2 3; do
		head -c 300 /dev/urandom | sed '1s/^./\x16/' | raw -t 3 \
		    > /dev/null 2>&1
	done
	printf '\026\003\001\000\377' | raw -t 3 > /dev/null 2>&1
	printf '\026\003\003\000\100AAAA' | raw -t 3 > /dev/null 2>&1
	# A hello cut in the middle, then the connection closed.
	timeout 5 openssl s_client -connect "127.0.0.1:$PORT" \
	    -servername a.test < /dev/null > /dev/null 2>&1 &
	bg_track $!
	check "daemon alive after garbage" alive "$DPID"
	tls_alive "garbage handshakes"
}

# A handshake that stops half-way is cut at timeouts.header (5 s in the
# test configuration), like a request head that stops half-way.
test_dribbling_handshake_cut() {
	local t0 t1 ms

	one_site a.test dribble || { fail "daemon starts" "see above"; return; }
	t0=$(date +%s%N)
	printf '\026\003\001\002\000' | raw -k -t 15 > /dev/null 2>&1
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	check "half a ClientHello: closed after timeouts.header ($ms ms)" \
	    test "$ms" -ge 4000 -a "$ms" -lt 12000
	tls_alive "a dribbling handshake"
}

test_resumption_across_workers() {
	local i got reused=0 kids

	one_site a.test resume 'workers = 2;' ||
	    { fail "daemon starts" "see above"; return; }
	sclient -servername a.test -tls1_2 -sess_out "$CASE_DIR/sess" \
	    > /dev/null
	for i in 1 2 3 4 5 6; do
		got=$(sclient -servername a.test -tls1_2 \
		    -sess_in "$CASE_DIR/sess")
		grep -q '^Reused,' <<< "$got" && reused=$((reused + 1))
	done
	check_eq "TLS 1.2 session resumed on every try (two workers)" 6 \
	    "$reused"
	# A reload: new workers, new contexts, the same ticket keys.
	kids=$(children "$DPID")
	kill -HUP "$DPID"
	# shellcheck disable=SC2086
	wait_gone 10 $kids
	got=$(sclient -servername a.test -tls1_2 -sess_in "$CASE_DIR/sess")
	check "after a reload: the session resumes" grep -q '^Reused,' \
	    <<< "$got"
	# TLS 1.3 tickets come after the handshake: stay a moment.
	sleep 1 | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" \
	    -CAfile "$CA" -servername a.test -tls1_3 \
	    -sess_out "$CASE_DIR/s13" > /dev/null 2>&1
	kids=$(children "$DPID")
	kill -HUP "$DPID"
	# shellcheck disable=SC2086
	wait_gone 10 $kids
	got=$(sclient -servername a.test -tls1_3 -sess_in "$CASE_DIR/s13")
	check "TLS 1.3 ticket: resumes after a reload" grep -q '^Reused,' \
	    <<< "$got"
	tls_alive "resumption"
}

test_reload_swaps_certificate() {
	local s1 s2 i

	one_site a.test swap || { fail "daemon starts" "see above"; return; }
	s1=$(sclient -servername a.test | openssl x509 -noout -serial 2>/dev/null)
	mkcert "$CASE_DIR" a.test
	kill -HUP "$DPID"
	for ((i = 0; i < 100; i++)); do
		s2=$(sclient -servername a.test |
		    openssl x509 -noout -serial 2>/dev/null)
		[ -n "$s2" ] && [ "$s2" != "$s1" ] && break
		sleep 0.1
	done
	check "reload: the new certificate is served" \
	    test -n "$s2" -a "$s2" != "$s1"
	check_eq "reload: 200 over TLS" 200 "$(hs a.test /)"
	# A broken certificate: the reload fails, the old one stays.
	echo "not a certificate" > "$CASE_DIR/a.test.pem"
	run_out "$CASE_DIR/reload.out" "$MINIHTTPD" -s reload -c "$CONF"
	check "a bad certificate: -s reload says why" grep -q 'a.test.pem' \
	    "$CASE_DIR/reload.out"
	sleep 0.5
	check_eq "a bad certificate: still 200 with the old one" 200 \
	    "$(hs a.test /)"
	check "a bad certificate: the master lives" alive "$DPID"
}

# run_out OUT COMMAND...: bounded run, both streams into OUT.
run_out() {
	local out=$1

	shift
	timeout 20 "$@" > "$out" 2>&1
}

test_reloads_under_load() {
	local i wrkpid errors

	command -v wrk > /dev/null || { skip "reloads under load" "no wrk"; return; }
	one_site a.test load 'workers = 2;' ||
	    { fail "daemon starts" "see above"; return; }
	: > "$CASE_DIR/wrk.out"
	wrk -t1 -c8 -d6s "https://127.0.0.1:$PORT/index.html" \
	    > "$CASE_DIR/wrk.out" 2>&1 &
	wrkpid=$!
	bg_track "$wrkpid"
	for ((i = 0; i < 20; i++)); do
		mkcert "$CASE_DIR" a.test
		kill -HUP "$DPID"
		sleep 0.2
	done
	wait "$wrkpid"
	errors=$(grep -E 'Socket errors|Non-2xx' "$CASE_DIR/wrk.out")
	check "20 reloads under HTTPS load: requests served" grep -q \
	    'requests in' "$CASE_DIR/wrk.out"
	check_eq "20 reloads under HTTPS load: no error" "" "$errors"
	[ -z "$errors" ] || sed 's/^/# | /' "$CASE_DIR/wrk.out"
	tls_alive "20 reloads"
}

test_check_refuses_bad_certificates() {
	local c=$CASE_DIR port

	port=$(random_port)
	mkexpired "$c" old.test
	mkcert "$c" a.test
	mkcert "$c" b.test
	conf_text "$c" "$port" 'names = [ "old.test" ];' \
	    "$(tls_group "$c" old.test)" > "$c/expired.conf"
	run_out "$c/expired.out" "$MINIHTTPD" -t -c "$c/expired.conf"
	check_eq "-t: an expired certificate: exit 1" 1 "$?"
	check "-t: says expired" grep -qi 'expired' "$c/expired.out"
	conf_text "$c" "$port" 'names = [ "a.test" ];' \
	    "tls = { certificate = \"$c/a.test.pem\"; key = \"$c/b.test.key\"; };" \
	    > "$c/mismatch.conf"
	run_out "$c/mismatch.out" "$MINIHTTPD" -t -c "$c/mismatch.conf"
	check_eq "-t: a key of another certificate: exit 1" 1 "$?"
	check "-t: says the key does not match" grep -qi 'match' \
	    "$c/mismatch.out"
	conf_text "$c" "$port" 'names = [ "x.test" ];' \
	    "$(tls_group "$c" a.test)" > "$c/names.conf"
	run_out "$c/names.out" "$MINIHTTPD" -t -c "$c/names.conf"
	check_eq "-t: a certificate not covering the names: valid" 0 "$?"
	check "-t: warns that x.test is not covered" grep -q 'x.test' \
	    "$c/names.out"
	conf_text "$c" "$port" 'names = [ "a.test" ];' \
	    "$(tls_group "$c" a.test)" > "$c/good.conf"
	run_out "$c/good.out" "$MINIHTTPD" -t -c "$c/good.conf"
	check_eq "-t: a good certificate: exit 0" 0 "$?"
}

test_rsa_certificate() {
	mkcert "$CASE_DIR" r.test 3 rsa
	CA=$CASE_DIR/ca.pem
	LIVE_NAME=r.test
	daemon_start rsa 'names = [ "r.test" ];' \
	    "$(tls_group "$CASE_DIR" r.test)" ||
	    { fail "daemon starts" "see above"; return; }
	check_eq "RSA certificate: 200" 200 "$(hs r.test /)"
	check "RSA certificate: an ECDHE-RSA suite over TLS 1.2" grep -q \
	    'Cipher is ECDHE-RSA-' <<< "$(sclient -servername r.test -tls1_2)"
}

# An ECDSA and an RSA certificate for one site: each client gets the one
# it can verify, and -t checks both.
test_ecdsa_and_rsa_on_one_site() {
	local d=$CASE_DIR t

	mkcert "$d" two.test 3 rsa
	for t in pem key; do mv "$d/two.test.$t" "$d/rsa.$t"; done
	mkcert "$d" two.test 3 ec
	for t in pem key; do mv "$d/two.test.$t" "$d/ec.$t"; done
	CA=$d/ca.pem
	LIVE_NAME=two.test
	daemon_start two 'names = [ "two.test" ];' \
	    "tls = { certificate = [ \"$d/ec.pem\", \"$d/rsa.pem\" ];" \
	    "key = [ \"$d/ec.key\", \"$d/rsa.key\" ]; };" ||
	    { fail "daemon starts" "see above"; return; }
	check_eq "two certificates: 200" 200 "$(hs two.test /)"
	# Which way files go: kTLS where the kernel has the "tls" module
	# (CI machines lack it), else pread + SSL_write.
	check "the log says which path files take" grep -Eq \
	    'files go out (as pread \+ SSL_write|with SSL_sendfile)' \
	    "$T/two/error.log"
	check "a client taking both gets ECDSA" grep -q \
	    'Peer signature type: ECDSA' <<< "$(sclient -servername two.test)"
	check "a TLS 1.3 client verifying only RSA gets RSA" grep -q \
	    'Peer signature type: RSA-PSS' <<< "$(sclient -servername \
	    two.test -sigalgs rsa_pss_rsae_sha256)"
	check "a TLS 1.2 client with RSA suites only gets RSA" grep -q \
	    'Cipher is ECDHE-RSA-AES' <<< "$(sclient -servername two.test \
	    -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256)"
	check "the RSA one verifies" grep -q 'Verify return code: 0 (ok)' \
	    <<< "$(sclient -servername two.test -verify_hostname two.test \
	    -sigalgs rsa_pss_rsae_sha256)"
	conf_text "$d" "$(random_port)" 'names = [ "two.test" ];' \
	    "tls = { certificate = [ \"$d/ec.pem\", \"$d/ec.pem\" ];" \
	    "key = [ \"$d/ec.key\", \"$d/ec.key\" ]; };" > "$d/dup.conf"
	run_out "$d/dup.out" "$MINIHTTPD" -t -c "$d/dup.conf"
	check_eq "-t: two ECDSA certificates: exit 1" 1 "$?"
	check "-t: one certificate per type of key" grep -q \
	    'one certificate per type of key' "$d/dup.out"
}

e2e_run "$@"
