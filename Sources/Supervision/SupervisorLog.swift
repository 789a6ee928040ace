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
    /// Lines not yet written: the first `pendingCount` bytes. Request lines are written into it
    /// through a pointer, one capacity check per line (each append to an array checks capacity
    /// and uniqueness, and a request line has some twenty pieces).
    private let pending: UnsafeMutableRawBufferPointer
    private var pendingCount = 0
    /// Beyond this much, request lines are written without waiting for the tick.
    private static let pendingLimit = 64 * 1024
    /// Room one request line can take at most: its variable parts are bounded (`clipped`).
    private static let maxRequestLine = 4096
    /// A logged client ID as sent, an MCP method or tool is cut to this many bytes.
    static let maxLoggedValue = 128
    /// `{"time":"2026-11-25T21:30:00.` for the second `cachedSecond`: only the milliseconds
    /// change between most lines.
    private var cachedSecond = -1
    private var cachedPrefix: [UInt8] = []

    public init(path: String?) {
        self.path = path
        pending = .allocate(byteCount: Self.pendingLimit + Self.maxRequestLine, alignment: 1)
        reopen()
    }

    deinit {
        flush()
        if fd != 2 { close(fd) }
        pending.deallocate()
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

    /// Writes one line with `msg` and the given fields (lower-dotted keys: `client.id`, `worker.pid`),
    /// after the request lines before it, so the order stays true.
    public func write(_ message: String, _ fields: JSONObject = [:]) {
        let millis = refreshClock()
        var line = cachedPrefix
        Self.appendThreeDigits(millis, into: &line)
        line.appendASCII(#"Z","msg":"#)
        JSONValue.appendQuoted(message, into: &line)
        for member in fields {
            line.append(UInt8(ascii: ","))
            JSONValue.appendQuoted(member.key, into: &line)
            line.append(UInt8(ascii: ":"))
            line += member.value.serialized()
        }
        line.appendASCII("}\n")
        flush()
        line.withUnsafeBytes { writeAll($0) }
    }

    /// The access-log line of one request (buffered until `flush`):
    /// `{"time":…,"msg":"request","client.id":…,"status":…,"bytes.in":…,"bytes.out":…,
    /// "duration.ms":…[,"worker.pid":…][,"mcp.method":…][,"mcp.tool":…]}`
    func request(_ exchange: Exchange, clientID: String?, microseconds: UInt64) {
        let millis = refreshClock()
        if pendingCount + Self.maxRequestLine > pending.count { flush() }
        var line = LineWriter(UnsafeMutableRawBufferPointer(rebasing: pending[pendingCount...]))
        line.bytes(cachedPrefix)
        line.threeDigits(millis)
        line.ascii(#"Z","msg":"request","client.id":"#)
        if let clientID { line.quoted(clientID) } else { line.ascii("null") }
        line.ascii(#","status":"#)
        line.decimal(exchange.status)
        line.ascii(#","bytes.in":"#)
        line.decimal(exchange.bytesIn)
        line.ascii(#","bytes.out":"#)
        line.decimal(exchange.bytesOut)
        line.ascii(#","duration.ms":"#)
        line.decimal(Int(microseconds / 1000))
        line.ascii(".")
        line.threeDigits(Int(microseconds % 1000))
        if let pid = exchange.workerPID {
            line.ascii(#","worker.pid":"#)
            line.decimal(Int(pid))
        }
        if let method = exchange.mcpMethod {
            line.ascii(#","mcp.method":"#)
            line.quoted(method)
        }
        if let tool = exchange.mcpTool {
            line.ascii(#","mcp.tool":"#)
            line.quoted(tool)
        }
        line.ascii("}\n")
        pendingCount += line.count
        if pendingCount >= Self.pendingLimit { flush() }
    }

    /// Writes what is pending (the supervisor calls this every second).
    public func flush() {
        guard pendingCount > 0 else { return }
        writeAll(UnsafeRawBufferPointer(rebasing: pending[..<pendingCount]))
        pendingCount = 0
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }  // a log must never stop the server
        }
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

    /// 0…999 as three digits (milliseconds).
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

/// Writes one request line into room the log has checked is large enough (`maxRequestLine`):
/// the fixed parts are short, and every variable one is a number or a value `clipped` to
/// `maxLoggedValue` bytes, at most six bytes each once escaped.
struct LineWriter {
    private let room: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ room: UnsafeMutableRawBufferPointer) { self.room = room }

    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        UnsafeMutableRawBufferPointer(rebasing: room[count..<(count + bytes.count)]).copyMemory(from: bytes)
        count += bytes.count
    }

    mutating func bytes(_ bytes: [UInt8]) { bytes.withUnsafeBytes { self.bytes($0) } }

    mutating func ascii(_ text: StaticString) { bytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) }

    mutating func byte(_ byte: UInt8) {
        room[count] = byte
        count += 1
    }

    mutating func decimal(_ value: Int) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        // Written from the right: the last digit first.
        var index = count + digits
        repeat {
            index -= 1
            room[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digits
    }

    /// 0…999 as three digits (milliseconds, microseconds).
    mutating func threeDigits(_ n: Int) {
        byte(UInt8(48 + n / 100))
        byte(UInt8(48 + n / 10 % 10))
        byte(UInt8(48 + n % 10))
    }

    /// A JSON string of at most `maxLoggedValue` bytes of `text`, cut before a character.
    mutating func quoted(_ text: String) {
        var text = text
        byte(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            for byte in Self.clipped(utf8) { JSONValue.writeEscaped(byte) { self.byte($0) } }
        }
        byte(UInt8(ascii: "\""))
    }

    /// The first `maxLoggedValue` bytes of valid UTF-8, ending before a continuation byte.
    static func clipped(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard utf8.count > SupervisorLog.maxLoggedValue else { return utf8 }
        var end = SupervisorLog.maxLoggedValue
        while end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }
        return UnsafeBufferPointer(rebasing: utf8[..<end])
    }
}
