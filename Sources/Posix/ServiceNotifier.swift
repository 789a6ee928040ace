import Glibc

/// The systemd notification protocol of sd_notify(3), without libsystemd: one datagram of
/// newline-separated `KEY=VALUE` assignments to the AF_UNIX socket named by `NOTIFY_SOCKET`.
///
///     NOTIFY_SOCKET=/run/systemd/notify        a path
///     NOTIFY_SOCKET=@/org/freedesktop/…         an abstract name ('@' stands for the leading NUL)
///
///     READY=1 · RELOADING=1 (+ MONOTONIC_USEC=…) · STOPPING=1 · STATUS=<one line of text>
public struct ServiceNotifier: Sendable {
    /// The bytes of `sun_path`: the path, or a NUL followed by the abstract name.
    private let path: [UInt8]

    /// nil when `NOTIFY_SOCKET` is unset or names no AF_UNIX socket (not started by systemd).
    public init?(environment: [String: String]) {
        guard let name = environment["NOTIFY_SOCKET"], name.count > 1 else { return nil }
        var bytes = Array(name.utf8)
        switch bytes[0] {
        case UInt8(ascii: "/"): break
        case UInt8(ascii: "@"): bytes[0] = 0
        default: return nil  // vsock: and other transports of newer systemd versions
        }
        guard bytes.count < MemoryLayout<sockaddr_un>.size - MemoryLayout<sa_family_t>.size else { return nil }
        path = bytes
    }

    /// Sends the assignments as one datagram. Never blocks the caller (the event loop): when the
    /// manager's queue is full the message is dropped. True when the kernel took it.
    @discardableResult
    public func send(_ assignments: [String]) -> Bool {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { IO.close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path) }
        // A path is counted with its terminating NUL; an abstract name is exactly its bytes.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (path[0] == 0 ? 0 : 1))
        let message = Array(assignments.joined(separator: "\n").utf8)
        let sent = withUnsafePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                message.withUnsafeBytes { Glibc.sendto(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), address, length) }
            }
        }
        return sent == message.count
    }

    /// CLOCK_MONOTONIC in microseconds: the `MONOTONIC_USEC=` that goes with `RELOADING=1`.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// Removes `NOTIFY_SOCKET` from the environment that child processes inherit (with the
    /// default NotifyAccess=main systemd ignores them anyway; this keeps them from trying).
    public static func unsetEnvironment() {
        unsetenv("NOTIFY_SOCKET")
    }
}
