import Configuration
import EventLoop
import Glibc
import HTTP1
import JSON
import Posix

/// Worker processes: spawning, the lifeline messages, exits, and the pool's actions.
extension Supervisor {
    /// What a worker inherits of the supervisor's environment: nothing that could hold another
    /// tenant's secret (CLIENTS_CONFIG, AUTHORIZATION, a variable a secret reference names).
    static let inheritedVariables: Set<String> = [
        "PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SWIFT_BACKTRACE", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "CURL_CA_BUNDLE", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
    ]

    var workerEnvironment: [String: String] {
        var env = environment.filter { Self.inheritedVariables.contains($0.key) }
        // Fewer malloc arenas: a mostly idle worker keeps less memory resident.
        env["MALLOC_ARENA_MAX"] = "2"
        return env
    }

    static func fields(_ id: ClientID, _ pid: Int32) -> JSONObject {
        ["client.id": .string(id.rawValue), "worker.pid": .int(Int(pid))]
    }

    /// The longest-waiting request of `id`, taken off its queue (shortened in place).
    private func nextWaiting(for id: ClientID) -> ProxyConnection? {
        guard let index = waiting.index(forKey: id) else { return nil }
        let connection = waiting.values[index].removeFirst()
        if waiting.values[index].isEmpty { waiting.remove(at: index) }
        return connection
    }

    func perform(_ actions: [WorkerPoolState.Action]) {
        for action in actions {
            switch action {
            case .spawn(let id): spawnWorker(for: id)
            case .dispatchQueued(let id, let pid, let count):
                guard let worker = workers[pid] else { continue }
                // One at a time, each taken out before it is sent: sending may queue it again.
                for _ in 0..<count {
                    guard let connection = nextWaiting(for: id) else { break }
                    connection.dispatch(to: worker)
                }
            case .failQueued(let id, var rejection):
                // The worker's own last words are the most useful reason an operator can get.
                if rejection.status == 503, let line = recentStderr[id]?.last { rejection.message += ": \(line)" }
                let response = ErrorResponses.response(for: rejection)
                for connection in waiting.removeValue(forKey: id) ?? [] { connection.reject(response) }
            case .retire(let pid):
                guard let worker = workers[pid] else { continue }
                worker.retire()
                kill(pid, SIGTERM)
            case .kill(let pid):
                log.write("worker missed its deadline: SIGKILL", ["worker.pid": .int(Int(pid)), "client.id": .string(workers[pid]?.tenant.rawValue ?? "")])
                kill(pid, SIGKILL)
            }
        }
    }

    /// Starts a worker: its own socket path, the lifeline as fd 3 carrying only this tenant's
    /// configuration (never argv or the environment), then waits for "ready" on the loop. The
    /// preloader forks it when it can; otherwise the binary is spawned afresh.
    func spawnWorker(for id: ClientID) {
        guard let entry = configuration.clients[id] else {
            return perform(pool.spawnFailed(id, reason: "the tenant is no longer configured"))
        }
        generation += 1
        let socketPath = runDirectory.socketPath(for: id, generation: generation)
        let arguments = [
            "--client-id", id.rawValue, "--listen", "unix:\(socketPath)", "--config-fd", "3", "--supervisor-pid", String(getpid()),
        ]
        let handoff = WorkerHandoff(
            tenant: entry.upstream, sessionKey: sessionKey, allowedOrigins: configuration.allowedOrigins,
            maxOpenFiles: configuration.maxWorkerOpenFiles
        ).serialized()
        guard let preloader else { return adopt(spawnFresh(arguments, handoff: handoff), id: id, socketPath: socketPath) }
        preloader.forkWorker(arguments, handoff: handoff) { [unowned self] forked in
            self.adopt(forked.map { .success($0) } ?? self.spawnFresh(arguments, handoff: handoff), id: id, socketPath: socketPath)
        }
    }

    /// `posix_spawn` of this binary as `oneapp-mcp worker`, stderr as 2 and the lifeline as 3.
    private func spawnFresh(_ arguments: [String], handoff: [UInt8]) -> Result<StartedWorker, SystemError> {
        Result { () throws(SystemError) in
            var pid: Int32 = 0
            let ends = try StartedWorker.openEnds(handoff: handoff) { (stderr, lifeline) throws(SystemError) in
                pid = try Spawn.spawn(
                    Spawn.selfExecutable, arguments: [Spawn.selfExecutable, "worker"] + arguments,
                    environment: workerEnvironment, descriptors: [2: stderr, 3: lifeline])
            }
            return StartedWorker(pid: pid, lifeline: ends.lifeline, stderr: ends.stderr)
        }
    }

    /// Takes a started worker into the pool: its stderr and lifeline on the loop. The tenant may
    /// have been removed while it started (a reload): then it is killed.
    private func adopt(_ started: Result<StartedWorker, SystemError>, id: ClientID, socketPath: String) {
        let process: StartedWorker
        switch started {
        case .success(let value): process = value
        case .failure(let error):
            log.write("cannot spawn a worker: \(error)", ["client.id": .string(id.rawValue)])
            return perform(pool.spawnFailed(id, reason: "\(error)"))
        }
        let pid = process.pid
        guard configuration.clients[id] != nil, pool.tenants[id] != nil else {
            kill(pid, SIGKILL)
            [process.lifeline, process.stderr].forEach(IO.close)
            return perform(pool.spawnFailed(id, reason: "the tenant is no longer configured"))
        }
        let handle = WorkerHandle(pid: pid, tenant: id, socketPath: socketPath)
        do {
            handle.output = try LineReader(fd: process.stderr, reactor: reactor) { [unowned self] line in
                self.log.write(line, ["client.id": .string(id.rawValue), "worker.pid": .int(Int(pid)), "stream": "stderr"])
                self.recentStderr[id, default: []].append(line)
                if self.recentStderr[id]!.count > Self.keptStderrLines { self.recentStderr[id]!.removeFirst() }
            }
            handle.link = try WorkerLink.reader(fd: process.lifeline, pid: pid, reactor: reactor) { [unowned self] in self.handle($1, from: $0) }
        } catch {
            // Killed, it is reaped as an unknown child; its descriptors close with it here.
            kill(pid, SIGKILL)
            handle.output?.close()
            if handle.link == nil { IO.close(process.lifeline) }
            if handle.output == nil { IO.close(process.stderr) }
            log.write("cannot spawn a worker: \(error)", ["client.id": .string(id.rawValue)])
            return perform(pool.spawnFailed(id, reason: "\(error)"))
        }
        workers[pid] = handle
        pool.workerSpawned(id, pid: pid, now: .now)
        log.write("worker spawned", Self.fields(id, pid))
    }

    func handle(_ message: WorkerLink.Message, from pid: Int32) {
        guard let worker = workers[pid] else { return }
        switch message {
        case .ready:
            let actions = pool.workerReady(pid: pid, now: .now)
            if pool.tenants[worker.tenant]?.current == pid { runDirectory.writePid(pid, to: runDirectory.pidFile(for: worker.tenant)) }
            log.write("worker ready", Self.fields(worker.tenant, pid))
            perform(actions)
        case .restart:
            log.write("worker asked for a graceful restart (SIGHUP)", Self.fields(worker.tenant, pid))
            perform(pool.restart(worker.tenant))
        case .stopping:
            log.write("worker stopping", Self.fields(worker.tenant, pid))
            perform(pool.workerStopping(pid: pid))
        case .closed:
            perform(pool.workerUnreachable(pid: pid))
        }
    }

    /// Every few seconds: a ready worker above `maxWorkerMemoryMB` resident is restarted
    /// gracefully (a replacement takes over, no request fails). RSS, not RLIMIT_AS: URLSession's
    /// threads reserve far more address space than they use (see README "Limits").
    func recycleOversizedWorkers() {
        let limit = configuration.maxWorkerMemoryMB * 1_048_576
        guard limit > 0 else { return }
        for (id, tenant) in pool.tenants {
            guard let pid = tenant.current, pool.workers[pid]?.phase == .ready, tenant.replacement == nil,
                let resident = ProcessStats.residentBytes(pid), resident > limit
            else { continue }
            var fields = Self.fields(id, pid)
            fields["rss.bytes"] = .int(resident)
            log.write("worker above maxWorkerMemoryMB; restarting it gracefully", fields)
            perform(pool.restart(id))
        }
    }

    /// SIGCHLD: reap every child that ended (signals coalesce).
    func reapChildren() {
        for (pid, status) in WaitStatus.reapAll() {
            if let worker = workers.removeValue(forKey: pid) {
                worker.output?.drainToEnd()  // its last words, before they are quoted in an answer
                worker.link?.close()
                worker.retire()
                unlink(worker.socketPath)
                runDirectory.removePid(pid, from: runDirectory.pidFile(for: worker.tenant))
                let expected = pool.workers[pid]?.phase == .retiring
                var fields = Self.fields(worker.tenant, pid)
                fields["exit"] = .string(status.description)
                fields["expected"] = .bool(expected)
                log.write(expected ? "worker exited" : "worker crashed", fields)
                if !expected { metrics.recordCrash(tenant: worker.tenant, status: status) }
                perform(pool.workerExited(pid: pid, status: status, now: .now))
            } else if preloader?.exited(pid: pid, status: status) != true {
                sandbox?.exited(pid: pid, status: status)
            }
        }
        if let deadline = shutdownDeadline { continueShutdown(deadline: deadline) }
    }
}
