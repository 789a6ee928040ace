import HTTP1
import JSON
@testable import MCP
import Testing

private let serverInfoMeta: JSONValue = ["io.modelcontextprotocol/serverInfo": ["name": "oneapp-mcp", "version": "1.2.3"]]
private let allVersions: JSONValue = ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"]

/// The stateless era: server/discover, tools/list, tools/call, and the header rules.
struct ModernTests {
    let harness = Harness()

    @Test("server/discover")
    func discover() async throws {
        let reply = await harness.modern("server/discover")
        #expect(reply.status == 200)
        #expect(reply.fields["Content-Type"] == "application/json")
        #expect(reply.fields["Mcp-Session-Id"] == nil)
        let expected: JSONValue = [
            "resultType": "complete", "supportedVersions": allVersions, "capabilities": ["tools": ["listChanged": false]],
            "instructions": "Use the tools.", "ttlMs": 300000, "cacheScope": "private", "_meta": serverInfoMeta,
        ]
        #expect(try reply.json == ["jsonrpc": "2.0", "id": 1, "result": expected])
    }

    @Test("tools/list: resultType, tools with title and annotations, ttlMs, cacheScope private, serverInfo")
    func list() async throws {
        let reply = await harness.modern("tools/list")
        #expect(reply.status == 200)
        let result = try #require(reply.result?.objectValue)
        #expect(result.keys == ["resultType", "tools", "ttlMs", "cacheScope", "_meta"])
        #expect(result["resultType"] == "complete")
        #expect(result["ttlMs"] == 300000)
        #expect(result["cacheScope"] == "private")
        #expect(result["_meta"] == serverInfoMeta)
        let first = try #require(result["tools"]?.arrayValue?.first)
        #expect(first["title"] == "Weather")
        #expect(first["annotations"] == ["readOnlyHint": true])
    }

    @Test("tools/call: resultType, content, structuredContent, serverInfo")
    func call() async throws {
        let reply = await harness.modern("tools/call", params: ["name": "get_weather", "arguments": ["city": "Bergen"]])
        #expect(reply.status == 200)
        #expect(reply.wasLater)
        #expect(reply.result == [
            "resultType": "complete", "content": [["type": "text", "text": "4 °C in Bergen"]],
            "structuredContent": ["city": "Bergen", "celsius": 4], "_meta": serverInfoMeta,
        ])
    }

    @Test("tools/call of a failing tool: isError, still 200")
    func callIsError() async throws {
        let reply = await harness.modern("tools/call", params: ["name": "always_fails"])
        #expect(reply.status == 200)
        #expect(reply.result?["isError"] == true)
        #expect(reply.result?["resultType"] == "complete")
    }

    @Test("tools/call of an unknown tool: 400 -32602 (the SDK's modern status table)")
    func unknownTool() async throws {
        let reply = await harness.modern("tools/call", params: ["name": "nope"])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32602)
        #expect(reply.errorMessage == "Unknown tool: nope")
    }

    @Test("Mcp-Name in its =?base64?…?= form is decoded before comparing")
    func base64Name() async throws {
        let reply = await post("tools/call", params: ["name": "get_weather"], headers: [
            ("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), ("Mcp-Name", "=?base64?Z2V0X3dlYXRoZXI=?="),
        ])
        #expect(reply.status == 200)
        #expect(reply.result?["resultType"] == "complete")
    }

    @Test("a session id is ignored and never minted or echoed")
    func ignoresSession() async throws {
        let reply = await harness.modern("tools/list", extra: [("Mcp-Session-Id", "whatever")])
        #expect(reply.status == 200)
        #expect(reply.fields["Mcp-Session-Id"] == nil)
    }

    @Test("ping, initialize and unknown methods: 404 -32601", arguments: ["ping", "initialize", "resources/list", "logging/setLevel"])
    func notFound(method: String) async throws {
        let reply = await harness.modern(method, params: ["protocolVersion": "2026-07-28"])
        #expect(reply.status == 404)
        #expect(reply.errorCode == -32601)
        #expect(try reply.json["id"] == 1)
    }

    @Test("2099-01-01: 400 -32022 with data.supported and data.requested")
    func unsupportedVersion() async throws {
        let reply = await post("server/discover", headers: [("MCP-Protocol-Version", "2099-01-01"), ("Mcp-Method", "server/discover")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32022)
        #expect(try reply.json["error"]?["data"] == ["supported": allVersions, "requested": "2099-01-01"])
    }

    @Test("a batch: 400 -32600")
    func batch() async throws {
        let body = "[" + rpc("tools/list", params: ["_meta": modernMeta()]) + "]"
        let reply = await harness.post(body, [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32600)
        #expect(try reply.json["id"] == .null)
    }

    @Test("a JSON-RPC response from the client: 400 -32600")
    func clientResponse() async throws {
        let reply = await harness.post(#"{"jsonrpc":"2.0","id":1,"result":{}}"#, [("MCP-Protocol-Version", "2026-07-28")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32600)
    }

    @Test("a notification: 202 (Mcp-Method optional, but must match when sent)")
    func notification() async throws {
        let body = rpc("notifications/progress", id: nil, params: ["progressToken": 1, "progress": 1])
        let version = ("MCP-Protocol-Version", "2026-07-28")
        let matching = await harness.post(body, [version, ("Mcp-Method", "notifications/progress")])
        #expect(matching.status == 202)
        #expect(matching.body.isEmpty)
        #expect(await harness.post(body, [version]).status == 202)
        let wrong = await harness.post(body, [version, ("Mcp-Method", "tools/list")])
        #expect(wrong.status == 400)
        #expect(wrong.errorCode == -32020)
    }

    func post(_ method: String, params: JSONObject = [:], meta: JSONValue? = modernMeta(), headers: [(String, String)]) async -> Reply {
        var params = params
        if let meta { params["_meta"] = meta }
        return await harness.post(rpc(method, params: .object(params)), headers)
    }
}

/// 2026-07-28 header and `_meta` validation: -32020 for headers, -32602 for missing `_meta`.
struct ModernValidationTests {
    let harness = Harness()
    static let version = ("MCP-Protocol-Version", "2026-07-28")

    func call(headers: [(String, String)], name: String = "get_weather", meta: JSONValue? = modernMeta()) async -> Reply {
        var params: JSONObject = ["name": .string(name)]
        if let meta { params["_meta"] = meta }
        return await harness.post(rpc("tools/call", id: 7, params: .object(params)), [Self.version] + headers)
    }

    @Test("-32020: Mcp-Method missing, different, repeated or not printable ASCII", arguments: [
        [], [("Mcp-Method", "tools/list")], [("Mcp-Method", "TOOLS/CALL")],
        [("Mcp-Method", "tools/call"), ("Mcp-Method", "tools/call")], [("Mcp-Method", "tools/call\u{7F}")],
    ] as [[(String, String)]])
    func methodHeader(headers: [(String, String)]) async throws {
        let reply = await call(headers: headers + [("Mcp-Name", "get_weather")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32020)
        #expect(try reply.json["id"] == 7)
    }

    @Test("-32020: Mcp-Name missing, different, wrong base64 text or broken base64", arguments: [
        [], [("Mcp-Name", "always_fails")], [("Mcp-Name", "Get_Weather")], [("Mcp-Name", "=?base64?YWx3YXlzX2ZhaWxz?=")],
        [("Mcp-Name", "=?base64?!!?=")], [("Mcp-Name", "get_wéather")],
    ] as [[(String, String)]])
    func nameHeader(headers: [(String, String)]) async {
        let reply = await call(headers: [("Mcp-Method", "tools/call")] + headers)
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32020)
    }

    @Test("-32020: _meta protocolVersion different from the header")
    func metaVersionMismatch() async {
        let meta: JSONValue = ["io.modelcontextprotocol/protocolVersion": "2025-11-25", "io.modelcontextprotocol/clientCapabilities": [:]]
        let reply = await call(headers: [("Mcp-Method", "tools/call"), ("Mcp-Name", "get_weather")], meta: meta)
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32020)
    }

    @Test("-32602: _meta without protocolVersion or clientCapabilities, or no _meta at all", arguments: [
        ["io.modelcontextprotocol/clientCapabilities": [:]], ["io.modelcontextprotocol/protocolVersion": "2026-07-28"],
        ["io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": "none"], nil,
    ] as [JSONValue?])
    func missingMeta(meta: JSONValue?) async throws {
        let reply = await call(headers: [("Mcp-Method", "tools/call"), ("Mcp-Name", "get_weather")], meta: meta)
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32602)
        #expect(try reply.json["id"] == 7)
    }

    @Test("-32602: discover or list without params at all")
    func noParams() async {
        for method in ["server/discover", "tools/list"] {
            let reply = await harness.post(rpc(method), [Self.version, ("Mcp-Method", method)])
            #expect(reply.status == 400)
            #expect(reply.errorCode == -32602)
        }
    }

    @Test("tools/call without params.name but with Mcp-Name: -32602")
    func missingName() async {
        let body = rpc("tools/call", params: ["_meta": modernMeta()])
        let reply = await harness.post(body, [Self.version, ("Mcp-Method", "tools/call"), ("Mcp-Name", "get_weather")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32602)
    }
}
