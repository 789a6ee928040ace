import Configuration

/// Renders the supervisor's state in the Prometheus text exposition format (version 0.0.4).
struct MetricsExposition {
    private var out = ""

    static func render(pool: WorkerPoolState, metrics: RequestMetrics, tenants: [ClientID], openConnections: Int, now: MonotonicInstant) -> String {
        var page = MetricsExposition()
        page.family("oneapp_mcp_requests_total", "counter", "Requests answered, by tenant and status class.")
        for id in tenants {
            let classes = metrics.tenants[id]?.byClass ?? [Int](repeating: 0, count: 6)
            for c in 1...5 { page.sample("oneapp_mcp_requests_total", [("client_id", id.rawValue), ("class", "\(c)xx")], classes[c]) }
        }
        page.family("oneapp_mcp_rejected_requests_total", "counter", "Requests refused before a tenant was known, by error code.")
        for (code, count) in metrics.rejected.sorted(by: { $0.key < $1.key }) { page.sample("oneapp_mcp_rejected_requests_total", [("code", code)], count) }
        page.histogram(metrics, tenants)
        page.gauges(pool, tenants, now: now)
        page.counters(pool, metrics, tenants)
        page.family("oneapp_mcp_live_workers", "gauge", "Worker processes that take requests.")
        page.sample("oneapp_mcp_live_workers", [], pool.workers.values.filter { $0.phase != .retiring }.count)
        page.family("oneapp_mcp_worker_processes", "gauge", "All worker processes, retiring ones included.")
        page.sample("oneapp_mcp_worker_processes", [], pool.workers.count)
        page.family("oneapp_mcp_open_connections", "gauge", "Open client connections on the public listener.")
        page.sample("oneapp_mcp_open_connections", [], openConnections)
        return page.out
    }

    private mutating func histogram(_ metrics: RequestMetrics, _ tenants: [ClientID]) {
        let name = "oneapp_mcp_request_duration_seconds"
        family(name, "histogram", "Time from a request head to the end of its answer, by tenant.")
        for id in tenants {
            let entry = metrics.tenants[id] ?? RequestMetrics.Tenant()
            // Prometheus buckets are cumulative: each counts every request up to its bound.
            var cumulative = 0
            for (i, bound) in RequestMetrics.bucketBounds.enumerated() {
                cumulative += entry.buckets[i]
                sample(name + "_bucket", [("client_id", id.rawValue), ("le", Self.number(bound))], cumulative)
            }
            cumulative += entry.buckets.last ?? 0
            sample(name + "_bucket", [("client_id", id.rawValue), ("le", "+Inf")], cumulative)
            line(name + "_sum", [("client_id", id.rawValue)], Self.number(entry.durationSum))
            sample(name + "_count", [("client_id", id.rawValue)], cumulative)
        }
    }

    private mutating func gauges(_ pool: WorkerPoolState, _ tenants: [ClientID], now: MonotonicInstant) {
        let inFlight = "oneapp_mcp_requests_in_flight", queued = "oneapp_mcp_queue_depth", backoff = "oneapp_mcp_tenant_backoff"
        family(inFlight, "gauge", "Requests being answered by the tenant's workers.")
        for id in tenants { sample(inFlight, [("client_id", id.rawValue)], pool.workers.values.filter { $0.tenant == id }.reduce(0) { $0 + $1.inFlight }) }
        family(queued, "gauge", "Requests waiting for the tenant's worker to start.")
        for id in tenants { sample(queued, [("client_id", id.rawValue)], pool.tenants[id]?.queued ?? 0) }
        family(backoff, "gauge", "1 while the tenant is in crash backoff.")
        for id in tenants { sample(backoff, [("client_id", id.rawValue)], pool.tenants[id]?.budget.retryAfter(now: now) == nil ? 0 : 1) }
    }

    private mutating func counters(_ pool: WorkerPoolState, _ metrics: RequestMetrics, _ tenants: [ClientID]) {
        let simple: [(String, String, KeyPath<WorkerPoolState.Counters, Int>)] = [
            ("oneapp_mcp_worker_spawns_total", "Workers started.", \.spawns),
            ("oneapp_mcp_worker_restarts_total", "Graceful restarts (SIGHUP, oneapp-mcp restart, reload).", \.restarts),
            ("oneapp_mcp_worker_reaps_total", "Workers stopped after their idle TTL.", \.reaps),
        ]
        for (name, help, path) in simple {
            family(name, "counter", help)
            for id in tenants { sample(name, [("client_id", id.rawValue)], pool.tenants[id]?.counters[keyPath: path] ?? 0) }
        }
        let crashes = "oneapp_mcp_worker_crashes_total"
        family(crashes, "counter", "Unexpected worker exits, by exit code or signal.")
        for id in tenants {
            for (reason, count) in (metrics.tenants[id]?.crashesByReason ?? [:]).sorted(by: { $0.key < $1.key }) {
                sample(crashes, [("client_id", id.rawValue), ("reason", reason)], count)
            }
        }
    }

    // MARK: Text format

    private mutating func family(_ name: String, _ type: String, _ help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Int) {
        line(name, labels, String(value))
    }

    private mutating func line(_ name: String, _ labels: [(String, String)], _ value: String) {
        out += name
        if !labels.isEmpty {
            // Label values here are client IDs, codes and reasons: [a-z0-9_A-Z+.] only, nothing to escape.
            out += "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
        }
        out += " \(value)\n"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
