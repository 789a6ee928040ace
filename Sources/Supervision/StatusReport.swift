import Configuration
import JSON
import Posix

/// The per-tenant view that `GET /status` and `oneapp-mcp status` show.
enum StatusReport {
    static func json(
        pool: WorkerPoolState, configuration: SupervisorConfiguration, recentStderr: [ClientID: [String]], supervisorPID: Int32,
        preloaderPID: Int32?, uptime: Duration, now: MonotonicInstant
    ) -> JSONValue {
        var tenants: [JSONValue] = []
        for id in configuration.clients.keys.sorted() {
            var entry = tenant(id, pool: pool, now: now)
            entry["stderr"] = .array((recentStderr[id] ?? []).map { .string($0) })
            tenants.append(.object(entry))
        }
        let live = pool.workers.values.filter { $0.phase != .retiring }.count
        return [
            "supervisor": [
                "pid": .int(Int(supervisorPID)), "uptimeSeconds": .int(Int(uptime.components.seconds)),
                "listen": .string(configuration.listen.description), "tenants": .int(configuration.clients.count),
                "liveWorkers": .int(live), "allWorkers": .int(pool.workers.count),
                "residentBytes": ProcessStats.residentBytes(supervisorPID).map { .int($0) } ?? .null,
                "preloaderPid": preloaderPID.map { .int(Int($0)) } ?? .null,
            ],
            "tenants": .array(tenants),
        ]
    }

    private static func tenant(_ id: ClientID, pool: WorkerPoolState, now: MonotonicInstant) -> JSONObject {
        var entry: JSONObject = ["clientId": .string(id.rawValue)]
        guard let tenant = pool.tenants[id] else {
            entry["state"] = "absent"
            return entry
        }
        let worker = tenant.current.flatMap { pool.workers[$0] }
        let retryAfter = tenant.budget.retryAfter(now: now)
        let state: String
        if let worker { state = worker.phase == .starting ? "starting" : "ready" } else if retryAfter != nil { state = "backoff" } else if pool.workers.values.contains(where: { $0.tenant == id }) {
            state = "draining"
        } else {
            state = "absent"
        }
        entry["state"] = .string(state)
        entry["pid"] = worker.map { .int(Int($0.pid)) } ?? .null
        entry["uptimeSeconds"] = worker.map { .int(Int((now - ($0.readyAt ?? $0.startedAt)).components.seconds)) } ?? .null
        entry["idleSeconds"] = .int(Int((now - tenant.lastActivity).components.seconds))
        entry["inFlight"] = .int(worker?.inFlight ?? 0)
        entry["queued"] = .int(tenant.queued)
        entry["requests"] = .int(tenant.counters.requests)
        entry["spawns"] = .int(tenant.counters.spawns)
        entry["restarts"] = .int(tenant.counters.restarts)
        entry["crashes"] = .int(tenant.counters.crashes)
        entry["reaps"] = .int(tenant.counters.reaps)
        entry["lastExit"] = tenant.lastExit.map { .string($0.description) } ?? .null
        entry["retryAfterSeconds"] = retryAfter.map { .int($0) } ?? .null
        entry["residentBytes"] = worker.flatMap { ProcessStats.residentBytes($0.pid) }.map { .int($0) } ?? .null
        return entry
    }
}
