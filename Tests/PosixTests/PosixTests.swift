import Glibc
import Testing

@testable import Posix

struct SocketAddressTests {
    @Test("parses the configuration spellings", arguments: [
        ("127.0.0.1:8080", SocketAddress.inet(host: "127.0.0.1", port: 8080)),
        ("[::1]:9", .inet(host: "::1", port: 9)),
        ("localhost:0", .inet(host: "localhost", port: 0)),
        ("unix:/run/x.sock", .unix(path: "/run/x.sock")),
    ])
    func parses(_ text: String, _ expected: SocketAddress) {
        #expect(SocketAddress(text) == expected)
        #expect(SocketAddress(expected.description) == expected)
    }

    @Test("rejects the rest", arguments: ["", "8080", "host:", ":80", "host:65536", "unix:", "unix:" + String(repeating: "a", count: 120)])
    func rejects(_ text: String) {
        #expect(SocketAddress(text) == nil)
    }
}

struct SpawnTests {
    /// Waits for one child of ours (never waitpid(-1) in tests: other tests have children too).
    func wait(_ pid: Int32) -> WaitStatus {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return WaitStatus(raw: raw)
    }

    @Test("exit codes and signals are decoded")
    func waitStatus() throws {
        #expect(wait(try Spawn.spawn("/bin/sh", arguments: ["sh", "-c", "exit 7"])) == .exited(7))
        #expect(wait(try Spawn.spawn("/bin/sh", arguments: ["sh", "-c", "kill -TERM $$"])) == .signaled(SIGTERM))
        #expect(WaitStatus.signaled(SIGKILL).description == "killed by SIGKILL")
    }

    @Test("a child starts with no blocked signal and sees only the descriptors it was given")
    func cleanChild() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let script = "grep SigBlk /proc/self/status >&3; ls /proc/self/fd >&3"
        let pid = try Spawn.spawn("/bin/sh", arguments: ["sh", "-c", script], descriptors: [3: fds[1]])
        close(fds[1])
        #expect(wait(pid) == .exited(0))
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            output += buffer[..<n]
        }
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("SigBlk:\t0000000000000000"))
        // fds 0, 1, 2, 3, and the one ls opens to read the directory
        let fdList = text.split(separator: "\n").dropFirst().compactMap { Int($0) }
        #expect(fdList.filter { $0 > 4 }.isEmpty, "unexpected descriptors: \(fdList)")
    }

    @Test("a spawn of a missing program fails with its errno")
    func missingProgram() {
        #expect(throws: SystemError.self) { try Spawn.spawn("/nonexistent/oneapp", arguments: ["x"]) }
    }
}

struct SocketTests {
    @Test("a Unix listener is created 0600 and accepts a connection")
    func unixListener() throws {
        let path = "/tmp/oneapp-posix-test-\(getpid()).sock"
        let listener = try Socket.listen(.unix(path: path))
        defer {
            IO.close(listener)
            unlink(path)
        }
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let client = try Socket.connectUnix(path: path)
        defer { IO.close(client) }
        var accepted: Int32?
        for _ in 0..<100 where accepted == nil {
            accepted = try Socket.accept(listener)
            if accepted == nil { usleep(1000) }
        }
        let server = try #require(accepted)
        defer { IO.close(server) }
        try IO.writeAll(client, Array("ping".utf8))
        var buffer = [UInt8](repeating: 0, count: 8)
        var result = IOResult.wouldBlock
        for _ in 0..<100 where result == .wouldBlock {
            result = try buffer.withUnsafeMutableBytes { try IO.read(server, into: $0) }
            if result == .wouldBlock { usleep(1000) }
        }
        #expect(result == .done(4) && Array(buffer[..<4]) == Array("ping".utf8))
    }

    @Test("a TCP listener on port 0 reports the port the kernel chose")
    func tcpPort() throws {
        let listener = try Socket.listen(.inet(host: "127.0.0.1", port: 0))
        defer { IO.close(listener) }
        let port = try #require(Socket.localPort(listener))
        #expect(port > 0)
    }
}
