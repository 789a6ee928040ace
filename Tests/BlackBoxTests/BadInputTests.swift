import Foundation
import Glibc
import JSON
import HTTP1
import Testing

/// Malformed requests over raw sockets against the real supervisor: each gets its error status
/// (or a closed connection) within a bound, the supervisor keeps its pid, and a normal request
/// right after is served. One supervisor serves the whole table (starting one per case would
/// cost more than the cases); every failure names its case.
@Suite(.timeLimit(.minutes(2)))
struct BadInputTests {
    @Test("each malformed request gets its status or a close, and the supervisor serves the next request")
    func malformedRequests() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["headTimeoutSeconds": 1])
        #expect(try await onThread { try supervisor.listTools("acme") }.status == 200)
        let worker = try #require(supervisor.workerPID("acme"))
        for input in BadInput.table {
            // Sockets block: off the cooperative pool, which the unit tests share.
            let (seen, next) = try await onThread { (input.exchange(with: supervisor.address), try supervisor.listTools("acme")) }
            input.check(seen)
            #expect(supervisor.process.isRunning, "\(input.name): the supervisor exited")
            #expect(supervisor.supervisorPID == supervisor.process.pid, "\(input.name): the supervisor pid file changed")
            #expect(next.status == 200, "\(input.name): the next request got \(next.status) \(next.text)")
        }
        // Bodies that reach the worker never crash it either.
        #expect(supervisor.workerPID("acme") == worker)
        #expect(try await supervisor.tenantStatus("acme")?["crashes"] == 0)
    }

    @Test("500 connections at once are each answered or closed cleanly, and the supervisor keeps serving")
    func fiveHundredConnections() async throws {
        raiseOpenFileLimit(to: 4096)  // before the supervisor starts: it inherits the limit
        let supervisor = try await SupervisorFixture.startDemo()
        let address = supervisor.address
        let problems = try await onThread { () -> [String] in
            for tenant in ["acme", "globex"] where try supervisor.listTools(tenant).status != 200 { return ["\(tenant) is not served"] }
            let clients = try (0..<500).map { _ in try HTTPTestClient(address, timeoutSeconds: 20) }
            for (i, client) in clients.enumerated() { client.sendTolerantly(ConnectionFlood.request(i)) }
            return clients.enumerated().compactMap { i, client in ConnectionFlood.problem(i, client.readOutcome()) }
        }
        #expect(problems.isEmpty, "\(problems.count) of 500 connections: \(problems.prefix(3))")
        #expect(supervisor.process.isRunning)
        #expect(try await onThread { try supervisor.listTools("acme") }.status == 200)
    }

    @Test("a rejected request whose promised body never comes is closed within a bound")
    func rejectedRequestWithStalledBody() async throws {
        let supervisor = try await SupervisorFixture.start(
            clients: ["acme": ["authorization": "", "coreBaseUrl": "http://127.0.0.1:9", "clientBaseUrl": "http://127.0.0.1:9", "clientHeader": ""]],
            extra: ["headTimeoutSeconds": 1, "keepAliveIdleSeconds": 1])
        let address = supervisor.address
        let (answer, closed) = try await onThread { () -> (RawOutcome, Bool) in
            let client = try HTTPTestClient(address, timeoutSeconds: 4)
            client.sendTolerantly(Array((BadInput.head("POST /mcp HTTP/1.1", "X-Client-ID: initech", "Content-Length: 100") + "{").utf8))
            return (client.readOutcome(), client.waitForClose())
        }
        #expect(answer.status == 403)
        // The answer went out before the body; a body that stops coming is bounded by
        // headTimeoutSeconds of silence, like a head.
        #expect(closed, "the connection is still open 4 s after the 403")
        #expect(supervisor.process.isRunning)
    }
}

/// Every tenth connection of the flood sends garbage (400, then close); the others a
/// `tools/list` for acme or globex whose answer must carry their own id (no crossed wires).
enum ConnectionFlood {
    static func request(_ i: Int) -> [UInt8] {
        guard i % 10 != 9 else { return Array("GARBAGE\r\n\r\n".utf8) }
        return BadInput.post(
            #"{"jsonrpc":"2.0","id":\#(i),"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#,
            tenant: i % 2 == 0 ? "acme" : "globex", extra: ["MCP-Protocol-Version: 2026-07-28", "Mcp-Method: tools/list"])
    }

    static func problem(_ i: Int, _ seen: RawOutcome) -> String? {
        if i % 10 == 9 { return seen.status == 400 || seen == .closed ? nil : "#\(i) garbage: \(seen)" }
        // Beyond maxInFlightPerTenant + queueLimit a tenant's flood is refused, as documented.
        if seen.status == 503, (try? JSONValue(parsing: seen.body))?["error"]?["data"]?["code"] == "OVERLOADED" { return nil }
        guard seen.status == 200 else { return "#\(i): \(seen)" }
        let id = (try? JSONValue(parsing: seen.body))?["id"]
        return id == .int(i) ? nil : "#\(i) got the answer for id \(id.map { "\($0)" } ?? "none")"
    }
}

extension BadInput {
    /// The cases, by family. Statuses follow README "HTTP errors"; bodies that reach the worker
    /// get its JSON-RPC answer through the supervisor.
    static let table: [BadInput] = requestLines + headerSyntax + clientIDs + sizes + framing + timeouts + bodies

    static let requestLines: [BadInput] = [
        BadInput("garbage request line", "GARBAGE\r\n\r\n", .rejected(400)),
        BadInput("HTTP/0.9 simple request (no version)", "GET /mcp\r\n", .rejected(400)),
        BadInput("HTTP/0.9 named", head("GET /mcp HTTP/0.9"), .rejected(505)),
        BadInput("HTTP/2.0 request line", head("POST /mcp HTTP/2.0", "X-Client-ID: acme"), .rejected(505)),
        BadInput("HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .rejected(505)),
        BadInput("lowercase version", head("POST /mcp http/1.1", "X-Client-ID: acme"), .rejected(400)),
        BadInput("two spaces after the method", head("POST  /mcp HTTP/1.1", "X-Client-ID: acme"), .rejected(400)),
        BadInput("space inside the target", head("POST /m cp HTTP/1.1", "X-Client-ID: acme"), .rejected(400)),
        BadInput("tab as separator", head("POST\t/mcp HTTP/1.1", "X-Client-ID: acme"), .rejected(400)),
        BadInput("NUL in the method", head("PO\u{0}ST /mcp HTTP/1.1", "X-Client-ID: acme"), .rejected(400)),
        BadInput("UTF-8 in the target", head("POST /mcpé HTTP/1.1", "X-Client-ID: acme"), .rejected(400)),
        BadInput("request line of 20,000 bytes", head("GET /\(String(repeating: "a", count: 20_000)) HTTP/1.1"), .rejected(431)),
        BadInput("TLS ClientHello on the plain port", tlsClientHello, .rejected(400)),
        BadInput("NUL bytes only", [0, 0, 0, 0, 0, 0, 0, 0, 13, 10, 13, 10], .rejected(400)),
        BadInput("connection closed by the client before a byte", "", .closed, delivery: .atOnceThenHalfClose),
        BadInput("head cut short by the client's close", "POST /mcp HTTP/1.1\r\nX-Cli", .closed, delivery: .atOnceThenHalfClose),
    ]

    static let headerSyntax: [BadInput] = [
        BadInput("bare LF line endings", "POST /mcp HTTP/1.1\nX-Client-ID: acme\n\n", .rejected(400)),
        BadInput("bare CR inside a header line", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "X-A: b\rc"), .rejected(400)),
        BadInput("obs-fold continuation line", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "X-A: b", " folded"), .rejected(400)),
        BadInput("space before the colon", head("POST /mcp HTTP/1.1", "X-Client-ID : acme"), .rejected(400)),
        BadInput("header line without a colon", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "NoColonHere"), .rejected(400)),
        BadInput("empty header name", head("POST /mcp HTTP/1.1", ": acme"), .rejected(400)),
        BadInput("DEL in a header value", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "X-A: b\u{7f}"), .rejected(400)),
        BadInput("two Host lines", head("POST /mcp HTTP/1.1", "Host: a", "Host: b", "X-Client-ID: acme"), .rejected(400)),
    ]

    static let clientIDs: [BadInput] = [
        BadInput("NUL in X-Client-ID", withHeaderLine(Array("X-Client-ID: ac\u{0}me".utf8)), .rejected(400)),
        BadInput("CR in X-Client-ID", withHeaderLine(Array("X-Client-ID: ac\rme".utf8)), .rejected(400)),
        BadInput("LF in X-Client-ID", withHeaderLine(Array("X-Client-ID: ac\nme".utf8)), .rejected(400)),
        BadInput("CRLF smuggling a second X-Client-ID", post(ping, extra: ["X-Client-ID: globex"]), .refused(400, "DUPLICATE_CLIENT_ID")),
        BadInput("X-Client-ID list", post(ping, tenant: "acme, globex"), .refused(400, "DUPLICATE_CLIENT_ID")),
        BadInput("X-Client-ID of invalid UTF-8", withHeaderLine(Array("X-Client-ID: ".utf8) + [0x61, 0xC3, 0x28]), .refused(403, "INVALID_CLIENT_ID")),
        BadInput("X-Client-ID with a path", post(ping, tenant: "../acme"), .refused(403, "INVALID_CLIENT_ID")),
        BadInput("X-Client-ID of 65 characters", post(ping, tenant: String(repeating: "a", count: 65)), .refused(403, "INVALID_CLIENT_ID")),
        BadInput("X-Client-ID of an unknown tenant", post(ping, tenant: "initech"), .refused(403, "UNKNOWN_CLIENT")),
        BadInput("X-Client-ID of blanks", post(ping, tenant: " \t "), .refused(403, "MISSING_CLIENT_ID")),
        BadInput("no X-Client-ID", head("POST /mcp HTTP/1.1", "Content-Length: 0"), .refused(403, "MISSING_CLIENT_ID")),
        BadInput("path other than /mcp", head("POST /admin HTTP/1.1", "X-Client-ID: acme"), .refused(404, "NOT_FOUND")),
    ]

    static let sizes: [BadInput] = [
        BadInput("header value of 20,000 bytes", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "X-Big: " + String(repeating: "b", count: 20_000)), .rejected(431)),
        BadInput("101 header lines", head(["POST /mcp HTTP/1.1"] + (0..<101).map { "X-H\($0): v" }), .rejected(431)),
        BadInput("10,000 header lines", head(["POST /mcp HTTP/1.1"] + (0..<10_000).map { "X-H\($0): v" }), .rejected(431)),
        BadInput("Content-Length over maxBodyBytes", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: 2097152"), .rejected(413)),
        BadInput("chunked body over maxBodyBytes (1.1 MiB sent)", chunked(String(repeating: "10000\r\n" + String(repeating: "x", count: 65_536) + "\r\n", count: 17)), .rejected(413)),
    ]

    static let framing: [BadInput] = [
        BadInput("Content-Length with Transfer-Encoding", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: 5", "Transfer-Encoding: chunked"), .rejected(400)),
        BadInput("Transfer-Encoding with Content-Length", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Transfer-Encoding: chunked", "Content-Length: 5"), .rejected(400)),
        BadInput("two Content-Length lines", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: 2", "Content-Length: 2") + "{}", .rejected(400)),
        BadInput("Content-Length list", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: 2, 2") + "{}", .rejected(400)),
        BadInput("negative Content-Length", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: -1"), .rejected(400)),
        BadInput("Content-Length with a plus sign", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: +2") + "{}", .rejected(400)),
        BadInput("Content-Length in hex", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: 0x2") + "{}", .rejected(400)),
        BadInput("Content-Length of 30 digits", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length: " + String(repeating: "9", count: 30)), .rejected(400)),
        BadInput("empty Content-Length", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Content-Length:"), .rejected(400)),
        BadInput("Transfer-Encoding gzip", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Transfer-Encoding: gzip"), .rejected(501)),
        BadInput("Transfer-Encoding chunked twice", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "Transfer-Encoding: chunked, chunked"), .rejected(501)),
        BadInput("Transfer-Encoding in HTTP/1.0", head("POST /mcp HTTP/1.0", "X-Client-ID: acme", "Transfer-Encoding: chunked"), .rejected(400)),
        BadInput("chunk size not hex", chunked("zz\r\nabc\r\n0\r\n\r\n"), .rejected(400)),
        BadInput("negative chunk size", chunked("-1\r\nabc\r\n0\r\n\r\n"), .rejected(400)),
        BadInput("chunk size beyond 64 bits", chunked("1ffffffffffffffff\r\nabc\r\n0\r\n\r\n"), .rejected(400)),
        BadInput("chunk size line over 1 KiB", chunked("2;" + String(repeating: "e", count: 2000) + "\r\n{}\r\n0\r\n\r\n"), .rejected(400)),
        BadInput("chunk longer than its size", chunked("2\r\n{}}}\r\n0\r\n\r\n"), .rejected(400)),
    ]

    static let timeouts: [BadInput] = [
        BadInput("head started, then silence", "POST /mcp HTTP/1.1\r\nX-Client-ID: acme\r\n", .rejected(408, within: 4)),
        BadInput(
            "slowloris: a byte every 100 ms", head("POST /mcp HTTP/1.1", "X-Client-ID: acme", "X-Pad: " + String(repeating: "p", count: 100)),
            .rejected(408, within: 4), delivery: .drip(intervalMs: 100)),
    ]

    static let bodies: [BadInput] = [
        BadInput("body not JSON", post("hello"), .worker(400, -32700)),
        BadInput("empty body", post(""), .worker(400, -32700)),
        BadInput("body of invalid UTF-8", post(Array(#"{"jsonrpc":"2.0","id":1,"method":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)), .worker(400, -32700)),
        BadInput("raw NUL in a JSON string", post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi\u{0}ng\"}"), .worker(400, -32700)),
        BadInput("JSON nested 100,000 deep", post(String(repeating: "[", count: 100_000)), .worker(400, -32700)),
        BadInput("body a JSON number", post("42"), .worker(400, -32600)),
        BadInput("body an empty batch", post("[]"), .worker(400, -32600)),
        BadInput("jsonrpc 1.0", post(#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#), .worker(400, -32600)),
        BadInput("jsonrpc a number", post(#"{"jsonrpc":2.0,"id":1,"method":"ping"}"#), .worker(400, -32600)),
        BadInput("id an object", post(#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#), .worker(400, -32600)),
        BadInput("method a number", post(#"{"jsonrpc":"2.0","id":1,"method":7}"#), .worker(400, -32600)),
        BadInput("params a string", post(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}"#), .worker(400, -32600)),
        BadInput("Content-Type text/plain", post(ping, contentType: "text/plain"), .worker(415)),
        BadInput("Accept image/png", post(ping, accept: "image/png"), .worker(406)),
        BadInput("unknown MCP-Protocol-Version", post(ping, extra: ["MCP-Protocol-Version: 1999-01-01"]), .worker(400, -32022)),
        BadInput("unknown method token", head("BREW /mcp HTTP/1.1", "X-Client-ID: acme"), .worker(405)),
    ]
}
