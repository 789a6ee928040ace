# shellcheck shell=bash
# Shared helpers of scripts/bench, sourced by every measurement script.
# shellcheck disable=SC2034  # the globals set here ($supervisor, $rps, …) are read by those scripts
# A measurement script gets from run.sh: BENCH_BIN (the release binary), BENCH_VENV (the Python
# peers' venv), BENCH_RESULTS (the table's rows, one TSV line each) and BENCH_QUICK (1 = smoke
# run: short, small, and no verdict on timings).

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quick=${BENCH_QUICK:-0}

# Everything a measurement writes lives here and goes away with it.
work=$(mktemp -d /tmp/oneapp-mcp-bench.XXXXXX)
pids=()

# stop PID...: ends processes started by spawn (TERM, then KILL to any still there 10 s later) and
# forgets them. Workers die with their supervisor (PR_SET_PDEATHSIG), nginx and uvicorn workers
# with their master.
stop() {
    local pid p deadline=$((SECONDS + 10)) kept=()
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do [[ " $* " == *" $p "* ]] || kept+=("$p"); done
    pids=("${kept[@]}")
}

# On any exit, failure included: every process this script started, and the temp dir.
stop_all() {
    stop "${pids[@]}"
    rm -rf "$work"
}
trap stop_all EXIT

fail() { echo "FAILED: $*" >&2; exit 1; }

# pick QUICK FULL: the value for this mode.
pick() { if [ "$quick" = 1 ]; then echo "$1"; else echo "$2"; fi; }

# spawn NAME CMD...: runs CMD in the background (output in $work/NAME.out/.err), sets $spawned.
# Not to be called in $(…): the subshell would lose the pid that stop_all must end.
spawn() {
    local name=$1; shift
    "$@" </dev/null >"$work/$name.out" 2>"$work/$name.err" &
    spawned=$!
    pids+=("$spawned")
}

# await_line NAME PATTERN: waits (10 s at most) until NAME's stdout has a line matching PATTERN.
await_line() {
    local name=$1 pattern=$2
    for _ in $(seq 1 200); do
        grep -q "$pattern" "$work/$name.out" && return 0
        kill -0 "$spawned" 2>/dev/null || break
        sleep 0.05
    done
    cat "$work/$name.err" >&2
    fail "$name did not start"
}

# A free loopback port for servers that cannot report the one they bound (nginx, uvicorn).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- the product

sandbox_auth="Bearer sandbox-acme-7f3a9c2e51b4d8a6"

# start_sandbox: the demo OneApp API on a free port; sets $sandbox (HOST:PORT).
start_sandbox() {
    spawn sandbox "$BENCH_BIN" sandbox --listen 127.0.0.1:0
    await_line sandbox 'listening on'
    sandbox=$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$work/sandbox.out")
}

# tenant_ids N: acme when N is 1, else t0001 … tN (all answered by the sandbox as acme).
tenant_ids() {
    if [ "$1" = 1 ]; then echo acme; else seq -f 't%04g' 1 "$1"; fi
}

# write_config FILE.json TENANTS IDLE_TTL [SETTINGS]: a supervisor configuration on free ports, its
# run directory FILE-run (so that two supervisors can run side by side); SETTINGS are more
# top-level members ("key": value, …).
write_config() {
    local file=$1 tenants=$2 ttl=$3 settings=${4:-} id sep=""
    {
        printf '{"listen": "127.0.0.1:0", "adminListen": "127.0.0.1:0", "runDirectory": "%s",\n' "${file%.json}-run"
        if [ -n "$settings" ]; then printf ' %s,\n' "$settings"; fi
        printf ' "idleTimeoutSeconds": %s, "clients": {\n' "$ttl"
        for id in $(tenant_ids "$tenants"); do
            printf '%s  "%s": {"authorization": "%s", "coreBaseUrl": "http://%s", "clientBaseUrl": "http://%s", "clientHeader": "acme", "httpTimeoutMs": 10000}' \
                "$sep" "$id" "$sandbox_auth" "$sandbox" "$sandbox"
            sep=$',\n'
        done
        printf '\n}}\n'
    } >"$file"
}

# start_supervisor CONFIG.json [PREFIX...]: serve CONFIG (PREFIX e.g. `taskset -c 0`); sets
# $supervisor (HOST:PORT), $admin, $supervisor_pid and $run (its run directory).
start_supervisor() {
    local config=$1 name; shift
    name=$(basename "$config" .json)
    spawn "$name" "$@" "$BENCH_BIN" serve --config "$config"
    supervisor_pid=$spawned
    await_line "$name" 'supervisor listening on'
    supervisor=$(sed -n 's/.*listening on \([^ ]*\) admin.*/\1/p' "$work/$name.out")
    admin=$(sed -n 's/.* admin \([^ ]*\).*/\1/p' "$work/$name.out")
    run=${config%.json}-run
}

# worker_pid TENANT: the pid of the tenant's current worker (its pid file appears when it is ready).
worker_pid() { cat "$run/workers/$1.pid"; }

# live_workers: how many worker processes the supervisor has.
live_workers() { curl -sf "http://$admin/status" | jq '.supervisor.allWorkers'; }

# ---- MCP requests (2026-07-28, stateless)

meta='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
list_body="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{$meta}}"
# The Accept header every MCP client sends (the Python SDK answers 406 without it).
list_headers=$'Content-Type: application/json\nAccept: application/json, text/event-stream\nMCP-Protocol-Version: 2026-07-28\nMcp-Method: tools/list'

# call_body TOOL ARGUMENTS and call_headers TOOL: a tools/call.
call_body() { echo "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"$1\",\"arguments\":$2,$meta}}"; }
call_headers() { printf 'Content-Type: application/json\nAccept: application/json, text/event-stream\nMCP-Protocol-Version: 2026-07-28\nMcp-Method: tools/call\nMcp-Name: %s' "$1"; }

# post URL HEADERS BODY: one request with curl; prints the body, fails unless the status is 200.
post() {
    local url=$1 headers=$2 body=$3 args=() line
    while IFS= read -r line; do args+=(-H "$line"); done <<<"$headers"
    curl -sf --max-time 20 "${args[@]}" --data-binary "$body" "$url"
}

# ---- load (wrk with scripts/bench/wrk.lua)

# load URL CONNECTIONS SECONDS HEADERS BODY [TENANTS]: sets $requests, $rps and $p99_us (of the
# raw samples, see wrk.lua); fails on any failed request (socket error, timeout, status >= 400).
load() {
    local url=$1 connections=$2 seconds=$3 headers=$4 body=$5 tenants=${6:-} summary duration_us errors
    BENCH_CONNECTIONS=$connections BENCH_HEADERS=$headers BENCH_BODY=$body BENCH_TENANTS=$tenants \
        wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$bench_dir/wrk.lua" "$url" >"$work/wrk.out" 2>&1 ||
        { cat "$work/wrk.out" >&2; fail "wrk against $url"; }
    # The line is "BENCH requests=N duration_us=N errors=N p99_us=N": keep the values, in order.
    summary=$(grep '^BENCH ' "$work/wrk.out" | sed 's/^BENCH //; s/[a-z0-9_]*=//g') || { cat "$work/wrk.out" >&2; fail "wrk printed no summary"; }
    read -r requests duration_us errors p99_us <<<"$summary"
    if [ "$errors" != 0 ] || [ "$requests" = 0 ]; then
        cat "$work/wrk.out" >&2
        fail "$errors of $requests requests to $url failed"
    fi
    rps=$(awk -v n="$requests" -v us="$duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
}

# ---- process accounting

# cpu_ns PID...: CPU time (ns) of the processes and all their threads, from schedstat (exact,
# unlike the 10 ms ticks of /proc/PID/stat).
cpu_ns() {
    local pid total=0 t
    for pid in "$@"; do
        for t in /proc/"$pid"/task/*/schedstat; do
            total=$((total + $(cut -d' ' -f1 "$t" 2>/dev/null || echo 0)))
        done
    done
    echo "$total"
}

# kernel_ticks: time the whole machine spent in the kernel (system, irq and softirq, every
# process and CPU), in clock ticks (getconf CLK_TCK) since boot.
kernel_ticks() { awk '$1 == "cpu" { print $4 + $7 + $8; exit }' /proc/stat; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$1/status"; }
fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }
private_dirty_kib() { awk '/^Private_Dirty:/ { print $2 }' "/proc/$1/smaps_rollup"; }

# ---- statistics and the table

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# percentile P < numbers: nearest rank.
percentile() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; print v[r] }'; }

# calc EXPR: floating-point arithmetic, 2 decimals.
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# record FIGURE OURS PEER RATIO TARGET VERDICT: one row of the final table. VERDICT is an awk
# condition on the ratio or the figure (e.g. "r >= 1"); quick runs judge no timing.
record() {
    local figure=$1 ours=$2 peer=$3 ratio=$4 target=$5 verdict=$6 met
    if [ "$quick" = 1 ]; then
        met="(quick)"
    elif [ -z "$verdict" ]; then
        met="-"
    else
        met=$(awk -v r="$ratio" -v x="${ours%% *}" "BEGIN { print ($verdict) ? \"yes\" : \"NO\" }")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$figure" "$ours" "$peer" "$ratio" "$target" "$met" >>"$BENCH_RESULTS"
    printf '  %s: %s vs %s (ratio %s, target %s): %s\n' "$figure" "$ours" "$peer" "$ratio" "$target" "$met"
}
