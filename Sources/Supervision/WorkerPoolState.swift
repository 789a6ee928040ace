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
    public typealias Instant = MonotonicInstant

    public struct Settings: Sendable {
        public var spawnTimeout: Duration = .seconds(10)
        /// Requests that may wait per tenant: for its worker to start, or for room under `maxInFlight`.
        public var queueLimit = 64
        /// Requests one tenant's worker may have in flight at once.
        public var maxInFlight = 32
        /// Workers alive at once; beyond it the least recently used idle one is stopped.
        public var maxWorkers = 512
        /// A retiring worker still alive this long after it was asked to stop is killed.
        public var retireGrace: Duration = .seconds(65)
        /// A worker recycled for a stuck request gets this long to exit before SIGKILL.
        public var stuckGrace: Duration = .seconds(5)
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
        /// When a retiring worker is killed if it has not exited by then.
        var killDeadline: Instant?
        var killSent = false
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
        /// Send the first `count` queued requests of the tenant to this worker.
        case dispatchQueued(ClientID, to: Int32, count: Int)
        /// Answer every queued request of the tenant with this rejection.
        case failQueued(ClientID, Rejection)
        /// Stop routing to the worker, close its idle connections, and ask it to stop (SIGTERM).
        case retire(Int32)
        /// The worker overran a deadline: SIGKILL.
        case kill(Int32)
    }

    public var settings: Settings
    public internal(set) var tenants: [ClientID: Tenant] = [:]
    public internal(set) var workers: [Int32: Worker] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    // MARK: Requests

    /// A request for `id` arrived: route it, queue it (its worker is starting, or has
    /// `maxInFlight` requests already), or refuse it.
    public mutating func admit(_ id: ClientID, now: Instant) -> (Admission, [Action]) {
        if let admission = admitToReadyWorker(id, now: now) { return (admission, []) }
        // No ready worker: the tenant's worker is starting, or is to be started.
        var tenant = tenants[id] ?? Tenant(lastActivity: now, budget: RestartBudget(policy: settings.restartPolicy))
        tenant.lastActivity = now
        if let seconds = tenant.budget.retryAfter(now: now), tenant.current == nil, !tenant.spawning {
            tenants[id] = tenant
            return (.reject(Rejection(
                status: 503, code: "TENANT_UNAVAILABLE",
                message: "Tenant \(id) is restarting after repeated worker crashes (last: \(tenant.lastExit?.description ?? "unknown")); retry in \(seconds) s",
                retryAfter: seconds)), [])
        }
        var actions: [Action] = []
        if tenant.current == nil, !tenant.spawning {
            guard let room = makeRoomForWorker(besides: id) else {
                tenants[id] = tenant
                return (.reject(Rejection(
                    status: 503, code: "OVERLOADED", message: "All \(settings.maxWorkers) workers are busy; retry shortly", retryAfter: 1)), [])
            }
            actions = room
        }
        let admission = Self.enqueue(&tenant, id, limit: settings.queueLimit, waitingFor: "its worker to start")
        if admission == .queue, tenant.current == nil, !tenant.spawning {
            tenant.spawning = true
            actions.append(.spawn(id))
        }
        tenants[id] = tenant
        return (admission, admission == .queue ? actions : [])
    }

    /// The common cases, updated in place: the tenant's worker is ready, and takes the request
    /// (room, nobody waiting ahead) or queues it. Read through `inout` too: `values[i].field`
    /// would copy the whole Tenant or Worker out (a retain and a release per field).
    private mutating func admitToReadyWorker(_ id: ClientID, now: Instant) -> Admission? {
        guard let t = tenants.index(forKey: id) else { return nil }
        return Self.admitToReady(&tenants.values[t], id, workers: &workers, now: now, settings: settings)
    }

    private static func admitToReady(
        _ tenant: inout Tenant, _ id: ClientID, workers: inout [Int32: Worker], now: Instant, settings: Settings
    ) -> Admission? {
        guard let pid = tenant.current, let w = workers.index(forKey: pid),
            let taken = takeSlot(&workers.values[w], nobodyWaiting: tenant.queued == 0, maxInFlight: settings.maxInFlight)
        else { return nil }
        tenant.lastActivity = now
        guard taken else {
            return enqueue(&tenant, id, limit: settings.queueLimit, waitingFor: "room among its \(settings.maxInFlight) requests in flight")
        }
        tenant.counters.requests += 1
        return .route(pid)
    }

    /// Nil when the worker is not ready; otherwise whether it took the request.
    private static func takeSlot(_ worker: inout Worker, nobodyWaiting: Bool, maxInFlight: Int) -> Bool? {
        guard worker.phase == .ready else { return nil }
        guard nobodyWaiting, worker.inFlight < maxInFlight else { return false }
        worker.inFlight += 1
        return true
    }

    /// `what` is only built for a rejection: most queued requests never need it.
    private static func enqueue(_ tenant: inout Tenant, _ id: ClientID, limit: Int, waitingFor what: @autoclosure () -> String) -> Admission {
        guard tenant.queued < limit else {
            return .reject(Rejection(status: 503, code: "OVERLOADED", message: "Too many requests for tenant \(id) waiting for \(what())", retryAfter: 1))
        }
        tenant.queued += 1
        tenant.counters.requests += 1
        return .queue
    }

    /// At the worker cap, retires the least recently used idle worker of another tenant;
    /// nil when every worker is busy.
    private mutating func makeRoomForWorker(besides id: ClientID) -> [Action]? {
        guard workers.values.filter({ $0.phase != .retiring }).count >= settings.maxWorkers else { return [] }
        let idle = tenants.filter { other, tenant in
            guard other != id, let pid = tenant.current, let worker = workers[pid] else { return false }
            return worker.phase == .ready && worker.inFlight == 0 && tenant.queued == 0 && tenant.replacement == nil
        }
        guard let (victim, tenant) = idle.min(by: { $0.value.lastActivity < $1.value.lastActivity }), let pid = tenant.current else { return nil }
        workers[pid]!.phase = .retiring
        tenants[victim]!.current = nil
        tenants[victim]!.counters.reaps += 1
        return [.retire(pid)]
    }

    /// A routed request has been answered (or failed): its worker may take a queued one.
    public mutating func requestFinished(pid: Int32, now: Instant) -> [Action] {
        // In place, like admitToReadyWorker: this runs for every request.
        guard let w = workers.index(forKey: pid) else { return [] }
        return Self.finished(&workers.values[w], tenants: &tenants, now: now, maxInFlight: settings.maxInFlight)
    }

    private static func finished(_ worker: inout Worker, tenants: inout [ClientID: Tenant], now: Instant, maxInFlight: Int) -> [Action] {
        guard let t = tenants.index(forKey: worker.tenant) else { return [] }
        return finished(&worker, &tenants.values[t], now: now, maxInFlight: maxInFlight)
    }

    private static func finished(_ worker: inout Worker, _ tenant: inout Tenant, now: Instant, maxInFlight: Int) -> [Action] {
        worker.inFlight = max(0, worker.inFlight - 1)
        tenant.lastActivity = now
        guard tenant.current == worker.pid, worker.phase == .ready, tenant.queued > 0, worker.inFlight < maxInFlight else { return [] }
        let count = min(tenant.queued, maxInFlight - worker.inFlight)
        worker.inFlight += count
        tenant.queued -= count
        return [.dispatchQueued(worker.tenant, to: worker.pid, count: count)]
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
            let count = min(tenant.queued, settings.maxInFlight)
            worker.inFlight += count
            tenant.queued -= count
            actions.append(.dispatchQueued(worker.tenant, to: pid, count: count))
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
}
