import Configuration
import Posix

/// The supervisor's process table as a pure state machine: events in, actions out.
///
/// Per tenant (README "Design"):
///
///     absent ──admit──▶ starting ──ready──▶ ready ──idle TTL / stop / restart──▶ retiring ──exit──▶ gone
///       ▲                  │ exit / spawn timeout     │ crash (unexpected exit)
///       └──── backoff ◀────┴──────────────────────────┘
///
/// A graceful restart spawns a replacement while the current worker keeps serving; once the
/// replacement is ready it takes new requests and the old one retires. Time is a parameter
/// (`now`), never read here, so every rule is testable without processes.
public struct WorkerPoolState: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public struct Settings: Sendable {
        public var spawnTimeout: Duration = .seconds(10)
        public var queueLimit = 64
        public var restartPolicy = RestartBudget.Policy()
        public var idleTimeout: @Sendable (ClientID) -> Duration = { _ in .seconds(300) }

        public init() {}
    }

    public enum Phase: String, Sendable { case starting, ready, retiring }

    public struct Worker: Sendable, Equatable {
        public let pid: Int32
        public let tenant: ClientID
        public let startedAt: Instant
        public internal(set) var phase: Phase
        public internal(set) var inFlight = 0
        public internal(set) var readyAt: Instant?
    }

    public struct Tenant: Sendable {
        public internal(set) var current: Int32?
        public internal(set) var replacement: Int32?
        var spawning = false
        var spawningReplacement = false
        public internal(set) var queued = 0
        public internal(set) var lastActivity: Instant
        public internal(set) var budget: RestartBudget
        public internal(set) var lastExit: WaitStatus?
        public internal(set) var counters = Counters()
    }

    public struct Counters: Sendable, Equatable {
        public var requests = 0
        public var spawns = 0
        public var crashes = 0
        public var restarts = 0
        public var reaps = 0
    }

    public enum Admission: Equatable, Sendable {
        case route(Int32)
        case queue
        case reject(Rejection)
    }

    public enum Action: Equatable, Sendable {
        /// Start a worker for the tenant, then report `workerSpawned` or `spawnFailed`.
        case spawn(ClientID)
        /// Send every queued request of the tenant to this (now ready) worker.
        case dispatchQueued(ClientID, to: Int32)
        /// Answer every queued request of the tenant with this rejection.
        case failQueued(ClientID, Rejection)
        /// Stop routing to the worker, close its idle connections, and ask it to stop (SIGTERM).
        case retire(Int32)
        /// The worker overran a deadline: SIGKILL.
        case kill(Int32)
    }

    public var settings: Settings
    public private(set) var tenants: [ClientID: Tenant] = [:]
    public private(set) var workers: [Int32: Worker] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    // MARK: Requests

    /// A request for `id` arrived: route it, queue it until a worker is ready, or refuse it.
    public mutating func admit(_ id: ClientID, now: Instant) -> (Admission, [Action]) {
        var tenant = tenants[id] ?? Tenant(lastActivity: now, budget: RestartBudget(policy: settings.restartPolicy))
        defer { tenants[id] = tenant }
        tenant.lastActivity = now
        if let pid = tenant.current, workers[pid]?.phase == .ready {
            workers[pid]!.inFlight += 1
            tenant.counters.requests += 1
            return (.route(pid), [])
        }
        if let seconds = tenant.budget.retryAfter(now: now), tenant.current == nil, !tenant.spawning {
            return (.reject(Rejection(
                status: 503, code: "TENANT_UNAVAILABLE",
                message: "Tenant \(id) is restarting after repeated worker crashes (last: \(tenant.lastExit?.description ?? "unknown")); retry in \(seconds) s",
                retryAfter: seconds)), [])
        }
        guard tenant.queued < settings.queueLimit else {
            return (.reject(Rejection(status: 503, code: "OVERLOADED", message: "Too many requests waiting for tenant \(id)'s worker to start", retryAfter: 1)), [])
        }
        tenant.queued += 1
        tenant.counters.requests += 1
        guard tenant.current == nil, !tenant.spawning else { return (.queue, []) }
        tenant.spawning = true
        return (.queue, [.spawn(id)])
    }

    /// A routed request has been answered (or failed).
    public mutating func requestFinished(pid: Int32, now: Instant) {
        guard var worker = workers[pid] else { return }
        worker.inFlight = max(0, worker.inFlight - 1)
        workers[pid] = worker
        tenants[worker.tenant]?.lastActivity = now
    }

    // MARK: Worker lifecycle

    public mutating func workerSpawned(_ id: ClientID, pid: Int32, now: Instant) {
        guard var tenant = tenants[id] else { return }
        workers[pid] = Worker(pid: pid, tenant: id, startedAt: now, phase: .starting)
        tenant.counters.spawns += 1
        if tenant.spawningReplacement {
            tenant.spawningReplacement = false
            tenant.replacement = pid
        } else {
            tenant.spawning = false
            tenant.current = pid
        }
        tenants[id] = tenant
    }

    public mutating func spawnFailed(_ id: ClientID, reason: String) -> [Action] {
        guard var tenant = tenants[id] else { return [] }
        defer { tenants[id] = tenant }
        if tenant.spawningReplacement {
            tenant.spawningReplacement = false
            return []
        }
        tenant.spawning = false
        tenant.queued = 0
        return [.failQueued(id, Rejection(status: 503, code: "TENANT_UNAVAILABLE", message: "Cannot start a worker for \(id): \(reason)", retryAfter: 1))]
    }

    /// The worker reported that it listens.
    public mutating func workerReady(pid: Int32, now: Instant) -> [Action] {
        guard var worker = workers[pid], worker.phase == .starting, var tenant = tenants[worker.tenant] else { return [] }
        worker.phase = .ready
        worker.readyAt = now
        var actions: [Action] = []
        if tenant.replacement == pid, let old = tenant.current {
            tenant.replacement = nil
            tenant.current = pid
            workers[old]?.phase = .retiring
            actions.append(.retire(old))
        }
        if tenant.current == pid, tenant.queued > 0 {
            worker.inFlight += tenant.queued
            tenant.queued = 0
            actions.append(.dispatchQueued(worker.tenant, to: pid))
        }
        workers[pid] = worker
        tenants[worker.tenant] = tenant
        return actions
    }

    /// Graceful restart of a tenant (operator's `restart`, a worker's SIGHUP, a changed config
    /// entry): a replacement starts while the current worker keeps serving. Clears any backoff.
    public mutating func restart(_ id: ClientID) -> [Action] {
        guard var tenant = tenants[id] else { return [] }
        defer { tenants[id] = tenant }
        tenant.budget.reset()
        guard let pid = tenant.current, workers[pid]?.phase == .ready, tenant.replacement == nil, !tenant.spawningReplacement else {
            return []  // nothing running (the next request starts fresh) or already starting fresh
        }
        tenant.spawningReplacement = true
        tenant.counters.restarts += 1
        return [.spawn(id)]
    }

    /// The worker announced it is stopping (someone sent it SIGTERM): route nothing more to it.
    public mutating func workerStopping(pid: Int32) -> [Action] {
        guard var worker = workers[pid], worker.phase != .retiring else { return [] }
        worker.phase = .retiring
        workers[pid] = worker
        if tenants[worker.tenant]?.current == pid { tenants[worker.tenant]?.current = nil }
        if tenants[worker.tenant]?.replacement == pid { tenants[worker.tenant]?.replacement = nil }
        return [.retire(pid)]
    }

    /// The worker cannot be reached (its lifeline or socket is closed) though its exit has not
    /// been reaped yet: route nothing more to it. Its exit still counts as a crash.
    /// (A starting worker is left to `workerExited`, which answers the requests queued for it.)
    public mutating func workerUnreachable(pid: Int32) {
        guard let worker = workers[pid], worker.phase == .ready, var tenant = tenants[worker.tenant] else { return }
        if tenant.current == pid { tenant.current = nil }
        if tenant.replacement == pid { tenant.replacement = nil }
        tenants[worker.tenant] = tenant
    }

    /// A child exited. Unexpected exits count against the tenant's restart budget.
    public mutating func workerExited(pid: Int32, status: WaitStatus, now: Instant) -> [Action] {
        guard let worker = workers.removeValue(forKey: pid), var tenant = tenants[worker.tenant] else { return [] }
        defer { tenants[worker.tenant] = tenant }
        tenant.lastExit = status
        guard worker.phase != .retiring else { return [] }
        tenant.counters.crashes += 1
        tenant.budget.recordCrash(startedAt: worker.readyAt ?? worker.startedAt, now: now)
        if tenant.replacement == pid {
            tenant.replacement = nil
            return []
        }
        guard tenant.current == pid else { return [] }
        tenant.current = nil
        guard worker.phase == .starting, tenant.queued > 0 else { return [] }
        tenant.queued = 0
        return [.failQueued(worker.tenant, Rejection(
            status: 503, code: "TENANT_UNAVAILABLE", message: "The worker for \(worker.tenant) failed to start (\(status))", retryAfter: 1))]
    }

    // MARK: Time and shutdown

    /// Spawn deadlines and idle reaping; call about once a second.
    public mutating func tick(now: Instant) -> [Action] {
        var actions: [Action] = []
        for (pid, worker) in workers {
            if worker.phase == .starting, now - worker.startedAt > settings.spawnTimeout { actions.append(.kill(pid)) }
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
        }
        for (pid, worker) in workers.sorted(by: { $0.key < $1.key }) where worker.phase != .retiring {
            workers[pid]!.phase = .retiring
            actions.append(.retire(pid))
        }
        return actions
    }
}
