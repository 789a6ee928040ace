-- wrk script for every load in scripts/bench: one MCP POST, and a machine-readable summary line.
--
-- Environment (wrk passes no arguments to done(), so everything comes from here):
--   BENCH_BODY         the JSON-RPC body
--   BENCH_HEADERS      header lines "Name: value", separated by newlines
--   BENCH_CONNECTIONS  the -c value (needed to undo the latency correction below)
--   BENCH_TENANTS      optional N: each request picks X-Client-ID t0001…tN at random

local function parse_headers(text)
  local headers = {}
  for line in (text or ""):gmatch("[^\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  return headers
end

wrk.method = "POST"
wrk.path = "/mcp"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers = parse_headers(os.getenv("BENCH_HEADERS"))

local tenants = tonumber(os.getenv("BENCH_TENANTS") or "")
if tenants then
  -- Defined only when asked: a static request (no request()) is cheaper for wrk. math.random
  -- keeps its fixed default seed, so every run sends the same sequence of tenants.
  function request()
    wrk.headers["X-Client-ID"] = string.format("t%04d", math.random(tenants))
    return wrk.format()
  end
end

-- wrk applies a coordinated-omission correction before done(): for every sample n >= 2e
-- (e = duration / (requests / connections)) it adds synthetic samples at n-e, n-2e, … > e.
-- So corrected[v] = sum over k >= 0 of raw[v + k*e] for v > e, and raw[v] = corrected[v] -
-- corrected[v + e]. One VM pause would otherwise dominate p99; the targets want raw samples.
local function raw_histogram(latency, summary, connections)
  local corrected, raw = {}, {}
  for i = 1, #latency do
    local value, count = latency(i)
    corrected[value] = count
  end
  local per_connection = math.floor(summary.requests / connections)
  local e = per_connection > 0 and math.floor(summary.duration / per_connection) or math.huge
  for value, count in pairs(corrected) do
    raw[value] = value > e and count - (corrected[value + e] or 0) or count
  end
  return raw
end

-- The same rank rule as wrk's stats_percentile.
local function percentile(raw, p)
  local values, total = {}, 0
  for value, count in pairs(raw) do
    if count > 0 then
      values[#values + 1] = value
      total = total + count
    end
  end
  table.sort(values)
  local rank, seen = math.floor(p / 100 * total + 0.5 + 0.5), 0
  for _, value in ipairs(values) do
    seen = seen + raw[value]
    if seen >= rank then return value end
  end
  return 0
end

function done(summary, latency, requests)
  local raw = raw_histogram(latency, summary, tonumber(os.getenv("BENCH_CONNECTIONS")))
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    percentile(raw, 99)))
end
