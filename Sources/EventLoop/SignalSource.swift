import Posix

/// Delivers blocked signals to a callback on the loop thread, via signalfd.
public final class SignalSource: ReactorHandler {
    private let fd: Int32
    private let onSignal: (Int32) -> Void

    /// The signals must already be blocked (`Signals.blockForSignalFD`) on every thread.
    public init(reactor: Reactor, signals: [Int32], onSignal: @escaping (Int32) -> Void) throws(SystemError) {
        fd = try Signals.makeSignalFD(signals)
        self.onSignal = onSignal
        try reactor.register(fd, events: Epoll.readable, handler: self)
    }

    public func reactorEvent(_ events: UInt32) {
        for sig in Signals.drain(fd) { onSignal(sig) }
    }
}
