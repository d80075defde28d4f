#!/bin/bash
# shellcheck disable=SC2317	# the test_ functions are called by e2e_run
#
# autoindex: directory listings as a worker keeps them (fcache.c,
# "Listings").  A listing is made once and served again while its
# directory is unchanged, yet a name created, renamed or deleted, or a
# file written, shows in the very next response; the dotfiles setting and
# the request path are never taken from another location's listing of
# the same directory; HEAD and conditional requests answer as they
# always did (a listing carries no validator).
#
# Fixture daemon: list (workers = 1, so that every request meets the
# same cache; autoindex on at the top level, and over one shared
# directory, $SHARED, the locations /plain/ and /plain2/ (dotfiles off)
# and /dots/ (dotfiles on)).  Each case lists directories of its own
# under $T/root/<case>, reached as /<case>/... in URLs.  The error log
# (log_level debug) has a "listed directory" line each time a listing is
# made, which tells a kept listing from a new one without any timing.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

R=$T/root
SHARED=$T/shared
mkdir -p "$SHARED"
printf 'one\n' > "$SHARED/one.txt"
printf 'hidden\n' > "$SHARED/.hidden"

# ---------------------------------------------------------------------
# Helpers

daemon_list() {
	fixture list 'workers = 1;' 'autoindex = true;' "locations = (
  { path = \"/plain/\"; alias = \"$SHARED\"; },
  { path = \"/plain2/\"; alias = \"$SHARED\"; },
  { path = \"/dots/\"; alias = \"$SHARED\"; dotfiles = true; }
);"
}

# site: the case's own directory, $CR on disk and $CU in URLs (/<case>).
site() {
	CU=/$E2E_CASE
	CR=$R$CU
	mkdir -p "$CR"
}

get() {	# get PATH: the body
	curl -s --max-time 10 "$(url "$1")"
}

# made: how many listings the daemon has made so far.
made() {
	grep -c 'listed directory' "$DDIR/error.log" 2>/dev/null
}

# kept PATH: two GETs of PATH in a row make exactly one listing: the
# first makes it, the second is served from the cache.  Callers retry
# with wait_until: the first GET may still find the listing kept by an
# earlier try (then none is made), and without inotify a directory just
# changed is kept only once it has settled.
kept() {
	local n0

	n0=$(made)
	get "$1" > /dev/null
	get "$1" > /dev/null
	[ $(($(made) - n0)) -eq 1 ]
}

# has PATH TEXT / lacks PATH TEXT: the listing of PATH shows TEXT or not.
has() {
	grep -qF -- "$2" <<< "$(get "$1")"
}
lacks() {
	! grep -qF -- "$2" <<< "$(get "$1")"
}

# ---------------------------------------------------------------------
# Cases

# The cache is used: a listing asked for again is not made again.
test_listing_kept() {
	daemon_list || return
	site
	mkdir -p "$CR/d"
	printf 'x\n' > "$CR/d/x.txt"
	check "listing made once, served twice" wait_until 10 kept "$CU/d/"
	check "kept listing still right" has "$CU/d/" '>x.txt<'
}

# Names created, renamed and deleted show at once, whether the listing
# was kept or not.
test_listing_follows_names() {
	daemon_list || return
	site
	mkdir -p "$CR/d"
	printf 'a\n' > "$CR/d/a.txt"
	wait_until 10 kept "$CU/d/"
	printf 'new\n' > "$CR/d/new.txt"
	check "created name listed at once" has "$CU/d/" '>new.txt<'
	mv "$CR/d/new.txt" "$CR/d/moved.txt"
	check "renamed: new name listed" has "$CU/d/" '>moved.txt<'
	check "renamed: old name gone" lacks "$CU/d/" '>new.txt<'
	mkdir "$CR/d/sub"
	check "created directory listed" has "$CU/d/" '>sub/<'
	rm "$CR/d/moved.txt"
	check "deleted name gone at once" lacks "$CU/d/" '>moved.txt<'
	mkdir "$CR/elsewhere"
	mv "$CR/elsewhere" "$CR/d/in"
	check "directory moved in listed" has "$CU/d/" '>in/<'
	rmdir "$CR/d/sub"
	check "deleted directory gone" lacks "$CU/d/" '>sub/<'
	check_eq "the file next to them still served" a "$(get "$CU/d/a.txt")"
}

# A file listed is written: its new size shows (at once where inotify
# watches the directory; within a second otherwise, by design).
test_listing_follows_sizes() {
	daemon_list || return
	site
	mkdir -p "$CR/d"
	printf '1\n' > "$CR/d/f.txt"
	wait_until 10 kept "$CU/d/"
	check "size before" has "$CU/d/" '<td>2</td>'
	printf '0123456789abcdef\n' > "$CR/d/f.txt"
	if tail -n 5 "$DDIR/error.log" | grep -q 'kept, watched'; then
		check "new size listed at once" has "$CU/d/" '<td>17</td>'
	else
		check "new size listed within a second" \
		    wait_until 5 has "$CU/d/" '<td>17</td>'
	fi
}

# dotfiles: hidden names are left out, and shown where the setting says
# so, for the same directory, in any order of requests.
test_listing_dotfiles() {
	daemon_list || return
	check "dotfiles off: .hidden left out" lacks /plain/ '.hidden'
	check "dotfiles on: .hidden listed" has /dots/ '>.hidden<'
	check "dotfiles off again: still left out" lacks /plain/ '.hidden'
	check "dotfiles on again: still listed" has /dots/ '>.hidden<'
	check "both list one.txt" has /plain/ '>one.txt<'
	check "the root listing (dotfiles off) hides it too" \
	    lacks / '.hidden'
}

# shared: /plain/ then /plain2/ make exactly one listing: the second
# uses the body of the first (retried as kept is).
shared() {
	local n0

	n0=$(made)
	get /plain/ > /dev/null
	get /plain2/ > /dev/null
	[ $(($(made) - n0)) -eq 1 ]
}

# Two locations over one directory with the same settings share the
# listing's body, yet each page names its own path.
test_listing_two_locations() {
	daemon_list || return
	check "one body for /plain/ and /plain2/" wait_until 10 shared
	check "/plain/ titled with its path" has /plain/ 'Index of /plain/'
	check "/plain2/ titled with its path" has /plain2/ 'Index of /plain2/'
	check "/plain2/ not titled /plain/" lacks /plain2/ 'Index of /plain/'
	check "/dots/ titled with its path" has /dots/ 'Index of /dots/'
	check "/plain/ still titled with its path" has /plain/ \
	    'Index of /plain/'
}

# What a listing response carries stays as it was: no validator, so a
# conditional request gets the page; HEAD gets the same length, no body.
test_listing_head_and_conditionals() {
	local h=$CASE_DIR/h b=$CASE_DIR/b len code out

	daemon_list || return
	site
	mkdir -p "$CR/d"
	printf 'x\n' > "$CR/d/x.txt"
	code=$(curl -s --max-time 5 -D "$h" -o "$b" -w '%{http_code}' \
	    "$(url "$CU/d/")")
	check_eq "GET 200" 200 "$code"
	check_eq "no ETag" "" "$(header ETag < "$h")"
	check_eq "no Last-Modified" "" "$(header Last-Modified < "$h")"
	check_eq "Content-Length is the body's" "$(wc -c < "$b")" \
	    "$(header Content-Length < "$h")"
	len=$(header Content-Length < "$h")
	code=$(curl -s --max-time 5 -I -D "$h" -o /dev/null \
	    -w '%{http_code}' "$(url "$CU/d/")")
	check_eq "HEAD 200" 200 "$code"
	check_eq "HEAD: same Content-Length" "$len" \
	    "$(header Content-Length < "$h")"
	# HEAD then GET on one connection: the GET's status line follows
	# the HEAD's head at once (no body in between).
	out=$(rawreq "HEAD $CU/d/ HTTP/1.1"$'\r\nHost: x\r\n\r\n'"GET $CU/d/ HTTP/1.1"$'\r\nHost: x\r\nConnection: close\r\n\r\n')
	case ${out#*$'\r\n\r\n'} in
	'HTTP/1.1 200'*) ok "HEAD: no body after the head" ;;
	*) fail "HEAD: no body after the head" \
	    "$(printf '%s' "${out#*$'\r\n\r\n'}" | head -c 80)" ;;
	esac
	code=$(curl -s --max-time 5 -o "$b" -w '%{http_code}' \
	    -H 'If-None-Match: "x"' -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT' \
	    "$(url "$CU/d/")")
	check_eq "conditional GET: the page, 200" 200 "$code"
	check "conditional GET: full body" grep -qF '>x.txt<' "$b"
	code=$(curl -s --max-time 5 -o "$b" -w '%{http_code}' \
	    -H 'Range: bytes=0-9' "$(url "$CU/d/")")
	check_eq "Range ignored: 200" 200 "$code"
	check "Range ignored: full body" grep -qF '</html>' "$b"
}

e2e_run "$@"
