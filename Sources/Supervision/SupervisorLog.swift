import Glibc
import JSON

/// The supervisor's log: one JSON object per line, to standard error or to `logFile`, which
/// SIGUSR1 reopens (after logrotate has moved it away, the next line goes to a fresh file).
///
///     {"time":"2026-11-25T21:30:00.123Z","msg":"worker 812 for acme ready","client.id":"acme","worker.pid":812}
///     {"time":"…","msg":"request","client.id":"acme","status":200,"bytes.in":172,"bytes.out":6190,
///      "duration.ms":0.412,"worker.pid":812,"mcp.method":"tools/list"}
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
            write("log file cannot be opened; logging to standard error", ["path": .string(path), "errno": .int(Int(errno))])
            return
        }
        if fd != 2 { close(fd) }
        fd = newFD
    }

    /// Writes one line with `msg` and the given fields (lower-dotted keys: `client.id`, `worker.pid`).
    public func write(_ message: String, _ fields: JSONObject = [:]) {
        var line: [UInt8] = []
        line.reserveCapacity(160)
        line += #"{"time":""#.utf8
        line += Self.timestamp().utf8
        line += #"","msg":"#.utf8
        JSONValue.appendQuoted(message, into: &line)
        for member in fields {
            line.append(UInt8(ascii: ","))
            JSONValue.appendQuoted(member.key, into: &line)
            line.append(UInt8(ascii: ":"))
            line += member.value.serialized()
        }
        line += "}\n".utf8
        _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// UTC with milliseconds, e.g. `2026-11-25T21:30:00.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}
