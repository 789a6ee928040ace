#!/usr/bin/env bash
# 2. Cold start: a tools/list for a tenant whose worker is absent, timed by curl from send to
# answer; then SIGTERM stops the worker (a graceful stop, not a crash: no backoff) and we wait for
# its pid file to go, so the next request starts a worker again. The floor is floor.c: a C child
# spawned and answering over a socketpair, the same way, in the same run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

iterations=$(pick 20 200)

# cold_request: prints the seconds one tools/list took; fails unless it listed the tools.
cold_request() {
    local args=() line timing
    while IFS= read -r line; do args+=(-H "$line"); done <<<"$list_headers"$'\nX-Client-ID: acme'
    timing=$(curl -s --max-time 20 -o "$work/answer.json" -w '%{http_code} %{time_total}' "${args[@]}" \
        --data-binary "$list_body" "http://$supervisor/mcp")
    if [ "${timing% *}" != 200 ] || ! grep -q '"core_list_sucursales"' "$work/answer.json"; then
        fail "cold tools/list answered $timing"
    fi
    echo "${timing#* }"
}

# stop_worker: SIGTERM the acme worker and wait (5 s at most) until the supervisor has reaped it.
stop_worker() {
    local pid
    pid=$(worker_pid acme)
    kill -TERM "$pid"
    for _ in $(seq 1 500); do
        [ -e "$run/workers/acme.pid" ] || return 0
        sleep 0.01
    done
    fail "worker $pid did not stop"
}

start_sandbox
write_config "$work/supervisor.json" 1 3600
start_supervisor "$work/supervisor.json"
for _ in $(seq 1 "$iterations"); do
    awk -v s="$(cold_request)" 'BEGIN { printf "%.3f\n", s * 1000 }' >>"$work/ours.ms"
    stop_worker
done

cc -O2 -o "$work/floor" "$bench_dir/floor.c"
"$work/floor" "$iterations" | awk '{ printf "%.3f\n", $1 / 1000 }' >"$work/floor.ms"
[ "$(wc -l <"$work/floor.ms")" = "$iterations" ] || fail "the C floor did not answer every time"

for p in 50 99; do
    ours=$(percentile "$p" <"$work/ours.ms")
    floor=$(percentile "$p" <"$work/floor.ms")
    limit=$([ "$p" = 50 ] && echo 5 || echo 15)
    record "cold start p$p ms" "$ours" "$floor (C child)" "$(calc "$ours / $floor")" "<= $limit ms" "x <= $limit"
done
