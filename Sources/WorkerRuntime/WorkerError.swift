import Configuration
import Posix

/// Why a worker could not start.
public enum WorkerError: Error, Equatable, CustomStringConvertible {
    case invalidHandoff(ConfigurationProblems)
    case unreadableHandoff(SystemError)
    case cannotListen(String, SystemError)

    public var description: String {
        switch self {
        case .invalidHandoff(let problems): return "invalid worker configuration:\n  " + problems.problems.joined(separator: "\n  ")
        case .unreadableHandoff(let error): return "cannot read the worker configuration: \(error)"
        case .cannotListen(let address, let error): return "cannot listen on \(address): \(error)"
        }
    }
}
