#!/bin/sh
#
# defaults: every configuration default must be the same in the code, in
# etc/minihttpd.conf and in minihttpd.conf(5) (STYLE.md point 15).
#
#  - the code:  "minihttpd -T -c EMPTY" prints the effective configuration
#               of an empty file, that is the built-in defaults;
#  - the example file: etc/minihttpd.conf writes every setting with its
#               default, so its -T output must also be identical;
#  - the manual: each entry of minihttpd.conf(5) ends with "The default
#               is" and a literal display holding "key = value;".
#
# The settings of sites and locations that have a default of their own
# (SITE_KEYS) are compared between the manual and the -T output of a
# small configuration with sites, since -T of an empty file has none.
#
# Then the logrotate file: it must rotate the default logs, signal
# through the default configuration file and be installed where
# logrotate reads it.
#
# Values are compared after removing blanks outside quoted strings, so
# [ "a" ] and ["a"] are equal.  Skips (77) until src/minihttpd is built.
#
# Run by "make check" with top_srcdir and top_builddir exported.

top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}

minihttpd=$top_builddir/src/minihttpd
conf=$top_srcdir/etc/minihttpd.conf
man=$top_builddir/man/minihttpd.conf.5
[ -f "$man" ] || man=$top_srcdir/man/minihttpd.conf.5.in

if [ ! -x "$minihttpd" ]; then
	echo "1..0 # SKIP defaults: $minihttpd not built"
	exit 0
fi

# The settings of minihttpd.conf(5), group members as GROUP.KEY.
KEYS="listen workers user group pid_file document_root index autoindex
dotfiles symlinks precompressed mime_types default_type charset
server_tokens access_log error_log log_level sandbox
limits.max_connections limits.max_request_header limits.max_headers
limits.max_keepalive_requests
timeouts.header timeouts.keepalive timeouts.send timeouts.shutdown"

# Older spellings of a setting: documented with their default, which -T
# (when it prints them) and etc/minihttpd.conf (when it sets them) must
# agree with, but required in neither: etc/minihttpd.conf sets the new
# spelling only.
ALIASES="gzip_static"

# Settings of a site or a location whose default -T prints for the
# configuration written below.
SITE_KEYS="default status realm"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/defaults.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# Reads libconfig text and prints one "KEY<TAB>VALUE" line per setting,
# KEY prefixed with its group ("limits.max_headers").  Comments (#, //)
# and blanks outside strings are removed; "name =" and "name :" are both
# accepted, and a group's "{" may be on the next line, as libconfig's
# own writer puts it.
normalize() {
	awk '
	function clean(s,    out, i, c, instr) {
		out = ""; instr = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (instr) {
				out = out c
				if (c == "\\") { i++; out = out substr(s, i, 1) }
				else if (c == "\"") instr = 0
			} else if (c == "\"") {
				out = out c; instr = 1
			} else if (c == "#" || (c == "/" && substr(s, i + 1, 1) == "/")) {
				break
			} else if (c != " " && c != "\t" && c != "\r") {
				out = out c
			}
		}
		return out
	}
	{
		line = clean($0)
		if (line == "")
			next
		if (line == "{") {		# group opened on its own line
			group = pending; pending = ""
			next
		}
		if (line ~ /^}[;,]?$/) {
			group = ""
			next
		}
		eq = match(line, /[=:]/)
		if (eq == 0)
			next
		name = substr(line, 1, eq - 1)
		value = substr(line, eq + 1)
		if (value == "") {		# "limits :" then "{"
			pending = name
			next
		}
		if (value == "{") {
			group = name
			next
		}
		sub(/[;,]$/, "", value)
		printf "%s%s\t%s\n", (group == "" ? "" : group "."), name, value
	}'
}

# Prints the "key = value;" lines of minihttpd.conf(5) that follow "The
# default is" and a literal display.
man_defaults() {
	awk '
	/^The default is$/ { want = 1; next }
	want && /^\.Bd -literal/ { inside = 1; want = 0; next }
	inside && /^\.Ed/ { inside = 0; next }
	inside { print; next }
	{ want = 0 }' "$1"
}

# lookup FILE KEY: the value of KEY in a normalize() output.
lookup() {
	awk -F '\t' -v k="$2" '$1 == k { print $2; exit }' "$1"
}

pass=0
fail=0
ok() {
	echo "ok - $*"
	pass=$((pass + 1))
}
notok() {
	echo "not ok - $*"
	fail=$((fail + 1))
}

: > "$tmp/empty.conf"
"$minihttpd" -T -c "$tmp/empty.conf" > "$tmp/dump.raw" 2> "$tmp/dump.err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$tmp/dump.raw" ]; then
	ok "minihttpd -T -c EMPTY exits 0"
else
	notok "minihttpd -T -c EMPTY exits 0 (status $rc)"
	sed 's/^/#   /' "$tmp/dump.err"
fi
normalize < "$tmp/dump.raw" > "$tmp/dump"
normalize < "$conf" > "$tmp/conf"
man_defaults "$man" | normalize > "$tmp/man"

for key in $KEYS; do
	short=${key#*.}
	code=$(lookup "$tmp/dump" "$key")
	file=$(lookup "$tmp/conf" "$key")
	page=$(lookup "$tmp/man" "$short")
	if [ -n "$code" ] && [ "$code" = "$file" ] && [ "$code" = "$page" ]; then
		ok "$key"
	else
		notok "$key: -T '$code', etc/minihttpd.conf '$file'," \
		    "minihttpd.conf(5) '$page'"
	fi
done

for key in $ALIASES; do
	code=$(lookup "$tmp/dump" "$key")
	file=$(lookup "$tmp/conf" "$key")
	page=$(lookup "$tmp/man" "$key")
	if [ -n "$page" ] && { [ -z "$code" ] || [ "$code" = "$page" ]; } &&
	    { [ -z "$file" ] || [ "$file" = "$page" ]; }; then
		ok "$key (older spelling)"
	else
		notok "$key (older spelling): -T '$code'," \
		    "etc/minihttpd.conf '$file', minihttpd.conf(5) '$page'"
	fi
done

# Two sites, one a redirect and one with a location behind a password,
# so that -T prints default, status and realm without their being set.
mkdir "$tmp/root"
echo 'u:$6$defaults0$f2arz8r5P83eJSxAWXEfTZTHLmQgd722im3/Rnu8PliTiRvGT3us26Vky3Mk/0VuXElPx12zHwelxKDKYXhCO/' \
    > "$tmp/htpasswd"
cat > "$tmp/sites.conf" <<EOF
document_root = "$tmp/root";
sites = (
  { names = [ "a.test" ]; redirect = "/x"; },
  { names = [ "b.test" ];
    locations = ( { path = "/p/"; auth = "$tmp/htpasswd"; } ); }
);
EOF
"$minihttpd" -T -c "$tmp/sites.conf" > "$tmp/sites.raw" 2> "$tmp/sites.err"
rc=$?
normalize < "$tmp/sites.raw" > "$tmp/sites"
for key in $SITE_KEYS; do
	code=$(lookup "$tmp/sites" "$key")
	page=$(lookup "$tmp/man" "$key")
	if [ "$rc" -eq 0 ] && [ -n "$code" ] && [ "$code" = "$page" ]; then
		ok "$key (site or location)"
	else
		notok "$key (site or location): -T '$code' (status $rc)," \
		    "minihttpd.conf(5) '$page'"
		sed 's/^/#   /' "$tmp/sites.err"
	fi
done

# A setting the list above does not know means this test, the example
# file or the manual was not updated along with the code.
for src in dump conf; do
	cut -f 1 "$tmp/$src" | while IFS= read -r key; do
		case " $(echo $KEYS $ALIASES) " in
		*" $key "*) ;;
		*) echo "$key" ;;
		esac
	done > "$tmp/extra.$src"
done
if [ -s "$tmp/extra.dump" ] || [ -s "$tmp/extra.conf" ]; then
	notok "no unlisted settings:" \
	    "-T: $(echo $(cat "$tmp/extra.dump"))" \
	    "etc/minihttpd.conf: $(echo $(cat "$tmp/extra.conf"))"
else
	ok "no unlisted settings"
fi

# The example file sets every default, so it must load to exactly the
# same configuration as an empty file.
"$minihttpd" -T -c "$conf" > "$tmp/dump.conf" 2> "$tmp/dump.conf.err"
rc=$?
normalize < "$tmp/dump.conf" > "$tmp/dump.conf.n"
if [ "$rc" -eq 0 ] && cmp -s "$tmp/dump" "$tmp/dump.conf.n"; then
	ok "minihttpd -T of etc/minihttpd.conf equals that of an empty file"
else
	notok "minihttpd -T of etc/minihttpd.conf equals that of an" \
	    "empty file (status $rc)"
	sed 's/^/#   /' "$tmp/dump.conf.err"
	diff "$tmp/dump" "$tmp/dump.conf.n" | sed 's/^/#   /'
fi

# The logrotate file must rotate the logs the daemon writes by default
# (a pattern of it matches every default log path that is a file, and
# each of its patterns is in the directory of such a log), signal the
# master through the configuration file the daemon reads by default, and
# be installed where logrotate reads it: /etc/logrotate.d, unless
# configure was given --with-logrotatedir (as make distcheck does).
lr=$top_builddir/etc/logrotate.d/minihttpd
if [ ! -f "$lr" ]; then
	notok "logrotate file: $lr is not built"
else
	pats=$(awk '/^[^#[:space:]].*[{][[:space:]]*$/ {
		for (i = 1; i < NF; i++) print $i }' "$lr")
	logs=
	for key in access_log error_log; do
		for src in dump conf; do
			v=$(lookup "$tmp/$src" "$key" | tr -d '"')
			case $v in
			/*) ;;
			*) continue ;;	# "", "-", stderr, syslog
			esac
			logs="$logs $v"
			hit=
			for p in $pats; do
				# shellcheck disable=SC2254
				case $v in $p) hit=$p ;; esac
			done
			if [ -n "$hit" ]; then
				ok "logrotate: rotates the default $key $v ($src)"
			else
				notok "logrotate: rotates the default $key $v" \
				    "($src; its patterns: $(echo $pats))"
			fi
		done
	done
	for p in $pats; do
		hit=
		for v in $logs; do
			[ "${v%/*}" = "${p%/*}" ] && hit=$v
		done
		if [ -n "$hit" ]; then
			ok "logrotate: $p is where the default logs are"
		else
			notok "logrotate: $p is where the default logs are" \
			    "(they are: $logs)"
		fi
	done
	[ -n "$pats" ] || notok "logrotate: $lr names no log"
	defconf=$("$minihttpd" -h | sed -n 's/.*(default \(.*\))$/\1/p')
	if [ -n "$defconf" ] && grep -qF -- "-c $defconf " "$lr"; then
		ok "logrotate: postrotate reads the default configuration"
	else
		notok "logrotate: postrotate reads the default configuration" \
		    "'$defconf': $(grep -F -- '-s reopen' "$lr")"
	fi
	if grep -q '@[a-z]*@' "$lr"; then
		notok "logrotate: every @placeholder@ is substituted"
	else
		ok "logrotate: every @placeholder@ is substituted"
	fi
	lrdir=$(sed -n 's/^logrotatedir = //p' "$top_builddir/Makefile" \
	    2>/dev/null)
	if "$top_builddir/config.status" --config 2>/dev/null |
	    grep -q 'with-logrotatedir'; then
		echo "ok - logrotate: installed in $lrdir" \
		    "# SKIP configured with --with-logrotatedir"
		pass=$((pass + 1))
	elif [ "$lrdir" = /etc/logrotate.d ]; then
		ok "logrotate: installed in /etc/logrotate.d"
	else
		notok "logrotate: installed in /etc/logrotate.d, not '$lrdir'"
	fi
fi

echo "1..$((pass + fail))"
echo "# defaults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
