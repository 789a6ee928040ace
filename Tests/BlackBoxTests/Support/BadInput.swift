import Foundation
import Glibc
import JSON
import HTTP1
import Testing

/// What a bad input must get.
struct Expectation: Sendable {
    /// nil: the connection is closed without an answer.
    var status: Int?
    /// The supervisor's `error.data.code` (README "HTTP errors"), when it answers itself.
    var dataCode: String?
    /// The worker's JSON-RPC `error.code`, when the request reached it.
    var rpcCode: Int?
    /// The connection must be closed after the answer (HTTP-level errors).
    var closes = false
    /// The answer (or close) must come within this many seconds of the first byte.
    var withinSeconds = 5.0

    /// An HTTP-level error from the supervisor: its status and code, then a close.
    static func rejected(_ status: Int, within seconds: Double = 5) -> Expectation {
        let code = [408: "REQUEST_TIMEOUT", 413: "BODY_TOO_LARGE", 431: "HEADERS_TOO_LARGE"][status] ?? "BAD_REQUEST"
        return Expectation(status: status, dataCode: code, closes: true, withinSeconds: seconds)
    }

    /// A routing error from the supervisor; the connection stays usable.
    static func refused(_ status: Int, _ code: String) -> Expectation { Expectation(status: status, dataCode: code) }

    /// An answer from the tenant's worker, passed through.
    static func worker(_ status: Int, _ rpcCode: Int? = nil) -> Expectation { Expectation(status: status, rpcCode: rpcCode) }

    static let closed = Expectation(status: nil)
}

/// One malformed request: a name for the report, the raw bytes, how they are sent, what it must get.
struct BadInput: Sendable {
    enum Delivery: Sendable {
        case atOnce
        /// Then the client shuts down its sending side.
        case atOnceThenHalfClose
        /// One byte every `intervalMs` (slowloris).
        case drip(intervalMs: Int)
    }

    var name: String
    var bytes: [UInt8]
    var delivery = Delivery.atOnce
    var expected: Expectation

    init(_ name: String, _ bytes: [UInt8], _ expected: Expectation, delivery: Delivery = .atOnce) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
        self.delivery = delivery
    }

    init(_ name: String, _ text: String, _ expected: Expectation, delivery: Delivery = .atOnce) {
        self.init(name, Array(text.utf8), expected, delivery: delivery)
    }

    /// Sends the bytes on a fresh connection and reads the first answer (blocking).
    func exchange(with address: String) -> Seen {
        let start = Date()
        guard let client = try? HTTPTestClient(address, timeoutSeconds: 8) else { return Seen(outcome: .silent, seconds: 0, closedAfter: false) }
        switch delivery {
        case .atOnce: client.sendTolerantly(bytes)
        case .atOnceThenHalfClose:
            client.sendTolerantly(bytes)
            shutdown(client.fd, Int32(SHUT_WR))
        case .drip(let interval): client.drip(bytes, intervalMs: interval)
        }
        let outcome = client.readOutcome()
        let seconds = Date().timeIntervalSince(start)
        let closedAfter = expected.closes && outcome.status != nil ? client.waitForClose() : false
        return Seen(outcome: outcome, seconds: seconds, closedAfter: closedAfter)
    }

    struct Seen: Sendable {
        var outcome: RawOutcome
        var seconds: Double
        var closedAfter: Bool
    }

    /// Records an issue, named after this case, for each way `seen` differs from the expectation.
    func check(_ seen: Seen) {
        #expect(seen.outcome.status == expected.status, "\(name): got \(seen.outcome)")
        #expect(seen.seconds <= expected.withinSeconds, "\(name): took \(seen.seconds) s")
        guard expected.status != nil, seen.outcome.status != nil else { return }
        let error = (try? JSONValue(parsing: seen.outcome.body))?["error"]
        if let code = expected.dataCode {
            #expect(error?["data"]?["code"]?.stringValue == code, "\(name): got \(seen.outcome)")
        }
        if let code = expected.rpcCode {
            #expect(error?["code"]?.intValue == code, "\(name): got \(seen.outcome)")
        }
        if expected.closes {
            #expect(seen.closedAfter, "\(name): the connection stayed open after the answer")
        }
    }
}

extension BadInput {
    /// A head from its lines (request line first), CRLF-terminated, with the empty line.
    static func head(_ lines: String...) -> String { head(lines) }

    static func head(_ lines: [String]) -> String { lines.map { $0 + "\r\n" }.joined() + "\r\n" }

    /// A POST /mcp for `tenant` with JSON Content-Type and the usual Accept, `extra` header
    /// lines, and `body` framed by Content-Length (an era-less request: the worker treats it as legacy).
    static func post(
        _ body: [UInt8], tenant: String = "acme", extra: [String] = [], contentType: String = "application/json",
        accept: String = "application/json, text/event-stream"
    ) -> [UInt8] {
        var lines = ["POST /mcp HTTP/1.1", "Host: test", "X-Client-ID: \(tenant)", "Content-Type: \(contentType)", "Accept: \(accept)"]
        lines += extra
        lines.append("Content-Length: \(body.count)")
        return Array(lines.map { $0 + "\r\n" }.joined().utf8) + Array("\r\n".utf8) + body
    }

    static func post(
        _ body: String, tenant: String = "acme", extra: [String] = [], contentType: String = "application/json",
        accept: String = "application/json, text/event-stream"
    ) -> [UInt8] {
        post(Array(body.utf8), tenant: tenant, extra: extra, contentType: contentType, accept: accept)
    }

    /// A head for tenant acme with one more header line, given as raw bytes.
    static func withHeaderLine(_ line: [UInt8]) -> [UInt8] {
        Array("POST /mcp HTTP/1.1\r\nHost: test\r\n".utf8) + line + Array("\r\nContent-Length: 0\r\n\r\n".utf8)
    }

    /// A chunked POST for tenant acme whose body is `chunks`, raw.
    static func chunked(_ chunks: String) -> String {
        head("POST /mcp HTTP/1.1", "Host: test", "X-Client-ID: acme", "Content-Type: application/json", "Transfer-Encoding: chunked") + chunks
    }

    static let ping = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#

    /// The first bytes of a TLS 1.2 ClientHello: what a client sends that took us for HTTPS.
    /// Its supported_groups extension (type 0x000a) holds a bare LF.
    static let tlsClientHello: [UInt8] =
        [0x16, 0x03, 0x01, 0x00, 0x4c, 0x01, 0x00, 0x00, 0x48, 0x03, 0x03] + Array(repeating: 0x42, count: 32)
        + [0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d]
}

/// Raises this process's soft limit on open files (up to the hard limit) if it is lower.
func raiseOpenFileLimit(to wanted: rlim_t) {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < wanted else { return }
    limit.rlim_cur = min(wanted, limit.rlim_max)
    setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
}

extension SupervisorFixture {
    var supervisorPID: Int32? {
        (try? String(contentsOfFile: "\(runDirectory)/supervisor.pid", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
