#!/bin/bash
# The systemd units: systemd-analyze must find nothing wrong with them,
# and the exposure rating of the service must stay at 2.0 or lower
# (Debian's own units for nginx, lighttpd and h2o rate 9.3-9.6), as it
# is shipped and as its comment says to change it for CAP_NET_BIND_SERVICE.
# minihttpd-https.socket passes ports 80 and 443, so the service needs no
# capability; a configuration with TLS sites on exactly those addresses
# and keys where the unit says to put them (systemd credentials, or the
# state directory that certbot-deploy fills) passes "minihttpd -t".
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
bad() { echo "not ok - $1"; echo "# $2"; failed=$((failed + 1)); }

command -v systemd-analyze >/dev/null || {
	echo "1..0 # SKIP systemd-unit: systemd-analyze not installed"
	exit 0
}
T=$(mktemp -d) || exit 1
# (u+w first: the credentials directory is read-only, as systemd's.)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
# The unit as installed, but pointing at the binaries of this build, and
# man pages where man(1) finds them.
mkdir -p "$T/man/man8" "$T/man/man5"
cp "$top_builddir/man/minihttpd.8" "$T/man/man8/"
cp "$top_builddir/man/minihttpd.conf.5" "$T/man/man5/"
sed -e "s|@sbindir@|$top_builddir/src|g" -e "s|@sysconfdir@|$T|g" \
    -e "s|@pkglibexecdir@|$top_builddir/systemd|g" \
    "$top_srcdir/systemd/minihttpd.service.in" > "$T/minihttpd.service"
cp "$top_srcdir/systemd/minihttpd.socket" \
    "$top_srcdir/systemd/minihttpd-https.socket" "$T/"
touch "$T/minihttpd.conf"

out=$(cd "$T" && MANPATH="$T/man" systemd-analyze verify \
    minihttpd.service minihttpd.socket minihttpd-https.socket 2>&1)
if [ -z "$out" ]; then
	ok "systemd-analyze verify is clean"
else
	bad "systemd-analyze verify" "$out"
fi

# exposure NAME FILE: the overall exposure level of FILE is 2.0 or lower.
exposure() {
	local level

	level=$(systemd-analyze security --offline=true "$2" 2>&1 |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$level" ] &&
	    awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
		ok "$1: exposure $level <= 2.0"
	else
		bad "$1: exposure" "got '${level:-nothing}', want <= 2.0"
	fi
}
exposure "shipped unit" "$T/minihttpd.service"
# The variant the unit's comment describes for binding ports below 1024
# itself: those three lines in place of CapabilityBoundingSet= and
# PrivateUsers=yes.
mkdir -p "$T/cap"
if grep -q '^#   AmbientCapabilities=CAP_NET_BIND_SERVICE$' \
    "$T/minihttpd.service" &&
    grep -q '^#   CapabilityBoundingSet=CAP_NET_BIND_SERVICE$' \
    "$T/minihttpd.service" &&
    grep -q '^#   PrivateUsers=no$' "$T/minihttpd.service"; then
	ok "the unit's comment gives the CAP_NET_BIND_SERVICE lines"
else
	bad "the unit's comment gives the CAP_NET_BIND_SERVICE lines" "missing"
fi
sed -e 's/^CapabilityBoundingSet=$/AmbientCapabilities=CAP_NET_BIND_SERVICE\
CapabilityBoundingSet=CAP_NET_BIND_SERVICE/' \
    -e 's/^PrivateUsers=yes$/PrivateUsers=no/' \
    "$T/minihttpd.service" > "$T/cap/minihttpd.service"
if grep -q '^AmbientCapabilities=CAP_NET_BIND_SERVICE' \
    "$T/cap/minihttpd.service" &&
    grep -q '^PrivateUsers=no' "$T/cap/minihttpd.service"; then
	exposure "CAP_NET_BIND_SERVICE variant" "$T/cap/minihttpd.service"
else
	bad "CAP_NET_BIND_SERVICE variant" "could not make it from the unit"
fi

for k in "Type=notify" "KillSignal=SIGQUIT" "LogsDirectory=minihttpd" \
    "RuntimeDirectory=minihttpd" "StateDirectory=minihttpd" \
    "ExecStartPre=$top_builddir/src/minihttpd -t"; do
	if grep -q "^$k" "$T/minihttpd.service"; then
		ok "unit has $k"
	else
		bad "unit has $k" "missing"
	fi
done
# The stop timeout must exceed the default timeouts.shutdown (30 s).
stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\).*/\1/p' "$T/minihttpd.service")
if [ -n "$stop" ] && [ "$stop" -gt 30 ]; then
	ok "TimeoutStopSec=$stop > timeouts.shutdown"
else
	bad "TimeoutStopSec" "got '$stop'"
fi

# The shipped service takes no capability: ports below 1024 come from
# minihttpd-https.socket.
for k in "CapabilityBoundingSet=" "PrivateUsers=yes"; do
	if grep -qFx "$k" "$T/minihttpd.service"; then
		ok "unit has $k"
	else
		bad "unit has $k" "missing"
	fi
done
if grep -q '^AmbientCapabilities=' "$T/minihttpd.service"; then
	bad "shipped unit has no AmbientCapabilities=" "it has"
else
	ok "shipped unit has no AmbientCapabilities="
fi

# The HTTPS socket unit: 80 and 443 on IPv4 and IPv6, each family on its
# own socket as minihttpd binds them, for minihttpd.service.
hs=$T/minihttpd-https.socket
for k in "Service=minihttpd.service" "ListenStream=0.0.0.0:80" \
    "ListenStream=[::]:80" "ListenStream=0.0.0.0:443" \
    "ListenStream=[::]:443" "BindIPv6Only=ipv6-only" \
    "WantedBy=sockets.target"; do
	if grep -qFx "$k" "$hs"; then
		ok "minihttpd-https.socket has $k"
	else
		bad "minihttpd-https.socket has $k" "missing"
	fi
done
listens() {
	sed -n "s/^ListenStream=\\(.*:$1\\)\$/\"\\1\"/p" "$hs" | paste -sd, -
}
L80=$(listens 80)
L443=$(listens 443)

# A configuration for these sockets with its keys as systemd credentials
# (LoadCredential=), then as certbot-deploy leaves them.
if ! command -v openssl > /dev/null ||
    ! grep -q '^#define HAVE_OPENSSL 1' "$top_builddir/config.h" 2>/dev/null
then
	echo "ok - credentials and certbot-deploy # SKIP no OpenSSL"
	echo "1..$((passed + failed + 1))"
	echo "# systemd-unit: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
mkdir -p "$T/ca" "$T/www" "$T/run" "$T/credentials"
# A CA, and a certificate for example.com (fullchain.pem, privkey.pem).
mkcert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 3 -subj "/CN=minihttpd test CA" -keyout "$T/ca/ca.key" \
	    -out "$T/ca/ca.pem" 2> /dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -subj "/CN=example.com" -keyout "$T/ca/privkey.pem" \
	    -out "$T/ca/leaf.csr" 2> /dev/null &&
	printf 'subjectAltName=DNS:example.com\n' > "$T/ca/leaf.ext" &&
	openssl x509 -req -in "$T/ca/leaf.csr" -CA "$T/ca/ca.pem" \
	    -CAkey "$T/ca/ca.key" -CAcreateserial -days 3 \
	    -extfile "$T/ca/leaf.ext" -out "$T/ca/leaf.pem" 2> /dev/null &&
	cat "$T/ca/leaf.pem" "$T/ca/ca.pem" > "$T/ca/fullchain.pem"
}
mkcert || bad "openssl makes a certificate" "see above"

# tls_conf CERT KEY: a configuration whose TLS site serves the 443
# sockets with CERT and KEY, and whose plain site the 80 ones.
tls_conf() {
	cat <<-EOF
	pid_file = "$T/run/minihttpd.pid";
	error_log = "stderr";
	access_log = "";
	document_root = "$T/www";
	sites = (
	  { names = [ "example.com" ]; listen = [ $L443 ];
	    tls = { certificate = "$1"; key = "$2"; }; },
	  { names = [ "example.com" ]; listen = [ $L80 ];
	    redirect = "https://\$host\$request_uri"; }
	);
	EOF
}

# As systemd leaves them: files of mode 0400 in a directory of mode 0500,
# $CREDENTIALS_DIRECTORY, named as LoadCredential= in the unit says.
cp "$T/ca/fullchain.pem" "$T/credentials/example.com.pem"
cp "$T/ca/privkey.pem" "$T/credentials/example.com.key"
chmod 0400 "$T/credentials/"*
chmod 0500 "$T/credentials"
# shellcheck disable=SC2016
tls_conf '$CREDENTIALS_DIRECTORY/example.com.pem' \
    '$CREDENTIALS_DIRECTORY/example.com.key' > "$T/cred.conf.in"
if out=$(export CREDENTIALS_DIRECTORY="$T/credentials" &&
    sed "s|\$CREDENTIALS_DIRECTORY|$CREDENTIALS_DIRECTORY|g" \
    "$T/cred.conf.in" > "$T/cred.conf" &&
    "$top_builddir/src/minihttpd" -t -c "$T/cred.conf" 2>&1); then
	ok "minihttpd -t accepts keys from \$CREDENTIALS_DIRECTORY"
else
	bad "minihttpd -t accepts keys from \$CREDENTIALS_DIRECTORY" "$out"
fi
# ... and would refuse them missing (the check above checks something).
sed "s|\$CREDENTIALS_DIRECTORY|$T/no-credentials|g" "$T/cred.conf.in" \
    > "$T/nocred.conf"
if out=$("$top_builddir/src/minihttpd" -t -c "$T/nocred.conf" 2>&1); then
	bad "minihttpd -t refuses missing credentials" "it accepted them"
else
	ok "minihttpd -t refuses missing credentials"
fi

# certbot-deploy, as certbot runs it: RENEWED_LINEAGE is a live/
# directory of symbolic links into archive/.
hook=$top_builddir/systemd/certbot-deploy
le=$T/letsencrypt
mkdir -p "$le/archive/example.com" "$le/live/example.com" "$T/state"
chmod 0700 "$le/archive" "$le/live"
cp "$T/ca/fullchain.pem" "$le/archive/example.com/fullchain1.pem"
cp "$T/ca/privkey.pem" "$le/archive/example.com/privkey1.pem"
chmod 0600 "$le/archive/example.com/privkey1.pem"
ln -s ../../archive/example.com/fullchain1.pem \
    "$le/live/example.com/fullchain.pem"
ln -s ../../archive/example.com/privkey1.pem \
    "$le/live/example.com/privkey.pem"
printf '#!/bin/sh\necho "$@" >> "%s"\n' "$T/systemctl.args" \
    > "$T/systemctl"
chmod +x "$T/systemctl"
if out=$(RENEWED_LINEAGE=$le/live/example.com MINIHTTPD_STATE_DIR=$T/state \
    MINIHTTPD_SYSTEMCTL=$T/systemctl "$hook" 2>&1); then
	ok "certbot-deploy runs"
else
	bad "certbot-deploy runs" "$out"
fi
tls=$T/state/tls/example.com
owner=$(stat -c %u:%g "$T/state")
for f in fullchain.pem privkey.pem; do
	got=$(stat -c %a:%u:%g "$tls/$f" 2>&1)
	if [ "$got" = "400:$owner" ] && [ ! -L "$tls/$f" ] &&
	    cmp -s "$tls/$f" "$le/live/example.com/$f"; then
		ok "certbot-deploy: $f copied, mode 0400, the state's owner"
	else
		bad "certbot-deploy: $f" "got $got, want 400:$owner"
	fi
done
got=$(stat -c %a "$T/state/tls" "$tls" 2>&1 | paste -sd' ' -)
if [ "$got" = "700 700" ]; then
	ok "certbot-deploy: tls directories of mode 0700"
else
	bad "certbot-deploy: tls directories of mode 0700" "got $got"
fi
got=$(cat "$T/systemctl.args" 2>&1)
if [ "$got" = "try-reload-or-restart minihttpd.service" ]; then
	ok "certbot-deploy reloads minihttpd.service"
else
	bad "certbot-deploy reloads minihttpd.service" "systemctl got: $got"
fi
tls_conf "$tls/fullchain.pem" "$tls/privkey.pem" > "$T/state.conf"
if out=$("$top_builddir/src/minihttpd" -t -c "$T/state.conf" 2>&1); then
	ok "minihttpd -t accepts the keys certbot-deploy left"
else
	bad "minihttpd -t accepts the keys certbot-deploy left" "$out"
fi
# A renewal replaces them (a new archive file, as certbot does).
cp "$T/ca/leaf.pem" "$le/archive/example.com/fullchain2.pem"
ln -sf ../../archive/example.com/fullchain2.pem \
    "$le/live/example.com/fullchain.pem"
RENEWED_LINEAGE=$le/live/example.com MINIHTTPD_STATE_DIR=$T/state \
    MINIHTTPD_SYSTEMCTL=$T/systemctl "$hook" > /dev/null 2>&1
if cmp -s "$tls/fullchain.pem" "$T/ca/leaf.pem" &&
    [ "$(wc -l < "$T/systemctl.args")" -eq 2 ] &&
    [ -z "$(find "$tls" -name '.*.new')" ]; then
	ok "certbot-deploy replaces renewed files and reloads again"
else
	bad "certbot-deploy replaces renewed files" "$(ls -la "$tls")"
fi
# Refusals: not run by certbot; the service never started.
if out=$(MINIHTTPD_STATE_DIR=$T/state MINIHTTPD_SYSTEMCTL=$T/systemctl \
    env -u RENEWED_LINEAGE "$hook" 2>&1); then
	bad "certbot-deploy without RENEWED_LINEAGE fails" "it ran"
else
	ok "certbot-deploy without RENEWED_LINEAGE fails"
fi
if out=$(RENEWED_LINEAGE=$le/live/example.com \
    MINIHTTPD_STATE_DIR=$T/no-state MINIHTTPD_SYSTEMCTL=$T/systemctl \
    "$hook" 2>&1) || ! grep -q "start minihttpd.service first" <<< "$out"
then
	bad "certbot-deploy without the state directory fails" "${out:-ran}"
else
	ok "certbot-deploy without the state directory fails and says why"
fi

echo "1..$((passed + failed))"
echo "# systemd-unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
