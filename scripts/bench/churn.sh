#!/usr/bin/env bash
# 4. Scale and churn: 1000 tenants with a 1 s idle TTL, tools/list spread over them at random for
# 60 s, so workers are spawned and reaped all the time. No request may fail; once every worker is
# reaped, the supervisor's fds, threads and RSS must be back to the baseline. The baseline is
# taken after a short warm-up of the same traffic, also drained, so that one-time allocations
# (a tenant's first state, the allocator's arenas) are not mistaken for a leak.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

tenants=$(pick 100 1000)
seconds=$(pick 3 60)
warmup=$(pick 1 5)
connections=16

# churn SECONDS: random traffic over every tenant; sets $requests.
churn() {
    load "http://$supervisor/mcp" "$connections" "$1" "$list_headers" "$list_body" "$tenants"
}

# drain: waits (30 s at most) until the idle TTL has reaped every worker.
drain() {
    for _ in $(seq 1 300); do
        [ "$(live_workers)" = 0 ] && return 0
        sleep 0.1
    done
    fail "workers still alive 30 s after the traffic stopped"
}

# spawns: how many workers the supervisor has started so far.
spawns() { curl -sf "http://$admin/status" | jq '[.tenants[].spawns] | add'; }

# snapshot: "fds threads rss_kib" of the supervisor.
snapshot() { echo "$(fds "$supervisor_pid") $(threads "$supervisor_pid") $(rss_kib "$supervisor_pid")"; }

start_sandbox
write_config "$work/supervisor.json" "$tenants" 1
start_supervisor "$work/supervisor.json"

churn "$warmup"
drain
read -r fds0 threads0 rss0 <<<"$(snapshot)"
spawns0=$(spawns)
churn "$seconds"
total=$requests
spawned_workers=$(($(spawns) - spawns0))
drain
read -r fds1 threads1 rss1 <<<"$(snapshot)"

record "churn ${seconds}s: failed requests" "0 of $total ($spawned_workers spawns)" "-" "-" "0" "x == 0"
record "churn: supervisor fds after" "$fds1" "$fds0 (baseline)" "$(calc "$fds1 / $fds0")" "= baseline" "r <= 1"
record "churn: supervisor threads after" "$threads1" "$threads0 (baseline)" "$(calc "$threads1 / $threads0")" "= baseline" "r <= 1"
record "churn: supervisor RSS MiB after" "$(calc "$rss1 / 1024")" "$(calc "$rss0 / 1024") (baseline)" "$(calc "$rss1 / $rss0")" "<= 1.05x" "r <= 1.05"
