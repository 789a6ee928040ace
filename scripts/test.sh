#!/usr/bin/env bash
# The test command (README "Tests"; .ci/run calls exactly this):
#   1. build the binary and run every Swift test (unit + black-box tests of the real binary);
#   2. end-to-end with clients nobody here wrote: the official MCP Python SDK (modern and legacy
#      modes) and the jbt-mcpcheck conformance checker, against a worker and the sandbox;
#   3. a short libFuzzer run of each fuzz target (scripts/fuzz.sh; it fails on any crash).
# It installs what it needs (a Python venv under .build-e2e/) and cleans up every process it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== build"
swift build 2>&1 | tail -n 3
bin="$(swift build --show-bin-path)/oneapp-mcp"
export ONEAPP_MCP_BIN="$bin"

# Tests record the pid of every process they start here; whatever a crashed test left behind
# is ended below, by pid, and only if it is still our binary.
export ONEAPP_TEST_PIDDIR
ONEAPP_TEST_PIDDIR="$(mktemp -d /tmp/oneapp-mcp-tests.XXXXXX)"
mkdir -p "$ONEAPP_TEST_PIDDIR/pids"
cleanup() {
    for f in "$ONEAPP_TEST_PIDDIR"/pids/*; do
        [ -e "$f" ] || continue
        pid=$(basename "$f")
        if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$bin")" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$ONEAPP_TEST_PIDDIR"
}
trap cleanup EXIT

echo "== swift test"
log="$ONEAPP_TEST_PIDDIR/swift-test.log"
set +e
swift test --disable-xctest >"$log" 2>&1
status=$?
set -e
# Show what matters: build errors, failed expectations and the suite summaries.
grep -E 'error:|✘|recorded an issue|Suite .* (passed|failed)|Test run with' "$log" || true
summary=$(grep -E 'Test run with [0-9]+ tests' "$log" | tail -n 1 || true)
if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "swift test failed (exit $status)"
    exit "$status"
fi

echo "== end-to-end (official MCP Python SDK, jbt-mcpcheck)"
scripts/e2e/run.sh
scripts/bench/run.sh --quick

scripts/fuzz.sh 10
scripts/deploy/multihost-demo.sh

echo
echo "$summary"
echo "end-to-end: all checks passed"
