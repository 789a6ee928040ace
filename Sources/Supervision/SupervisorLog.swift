import Glibc

/// The supervisor's log: one line per event, to standard error or to `logFile`, which SIGUSR1
/// reopens (after logrotate has moved it away, the next line goes to a fresh file).
public final class SupervisorLog {
    private let path: String?
    private var fd: Int32 = 2

    public init(path: String?) {
        self.path = path
        reopen()
    }

    public func reopen() {
        guard let path else { return }
        let newFD = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard newFD >= 0 else {
            write("log file \(path) cannot be opened (errno \(errno)); logging to standard error")
            return
        }
        if fd != 2 { close(fd) }
        fd = newFD
    }

    /// Writes one line: `2026-11-25T21:30:00Z message`.
    public func write(_ message: String) {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let stamp = String(
            format4(Int(parts.tm_year) + 1900) + "-" + format2(Int(parts.tm_mon) + 1) + "-" + format2(Int(parts.tm_mday)) + "T"
                + format2(Int(parts.tm_hour)) + ":" + format2(Int(parts.tm_min)) + ":" + format2(Int(parts.tm_sec)) + "Z")
        let line = Array("\(stamp) \(message)\n".utf8)
        _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private func format4(_ n: Int) -> String { String(n) }
}
