import Configuration
import Posix

/// How workers leave: stopping, crashing, getting stuck, idling, and the supervisor's shutdown.
extension WorkerPoolState {
    /// The worker announced it is stopping (someone sent it SIGTERM): route nothing more to it.
    public mutating func workerStopping(pid: Int32) -> [Action] {
        guard let worker = workers[pid], worker.phase != .retiring else { return [] }
        workers[pid]!.phase = .retiring
        return [.retire(pid)] + forget(pid, of: worker.tenant)
    }

    /// The worker cannot be reached (its lifeline or socket is closed) though its exit has not
    /// been reaped yet: route nothing more to it. Its exit still counts as a crash.
    /// (A starting worker is left to `workerExited`, which answers the requests queued for it.)
    public mutating func workerUnreachable(pid: Int32) -> [Action] {
        guard let worker = workers[pid], worker.phase == .ready else { return [] }
        return forget(pid, of: worker.tenant)
    }

    /// A request to this worker overran its deadline: stop the worker (SIGTERM now, SIGKILL
    /// after `stuckGrace`); the tenant's next request gets a fresh one.
    public mutating func workerStuck(pid: Int32, now: Instant) -> [Action] {
        guard let worker = workers[pid], worker.phase != .retiring else { return [] }
        workers[pid]!.phase = .retiring
        workers[pid]!.killDeadline = now + settings.stuckGrace
        return [.retire(pid)] + forget(pid, of: worker.tenant)
    }

    /// Stops routing to `pid`; requests queued behind it get a new worker.
    private mutating func forget(_ pid: Int32, of id: ClientID) -> [Action] {
        guard var tenant = tenants[id] else { return [] }
        defer { tenants[id] = tenant }
        if tenant.replacement == pid { tenant.replacement = nil }
        guard tenant.current == pid else { return [] }
        tenant.current = nil
        guard tenant.queued > 0, !tenant.spawning else { return [] }
        tenant.spawning = true
        return [.spawn(id)]
    }

    /// A child exited. Unexpected exits count against the tenant's restart budget.
    public mutating func workerExited(pid: Int32, status: WaitStatus, now: Instant) -> [Action] {
        guard let worker = workers.removeValue(forKey: pid), var tenant = tenants[worker.tenant] else { return [] }
        tenant.lastExit = status
        guard worker.phase != .retiring else {
            tenants[worker.tenant] = tenant
            return []
        }
        tenant.counters.crashes += 1
        tenant.budget.recordCrash(startedAt: worker.readyAt ?? worker.startedAt, now: now)
        if tenant.replacement == pid { tenant.replacement = nil }
        let wasCurrent = tenant.current == pid
        if wasCurrent { tenant.current = nil }
        tenants[worker.tenant] = tenant
        guard wasCurrent, tenant.queued > 0 else { return [] }
        // Requests are waiting for this tenant: a worker that never started fails them (its
        // reason is in the answer); after a crash of a ready one, a fresh worker takes them.
        if worker.phase == .starting || tenant.budget.retryAfter(now: now) != nil {
            tenants[worker.tenant]!.queued = 0
            return [.failQueued(worker.tenant, Rejection(
                status: 503, code: "TENANT_UNAVAILABLE",
                message: "The worker for \(worker.tenant) \(worker.phase == .starting ? "failed to start" : "crashed") (\(status))", retryAfter: 1))]
        }
        tenants[worker.tenant]!.spawning = true
        return [.spawn(worker.tenant)]
    }

    // MARK: Time and shutdown

    /// Spawn deadlines, idle reaping and kill deadlines of retiring workers; call about once a second.
    public mutating func tick(now: Instant) -> [Action] {
        var actions: [Action] = []
        for (pid, worker) in workers {
            switch worker.phase {
            case .starting where now - worker.startedAt > settings.spawnTimeout:
                actions.append(.kill(pid))
            case .retiring where worker.killDeadline == nil:
                workers[pid]!.killDeadline = now + settings.retireGrace
            case .retiring where !worker.killSent && now >= worker.killDeadline!:
                workers[pid]!.killSent = true
                actions.append(.kill(pid))
            default:
                break
            }
        }
        for (id, tenant) in tenants {
            guard let pid = tenant.current, let worker = workers[pid], worker.phase == .ready, worker.inFlight == 0,
                tenant.queued == 0, tenant.replacement == nil, now - tenant.lastActivity >= settings.idleTimeout(id)
            else { continue }
            workers[pid]!.phase = .retiring
            tenants[id]!.current = nil
            tenants[id]!.counters.reaps += 1
            actions.append(.retire(pid))
        }
        return actions
    }

    /// A tenant left the configuration: retire its workers and forget it once they are gone.
    public mutating func remove(_ id: ClientID) -> [Action] {
        guard let tenant = tenants.removeValue(forKey: id) else { return [] }
        var actions: [Action] = []
        if tenant.queued > 0 { actions.append(.failQueued(id, Rejection(status: 403, code: "UNKNOWN_CLIENT", message: "Unknown client ID: \(id)"))) }
        for pid in [tenant.current, tenant.replacement].compactMap({ $0 }) where workers[pid] != nil {
            workers[pid]!.phase = .retiring
            actions.append(.retire(pid))
        }
        return actions
    }

    /// Supervisor shutdown: retire every worker.
    public mutating func retireAll() -> [Action] {
        var actions: [Action] = []
        for id in tenants.keys.sorted() {
            if tenants[id]!.queued > 0 {
                tenants[id]!.queued = 0
                actions.append(.failQueued(id, Rejection(status: 503, code: "TENANT_UNAVAILABLE", message: "The server is shutting down", retryAfter: 1)))
            }
            tenants[id]!.current = nil
            tenants[id]!.replacement = nil
            tenants[id]!.spawning = false
        }
        for (pid, worker) in workers.sorted(by: { $0.key < $1.key }) where worker.phase != .retiring {
            workers[pid]!.phase = .retiring
            actions.append(.retire(pid))
        }
        return actions
    }
}
