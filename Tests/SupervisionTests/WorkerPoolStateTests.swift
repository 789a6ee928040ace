import Configuration
import Posix
import Testing

@testable import Supervision

/// The lifecycle rules, driven with an injected clock and no processes.
struct WorkerPoolStateTests {
    let acme = ClientID("acme")!
    let t0 = MonotonicInstant.now

    func pool(idle: Duration = .seconds(300), queueLimit: Int = 64, maxInFlight: Int = 32, maxWorkers: Int = 512) -> WorkerPoolState {
        var settings = WorkerPoolState.Settings()
        settings.idleTimeout = { _ in idle }
        settings.queueLimit = queueLimit
        settings.maxInFlight = maxInFlight
        settings.maxWorkers = maxWorkers
        return WorkerPoolState(settings: settings)
    }

    /// Admits one request and brings up worker `pid` for it.
    func started(_ pool: inout WorkerPoolState, pid: Int32 = 100, at now: MonotonicInstant) {
        let (admission, actions) = pool.admit(acme, now: now)
        #expect(admission == .queue && actions == [.spawn(acme)])
        pool.workerSpawned(acme, pid: pid, now: now)
        #expect(pool.workerReady(pid: pid, now: now) == [.dispatchQueued(acme, to: pid, count: 1)])
        _ = pool.requestFinished(pid: pid, now: now)
    }

    @Test("the first request spawns; requests meanwhile queue; ready dispatches them all")
    func spawnOnDemand() {
        var pool = pool()
        #expect(pool.admit(acme, now: t0) == (.queue, [.spawn(acme)]))
        #expect(pool.admit(acme, now: t0) == (.queue, []))
        pool.workerSpawned(acme, pid: 7, now: t0)
        #expect(pool.admit(acme, now: t0) == (.queue, []))
        #expect(pool.workerReady(pid: 7, now: t0) == [.dispatchQueued(acme, to: 7, count: 3)])
        #expect(pool.workers[7]?.inFlight == 3)
        #expect(pool.admit(acme, now: t0).0 == .route(7))
    }

    @Test("the queue is bounded")
    func boundedQueue() {
        var pool = pool(queueLimit: 2)
        _ = pool.admit(acme, now: t0)
        _ = pool.admit(acme, now: t0)
        guard case .reject(let rejection) = pool.admit(acme, now: t0).0 else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.status == 503 && rejection.code == "OVERLOADED")
    }

    @Test("idle reaping counts from the last request and never takes a busy worker")
    func idleReaping() {
        var pool = pool(idle: .seconds(5))
        started(&pool, at: t0)
        #expect(pool.admit(acme, now: t0 + .seconds(3)).0 == .route(100))
        #expect(pool.tick(now: t0 + .seconds(20)) == [])  // busy: in flight
        #expect(pool.requestFinished(pid: 100, now: t0 + .seconds(20)) == [])
        #expect(pool.tick(now: t0 + .seconds(24)) == [])
        #expect(pool.tick(now: t0 + .seconds(25)) == [.retire(100)])
        #expect(pool.workerExited(pid: 100, status: .exited(0), now: t0 + .seconds(26)) == [])
        #expect(pool.tenants[acme]?.counters.crashes == 0)
        #expect(pool.admit(acme, now: t0 + .seconds(30)) == (.queue, [.spawn(acme)]))
    }

    @Test("a crash frees the tenant; repeated crashes put it into backoff until it expires")
    func crashesAndBackoff() {
        var pool = pool()
        var now = t0
        for pid in Int32(1)...3 {
            started(&pool, pid: pid, at: now)
            #expect(pool.workerExited(pid: pid, status: .signaled(9), now: now) == [])
            now += .milliseconds(100)
        }
        guard case .reject(let rejection) = pool.admit(acme, now: now).0 else {
            Issue.record("expected backoff")
            return
        }
        #expect(rejection.status == 503 && rejection.code == "TENANT_UNAVAILABLE" && rejection.retryAfter == 1)
        #expect(rejection.message.contains("SIGKILL"))
        #expect(pool.admit(acme, now: now + .seconds(1)) == (.queue, [.spawn(acme)]))
    }

    @Test("an explicit restart bypasses the backoff")
    func restartBypassesBackoff() {
        var pool = pool()
        for pid in Int32(1)...3 {
            started(&pool, pid: pid, at: t0)
            _ = pool.workerExited(pid: pid, status: .exited(1), now: t0)
        }
        #expect(pool.restart(acme) == [])
        #expect(pool.admit(acme, now: t0) == (.queue, [.spawn(acme)]))
    }

    @Test("a worker that dies while starting fails the queued requests with 503")
    func failedStart() {
        var pool = pool()
        _ = pool.admit(acme, now: t0)
        pool.workerSpawned(acme, pid: 9, now: t0)
        let actions = pool.workerExited(pid: 9, status: .exited(3), now: t0)
        guard case .failQueued(let id, let rejection) = actions.first else {
            Issue.record("expected failQueued")
            return
        }
        #expect(id == acme && rejection.status == 503 && rejection.message.contains("exit code 3"))
    }

    @Test("a spawn that never reports ready is killed at the deadline")
    func spawnTimeout() {
        var pool = pool()
        _ = pool.admit(acme, now: t0)
        pool.workerSpawned(acme, pid: 9, now: t0)
        #expect(pool.tick(now: t0 + .seconds(5)) == [])
        #expect(pool.tick(now: t0 + .seconds(11)) == [.kill(9)])
    }

    @Test("graceful restart: the old worker serves until the replacement is ready, then retires")
    func gracefulRestart() {
        var pool = pool()
        started(&pool, pid: 1, at: t0)
        #expect(pool.restart(acme) == [.spawn(acme)])
        #expect(pool.restart(acme) == [])  // already under way
        pool.workerSpawned(acme, pid: 2, now: t0)
        #expect(pool.admit(acme, now: t0).0 == .route(1))
        #expect(pool.workerReady(pid: 2, now: t0) == [.retire(1)])
        #expect(pool.admit(acme, now: t0).0 == .route(2))
        #expect(pool.workerExited(pid: 1, status: .exited(0), now: t0) == [])
        #expect(pool.tenants[acme]?.counters.crashes == 0)
        #expect(pool.tenants[acme]?.counters.restarts == 1)
    }

    @Test("an unreachable worker is routed no more, and its exit still counts as a crash")
    func unreachable() {
        var pool = pool()
        started(&pool, pid: 1, at: t0)
        #expect(pool.workerUnreachable(pid: 1) == [])
        #expect(pool.admit(acme, now: t0) == (.queue, [.spawn(acme)]))
        #expect(pool.workerExited(pid: 1, status: .signaled(9), now: t0) == [])
        #expect(pool.tenants[acme]?.counters.crashes == 1)
    }

    @Test("a worker stopped from outside is not routed to and not counted as a crash")
    func stoppedFromOutside() {
        var pool = pool()
        started(&pool, pid: 1, at: t0)
        #expect(pool.workerStopping(pid: 1) == [.retire(1)])
        #expect(pool.admit(acme, now: t0) == (.queue, [.spawn(acme)]))
        #expect(pool.workerExited(pid: 1, status: .exited(0), now: t0) == [])
        #expect(pool.tenants[acme]?.counters.crashes == 0)
    }

    @Test("shutdown retires every worker and fails queued requests")
    func shutdown() {
        var pool = pool()
        started(&pool, pid: 1, at: t0)
        let globex = ClientID("globex")!
        _ = pool.admit(globex, now: t0)
        pool.workerSpawned(globex, pid: 2, now: t0)
        let actions = pool.retireAll()
        #expect(actions.contains(.retire(1)) && actions.contains(.retire(2)))
        #expect(actions.contains { if case .failQueued(globex, _) = $0 { return true } else { return false } })
    }

    @Test("beyond maxInFlight requests wait, and each finished one lets the next in")
    func inFlightLimit() {
        var pool = pool(queueLimit: 1, maxInFlight: 2)
        started(&pool, pid: 1, at: t0)
        #expect(pool.admit(acme, now: t0).0 == .route(1))
        #expect(pool.admit(acme, now: t0).0 == .route(1))
        #expect(pool.admit(acme, now: t0).0 == .queue)
        guard case .reject(let rejection) = pool.admit(acme, now: t0).0 else {
            Issue.record("expected OVERLOADED")
            return
        }
        #expect(rejection.code == "OVERLOADED" && rejection.retryAfter != nil)
        #expect(pool.requestFinished(pid: 1, now: t0) == [.dispatchQueued(acme, to: 1, count: 1)])
        #expect(pool.workers[1]?.inFlight == 2 && pool.tenants[acme]?.queued == 0)
    }

    @Test("at maxWorkers the least recently used idle worker makes room; with none idle, 503")
    func workerCap() {
        var pool = pool(maxWorkers: 2)
        let (b, c) = (ClientID("b")!, ClientID("c")!)
        started(&pool, pid: 1, at: t0)
        _ = pool.admit(b, now: t0 + .seconds(1))
        pool.workerSpawned(b, pid: 2, now: t0 + .seconds(1))
        _ = pool.workerReady(pid: 2, now: t0 + .seconds(1))
        _ = pool.requestFinished(pid: 2, now: t0 + .seconds(1))
        #expect(pool.admit(c, now: t0 + .seconds(2)) == (.queue, [.retire(1), .spawn(c)]))  // acme was used least recently
        pool.workerSpawned(c, pid: 3, now: t0 + .seconds(2))
        #expect(pool.admit(b, now: t0 + .seconds(3)).0 == .route(2))  // b busy now, c starting
        guard case .reject(let rejection) = pool.admit(acme, now: t0 + .seconds(3)).0 else {
            Issue.record("expected 503")
            return
        }
        #expect(rejection.status == 503 && rejection.code == "OVERLOADED")
    }

    @Test("a stuck worker is retired and killed after its grace; a retiring one after the retire grace")
    func killDeadlines() {
        var pool = pool()
        started(&pool, pid: 1, at: t0)
        #expect(pool.workerStuck(pid: 1, now: t0) == [.retire(1)])
        #expect(pool.tick(now: t0 + .seconds(4)) == [])
        #expect(pool.tick(now: t0 + .seconds(5)) == [.kill(1)])
        #expect(pool.tick(now: t0 + .seconds(9)) == [])  // once
        started(&pool, pid: 2, at: t0)
        #expect(pool.workerStopping(pid: 2) == [.retire(2)])
        #expect(pool.tick(now: t0) == [])  // stamps the deadline
        #expect(pool.tick(now: t0 + .seconds(64)) == [])
        #expect(pool.tick(now: t0 + .seconds(65)) == [.kill(2)])
    }

    @Test("a ready worker that crashes with requests queued behind it gets a successor at once")
    func crashWithQueue() {
        var pool = pool(maxInFlight: 1)
        started(&pool, pid: 1, at: t0)
        #expect(pool.admit(acme, now: t0).0 == .route(1))
        #expect(pool.admit(acme, now: t0).0 == .queue)
        #expect(pool.workerExited(pid: 1, status: .signaled(9), now: t0) == [.spawn(acme)])
        pool.workerSpawned(acme, pid: 2, now: t0)
        #expect(pool.workerReady(pid: 2, now: t0) == [.dispatchQueued(acme, to: 2, count: 1)])
    }
}
