import HTTP1
import JSON
@testable import MCP
import Testing

/// JSON-RPC batches: 2025-03-26 sessions only.
struct BatchTests {
    let harness = Harness()

    func batch(_ elements: [String], version: String = "2025-03-26", header: String? = nil) async throws -> Reply {
        let session = try await harness.session(version)
        var headers = [("Mcp-Session-Id", session)]
        if let header { headers.append(("MCP-Protocol-Version", header)) }
        return await harness.post("[" + elements.joined(separator: ",") + "]", headers)
    }

    @Test("a batch of only notifications and responses: 202")
    func notificationsOnly() async throws {
        let reply = try await batch([rpc("notifications/initialized", id: nil), #"{"jsonrpc":"2.0","id":1,"result":{}}"#])
        #expect(reply.status == 202)
        #expect(reply.body.isEmpty)
    }

    @Test("a mixed batch with a tool call: one answer per request, in order, as a JSON array")
    func mixed() async throws {
        let reply = try await batch([
            rpc("ping", id: 1),
            rpc("notifications/initialized", id: nil),
            rpc("tools/call", id: 2, params: ["name": "get_weather", "arguments": ["city": "Oslo"]]),
            rpc("tools/list", id: "three"),
            #"{"jsonrpc":"1.0","id":9,"method":"ping"}"#,
            rpc("tools/call", id: 4, params: ["name": "nope"]),
        ])
        #expect(reply.status == 200)
        #expect(reply.wasLater)
        #expect(reply.fields["Content-Type"] == "application/json")
        let answers = try #require(try reply.json.arrayValue)
        #expect(answers.map { $0["id"] } == [1, 2, "three", 9, 4])
        #expect(answers[0]["result"] == [:])
        // 2025-03-26 has no structuredContent.
        #expect(answers[1]["result"] == ["content": [["type": "text", "text": "4 °C in Oslo"]]])
        #expect(answers[2]["result"]?["tools"]?.arrayValue?.count == 3)
        #expect(answers[3]["error"]?["code"] == -32600)
        #expect(answers[4]["error"]?["code"] == -32602)
    }

    @Test("a batch without tool calls is answered at once")
    func immediate() async throws {
        let reply = try await batch([rpc("ping", id: 1), rpc("unknown/method", id: 2)])
        #expect(!reply.wasLater)
        let answers = try #require(try reply.json.arrayValue)
        #expect(answers[1]["error"]?["code"] == -32601)
    }

    @Test("initialize inside a batch: that element gets -32600, no session is minted")
    func initializeInBatch() async throws {
        let reply = try await batch([rpc("initialize", id: 1, params: ["protocolVersion": "2025-03-26"]), rpc("ping", id: 2)])
        #expect(reply.status == 200)
        #expect(reply.fields["Mcp-Session-Id"] == nil)
        let answers = try #require(try reply.json.arrayValue)
        #expect(answers[0]["error"]?["code"] == -32600)
        #expect(answers[0]["id"] == 1)
        #expect(answers[1]["result"] == [:])
    }

    @Test("tool calls in a batch run concurrently")
    func concurrent() async throws {
        let call: (String, Int) -> String = { tag, id in
            rpc("tools/call", id: .int(id), params: ["name": "slow_count", "arguments": ["steps": 3, "tag": .string(tag)]])
        }
        let reply = try await batch([call("a", 1), call("b", 2)])
        #expect(try reply.json.arrayValue?.count == 2)
        let events = harness.tools.probe.events
        #expect(Set(events.prefix(2)) == ["start a", "start b"])
    }

    @Test("a batch on a 2025-06-18 or 2025-11-25 session: 400 -32600", arguments: ["2025-06-18", "2025-11-25"])
    func laterRevisions(version: String) async throws {
        let reply = try await batch([rpc("ping", id: 1)], version: version, header: version)
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32600)
    }

    @Test("a batch whose header contradicts its 2025-03-26 session: 400")
    func headerMismatch() async throws {
        let reply = try await batch([rpc("ping", id: 1)], header: "2025-06-18")
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32600)
    }

    @Test("an empty batch: 400 -32600")
    func empty() async throws {
        let reply = try await batch([])
        #expect(reply.status == 400)
        #expect(reply.errorCode == -32600)
    }

    @Test("a batch without a session: 400 Missing session ID")
    func noSession() async {
        let reply = await harness.post("[" + rpc("ping") + "]")
        #expect(reply.status == 400)
        #expect(reply.errorMessage?.contains("Missing session ID") == true)
    }
}
