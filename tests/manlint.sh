#!/bin/sh
#
# manlint: the three built manual pages must be clean under
# "mandoc -Tlint -W warning": any message fails the page.  Skips
# when mandoc is not installed.  Output is TAP.
#
# Run by "make check" with top_srcdir and top_builddir exported.

top_builddir=${top_builddir:-.}

MANDOC=${MANDOC:-mandoc}
if ! command -v "$MANDOC" >/dev/null 2>&1; then
	echo "1..0 # SKIP manlint: mandoc not found"
	exit 0
fi

pass=0
fail=0
for page in minihttpd.8 minihttpd.conf.5 minihttp-get.1; do
	file=$top_builddir/man/$page
	if [ ! -f "$file" ]; then
		echo "not ok - $page: $file missing (not built?)"
		fail=$((fail + 1))
		continue
	fi
	# Any message at level warning or above fails the page.
	out=$("$MANDOC" -Tlint -W warning "$file" 2>&1)
	if [ -z "$out" ]; then
		echo "ok - $page"
		pass=$((pass + 1))
	else
		echo "not ok - $page"
		printf '%s\n' "$out" | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done

echo "1..$((pass + fail))"
echo "# manlint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
