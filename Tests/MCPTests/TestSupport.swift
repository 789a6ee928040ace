import HTTP1
import JSON
@testable import MCP
import Synchronization
import Testing

/// What the fake tools saw, for tests about concurrency and cancellation.
final class ToolProbe: Sendable {
    private let log = Mutex<[String]>([])

    func record(_ event: String) { log.withLock { $0.append(event) } }
    var events: [String] { log.withLock { $0 } }
}

/// Three tools: one with structured content (title + annotations), one slow that reports
/// progress, one that always fails with `isError`.
struct FakeTools: ToolProvider {
    let probe = ToolProbe()

    var tools: [ToolDefinition] {
        [
            ToolDefinition(
                name: "get_weather", title: "Weather", description: "Weather for a city",
                inputSchema: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
                annotations: ["readOnlyHint": true]),
            ToolDefinition(
                name: "slow_count", description: "Counts slowly and reports progress",
                inputSchema: ["type": "object", "properties": ["steps": ["type": "integer"]]]),
            ToolDefinition(name: "always_fails", description: "Fails", inputSchema: ["type": "object", "additionalProperties": false]),
        ]
    }

    func callTool(named name: String, arguments: JSONObject, progress: @escaping @Sendable (ToolProgress) -> Void) async -> ToolResult {
        switch name {
        case "get_weather":
            let city = arguments["city"]?.stringValue ?? "?"
            return ToolResult(text: "4 °C in \(city)", structuredContent: ["city": .string(city), "celsius": 4])
        case "slow_count":
            return await slowCount(arguments, progress: progress)
        default:
            return .error("upstream said no")
        }
    }

    private func slowCount(_ arguments: JSONObject, progress: @Sendable (ToolProgress) -> Void) async -> ToolResult {
        let steps = arguments["steps"]?.intValue ?? 3
        let tag = arguments["tag"]?.stringValue ?? "count"
        probe.record("start \(tag)")
        for step in 1...steps {
            if Task.isCancelled {
                probe.record("cancelled \(tag)")
                return .error("cancelled")
            }
            progress(ToolProgress(progress: Double(step), total: Double(steps), message: "step \(step)"))
            try? await Task.sleep(for: .milliseconds(20))
        }
        probe.record("end \(tag)")
        return ToolResult(text: "counted to \(steps)")
    }
}

/// A ResponseWriter that records everything; it can play a client that leaves mid-stream.
final class RecordingWriter: ResponseWriter {
    struct Record: Sendable {
        var response: HTTPResponse?
        var streamStatus: Int?
        var streamFields: HTTPFields?
        var chunks: [[UInt8]] = []
        var ended = false
        var closed = false
    }

    private let record = Mutex(Record())
    /// Closes the connection once this many stream chunks were sent.
    private let closeAfterChunks: Int?

    init(closeAfterChunks: Int? = nil) { self.closeAfterChunks = closeAfterChunks }

    var snapshot: Record { record.withLock { $0 } }
    var isClosed: Bool { record.withLock { $0.closed } }

    func respond(_ response: HTTPResponse) { record.withLock { $0.response = response } }

    func beginStream(status: Int, fields: HTTPFields) {
        record.withLock {
            $0.streamStatus = status
            $0.streamFields = fields
        }
    }

    func sendStreamBytes(_ bytes: [UInt8]) {
        record.withLock {
            $0.chunks.append(bytes)
            if let limit = closeAfterChunks, $0.chunks.count >= limit { $0.closed = true }
        }
    }

    func endStream() { record.withLock { $0.ended = true } }
}

/// One answer as a client sees it, whether it came `.now` or `.later`.
struct Reply {
    var status: Int
    var fields: HTTPFields
    var body: [UInt8]
    var wasLater = false
    /// For streamed answers: each chunk's JSON payload, and whether the stream was ended.
    var events: [JSONValue] = []
    var streamEnded = false

    var json: JSONValue {
        get throws { try JSONValue(parsing: body) }
    }
    var errorCode: Int? { (try? json)?["error"]?["code"]?.intValue }
    var errorMessage: String? { (try? json)?["error"]?["message"]?.stringValue }
    var result: JSONValue? { (try? json)?["result"] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Builds requests, runs `handle` and, for `.later`, the closure with a recording writer.
struct Harness {
    static let key = Array(0..<32).map(UInt8.init)
    static let clock: UInt64 = 1_767_225_600
    static let server = MCPServerInfo(name: "oneapp-mcp", version: "1.2.3", instructions: "Use the tools.")
    static let jsonHeaders = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]

    let endpoint: StreamableHTTPEndpoint
    let tools: FakeTools

    init(origins: [String] = [], tenant: String = "acme", key: [UInt8] = Harness.key, maxAge: UInt64? = nil, now: UInt64 = Harness.clock) {
        tools = FakeTools()
        let options = EndpointOptions(allowedOrigins: origins, sessionKey: key, tenantID: tenant, sessionMaxAgeSeconds: maxAge)
        endpoint = StreamableHTTPEndpoint(server: Self.server, tools: tools, options: options, now: { now })
    }

    /// Sends a raw request; `headers` are exactly the fields sent.
    func send(_ method: String = "POST", body: String = "", headers: [(String, String)], writer: RecordingWriter = RecordingWriter()) async -> Reply {
        let head = HTTPRequestHead(method: method, target: "/mcp", fields: HTTPFields(headers))
        switch endpoint.handle(head: head, body: Array(body.utf8)) {
        case .now(let response):
            return Reply(status: response.status, fields: response.fields, body: response.body)
        case .later(let work):
            await work(writer)
            return Self.reply(from: writer.snapshot)
        }
    }

    /// A POST with JSON Content-Type and the usual Accept, plus `headers`.
    func post(_ body: String, _ headers: [(String, String)] = [], writer: RecordingWriter = RecordingWriter()) async -> Reply {
        await send(body: body, headers: Self.jsonHeaders + headers, writer: writer)
    }

    private static func reply(from record: RecordingWriter.Record) -> Reply {
        if let response = record.response {
            return Reply(status: response.status, fields: response.fields, body: response.body, wasLater: true)
        }
        let events = record.chunks.compactMap { chunk -> JSONValue? in
            let text = String(decoding: chunk, as: UTF8.self)
            guard text.hasPrefix("data: "), text.hasSuffix("\n\n") else { return nil }
            return try? JSONValue(parsing: String(text.dropFirst(6).dropLast(2)))
        }
        return Reply(
            status: record.streamStatus ?? 0, fields: record.streamFields ?? HTTPFields(), body: record.chunks.flatMap { $0 },
            wasLater: true, events: events, streamEnded: record.ended)
    }
}

/// JSON-RPC message text.
func rpc(_ method: String, id: JSONValue? = 1, params: JSONValue? = nil) -> String {
    var object: JSONObject = ["jsonrpc": "2.0"]
    if let id { object["id"] = id }
    object["method"] = .string(method)
    if let params { object["params"] = params }
    return JSONValue.object(object).serializedString()
}

extension Harness {
    /// Runs `initialize` and returns the minted session id.
    func session(_ version: String = "2025-11-25") async throws -> String {
        let reply = await post(rpc("initialize", params: ["protocolVersion": .string(version), "capabilities": [:],
            "clientInfo": ["name": "test", "version": "0"]]))
        return try #require(reply.fields["Mcp-Session-Id"])
    }

    /// A legacy request inside a fresh session at `version`, with the matching header.
    func legacy(_ body: String, version: String = "2025-11-25", sendHeader: Bool = true) async throws -> Reply {
        let id = try await session(version)
        var headers = [("Mcp-Session-Id", id)]
        if sendHeader { headers.append(("MCP-Protocol-Version", version)) }
        return await post(body, headers)
    }

    /// A well-formed 2026-07-28 request: `_meta`, `MCP-Protocol-Version`, `Mcp-Method`, and
    /// `Mcp-Name` for tools/call; `extra` headers are appended.
    func modern(_ method: String, params: JSONObject = [:], progressToken: JSONValue? = nil, extra: [(String, String)] = [],
                writer: RecordingWriter = RecordingWriter()) async -> Reply {
        var params = params
        params["_meta"] = modernMeta(progressToken: progressToken)
        var headers = [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", method)]
        if method == "tools/call", let name = params["name"]?.stringValue { headers.append(("Mcp-Name", name)) }
        return await post(rpc(method, params: .object(params)), headers + extra, writer: writer)
    }
}

func modernMeta(progressToken: JSONValue? = nil) -> JSONValue {
    var meta: JSONObject = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": [:],
        "io.modelcontextprotocol/clientInfo": ["name": "test", "version": "0"],
    ]
    if let progressToken { meta["progressToken"] = progressToken }
    return .object(meta)
}
