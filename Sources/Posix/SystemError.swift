import CSystem
import Glibc

/// A failed system call: its name and errno.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    public var description: String { "\(call): \(String(cString: strerror(errno)))" }
}

/// Runs a system call, retrying on EINTR. EBADF and EFAULT are our bugs (a closed or wild
/// descriptor or pointer), so they stop the process with a sentence instead of being thrown.
@discardableResult
public func syscall<T: BinaryInteger>(_ name: String, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        precondition(code != EBADF && code != EFAULT, "\(name) failed with \(code == EBADF ? "EBADF" : "EFAULT"): a descriptor or pointer bug")
        throw SystemError(name, errno: code)
    }
}
