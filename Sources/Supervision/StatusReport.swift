import Configuration
import JSON
import Posix

/// The per-tenant view that `GET /status` and `oneapp-mcp status` show.
enum StatusReport {
    static func json(pool: WorkerPoolState, configuration: SupervisorConfiguration, supervisorPID: Int32, uptime: Duration, now: ContinuousClock.Instant) -> JSONValue {
        var tenants: [JSONValue] = []
        for id in configuration.clients.keys.sorted() {
            tenants.append(tenant(id, pool: pool, now: now))
        }
        let live = pool.workers.values.filter { $0.phase != .retiring }.count
        return [
            "supervisor": [
                "pid": .int(Int(supervisorPID)), "uptimeSeconds": .int(Int(uptime.components.seconds)),
                "listen": .string(configuration.listen.description), "tenants": .int(configuration.clients.count),
                "liveWorkers": .int(live), "allWorkers": .int(pool.workers.count),
            ],
            "tenants": .array(tenants),
        ]
    }

    private static func tenant(_ id: ClientID, pool: WorkerPoolState, now: ContinuousClock.Instant) -> JSONValue {
        var entry: JSONObject = ["clientId": .string(id.rawValue)]
        guard let tenant = pool.tenants[id] else {
            entry["state"] = "absent"
            return .object(entry)
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
        return .object(entry)
    }
}
