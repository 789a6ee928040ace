#!/usr/bin/env bash
# 5. Multi-core: 8 busy tenants (tools/list, 64 connections spread over them at random) through a
# supervisor confined to 1 core and through one allowed both cores (taskset; the workers inherit
# the affinity). Both run side by side and the rounds alternate, so the other builds here disturb
# both alike. wrk itself is not pinned: on this 2-core machine it shares the cores of the 2-core
# case, so raw req/s scaling is a lower bound; the judged figure is req/s per core the server got. The supervisor's own CPU during the 2-core load
# tells whether its single event loop is the bottleneck (1.0 core = saturated).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

seconds=$(pick 2 10)
rounds=$(pick 1 3)
tenants=8

declare -A address_of pid_of run_of   # per core count (1 or 2)

# start CORES: a supervisor on CORES CPUs, its 8 workers started.
start() {
    local cores=$1 id
    write_config "$work/cores$cores.json" "$tenants" 3600
    start_supervisor "$work/cores$cores.json" taskset -c "$([ "$cores" = 1 ] && echo 0 || echo 0,1)"
    for id in $(tenant_ids "$tenants"); do
        post "http://$supervisor/mcp" "$list_headers"$'\n'"X-Client-ID: $id" "$list_body" >/dev/null || fail "tools/list for $id"
    done
    address_of[$cores]=$supervisor
    pid_of[$cores]=$supervisor_pid
    run_of[$cores]=$run
}

# measure CORES: one round; appends "req/s supervisor_cpu_ns workers_cpu_ns elapsed_ns" to $work/CORES.txt.
measure() {
    local cores=$1 workers before_s before_w started after_s after_w
    read -ra workers <<<"$(cat "${run_of[$cores]}"/workers/*.pid | tr '\n' ' ')"
    before_s=$(cpu_ns "${pid_of[$cores]}")
    before_w=$(cpu_ns "${workers[@]}")
    started=$(date +%s%N)
    load "http://${address_of[$cores]}/mcp" 64 "$seconds" "$list_headers" "$list_body" "$tenants"
    after_s=$(cpu_ns "${pid_of[$cores]}")
    after_w=$(cpu_ns "${workers[@]}")
    echo "$rps $((after_s - before_s)) $((after_w - before_w)) $(($(date +%s%N) - started))" >>"$work/$cores.txt"
}

start_sandbox
start 1
start 2
for round in $(seq 1 "$rounds"); do
    echo "  round $round"
    measure 1
    measure 2
done

one=$(cut -d' ' -f1 "$work/1.txt" | median)
two=$(cut -d' ' -f1 "$work/2.txt" | median)
# Raw scaling understates: in the 1-core case wrk has the other core to itself, in the 2-core
# case it competes with the server for both. So the figure judged is throughput per core the
# server actually got (its processes' CPU time over the elapsed time): it scales when a second
# core buys as many requests per core as the first, i.e. nothing in it serializes the workers.
record "multicore: req/s on 2 cores (8 tenants)" "$two" "$one (1 core)" "$(calc "$two / $one")" "report" ""
per_core() { awk '{ print $1 / (($2 + $3) / $4) }' "$work/$1.txt" | median; }
one_per_core=$(per_core 1)
two_per_core=$(per_core 2)
record "multicore: req/s per server core busy" "$(calc "$two_per_core")" "$(calc "$one_per_core") (1 core)" "$(calc "$two_per_core / $one_per_core")" ">= 0.9x" "r >= 0.9"
busy=$(awk '{ print $2 / $4 }' "$work/2.txt" | median)
share=$(awk '{ print 100 * $2 / ($2 + $3) }' "$work/2.txt" | median)
record "multicore: supervisor cores busy (2 cores)" "$(calc "$busy")" "1.00 (saturated)" "$(calc "$busy")" "<= 0.5" "r <= 0.5"
record "multicore: supervisor share of server CPU" "$(calc "$share")%" "-" "-" "report" ""
