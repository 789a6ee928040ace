import Configuration
import Posix

/// Why the supervisor could not start (it never stops because of a client or a worker).
public enum SupervisorError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(ConfigurationProblems)
    case runDirectory(String, SystemError)
    case alreadyRunning(pid: Int32, runDirectory: String)
    case cannotListen(String, SystemError)

    public var description: String {
        switch self {
        case .invalidConfiguration(let problems): return "invalid configuration:\n  " + problems.problems.joined(separator: "\n  ")
        case .runDirectory(let path, let error): return "run directory \(path): \(error)"
        case .alreadyRunning(let pid, let dir): return "another supervisor (pid \(pid)) is running with run directory \(dir)"
        case .cannotListen(let address, let error): return "cannot listen on \(address): \(error)"
        }
    }
}
