#!/usr/bin/env bash
# Two supervisors behind nginx with consistent hashing on X-Client-ID (README "Several hosts"),
# on free loopback ports, sharing one sandbox API and one sessionKey. It shows, and checks:
#   (a) each of 12 tenants always lands on the same supervisor (nginx adds X-Upstream), and
#       nginx itself answers a request without X-Client-ID with our 403 MISSING_CLIENT_ID;
#   (b) after one supervisor stops (SIGTERM), its tenants are served by the other, with no
#       failed request beyond the one in flight, and a legacy MCP session moves along;
#   (c) when it returns on the same port, its tenants go back to it (the session too).
# nginx runs from this directory's nginx-multihost.conf (addresses rewritten) as a foreground
# child with its own prefix; it is installed from Debian if missing (skipped when it cannot be).
# Every process started here is ended by pid on exit, also on failure. Bounded: under 30 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=${ONEAPP_MCP_BIN:-$root/.build/debug/oneapp-mcp}
template=$root/scripts/deploy/nginx-multihost.conf

echo "== several hosts behind nginx (scripts/deploy/multihost-demo.sh)"
[ -x "$bin" ] || { echo "no binary at $bin: run swift build first (or set ONEAPP_MCP_BIN)"; exit 1; }

if ! command -v nginx >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing nginx from Debian"
        # The package would start a system nginx on port 80: policy-rc.d (101) forbids it.
        made_policy=
        [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1; }
        install_nginx() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >/dev/null; }
        install_nginx || { apt-get update -q >/dev/null && install_nginx; } || true
        [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
    fi
    if ! command -v nginx >/dev/null; then
        echo "SKIPPED: nginx is not installed and cannot be installed here"
        exit 0
    fi
fi

work=$(mktemp -d /tmp/oneapp-mcp-multihost.XXXXXX)
pids=()
stop_all() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
        local alive=
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ -n "$alive" ] || break
        sleep 0.05
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap stop_all EXIT

fail() { echo "FAILED: $*"; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME ARGS... : runs ARGS in the background, waits for its "listening on" line, sets
# $address and $last_pid. (Not called in $(…): a subshell would lose the pid stop_all ends.)
start() {
    local name=$1; shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    last_pid=$!
    pids+=("$last_pid")
    for _ in $(seq 1 200); do
        if grep -q 'listening on' "$work/$name.out"; then
            address=$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$work/$name.out" | head -n 1)
            return 0
        fi
        kill -0 "$last_pid" 2>/dev/null || break
        sleep 0.05
    done
    cat "$work/$name.err"; fail "$name did not start"
}

# --- the sandbox, two supervisors, nginx ---------------------------------------------------
start sandbox "$bin" sandbox --listen 127.0.0.1:0
sandbox=$address
tenants=(acme globex initech umbrella hooli stark wayne wonka soylent tyrell cyberdyne oscorp)
session_key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')

# write_config DIR LISTEN : a supervisor.json whose 12 tenants all use the sandbox's acme data.
write_config() {
    local clients="" id
    for id in "${tenants[@]}"; do
        clients+="${clients:+,}\"$id\":{\"authorization\":\"Bearer sandbox-acme-7f3a9c2e51b4d8a6\",\"clientHeader\":\"acme\","
        clients+="\"coreBaseUrl\":\"http://$sandbox\",\"clientBaseUrl\":\"http://$sandbox\",\"httpTimeoutMs\":5000}"
    done
    mkdir -p "$1"
    printf '{"listen":"%s","adminListen":"127.0.0.1:0","runDirectory":"run","shutdownTimeoutSeconds":5,"sessionKey":"%s","clients":{%s}}\n' \
        "$2" "$session_key" "$clients" >"$1/supervisor.json"
}

declare -A pid_of addr_of admin_of
# start_supervisor NAME LISTEN
start_supervisor() {
    write_config "$work/$1" "$2"
    start "$1" "$bin" serve --config "$work/$1/supervisor.json"
    pid_of[$1]=$last_pid
    addr_of[$1]=$address
    admin_of[$1]=$(sed -n 's/.* admin \([^ ]*\).*/\1/p' "$work/$1.out" | head -n 1)
}
start_supervisor A 127.0.0.1:0
start_supervisor B 127.0.0.1:0
name_of() { case $1 in "${addr_of[A]}") echo A ;; "${addr_of[B]}") echo B ;; *) echo "?($1)" ;; esac; }

edge_port=$(free_port)
mkdir -p "$work/nginx/tmp" "$work/nginx/logs"
sed -e "s/10\.0\.0\.1:8080/${addr_of[A]}/" -e "s/10\.0\.0\.2:8080/${addr_of[B]}/" \
    -e "s/listen 80;/listen 127.0.0.1:$edge_port;/" -e 's/# add_header X-Upstream/add_header X-Upstream/' \
    "$template" >"$work/nginx/oneapp-mcp.conf"
! grep -q '10\.0\.0\.' "$work/nginx/oneapp-mcp.conf" || fail "the template's example addresses were not all replaced"
user_line=""
[ "$(id -u)" != 0 ] || { user_line="user nobody nogroup;"; chmod 755 "$work" "$work/nginx"; }
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log $work/nginx/logs/access.log;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    include $work/nginx/oneapp-mcp.conf;
}
EOF
nginx_args=(-p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log")
nginx "${nginx_args[@]}" -t -q 2>"$work/nginx-t.err" || { cat "$work/nginx-t.err"; fail "nginx -t rejected the configuration"; }
nginx "${nginx_args[@]}" -g "daemon off; pid $work/nginx/nginx.pid;" >"$work/nginx.out" 2>&1 &
pids+=($!)
edge=127.0.0.1:$edge_port
for _ in $(seq 1 100); do curl -s -o /dev/null "http://$edge/" && break; sleep 0.05; done
echo "sandbox $sandbox; supervisor A ${addr_of[A]} (pid ${pid_of[A]}), B ${addr_of[B]} (pid ${pid_of[B]}); nginx $edge ($(nginx -v 2>&1 | sed 's/.*\///'))"

# --- requests through nginx ---------------------------------------------------------------
modern_meta='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
# request TENANT BODY [CURL ARGS...] : POST /mcp through nginx; sets $status and $served_by
# (A, B, or "-" when nginx answered itself); the body is in $work/body.
request() {
    local tenant=$1 body=$2; shift 2
    local header=()
    [ -z "$tenant" ] || header=(-H "X-Client-ID: $tenant")
    status=$(curl -s --max-time 5 -o "$work/body" -D "$work/head" -w '%{http_code}' "${header[@]}" \
        -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' "$@" \
        --data-binary "$body" "http://$edge/mcp" || true)
    local upstream
    upstream=$(tr -d '\r' <"$work/head" | sed -n 's/^[Xx]-[Uu]pstream: //p' | sed 's/.*, //')
    served_by=$([ -n "$upstream" ] && name_of "$upstream" || echo -)
}
tools_list() {
    request "$1" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{$modern_meta}}" \
        -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/list'
}
call_tool() {
    request "$1" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"core_list_sucursales\",\"arguments\":{},$modern_meta}}" \
        -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/call' -H 'Mcp-Name: core_list_sucursales'
}
legacy_initialize() {
    request "$1" '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"demo","version":"1"}}}'
    session=$(tr -d '\r' <"$work/head" | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: //p')
}
legacy_tools_list() {
    request "$1" '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' -H "Mcp-Session-Id: $session" -H 'MCP-Protocol-Version: 2025-11-25'
}
tool_count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["result"]["tools"]))' "$work/body" 2>/dev/null || echo 0; }

# expect_owner TENANT OWNER N : N tools/list for TENANT, each 200 and served by OWNER.
expect_owner() {
    for _ in $(seq 1 "$3"); do
        tools_list "$1"
        [ "$status" = 200 ] && [ "$served_by" = "$2" ] || fail "$1: HTTP $status from $served_by, expected 200 from $2"
    done
}

# --- (a) each tenant lands on one supervisor ------------------------------------------------
declare -A owner
for id in "${tenants[@]}"; do
    call_tool "$id"
    [ "$status" = 200 ] && grep -q 'Acme Arica Centro' "$work/body" || fail "$id: tools/call answered HTTP $status"
    owner[$id]=$served_by
    expect_owner "$id" "${owner[$id]}" 3
done
owned() { local id out=(); for id in "${tenants[@]}"; do [ "${owner[$id]}" != "$1" ] || out+=("$id"); done; echo "${out[*]}"; }
echo "ok (a): each of ${#tenants[@]} tenants answered 4 times by the same supervisor (a tools/call with sandbox data, 3 tools/list)"
echo "        A owns: $(owned A)"
echo "        B owns: $(owned B)"
request "" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{$modern_meta}}"
edge_body=$(cat "$work/body")
direct_body=$(curl -s --max-time 5 -H 'Content-Type: application/json' --data-binary '{}' "http://${addr_of[A]}/mcp")
[ "$status" = 403 ] && [ "$served_by" = - ] && [ "$edge_body" = "$direct_body" ] || fail "no X-Client-ID: HTTP $status from $served_by: $edge_body"
echo "ok (a): no X-Client-ID: nginx answers 403 MISSING_CLIENT_ID itself, the same body as a supervisor's"
progress_meta='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"progressToken":"demo"}'
request "${tenants[0]}" "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"core_list_sucursales\",\"arguments\":{},$progress_meta}}" \
    -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/call' -H 'Mcp-Name: core_list_sucursales'
events=$(grep -c 'notifications/progress' "$work/body" || true)
tr -d '\r' <"$work/head" | grep -qi '^content-type: text/event-stream' && [ "$events" -ge 1 ] && grep -q 'Acme Arica Centro' "$work/body" \
    || fail "SSE through nginx: HTTP $status: $(head -c 300 "$work/body")"
echo "ok (a): an SSE answer (tools/call with a progressToken) passes through nginx: $events progress events, then the result"

# The supervisor that goes away is the owner of the first tenant; the other one survives.
victim=${owner[${tenants[0]}]}
survivor=$([ "$victim" = A ] && echo B || echo A)
read -ra moved <<<"$(owned "$victim")"
read -ra stayed <<<"$(owned "$survivor")"
legacy_tenant=${moved[0]}
legacy_initialize "$legacy_tenant"
[ "$status" = 200 ] && [ -n "$session" ] || fail "initialize for $legacy_tenant: HTTP $status"
legacy_tools_list "$legacy_tenant"
[ "$status" = 200 ] && [ "$(tool_count)" = 18 ] && [ "$served_by" = "$victim" ] || fail "legacy tools/list: HTTP $status from $served_by"
echo "ok: legacy session of $legacy_tenant opened on $victim (initialize, then tools/list with its Mcp-Session-Id: 18 tools)"

# --- (b) one supervisor stops: its tenants move -------------------------------------------
# A client sends requests one after another for every tenant while $victim stops.
(
    for i in $(seq 1 400); do
        [ ! -e "$work/stop-load" ] || break
        id=${tenants[$((i % ${#tenants[@]}))]}
        code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H "X-Client-ID: $id" -H 'Content-Type: application/json' \
            -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/list' \
            --data-binary "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{$modern_meta}}" "http://$edge/mcp" || true)
        echo "$id $code" >>"$work/load.log"
    done
) &
load_pid=$!
pids+=("$load_pid")
sleep 0.5
started=$(date +%s%N)
before=$(wc -l <"$work/load.log")
kill -TERM "${pid_of[$victim]}"
for _ in $(seq 1 200); do kill -0 "${pid_of[$victim]}" 2>/dev/null || break; sleep 0.05; done
! kill -0 "${pid_of[$victim]}" 2>/dev/null || fail "supervisor $victim did not stop within 10 s"
wait "${pid_of[$victim]}" || fail "supervisor $victim exited with $?"
echo "ok (b): supervisor $victim stopped gracefully (SIGTERM, exit 0) in $(( ($(date +%s%N) - started) / 1000000 )) ms"
sleep 1
touch "$work/stop-load"
wait "$load_pid" || true
total=$(wc -l <"$work/load.log")
failed=$(awk '$2 != 200' "$work/load.log" | wc -l)
[ "$before" -ge 1 ] && [ $((total - before)) -ge 3 ] || fail "the client sent $before requests before the stop and $((total - before)) after"
[ "$failed" -le 1 ] || { awk '$2 != 200' "$work/load.log"; fail "$failed requests failed while $victim stopped"; }
echo "ok (b): a client sending one request at a time through the stop: $total requests ($before before the SIGTERM), $failed failed (at most the one in flight may)"
for id in "${moved[@]}"; do expect_owner "$id" "$survivor" 2; done
for id in "${stayed[@]}"; do expect_owner "$id" "$survivor" 2; done
echo "ok (b): $victim's tenants (${moved[*]}) are now served by $survivor; $survivor's own stay there"
legacy_tools_list "$legacy_tenant"
[ "$status" = 200 ] && [ "$(tool_count)" = 18 ] && [ "$served_by" = "$survivor" ] || fail "legacy session after the move: HTTP $status from $served_by"
echo "ok (b): the legacy session of $legacy_tenant continues on $survivor (same Mcp-Session-Id, shared sessionKey)"

# --- (c) it returns on the same port: its tenants go back ---------------------------------
write_config "$work/$victim" "${addr_of[$victim]}"
old_address=${addr_of[$victim]}
start_supervisor "$victim" "$old_address"
[ "${addr_of[$victim]}" = "$old_address" ] || fail "$victim came back on ${addr_of[$victim]}, not $old_address"
started=$(date +%s%N)
back=
for _ in $(seq 1 100); do
    tools_list "${moved[0]}"
    [ "$status" = 200 ] || fail "${moved[0]}: HTTP $status while $victim returns"
    if [ "$served_by" = "$victim" ]; then back=1; break; fi
    sleep 0.1
done
[ -n "$back" ] || fail "${moved[0]} did not return to $victim within 10 s"
echo "ok (c): supervisor $victim is back on $old_address (pid ${pid_of[$victim]}); nginx sent ${moved[0]} back after $(( ($(date +%s%N) - started) / 1000000 )) ms (fail_timeout)"
for id in "${tenants[@]}"; do expect_owner "$id" "${owner[$id]}" 2; done
echo "ok (c): every tenant is served by its original supervisor again"
legacy_tools_list "$legacy_tenant"
[ "$status" = 200 ] && [ "$(tool_count)" = 18 ] && [ "$served_by" = "$victim" ] || fail "legacy session after the return: HTTP $status from $served_by"
echo "ok (c): the legacy session of $legacy_tenant continues on $victim"
leftover=$(curl -s --max-time 5 "http://${admin_of[$survivor]}/status" | python3 -c '
import json, sys
moved = set(sys.argv[1:])
print(" ".join(t["clientId"] for t in json.load(sys.stdin)["tenants"] if t["clientId"] in moved and t["state"] == "ready"))' "${moved[@]}")
[ -z "$leftover" ] || echo "note: $survivor still has workers for $leftover, idle until idleTimeoutSeconds stops them (README: a tenant can briefly run on two hosts)"
echo "multihost demo: all checks passed"
