#!/bin/sh
# Regenerates the build system. With --deps, first installs the Debian packages
# the build and the tests need (only the missing ones; needs root or sudo).
set -e
cd "$(dirname "$0")"

DEPS="build-essential clang autoconf automake pkg-config libconfig-dev libevent-dev libcrypt-dev libssl-dev openssl check mandoc curl media-types wrk systemd nginx-light"

if [ "${1:-}" = "--deps" ]; then
	missing=""
	for p in $DEPS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "autogen.sh: installing:$missing"
		if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
		export DEBIAN_FRONTEND=noninteractive
		# nginx-light is only a peer the tests start themselves: its
		# package must not start a system nginx on port 80.  A
		# policy-rc.d that says no (101) keeps every service down while
		# the packages install, unless the machine already has one.
		policy=""
		if [ ! -e /usr/sbin/policy-rc.d ]; then
			policy=/usr/sbin/policy-rc.d
			printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" > /dev/null
			$SUDO chmod 755 "$policy"
		fi
		rc=0
		$SUDO apt-get update -q &&
			$SUDO apt-get install -y -q --no-install-recommends $missing ||
			rc=$?
		[ -z "$policy" ] || $SUDO rm -f "$policy"
		[ "$rc" -eq 0 ] || exit "$rc"
	fi
fi

autoreconf --install --force
