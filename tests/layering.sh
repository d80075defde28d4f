#!/bin/bash
#
# layering: keeps the source layout of ARCHITECTURE true.
#
#  1. every source file lives in src/core, src/daemon or src/client;
#  2. the core includes nothing of the daemon or the client, and no
#     libevent, libconfig or OpenSSL;
#  3. the client includes nothing of the daemon, and neither libevent nor
#     libconfig; OpenSSL only in its TLS file;
#  4. libevent only in the event-loop files of the daemon, libconfig only
#     in conf.c (and conf_int.h), OpenSSL only in the daemon's tls.c, libcrypt only in the
#     daemon's auth.c;
#  5. only the master forks and reaps (daemon.c forks once, to detach
#     at start-up, before there is a master);
#  6. no strcpy, strcat, sprintf, vsprintf or gets;
#  7. no cycle among modules.  A module is a .c file with its .h (and
#     the X_*.c and X_*.h files of module X, as conf_sites.c); module A
#     uses module B when A includes B's header or calls a function that B
#     defines (found by name: external functions are written with their
#     name at column 0, STYLE point 1).
#
# Then it plants one violation of each rule in a copy of the tree and
# checks that the same code catches it (its verdict differs from that on
# an untouched copy).  Output is TAP.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'
}

# The files of the daemon that may include libevent.
EVENT_FILES="conn.c conn.h worker.c"

# grep_files PATTERN FILE...: "file: line" for each match, comments
# excluded (a comment may name a function it must not call).
grep_files() {
	local pat=$1

	shift
	[ $# -gt 0 ] || return 0
	perl -e '
		my $pat = shift;
		for my $f (@ARGV) {
			open(my $h, "<", $f) or next;
			local $/; my $s = <$h>;
			$s =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
			my $ln = 0;
			for (split /\n/, $s, -1) {
				$ln++;
				print "$f:$ln: $_\n" if /$pat/;
			}
		}' "$pat" "$@"
}

# rule NAME OUTPUT: the rule holds when OUTPUT is empty.
rule() {
	if [ -z "$2" ]; then
		ok "$1"
	else
		notok "$1" "$(printf '%s\n' "$2" | head -n 5)"
	fi
}

# files DIR SUBDIR: the .c and .h files of DIR/SUBDIR.
files() {
	find "$1/$2" -maxdepth 1 -name '*.[ch]' 2>/dev/null | sort
}

# except LIST FILE...: the FILEs whose base name is not in LIST.
except() {
	local list=" $1 " f

	shift
	for f in "$@"; do
		case $list in
		*" $(basename "$f") "*) ;;
		*) echo "$f" ;;
		esac
	done
}

# cycles DIR: the modules of DIR/src that take part in a cycle, as
# "a -> b -> a" lines; empty when there is none.
cycles() {
	perl -e '
		my $src = shift;
		my (%def, %text, %mod);
		for my $f (glob("$src/*/*.[ch]")) {
			my ($dir, $base) = $f =~ m{([^/]+)/([^/]+)\.[ch]$};
			# X_part.c and X_int.h belong to module X when X.c
			# exists (conf_sites.c is part of conf).
			$base = $1 if $base =~ /^([a-z]+)_/ &&
			    -e "$src/$dir/$1.c";
			my $m = "$dir/$base";
			open(my $h, "<", $f) or next;
			local $/; my $s = <$h>;
			$s =~ s{/\*.*?\*/}{}gs;
			$s =~ s{//[^\n]*}{}g;
			$text{$m} .= $s; $mod{$m} = 1;
			next unless $f =~ /\.c$/;
			# An external definition: name at column 0, the line
			# before it (the return type) not static.
			my @l = split /\n/, $s;
			for my $i (1 .. $#l) {
				next unless $l[$i] =~ /^([a-z_][a-z0-9_]*)\(/;
				next if $l[$i - 1] =~ /\bstatic\b/;
				next if $l[$i - 1] =~ /^\s*$/;
				$def{$1} = $m;
			}
		}
		my %use;
		for my $m (keys %mod) {
			my $s = $text{$m};
			while ($s =~ /#include "([a-z]+\/[a-z_-]+)\.h"/g) {
				$use{$m}{$1} = 1 if $1 ne $m && $mod{$1};
			}
			while ($s =~ /\b([a-z_][a-z0-9_]*)\s*\(/g) {
				my $d = $def{$1};
				$use{$m}{$d} = 1 if defined $d && $d ne $m;
			}
		}
		# Depth-first search; report each cycle once, by its
		# smallest member.
		my %seen;
		my @path;
		my %onpath;
		my %printed;
		sub dfs {
			my ($m) = @_;
			push @path, $m; $onpath{$m} = 1;
			for my $n (sort keys %{ $use{$m} || {} }) {
				if ($onpath{$n}) {
					my @c; my $in = 0;
					for (@path) { $in = 1 if $_ eq $n;
					    push @c, $_ if $in; }
					my $k = join(" ", sort @c);
					print join(" -> ", @c, $n), "\n"
					    unless $printed{$k}++;
				} elsif (!$seen{$n}) {
					dfs($n);
				}
			}
			pop @path; $onpath{$m} = 0; $seen{$m} = 1;
		}
		dfs($_) for sort keys %mod;
	' "$1/src"
}

# check_tree DIR: every rule on DIR/src.
check_tree() {
	local s=$1/src core client daemon

	# shellcheck disable=SC2207
	core=($(files "$s" core))
	# shellcheck disable=SC2207
	client=($(files "$s" client))
	# shellcheck disable=SC2207
	daemon=($(files "$s" daemon))

	rule "every source file is in src/core, src/daemon or src/client" \
	    "$(find "$s" -name '*.[ch]' | grep -vE "^$s/(core|daemon|client)/[^/]+$")"
	rule "the core includes nothing of the daemon or the client" \
	    "$(grep_files '#include "(daemon|client)/' "${core[@]}")"
	rule "the core includes no libevent, libconfig or OpenSSL" \
	    "$(grep_files '#include <(event2/|libconfig\.h|openssl/)' "${core[@]}")"
	rule "the client includes nothing of the daemon" \
	    "$(grep_files '#include "daemon/' "${client[@]}")"
	rule "the client includes no libevent or libconfig" \
	    "$(grep_files '#include <(event2/|libconfig\.h)' "${client[@]}")"
	rule "OpenSSL only in the client's get_tls.c" \
	    "$(grep_files '#include <openssl/' \
		$(except "get_tls.c get_tls.h" "${client[@]}"))"
	rule "libevent only in the daemon's event-loop files ($EVENT_FILES)" \
	    "$(grep_files '#include <event2/' \
		$(except "$EVENT_FILES" "${daemon[@]}"))"
	rule "libconfig only in the conf module (conf.c, conf_int.h)" \
	    "$(grep_files '#include <libconfig\.h>' \
		$(except "conf.c conf_int.h" "${core[@]}" "${daemon[@]}" \
		"${client[@]}"))"
	rule "OpenSSL only in the daemon's tls.c" \
	    "$(grep_files '#include <openssl/' \
		$(except "tls.c tls.h" "${daemon[@]}"))"
	rule "libcrypt only in the daemon's auth.c" \
	    "$(grep_files '#include <crypt\.h>' \
		$(except auth.c "${core[@]}" "${daemon[@]}" "${client[@]}"))"
	rule "fork only in the master (and daemon.c's detach)" \
	    "$(grep_files '(^|[^_a-z])fork\(' \
		$(except "master.c daemon.c" "${core[@]}" "${daemon[@]}" \
		"${client[@]}"))"
	rule "waitpid only in the master" \
	    "$(grep_files 'waitpid\(' \
		$(except master.c "${core[@]}" "${daemon[@]}" "${client[@]}"))"
	rule "no strcpy, strcat, sprintf, vsprintf or gets" \
	    "$(grep_files '(^|[^_a-z0-9])(strcpy|strcat|sprintf|vsprintf|gets)\(' \
		"${core[@]}" "${daemon[@]}" "${client[@]}")"
	rule "no cycle among modules" "$(cycles "$1")"
}

# plant NAME FILE TEXT: copy the tree, append TEXT to FILE in the copy,
# and expect check_tree to fail on it.
plant() {
	local name=$1 file=$2 text=$3 tmp out

	tmp=$(mktemp -d) || exit 1
	cp -R "$top_srcdir/src" "$tmp/src"
	mkdir -p "$(dirname "$tmp/src/$file")"
	printf '%s\n' "$text" >> "$tmp/src/$file"
	out=$(check_tree "$tmp" | sed -e "s|$tmp|TREE|g" -e "s/^\(not ok\|ok\) [0-9]*/\1/")
	rm -rf "$tmp"
	if [ "$out" != "$clean" ]; then
		ok "a planted violation is caught: $name"
	else
		notok "a planted violation is caught: $name" \
		    "the rules passed a tree with it"
	fi
}

echo "# the tree"
check_tree "$top_srcdir"

echo "# planted violations"
# Each planted tree must give a verdict other than the clean copy's.
clean_tmp=$(mktemp -d) || exit 1
cp -R "$top_srcdir/src" "$clean_tmp/src"
clean=$(check_tree "$clean_tmp" | sed -e "s|$clean_tmp|TREE|g" -e "s/^\(not ok\|ok\) [0-9]*/\1/")
rm -rf "$clean_tmp"
plant "file outside the three folders" stray.c 'int stray;'
plant "core includes the daemon" core/util.c '#include "daemon/log.h"'
plant "core includes the client" core/util.c '#include "client/get_net.h"'
plant "core includes libevent" core/http.c '#include <event2/event.h>'
plant "core includes OpenSSL" core/uri.c '#include <openssl/ssl.h>'
plant "client includes the daemon" client/get_net.c '#include "daemon/conf.h"'
plant "client includes libconfig" client/get_out.c '#include <libconfig.h>'
plant "OpenSSL outside get_tls.c" client/get_net.c '#include <openssl/ssl.h>'
plant "OpenSSL outside tls.c" daemon/serve.c '#include <openssl/ssl.h>'
plant "libevent outside the loop" daemon/log.c '#include <event2/event.h>'
plant "libconfig outside conf.c" daemon/log.c '#include <libconfig.h>'
plant "core includes libcrypt" core/htpasswd.c '#include <crypt.h>'
plant "libcrypt outside auth.c" daemon/serve.c '#include <crypt.h>'
plant "fork outside the master" daemon/worker.c 'void f(void) { fork(); }'
plant "waitpid outside the master" daemon/conn.c 'void f(void) { waitpid(0, 0, 0); }'
plant "sprintf" client/get_out.c 'void f(char *b) { sprintf(b, "x"); }'
plant "a cycle through a call" core/util.c \
    'void f(void) { log_reopen(); }'
plant "a cycle through an include" core/util.h '#include "core/http.h"'
plant "serve calling back into conn" daemon/serve.c \
    'void f(void) { conn_clock(0); }'

echo "1..$n"
echo "# layering: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
