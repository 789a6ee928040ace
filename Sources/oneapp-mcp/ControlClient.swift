import Glibc
import HTTP1
import JSON
import Posix

/// A one-shot HTTP request over the supervisor's control socket (blocking, with a timeout).
enum ControlClient {
    static func request(socket path: String, method: String, path target: String) -> (Int, [UInt8])? {
        guard let fd = try? Socket.connectUnix(path: path) else { return nil }
        defer { IO.close(fd) }
        IO.setNonBlocking(fd, false)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "\(method) \(target) HTTP/1.1\r\nHost: control\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        guard (try? IO.writeAll(fd, Array(request.utf8))) != nil else { return nil }
        var parser = HTTPResponseParser()
        var status = 0
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return status == 0 ? nil : (status, body) }
            parser.append(buffer[..<n])
            while let part = try? parser.next() {
                switch part {
                case .head(let head): status = head.status
                case .body(let bytes): body += bytes
                case .end: return (status, body)
                }
            }
        }
    }
}

/// `oneapp-mcp status` output: one line per tenant.
enum StatusTable {
    static func render(_ status: JSONValue) -> String {
        let columns = ["CLIENT", "STATE", "PID", "UPTIME", "IDLE", "REQUESTS", "RESTARTS", "CRASHES", "RSS", "LAST EXIT"]
        var rows: [[String]] = [columns]
        for tenant in status["tenants"]?.arrayValue ?? [] {
            rows.append([
                tenant["clientId"]?.stringValue ?? "?", tenant["state"]?.stringValue ?? "?", number(tenant["pid"]),
                seconds(tenant["uptimeSeconds"]), seconds(tenant["idleSeconds"]), number(tenant["requests"]),
                number(tenant["restarts"]), number(tenant["crashes"]), megabytes(tenant["residentBytes"]),
                tenant["lastExit"]?.stringValue ?? "-",
            ])
        }
        let widths = columns.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            out += row.enumerated().map { $1.padding(toLength: widths[$0]) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        if let supervisor = status["supervisor"] {
            out += "supervisor pid \(number(supervisor["pid"])), up \(seconds(supervisor["uptimeSeconds"])), "
                + "\(number(supervisor["liveWorkers"])) live workers, RSS \(megabytes(supervisor["residentBytes"]))\n"
        }
        for tenant in status["tenants"]?.arrayValue ?? [] {
            let lines = tenant["stderr"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard !lines.isEmpty else { continue }
            out += "\n\(tenant["clientId"]?.stringValue ?? "?") stderr (last \(lines.count) lines):\n" + lines.map { "  \($0)\n" }.joined()
        }
        return out
    }

    private static func number(_ value: JSONValue?) -> String { value?.intValue.map(String.init) ?? "-" }
    private static func seconds(_ value: JSONValue?) -> String { value?.intValue.map { "\($0)s" } ?? "-" }
    private static func megabytes(_ value: JSONValue?) -> String {
        guard let bytes = value?.intValue else { return "-" }
        let tenths = (bytes * 10 + 524_288) / 1_048_576  // one decimal, rounded
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}

extension String {
    func padding(toLength length: Int) -> String { self + String(repeating: " ", count: max(0, length - count)) }
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
