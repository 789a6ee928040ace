import Configuration
import Glibc
import Posix

/// The files under `runDirectory` (README "Files"):
///
///     run/                       mode 0700
///       supervisor.pid
///       control.sock             status and restart (oneapp-mcp status / restart)
///       workers/<client>.pid     one per live worker
///       workers/<client>.<n>.sock
public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var supervisorPidFile: String { "\(path)/supervisor.pid" }
    public var controlSocket: String { "\(path)/control.sock" }
    var workersDirectory: String { "\(path)/workers" }

    func pidFile(for id: ClientID) -> String { "\(workersDirectory)/\(id).pid" }

    /// Each spawn gets its own socket, so a replacement can listen while the old worker drains.
    func socketPath(for id: ClientID, generation: Int) -> String { "\(workersDirectory)/\(id).\(generation).sock" }

    /// Creates the directory (0700) or takes it over from a supervisor that is gone: refuses
    /// while the pid file names a live process, then removes every stale pid file and socket.
    public func prepare() throws(SupervisorError) {
        for dir in [path, workersDirectory] {
            if mkdir(dir, 0o700) != 0 && errno != EEXIST { throw .runDirectory(dir, SystemError("mkdir")) }
            if chmod(dir, 0o700) != 0 { throw .runDirectory(dir, SystemError("chmod")) }
        }
        if let pid = Self.readPid(supervisorPidFile), pid != getpid(), kill(pid, 0) == 0, Self.isOurBinary(pid) {
            throw .alreadyRunning(pid: pid, runDirectory: path)
        }
        for name in Self.list(workersDirectory) { unlink("\(workersDirectory)/\(name)") }
        unlink(controlSocket)
        unlink(supervisorPidFile)
    }

    func writePid(_ pid: Int32, to file: String) {
        let tmp = file + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        try? IO.writeAll(fd, Array("\(pid)\n".utf8))
        close(fd)
        rename(tmp, file)  // atomic: a reader never sees a half-written pid
    }

    /// Removes a pid file only if it still names `pid` (a replacement may have taken it over).
    func removePid(_ pid: Int32, from file: String) {
        if Self.readPid(file) == pid { unlink(file) }
    }

    /// Removes everything a graceful shutdown must not leave behind.
    func removeAll() {
        for name in Self.list(workersDirectory) { unlink("\(workersDirectory)/\(name)") }
        rmdir(workersDirectory)
        unlink(controlSocket)
        unlink(supervisorPidFile)
    }

    static func readPid(_ file: String) -> Int32? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: " \n"))
    }

    private static func isOurBinary(_ pid: Int32) -> Bool {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return false }
        let exe = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return exe.hasSuffix("/oneapp-mcp") || exe == Spawn.selfExecutable
    }

    static func list(_ dir: String) -> [String] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
