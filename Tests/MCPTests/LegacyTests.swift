import HTTP1
import JSON
@testable import MCP
import Testing

/// The handshake era: initialize, stateless HMAC sessions, and the methods inside a session.
struct LegacyInitializeTests {
    let harness = Harness()

    func initialize(_ version: String) async -> Reply {
        await harness.post(rpc("initialize", params: [
            "protocolVersion": .string(version), "capabilities": [:], "clientInfo": ["name": "t", "version": "0"],
        ]))
    }

    @Test("initialize echoes each supported legacy revision and mints a session", arguments: ["2025-03-26", "2025-06-18", "2025-11-25"])
    func echoes(version: String) async throws {
        let reply = await initialize(version)
        #expect(reply.status == 200)
        #expect(reply.fields["Content-Type"] == "application/json")
        let expected: JSONValue = [
            "jsonrpc": "2.0", "id": 1,
            "result": [
                "protocolVersion": .string(version), "capabilities": ["tools": ["listChanged": false]],
                "serverInfo": ["name": "oneapp-mcp", "version": "1.2.3"], "instructions": "Use the tools.",
            ],
        ]
        #expect(try reply.json == expected)
        let session = try #require(reply.fields["Mcp-Session-Id"])
        #expect(session.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E })
        #expect(session.hasPrefix(version + "."))
        #expect(reply.fields["MCP-Protocol-Version"] == nil)
    }

    @Test("initialize for an unknown revision gets the 2025-11-25 counter-offer", arguments: ["2024-11-05", "1999-01-01", "2026-07-28"])
    func counterOffer(version: String) async throws {
        let reply = await initialize(version)
        #expect(reply.status == 200)
        #expect(reply.result?["protocolVersion"] == "2025-11-25")
        #expect(try #require(reply.fields["Mcp-Session-Id"]).hasPrefix("2025-11-25."))
    }

    @Test("initialize without params.protocolVersion: 200 -32602, no session")
    func missingVersion() async {
        let reply = await harness.post(rpc("initialize", params: ["capabilities": [:]]))
        #expect(reply.status == 200)
        #expect(reply.errorCode == -32602)
        #expect(reply.fields["Mcp-Session-Id"] == nil)
    }

    @Test("no instructions configured: the member is absent")
    func noInstructions() async throws {
        let endpoint = StreamableHTTPEndpoint(
            server: MCPServerInfo(name: "s", version: "1"), tools: FakeTools(),
            options: EndpointOptions(sessionKey: Harness.key, tenantID: "acme"), now: { 0 })
        let head = HTTPRequestHead(method: "POST", target: "/mcp", fields: HTTPFields(Harness.jsonHeaders))
        guard case .now(let response) = endpoint.handle(head: head, body: Array(rpc("initialize", params: ["protocolVersion": "2025-06-18"]).utf8))
        else { Issue.record("expected .now"); return }
        #expect(try JSONValue(parsing: response.body)["result"]?["instructions"] == nil)
    }
}

struct LegacySessionTests {
    let harness = Harness()

    @Test("the minted session is accepted, with and without the version header")
    func accepted() async throws {
        let session = try await harness.session("2025-06-18")
        let withHeader = await harness.post(rpc("ping"), [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")])
        #expect(withHeader.status == 200)
        let without = await harness.post(rpc("ping"), [("mcp-session-id", session)])
        #expect(without.status == 200)
        #expect(without.result == [:])
    }

    @Test("a session survives a worker restart with the same key and tenant")
    func survivesRestart() async throws {
        let session = try await harness.session()
        let restarted = Harness(now: Harness.clock + 3600)
        #expect(await restarted.post(rpc("tools/list"), [("Mcp-Session-Id", session)]).status == 200)
    }

    @Test("a session from another tenant's worker: 404 Session not found")
    func otherTenant() async throws {
        let session = try await Harness(tenant: "globex").session()
        let reply = await harness.post(rpc("tools/list", id: 5), [("Mcp-Session-Id", session)])
        #expect(reply.status == 404)
        #expect(reply.errorCode == -32600)
        #expect(reply.errorMessage == "Session not found")
        #expect(try reply.json["id"] == 5)
    }

    @Test("forged or garbled session ids: 404", arguments: [
        "garbage", "", "2025-11-25.1767225600.00000000000000000000000000000000."
            + String(repeating: "0", count: 64), String(repeating: "a", count: 500),
    ])
    func forged(id: String) async {
        let reply = await harness.post(rpc("tools/list"), [("Mcp-Session-Id", id)])
        #expect(reply.status == 404)
        #expect(reply.errorCode == -32600)
        #expect(reply.errorMessage == "Session not found")
    }

    @Test("a real id with one character changed: 404")
    func tampered() async throws {
        var session = Array(try await harness.session().utf8)
        session[session.count - 1] = session.last == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let reply = await harness.post(rpc("tools/list"), [("Mcp-Session-Id", String(decoding: session, as: UTF8.self))])
        #expect(reply.status == 404)
    }

    @Test("a session id from a worker with another key: 404")
    func otherKey() async throws {
        let session = try await Harness(key: Array(repeating: 9, count: 32)).session()
        #expect(await harness.post(rpc("tools/list"), [("Mcp-Session-Id", session)]).status == 404)
    }

    @Test("expired session, when a maximum age is configured: 404")
    func expired() async throws {
        let session = try await Harness(maxAge: 60).session()
        #expect(await Harness(maxAge: 60, now: Harness.clock + 60).post(rpc("ping"), [("Mcp-Session-Id", session)]).status == 200)
        #expect(await Harness(maxAge: 60, now: Harness.clock + 61).post(rpc("ping"), [("Mcp-Session-Id", session)]).status == 404)
    }

    @Test("no session id after initialize: 400 Missing session ID (requests and notifications)")
    func missing() async throws {
        let request = await harness.post(rpc("tools/list", id: 3), [("MCP-Protocol-Version", "2025-11-25")])
        #expect(request.status == 400)
        #expect(request.errorCode == -32600)
        #expect(request.errorMessage?.contains("Missing session ID") == true)
        #expect(try request.json["id"] == 3)
        let notification = await harness.post(rpc("notifications/initialized", id: nil))
        #expect(notification.status == 400)
    }

    @Test("MCP-Protocol-Version different from the session's revision: 400 -32600")
    func revisionMismatch() async throws {
        let session = try await harness.session("2025-06-18")
        let reply = await harness.post(rpc("tools/list"), [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-11-25")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32600)
    }

    @Test("an unsupported MCP-Protocol-Version: 400 -32022 listing every supported revision", arguments: ["1999-01-01", "2024-11-05", "latest"])
    func unsupportedHeader(version: String) async throws {
        let session = try await harness.session()
        for body in [rpc("tools/list"), rpc("initialize", params: ["protocolVersion": "2025-11-25"])] {
            let reply = await harness.post(body, [("Mcp-Session-Id", session), ("MCP-Protocol-Version", version)])
            #expect(reply.status == 400)
            #expect(reply.errorCode == -32022)
            let data = try reply.json["error"]?["data"]
            #expect(data == ["supported": ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"], "requested": .string(version)])
        }
    }

    @Test("a repeated MCP-Protocol-Version header is malformed: 400 -32020")
    func repeatedHeader() async throws {
        let reply = await harness.post(rpc("ping"), [("MCP-Protocol-Version", "2025-11-25"), ("MCP-Protocol-Version", "2025-11-25")])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32020)
    }

    @Test("notifications and client responses in a session: 202, empty body")
    func accepted202() async throws {
        let session = try await harness.session()
        let headers = [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-11-25")]
        for body in [rpc("notifications/initialized", id: nil), rpc("notifications/cancelled", id: nil, params: ["requestId": 1]),
                     #"{"jsonrpc":"2.0","id":"s1","result":{}}"#, #"{"jsonrpc":"2.0","id":null,"error":{"code":-1,"message":"x"}}"#] {
            let reply = await harness.post(body, headers)
            #expect(reply.status == 202, "\(body)")
            #expect(reply.body.isEmpty)
            #expect(reply.fields["Content-Type"] == nil)
        }
    }

    @Test("Mcp-Session-Id is never set on answers other than initialize")
    func noSessionEcho() async throws {
        let reply = try await harness.legacy(rpc("ping"))
        #expect(reply.fields["Mcp-Session-Id"] == nil)
    }
}
