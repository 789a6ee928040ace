import EventLoop
import Posix

/// A worker's standard error, read line by line on the loop: each line goes to the supervisor's
/// log prefixed by its tenant, and the last few are kept for `status` and for error messages.
final class WorkerOutput: ReactorHandler {
    private let fd: Int32
    private let reactor: Reactor
    private let onLine: (String) -> Void
    private var pending: [UInt8] = []
    private var isClosed = false
    /// A line longer than this is cut: a worker must not make the supervisor buffer without bound.
    private static let maxLineBytes = 4096

    init(fd: Int32, reactor: Reactor, onLine: @escaping (String) -> Void) throws(SystemError) {
        self.fd = fd
        self.reactor = reactor
        self.onLine = onLine
        IO.setNonBlocking(fd)
        try reactor.register(fd, events: Epoll.readable, handler: self)
    }

    func reactorEvent(_ events: UInt32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isClosed {
            let result = (try? buffer.withUnsafeMutableBytes { try IO.read(fd, into: $0) }) ?? .closed
            switch result {
            case .done(let n):
                pending += buffer[..<n]
                deliverLines()
            case .wouldBlock:
                return
            case .closed:
                if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
                return close()
            }
        }
    }

    /// Reads what is left; after the process exited that ends in EOF, so nothing is lost.
    func drainToEnd() { reactorEvent(0) }

    private func deliverLines() {
        while let newline = pending.firstIndex(of: 0x0A) {
            onLine(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        if pending.count > Self.maxLineBytes {
            onLine(String(decoding: pending.prefix(Self.maxLineBytes), as: UTF8.self) + "…")
            pending.removeAll()
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        reactor.unregister(fd)
        IO.close(fd)
    }
}
