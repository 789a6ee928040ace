import Glibc
import Posix

/// The stand-in OneApp API, run as a supervised child for the demo: restarted (after a second)
/// if it dies, stopped with the supervisor.
final class SandboxChild {
    let address: SocketAddress
    private unowned let supervisor: Supervisor
    private(set) var pid: Int32?
    private var restartAt: MonotonicInstant?
    private var stopping = false

    init(address: SocketAddress, supervisor: Supervisor) {
        self.address = address
        self.supervisor = supervisor
        start()
    }

    var isRunning: Bool { pid != nil }

    private func start() {
        do {
            pid = try Spawn.spawn(
                Spawn.selfExecutable, arguments: [Spawn.selfExecutable, "sandbox", "--listen", address.description],
                environment: supervisor.workerEnvironment)
            supervisor.log.write("sandbox API \(pid!) started on \(address)")
        } catch {
            supervisor.log.write("cannot start the sandbox API: \(error); retrying in 1 s")
            restartAt = .now + .seconds(1)
        }
    }

    func exited(pid: Int32, status: WaitStatus) {
        guard pid == self.pid else { return }
        self.pid = nil
        guard !stopping else { return }
        supervisor.log.write("sandbox API \(pid) exited: \(status); restarting in 1 s")
        restartAt = .now + .seconds(1)
    }

    func tick() {
        guard let at = restartAt, !stopping, MonotonicInstant.now >= at else { return }
        restartAt = nil
        start()
    }

    func stop() {
        stopping = true
        if let pid { Glibc.kill(pid, SIGTERM) }
    }

    func kill() {
        if let pid { Glibc.kill(pid, SIGKILL) }
    }
}
