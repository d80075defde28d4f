#!/bin/bash
# Keeps the source layout of DESIGN section 5 and STYLE 5 and 8 true:
# which files may include libevent and libconfig, what the pure core and
# the client may include, who forks, and no unbounded string functions.
set -u
src="${top_srcdir:-$(dirname "$0")/..}/src"
passed=0 failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
bad() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

# only FILES may match PATTERN
only() {
	local name=$1 pattern=$2; shift 2
	local hits f allowed extra=""
	hits=$(grep -lE "$pattern" "$src"/*.[ch] 2>/dev/null)
	for f in $hits; do
		allowed=0
		for a in "$@"; do [ "$(basename "$f")" = "$a" ] && allowed=1; done
		[ $allowed = 1 ] || extra="$extra $(basename "$f")"
	done
	if [ -z "$extra" ]; then ok "$name"; else bad "$name" "found in$extra"; fi
}

only "libevent only in the event-loop files" '#include <event2/' \
	conn.c conn.h worker.c
only "libconfig only in conf.c" '#include <libconfig.h>' conf.c
only "fork only in the master (and daemon_detach)" '[^_a-z]fork\(' \
	master.c daemon.c
only "waitpid only in the master" 'waitpid\(' master.c
only "no strcpy/strcat/sprintf/gets" \
	'[^_a-z](strcpy|strcat|sprintf|vsprintf|gets)\(' NONE

# Levels 0-1 (and the client) include no level 2+ header.
upper='#include "(conf|log|listen|daemon|worker|master|conn)\.h"'
for f in util httpdate uri mime http resolve autoindex range cond url response \
    minihttp-get; do
	for ext in c h; do
		p="$src/$f.$ext"
		[ -f "$p" ] || continue
		if grep -qE "$upper|<event2/|<libconfig.h>" "$p"; then
			bad "$f.$ext stays in levels 0-1" \
			    "$(grep -E "$upper|<event2/|<libconfig.h>" "$p" | head -1)"
		else
			ok "$f.$ext stays in levels 0-1"
		fi
	done
done

echo "layering: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
