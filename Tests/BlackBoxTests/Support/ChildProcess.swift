import Foundation
import Glibc

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
        var stdinPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0 else { throw TestFailure("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_addclose(&actions, stdinPipe[1])
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let descriptor3 {
            // dup2 clears close-on-exec on the copy, but dup2 onto itself would not: go through a spare number.
            if descriptor3 == 3 {
                posix_spawn_file_actions_adddup2(&actions, 3, 1003)
                posix_spawn_file_actions_adddup2(&actions, 1003, 3)
                posix_spawn_file_actions_addclose(&actions, 1003)
            } else {
                posix_spawn_file_actions_adddup2(&actions, descriptor3, 3)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Test threads block most signals; the child must start with none blocked.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let wrapper = listenPIDIsChild ? ["/bin/sh", "-c", #"LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@""#] : []
        let argv = (wrapper + [Self.binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, wrapper.first ?? Self.binary, &actions, &attributes, argv, envp)
        close(stdinPipe[0])
        guard rc == 0 else {
            close(stdinPipe[1])
            throw TestFailure("posix_spawn \(Self.binary) failed: \(rc)")
        }
        pid = child
        stdinFD = stdinPipe[1]
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

    func closeStdin() { close(stdinFD) }

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
        FileManager.default.createFile(atPath: "\(dir)/\(pid)", contents: nil)
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
