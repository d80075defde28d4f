#!/bin/bash
# bench/run.sh: minihttpd against the other servers installed here (nginx,
# lighttpd and h2o: apt-get install nginx-light lighttpd h2o), on the same
# machine, in the same run, with the same files and the same number of
# workers, loopback only.  Prints requests per second for each and the
# ratios.  Not part of "make check": load
# figures depend on the machine, so they are reported, never asserted.
#
#	bench/run.sh [BUILDDIR]    (needs wrk; DURATION=5 CONNS=64 WORKERS=2)
set -u
B=${1:-.}
B=$(cd "$B" && pwd)
DUR=${DURATION:-5}
CONNS=${CONNS:-64}
WORKERS=${WORKERS:-2}
command -v wrk >/dev/null || { echo "bench: wrk is not installed"; exit 1; }
T=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T"
mkdir -p "$T/root"
head -c 1024 /dev/urandom | base64 -w 76 | head -c 1024 > "$T/root/small.txt"
head -c $((1024 * 1024)) /dev/urandom > "$T/root/big.bin"
chmod -R a+rX "$T/root"

# Below the ephemeral range, so client sockets cannot be in the way.
port() { echo $((10000 + RANDOM % 22000)); }
declare -A RPS

# run NAME PORT PATH: wrk against one server; records requests/s.
run() {
	local out
	out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" "http://127.0.0.1:$2$3" 2>&1)
	RPS[$1$3]=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
	echo "$1 $3: ${RPS[$1$3]} req/s $(echo "$out" | grep -E 'errors|Non-2xx' | tr '\n' ' ')"
}

start_minihttpd() {
	P_MINI=$(port)
	cat > "$T/mini.conf" <<CONF
listen = [ "127.0.0.1:$P_MINI" ];
workers = $WORKERS;
pid_file = "";
document_root = "$T/root";
access_log = "";
error_log = "$T/mini.err";
CONF
	"$B/src/minihttpd" -F -c "$T/mini.conf" & PIDS+=($!)
}

start_nginx() {
	command -v nginx >/dev/null || return 1
	P_NGINX=$(port)
	mkdir -p "$T/nginx"
	cat > "$T/nginx.conf" <<CONF
worker_processes $WORKERS;
daemon off;
pid $T/nginx/pid;
error_log $T/nginx/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on; tcp_nopush on; tcp_nodelay on;
	keepalive_requests 100000;
	open_file_cache max=1000;
	client_body_temp_path $T/nginx; proxy_temp_path $T/nginx;
	fastcgi_temp_path $T/nginx; uwsgi_temp_path $T/nginx;
	scgi_temp_path $T/nginx;
	server { listen 127.0.0.1:$P_NGINX; root $T/root; }
}
CONF
	nginx -c "$T/nginx.conf" -e "$T/nginx/error.log" & PIDS+=($!)
}

start_lighttpd() {
	command -v lighttpd >/dev/null || return 1
	P_LIGHTTPD=$(port)
	cat > "$T/lighttpd.conf" <<CONF
server.document-root = "$T/root"
server.port = $P_LIGHTTPD
server.bind = "127.0.0.1"
server.max-worker = $WORKERS
server.errorlog = "$T/lighttpd.err"
CONF
	lighttpd -D -f "$T/lighttpd.conf" & PIDS+=($!)
}

start_h2o() {
	command -v h2o >/dev/null || return 1
	P_H2O=$(port)
	cat > "$T/h2o.conf" <<CONF
listen:
  host: 127.0.0.1
  port: $P_H2O
num-threads: $WORKERS
error-log: $T/h2o.err
hosts:
  default:
    paths:
      /:
        file.dir: $T/root
CONF
	h2o -c "$T/h2o.conf" > "$T/h2o.out" 2>&1 & PIDS+=($!)
}

start_minihttpd
start_nginx || echo "bench: nginx not installed"
start_lighttpd || echo "bench: lighttpd not installed"
start_h2o || echo "bench: h2o not installed"
# Files changed in the last second are not cached (src/fcache.c).
sleep 2
for path in /small.txt /big.bin; do
	run minihttpd "$P_MINI" "$path"
	[ -n "${P_NGINX:-}" ] && run nginx "$P_NGINX" "$path"
	[ -n "${P_LIGHTTPD:-}" ] && run lighttpd "$P_LIGHTTPD" "$path"
	[ -n "${P_H2O:-}" ] && run h2o "$P_H2O" "$path"
	for peer in lighttpd h2o; do
		[ -n "${RPS[$peer$path]:-}" ] || continue
		awk -v a="${RPS[minihttpd$path]}" -v b="${RPS[$peer$path]}" \
		    -v p="$path" -v n="$peer" \
		    'BEGIN { printf "ratio minihttpd/%s %s: %.2f\n", n, p, a / b }'
	done
	if [ -n "${RPS[nginx$path]:-}" ]; then
		awk -v a="${RPS[minihttpd$path]}" -v b="${RPS[nginx$path]}" \
		    -v p="$path" 'BEGIN { printf "ratio minihttpd/nginx %s: %.2f\n", p, a / b }'
	fi
done
