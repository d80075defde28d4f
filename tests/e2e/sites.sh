#!/bin/bash
# shellcheck disable=SC2317	# the test_ functions are called by e2e_run
#
# sites: virtual hosts and per-path rules (DESIGN section 3a), end to
# end: the choice of a site by address and Host, headers at three
# levels, redirects and their variables, alias (with the containment of
# document_root), fallback, error_pages, Basic auth, allow and deny,
# exact and longest-prefix locations, per-site access logs, the
# precompressed variants, reloads with good and bad sites, what
# "minihttpd -t" refuses and what "-T" prints, and a configuration of
# 100 sites and 1,000 locations.
#
# Daemons: no fixture.  Each case starts the daemon(s) it needs with a
# configuration of its own (see sites_daemon), serves files from its
# own directories under $CASE_DIR, and stops them at its end.  Every
# site has an index.html and a who.txt naming it, so that the body
# tells which site answered, and so that "liveness" (GET / on the
# default site of the first address) holds.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

# ---------------------------------------------------------------------
# Helpers

# mkroot DIR TEXT: a site's document root DIR with index.html and
# who.txt, both holding TEXT.
mkroot() {
	mkdir -p "$1"
	printf '%s\n' "$2" > "$1/index.html"
	printf '%s\n' "$2" > "$1/who.txt"
}

# Several listen addresses: daemon_prepare (lib.sh) takes the last
# 127.0.0.1 port of the listen line as the daemon's PORT, the one that
# liveness and url use, so the cases list their main address last.

# sites_daemon NAME LINE...: daemon_start, failing the case's check
# when the daemon does not come up.
sites_daemon() {
	local name=$1

	if ! daemon_start "$@"; then
		fail "daemon $name starts" "see above"
		return 1
	fi
}

# The helpers below parse responses with bash builtins only: on a
# loaded two-core machine every process started costs, and this suite
# reads thousands of headers.

# st: the status code of the response on stdin.
st() {
	local l

	IFS= read -r l
	l=${l%$'\r'}
	l=${l#* }
	printf '%s\n' "${l%% *}"
}

# hdr NAME: the value of the first header NAME of the response on stdin
# (case-insensitive name), "" when absent.
hdr() {
	local l k v n=${1,,}

	IFS= read -r l	# the status line
	while IFS= read -r l; do
		l=${l%$'\r'}
		[ -z "$l" ] && break
		k=${l%%:*}
		[ "$k" = "$l" ] && continue
		if [ "${k,,}" = "$n" ]; then
			v=${l#*:}
			v=${v#"${v%%[! $'\t']*}"}
			printf '%s\n' "$v"
			return 0
		fi
	done
	return 0
}

# hq HOST PATH [CURL ARGS...]: GET PATH from the current daemon with
# "Host: HOST"; the head in $CASE_DIR/h, the body in $CASE_DIR/b;
# prints the status ("" when nothing answered).
hq() {
	local host=$1 p=$2

	shift 2
	: > "$CASE_DIR/h"
	: > "$CASE_DIR/b"
	curl -s --max-time 5 -D "$CASE_DIR/h" -o "$CASE_DIR/b" \
	    -H "Host: $host" "$@" "$(url "$p")"
	st < "$CASE_DIR/h"
}

# hp PORT HOST PATH [CURL ARGS...]: hq on another port.
hp() {
	local port=$1 host=$2 p=$3

	shift 3
	: > "$CASE_DIR/h"
	: > "$CASE_DIR/b"
	curl -s --max-time 5 -D "$CASE_DIR/h" -o "$CASE_DIR/b" \
	    -H "Host: $host" "$@" "http://127.0.0.1:$port$p"
	st < "$CASE_DIR/h"
}

hh() {	# hh NAME: header NAME of the last hq/hp response
	hdr "$1" < "$CASE_DIR/h"
}

bb() {	# the body of the last hq/hp response, without its last newline
	local b

	b=$(< "$CASE_DIR/b")
	printf '%s\n' "$b"
}

# hcount NAME: how many NAME header lines the last response has.
hcount() {
	local l k c=0 n=${1,,}

	{
		IFS= read -r l
		while IFS= read -r l; do
			l=${l%$'\r'}
			[ -z "$l" ] && break
			k=${l%%:*}
			[ "$k" != "$l" ] && [ "${k,,}" = "$n" ] && c=$((c + 1))
		done
	} < "$CASE_DIR/h"
	echo "$c"
}

# who HOST [PORT]: the body of /who.txt asked for with "Host: HOST".
who() {
	curl -s --max-time 5 -H "Host: $1" \
	    "http://127.0.0.1:${2:-$PORT}/who.txt"
}

# rawbody: the body of the raw response on stdin.
rawbody() {
	tr -d '\r' | sed '1,/^$/d'
}

# leaks FILE: FILE shows the secret.
leaks() {
	grep -qF "$SECRET" "$1"
}

# probe NAME CODES REQUEST: a raw request is answered with one of CODES
# ("400|404"), shows no secret, and the daemon lives on.
probe() {
	local name=$1 codes=$2 got resp=$CASE_DIR/resp

	rawreq "$3" > "$resp"
	got=$(st < "$resp")
	if [[ $got =~ ^($codes)$ ]]; then
		ok "$name -> $got"
	else
		fail "$name" "expected $codes, got [${got:-no response}]"
	fi
	if leaks "$resp"; then
		fail "$name: no leak" "the response contains the secret"
	else
		ok "$name: no leak"
	fi
	liveness "$name"
}

# code_re NAME REGEX REQUEST: a raw request answered with a status that
# matches REGEX ("200|400").
code_re() {
	local got

	got=$(rawreq "$3" | st)
	if [[ $got =~ ^($2)$ ]]; then
		ok "$1 -> $got"
	else
		fail "$1" "expected $2, got [${got:-no response}]"
	fi
}

# run OUT COMMAND...: bounded run, stdout and stderr in OUT; returns the
# exit status.
run() {
	local out=$1

	shift
	timeout 20 "$@" > "$out" 2>&1
}

# ---------------------------------------------------------------------
# Choosing the site on one address

test_site_by_name() {
	local c=$CASE_DIR out got

	mkroot "$c/a" A
	mkroot "$c/w1" W1
	mkroot "$c/w2" W2
	mkroot "$c/e" E
	mkroot "$c/d" D
	sites_daemon byname "sites = (
  { names = [ \"example.com\", \"www.example.com\" ];
    document_root = \"$c/a\"; },
  { names = [ \"*.example.org\" ]; document_root = \"$c/w1\"; },
  { names = [ \"*.deep.example.org\" ]; document_root = \"$c/w2\"; },
  { names = [ \"exact.example.org\" ]; document_root = \"$c/e\"; },
  { names = [ \"default.test\" ]; default = true;
    document_root = \"$c/d\"; }
);" || return
	check_eq "exact name" A "$(who example.com)"
	check_eq "second name of a site" A "$(who www.example.com)"
	check_eq "name in upper case" A "$(who EXAMPLE.COM)"
	check_eq "name with a port" A "$(who Example.Com:8080)"
	check_eq "name with a trailing dot" A "$(who www.example.com.)"
	check_eq "upper case, trailing dot and port (EXAMPLE.com.:80)" A \
	    "$(who EXAMPLE.com.:80)"
	check_eq "raw Host: EXAMPLE.com.:80" A \
	    "$(rawreq $'GET /who.txt HTTP/1.1\r\nHost: EXAMPLE.com.:80\r\n\r\n' |
	    rawbody)"
	check_eq "curl --resolve picks the site" A \
	    "$(curl -s --max-time 5 --resolve "example.com:$PORT:127.0.0.1" \
	    "http://example.com:$PORT/who.txt")"
	check_eq "wildcard *.example.org" W1 "$(who a.example.org)"
	check_eq "wildcard, several labels deep" W1 "$(who x.y.example.org)"
	check_eq "longest wildcard wins (*.deep.example.org)" W2 \
	    "$(who x.deep.example.org)"
	check_eq "*.deep.example.org does not match deep.example.org" W1 \
	    "$(who deep.example.org)"
	check_eq "exact name before a wildcard" E "$(who exact.example.org)"
	check_eq "exact name before a wildcard, mixed case" E \
	    "$(who EXACT.Example.ORG)"
	check_eq "*.example.org does not match example.org: default site" D \
	    "$(who example.org)"
	check_eq "*.example.org does not match badexample.org" D \
	    "$(who badexample.org)"
	check_eq "unknown name: the default site (not the first listed)" D \
	    "$(who unknown.test)"
	check_eq "IP address as Host: the default site" D \
	    "$(who "127.0.0.1:$PORT")"
	out=$(rawreq $'GET /who.txt HTTP/1.0\r\n\r\n')
	check_eq "HTTP/1.0 without Host: 200" 200 "$(st <<< "$out")"
	check_eq "HTTP/1.0 without Host: the default site" D \
	    "$(rawbody <<< "$out")"
	out=$(rawreq $'GET /who.txt HTTP/1.1\r\nHost: a.example.org\r\n\r\nGET /who.txt HTTP/1.1\r\nHost: example.com\r\n\r\nGET /who.txt HTTP/1.1\r\nHost: nope\r\n\r\n')
	check_eq "pipelined requests for three sites: each its own" \
	    "W1 A D" "$(tr -d '\r' <<< "$out" | grep -x 'W1\|A\|D' |
	    paste -sd' ')"
	# Hostile Host values: 400 or the default site, never a crash.  ("*"
	# is a valid reg-name character: "*.example.org" is a subdomain of
	# example.org like any other, which the wildcard site may take.)
	check_eq "Host: *.example.org: 400, the default or the wildcard site" \
	    ok "$(rawreq $'GET /who.txt HTTP/1.1\r\nHost: *.example.org\r\n\r\n' \
	    > "$c/resp"; case $(st < "$c/resp")$(rawbody < "$c/resp") in
	    200D | 200W1 | 400*) echo ok ;; *) echo no ;; esac)"
	# shellcheck disable=SC1003	# the backslash is part of the Host
	for out in '..' '.example.com' 'example.com..' 'a..example.com' \
	    '[::1' 'example.com:x' 'exa_mple.com\' \
	    "$(head -c 300 /dev/zero | tr '\0' a)"; do
		rawreq "GET /who.txt HTTP/1.1"$'\r\n'"Host: $out"$'\r\n\r\n' \
		    > "$c/resp"
		got=$(st < "$c/resp")$(rawbody < "$c/resp")
		case $got in
		200D | 400*) ok "Host: ${out:0:20}: 400 or the default site" ;;
		*) fail "Host: ${out:0:20}: 400 or the default site" \
		    "got [${got:0:40}]" ;;
		esac
	done
	liveness "hostile Host values"
	daemon_stop byname
}

test_site_first_listed_default() {
	local c=$CASE_DIR

	mkroot "$c/f" FIRST
	mkroot "$c/s" SECOND
	sites_daemon firstdef "sites = (
  { names = [ \"first.test\" ]; document_root = \"$c/f\"; },
  { names = [ \"second.test\" ]; document_root = \"$c/s\"; }
);" || return
	check_eq "named site" SECOND "$(who second.test)"
	check_eq "unknown name without default = true: the first site" \
	    FIRST "$(who other.test)"
	check_eq "HTTP/1.0 without Host: the first site" FIRST \
	    "$(rawreq $'GET /who.txt HTTP/1.0\r\n\r\n' | rawbody)"
	daemon_stop firstdef
}

# Two addresses; a site never answers on an address it does not listen
# on, whatever the Host says.
test_site_per_address() {
	local c=$CASE_DIR p1 p2

	mkroot "$c/one" ONE
	mkroot "$c/two" TWO
	mkroot "$c/both" BOTH
	mkroot "$c/top" TOP
	p1=$(random_port)
	p2=$(random_port)
	while [ "$p2" = "$p1" ]; do p2=$(random_port); done
	sites_daemon peraddr \
	    "listen = [ \"127.0.0.1:$p2\", \"127.0.0.1:$p1\" ];" \
	    "sites = (
  { names = [ \"one.test\" ]; listen = [ \"127.0.0.1:$p1\" ];
    document_root = \"$c/one\"; },
  { names = [ \"two.test\" ]; listen = [ \"127.0.0.1:$p2\" ];
    document_root = \"$c/two\"; },
  { names = [ \"both.test\" ]; document_root = \"$c/both\"; },
  { names = [ \"p2default.test\" ]; listen = [ \"127.0.0.1:$p2\" ];
    default = true; document_root = \"$c/top\"; }
);" || return
	check_eq "address 1, one.test" ONE "$(who one.test "$p1")"
	check_eq "address 2, two.test" TWO "$(who two.test "$p2")"
	check_eq "address 1, two.test: not the site of address 2" ONE \
	    "$(who two.test "$p1")"
	check_eq "address 2, one.test: the default of address 2" TOP \
	    "$(who one.test "$p2")"
	check_eq "site on the top-level listen (both): address 1" BOTH \
	    "$(who both.test "$p1")"
	check_eq "site on the top-level listen (both): address 2" BOTH \
	    "$(who both.test "$p2")"
	check_eq "address 1, unknown: first listed there" ONE \
	    "$(who nope.test "$p1")"
	check_eq "address 2, unknown: default = true there" TOP \
	    "$(who nope.test "$p2")"
	check_eq "address 1, p2default.test: never the site of address 2" \
	    ONE "$(who p2default.test "$p1")"
	daemon_stop peraddr
}

# ---------------------------------------------------------------------
# headers

test_headers_levels() {
	local c=$CASE_DIR etag

	mkroot "$c/a" A
	mkroot "$c/b" B
	mkdir -p "$c/a/loc/dir" "$c/a/dir"
	printf 'file\n' > "$c/a/f.txt"
	printf 'loc file\n' > "$c/a/loc/f.txt"
	printf 'sub\n' > "$c/a/dir/index.html"
	sites_daemon hdrs \
	    'headers = [ "X-Top: top", "X-Over: top", "X-Top2: top2" ];' \
	    "sites = (
  { names = [ \"a.test\" ]; document_root = \"$c/a\"; default = true;
    headers = [ \"X-Site: site\", \"x-over: site\" ];
    locations = (
      { path = \"/loc/\";
        headers = [ \"X-Loc: loc\", \"X-OVER: loc\", \"x-top2: loc2\" ]; }
    ); },
  { names = [ \"b.test\" ]; document_root = \"$c/b\"; }
);" || return
	check_eq "site level: 200" 200 "$(hq a.test /f.txt)"
	check_eq "site level: top-level header" top "$(hh X-Top)"
	check_eq "site level: site header" site "$(hh X-Site)"
	check_eq "site level: the site's X-Over replaces the top's" site \
	    "$(hh X-Over)"
	check_eq "site level: one X-Over" 1 "$(hcount X-Over)"
	check_eq "site level: no location header" "" "$(hh X-Loc)"
	check_eq "location: 200" 200 "$(hq a.test /loc/f.txt)"
	check_eq "location: top-level header" top "$(hh X-Top)"
	check_eq "location: site header" site "$(hh X-Site)"
	check_eq "location: its own header" loc "$(hh X-Loc)"
	check_eq "location: X-OVER replaces the site's x-over" loc \
	    "$(hh X-Over)"
	check_eq "location: one X-Over" 1 "$(hcount X-Over)"
	check_eq "location: x-top2 replaces the top's X-Top2" loc2 \
	    "$(hh X-Top2)"
	check_eq "location: one X-Top2" 1 "$(hcount X-Top2)"
	check_eq "other site: 200" 200 "$(hq b.test /who.txt)"
	check_eq "other site: top-level header" top "$(hh X-Top)"
	check_eq "other site: top-level X-Over" top "$(hh X-Over)"
	check_eq "other site: not site a's header" "" "$(hh X-Site)"
	# Not on errors.
	check_eq "404: status" 404 "$(hq a.test /missing.txt)"
	check_eq "404: no top-level header" "" "$(hh X-Top)"
	check_eq "404: no site header" "" "$(hh X-Site)"
	check_eq "404 in the location: no location header" "" \
	    "$(hq a.test /loc/missing >/dev/null; hh X-Loc)"
	check_eq "405: no site header" "" \
	    "$(rawreq $'POST /f.txt HTTP/1.1\r\nHost: a.test\r\nContent-Length: 0\r\n\r\n' |
	    hdr X-Site)"
	# On 3xx, 304 and 206.
	check_eq "301 (directory without slash): status" 301 \
	    "$(hq a.test /dir)"
	check_eq "301: site header" site "$(hh X-Site)"
	check_eq "301 in the location: location header" loc \
	    "$(hq a.test /loc/dir >/dev/null; hh X-Loc)"
	hq a.test /f.txt > /dev/null
	etag=$(hh ETag)
	check_eq "304: status" 304 "$(hq a.test /f.txt -H "If-None-Match: $etag")"
	check_eq "304: site header" site "$(hh X-Site)"
	check_eq "304: top-level header" top "$(hh X-Top)"
	check_eq "206: status" 206 "$(hq a.test /loc/f.txt -H 'Range: bytes=0-1')"
	check_eq "206: location header" loc "$(hh X-Loc)"
	check_eq "HEAD: site header" site \
	    "$(curl -s -I --max-time 5 -H 'Host: a.test' "$(url /f.txt)" |
	    hdr X-Site)"
	daemon_stop hdrs
}

# ---------------------------------------------------------------------
# redirect

test_redirect() {
	local c=$CASE_DIR p1 p2 p3 out

	mkroot "$c/plain" PLAIN
	mkroot "$c/old" OLD
	mkroot "$c/uri" URI
	mkroot "$c/good" GOOD
	mkroot "$c/anon" ANON
	p1=$(random_port)
	p2=$(random_port)
	p3=$(random_port)
	sites_daemon redir \
	    "listen = [ \"127.0.0.1:$p3\", \"127.0.0.1:$p2\", \"127.0.0.1:$p1\" ];" \
	    "sites = (
  { names = [ \"plain.test\" ]; default = true; document_root = \"$c/plain\";
    listen = [ \"127.0.0.1:$p1\" ]; },
  { names = [ \"old.test\" ]; listen = [ \"127.0.0.1:$p1\" ];
    document_root = \"$c/old\";
    redirect = \"https://new.test\$request_uri\"; },
  { names = [ \"uri.test\" ]; listen = [ \"127.0.0.1:$p1\" ];
    document_root = \"$c/uri\";
    locations = (
      { path = \"/u/\"; redirect = \"http://\$host\$uri\"; status = 302; },
      { path = \"/r/\"; redirect = \"\$scheme://\$host\$request_uri\";
        status = 307; },
      { path = \"/s301/\"; redirect = \"/new301\"; },
      { path = \"/s303/\"; redirect = \"/new303\"; status = 303; },
      { path = \"/s308/\"; redirect = \"/new308\"; status = 308; }
    ); },
  { names = [ \"*.good.example\", \"good.example\" ]; default = true;
    listen = [ \"127.0.0.1:$p2\" ]; document_root = \"$c/good\";
    redirect = \"https://\$host\$request_uri\"; status = 308; },
  { listen = [ \"127.0.0.1:$p3\" ]; document_root = \"$c/anon\";
    redirect = \"http://\$host/moved\$uri\"; status = 302; }
);" || return
	# Site level: every request.
	check_eq "site redirect: 301 by default" 301 \
	    "$(hp "$p1" old.test '/a/b?x=1&y=2')"
	check_eq "site redirect: \$request_uri keeps path and query" \
	    'https://new.test/a/b?x=1&y=2' "$(hh Location)"
	check_eq "site redirect: a missing path too" 301 \
	    "$(hp "$p1" old.test /no/such/file)"
	check_eq "site redirect: an existing file too" 301 \
	    "$(hp "$p1" old.test /who.txt)"
	check_eq "site redirect: Location of /" 'https://new.test/' \
	    "$(hp "$p1" old.test / >/dev/null; hh Location)"
	check_eq "other site on the address not redirected" PLAIN \
	    "$(who plain.test "$p1")"
	# Location level, with each status.
	check_eq "location redirect: status 302" 302 \
	    "$(hp "$p1" uri.test '/u/a%20b?x=1')"
	check_eq "\$uri: decoded path re-encoded, no query" \
	    'http://uri.test/u/a%20b' "$(hh Location)"
	check_eq "\$uri: %41 decoded" 'http://uri.test/u/A' \
	    "$(hp "$p1" uri.test /u/%41 >/dev/null; hh Location)"
	out=$(rawreq $'GET /u/x/../y HTTP/1.1\r\nHost: uri.test\r\n\r\n')
	check_eq "\$uri: dot segments resolved" 'http://uri.test/u/y' \
	    "$(hdr Location <<< "$out")"
	check_eq "\$scheme, \$host, \$request_uri: status 307" 307 \
	    "$(hp "$p1" uri.test '/r/p?q=1&z=%41')"
	check_eq "\$request_uri as received (not decoded)" \
	    'http://uri.test/r/p?q=1&z=%41' "$(hh Location)"
	check_eq "no status: 301" 301 "$(hp "$p1" uri.test /s301/x)"
	check_eq "redirect to a path" /new301 "$(hh Location)"
	check_eq "status 303" 303 "$(hp "$p1" uri.test /s303/)"
	check_eq "status 303: Location" /new303 "$(hh Location)"
	check_eq "status 308" 308 "$(hp "$p1" uri.test /s308/y)"
	check_eq "status 308: Location" /new308 "$(hh Location)"
	check_eq "outside the redirect locations: served" URI \
	    "$(who uri.test "$p1")"
	# CR LF in the path never reaches the Location.
	out=$(rawreq $'GET /u/%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: uri.test\r\n\r\n')
	case $(st <<< "$out") in
	302 | 400)
		ok "%0d%0a in \$uri: answered ($(st <<< "$out"))" ;;
	*)	fail "%0d%0a in \$uri: answered" \
		    "got [$(st <<< "$out")]" ;;
	esac
	check_eq "%0d%0a in \$uri: no injected header" "" \
	    "$(hdr Set-Cookie <<< "$out")"
	liveness "CR LF in a redirect"
	# $host only when the site's names allow it.
	check_eq "\$host: a name of the site" 308 \
	    "$(hp "$p2" good.example '/p?q=1')"
	check_eq "\$host: good.example kept" 'https://good.example/p?q=1' \
	    "$(hh Location)"
	check_eq "\$host: matched by the site's wildcard kept" \
	    'https://www.good.example/p' \
	    "$(hp "$p2" www.good.example /p >/dev/null; hh Location)"
	check_eq "\$host: unknown Host to the default site: 308" 308 \
	    "$(hp "$p2" evil.example '/p?q=1')"
	check_eq "\$host: unknown Host becomes the first exact name" \
	    'https://good.example/p?q=1' "$(hh Location)"
	check_eq "\$host: HTTP/1.0 without Host becomes the site's name" \
	    'https://good.example/p' \
	    "$(printf 'GET /p HTTP/1.0\r\n\r\n' | "$RAWHTTP" -t 5 "$p2" |
	    hdr Location)"
	check_eq "\$host: a site without names uses the Host" \
	    'http://any.test/moved/x' \
	    "$(hp "$p3" any.test /x >/dev/null; hh Location)"
	check_eq "site without names: status 302" 302 \
	    "$(hp "$p3" other.test /x)"
	daemon_stop redir
}

# ---------------------------------------------------------------------
# alias

test_alias() {
	local c=$CASE_DIR t

	mkroot "$c/root" ROOT
	mkdir -p "$c/root/docs" "$c/x/sub" "$c/y" "$c/root/files"
	printf 'ROOT-DOCS-A\n' > "$c/root/docs/a.html"
	printf 'ALIAS-A\n' > "$c/x/a.html"
	printf 'ALIAS-INDEX\n' > "$c/x/index.html"
	printf 'ALIAS-SUB\n' > "$c/x/sub/s.txt"
	printf 'Y-FILE\n' > "$c/y/f.txt"
	printf 'Y-INDEX\n' > "$c/y/index.html"
	echo "$SECRET" > "$c/secret.txt"
	# "/files" + "x" would be $c/yx: a file beside the alias.
	echo "$SECRET" > "$c/yx"
	mkdir -p "$c/ysib"
	echo "$SECRET" > "$c/ysib/s.txt"
	# Links in the alias: out of it (never followed), and within it.
	ln -s ../secret.txt "$c/x/up.txt"
	ln -s "$c/secret.txt" "$c/x/abs.txt"
	ln -s .. "$c/x/parent"
	ln -s ../ysib "$c/x/outdir"
	ln -s ../root/who.txt "$c/x/toroot.txt"
	ln -s a.html "$c/x/in.txt"
	ln -s sub "$c/x/insub"
	sites_daemon alias "sites = (
  { names = [ \"al.test\" ]; document_root = \"$c/root\";
    locations = (
      { path = \"/docs/\"; alias = \"$c/x\"; },
      { path = \"/files\"; alias = \"$c/y\"; },
      { path = \"/always/\"; alias = \"$c/x\"; symlinks = \"always\"; },
      { path = \"/never/\"; alias = \"$c/x\"; symlinks = \"never\"; }
    ); }
);" || return
	# Controls: the links do reach the secret when the location lets
	# them (symlinks = "always"), and "never" refuses even inner ones.
	check "control: symlinks = always follows up.txt out of the alias" \
	    grep -qF "$SECRET" <(curl -s --max-time 5 "$(url /always/up.txt)")
	check "control: symlinks = always follows outdir/" \
	    grep -qF "$SECRET" <(curl -s --max-time 5 "$(url /always/outdir/s.txt)")
	expect_status "symlinks = never: in.txt (inner link) 404" 404 \
	    "$(url /never/in.txt)"
	check_eq "symlinks = never: a plain file still served" ALIAS-A \
	    "$(curl -s --max-time 5 "$(url /never/a.html)")"
	check_eq "/docs/a.html from the alias" ALIAS-A \
	    "$(curl -s --max-time 5 "$(url /docs/a.html)")"
	check_eq "/docs/ index from the alias" ALIAS-INDEX \
	    "$(curl -s --max-time 5 "$(url /docs/)")"
	check_eq "/docs/sub/s.txt" ALIAS-SUB \
	    "$(curl -s --max-time 5 "$(url /docs/sub/s.txt)")"
	expect_status "/docs/missing: 404" 404 "$(url /docs/missing.html)"
	check_eq "link within the alias served" ALIAS-A \
	    "$(curl -s --max-time 5 "$(url /docs/in.txt)")"
	check_eq "directory link within the alias served" ALIAS-SUB \
	    "$(curl -s --max-time 5 "$(url /docs/insub/s.txt)")"
	check_eq "location without slash: /files/f.txt" Y-FILE \
	    "$(curl -s --max-time 5 "$(url /files/f.txt)")"
	check_eq "location without slash: /files/ index" Y-INDEX \
	    "$(curl -s --max-time 5 "$(url /files/)")"
	check_eq "/files: 301" 301 "$(hq al.test /files)"
	case $(hh Location) in
	/files/ | http://*/files/) ok "/files: Location /files/" ;;
	*) fail "/files: Location /files/" "got [$(hh Location)]" ;;
	esac
	check_eq "/files?q=1: 301 keeps the query" 301 \
	    "$(hq al.test '/files?q=1')"
	case $(hh Location) in
	'/files/?q=1' | http://*'/files/?q=1') ok "/files?q=1: Location" ;;
	*) fail "/files?q=1: Location" "got [$(hh Location)]" ;;
	esac
	check_eq "/filesx: 404 (not the alias + x)" 404 "$(hq al.test /filesx)"
	check "/filesx: no leak" test "$(grep -cF "$SECRET" "$CASE_DIR/b")" = 0
	# Containment: dot segments, encodings, links out of the alias.
	for t in \
	    '/docs/../secret.txt' \
	    '/docs/%2e%2e/secret.txt' \
	    '/docs/%2E%2E/secret.txt' \
	    '/docs/%2e%2e%2fsecret.txt' \
	    '/docs/..%2fsecret.txt' \
	    '/docs/.%2e/secret.txt' \
	    '/docs/%252e%252e/secret.txt' \
	    '/docs/sub/../../secret.txt' \
	    '/docs/sub/%2e%2e/%2e%2e/secret.txt' \
	    '/docs/..\secret.txt' \
	    '/docs/..%5csecret.txt' \
	    '/docs/%c0%ae%c0%ae/secret.txt' \
	    '/docs//../secret.txt' \
	    '/docs/../../../../../../../..'"$c"'/secret.txt' \
	    '/files/../yx' \
	    '/files/%2e%2e/yx' \
	    '/files%2f..%2fyx' \
	    '/filesx' \
	    '/files/../ysib/s.txt' \
	    '/docs/up.txt' \
	    '/docs/abs.txt' \
	    '/docs/parent/secret.txt' \
	    '/docs/outdir/s.txt' \
	    '/docs/outdir/' \
	    '/docs/toroot.txt'; do
		probe "GET $t" "400|403|404" \
		    "GET $t HTTP/1.1"$'\r\nHost: al.test\r\n\r\n'
	done
	daemon_stop alias
}

# ---------------------------------------------------------------------
# fallback

test_fallback() {
	local c=$CASE_DIR

	mkroot "$c/root" ROOT
	mkdir -p "$c/root/app/assets" "$c/root/gone" "$c/root/other"
	printf 'SPA-ENTRY\n' > "$c/root/app/index.html"
	printf 'REAL-JS\n' > "$c/root/app/assets/real.js"
	printf 'GONE-REAL\n' > "$c/root/gone/real.txt"
	sites_daemon fallback "sites = (
  { names = [ \"spa.test\" ]; document_root = \"$c/root\";
    locations = (
      { path = \"/app/\"; fallback = \"/app/index.html\"; },
      { path = \"/gone/\"; fallback = \"/gone/nothere.html\"; }
    ); }
);" || return
	check_eq "unknown route: 200" 200 "$(hq spa.test /app/users/42)"
	check_eq "unknown route: the fallback's body" SPA-ENTRY "$(bb)"
	check_eq "unknown route: text/html" "text/html; charset=utf-8" \
	    "$(hh Content-Type)"
	check_eq "missing file under the location: fallback" SPA-ENTRY \
	    "$(hq spa.test /app/assets/missing.js >/dev/null; bb)"
	check_eq "existing file served as is" REAL-JS \
	    "$(hq spa.test /app/assets/real.js >/dev/null; bb)"
	check_eq "the location's own index" SPA-ENTRY \
	    "$(hq spa.test /app/ >/dev/null; bb)"
	check_eq "query on an unknown route: fallback" 200 \
	    "$(hq spa.test '/app/route?x=1')"
	check_eq "missing fallback: 404" 404 "$(hq spa.test /gone/x)"
	check_eq "missing fallback: existing file still served" GONE-REAL \
	    "$(hq spa.test /gone/real.txt >/dev/null; bb)"
	check_eq "outside the location: 404" 404 "$(hq spa.test /other/x)"
	check_eq "traversal out of the location: no fallback escape" 404 \
	    "$(rawreq $'GET /app/%2e%2e/nothere HTTP/1.1\r\nHost: spa.test\r\n\r\n' |
	    st)"
	liveness "fallback"
	daemon_stop fallback
}

# ---------------------------------------------------------------------
# error_pages

test_error_pages() {
	local c=$CASE_DIR out

	mkroot "$c/root" ROOT
	mkroot "$c/plain" PLAIN
	mkdir -p "$c/root/nopage" "$c/root/loop" "$c/root/inner"
	printf 'CUSTOM-404\n' > "$c/root/404.html"
	printf 'INNER-404\n' > "$c/root/inner/404.html"
	printf 'CUSTOM-403\n' > "$c/root/403.html"
	mkdir -p "$c/root/list"
	printf 'x\n' > "$c/root/list/x.txt"
	sites_daemon errpages "sites = (
  { names = [ \"err.test\" ]; document_root = \"$c/root\";
    headers = [ \"X-Site: err\" ];
    error_pages = ( { status = [ 404 ]; page = \"/404.html\"; },
                    { status = [ 403 ]; page = \"/403.html\"; } );
    locations = (
      { path = \"/nopage/\";
        error_pages = ( { status = [ 404 ]; page = \"/nothere.html\"; } ); },
      { path = \"/loop/\";
        error_pages = ( { status = [ 404 ]; page = \"/loop/missing.html\"; } ); },
      { path = \"/inner/\";
        error_pages = ( { status = [ 404 ]; page = \"/inner/404.html\"; } ); }
    ); },
  { names = [ \"plain.test\" ]; document_root = \"$c/plain\"; }
);" || return
	check_eq "custom 404: status stays 404" 404 "$(hq err.test /missing)"
	check_eq "custom 404: the page's body" CUSTOM-404 "$(bb)"
	check_eq "custom 404: Content-Length of the page" \
	    "$(stat -c %s "$c/root/404.html")" "$(hh Content-Length)"
	check_eq "custom 404: no configured header" "" "$(hh X-Site)"
	check_eq "custom 404 for HEAD: 404" 404 \
	    "$(curl -s -I --max-time 5 -H 'Host: err.test' "$(url /missing)" |
	    st)"
	check_eq "custom 403 (directory without index)" 403 \
	    "$(hq err.test /list/)"
	check_eq "custom 403: the page's body" CUSTOM-403 "$(bb)"
	check_eq "the page itself is served with 200" 200 \
	    "$(hq err.test /404.html)"
	check_eq "location's own page: 404" 404 "$(hq err.test /inner/x)"
	check_eq "location's own page: its body" INNER-404 "$(bb)"
	check_eq "missing page: 404" 404 "$(hq err.test /nopage/x)"
	check "missing page: the built-in page (not empty)" \
	    test -s "$CASE_DIR/b"
	check "missing page: not the site's page" \
	    test "$(grep -c CUSTOM-404 "$CASE_DIR/b")" = 0
	# A page that itself 404s in a location whose 404 page is that
	# page: one built-in answer, no loop.
	out=$(rawreq $'GET /loop/x HTTP/1.1\r\nHost: err.test\r\n\r\nGET /loop/y HTTP/1.1\r\nHost: err.test\r\n\r\n')
	check_eq "self-404ing page: two 404 answers, no loop" "404 404" \
	    "$(statuses <<< "$out")"
	check_eq "page outside its location that is missing: 404" 404 \
	    "$(hq err.test /loop/missing.html)"
	check_eq "other site: built-in 404" 404 "$(hq plain.test /missing)"
	check "other site: not the custom page" \
	    test "$(grep -c CUSTOM-404 "$CASE_DIR/b")" = 0
	liveness "error pages"
	daemon_stop errpages
}

# ---------------------------------------------------------------------
# auth

test_auth() {
	local c=$CASE_DIR codes i have_b=0 u

	mkroot "$c/root" ROOT
	mkdir -p "$c/root/staff"
	printf 'STAFF-ONLY\n' > "$c/root/staff/s.txt"
	{
		printf 'alice:%s\n' "$(openssl passwd -6 -salt abcdefgh secret)"
		printf 'carol:%s\n' "$(openssl passwd -5 -salt abcdefgh pass5)"
	} > "$c/htpasswd"
	if command -v htpasswd > /dev/null; then
		htpasswd -nbB bob 'b0b pass' | grep . >> "$c/htpasswd"
		have_b=1
	fi
	chmod 644 "$c/htpasswd"
	sites_daemon auth 'workers = 1;' "sites = (
  { names = [ \"auth.test\" ]; document_root = \"$c/root\";
    locations = (
      { path = \"/staff/\"; auth = \"$c/htpasswd\"; realm = \"staff\"; }
    ); }
);" || return
	run "$c/t.out" "$MINIHTTPD" -t -c "$CONF"
	check_eq "-t accepts the auth config" 0 "$?"
	check "-t warns: auth on a plain-HTTP site" \
	    grep -qi 'warning.*auth\|auth.*warning' "$c/t.out"
	u=$(url /staff/s.txt)
	check_eq "no credentials: 401" 401 "$(hq auth.test /staff/s.txt)"
	check_eq "401: WWW-Authenticate" \
	    'Basic realm="staff", charset="UTF-8"' "$(hh WWW-Authenticate)"
	check "401: no content of the file" \
	    test "$(grep -c STAFF-ONLY "$CASE_DIR/b")" = 0
	check_eq "SHA-512 crypt, right password: 200" 200 \
	    "$(hq auth.test /staff/s.txt -u alice:secret)"
	check_eq "SHA-512 crypt: the file" STAFF-ONLY "$(bb)"
	check_eq "SHA-512 crypt, wrong password: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u alice:wrong)"
	check_eq "SHA-512 crypt, password prefix: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u alice:secre)"
	check_eq "SHA-256 crypt, right password: 200" 200 \
	    "$(hq auth.test /staff/s.txt -u carol:pass5)"
	check_eq "SHA-256 crypt, wrong password: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u carol:pass6)"
	check_eq "unknown user: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u mallory:secret)"
	check_eq "empty user: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u :secret)"
	check_eq "user name case matters: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u Alice:secret)"
	if [ "$have_b" = 1 ]; then
		check_eq "bcrypt, right password: 200" 200 \
		    "$(hq auth.test /staff/s.txt -u 'bob:b0b pass')"
		check_eq "bcrypt, wrong password: 401" 401 \
		    "$(hq auth.test /staff/s.txt -u 'bob:b0b')"
		codes=$(for i in 1 2 3 4 5 6 7 8 9 10; do
			curl -s -o /dev/null --max-time 5 -w '%{http_code}\n' \
			    -u 'bob:b0b pass' "$u"
		done | sort | uniq -c | awk '{ print $1 "x" $2 }')
		check_eq "bcrypt: 10 connections with the same credentials" \
		    10x200 "$codes"
	else
		skip "bcrypt" "htpasswd is not installed"
	fi
	# Many requests with the same credentials (the cache), on one
	# connection and on many, then a wrong password again.
	codes=$(curl -s --max-time 20 -u alice:secret \
	    -w '%{http_code}\n' -o /dev/null -o /dev/null -o /dev/null \
	    -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
	    -o /dev/null -o /dev/null "$u" "$u" "$u" "$u" "$u" "$u" "$u" \
	    "$u" "$u" "$u" | sort | uniq -c | awk '{ print $1 "x" $2 }')
	check_eq "10 requests on one connection, same credentials" 10x200 \
	    "$codes"
	codes=$(for i in $(seq 20); do
		curl -s -o /dev/null --max-time 5 -w '%{http_code}\n' \
		    -u alice:secret "$u"
	done | sort | uniq -c | awk '{ print $1 "x" $2 }')
	check_eq "20 connections, same credentials" 20x200 "$codes"
	check_eq "after the cached successes, a wrong password: 401" 401 \
	    "$(hq auth.test /staff/s.txt -u alice:secret2)"
	check_eq "then the right one again: 200" 200 \
	    "$(hq auth.test /staff/s.txt -u alice:secret)"
	# Wrong credentials are bounded per connection: the third 401
	# closes it, and a fourth pipelined request gets no answer.
	local bad one
	one=$'GET /staff/s.txt HTTP/1.1\r\nHost: auth.test\r\nAuthorization: Basic YWxpY2U6bm9wZQ==\r\n\r\n'
	bad=$(rawreq "$one$one$one$one" | tr -d '\r')
	check_eq "3 wrong passwords on one connection, then it closes" \
	    "401 401 401" "$(statuses <<< "$bad")"
	check "the third 401 says Connection: close" \
	    grep -qi '^Connection: close' <<< "$bad"
	bad=$(rawreq "$one$one"$'GET /staff/s.txt HTTP/1.1\r\nHost: auth.test\r\n\r\n'"$one" |
	    tr -d '\r')
	check_eq "401s without credentials do not count" "401 401 401 401" \
	    "$(statuses <<< "$bad")"
	# Malformed Authorization fields.
	expect_raw "Basic with bad base64: 401" 401 \
	    $'GET /staff/s.txt HTTP/1.1\r\nHost: auth.test\r\nAuthorization: Basic !!!!\r\n\r\n'
	expect_raw "Basic without a colon: 401" 401 \
	    "GET /staff/s.txt HTTP/1.1"$'\r\nHost: auth.test\r\n'"Authorization: Basic $(printf alice | base64)"$'\r\n\r\n'
	expect_raw "Bearer scheme: 401" 401 \
	    $'GET /staff/s.txt HTTP/1.1\r\nHost: auth.test\r\nAuthorization: Bearer abc\r\n\r\n'
	expect_raw "empty Authorization: 401" 401 \
	    $'GET /staff/s.txt HTTP/1.1\r\nHost: auth.test\r\nAuthorization:\r\n\r\n'
	expect_raw "scheme in lower case (basic) accepted" 200 \
	    "GET /staff/s.txt HTTP/1.1"$'\r\nHost: auth.test\r\n'"Authorization: basic $(printf alice:secret | base64)"$'\r\n\r\n'
	expect_raw "very long credentials: 401" 401 \
	    "GET /staff/s.txt HTTP/1.1"$'\r\nHost: auth.test\r\n'"Authorization: Basic $(head -c 3000 /dev/zero | tr '\0' a | base64 -w0)"$'\r\n\r\n'
	liveness "malformed Authorization"
	check_eq "outside the location: no auth needed" 200 \
	    "$(hq auth.test /who.txt)"
	check_eq "/staff (no slash) is not in /staff/: 301, no auth" 301 \
	    "$(hq auth.test /staff)"
	daemon_stop auth
}

# ---------------------------------------------------------------------
# allow and deny

test_allow_deny() {
	local c=$CASE_DIR d

	mkroot "$c/root" ROOT
	for d in local ten multi hidden v6; do
		mkdir -p "$c/root/$d"
		printf '%s\n' "$d" > "$c/root/$d/f.txt"
	done
	sites_daemon allow "sites = (
  { names = [ \"acl.test\" ]; document_root = \"$c/root\";
    locations = (
      { path = \"/local/\"; allow = [ \"127.0.0.1\" ]; },
      { path = \"/ten/\"; allow = [ \"10.0.0.0/8\" ]; },
      { path = \"/multi/\"; allow = [ \"::1\", \"192.168.0.0/16\", \"127.0.0.0/8\" ]; },
      { path = \"/v6/\"; allow = [ \"::1\", \"fe80::/10\" ]; },
      { path = \"/hidden/\"; deny = true; }
    ); }
);" || return
	check_eq "allow 127.0.0.1 from 127.0.0.1: 200" 200 \
	    "$(hq acl.test /local/f.txt)"
	check_eq "allow 10.0.0.0/8 from 127.0.0.1: 403" 403 \
	    "$(hq acl.test /ten/f.txt)"
	check "403: no content" test "$(grep -cx ten "$CASE_DIR/b")" = 0
	check_eq "allow 10.0.0.0/8: missing file also 403" 403 \
	    "$(hq acl.test /ten/missing)"
	check_eq "allow list with 127.0.0.0/8: 200" 200 \
	    "$(hq acl.test /multi/f.txt)"
	check_eq "allow IPv6 only, from 127.0.0.1: 403" 403 \
	    "$(hq acl.test /v6/f.txt)"
	check_eq "deny = true: 404 for an existing file" 404 \
	    "$(hq acl.test /hidden/f.txt)"
	check "deny: no content" test "$(grep -cx hidden "$CASE_DIR/b")" = 0
	check_eq "deny = true: the directory 404" 404 \
	    "$(hq acl.test /hidden/)"
	check_eq "deny: %2e%2e detour still denied or outside" 404 \
	    "$(rawreq $'GET /ten/%2e%2e/hidden/f.txt HTTP/1.1\r\nHost: acl.test\r\n\r\n' |
	    st)"
	check_eq "allow: a detour through another location" 403 \
	    "$(rawreq $'GET /local/%2e%2e/ten/f.txt HTTP/1.1\r\nHost: acl.test\r\n\r\n' |
	    st)"
	liveness "allow and deny"
	daemon_stop allow
}

# ---------------------------------------------------------------------
# exact and longest-prefix locations

test_locations_match() {
	local c=$CASE_DIR

	mkroot "$c/root" ROOT
	mkdir -p "$c/root/a/b/c" "$c/root/admin" "$c/root/administrator"
	for f in a/x.txt a/b/x.txt a/b/c.txt a/bc.txt a/b/c/x.txt a/b/c.txt2 \
	    a/b/x.txtz \
	    admin/x.txt administrator/x.txt x.txt; do
		printf '%s\n' "$f" > "$c/root/$f"
	done
	# Listed out of order: the longest wins, not the first.
	sites_daemon locs "sites = (
  { names = [ \"loc.test\" ]; document_root = \"$c/root\";
    locations = (
      { path = \"/a/\"; headers = [ \"X-Loc: a\" ]; },
      { path = \"/a/b/c.txt\"; exact = true; headers = [ \"X-Loc: abc-exact\" ]; },
      { path = \"/\"; exact = true; headers = [ \"X-Loc: root-exact\" ]; },
      { path = \"/a/b/c/\"; headers = [ \"X-Loc: abc\" ]; },
      { path = \"/a/b/\"; headers = [ \"X-Loc: ab\" ]; },
      { path = \"/admin\"; headers = [ \"X-Loc: admin\" ]; },
      { path = \"/a/b/x.txt\"; headers = [ \"X-Loc: abx-prefix\" ]; },
      { path = \"/a/b/x.txt\"; exact = true; headers = [ \"X-Loc: abx-exact\" ]; }
    ); }
);" || return
	check_eq "exact / for /" root-exact "$(hq loc.test / >/dev/null; hh X-Loc)"
	check_eq "exact / not for /x.txt" "" \
	    "$(hq loc.test /x.txt >/dev/null; hh X-Loc)"
	check_eq "exact / not for /index.html" "" \
	    "$(hq loc.test /index.html >/dev/null; hh X-Loc)"
	check_eq "/a/x.txt: /a/" a "$(hq loc.test /a/x.txt >/dev/null; hh X-Loc)"
	check_eq "/a/bc.txt: /a/ (not /a/b/)" a \
	    "$(hq loc.test /a/bc.txt >/dev/null; hh X-Loc)"
	check_eq "/a/b/c/x.txt: the longest, /a/b/c/" abc \
	    "$(hq loc.test /a/b/c/x.txt >/dev/null; hh X-Loc)"
	check_eq "/a/b/c.txt: exact" abc-exact \
	    "$(hq loc.test /a/b/c.txt >/dev/null; hh X-Loc)"
	check_eq "/a/b/c.txt?q: exact (query ignored)" abc-exact \
	    "$(hq loc.test '/a/b/c.txt?q=1' >/dev/null; hh X-Loc)"
	check_eq "/a/b/c.txt2 is not exact: /a/b/" ab \
	    "$(hq loc.test /a/b/c.txt2 >/dev/null; hh X-Loc)"
	check_eq "/a/b/x.txt: exact before the same prefix" abx-exact \
	    "$(hq loc.test /a/b/x.txt >/dev/null; hh X-Loc)"
	check_eq "/a/b/x.txtz: the prefix /a/b/x.txt" abx-prefix \
	    "$(hq loc.test /a/b/x.txtz >/dev/null; hh X-Loc)"
	check_eq "/a/b/x.txtq: 404" 404 "$(hq loc.test /a/b/x.txtq)"
	check_eq "/a/b/x.txtq: 404 has no header" "" "$(hh X-Loc)"
	check_eq "/a/b/./c.txt normalised: exact" abc-exact \
	    "$(rawreq $'GET /a/b/./c.txt HTTP/1.1\r\nHost: loc.test\r\n\r\n' |
	    hdr X-Loc)"
	check_eq "/a/%62/c.txt decoded: exact" abc-exact \
	    "$(rawreq $'GET /a/%62/c.txt HTTP/1.1\r\nHost: loc.test\r\n\r\n' |
	    hdr X-Loc)"
	check_eq "/a/x/../b/c/x.txt normalised: /a/b/c/" abc \
	    "$(rawreq $'GET /a/x/../b/c/x.txt HTTP/1.1\r\nHost: loc.test\r\n\r\n' |
	    hdr X-Loc)"
	check_eq "/admin is a string prefix of /administrator/" admin \
	    "$(hq loc.test /administrator/x.txt >/dev/null; hh X-Loc)"
	check_eq "/admin/x.txt" admin \
	    "$(hq loc.test /admin/x.txt >/dev/null; hh X-Loc)"
	daemon_stop locs
}

# ---------------------------------------------------------------------
# Per-site access_log

test_access_log_per_site() {
	local c=$CASE_DIR top alog

	mkroot "$c/a" A
	mkroot "$c/b" B
	printf 'a\n' > "$c/a/a-only.txt"
	printf 'b\n' > "$c/b/b-only.txt"
	alog=$c/a.log
	sites_daemon alog "sites = (
  { names = [ \"b.test\" ]; document_root = \"$c/b\"; },
  { names = [ \"a.test\" ]; document_root = \"$c/a\";
    access_log = \"$alog\"; }
);" || return
	top=$DDIR/access.log
	check_eq "site a: 200" 200 "$(hq a.test /a-only.txt)"
	check_eq "site a: 404" 404 "$(hq a.test /a-missing.txt)"
	check_eq "site b: 200" 200 "$(hq b.test /b-only.txt)"
	check_eq "unknown name (site b, the first): 200" 200 \
	    "$(hq other.test /b-only.txt?other)"
	in_logs() {
		grep -q 'a-only' "$alog" 2>/dev/null &&
		    grep -q 'a-missing' "$alog" 2>/dev/null &&
		    grep -q 'b-only.txt?other' "$top" 2>/dev/null &&
		    grep -q 'GET /b-only.txt ' "$top" 2>/dev/null
	}
	check "both logs written within 5 s" wait_until 5 in_logs
	check "site a's log: its 200" grep -q '"GET /a-only.txt HTTP/1.1" 200 ' "$alog"
	check "site a's log: its 404" \
	    grep -q '"GET /a-missing.txt HTTP/1.1" 404 ' "$alog"
	check_eq "site a's log: nothing of site b" 0 \
	    "$(grep -c 'b-only' "$alog")"
	check_eq "top-level log: nothing of site a" 0 \
	    "$(grep -c 'a-only\|a-missing' "$top")"
	check "top-level log: site b's request" \
	    grep -q '"GET /b-only.txt HTTP/1.1" 200 ' "$top"
	daemon_stop alog
}

# ---------------------------------------------------------------------
# precompressed

test_precompressed() {
	local c=$CASE_DIR r i e ae want got etags=() size

	mkroot "$c/root" ROOT
	mkroot "$c/def" DEF
	mkroot "$c/off" OFF
	r=$c/root
	mkdir -p "$r/only"
	seq 1 600 > "$r/p.txt"
	gzip -9nc "$r/p.txt" > "$r/p.txt.gz"
	zstd -q -19 -c "$r/p.txt" > "$r/p.txt.zst"
	# No brotli tool here: the server does not decode, any bytes do.
	printf 'BROTLI-STAND-IN %s\n' "$(seq 1 40)" > "$r/p.txt.br"
	touch -d '-1 hour' "$r/p.txt"
	# s.txt: its .br is older than it (stale), its .zst and .gz fresh.
	seq 1 300 > "$r/s.txt"
	printf 'STALE-BR\n' > "$r/s.txt.br"
	zstd -q -c "$r/s.txt" > "$r/s.txt.zst"
	gzip -nc "$r/s.txt" > "$r/s.txt.gz"
	touch -d '-1 hour' "$r/s.txt"
	touch -d '-2 hours' "$r/s.txt.br"
	# t.txt: only a stale .gz.
	seq 1 200 > "$r/t.txt"
	gzip -nc "$r/t.txt" > "$r/t.txt.gz"
	touch -d '-1 hour' "$r/t.txt.gz"
	# m.txt: only .gz (the others missing).
	seq 1 250 > "$r/m.txt"
	gzip -nc "$r/m.txt" > "$r/m.txt.gz"
	touch -d '-1 hour' "$r/m.txt"
	cp -p "$r/p.txt" "$r/p.txt.gz" "$r/p.txt.zst" "$r/p.txt.br" "$r/only/"
	cp -p "$r/p.txt" "$r/p.txt.gz" "$r/p.txt.zst" "$r/p.txt.br" "$c/def/"
	cp -p "$r/p.txt" "$r/p.txt.gz" "$r/p.txt.zst" "$r/p.txt.br" "$c/off/"
	sites_daemon precomp "sites = (
  { names = [ \"pc.test\" ]; document_root = \"$r\";
    precompressed = [ \"br\", \"zstd\", \"gzip\" ];
    locations = ( { path = \"/only/\"; precompressed = [ \"gzip\" ]; } ); },
  { names = [ \"def.test\" ]; document_root = \"$c/def\"; },
  { names = [ \"off.test\" ]; document_root = \"$c/off\";
    gzip_static = false; }
);" || return
	# Accept-Encoding -> the file expected (its suffix, "" = plain).
	local table=(
		'gzip'				gz
		'br, zstd, gzip'		br
		'gzip, zstd, br'		br
		'gzip, zstd'			zst
		'zstd'				zst
		'br;q=0.5, gzip;q=1.0'		gz
		'br;q=0.5, zstd;q=0.8, gzip;q=0.1' zst
		'br;q=0, zstd;q=0.1'		zst
		'br;q=0.9, zstd;q=0.9, gzip;q=0.9' br
		'gzip;q=0'			''
		'identity'			''
		'deflate'			''
		'GZIP'				gz
		'br;q=1.0, gzip;q=0.999'	br
	)
	for ((i = 0; i < ${#table[@]}; i += 2)); do
		ae=${table[i]}
		want=${table[i + 1]}
		got=$(hq pc.test /p.txt -H "Accept-Encoding: $ae")
		if [ -n "$want" ]; then
			check_eq "[$ae]: 200" 200 "$got"
			check_eq "[$ae]: Content-Encoding" \
			    "$(case $want in gz) echo gzip ;; zst) echo zstd ;; br) echo br ;; esac)" \
			    "$(hh Content-Encoding)"
			check "[$ae]: the p.txt.$want bytes" \
			    cmp -s "$r/p.txt.$want" "$CASE_DIR/b"
			check_eq "[$ae]: Content-Length of p.txt.$want" \
			    "$(stat -c %s "$r/p.txt.$want")" "$(hh Content-Length)"
		else
			check_eq "[$ae]: no Content-Encoding" "" \
			    "$(hh Content-Encoding)"
			check "[$ae]: the plain bytes" \
			    cmp -s "$r/p.txt" "$CASE_DIR/b"
		fi
		check_eq "[$ae]: Vary: Accept-Encoding" Accept-Encoding \
		    "$(hh Vary)"
		check_eq "[$ae]: Content-Type of the original" \
		    "text/plain; charset=utf-8" "$(hh Content-Type)"
	done
	hq pc.test /p.txt > /dev/null
	check_eq "no Accept-Encoding: no Content-Encoding" "" \
	    "$(hh Content-Encoding)"
	check_eq "no Accept-Encoding: Vary still sent" Accept-Encoding \
	    "$(hh Vary)"
	check "no Accept-Encoding: plain bytes" cmp -s "$r/p.txt" "$CASE_DIR/b"
	# One ETag per representation.
	for e in '' gzip zstd br; do
		if [ -n "$e" ]; then
			hq pc.test /p.txt -H "Accept-Encoding: $e" > /dev/null
		else
			hq pc.test /p.txt > /dev/null
		fi
		etags+=("$(hh ETag)")
	done
	check_eq "four representations: four distinct ETags" 4 \
	    "$(printf '%s\n' "${etags[@]}" | grep . | sort -u | wc -l)"
	check_eq "the gzip ETag is stable" "${etags[1]}" \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: gzip' >/dev/null; hh ETag)"
	check_eq "If-None-Match with the gzip ETag, gzip accepted: 304" 304 \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: gzip' \
	    -H "If-None-Match: ${etags[1]}")"
	check_eq "304: Vary" Accept-Encoding "$(hh Vary)"
	check_eq "If-None-Match with the gzip ETag, br accepted: 200" 200 \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: br' \
	    -H "If-None-Match: ${etags[1]}")"
	check_eq "If-None-Match with the plain ETag, none accepted: 304" 304 \
	    "$(hq pc.test /p.txt -H "If-None-Match: ${etags[0]}")"
	# Ranges of the chosen representation.
	size=$(stat -c %s "$r/p.txt.gz")
	check_eq "Range with gzip: 206" 206 \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: gzip' -H 'Range: bytes=0-9')"
	check_eq "Range with gzip: Content-Range of the .gz" \
	    "bytes 0-9/$size" "$(hh Content-Range)"
	check "Range with gzip: the first 10 bytes of the .gz" \
	    cmp -s <(head -c 10 "$r/p.txt.gz") "$CASE_DIR/b"
	check_eq "Range with gzip: Content-Encoding" gzip \
	    "$(hh Content-Encoding)"
	check_eq "Range -5 with zstd: the .zst's end" \
	    "bytes $(($(stat -c %s "$r/p.txt.zst") - 5))-$(($(stat -c %s "$r/p.txt.zst") - 1))/$(stat -c %s "$r/p.txt.zst")" \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: zstd' \
	    -H 'Range: bytes=-5' >/dev/null; hh Content-Range)"
	check_eq "If-Range with the gzip ETag, gzip: 206" 206 \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: gzip' \
	    -H 'Range: bytes=0-3' -H "If-Range: ${etags[1]}")"
	check_eq "If-Range with the gzip ETag, br: 200 (whole .br)" 200 \
	    "$(hq pc.test /p.txt -H 'Accept-Encoding: br' \
	    -H 'Range: bytes=0-3' -H "If-Range: ${etags[1]}")"
	# Stale and missing variants.
	check_eq "stale .br skipped, next in the list (zstd)" zstd \
	    "$(hq pc.test /s.txt -H 'Accept-Encoding: br, zstd, gzip' \
	    >/dev/null; hh Content-Encoding)"
	check "stale .br: the .zst bytes" cmp -s "$r/s.txt.zst" "$CASE_DIR/b"
	check_eq "stale .br, br only accepted: plain" "" \
	    "$(hq pc.test /s.txt -H 'Accept-Encoding: br' >/dev/null
	    hh Content-Encoding)"
	check "stale .br, br only: plain bytes" cmp -s "$r/s.txt" "$CASE_DIR/b"
	check_eq "only variant stale (.gz): plain" "" \
	    "$(hq pc.test /t.txt -H 'Accept-Encoding: gzip' >/dev/null
	    hh Content-Encoding)"
	check "only variant stale: plain bytes" cmp -s "$r/t.txt" "$CASE_DIR/b"
	check_eq "missing .br and .zst: gzip" gzip \
	    "$(hq pc.test /m.txt -H 'Accept-Encoding: br, zstd, gzip' \
	    >/dev/null; hh Content-Encoding)"
	check "missing .br and .zst: the .gz bytes" \
	    cmp -s "$r/m.txt.gz" "$CASE_DIR/b"
	check_eq "the variant asked for by name: served as itself" 200 \
	    "$(hq pc.test /p.txt.gz)"
	check_eq "the variant by name: no Content-Encoding" "" \
	    "$(hh Content-Encoding)"
	# The list of the location, the default, gzip_static = false.
	check_eq "location [ gzip ]: br not used" gzip \
	    "$(hq pc.test /only/p.txt -H 'Accept-Encoding: br, gzip' \
	    >/dev/null; hh Content-Encoding)"
	check_eq "location [ gzip ]: br only: plain" "" \
	    "$(hq pc.test /only/p.txt -H 'Accept-Encoding: br' >/dev/null
	    hh Content-Encoding)"
	check_eq "default [ gzip ]: br not used" "" \
	    "$(hq def.test /p.txt -H 'Accept-Encoding: br, zstd' >/dev/null
	    hh Content-Encoding)"
	check_eq "default [ gzip ]: gzip used" gzip \
	    "$(hq def.test /p.txt -H 'Accept-Encoding: br, gzip' >/dev/null
	    hh Content-Encoding)"
	check_eq "gzip_static = false: plain" "" \
	    "$(hq off.test /p.txt -H 'Accept-Encoding: gzip, br, zstd' \
	    >/dev/null; hh Content-Encoding)"
	check "gzip_static = false: plain bytes" \
	    cmp -s "$c/off/p.txt" "$CASE_DIR/b"
	expect_raw "hostile Accept-Encoding: 200" 200 \
	    "GET /p.txt HTTP/1.1"$'\r\nHost: pc.test\r\nAccept-Encoding: ;;;q=,,br;q=abc, gzip;q=9, zstd;q=-1, '"$(head -c 3000 /dev/zero | tr '\0' ,)"$'\r\n\r\n'
	liveness "Accept-Encoding"
	daemon_stop precomp
}

# ---------------------------------------------------------------------
# Reload

# sites_of SITE...: a "sites" setting with the sites named (a, b, c...:
# names "X.test", root $CASE_DIR/X), the first being the default.
sites_of() {
	local s text="sites = (" sep=""

	for s in "$@"; do
		text+="$sep"$'\n'"  { names = [ \"$s.test\" ]; document_root = \"$CASE_DIR/$s\"; }"
		sep=","
	done
	echo "$text"$'\n'");"
}

test_reload_sites() {
	local c=$CASE_DIR out rc nfail bad

	mkroot "$c/a" A
	mkroot "$c/b" B
	mkroot "$c/c" C
	sites_daemon reload "$(sites_of a)" || return
	check_eq "before: b.test is the default site" A "$(who b.test)"
	# HUP with a new site.
	write_conf reload "$(sites_of a b)"
	kill -HUP "$DPID"
	b_served() { [ "$(who b.test)" = B ]; }
	check "HUP: the new site b.test served (within 10 s)" \
	    wait_until 10 b_served
	check_eq "HUP: a.test still served" A "$(who a.test)"

	# An alias to a missing directory: refused, the old generation on.
	write_conf reload "sites = (
  { names = [ \"a.test\" ]; document_root = \"$c/a\"; },
  { names = [ \"b.test\" ]; document_root = \"$c/b\"; },
  { names = [ \"c.test\" ]; document_root = \"$c/c\";
    locations = ( { path = \"/x/\"; alias = \"$c/no-such-dir\"; } ); }
);"
	run "$c/t.out" "$MINIHTTPD" -t -c "$CONF"
	check "-t, alias to a missing directory: exits non-zero" \
	    test "$?" -ne 0
	check "-t, alias to a missing directory: names it" \
	    grep -q 'no-such-dir' "$c/t.out"
	run "$c/r.out" "$MINIHTTPD" -s reload -c "$CONF"
	rc=$?
	check "-s reload, missing alias: exits non-zero ($rc)" test "$rc" -ne 0
	check "-s reload, missing alias: says why (names the directory)" \
	    grep -q 'no-such-dir' "$c/r.out"
	[ "$rc" = 0 ] && echo "# -s reload said: $(cat "$c/r.out")"
	check_eq "missing alias: old generation still serves b.test" B \
	    "$(who b.test)"
	check_eq "missing alias: c.test not served (default a)" A \
	    "$(who c.test)"

	# A name claimed twice on one address.
	write_conf reload "sites = (
  { names = [ \"a.test\" ]; document_root = \"$c/a\"; },
  { names = [ \"b.test\" ]; document_root = \"$c/b\"; },
  { names = [ \"c.test\", \"B.test\" ]; document_root = \"$c/c\"; }
);"
	run "$c/r.out" "$MINIHTTPD" -s reload -c "$CONF"
	rc=$?
	check "-s reload, duplicate name: exits non-zero ($rc)" test "$rc" -ne 0
	check "-s reload, duplicate name: names it" \
	    grep -qi 'b\.test' "$c/r.out"
	check_eq "duplicate name: old generation still serves b.test" B \
	    "$(who b.test)"
	# The same by HUP: logged, and nothing changes.
	nfail=$(grep -c 'reload failed\|reload refused\|cannot reload' \
	    "$DDIR/error.log")
	kill -HUP "$DPID"
	failed_logged() {
		[ "$(grep -c 'reload failed\|reload refused\|cannot reload' \
		    "$DDIR/error.log")" -gt "$nfail" ]
	}
	check "HUP with a duplicate name: the failure is logged" \
	    wait_until 10 failed_logged
	check_eq "HUP with a duplicate name: b.test still B" B "$(who b.test)"
	check_eq "HUP with a duplicate name: c.test not served" A \
	    "$(who c.test)"
	check "HUP with a duplicate name: the master lives" alive "$DPID"

	# A good one through -s reload.
	write_conf reload "$(sites_of c a)"
	run "$c/r.out" "$MINIHTTPD" -s reload -c "$CONF"
	rc=$?
	check_eq "-s reload, good sites: exits 0" 0 "$rc"
	[ "$rc" = 0 ] || echo "# -s reload said: $(cat "$c/r.out")"
	c_served() { [ "$(who c.test)" = C ]; }
	check "-s reload: c.test served" wait_until 10 c_served
	check_eq "-s reload: b.test gone, now the default (c)" C \
	    "$(who b.test)"
	check_eq "-s reload: a.test still served" A "$(who a.test)"
	bad=$(grep -c 'reloaded' "$DDIR/error.log")
	check "reloads logged" test "$bad" -ge 2
	daemon_stop reload
}

# ---------------------------------------------------------------------
# minihttpd -t and -T

# tconf NAME TEXT: writes $CASE_DIR/NAME.conf (the test base plus TEXT
# appended), runs -t on it with output in $CASE_DIR/NAME.out; returns
# -t's exit status.
tconf() {
	local f=$CASE_DIR/$1.conf

	conf_text "$CASE_DIR" "$TPORT" > "$f"
	printf '%s\n' "$2" >> "$f"
	run "$CASE_DIR/$1.out" "$MINIHTTPD" -t -c "$f"
}

# refused NAME WHAT WORD TEXT: -t refuses TEXT and says WORD.
refused() {
	local rc

	tconf "$1" "$4"
	rc=$?
	check "-t refuses $2: exit 1 ($rc)" test "$rc" = 1
	check "-t refuses $2: says \"$3\"" grep -qiF -- "$3" "$CASE_DIR/$1.out"
	[ "$rc" = 1 ] || sed 's/^/# | /' "$CASE_DIR/$1.out"
}

test_check_refuses() {
	local c=$CASE_DIR l1 l2 f

	TPORT=$(random_port)
	mkroot "$c/r" R
	tconf good "sites = (
  { names = [ \"a.test\" ]; document_root = \"$c/r\";
    headers = [ \"Cache-Control: no-cache\", \"X-Frame-Options: DENY\" ];
    redirect = \"https://\$host\$request_uri\"; status = 308; },
  { names = [ \"a.test\" ]; listen = [ \"127.0.0.1:$(random_port)\" ];
    locations = ( { path = \"/assets/\"; headers = [ \"X-A: 1\" ]; } ); }
);"
	check_eq "-t accepts a good sites config (same name, other address)" \
	    0 "$?"
	[ -s "$c/good.out" ] && sed 's/^/# | /' "$c/good.out"

	# A name claimed twice on one address: both lines named.
	tconf dup "sites = (
  { names = [ \"one.test\", \"dup.test\" ]; document_root = \"$c/r\"; },
  { names = [ \"two.test\" ]; document_root = \"$c/r\"; },
  { names = [ \"dup.test\" ]; document_root = \"$c/r\"; }
);"
	check_eq "-t refuses a duplicate name on one address: exit 1" 1 "$?"
	f=$c/dup.conf
	l1=$(grep -n '"one.test", "dup.test"' "$f" | cut -d: -f1)
	l2=$(grep -n '{ names = \[ "dup.test" \]' "$f" | cut -d: -f1)
	check "duplicate name: names the name" grep -q 'dup\.test' "$c/dup.out"
	check "duplicate name: names the file" grep -qF "$f:" "$c/dup.out"
	check "duplicate name: names the first site's line ($l1)" \
	    grep -qE "(line |:)$l1\b" "$c/dup.out"
	check "duplicate name: names the second site's line ($l2)" \
	    grep -qE "(line |:)$l2\b" "$c/dup.out"
	sed 's/^/# | /' "$c/dup.out"
	tconf dupcase "sites = (
  { names = [ \"Dup.Test\" ]; document_root = \"$c/r\"; },
  { names = [ \"dup.test.\" ]; document_root = \"$c/r\"; }
);"
	check_eq "-t refuses a duplicate name differing in case and dot" 1 "$?"
	tconf dupwild "sites = (
  { names = [ \"*.w.test\" ]; document_root = \"$c/r\"; },
  { names = [ \"*.W.test\" ]; document_root = \"$c/r\"; }
);"
	check_eq "-t refuses a duplicate wildcard" 1 "$?"

	# Two defaults on one address.
	tconf twodef "sites = (
  { names = [ \"a.test\" ]; default = true; document_root = \"$c/r\"; },
  { names = [ \"b.test\" ]; document_root = \"$c/r\"; },
  { names = [ \"c.test\" ]; default = true; document_root = \"$c/r\"; }
);"
	check_eq "-t refuses two default = true on one address: exit 1" 1 "$?"
	f=$c/twodef.conf
	l1=$(grep -n '"a.test"' "$f" | cut -d: -f1)
	l2=$(grep -n '"c.test"' "$f" | cut -d: -f1)
	check "two defaults: names the first site's line ($l1)" \
	    grep -qE "(line |:)$l1\b" "$c/twodef.out"
	check "two defaults: names the second site's line ($l2)" \
	    grep -qE "(line |:)$l2\b" "$c/twodef.out"
	check "two defaults: says default" grep -q default "$c/twodef.out"
	sed 's/^/# | /' "$c/twodef.out"

	# Headers.
	refused hcl "a Content-Length header" Content-Length \
	    'headers = [ "Content-Length: 5" ];'
	refused hcrlf "a header with CR LF" headers \
	    'headers = [ "X: a\r\nb" ];'
	refused hlf "a header with LF (site level)" headers "sites = (
  { names = [ \"a.test\" ]; headers = [ \"X-Ok: 1\", \"Y: a\nSet-Cookie: b\" ]; }
);"
	refused hte "a Transfer-Encoding header (location)" Transfer-Encoding \
	    "sites = (
  { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; headers = [ \"Transfer-Encoding: chunked\" ]; } ); }
);"
	refused hconn "a Connection header" Connection \
	    'headers = [ "connection: close" ];'
	refused hdate "a Date header" Date 'headers = [ "Date: x" ];'
	refused hname "a header name with a space" headers \
	    'headers = [ "Bad Name: x" ];'
	refused hnocolon "a header without a colon" headers \
	    'headers = [ "NoColonHere" ];'
	refused hempty "an empty header name" headers 'headers = [ ": x" ];'
	refused hctl "a header with a control character" headers \
	    'headers = [ "X-Ctl: a\x01b" ];'

	# Redirects.
	refused rvar "an unknown \$variable in a redirect" 'hots' \
	    "sites = ( { names = [ \"a.test\" ]; redirect = \"https://\$hots\$request_uri\"; } );"
	refused rvar2 "an unknown \$variable in a location redirect" 'args' \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; redirect = \"/y?\$args\"; } ); } );"
	refused rstatus "a redirect status 200" status \
	    "sites = ( { names = [ \"a.test\" ]; redirect = \"/x\"; status = 200; } );"
	refused rcrlf "a redirect with CR LF" redirect \
	    "sites = ( { names = [ \"a.test\" ]; redirect = \"/x\r\nSet-Cookie: a\"; } );"

	# Locations.
	refused lpath "a location path without its leading /" path \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"assets/\"; } ); } );"
	refused ldup "two locations with the same path" path \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; }, { path = \"/x/\"; } ); } );"
	refused lkey "an unknown location setting" bogus \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; bogus = 1; } ); } );"
	refused lrealm "realm without auth" auth \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; realm = \"r\"; } ); } );"
	refused lallow "a bad allow address" 300.1.1.1 \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; allow = [ \"300.1.1.1\" ]; } ); } );"
	refused lcidr "a bad allow prefix length" 10.0.0.0/33 \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; allow = [ \"10.0.0.0/33\" ]; } ); } );"
	refused lpre "an unknown precompressed coding" deflate \
	    "precompressed = [ \"gzip\", \"deflate\" ];"
	printf 'eve:plaintext\n' > "$c/plain.htpasswd"
	refused lauthplain "an htpasswd line without a crypt hash" \
	    plain.htpasswd "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; auth = \"$c/plain.htpasswd\"; } ); } );"
	refused lauth "auth naming a missing file" no-such-htpasswd \
	    "sites = ( { names = [ \"a.test\" ];
    locations = ( { path = \"/x/\"; auth = \"$c/no-such-htpasswd\"; } ); } );"

	# A tls group whose files are missing; tls beside sites.
	refused tls "a tls group naming missing files" "$c/cert.pem" \
	    "sites = ( { names = [ \"a.test\" ];
    tls = { certificate = \"$c/cert.pem\"; key = \"$c/key.pem\"; }; } );"
	refused toptls "a top-level tls group beside sites" "belongs to a site" \
	    "tls = { certificate = \"$c/cert.pem\"; key = \"$c/key.pem\"; };
sites = ( { names = [ \"a.test\" ]; } );"
	refused names "names at the top level beside sites" names \
	    "names = [ \"x.test\" ];
sites = ( { names = [ \"a.test\" ]; } );"
	refused badname "a bad site name" 'a b' \
	    "sites = ( { names = [ \"a b\" ]; } );"
}

test_dump_sites() {
	local c=$CASE_DIR f=$CASE_DIR/d.conf out=$CASE_DIR/d.out

	mkroot "$c/r" R
	mkdir -p "$c/al"
	conf_text "$c" "$(random_port)" "sites = (
  { names = [ \"dump-a.test\", \"*.dump-w.test\" ]; document_root = \"$c/r\";
    default = true;
    headers = [ \"X-Dump: yes\" ];
    locations = (
      { path = \"/assets/\"; headers = [ \"Cache-Control: max-age=60\" ]; },
      { path = \"/docs/\"; alias = \"$c/al\"; },
      { path = \"/old/\"; redirect = \"/new/\"; status = 308; }
    ); },
  { names = [ \"dump-b.test\" ]; redirect = \"https://\$host\$request_uri\"; }
);" > "$f"
	run "$out" "$MINIHTTPD" -T -c "$f"
	check_eq "-T exits 0" 0 "$?"
	check "-T prints sites = (" grep -q '^sites = (' "$out"
	check "-T prints the names" grep -qF '"dump-a.test", "*.dump-w.test"' \
	    "$out"
	check "-T prints the second site" grep -qF '"dump-b.test"' "$out"
	check "-T prints the locations" grep -qF '"/assets/"' "$out"
	check "-T prints the alias" grep -qF "\"$c/al\"" "$out"
	check "-T prints the location's redirect" grep -qF '"/new/"' "$out"
	check "-T prints the headers" grep -qF 'X-Dump: yes' "$out"
	# shellcheck disable=SC2016	# the $variables are literal
	check "-T prints the site redirect" \
	    grep -qF '"https://$host$request_uri"' "$out"
	# What -T prints loads again (comments removed).
	grep -v '^#' "$out" > "$c/again.conf"
	run "$c/again.out" "$MINIHTTPD" -t -c "$c/again.conf"
	check_eq "-T output passes -t" 0 "$?"
	[ -s "$c/again.out" ] && sed 's/^/# | /' "$c/again.out" | head -n 5
}

# ---------------------------------------------------------------------
# Scale: 100 sites, 1,000 locations

test_scale() {
	local c=$CASE_DIR i j n s text req bad=0 nok=0 t0 got=() want=()

	mkdir -p "$c"/r{0..99}
	for ((i = 0; i < 100; i++)); do
		printf 'site %d\n' "$i" > "$c/r$i/index.html"
		printf 'site %d\n' "$i" > "$c/r$i/who.txt"
	done
	# Location n belongs to site n % 100: "/lN/", and every tenth an
	# exact one, with its header "X-Loc: N".
	text="sites = ("
	for ((i = 0; i < 100; i++)); do
		text+=$'\n'"  { names = [ \"s$i.test\" ]; document_root = \"$c/r$i\";"
		text+=$'\n'"    locations = ("
		for ((j = 0; j < 10; j++)); do
			n=$((j * 100 + i))
			if ((j == 9)); then
				text+=$'\n'"      { path = \"/l$n/x.txt\"; exact = true; headers = [ \"X-Loc: $n\" ]; }"
			else
				text+=$'\n'"      { path = \"/l$n/\"; headers = [ \"X-Loc: $n\" ]; },"
			fi
		done
		text+=$'\n'"    ); }"
		((i < 99)) && text+=","
	done
	text+=$'\n'");"
	t0=$SECONDS
	sites_daemon scale 'workers = 1;' "$text" || return
	ok "100 sites and 1,000 locations load ($((SECONDS - t0)) s)"
	check_eq "-t accepts it" 0 "$(run "$c/t.out" "$MINIHTTPD" -t -c "$CONF"; echo $?)"
	# 50 sampled locations (and their files), each asked of its site,
	# pipelined on one connection: one process for the 50.
	req=""
	for ((s = 0; s < 50; s++)); do
		n=$(((s * 397 + 13) % 1000))
		i=$((n % 100))
		mkdir -p "$c/r$i/l$n"
		printf 'site %d loc %d\n' "$i" "$n" > "$c/r$i/l$n/x.txt"
		want+=("200|site $i loc $n|$n")
		req+="GET /l$n/x.txt HTTP/1.1"$'\r\n'"Host: s$i.test"$'\r\n\r\n'
	done
	printf '%s' "$req" | "$RAWHTTP" -t 20 "$PORT" > "$c/resp"
	# One "STATUS|BODY|X-LOC" line per response.
	mapfile -t got < <(tr -d '\r' < "$c/resp" | awk '
	    /^HTTP\/1\.1 / { if (n++) print st "|" body "|" xl
		st = $2; xl = ""; body = ""; inhead = 1; next }
	    inhead && /^$/ { inhead = 0; next }
	    inhead { if (tolower($0) ~ /^x-loc:/) { xl = $0
		sub(/^[^:]*:[ \t]*/, "", xl) } next }
	    { body = body $0 }
	    END { if (n) print st "|" body "|" xl }')
	for ((s = 0; s < 50; s++)); do
		if [ "${got[s]:-}" = "${want[s]}" ]; then
			nok=$((nok + 1))
		else
			bad=$((bad + 1))
			[ "$bad" -le 5 ] && echo "# request $s: expected" \
			    "[${want[s]}], got [${got[s]:-nothing}]"
		fi
	done
	check_eq "50 sampled requests: right site and right X-Loc" 50 "$nok"
	# A location of another site is not applied.
	mkdir -p "$c/r5/l7"
	printf 'site 5 not loc 7\n' > "$c/r5/l7/x.txt"
	check_eq "location of site 7 asked of site 5: no X-Loc" \
	    "200|site 5 not loc 7|" \
	    "$(hq s5.test /l7/x.txt)|$(bb)|$(hh X-Loc)"
	check_eq "site 42 by name: its root" "site 42" \
	    "$(hq S42.TEST /who.txt >/dev/null; bb)"
	check_eq "unknown name: the first site" "site 0" \
	    "$(hq nope.test /who.txt >/dev/null; bb)"
	daemon_stop scale
}

e2e_run "$@"
