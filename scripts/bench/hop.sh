#!/usr/bin/env bash
# 1. The proxy hop: tools/list through the supervisor against nginx proxying to the same worker's
# Unix socket with upstream keep-alive, at 1 and 64 connections, rounds interleaved so that the
# other builds on this machine disturb both alike; the median of the rounds is reported.
# CPU per request counts the proxy only (supervisor vs nginx master + workers): the worker behind
# both is the same process. nginx gets one worker process, like the supervisor's one event loop,
# and an access log buffered like the supervisor's (both write every request to a file).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

seconds=$(pick 2 10)
rounds=$(pick 1 3)

# start_nginx SOCKET: nginx on a free port proxying /mcp to SOCKET; sets $nginx and $nginx_pid.
start_nginx() {
    local socket=$1 port
    port=$(free_port)
    mkdir -p "$work/nginx"
    cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user root;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    # Like the supervisor's access log: a line per request, written once per turn of the loop.
    access_log $work/nginx/access.log combined buffer=64k flush=1s;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    upstream worker {
        server unix:$socket;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$port;
        location = /mcp {
            proxy_pass http://worker;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
    spawn nginx nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf"
    nginx_pid=$spawned
    nginx=127.0.0.1:$port
    for _ in $(seq 1 100); do
        post "http://$nginx/mcp" "$list_headers"$'\nX-Client-ID: acme' "$list_body" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    cat "$work/nginx/error.log" >&2
    fail "nginx did not start"
}

# measure NAME ADDRESS CONNECTIONS PIDS...: one wrk round; appends "req/s p99_ms cpu_us_per_request"
# to $work/NAME-CONNECTIONS.txt.
measure() {
    local name=$1 address=$2 connections=$3; shift 3
    local before after
    before=$(cpu_ns "$@")
    load "http://$address/mcp" "$connections" "$seconds" "$list_headers"$'\nX-Client-ID: acme' "$list_body"
    after=$(cpu_ns "$@")
    echo "$rps $(calc "$p99_us / 1000") $(calc "($after - $before) / 1000 / $requests")" >>"$work/$name-$connections.txt"
}

# column_median NAME CONNECTIONS FIELD: the median of one field over the rounds.
column_median() { cut -d' ' -f"$3" "$work/$1-$2.txt" | median; }

report() {
    local c=$1 ours theirs
    ours=$(column_median ours "$c" 1); theirs=$(column_median nginx "$c" 1)
    record "hop c=$c: req/s" "$ours" "$theirs (nginx)" "$(calc "$ours / $theirs")" ">= 1.0x" "r >= 1.0"
    ours=$(column_median ours "$c" 2); theirs=$(column_median nginx "$c" 2)
    record "hop c=$c: p99 ms" "$ours" "$theirs (nginx)" "$(calc "$ours / $theirs")" "<= 1.0x" "r <= 1.0"
    ours=$(column_median ours "$c" 3); theirs=$(column_median nginx "$c" 3)
    record "hop c=$c: proxy CPU us/req" "$ours" "$theirs (nginx)" "$(calc "$ours / $theirs")" "<= 1.0x" "r <= 1.0"
}

start_sandbox
# The worker must outlive the nginx rounds. nginx forwards every request at once (it has no
# per-upstream limit that queues), so the supervisor's per-tenant limit is set to the connection
# count: with its default (32), half the requests at 64 connections would wait in its queue
# for a slot, a feature nginx does not have, which costs ~6% req/s and ~15% p99 here.
write_config "$work/supervisor.json" 1 3600 '"maxInFlightPerTenant": 64'
start_supervisor "$work/supervisor.json"
post "http://$supervisor/mcp" "$list_headers"$'\nX-Client-ID: acme' "$list_body" | grep -q '"core_list_sucursales"' ||
    fail "tools/list through the supervisor"
socket=$(echo "$run"/workers/acme.*.sock)
start_nginx "$socket"
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')

for round in $(seq 1 "$rounds"); do
    for connections in 1 64; do
        echo "  round $round, $connections connection(s)"
        measure ours "$supervisor" "$connections" "$supervisor_pid"
        # shellcheck disable=SC2086  # one pid per word
        measure nginx "$nginx" "$connections" "$nginx_pid" $nginx_workers
    done
done
report 1
report 64
