import Posix

/// A listening socket on the reactor that hands each accepted connection to `onAccept`.
public final class Listener: ReactorHandler {
    public let fd: Int32
    private let reactor: Reactor
    private let onAccept: (Int32) -> Void
    private var isClosed = false

    public init(fd: Int32, reactor: Reactor, onAccept: @escaping (Int32) -> Void) throws(SystemError) {
        self.fd = fd
        self.reactor = reactor
        self.onAccept = onAccept
        IO.setNonBlocking(fd)
        try reactor.register(fd, events: Epoll.readable, handler: self)
    }

    public var port: UInt16? { Socket.localPort(fd) }

    public func reactorEvent(_ events: UInt32) {
        // Bounded so one busy listener cannot starve the connections already open.
        for _ in 0..<64 where !isClosed {
            let connection: Int32?
            do { connection = try Socket.accept(fd) } catch {
                return pauseAccepting()
            }
            guard let connection else { return }
            onAccept(connection)
        }
    }

    /// Out of descriptors (EMFILE/ENFILE) the pending connection stays queued and epoll keeps
    /// reporting it: stop watching for a moment instead of spinning, and try again.
    private func pauseAccepting() {
        reactor.modify(fd, events: 0)
        reactor.schedule(afterMs: 100) { [weak self] in
            guard let self, !self.isClosed else { return }
            self.reactor.modify(self.fd, events: Epoll.readable)
        }
    }

    /// Stops accepting; connections already accepted are unaffected.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        reactor.unregister(fd)
        IO.close(fd)
    }
}
