#!/usr/bin/env bash
# The performance benchmarks of the issue, each against a peer or a floor measured in the same run
# (this machine is shared, so only ratios mean something):
#   hop        tools/list through the supervisor vs nginx in front of the same worker
#   coldstart  first request for an absent worker vs a C child spawned and answering (the floor)
#   memory     Private_Dirty of 100 idle workers; the supervisor's RSS with 1000 tenants
#   churn      1000 tenants, 1 s idle TTL, 60 s of traffic: no failure, no leak
#   multicore  8 busy tenants on 1 and 2 cores; the supervisor's CPU share
#   e2e        tools/list and tools/call vs the official MCP Python SDK and fastmcp under uvicorn
#
# Usage: scripts/bench/run.sh [--quick] [MEASUREMENT...]   (default: all six)
# --quick runs each for a couple of seconds on small counts and judges no timing: it fails only
# when something is broken (a request failed, a process did not start). scripts/test.sh runs it.
# Installs what it needs (nginx and wrk from Debian, a venv in .build-bench/venv), builds the
# release binary into .build-bench, and prints one table.
set -euo pipefail
cd "$(dirname "$0")/../.."
all=(hop coldstart memory churn multicore e2e)

export BENCH_QUICK=0
selected=()
for arg in "$@"; do
    case $arg in
        --quick) BENCH_QUICK=1 ;;
        hop | coldstart | memory | churn | multicore | e2e) selected+=("$arg") ;;
        *) echo "usage: $0 [--quick] [hop|coldstart|memory|churn|multicore|e2e]..." >&2; exit 2 ;;
    esac
done
[ "${#selected[@]}" -gt 0 ] || selected=("${all[@]}")

# Debian packages for the load generator and the nginx peer (its service is never started: the
# hop measurement runs its own nginx on a free port).
install_tools() {
    command -v wrk >/dev/null && command -v nginx >/dev/null && command -v cc >/dev/null && return 0
    echo "== installing wrk, nginx and a C compiler (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light gcc >/dev/null
}

# The Python peers, pinned so that runs compare like with like.
install_venv() {
    export BENCH_VENV=$PWD/.build-bench/venv
    "$BENCH_VENV/bin/python" -c 'import mcp, fastmcp, uvicorn, uvloop, httptools, httpx' 2>/dev/null && return 0
    echo "== installing the Python peers into $BENCH_VENV"
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install --quiet 'mcp==2.3.0' 'fastmcp==4.2.3' 'uvicorn==0.54.0' 'uvloop==0.23.0' \
        'httptools==0.9.0' 'httpx==0.28.1'
}

build() {
    echo "== swift build -c release --scratch-path .build-bench"
    swift build -c release --scratch-path .build-bench 2>&1 | tail -n 1
    export BENCH_BIN=$PWD/.build-bench/release/oneapp-mcp
}

print_table() {
    echo
    { printf 'figure\tours\tpeer or floor\tratio\ttarget\tmet?\n'; cat "$BENCH_RESULTS"; } |
        column -t -s $'\t' -o ' | '
}

install_tools
[[ " ${selected[*]} " == *" e2e "* ]] && install_venv
build
export BENCH_RESULTS
BENCH_RESULTS=$(mktemp /tmp/oneapp-mcp-bench-results.XXXXXX)
trap 'rm -f "$BENCH_RESULTS"' EXIT

failed=()
for name in "${selected[@]}"; do
    echo "== $name"
    bash "scripts/bench/$name.sh" || failed+=("$name")
done
print_table
if [ "${#failed[@]}" -gt 0 ]; then
    echo "benchmarks that broke: ${failed[*]}"
    exit 1
fi
[ "$BENCH_QUICK" = 1 ] && echo "benchmarks (quick): all ran"
exit 0
