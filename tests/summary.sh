#!/bin/bash
#
# summary: adds up the results of "make check" into one last line,
#
#	N passed, N failed
#
# Run by .ci/run after "make check", from the build directory or with the
# build directory as the first argument.  Reads the logs of the automake
# parallel harness, tests/*.log and tests/e2e/*.log, each with its .trs
# beside it:
#  - a Check program prints "100%: Checks: 12, Failures: 0, Errors: 0"
#    (one line per suite run): passed += Checks - Failures - Errors,
#    failed += Failures + Errors;
#  - a *.sh test speaks TAP, which automake's tap-driver.sh records as
#    one ":test-result:" line per TAP line in the .trs (a TAP log has a
#    plan, "1..N"): passed += the
#    PASS and XFAIL lines, failed += the FAIL, XPASS and ERROR lines (an
#    ERROR is also what a script that died early leaves);
#  - a test that reported no count adds 1 passed when its .trs says PASS
#    (or XFAIL) and 1 failed when it says FAIL, ERROR or XPASS; a test
#    whose .trs says FAIL or ERROR although its counts show no failure
#    (it crashed after printing them, or exited non-zero) adds 1 failed;
#    a skipped test adds nothing.
# One line per test goes before the total, in a form that cannot be taken
# for it.  Exit status: 0, or 1 when there is no log at all.

set -u

dir=${1:-.}
cd "$dir" || exit 1

shopt -s nullglob
logs=(tests/*.log tests/e2e/*.log)
tp=0
tf=0
seen=0
for log in "${logs[@]}"; do
	trs=${log%.log}.trs
	[ -f "$trs" ] || continue
	seen=$((seen + 1))
	# The worst result in the .trs.
	result=$(awk '/^:test-result:/ { r = $2
		if (r == "ERROR") w = 5
		else if (r == "FAIL" && w < 4) w = 4
		else if (r == "XPASS" && w < 3) w = 3
		else if ((r == "PASS" || r == "XFAIL") && w < 2) w = 2
		else if (r == "SKIP" && w < 1) w = 1 }
		END { split("SKIP PASS XPASS FAIL ERROR", n, " ")
		print w ? n[w] : "NONE" }' "$trs")
	# "p f" from the log, or "" when it holds no count.
	if grep -q '^1\.\.[0-9]' "$log"; then
		counts=$(awk '/^:test-result:/ { n++
			if ($2 == "PASS" || $2 == "XFAIL") p++
			else if ($2 != "SKIP") f++ }
			END { if (n) print p + 0, f + 0 }' "$trs")
	else
		counts=$(awk '
		/^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
			line = $0
			gsub(/[^0-9 ]/, " ", line)
			split(line, v, " ")
			cp += v[2] - v[3] - v[4]; cf += v[3] + v[4]; ck = 1
		}
		END {
			if (ck)
				print cp, cf
		}' "$log")
	fi
	if [ -n "$counts" ]; then
		p=${counts% *}
		f=${counts#* }
	else
		p=0
		f=0
		case $result in
		PASS | XFAIL) p=1 ;;
		FAIL | ERROR | XPASS) f=1 ;;
		esac
	fi
	if { [ "$result" = FAIL ] || [ "$result" = ERROR ]; } && [ "$f" -eq 0 ]; then
		f=1
	fi
	echo "${log%.log}: $result (ok=$p, not-ok=$f)"
	tp=$((tp + p))
	tf=$((tf + f))
done
if [ "$seen" -eq 0 ]; then
	echo "summary: no test logs under $PWD/tests" >&2
	echo "0 passed, 0 failed"
	exit 1
fi
echo "$tp passed, $tf failed"
