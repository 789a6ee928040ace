import EventLoop
import Posix

/// The supervisor's end of a worker's lifeline: a socket pair inherited by the worker as fd 3.
///
///     supervisor → worker   one line of JSON: the tenant's configuration (WorkerHandoff)
///     worker → supervisor   "ready\n"     listening; route requests to it
///                           "restart\n"   got SIGHUP: start a replacement, then retire me
///                           "stopping\n"  got SIGTERM: route nothing more to me
///     either side closes    the other knows its peer is gone (the worker exits at once;
///                           the supervisor stops routing to it before its exit is reaped)
final class WorkerLink: ReactorHandler {
    enum Message: String { case ready, restart, stopping, closed }

    let fd: Int32
    let pid: Int32
    private let reactor: Reactor
    private let onMessage: (Int32, Message) -> Void
    private var pending: [UInt8] = []
    private var isClosed = false

    init(fd: Int32, pid: Int32, reactor: Reactor, onMessage: @escaping (Int32, Message) -> Void) throws(SystemError) {
        self.fd = fd
        self.pid = pid
        self.reactor = reactor
        self.onMessage = onMessage
        IO.setNonBlocking(fd)
        try reactor.register(fd, events: Epoll.readable, handler: self)
    }

    func reactorEvent(_ events: UInt32) {
        var buffer = [UInt8](repeating: 0, count: 256)
        while !isClosed {
            let result = (try? buffer.withUnsafeMutableBytes { try IO.read(fd, into: $0) }) ?? .closed
            switch result {
            case .done(let n):
                pending += buffer[..<n]
                deliverLines()
            case .wouldBlock:
                return
            case .closed:
                close()  // the exit itself is reported by SIGCHLD
                return onMessage(pid, .closed)
            }
        }
    }

    private func deliverLines() {
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if let message = Message(rawValue: line), message != .closed { onMessage(pid, message) }
        }
        if pending.count > 1024 { pending.removeAll() }  // not our protocol: ignore, never grow
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        reactor.unregister(fd)
        IO.close(fd)
    }
}
