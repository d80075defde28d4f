#!/bin/bash
# shellcheck disable=SC2317	# the test_ functions are called by e2e_run
#
# traversal: nothing outside document_root is ever served.  A SECRET file
# lies next to the root; hostile targets (dot segments in every encoding,
# absolute-form, overlong UTF-8, backslashes, NUL) are sent raw to
# daemons in each "symlinks" mode and with dotfiles off and on, and the
# secret must never appear in a response.  Symbolic links pointing out of
# and into the root are checked under "inside", "never" and "always" (the
# last also proves the links really reach the secret).  Liveness after
# each request.
#
# Fixture daemons (tests/e2e/lib.sh "Cases"), all over the same tree (see
# tree), which no case changes:
#	inside, never, always	symlinks = "inside", "never", "always"
#	dots			dotfiles = true
# The hostile targets are sent to all four; the link table to the first
# three; the dotfile table to inside (dotfiles false) and dots.
# traversal-alias.sh runs every case again with the tree behind a
# location's alias instead of the document root.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

e2e_init

R=$T/root

# ---------------------------------------------------------------------
# The tree

# tree: the files and links every case reads, in $T/root and next to
# it; made once, by the first case that calls it.
tree() {
	[ -e "$T/tree.made" ] && return 0
	mkdir -p "$R/sub" "$R/sub2" "$T/secretdir"
	printf 'public\n' > "$R/pub.txt"
	printf 'inner\n' > "$R/sub/inner.txt"
	echo "$SECRET" > "$T/secretdir/secret2"
	echo "DOT-$SECRET" > "$R/.env"
	mkdir -p "$R/.git"
	echo "GIT-$SECRET" > "$R/.git/config"
	echo "HIDDEN-$SECRET" > "$R/sub/.hidden"
	# Links out of the root.
	ln -s ../secret "$R/up.txt"
	ln -s "$T/secret" "$R/abs.txt"
	ln -s ../secretdir "$R/outdir"
	ln -s .. "$R/parent"
	ln -s chain2.txt "$R/chain.txt"
	ln -s ../secret "$R/chain2.txt"
	ln -s ../../secret "$R/sub/up2.txt"
	ln -s ../../secret "$R/sub2/index.html"
	# Absolute links that only look as if they stay inside.
	ln -s "$T/root/../secret" "$R/absdotdot.txt"
	ln -s "$T/root/outdir/secret2" "$R/absvia.txt"
	mkdir -p "$T/rootx"
	echo "$SECRET" > "$T/rootx/x.txt"
	ln -s "$T/rootx/x.txt" "$R/prefix.txt"
	ln -s "$T/rootx" "$R/prefixdir"
	ln -s / "$R/slash"
	# Links within the root.
	ln -s pub.txt "$R/in.txt"
	ln -s "$R/pub.txt" "$R/inabs.txt"
	ln -s sub "$R/insub"
	ln -s ../pub.txt "$R/sub/back.txt"
	ln -s "$T/root/sub" "$R/abssub"
	ln -s "$T/root" "$R/selfroot"
	ln -s ../root/pub.txt "$R/outandin.txt"
	# Broken ones.
	ln -s loop.txt "$R/loop.txt"
	ln -s nowhere.txt "$R/dangling.txt"
	: > "$T/tree.made"
}

# ---------------------------------------------------------------------
# Helpers

# tdaemon NAME: the fixture daemon NAME (inside, never, always: that
# symlinks mode; dots: dotfiles = true) over the tree, made current.
tdaemon() {
	local alias=()

	tree
	# TRAVERSAL_ALIAS=1 (traversal-alias.sh): the same tree is reached
	# through a location's alias, the document root being elsewhere,
	# so that every case runs against an alias as well.
	if [ -n "${TRAVERSAL_ALIAS:-}" ]; then
		mkdir -p "$T/elsewhere"
		alias=("document_root = \"$T/elsewhere\";"
		    "locations = ( { path = \"/\"; alias = \"$R\"; } );")
	fi
	case $1 in
	dots)	fixture dots 'dotfiles = true;' "${alias[@]}" ;;
	*)	fixture "$1" "symlinks = \"$1\";" "${alias[@]}" ;;
	esac
}

# leaks FILE: the response in FILE shows a secret.
leaks() {
	grep -qF "$SECRET" "$1" || grep -q 'root:x:0:0' "$1"
}

# probe NAME CODES REQUEST: a raw request to the current daemon is
# answered with one of CODES ("400|404"), shows no secret, and the daemon
# lives on.
probe() {
	local name="$DNAME: $1" codes=$2 got resp=$CASE_DIR/resp

	rawreq "$3" > "$resp"
	got=$(status_of < "$resp")
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

req() {	# req TARGET: sets REQ to a GET request for TARGET
	printf -v REQ 'GET %s HTTP/1.1\r\nHost: x\r\n\r\n' "$1"
}

# on_each COMMAND...: runs COMMAND with each of the four daemons current.
on_each() {
	local d

	for d in inside never always dots; do
		tdaemon "$d" || return
		"$@"
	done
}

# ---------------------------------------------------------------------
# Start-up

test_daemons_start() {
	local d

	for d in inside never always dots; do
		tdaemon "$d" || return
	done
	ok "four daemons start"
}

# ---------------------------------------------------------------------
# Hostile targets, to every daemon

# Targets that try to leave the root.  Each must get 400 or 404.
dot_segments() {
	local t targets=(
		'/../secret'
		'/%2e%2e/secret'
		'/%2E%2E/secret'
		'/%2e%2e%2fsecret'
		'/%2E%2E%2Fsecret'
		'/..%2fsecret'
		'/.%2e/secret'
		'/%252e%252e/secret'
		'/%252e%252e%252fsecret'
		'//../secret'
		'///../../secret'
		'/./../secret'
		'/sub/../../secret'
		'/sub/%2e%2e/%2e%2e/secret'
		'/sub/..%2f..%2fsecret'
		'/insub/../../secret'
		'/../../../../../../../../secret'
		'/../../../../../../../../etc/passwd'
		'/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd'
		'/%c0%ae%c0%ae/secret'
		'/%c0%ae%c0%ae%c0%afsecret'
		'/%e0%80%ae%e0%80%ae/secret'
		'/%c0%2e%c0%2e/secret'
		'/..\secret'
		'/..%5csecret'
		'/%5c..%5csecret'
		'/sub\..\..\secret'
		'/...\secret'
		'/.../secret'
		'/..;/secret'
		'/%u002e%u002e/secret'
		'/secretdir/../../secret'
	)

	for t in "${targets[@]}"; do
		req "$t"
		probe "GET $t" "400|404" "$REQ"
	done
}

test_dot_segments() {
	on_each dot_segments
}

absolute_form() {
	probe "absolute-form http://x/../secret" "400|404" \
	    $'GET http://x/../secret HTTP/1.1\r\nHost: x\r\n\r\n'
	probe "absolute-form http://x/%2e%2e/secret" "400|404" \
	    $'GET http://x/%2e%2e/secret HTTP/1.1\r\nHost: x\r\n\r\n'
	probe "absolute-form http://x/../../etc/passwd" "400|404" \
	    $'GET http://x/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n'
}

test_absolute_form() {
	on_each absolute_form
}

relative_target() {
	req '../secret'
	probe "relative target ../secret" "400" "$REQ"
}

test_relative_target() {
	on_each relative_target
}

nul() {
	req '/../secret%00'
	probe "%00 after a traversal" "400" "$REQ"
	req '/pub.txt%00.html'
	probe "%00 in a name" "400" "$REQ"
	req '/..%00/secret'
	probe "%00 in a dot segment" "400" "$REQ"
}

test_nul() {
	on_each nul
}

http10_and_head() {
	probe "HTTP/1.0 /../secret" "400|404" \
	    $'GET /../secret HTTP/1.0\r\n\r\n'
	probe "HEAD /../secret" "400|404" \
	    $'HEAD /../secret HTTP/1.1\r\nHost: x\r\n\r\n'
}

test_http10_and_head() {
	on_each http10_and_head
}

host_dotdot() {
	probe "Host: .." "200|400" \
	    $'GET /pub.txt HTTP/1.1\r\nHost: ..\r\n\r\n'
}

test_host_dotdot() {
	on_each host_dotdot
}

# Dot segments are clamped at the root.
clamped() {
	req '/../pub.txt'
	probe "/../pub.txt clamped at the root" "200" "$REQ"
	req '/sub/../../pub.txt'
	probe "/sub/../../pub.txt clamped at the root" "200" "$REQ"
	req '/%2e%2e/pub.txt'
	check_eq "$DNAME: clamped path serves the root's file" public \
	    "$(rawreq "$REQ" | tr -d '\r' | tail -n 1)"
}

test_clamped_at_root() {
	on_each clamped
}

# ---------------------------------------------------------------------
# Symbolic links, in each mode.  Columns: inside never always.
LINKS=(
	'/up.txt'		'404'		'404'	'200'	# -> ../secret
	'/abs.txt'		'404'		'404'	'200'	# -> /abs/secret
	'/outdir/secret2'	'404'		'404'	'200'	# dir -> ../secretdir
	'/outdir/'		'404'		'404'	'403'
	'/outdir'		'404'		'404'	'301'
	'/parent/secret'	'404'		'404'	'200'	# dir -> ..
	'/chain.txt'		'404'		'404'	'200'	# -> chain2.txt -> ../secret
	'/sub/up2.txt'		'404'		'404'	'200'	# -> ../../secret
	'/sub2/'		'403|404'	'403|404' '200'	# index.html -> ../../secret
	'/absdotdot.txt'	'404'		'404'	'200'	# -> /abs/root/../secret
	'/absvia.txt'		'404'		'404'	'200'	# -> /abs/root/outdir/secret2
	'/prefix.txt'		'404'		'404'	'200'	# -> /abs/rootx/x.txt
	'/prefixdir/x.txt'	'404'		'404'	'200'	# dir -> /abs/rootx
	'/slash/etc/passwd'	'404'		'404'	'200'	# dir -> /
	'/in.txt'		'200'		'404'	'200'	# -> pub.txt
	'/inabs.txt'		'200'		'404'	'200'	# -> /abs/root/pub.txt
	'/insub/inner.txt'	'200'		'404'	'200'	# dir -> sub
	'/sub/back.txt'		'200'		'404'	'200'	# -> ../pub.txt
	'/abssub/inner.txt'	'200'		'404'	'200'	# dir -> /abs/root/sub
	'/selfroot/pub.txt'	'200'		'404'	'200'	# dir -> /abs/root
	# Out of the root and back in: following it or not are both safe.
	'/outandin.txt'		'200|404'	'404'	'200'	# -> ../root/pub.txt
	'/loop.txt'		'403|404'	'404'	'403|404' # -> itself
	'/dangling.txt'		'404'		'404'	'404'	# -> nowhere.txt
)

# symlink_table COLUMN: every row of LINKS against the daemon of that
# column (0 inside, 1 never, 2 always).
symlink_table() {
	local modes=(inside never always) m=$1 i path want got name
	local resp=$CASE_DIR/resp

	tdaemon "${modes[m]}" || return
	for ((i = 0; i < ${#LINKS[@]}; i += 4)); do
		path=${LINKS[i]}
		want=${LINKS[i + 1 + m]}
		req "$path"
		rawreq "$REQ" > "$resp"
		got=$(status_of < "$resp")
		name="symlinks ${modes[m]}: $path"
		if [[ $got =~ ^($want)$ ]]; then
			ok "$name -> $got"
		else
			fail "$name" "expected $want, got [${got:-no response}]"
		fi
		if [ "${modes[m]}" = always ] && [ "$want" = 200 ]; then
			case $path in
			/in* | /sub/back.txt | /abssub/* | /selfroot/* | /outandin.txt)
				check "$name: serves the target" \
				    grep -qx 'public\r\?\|inner\r\?' "$resp" ;;
			*)
				check "$name: follows out of the root" \
				    leaks "$resp" ;;
			esac
		elif leaks "$resp"; then
			fail "$name: no leak" "the response contains the secret"
		else
			ok "$name: no leak"
		fi
		liveness "$name"
	done
}

test_symlinks_inside() {
	symlink_table 0 || return
	check_eq "symlinks inside: /in.txt serves pub.txt" public \
	    "$(curl -s --max-time 5 "$(url /in.txt)")"
}

test_symlinks_never() {
	symlink_table 1 || return
	expect_status "symlinks never: a plain file still serves" 200 \
	    "$(url /pub.txt)"
}

test_symlinks_always() {
	symlink_table 2
}

# ---------------------------------------------------------------------
# Dotfiles.  Columns: dotfiles false (daemon inside), true (dots).
DOTS=(
	'/.env'			'404'	'200'
	'/.git/config'		'404'	'200'
	'/.git/'		'404'	'403'
	'/.git'			'404'	'301'
	'/sub/.hidden'		'404'	'200'
	'/%2eenv'		'404'	'200'
	'/%2Egit/config'	'404'	'200'
	'/sub/./.hidden'	'404'	'200'
	'/.missing'		'404'	'404'
	'/.well-known/x'	'404'	'404'
)

# dot_table COLUMN: every row of DOTS against its daemon (0 dotfiles
# false, 1 true).
dot_table() {
	local m=$1 i path want got label resp=$CASE_DIR/resp

	if [ "$m" = 0 ]; then
		tdaemon inside || return
		label="dotfiles false"
	else
		tdaemon dots || return
		label="dotfiles true"
	fi
	for ((i = 0; i < ${#DOTS[@]}; i += 3)); do
		path=${DOTS[i]}
		want=${DOTS[i + 1 + m]}
		req "$path"
		rawreq "$REQ" > "$resp"
		got=$(status_of < "$resp")
		check_eq "$label: $path" "$want" "$got"
		if [ "$m" = 0 ] && grep -qF "$SECRET" "$resp"; then
			fail "$label: $path: not shown" \
			    "the content is in the response"
		fi
		liveness "$label: $path"
	done
}

test_dotfiles_false() {
	dot_table 0
}

test_dotfiles_true() {
	dot_table 1 || return
	check_eq "dotfiles true: /.env content" "DOT-$SECRET" \
	    "$(curl -s --max-time 5 "$(url /.env)")"
}

# ---------------------------------------------------------------------
# The end

test_daemons_still_running() {
	local d

	for d in inside never always dots; do
		tdaemon "$d" || return
		check "$d: daemon still running" alive "$DPID"
	done
}

e2e_run "$@"
