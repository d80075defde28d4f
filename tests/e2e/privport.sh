#!/bin/bash
#
# privport: HTTPS on a port below 1024 without root or any capability,
# as the shipped units do it (minihttpd-https.socket binds 443 and passes
# it to minihttpd.service, which runs as an unprivileged user with no
# capability).  Here tests/socketact plays systemd: it binds the port as
# root, and setpriv(1) makes minihttpd nobody, with no capability,
# before it starts.  Covers: the passed port serves HTTPS and survives a
# reload; a reload that adds a port below 1024 fails, says why, and the
# running generation keeps serving.
#
# Needs root (for the port below 1024 and setpriv), setpriv and openssl.
# Daemons: each case starts its own; all stop by PID.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SOCKETACT=$top_builddir/tests/socketact
e2e_init "$MINIHTTPD" "$SOCKETACT"

if ! grep -q '^#define HAVE_OPENSSL 1' "$top_builddir/config.h" 2>/dev/null
then
	skip_all "built without OpenSSL"
fi
command -v openssl > /dev/null || skip_all "no openssl command"
SETPRIV=$(command -v setpriv) || skip_all "no setpriv command"
[ "$(id -u)" = 0 ] || skip_all "not root: cannot bind a port below 1024"
read -r UNPRIV_START < /proc/sys/net/ipv4/ip_unprivileged_port_start ||
    UNPRIV_START=1024
[ "$UNPRIV_START" -gt 1000 ] ||
    skip_all "ip_unprivileged_port_start is $UNPRIV_START: any user binds"
NOBODY=65534

# privileged_port: a port from 500 to 999 on which nothing listens now.
privileged_port() {
	local p i

	for ((i = 0; i < 50; i++)); do
		p=$((500 + RANDOM % 500))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# mkcert DIR NAME: DIR/ca.pem, and DIR/NAME.pem (leaf then CA) and
# DIR/NAME.key for the DNS name NAME, readable by nobody only, as
# systemd's credentials or certbot-deploy's copies are by the service.
mkcert() {
	local d=$1 n=$2

	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 3 -subj "/CN=minihttpd test CA" -keyout "$d/ca.key" \
	    -out "$d/ca.pem" 2> /dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -subj "/CN=$n" -keyout "$d/$n.key" -out "$d/$n.csr" \
	    2> /dev/null &&
	printf 'subjectAltName=DNS:%s\n' "$n" > "$d/$n.ext" &&
	openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" \
	    -CAkey "$d/ca.key" -CAcreateserial -days 3 \
	    -extfile "$d/$n.ext" -out "$d/$n.leaf" 2> /dev/null &&
	cat "$d/$n.leaf" "$d/ca.pem" > "$d/$n.pem" &&
	chown "$NOBODY" "$d/$n.pem" "$d/$n.key" &&
	chmod 0400 "$d/$n.pem" "$d/$n.key"
}

# https_body PORT PATH: the body of a GET of https://example.com:PORT/PATH.
https_body() {
	curl -s --max-time 5 --cacert "$CASE_DIR/tls/ca.pem" \
	    --resolve "example.com:$1:127.0.0.1" "https://example.com:$1$2"
}

# master_status FIELD: a line of the master's /proc status ("Uid:", ...).
master_status() {
	awk -v f="$1" '$1 == f { $1 = ""; print substr($0, 2) }' \
	    "/proc/$DPID/status" 2>/dev/null
}

# A plain site on a high port that minihttpd binds itself, and a TLS
# site on the passed port below 1024.
sites_line() {
	echo "sites = ( { names = [ \"localhost\" ]; }," \
	    "{ names = [ \"example.com\" ]; listen = [ \"127.0.0.1:$1\" ];" \
	    "tls = { certificate = \"$CASE_DIR/tls/example.com.pem\";" \
	    "key = \"$CASE_DIR/tls/example.com.key\"; }; } );"
}

test_passed_port_unprivileged() {
	local priv priv2 gen1 out rc

	case_roots
	mkcert "$CASE_DIR/tls" example.com ||
	    { fail "openssl makes a certificate" "see above"; return; }
	priv=$(privileged_port) || { fail "a free port below 1024"; return; }
	daemon_prepare pp "$ROOT_A_LINE" "$(sites_line "$priv")" ||
	    { fail "pp: port" "none free"; return; }
	chown "$NOBODY:$NOBODY" "$DDIR"
	"$SOCKETACT" "$priv" "$SETPRIV" --reuid="$NOBODY" --regid="$NOBODY" \
	    --clear-groups --inh-caps=-all --bounding-set=-all \
	    "$MINIHTTPD" -F -c "$CONF" > "$DDIR/out" 2>&1 &
	daemon_adopt pp "$!"
	if ! wait_http 10 "$PORT" "$DPID"; then
		fail "unprivileged: the plain port serves" \
		    "$(cat "$DDIR/out" "$DDIR/error.log" 2>/dev/null)"
		return
	fi
	check_eq "unprivileged: the master runs as nobody" \
	    "$NOBODY $NOBODY $NOBODY $NOBODY" "$(master_status Uid:)"
	check_eq "unprivileged: the master has no capability" \
	    0000000000000000 "$(master_status CapEff:)"
	check_eq "unprivileged: HTTPS on passed port $priv" A \
	    "$(https_body "$priv" /ver.txt)"
	check "unprivileged: the log says adopted 127.0.0.1:$priv" \
	    grep -qF "socket activation: adopted 127.0.0.1:$priv" \
	    "$DDIR/error.log"
	wait_until 10 count_is "$DPID" 2
	gen1=$(live_children "$DPID")

	# A reload that adds a port below 1024 cannot bind it: refused, the
	# reason given, the running generation untouched.
	priv2=$(privileged_port)
	write_conf pp "$ROOT_B_LINE" \
	    "listen = [ \"127.0.0.1:$PORT\", \"127.0.0.1:$priv2\" ];" \
	    "$(sites_line "$priv")"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check_eq "new port below 1024: -s reload exits 1" 1 "$rc"
	check "new port below 1024: -s reload says why" \
	    grep -qF "cannot listen on 127.0.0.1:$priv2: Permission denied" \
	    <<< "$out"
	check "new port below 1024: the error log says reload failed" \
	    grep -qF "reload failed, keeping the running configuration:" \
	    "$DDIR/error.log"
	check_eq "new port below 1024: same workers" "$gen1" \
	    "$(live_children "$DPID")"
	check_eq "new port below 1024: HTTPS still served" A \
	    "$(https_body "$priv" /ver.txt)"

	# The passed port itself needs no privilege on a reload.
	write_conf pp "$ROOT_B_LINE" "$(sites_line "$priv")"
	out=$(timeout 20 "$MINIHTTPD" -s reload -c "$CONF" 2>&1)
	rc=$?
	check_eq "passed port: -s reload exits 0" 0 "$rc"
	[ "$rc" = 0 ] || echo "# -s reload said: $out"
	check_eq "passed port: HTTPS after the reload" B \
	    "$(https_body "$priv" /ver.txt)"
	daemon_stop pp
}

e2e_run "$@"
