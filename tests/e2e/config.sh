#!/bin/bash
#
# config: "minihttpd -t" accepts a good configuration (exit 0) and
# rejects broken ones (exit 1) with a message naming the file and the
# line; "-T" prints the defaults and round-trips; the example
# etc/minihttpd.conf loads; the daemon refuses to start on a broken
# configuration and leaves no process behind.
#
# Daemons (all on 127.0.0.1, the temporary root):
#	main	the fixture: the default test configuration, whose port
#		port_in_use tries to take a second time
# Every other daemon a case starts is expected to refuse to start; the
# configuration files are written by each case in its $CASE_DIR.

# The cases are called by name from e2e_run (lib.sh).
# shellcheck disable=SC2317

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

# ---------------------------------------------------------------------
# Helpers

# run OUT COMMAND...: bounded run; stdout+stderr in OUT; returns the
# exit status.
run() {
	local out=$1

	shift
	timeout 20 "$@" > "$out" 2>&1
}

# good_conf: a valid configuration, $CASE_DIR/good.conf, for a free
# port; sets C (the case's directory), GOOD and port.  Its pid file and
# error log are $C/pid and $C/error.log.
good_conf() {
	C=$CASE_DIR
	GOOD=$C/good.conf
	port=$(random_port)
	conf_text "$C" "$port" > "$GOOD"
}

# noroot_conf: $C/noroot.conf, the good one with a document_root that
# does not exist (after good_conf).
noroot_conf() {
	conf_text "$C" "$port" "document_root = \"$T/no/such/root\";" \
	    > "$C/noroot.conf"
}

# defaults_dump: "-T" on an empty file, comments removed, in
# $C/dump.conf (after good_conf); returns the exit status of -T.
defaults_dump() {
	local rc

	: > "$C/empty.conf"
	run "$C/dump" "$MINIHTTPD" -T -c "$C/empty.conf"
	rc=$?
	grep -v '^#' "$C/dump" > "$C/dump.conf"
	return "$rc"
}

# ---------------------------------------------------------------------
# A good configuration.

test_check_good() {
	good_conf
	run "$C/out" "$MINIHTTPD" -t -c "$GOOD"
	check_eq "-t on a valid configuration exits 0" 0 "$?"
	run "$C/out" "$MINIHTTPD" --test --config "$GOOD"
	check_eq "--test --config: exits 0" 0 "$?"
	run "$C/out" "$MINIHTTPD" -t -c "$GOOD"
	check "-t: nothing was started (port still free)" \
	    test "$(http_code "$port")" = 000
}

# ---------------------------------------------------------------------
# Broken configurations: exit 1, and "FILE:LINE:" plus a word naming
# the problem.  Each entry: name, expected line, word, file text.

test_check_broken() {
	local i name line word f
	local cases=(
		"unknown key on line 3"		3 bogus_key
		$'workers = 2;\ndotfiles = false;\nbogus_key = 1;\n'
		"unknown key in a group"	3 bogus
		$'workers = 2;\nlimits = {\n  bogus = 1;\n};\n'
		"wrong type (string for integer)" 2 workers
		$'dotfiles = false;\nworkers = "many";\n'
		"wrong type (string for boolean)" 1 autoindex
		$'autoindex = "yes";\n'
		"wrong type in a group"		3 header
		$'workers = 1;\ntimeouts = {\n  header = "x";\n};\n'
		"out of range (workers = 0)"	2 workers
		$'autoindex = true;\nworkers = 0;\n'
		"out of range (workers = 300)"	1 workers
		$'workers = 300;\n'
		"out of range in a group"	4 max_headers
		$'workers = 1;\nlimits = {\n  max_request_header = 8192;\n  max_headers = 0;\n};\n'
		"out of range timeout"		2 shutdown
		$'timeouts = {\n  shutdown = 0;\n};\n'
		"bad listen address"		2 listen
		$'workers = 1;\nlisten = [ "999.1.1.1:80" ];\n'
		"bad listen port"		1 listen
		$'listen = [ "127.0.0.1:99999" ];\n'
		"listen without port"		1 listen
		$'listen = [ "127.0.0.1:" ];\n'
		"empty listen list"		1 listen
		$'listen = [ ];\n'
		"relative document_root"	2 document_root
		$'workers = 1;\ndocument_root = "relative/dir";\n'
		"unknown symlinks mode"		1 symlinks
		$'symlinks = "sometimes";\n'
		"unknown log_level"		1 log_level
		$'log_level = "loud";\n'
		"libconfig syntax error"	3 syntax
		$'workers = 2;\ndotfiles = false;\nautoindex = = true;\n'
		"unterminated string"		'*' ''
		$'workers = 2;\npid_file = "/tmp/x;\n'
		"duplicate setting"		2 ''
		$'workers = 2;\nworkers = 3;\n'
	)

	C=$CASE_DIR
	for ((i = 0; i < ${#cases[@]}; i += 4)); do
		name=${cases[i]}
		line=${cases[i + 1]}
		word=${cases[i + 2]}
		f=$C/bad$i.conf
		printf '%s' "${cases[i + 3]}" > "$f"
		run "$C/out" "$MINIHTTPD" -t -c "$f"
		check_eq "-t $name: exits 1" 1 "$?"
		if [ "$line" = '*' ]; then
			check "-t $name: names FILE:LINE:" \
			    grep -qE "$f:[0-9]+:" "$C/out"
		elif grep -qF "$f:$line:" "$C/out"; then
			ok "-t $name: names FILE:$line:"
		else
			fail "-t $name: names FILE:$line:" \
			    "got: $(head -n 2 "$C/out")"
		fi
		if [ -n "$word" ]; then
			check "-t $name: mentions $word" grep -qF "$word" "$C/out"
		fi
		check_eq "-t $name: one line" 1 "$(wc -l < "$C/out")"
	done
}

test_check_wrong_type_message() {
	C=$CASE_DIR
	printf 'dotfiles = false;\nworkers = "many";\n' > "$C/type.conf"
	run "$C/out" "$MINIHTTPD" -t -c "$C/type.conf"
	check "wrong type: says an integer/number is expected" \
	    grep -qiE 'integer|number' "$C/out"
}

test_check_range_message() {
	C=$CASE_DIR
	printf 'workers = 300;\n' > "$C/range.conf"
	run "$C/out" "$MINIHTTPD" -t -c "$C/range.conf"
	check "out of range: gives the range 1..256" grep -qF '1..256' "$C/out"
}

test_check_missing_file() {
	C=$CASE_DIR
	run "$C/out" "$MINIHTTPD" -t -c "$C/missing.conf"
	check_eq "-t on a missing file exits 1" 1 "$?"
	check "-t on a missing file names it" grep -qF "$C/missing.conf" "$C/out"
}

test_check_missing_root() {
	good_conf
	noroot_conf
	run "$C/out" "$MINIHTTPD" -t -c "$C/noroot.conf"
	check_eq "-t with a missing document_root exits 1" 1 "$?"
	check "-t with a missing document_root says document_root" \
	    grep -qF "document_root" "$C/out"
}

# The configuration path names a directory: libconfig's scanner used to
# exit with status 2 and "input in flex scanner failed", naming nothing.
test_check_directory() {
	local opt

	C=$CASE_DIR
	mkdir -p "$C/c.conf"
	for opt in -t -T; do
		run "$C/out" "$MINIHTTPD" "$opt" -c "$C/c.conf"
		check_eq "$opt on a directory: exits 1" 1 "$?"
		check "$opt on a directory: says \"$C/c.conf: is a directory\"" \
		    grep -qF "$C/c.conf: is a directory" "$C/out"
		check_eq "$opt on a directory: one line" 1 "$(wc -l < "$C/out")"
	done
}

# What libconfig calls a "syntax error" (or accepts without a word),
# said with its cause: each entry is a file text and the message that
# must follow "minihttpd: FILE" (FILE:LINE: or FILE: with no line).
test_check_explained() {
	local i f want
	local cases=(
		$'workers = 1;\ndotfiles = false;\n\nautoindex = on;\n'
		':4: autoindex: use true or false'
		$'workers = auto;\n'
		':1: workers: auto is not a value: write a string in double quotes ("auto")'
		$'index = [ "a.html" ];\nworkers = 1;\n\n\n\n\nindex = [ "b.html" ];\n'
		':7: duplicate setting "index" (first at line 1)'
		$'workers = 1;\n\n\n\nlimits = {\n  max_headers = 5;\n'
		': group opened at line 5 is not closed'
		$'workers = 1;\n# the list\nindex = [ "a.html" "b.html" ];\n'
		':3: index: two adjacent strings are joined by libconfig ("a.html" "b.html" becomes "a.htmlb.html"); separate list items with commas'
	)

	C=$CASE_DIR
	for ((i = 0; i < ${#cases[@]}; i += 2)); do
		f=$C/explained$i.conf
		want="$f${cases[i + 1]}"
		printf '%s' "${cases[i]}" > "$f"
		run "$C/out" "$MINIHTTPD" -t -c "$f"
		check_eq "-t $f: exits 1" 1 "$?"
		if grep -qF -- "minihttpd: $want" "$C/out"; then
			ok "-t $f: says \"${cases[i + 1]}\""
		else
			fail "-t $f: says \"${cases[i + 1]}\"" \
			    "got: $(head -n 2 "$C/out")"
		fi
	done
}

# A file that sets no document_root while the built-in one does not
# exist: "document_root is required", with the line of the site when
# inside sites (where the built-in root exists, the file is valid as far
# as the root goes, and -T says nothing about it).
test_check_root_required() {
	local f=$CASE_DIR/noroot-top.conf g=$CASE_DIR/noroot-site.conf

	C=$CASE_DIR
	printf 'workers = 1;\n' > "$f"
	printf 'workers = 1;\nsites = (\n  { names = [ "a" ];\n    index = [ "i.html" ]; }\n);\n' > "$g"
	if [ -d /var/www/minihttpd ]; then
		run "$C/out" "$MINIHTTPD" -T -c "$f"
		check_eq "-T without document_root, built-in root exists" 0 "$?"
		return
	fi
	run "$C/out" "$MINIHTTPD" -t -c "$f"
	check_eq "-t without document_root: exits 1" 1 "$?"
	check "-t without document_root: says it is required" \
	    grep -qF "minihttpd: $f: document_root is required" "$C/out"
	run "$C/out" "$MINIHTTPD" -t -c "$g"
	check_eq "-t, a site without document_root: exits 1" 1 "$?"
	check "-t, a site without document_root: names the site's line" \
	    grep -qF "minihttpd: $g:3: document_root is required" "$C/out"
}

# ---------------------------------------------------------------------
# -T: the effective configuration.

test_dump_defaults() {
	local want

	good_conf
	defaults_dump
	check_eq "-T on an empty file exits 0" 0 "$?"
	for want in 'listen = [ "0.0.0.0:6789" ];' 'workers = "auto";' \
	    'document_root = "/var/www/minihttpd";' 'index = [ "index.html" ];' \
	    'autoindex = false;' 'dotfiles = false;' 'symlinks = "inside";' \
	    'precompressed = [ "gzip" ];' 'default_type = "application/octet-stream";' \
	    'charset = "utf-8";' 'server_tokens = false;' 'log_level = "info";' \
	    'max_connections = 4096;' 'max_request_header = 8192;' \
	    'max_headers = 100;' 'max_keepalive_requests = 1000;' \
	    'header = 10;' 'keepalive = 15;' 'send = 30;' 'shutdown = 30;'; do
		check "-T prints the default $want" \
		    grep -qF -- "$want" <(sed 's/^[ \t]*//' "$C/dump")
	done
}

test_dump_roundtrip() {
	good_conf
	defaults_dump
	run "$C/dump2" "$MINIHTTPD" -T -c "$C/dump.conf"
	check_eq "-T output is a valid configuration" 0 "$?"
	check "-T output round-trips" \
	    cmp -s <(grep -v '^#' "$C/dump2") "$C/dump.conf"
}

test_dump_configured() {
	good_conf
	run "$C/dump3" "$MINIHTTPD" -T -c "$GOOD"
	check "-T shows the configured values" \
	    grep -qF "listen = [ \"127.0.0.1:$port\" ];" "$C/dump3"
	check "-T shows a configured group value" \
	    grep -qE '^[[:space:]]*header = 5;' "$C/dump3"
}

test_dump_broken() {
	C=$CASE_DIR
	printf 'workers = 2;\ndotfiles = false;\nbogus_key = 1;\n' \
	    > "$C/broken.conf"
	run "$C/out" "$MINIHTTPD" -T -c "$C/broken.conf"
	check_eq "-T on a broken configuration exits 1" 1 "$?"
}

# The example configuration.
test_example_conf() {
	local ex=$top_srcdir/etc/minihttpd.conf rc root

	good_conf
	defaults_dump
	run "$C/exdump" "$MINIHTTPD" -T -c "$ex"
	check_eq "-T on etc/minihttpd.conf exits 0" 0 "$?"
	check "etc/minihttpd.conf is the defaults" \
	    cmp -s <(grep -v '^#' "$C/exdump") "$C/dump.conf"
	run "$C/out" "$MINIHTTPD" -t -c "$ex"
	rc=$?
	root=$(sed -n 's/^document_root = "\(.*\)";$/\1/p' "$C/exdump")
	if [ -d "$root" ]; then
		check_eq "-t on etc/minihttpd.conf ($root exists) exits 0" 0 "$rc"
	else
		check_eq "-t on etc/minihttpd.conf ($root missing) exits 1" 1 "$rc"
		check "-t on etc/minihttpd.conf names document_root" \
		    grep -qF "document_root $root" "$C/out"
	fi
}

# ---------------------------------------------------------------------
# Command line.

test_option_version() {
	C=$CASE_DIR
	run "$C/out" "$MINIHTTPD" -v
	check_eq "-v exits 0" 0 "$?"
	check "-v prints the version" grep -qE '^minihttpd [0-9]' "$C/out"
}

test_option_help() {
	C=$CASE_DIR
	run "$C/out" "$MINIHTTPD" -h
	check_eq "-h exits 0" 0 "$?"
	check "-h prints usage" grep -q 'usage' "$C/out"
}

test_option_unknown() {
	C=$CASE_DIR
	run "$C/out" "$MINIHTTPD" -X
	check_eq "an unknown option exits 1" 1 "$?"
}

test_option_extra_argument() {
	good_conf
	run "$C/out" "$MINIHTTPD" -c "$GOOD" extra-argument
	check_eq "an extra argument exits 1" 1 "$?"
}

# ---------------------------------------------------------------------
# The daemon refuses to start on a broken configuration and leaves
# nothing behind.

# refuses NAME FILE [-F]: the daemon started on FILE exits 1, says why
# (in $C/out, error_log included), writes no pid file and does not
# listen on $port (after good_conf).
refuses() {
	local name=$1 f=$2 pid rc

	shift 2
	rm -f "$C/pid" "$C/error.log"
	timeout 20 "$MINIHTTPD" "$@" -c "$f" > "$C/out" 2>&1 &
	pid=$!
	E2E_ALL_DAEMONS+=("$pid")
	if ! wait_gone 10 "$pid"; then
		fail "$name: exits" "still running after 10 s"
		return
	fi
	wait "$pid"
	rc=$?
	check_eq "$name: exits 1" 1 "$rc"
	# On the terminal, or in error_log once that could be opened.
	cat "$C/error.log" >> "$C/out" 2>/dev/null
	check "$name: says why" test -s "$C/out"
	check "$name: no pid file" test ! -e "$C/pid"
	check "$name: nothing listens" test "$(http_code "$port")" = 000
}

test_refuse_unknown_key() {
	good_conf
	cp "$GOOD" "$C/broken.conf"
	echo 'bogus_key = 1;' >> "$C/broken.conf"
	refuses "start -F on an unknown key" "$C/broken.conf" -F
	check "start on an unknown key: names file and line" \
	    grep -qF "$C/broken.conf:$(wc -l < "$C/broken.conf"):" "$C/out"
	refuses "start (daemonizing) on an unknown key" "$C/broken.conf"
}

test_refuse_missing_root() {
	good_conf
	noroot_conf
	refuses "start -F with a missing document_root" "$C/noroot.conf" -F
	check "start with a missing document_root: says document_root" \
	    grep -qF "document_root" "$C/out"
	refuses "start (daemonizing) with a missing document_root" \
	    "$C/noroot.conf"
}

# A port that is taken (by the fixture, which must survive it).
test_refuse_port_in_use() {
	local pid

	C=$CASE_DIR
	fixture main || return
	conf_text "$C" "$PORT" > "$C/taken.conf"
	rm -f "$C/pid"
	timeout 20 "$MINIHTTPD" -F -c "$C/taken.conf" > "$C/out" 2>&1 &
	pid=$!
	E2E_ALL_DAEMONS+=("$pid")
	if wait_gone 10 "$pid"; then
		wait "$pid"
		check_eq "start on a port in use: exits 1" 1 "$?"
		check "start on a port in use: says so" \
		    grep -qi 'in use' "$C/out" "$C/error.log"
		check "start on a port in use: no pid file" test ! -e "$C/pid"
	else
		fail "start on a port in use: exits" "still running after 10 s"
	fi
	liveness "a refused second daemon"
}

e2e_run "$@"
