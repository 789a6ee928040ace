import CSystem
import Posix

/// What epoll watches for one registered descriptor. Each change costs an `epoll_ctl`, so `set`
/// makes one only when the wanted events differ: on the common path of a request, none.
///
/// A class, held by `let`: a struct property changed by a method that makes a system call is
/// checked for exclusive access at run time on every access (several times per request), while
/// `current` here is only ever read or written whole, which the compiler checks statically.
public final class EpollInterest {
    private var current: UInt32
    public var events: UInt32 { current }

    public init(_ events: UInt32) { current = events }

    /// Input and the peer's half-close: what a connection watches while it takes input.
    public static let input = Epoll.readable | EPOLLRDHUP.rawValue

    /// How much a connection reads ahead while an answer is owed (pipelined input waits in its
    /// parser); beyond it, reading waits for the answer, since level-triggered epoll would
    /// otherwise spin on bytes left unread.
    public static let readAheadLimit = 65_536

    public func set(_ wanted: UInt32, fd: Int32, on reactor: Reactor) {
        guard wanted != current else { return }
        current = wanted
        reactor.modify(fd, events: wanted)
    }
}
