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
		$SUDO apt-get update -q
		$SUDO apt-get install -y -q --no-install-recommends $missing
	fi
fi

autoreconf --install --force
