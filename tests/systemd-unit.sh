#!/bin/bash
# The systemd unit: systemd-analyze must find nothing wrong with it, and
# its exposure rating must stay at 2.0 or lower (Debian's own units for
# nginx, lighttpd and h2o rate 9.3-9.6).
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
trap 'rm -rf "$T"' EXIT
# The unit as installed, but pointing at the binaries of this build, and
# man pages where man(1) finds them.
mkdir -p "$T/man/man8" "$T/man/man5"
cp "$top_builddir/man/minihttpd.8" "$T/man/man8/"
cp "$top_builddir/man/minihttpd.conf.5" "$T/man/man5/"
sed -e "s|@sbindir@|$top_builddir/src|g" -e "s|@sysconfdir@|$T|g" \
    "$top_srcdir/systemd/minihttpd.service.in" > "$T/minihttpd.service"
cp "$top_srcdir/systemd/minihttpd.socket" "$T/"
touch "$T/minihttpd.conf"

out=$(cd "$T" && MANPATH="$T/man" systemd-analyze verify \
    minihttpd.service minihttpd.socket 2>&1)
if [ -z "$out" ]; then
	ok "systemd-analyze verify is clean"
else
	bad "systemd-analyze verify" "$out"
fi

level=$(systemd-analyze security --offline=true "$T/minihttpd.service" 2>&1 |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
	ok "exposure $level <= 2.0"
else
	bad "exposure" "got '${level:-nothing}', want <= 2.0"
fi

for k in "Type=notify" "KillSignal=SIGQUIT" "LogsDirectory=minihttpd" \
    "RuntimeDirectory=minihttpd" "ExecStartPre=$top_builddir/src/minihttpd -t"; do
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

echo "1..$((passed + failed))"
echo "# systemd-unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
