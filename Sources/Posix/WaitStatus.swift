import CSystem
import Glibc

/// How a child process ended, decoded from a wait status.
public enum WaitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public init(raw: Int32) {
        if csystem_wifexited(raw) != 0 {
            self = .exited(csystem_wexitstatus(raw))
        } else {
            self = .signaled(csystem_wtermsig(raw))
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exit code \(code)"
        case .signaled(let sig): return "killed by \(Signals.name(sig))"
        }
    }

    /// Reaps every child that has ended, without blocking (SIGCHLD coalesces, so loop until none).
    public static func reapAll() -> [(pid: Int32, status: WaitStatus)] {
        var reaped: [(Int32, WaitStatus)] = []
        while true {
            var raw: Int32 = 0
            let pid = waitpid(-1, &raw, WNOHANG)
            if pid <= 0 { return reaped }
            reaped.append((pid, WaitStatus(raw: raw)))
        }
    }
}
