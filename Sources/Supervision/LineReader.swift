import EventLoop
import Posix

/// Reads a descriptor of a worker line by line on the loop: its lifeline and its stderr.
/// A line longer than `maxLineBytes` is cut there: a worker never makes the supervisor buffer
/// without bound. At EOF a last unterminated line is delivered, then `onEnd`.
final class LineReader: ReactorHandler {
    private let fd: Int32
    private let reactor: Reactor
    private let maxLineBytes: Int
    private let onLine: (String) -> Void
    private let onEnd: () -> Void
    private var pending: [UInt8] = []
    private var isClosed = false

    init(fd: Int32, reactor: Reactor, maxLineBytes: Int = 4096, onLine: @escaping (String) -> Void, onEnd: @escaping () -> Void = {})
        throws(SystemError)
    {
        self.fd = fd
        self.reactor = reactor
        self.maxLineBytes = maxLineBytes
        self.onLine = onLine
        self.onEnd = onEnd
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
                close()
                return onEnd()
            }
        }
    }

    /// Reads what is left; after the writer exited that ends in EOF, so nothing is lost.
    func drainToEnd() { reactorEvent(0) }

    private func deliverLines() {
        while let newline = pending.firstIndex(of: 0x0A) {
            onLine(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        if pending.count > maxLineBytes {
            onLine(String(decoding: pending.prefix(maxLineBytes), as: UTF8.self) + "…")
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
