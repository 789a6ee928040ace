import CSystem
import Glibc

/// A thin owner of an epoll instance: interest changes and waiting.
public struct Epoll: ~Copyable {
    public let fd: Int32

    public static let readable = EPOLLIN.rawValue
    public static let writable = EPOLLOUT.rawValue
    public static let hangup = EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue

    public init() throws(SystemError) {
        fd = try syscall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    deinit { IO.close(fd) }

    public func add(_ target: Int32, events: UInt32) throws(SystemError) {
        try control(EPOLL_CTL_ADD, target, events)
    }

    public func modify(_ target: Int32, events: UInt32) throws(SystemError) {
        try control(EPOLL_CTL_MOD, target, events)
    }

    public func remove(_ target: Int32) {
        _ = epoll_ctl(fd, EPOLL_CTL_DEL, target, nil)
    }

    private func control(_ op: Int32, _ target: Int32, _ events: UInt32) throws(SystemError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = target
        try syscall("epoll_ctl") { epoll_ctl(fd, op, target, &event) }
    }

    /// Waits up to `timeoutMs` (-1: forever) and returns how many entries of `events` are filled.
    public func wait(into events: inout [epoll_event], timeoutMs: Int32) -> Int {
        let n = events.withUnsafeMutableBufferPointer { epoll_wait(fd, $0.baseAddress, Int32($0.count), timeoutMs) }
        return max(0, Int(n))  // EINTR: simply wake up and look at timers
    }
}

/// An eventfd used to wake a sleeping loop from another thread.
public enum EventFD {
    public static func make() throws(SystemError) -> Int32 {
        try syscall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    public static func signal(_ fd: Int32) {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    public static func drain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, 8)
    }
}
