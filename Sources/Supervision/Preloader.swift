import EventLoop
import Glibc
import JSON
import Posix

/// The supervisor's side of the preloader (`oneapp-mcp preloader`): a child that has loaded the
/// binary once and hands out workers forked from that image, ready within a millisecond or two,
/// where a fresh `posix_spawn` pays the dynamic loader ~25 ms every time. Its workers are
/// reparented to the supervisor (a child subreaper), so they are reaped and signalled like
/// spawned ones.
///
/// Asynchronous: a request is a message on the loop, its answer (a pid) another. Whenever the
/// preloader cannot answer (starting, crashed, silent for `answerTimeout`) the caller is told
/// so and spawns instead, so it only ever makes starts faster; a dead one is restarted.
final class Preloader: ReactorHandler {
    static let answerTimeout: Duration = .seconds(2)
    static let restartDelay: Duration = .seconds(1)

    private struct Request {
        let sentAt: MonotonicInstant
        let lifeline: Int32
        let stderr: Int32
        let answered: (StartedWorker?) -> Void
    }

    private unowned let supervisor: Supervisor
    private(set) var pid: Int32?
    private var control: Int32 = -1
    private var output: LineReader?
    private var isReady = false
    /// Sent and not yet answered, oldest first: the preloader answers in order.
    private var requests: [Request] = []
    private var restartAt: MonotonicInstant?
    private var stopping = false

    init(supervisor: Supervisor) {
        self.supervisor = supervisor
        start()
    }

    var isRunning: Bool { pid != nil }

    private func start() {
        do {
            let (mine, theirs) = try DescriptorPassing.socketPair()
            defer { IO.close(theirs) }
            let (stderrRead, stderrWrite) = try Spawn.pipe()
            defer { IO.close(stderrWrite) }
            let started: Int32
            do {
                // "--room" reserves argument space for the title a forked worker writes over it:
                // `ps` shows "oneapp-mcp worker --client-id ID", as for a spawned worker.
                started = try Spawn.spawn(
                    Spawn.selfExecutable,
                    arguments: [
                        Spawn.selfExecutable, "preloader", "--supervisor-pid", String(getpid()), "--room", String(repeating: "-", count: 80),
                    ],
                    environment: supervisor.workerEnvironment, descriptors: [2: stderrWrite, 3: theirs])
            } catch {
                IO.close(mine)
                IO.close(stderrRead)
                throw error
            }
            pid = started
            control = mine
            IO.setNonBlocking(mine)
            try supervisor.reactor.register(mine, events: Epoll.readable, handler: self)
            output = try? LineReader(fd: stderrRead, reactor: supervisor.reactor) { [unowned self] line in
                self.supervisor.log.write(line, ["preloader.pid": .int(Int(started)), "stream": "stderr"])
            }
            supervisor.log.write("preloader \(started) started")
        } catch {
            supervisor.log.write("cannot start the preloader: \(error); workers are spawned meanwhile")
            restartAt = .now + Self.restartDelay
        }
    }

    /// Asks for a worker with `arguments` (those of `oneapp-mcp worker`), its `handoff` already
    /// waiting on its lifeline (so it reads its tenant at once, without waiting for this loop).
    /// `answered` gets it, or nil (at once when the preloader is not ready): then spawn instead.
    func forkWorker(_ arguments: [String], handoff: [UInt8], answered: @escaping (StartedWorker?) -> Void) {
        guard pid != nil, isReady, !stopping else { return answered(nil) }
        do {
            let ends = try StartedWorker.openEnds(handoff: handoff) { (stderr, lifeline) throws(SystemError) in
                try DescriptorPassing.send(control, Array(arguments.joined(separator: "\0").utf8), descriptors: [stderr, lifeline])
            }
            requests.append(Request(sentAt: .now, lifeline: ends.lifeline, stderr: ends.stderr, answered: answered))
        } catch {
            abandon("cannot send it a request: \(error)")
            answered(nil)
        }
    }

    func reactorEvent(_ events: UInt32) {
        while control >= 0 {
            let received: DescriptorPassing.Received
            do { received = try DescriptorPassing.receive(control, maxBytes: 512) } catch {
                return abandon("\(error)")
            }
            switch received {
            case .wouldBlock: return
            case .closed: return abandon("it closed its socket")
            case .message(let bytes, let stray):
                stray.forEach(IO.close)
                let answer = String(decoding: bytes, as: UTF8.self)
                if answer == "ready" {
                    isReady = true
                    continue
                }
                guard !requests.isEmpty else { return abandon("an answer nobody asked for: \(answer)") }
                let request = requests.removeFirst()
                if let worker = Int32(answer), worker > 0 {
                    request.answered(StartedWorker(pid: worker, lifeline: request.lifeline, stderr: request.stderr))
                } else {
                    [request.lifeline, request.stderr].forEach(IO.close)
                    supervisor.log.write("the preloader could not fork a worker (\(answer)); spawning instead")
                    request.answered(nil)
                }
            }
        }
    }

    /// Gives up on this preloader: it is killed (its exit restarts it), and every request it has
    /// not answered is answered nil. A worker it may still hand out finds its lifeline closed
    /// and exits.
    private func abandon(_ reason: String) {
        if let pid, !stopping {
            supervisor.log.write("preloader \(pid) abandoned (\(reason)); workers are spawned until it restarts")
            Glibc.kill(pid, SIGKILL)
        }
        isReady = false
        if control >= 0 {
            supervisor.reactor.unregister(control)
            IO.close(control)
            control = -1
        }
        let unanswered = requests
        requests.removeAll()
        for request in unanswered {
            [request.lifeline, request.stderr].forEach(IO.close)
            request.answered(nil)
        }
    }

    /// True when `pid` was the preloader (the supervisor reaped it).
    func exited(pid: Int32, status: WaitStatus) -> Bool {
        guard pid == self.pid else { return false }
        output?.drainToEnd()
        output = nil
        self.pid = nil
        abandon("it exited: \(status)")
        if !stopping {
            supervisor.log.write("preloader \(pid) exited: \(status); restarting it in 1 s")
            restartAt = .now + Self.restartDelay
        }
        return true
    }

    /// Every second: an unanswered request too old means a stuck preloader; a dead one restarts.
    func tick() {
        if let oldest = requests.first, MonotonicInstant.now - oldest.sentAt > Self.answerTimeout {
            abandon("no answer in \(Self.answerTimeout)")
        }
        guard let at = restartAt, !stopping, pid == nil, MonotonicInstant.now >= at else { return }
        restartAt = nil
        start()
    }

    /// No new requests; the preloader answers those already sent, reads end of stream and exits.
    func stop() {
        stopping = true
        if control >= 0 { shutdown(control, Int32(SHUT_WR)) }
    }

    func kill() {
        if let pid { Glibc.kill(pid, SIGKILL) }
    }
}
