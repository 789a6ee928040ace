import Foundation
import Glibc

/// The receiving end of NOTIFY_SOCKET, as systemd holds it: an AF_UNIX datagram socket bound to
/// a path or to an abstract name. `name` is the value for NOTIFY_SOCKET.
final class NotifySocket: @unchecked Sendable {
    let fd: Int32
    let name: String
    /// Every datagram received so far, in order.
    private(set) var received: [String] = []
    private var consumed = 0
    private let directory: String?

    init(abstract: Bool = false) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket(AF_UNIX, SOCK_DGRAM) failed: errno \(errno)") }
        var path: [UInt8]
        if abstract {
            name = "@oneapp-mcp-test-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            path = Array(name.utf8)
            path[0] = 0
            directory = nil
        } else {
            let dir = try TemporaryDirectory.make(prefix: "notify")
            name = dir + "/notify.sock"
            path = Array(name.utf8) + [0]
            directory = dir
        }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else { throw TestFailure("bind \(name) failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The next datagram (after those already returned) that contains `marker`.
    func next(containing marker: String, timeout: Double = 10) async throws -> String {
        try await onThread { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                while consumed < received.count {
                    consumed += 1
                    if received[consumed - 1].contains(marker) { return received[consumed - 1] }
                }
                guard Date() < deadline else { throw TestFailure("no notification with '\(marker)' within \(timeout)s; received: \(received)") }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { received.append(String(decoding: buffer[..<n], as: UTF8.self)) }
            }
        }
    }

    /// The assignments of one datagram, `KEY=VALUE` per line, as a dictionary.
    static func fields(_ message: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in message.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return fields
    }
}

/// A loopback TCP listener the test opens itself, as systemd does for a .socket unit.
struct TestListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else { throw TestFailure("test listener: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: addr.sin_port)
    }

    /// A port nothing listens on (bound, then released).
    static func unusedPort() throws -> UInt16 {
        let listener = try TestListener()
        close(listener.fd)
        return listener.port
    }
}

/// CLOCK_MONOTONIC in microseconds, the clock of MONOTONIC_USEC.
func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
}

/// The environment of a live process, as `/proc/PID/environ` shows it.
func environment(of pid: Int32) -> [String] {
    ((try? String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8)) ?? "").split(separator: "\0").map(String.init)
}
