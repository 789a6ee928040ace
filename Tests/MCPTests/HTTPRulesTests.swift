import HTTP1
import JSON
@testable import MCP
import Testing

/// The HTTP layer: CORS and Origin, methods, media types, and what makes a body a message.
struct HTTPRulesTests {
    let harness = Harness()

    @Test("OPTIONS preflight from an allowed origin: 204 with every CORS header")
    func preflight() async {
        let reply = await harness.send("OPTIONS", headers: [("Origin", "http://localhost:6274"), ("Access-Control-Request-Method", "POST")])
        #expect(reply.status == 204)
        #expect(reply.body.isEmpty)
        #expect(reply.fields["Access-Control-Allow-Origin"] == "http://localhost:6274")
        #expect(reply.fields["Access-Control-Allow-Methods"] == "POST, GET, DELETE, OPTIONS")
        #expect(
            reply.fields["Access-Control-Allow-Headers"]
                == "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID, X-Client-ID")
        #expect(reply.fields["Access-Control-Expose-Headers"] == "Mcp-Session-Id, MCP-Protocol-Version")
        #expect(reply.fields["Access-Control-Max-Age"] == "86400")
        #expect(reply.fields["Vary"] == "Origin")
        #expect(reply.fields.values("Access-Control-Expose-Headers").count == 1)
    }

    @Test("OPTIONS without Origin: 204, nothing to allow")
    func preflightWithoutOrigin() async {
        let reply = await harness.send("OPTIONS", headers: [])
        #expect(reply.status == 204)
        #expect(reply.fields["Access-Control-Allow-Origin"] == nil)
    }

    @Test("no Origin is fine and earns no CORS grant")
    func absentOrigin() async throws {
        let reply = await harness.post(rpc("initialize", params: ["protocolVersion": "2025-11-25"]))
        #expect(reply.status == 200)
        #expect(reply.fields["Access-Control-Allow-Origin"] == nil)
    }

    @Test("loopback origins are allowed by default and get CORS fields", arguments: [
        "http://localhost", "http://localhost:6274", "https://127.0.0.1:8443", "http://[::1]:3000",
    ])
    func loopbackOrigin(origin: String) async {
        let reply = await harness.post(rpc("initialize", params: ["protocolVersion": "2025-11-25"]), [("Origin", origin)])
        #expect(reply.status == 200)
        #expect(reply.fields["Access-Control-Allow-Origin"] == origin)
        #expect(reply.fields["Access-Control-Expose-Headers"] == "Mcp-Session-Id, MCP-Protocol-Version")
        #expect(reply.fields["Vary"] == "Origin")
    }

    @Test("a foreign origin gets 403 with an id-less -32600 naming it", arguments: [
        "http://evil.example", "http://localhost.evil.example", "null", "https://127.0.0.1.nip.io",
    ])
    func foreignOrigin(origin: String) async throws {
        for method in ["POST", "OPTIONS", "GET"] {
            let reply = await harness.send(method, body: rpc("ping"), headers: Harness.jsonHeaders + [("Origin", origin)])
            #expect(reply.status == 403)
            #expect(reply.errorCode == -32600)
            #expect(try reply.json["id"] == .null)
            #expect(reply.errorMessage?.contains(origin) == true)
            #expect(reply.fields["Content-Type"] == "application/json")
            #expect(reply.fields["Access-Control-Allow-Origin"] == nil)
        }
    }

    @Test("configured origins replace the loopback default")
    func configuredOrigins() async {
        let harness = Harness(origins: ["https://app.example.com"])
        let body = rpc("initialize", params: ["protocolVersion": "2025-11-25"])
        let allowed = await harness.post(body, [("Origin", "https://app.example.com")])
        #expect(allowed.status == 200)
        #expect(allowed.fields["Access-Control-Allow-Origin"] == "https://app.example.com")
        #expect(await harness.post(body, [("Origin", "http://localhost")]).status == 403)
        #expect(await harness.post(body, [("Origin", "https://app.example.com.evil")]).status == 403)
        #expect(await harness.post(body, [("Origin", "https://app.example.com"), ("Origin", "http://evil")]).status == 403)
    }

    @Test("GET, DELETE and any other method: 405 with Allow", arguments: ["GET", "DELETE", "PUT", "PATCH", "HEAD"])
    func methodNotAllowed(method: String) async throws {
        let session = try await harness.session()
        let reply = await harness.send(method, headers: Harness.jsonHeaders + [("Mcp-Session-Id", session)])
        #expect(reply.status == 405)
        #expect(reply.fields["Allow"] == "POST, OPTIONS")
        #expect(reply.errorCode == -32600)
    }

    @Test("Content-Type must be application/json (parameters and case allowed)")
    func contentType() async {
        let body = rpc("initialize", params: ["protocolVersion": "2025-11-25"])
        for type in ["application/json; charset=utf-8", "Application/JSON"] {
            #expect(await harness.send(body: body, headers: [("Content-Type", type)]).status == 200)
        }
        for type in ["text/plain", "application/jsonx", "application/x-www-form-urlencoded"] {
            let reply = await harness.send(body: body, headers: [("Content-Type", type)])
            #expect(reply.status == 415)
            #expect(reply.errorCode == -32600)
        }
        let missing = await harness.send(body: body, headers: [])
        #expect(missing.status == 415)
    }

    @Test("Accept, when sent, must admit JSON or SSE (wildcards count, q=0 does not)")
    func accept() async {
        let body = rpc("initialize", params: ["protocolVersion": "2025-11-25"])
        let fine = ["application/json", "text/event-stream", "*/*", "application/*", "text/*", "text/html, application/json;q=0.5"]
        for accept in fine {
            let reply = await harness.send(body: body, headers: [("Content-Type", "application/json"), ("Accept", accept)])
            #expect(reply.status == 200, "Accept: \(accept)")
        }
        for accept in ["text/html", "application/xml", "application/json;q=0"] {
            let reply = await harness.send(body: body, headers: [("Content-Type", "application/json"), ("Accept", accept)])
            #expect(reply.status == 406, "Accept: \(accept)")
            #expect(reply.errorCode == -32600)
        }
        #expect(await harness.send(body: body, headers: [("Content-Type", "application/json")]).status == 200)
    }

    @Test("a body that is not JSON: 400 -32700 with id null", arguments: ["", "{", "{\"jsonrpc\":\"2.0\",", "ping", "[1,]"])
    func parseError(body: String) async throws {
        for headers in [[], [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "ping")]] {
            let reply = await harness.post(body, headers)
            #expect(reply.status == 400)
            #expect(reply.errorCode == -32700)
            #expect(try reply.json["id"] == .null)
            #expect(reply.fields["Content-Type"] == "application/json")
        }
    }

    @Test("not a JSON-RPC 2.0 message: 400 -32600 in both eras", arguments: [
        #"{"id":1,"method":"tools/list"}"#, #"{"jsonrpc":"1.0","id":1,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","id":null,"method":"tools/list"}"#, #"{"jsonrpc":"2.0","id":true,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","id":{},"method":"tools/list"}"#, #"{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":5}"#, #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":"x"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":3}"#, #"{"jsonrpc":"2.0"}"#, "42", #""text""#,
        #"{"jsonrpc":"2.0","id":1,"result":{},"error":{}}"#,
    ])
    func invalidMessage(body: String) async {
        let legacy = await harness.post(body)
        #expect(legacy.status == 400)
        #expect(legacy.errorCode == -32600)
        let modern = await harness.post(body, [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list")])
        #expect(modern.status == 400)
        #expect(modern.errorCode == -32600)
    }

    @Test("an invalid message with a usable id gets that id back")
    func invalidMessageKeepsID() async throws {
        let reply = await harness.post(#"{"jsonrpc":"2.0","id":"abc","method":7}"#)
        #expect(reply.status == 400)
        #expect(try reply.json["id"] == "abc")
    }
}
