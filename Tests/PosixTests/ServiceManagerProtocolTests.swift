import Glibc
import Posix
import Testing

/// sd_notify(3) and sd_listen_fds(3) as this process speaks them (the supervisor's use of them
/// is in BlackBoxTests/SystemdTests).
struct ServiceManagerProtocolTests {
    @Test("NOTIFY_SOCKET: a path or an @abstract name; anything else means no manager to tell")
    func notifySocketNames() {
        #expect(ServiceNotifier(environment: [:]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "@"]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "vsock:2:1234"]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "/run/systemd/notify"]) != nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify"]) != nil)
    }

    @Test("one datagram, assignments joined by newlines, to an abstract socket")
    func sendsOneDatagram() throws {
        let name = "oneapp-mcp-posix-test-\(getpid())"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = [0] + Array(name.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path) }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sa_family_t>.size + path.count)) }
        }
        try #require(bound == 0)
        let notifier = try #require(ServiceNotifier(environment: ["NOTIFY_SOCKET": "@" + name]))
        #expect(notifier.send(["READY=1", "STATUS=serving 2 tenants"]))
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        #expect(n > 0 && String(decoding: buffer[..<max(n, 0)], as: UTF8.self) == "READY=1\nSTATUS=serving 2 tenants")
    }

    @Test("sending to a socket nobody holds fails quietly")
    func nobodyListens() throws {
        let notifier = try #require(ServiceNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"]))
        #expect(!notifier.send(["READY=1"]))
    }

    @Test("LISTEN_FDS counts only when LISTEN_PID is this process and the count is at least 1")
    func activationIsForUsOnly() throws {
        let me = String(getpid())
        #expect(try SocketActivation.listener(environment: [:], named: "mcp") == nil)
        #expect(try SocketActivation.listener(environment: ["LISTEN_FDS": "1"], named: "mcp") == nil)
        #expect(try SocketActivation.listener(environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1"], named: "mcp") == nil)
        #expect(try SocketActivation.listener(environment: ["LISTEN_PID": me, "LISTEN_FDS": "0"], named: "mcp") == nil)
        #expect(try SocketActivation.listener(environment: ["LISTEN_PID": me, "LISTEN_FDS": "x"], named: "mcp") == nil)
    }
}
