import Foundation
import Glibc
import Posix

/// A process of the real binary started by a test: its pid, a pipe to its stdin, its stdout and
/// stderr in files. `deinit` kills it if the test did not stop it, so a failing test leaves no
/// process behind; its pid is also recorded for scripts/test.sh's last-resort cleanup.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutPath: String
    let stderrPath: String
    private let directory: String
    private var exitStatus: Int32?

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ONEAPP_MCP_BIN"] { return path }
        // Tests/BlackBoxTests/Support/ChildProcess.swift → package root → .build/debug
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/oneapp-mcp").path
    }

    /// `descriptor3`: a descriptor of the test's to hand the child as its fd 3 (systemd's first
    /// passed socket). `listenPIDIsChild`: start through /bin/sh, which sets LISTEN_PID to its own
    /// pid and execs the binary (keeping that pid), as systemd does for a socket-activated service.
    init(_ arguments: [String], environment: [String: String] = [:], descriptor3: Int32? = nil, listenPIDIsChild: Bool = false) throws {
        let dir = try TemporaryDirectory.make(prefix: "child")
        directory = dir
        stdoutPath = dir + "/stdout"
        stderrPath = dir + "/stderr"
        let (stdinRead, stdinWrite) = try Spawn.pipe()
        defer { close(stdinRead) }
        let stdout = open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let stderr = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(stdout); close(stderr) }
        var descriptors: [Int32: Int32] = [0: stdinRead, 1: stdout, 2: stderr]
        if let descriptor3 { descriptors[3] = descriptor3 }
        let wrapper = listenPIDIsChild ? ["/bin/sh", "-c", #"LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@""#] : []
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        // The product's own spawn: an empty signal mask (test threads block most signals),
        // default dispositions, and no descriptor but these four.
        let child: Int32
        do {
            child = try Spawn.spawn(wrapper.first ?? Self.binary, arguments: wrapper + [Self.binary] + arguments, environment: env, descriptors: descriptors)
        } catch {
            close(stdinWrite)
            throw TestFailure("spawn \(Self.binary) failed: \(error)")
        }
        pid = child
        stdinFD = stdinWrite
        Self.record(pid)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(stdinFD)
        Self.forget(pid)
        try? FileManager.default.removeItem(atPath: directory)
    }

    func writeStdin(_ text: String) {
        _ = text.withCString { write(stdinFD, $0, strlen($0)) }
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits (polling, off the cooperative pool's toes: short sleeps) for a stdout line containing `marker`.
    func waitForLine(containing marker: String, timeout: Double = 10) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
            if let status = reapIfExited() { throw TestFailure("process exited (\(status)) before '\(marker)': \(stderr)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no '\(marker)' within \(timeout)s; stderr: \(stderr)")
    }

    /// The address from a "… listening on ADDRESS" line.
    func listeningAddress() async throws -> String {
        let line = try await waitForLine(containing: "listening on ")
        return String(line[line.range(of: "listening on ")!.upperBound...])
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// The raw wait status once the process has exited, without blocking.
    func reapIfExited() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exitStatus = status }
        return exitStatus
    }

    /// Waits for exit; returns the exit code (or 128 + signal).
    func waitForExit(timeout: Double = 10) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = reapIfExited() {
                return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("process \(pid) did not exit within \(timeout)s")
    }

    var isRunning: Bool { reapIfExited() == nil }

    private static var pidDirectory: String? { ProcessInfo.processInfo.environment["ONEAPP_TEST_PIDDIR"].map { $0 + "/pids" } }

    private static func record(_ pid: pid_t) {
        guard let dir = pidDirectory else { return }
        _ = FileManager.default.createFile(atPath: "\(dir)/\(pid)", contents: nil)
    }

    private static func forget(_ pid: pid_t) {
        guard let dir = pidDirectory else { return }
        try? FileManager.default.removeItem(atPath: "\(dir)/\(pid)")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum TemporaryDirectory {
    /// Under scripts/test.sh's scratch directory (removed when the run ends), else /tmp.
    static func make(prefix: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["ONEAPP_TEST_PIDDIR"] ?? "/tmp"
        var template = Array("\(base)/oneapp-mcp-\(prefix).XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return String(cString: path)
    }
}

/// Runs blocking work (socket reads) on its own thread, so the two-thread cooperative pool
/// that runs the tests is never starved by a test waiting on a socket.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
