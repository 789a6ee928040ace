#!/usr/bin/env bash
# Builds the libFuzzer targets of scripts/fuzz (a package of its own, see its Package.swift) and
# runs each for a bounded time:
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]      SECONDS per target (default 60); all targets by default
#
# Corpora grow under .build-fuzz/corpus/<target>/, seeded from scripts/fuzz/corpus/<target>/.
# A crash, hang or broken property stops the run with exit 1 and the path of the saved input;
# replay it with `.build-fuzz/fuzz/release/<target> <input>` and turn it into a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzHTTPRequest FuzzHTTPResponse FuzzMCP)
out=.build-fuzz
mkdir -p "$out/logs" "$out/artifacts"
echo "== fuzz (libFuzzer, ${seconds} s per target)"

build=(swift build -c release --package-path scripts/fuzz --scratch-path "$out/fuzz"
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
for target in "${targets[@]}"; do
    if ! "${build[@]}" --product "$target" >"$out/logs/build-$target.log" 2>&1; then
        grep -E 'error' "$out/logs/build-$target.log" || tail -n 30 "$out/logs/build-$target.log"
        echo "fuzz: building $target failed"
        exit 1
    fi
done

for target in "${targets[@]}"; do
    corpus="$out/corpus/$target"
    log="$out/logs/$target.log"
    mkdir -p "$corpus"
    options=(-max_total_time="$seconds" -timeout=10 -max_len=4096 -print_final_stats=1
        -artifact_prefix="$out/artifacts/$target-")
    case "$target" in
        FuzzHTTP*) options+=(-dict=scripts/fuzz/http.dict) ;;
        # Tool calls finish on another thread, whose frees land after the input returns: every
        # input would look like a leak and trigger a full leak scan (3x slower); off for this one.
        FuzzMCP) options+=(-dict=scripts/fuzz/mcp.dict -detect_leaks=0) ;;
    esac
    set +e
    # The Swift runtime's backtracer would race libFuzzer's own crash handler (and trip ASan).
    SWIFT_BACKTRACE=enable=no "$out/fuzz/release/$target" "${options[@]}" "$corpus" "scripts/fuzz/corpus/$target" >"$log" 2>&1
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
        grep -E -A 8 'Fatal error|==ERROR|SUMMARY: ' "$log" | head -n 40 || tail -n 40 "$log"
        input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        echo "FUZZ FAILURE: $target (exit $status); crashing input: ${input:-see $log}"
        echo "replay: $out/fuzz/release/$target ${input:-<input>}"
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz: $target: ${runs:-?} inputs in ${seconds}s, corpus $(ls "$corpus" | wc -l) files, no crash"
done
