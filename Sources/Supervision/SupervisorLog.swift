import Glibc
import HTTP1
import JSON

/// The supervisor's log: one JSON object per line, to standard error or to `logFile`, which
/// SIGUSR1 reopens (after logrotate has moved it away, the next line goes to a fresh file).
///
///     {"time":"2026-11-25T21:30:00.123Z","msg":"worker 812 for acme ready","client.id":"acme","worker.pid":812}
///     {"time":"…","msg":"request","client.id":"acme","status":200,"bytes.in":172,"bytes.out":6190,
///      "duration.ms":0.412,"worker.pid":812,"mcp.method":"tools/list"}
///
/// Request lines are collected and written every 64 KiB or at the loop's one-second tick
/// (`flush`), like nginx's `access_log … buffer=64k flush=1s`: one write for a batch instead of
/// one per request, at any load. Any other line flushes at once, after the requests before it,
/// so the order stays true.
public final class SupervisorLog {
    private let path: String?
    private var fd: Int32 = 2
    private var pending: [UInt8] = []
    /// Beyond this much, request lines are written without waiting for the end of the turn.
    private static let pendingLimit = 64 * 1024
    /// `"2026-11-25T21:30:00.` for the second `cachedSecond`: only the milliseconds change
    /// between most lines.
    private var cachedSecond = -1
    private var cachedPrefix: [UInt8] = []

    public init(path: String?) {
        self.path = path
        pending.reserveCapacity(Self.pendingLimit)
        reopen()
    }

    public func reopen() {
        guard let path else { return }
        flush()
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
        let millis = refreshClock()
        Self.beginLine(prefix: cachedPrefix, millis: millis, into: &pending)
        JSONValue.appendQuoted(message, into: &pending)
        for member in fields {
            pending.append(UInt8(ascii: ","))
            JSONValue.appendQuoted(member.key, into: &pending)
            pending.append(UInt8(ascii: ":"))
            pending += member.value.serialized()
        }
        pending += "}\n".utf8
        flush()
    }

    /// The access-log line of one request (buffered until `flush`):
    /// `{"time":…,"msg":"request","client.id":…,"status":…,"bytes.in":…,"bytes.out":…,
    /// "duration.ms":…[,"worker.pid":…][,"mcp.method":…][,"mcp.tool":…]}`
    func request(_ exchange: Exchange, clientID: String?, microseconds: UInt64) {
        let millis = refreshClock()
        // Written through one access to `pending` (each access to a class's property is checked
        // for exclusivity at run time; this runs for every request).
        Self.appendRequest(exchange, clientID: clientID, microseconds: microseconds, prefix: cachedPrefix, millis: millis, into: &pending)
        if pending.count >= Self.pendingLimit { flush() }
    }

    private static func appendRequest(
        _ exchange: Exchange, clientID: String?, microseconds: UInt64, prefix: [UInt8], millis: Int, into line: inout [UInt8]
    ) {
        beginLine(prefix: prefix, millis: millis, into: &line)
        line.appendASCII(#""request","client.id":"#)
        if let clientID { JSONValue.appendQuoted(clientID, into: &line) } else { line.appendASCII("null") }
        line.appendASCII(#","status":"#)
        line.appendDecimal(exchange.status)
        line.appendASCII(#","bytes.in":"#)
        line.appendDecimal(exchange.bytesIn)
        line.appendASCII(#","bytes.out":"#)
        line.appendDecimal(exchange.bytesOut)
        line.appendASCII(#","duration.ms":"#)
        line.appendDecimal(Int(microseconds / 1000))
        line.append(UInt8(ascii: "."))
        appendThreeDigits(Int(microseconds % 1000), into: &line)
        if let pid = exchange.workerPID {
            line.appendASCII(#","worker.pid":"#)
            line.appendDecimal(Int(pid))
        }
        if let method = exchange.mcpMethod {
            line.appendASCII(#","mcp.method":"#)
            JSONValue.appendQuoted(method, into: &line)
        }
        if let tool = exchange.mcpTool {
            line.appendASCII(#","mcp.tool":"#)
            JSONValue.appendQuoted(tool, into: &line)
        }
        line.appendASCII("}\n")
    }

    /// Writes what is pending (the supervisor calls this every second).
    public func flush() {
        guard !pending.isEmpty else { return }
        var offset = 0
        while offset < pending.count {
            let n = pending.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }  // a log must never stop the server
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Reads the clock, renews `cachedPrefix` when the second changed, and returns the milliseconds.
    private func refreshClock() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if now.tv_sec != cachedSecond {
            cachedSecond = now.tv_sec
            cachedPrefix = Array(#"{"time":""#.utf8) + Array(Self.secondPrefix(now.tv_sec).utf8)
        }
        return Int(now.tv_nsec / 1_000_000)
    }

    /// `{"time":"<now>","msg":`
    private static func beginLine(prefix: [UInt8], millis: Int, into line: inout [UInt8]) {
        line += prefix
        appendThreeDigits(millis, into: &line)
        line.appendASCII(#"Z","msg":"#)
    }

    /// 0…999 as three digits (milliseconds, microseconds), byte by byte: no array literal.
    private static func appendThreeDigits(_ n: Int, into line: inout [UInt8]) {
        line.append(UInt8(48 + n / 100))
        line.append(UInt8(48 + n / 10 % 10))
        line.append(UInt8(48 + n % 10))
    }

    /// `2026-11-25T21:30:00.` for a Unix time.
    private static func secondPrefix(_ time: Int) -> String {
        var seconds = time
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))."
    }
}
