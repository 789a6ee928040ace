#!/usr/bin/env bash
# 3. Idle worker memory: 1000 configured tenants, 100 of them with a live worker that has served
# one tool call against the sandbox (so URLSession and the tool path are warm). Private_Dirty is
# the memory a worker does not share with its siblings: what each extra tenant costs. Memory is
# not disturbed by the other builds here, so these targets are absolute.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

tenants=$(pick 100 1000)
workers=$(pick 10 100)

start_sandbox
write_config "$work/supervisor.json" "$tenants" 3600
start_supervisor "$work/supervisor.json"

body=$(call_body core_list_sucursales '{}')
for id in $(tenant_ids "$tenants" | head -n "$workers"); do
    post "http://$supervisor/mcp" "$(call_headers core_list_sucursales)"$'\n'"X-Client-ID: $id" "$body" >"$work/answer.json" ||
        fail "tools/call for $id"
    grep -q '"structuredContent"' "$work/answer.json" || fail "tools/call for $id returned no data"
done
sleep 1   # let the workers settle (URLSession's connection and task bookkeeping)

for id in $(tenant_ids "$tenants" | head -n "$workers"); do
    private_dirty_kib "$(worker_pid "$id")"
done >"$work/private_dirty.kib"
[ "$(wc -l <"$work/private_dirty.kib")" = "$workers" ] || fail "not every worker is alive"

worker_mib=$(calc "$(median <"$work/private_dirty.kib") / 1024")
record "idle worker Private_Dirty MiB (median of $workers)" "$worker_mib" "-" "-" "<= 4 MiB" "x <= 4"
supervisor_mib=$(calc "$(rss_kib "$supervisor_pid") / 1024")
record "supervisor RSS MiB ($tenants tenants, $workers workers)" "$supervisor_mib" "-" "-" "<= 30 MiB" "x <= 30"
