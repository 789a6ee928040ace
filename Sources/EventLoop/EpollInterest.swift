import CSystem
import Posix

/// What epoll watches for one registered descriptor. Each change costs an `epoll_ctl`, so `set`
/// makes one only when the wanted events differ: on the common path of a request, none.
public struct EpollInterest {
    public private(set) var events: UInt32

    public init(_ events: UInt32) { self.events = events }

    /// Input and the peer's half-close: what a connection watches while it takes input.
    public static let input = Epoll.readable | EPOLLRDHUP.rawValue

    /// How much a connection reads ahead while an answer is owed (pipelined input waits in its
    /// parser); beyond it, reading waits for the answer, since level-triggered epoll would
    /// otherwise spin on bytes left unread.
    public static let readAheadLimit = 65_536

    public mutating func set(_ wanted: UInt32, fd: Int32, on reactor: Reactor) {
        guard wanted != events else { return }
        events = wanted
        reactor.modify(fd, events: wanted)
    }
}
