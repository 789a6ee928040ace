#!/usr/bin/env bash
# 6. End-to-end MCP against the servers users would otherwise pick: the official MCP Python SDK
# (peer_mcp_sdk.py) and fastmcp (peer_fastmcp.py), stateless JSON mode, under uvicorn with uvloop
# (which turns Nagle off; plain asyncio with 2 workers stalls each answer ~44 ms) and httptools,
# with 1 and 2 worker processes. They serve the 18 tool definitions taken from our own tools/list,
# and their core_list_zonas does the same GET to the same sandbox as our worker. The same two
# requests go to every server at 64 connections; ours is compared with the best of the four.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

seconds=$(pick 2 10)
processes=$(pick "1" "1 2")
call=core_list_zonas

# measure LABEL ADDRESS: tools/list then tools/call; appends "LABEL list_rps list_p99_ms
# call_rps call_p99_ms" to $work/results.txt.
measure() {
    local label=$1 url="http://$2/mcp" list
    post "$url" "$(call_headers "$call")" "$(call_body "$call" '{}')" | grep -q 'Zona Norte Grande' ||
        fail "$label: $call did not return the sandbox's zones"
    local ticks
    ticks=$(kernel_ticks)
    load "$url" 64 "$seconds" "$list_headers" "$list_body"
    list="$rps $(calc "$p99_us / 1000")"
    [ "$label" != ours ] || kernel_us=$(calc "($(kernel_ticks) - $ticks) * 1e6 / $(getconf CLK_TCK) / $requests")
    load "$url" 64 "$seconds" "$(call_headers "$call")" "$(call_body "$call" '{}')"
    echo "$label $list $rps $(calc "$p99_us / 1000")" >>"$work/results.txt"
    echo "  $label: $(tail -n 1 "$work/results.txt" | cut -d' ' -f2-) (list req/s, p99 ms, call req/s, p99 ms)"
}

# start_peer MODULE PROCESSES: uvicorn serving MODULE:app on a free port; sets $peer and $peer_pid.
start_peer() {
    local module=$1 processes=$2 port
    port=$(free_port)
    # No __pycache__ beside the peers: a benchmark leaves files only in its temp dir and .build-bench.
    PYTHONDONTWRITEBYTECODE=1 BENCH_TOOLS="$work/tools.json" BENCH_UPSTREAM="http://$sandbox" BENCH_AUTHORIZATION="$sandbox_auth" BENCH_CLIENT=acme \
        spawn "$module-$processes" "$BENCH_VENV/bin/uvicorn" "$module:app" --app-dir "$bench_dir" \
        --host 127.0.0.1 --port "$port" --workers "$processes" --loop uvloop --http httptools --no-access-log --log-level warning
    peer_pid=$spawned
    peer=127.0.0.1:$port
    for _ in $(seq 1 600); do   # importing fastmcp takes seconds on a busy machine
        post "http://$peer/mcp" "$list_headers" "$list_body" >/dev/null 2>&1 && return 0
        kill -0 "$peer_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/$module-$processes.err" >&2
    fail "$module with $processes worker(s) did not start"
}

# best COLUMN max|min: "value (label)" of the best peer in one column of the results.
best() {
    grep -v '^ours ' "$work/results.txt" | sort -k"$1","$1"g | { if [ "$2" = max ]; then tail -n 1; else head -n 1; fi; } |
        awk -v c="$1" '{ print $c " (" $1 ")" }'
}

# report COLUMN FIGURE TARGET VERDICT max|min
report() {
    local column=$1 figure=$2 target=$3 verdict=$4 ours theirs
    ours=$(awk -v c="$column" '$1 == "ours" { print $c }' "$work/results.txt")
    theirs=$(best "$column" "$5")
    record "$figure" "$ours" "$theirs" "$(calc "$ours / ${theirs%% *}")" "$target" "$verdict"
}

start_sandbox
# Like the hop: the peers take every request at once, so our per-tenant limit is set to the
# connection count instead of queueing half of them (README "Performance").
write_config "$work/supervisor.json" 1 3600 '"maxInFlightPerTenant": 64'
start_supervisor "$work/supervisor.json"
post "http://$supervisor/mcp" "$list_headers"$'\nX-Client-ID: acme' "$list_body" | jq '.result.tools' >"$work/tools.json"
[ "$(jq length "$work/tools.json")" = 18 ] || fail "our tools/list does not have 18 tools"

# Ours gets the tenant header; the peers are single-tenant and ignore it.
list_headers+=$'\nX-Client-ID: acme'
call_headers() { printf 'Content-Type: application/json\nAccept: application/json, text/event-stream\nMCP-Protocol-Version: 2026-07-28\nMcp-Method: tools/call\nMcp-Name: %s\nX-Client-ID: acme' "$1"; }
measure ours "$supervisor"
for module in peer_mcp_sdk peer_fastmcp; do
    for n in $processes; do
        start_peer "$module" "$n"
        measure "${module#peer_}-${n}w" "$peer"
        stop "$peer_pid"
    done
done

report 2 "e2e tools/list req/s (c=64)" ">= 20x" "r >= 20" max
report 4 "e2e tools/call req/s (c=64)" ">= 10x" "r >= 10" max
report 3 "e2e tools/list p99 ms (c=64)" "<= 0.1x" "r <= 0.1" min
report 5 "e2e tools/call p99 ms (c=64)" "<= 0.1x" "r <= 0.1" min

# What the 20x asks of tools/list against what the kernel alone costs: the machine's kernel time
# (supervisor, worker and wrk: system calls, loopback TCP, Unix sockets, wakeups) per request of
# our run, and the req/s its cores would give if user space cost nothing. A ratio near or below 1
# means the target leaves our code no time at all (README "Performance").
best_list=$(best 2 max)
twenty=$(calc "20 * ${best_list%% *}")
peer_label=${best_list#*(}
ceiling=$(calc "($kernel_us > 0 ? $(nproc) * 1e6 / $kernel_us : 0)")
record "e2e tools/list: kernel us/req (all processes)" "$kernel_us" "-" "-" "report" ""
record "e2e tools/list: req/s if user space were free" "$ceiling" "$twenty (20x ${peer_label%)})" "$(calc "$ceiling / $twenty")" "report" ""
