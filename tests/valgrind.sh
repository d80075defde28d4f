#!/bin/bash
# valgrind: a short end-to-end pass with every daemon process (master and
# workers, which valgrind follows across fork and exec) under memcheck.
# Any error valgrind reports, in any process, fails it: invalid reads and
# writes, uses of uninitialised values, bad frees and definite leaks.
#
#	tests/valgrind.sh                 (from the build directory)
#	VALGRIND_SUITES="serve tls" tests/valgrind.sh
#	VALGRIND_KEEP=1 ...             keeps valgrind's logs
#
# The suites are the end-to-end ones (tests/e2e), run with E2E_WRAPPER;
# their own checks must pass too.  Output is TAP.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$PWD}
export top_srcdir top_builddir

if ! command -v valgrind > /dev/null; then
	echo "1..0 # SKIP valgrind not installed"
	exit 0
fi
# The default pass: listings (the cache's lifetimes) and sites (auth,
# locations, redirects, error pages, reloads): about a minute.  TLS
# (VALGRIND_SUITES=tls) takes about 80 s more; ASan covers it in
# check-sanitizers.
SUITES=${VALGRIND_SUITES:-autoindex sites}
VG=$(mktemp -d "${TMPDIR:-/tmp}/minihttpd-valgrind.XXXXXX") || exit 1
trap '[ -n "${VALGRIND_KEEP:-}" ] || rm -rf "$VG"' EXIT
# valgrind runs a process 20-50 times slower: starts and stops get more
# time.  --error-exitcode makes a worker with errors exit 97, which its
# master logs; the logs are what this script reads.
export E2E_WRAPPER="valgrind --trace-children=yes --error-exitcode=97
    --leak-check=full --errors-for-leak-kinds=definite --num-callers=30
    --log-file=$VG/vg.%p"
export E2E_START_WAIT=60 E2E_STOP_WAIT=60
# valgrind 3.19 cannot follow a process into a seccomp filter (it
# asserts) nor knows Landlock's calls: the sandbox is off for this pass.
export E2E_SANDBOX=0

n=0 failed=0
for s in $SUITES; do
	n=$((n + 1))
	out=$(bash "$top_srcdir/tests/e2e/$s.sh" 2>&1)
	pass=$(grep -c '^ok ' <<< "$out")
	bad=$(grep -c '^not ok ' <<< "$out")
	if [ "$bad" -eq 0 ] && [ "$pass" -gt 0 ]; then
		echo "ok $n - $s under valgrind: $pass checks passed"
	else
		echo "not ok $n - $s under valgrind: $bad of $((pass + bad)) checks failed"
		grep -A8 '^not ok ' <<< "$out" | head -n 60 | sed 's/^/# /'
		failed=$((failed + 1))
	fi
done

# Each process's log ends with its "ERROR SUMMARY"; a process that
# died inside valgrind has none.  (Warnings, such as openat2 being
# unknown to valgrind 3.19, which then makes resolve walk the path, are
# not errors.)
n=$((n + 1))
procs=$(find "$VG" -name 'vg.*' | wc -l)
bad=$(grep -L 'ERROR SUMMARY: 0 errors' "$VG"/vg.* 2>/dev/null)
if [ "$procs" -gt 0 ] && [ -z "$bad" ]; then
	echo "ok $n - no valgrind error in $procs daemon processes"
else
	echo "not ok $n - valgrind errors in $(echo "$bad" | grep -c .) of" \
	    "$procs daemon processes"
	for f in $(echo "$bad" | head -n 3); do
		echo "# --- $f"
		grep -v 'unhandled amd64-linux syscall\|handler\.\|README_MISSING\|Nevertheless\|bug_reports' \
		    "$f" | head -n 40 | sed 's/^/# /'
	done
	failed=$((failed + 1))
fi
echo "1..$n"
[ "$failed" -eq 0 ]
