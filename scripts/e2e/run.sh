#!/usr/bin/env bash
# End-to-end checks with clients nobody here wrote, against the real binary:
#   - the official MCP Python SDK (mcp==2.3.0) through ../shared/tools/mcp_client_check.py,
#     in its default mode (2026-07-28 first) and in legacy mode (initialize handshake);
#   - the jbt-mcpcheck conformance checker (all of its checks) through mcp_conformance.sh;
#   - a legacy SDK session that survives its worker's restart, crash and stop.
# Each runs against a standalone worker and through the supervisor, with the sandbox API as the
# upstream, on free loopback ports. Every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=${ONEAPP_MCP_BIN:-$(swift build --show-bin-path)/oneapp-mcp}
tools="$root/../shared/tools"
venv="$root/.build-e2e/venv"

if [ ! -x "$venv/bin/mcpcheck" ] || ! "$venv/bin/python" -c 'import mcp, prometheus_client' 2>/dev/null; then
    echo "installing mcp==2.3.0, jbt-mcpcheck==0.1.1 and prometheus_client into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'mcp==2.3.0' 'jbt-mcpcheck==0.1.1' 'prometheus_client==0.26.0'
fi

work=$(mktemp -d /tmp/oneapp-mcp-e2e.XXXXXX)
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap stop_all EXIT

# start NAME INPUT ARGS... : runs ARGS in the background with INPUT as standard input, waits
# for its "listening on" line and sets $address. (Not called in $(…): a subshell would lose
# the pid that stop_all must end.)
start() {
    local name=$1 input=$2; shift 2
    "$@" <"$input" >"$work/$name.out" 2>"$work/$name.err" &
    pids+=($!)
    for _ in $(seq 1 200); do
        if grep -q 'listening on' "$work/$name.out"; then
            address=$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$work/$name.out" | head -n 1)
            return 0
        fi
        sleep 0.05
    done
    echo "$name did not start:"; cat "$work/$name.err"; exit 1
}

fail() { cat "$work/check.out"; echo "FAILED: $1"; exit 1; }

# check URL LABEL ARGS... : the official SDK client must list 18 tools (and pass ARGS' checks).
check() {
    local url=$1 label=$2; shift 2
    "$venv/bin/python" "$tools/mcp_client_check.py" --url "$url" --header 'X-Client-ID: acme' "$@" >"$work/check.out" 2>&1 || fail "$label"
    grep -q '^tools (18):' "$work/check.out" || fail "$label: 18 tools expected"
    echo "ok: $label"
}

sdk_checks() {
    local url=$1 where=$2
    check "$url" "$where: SDK default mode negotiates 2026-07-28" --expect-protocol 2026-07-28 --expect-tool core_list_sucursales
    check "$url" "$where: SDK default mode calls core_list_sucursales" --call core_list_sucursales
    grep -qF "$expected" "$work/check.out" || fail "$where: the result lacks the sandbox's '$expected'"
    check "$url" "$where: SDK legacy mode negotiates 2025-11-25" --mode legacy --expect-protocol 2025-11-25
    check "$url" "$where: SDK legacy mode pages checklist_list_checks" --mode legacy --call checklist_list_checks --args '{"page": 1, "limit": 2}'
    check "$url" "$where: invalid arguments are a tool error" --mode legacy --call core_list_zonas --args '{"zone_id": "abc"}' --allow-tool-error
    grep -q '"isError": true' "$work/check.out" || fail "$where: invalid arguments must give isError"
    MCPCHECK_VENV="$venv" "$tools/mcp_conformance.sh" "$url" -H 'X-Client-ID: acme' >"$work/check.out" 2>&1 || fail "$where: jbt-mcpcheck"
    grep -qE '^All [0-9]+ checks passed' "$work/check.out" || fail "$where: jbt-mcpcheck did not pass every check"
    echo "ok: $where: jbt-mcpcheck: $(grep -E '^All [0-9]+ checks passed' "$work/check.out")"
}

start sandbox /dev/null "$bin" sandbox --listen 127.0.0.1:0
sandbox=$address
auth="Bearer sandbox-acme-7f3a9c2e51b4d8a6"
expected=$(curl -sf -H "Authorization: $auth" -H 'client: acme' "http://$sandbox/core/sucursales" |
    "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["nombre"])')

echo "== a standalone worker for tenant acme"
echo "{\"tenant\": {\"authorization\": \"$auth\", \"coreBaseUrl\": \"http://$sandbox\", \"clientBaseUrl\": \"http://$sandbox\", \"clientHeader\": \"acme\"}}" >"$work/acme.json"
start worker "$work/acme.json" "$bin" worker --client-id acme --listen 127.0.0.1:0
worker=$address
sdk_checks "http://$worker/mcp" "worker"

echo "== through the supervisor"
sed -e "s#http://127.0.0.1:8090#http://$sandbox#g" -e 's#"127.0.0.1:8080"#"127.0.0.1:0"#' -e 's#"127.0.0.1:9090"#"127.0.0.1:0"#' \
    -e "s#\"run\"#\"$work/run\"#" -e '/"sandbox"/d' supervisor.json >"$work/supervisor.json"
start supervisor /dev/null "$bin" serve --config "$work/supervisor.json"
supervisor=$address
admin=$(sed -n 's/.* admin \([^ ]*\).*/\1/p' "$work/supervisor.out" | head -n 1)
sdk_checks "http://$supervisor/mcp" "supervisor"
"$venv/bin/python" scripts/e2e/session_across_restarts.py "http://$supervisor/mcp" acme "$work/run/workers/acme.pid" >"$work/check.out" 2>&1 ||
    { tail -n 30 "$work/supervisor.err"; fail "legacy session across worker restarts"; }
sed 's/^/  /' "$work/check.out"
echo "ok: a legacy SDK session survives its worker's restart, crash and stop"
"$venv/bin/python" scripts/e2e/metrics_check.py "$supervisor" "$admin" >"$work/check.out" 2>&1 || fail "metrics"
cat "$work/check.out"
