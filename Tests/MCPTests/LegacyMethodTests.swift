import HTTP1
import JSON
@testable import MCP
import Testing

/// ping, tools/list and tools/call on each handshake revision.
struct LegacyMethodTests {
    let harness = Harness()

    @Test("ping answers {}")
    func ping() async throws {
        let reply = try await harness.legacy(rpc("ping", id: "p"))
        #expect(try reply.json == ["jsonrpc": "2.0", "id": "p", "result": [:]])
    }

    @Test("tools/list on 2025-03-26: no title, annotations kept, no ttlMs")
    func list0326() async throws {
        let reply = try await harness.legacy(rpc("tools/list"), version: "2025-03-26", sendHeader: false)
        let tools = try #require(reply.result?["tools"]?.arrayValue)
        #expect(tools.map { $0["name"] } == ["get_weather", "slow_count", "always_fails"])
        #expect(tools[0] == [
            "name": "get_weather", "description": "Weather for a city",
            "inputSchema": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
            "annotations": ["readOnlyHint": true],
        ])
        #expect(reply.result?.objectValue?.keys == ["tools"])
    }

    @Test("tools/list on 2025-06-18 and 2025-11-25: title and annotations", arguments: ["2025-06-18", "2025-11-25"])
    func listWithTitles(version: String) async throws {
        let reply = try await harness.legacy(rpc("tools/list", params: [:]), version: version)
        let tools = try #require(reply.result?["tools"]?.arrayValue)
        #expect(tools[0].objectValue?.keys == ["name", "title", "description", "inputSchema", "annotations"])
        #expect(tools[0]["title"] == "Weather")
        #expect(tools[1].objectValue?.keys == ["name", "description", "inputSchema"])
        #expect(reply.result?["ttlMs"] == nil)
    }

    @Test("tools/list with a cursor we never issued: 200 -32602")
    func unknownCursor() async throws {
        let reply = try await harness.legacy(rpc("tools/list", params: ["cursor": "abc"]))
        #expect(reply.status == 200)
        #expect(reply.errorCode == -32602)
    }

    @Test("tools/call result: structuredContent only from 2025-06-18 on", arguments: [
        ("2025-03-26", false), ("2025-06-18", true), ("2025-11-25", true),
    ])
    func callStructured(version: String, structured: Bool) async throws {
        let reply = try await harness.legacy(
            rpc("tools/call", id: 9, params: ["name": "get_weather", "arguments": ["city": "Oslo"]]), version: version)
        #expect(reply.status == 200)
        #expect(reply.wasLater)
        var result: JSONObject = ["content": [["type": "text", "text": "4 °C in Oslo"]]]
        if structured { result["structuredContent"] = ["city": "Oslo", "celsius": 4] }
        #expect(try reply.json == ["jsonrpc": "2.0", "id": 9, "result": .object(result)])
        #expect(reply.fields["Content-Type"] == "application/json")
    }

    @Test("tools/call of a failing tool: isError true in a 200 result")
    func callIsError() async throws {
        let reply = try await harness.legacy(rpc("tools/call", params: ["name": "always_fails"]))
        #expect(reply.status == 200)
        #expect(reply.result == ["content": [["type": "text", "text": "upstream said no"]], "isError": true])
    }

    @Test("tools/call of an unknown tool: 200 -32602 Unknown tool")
    func unknownTool() async throws {
        let reply = try await harness.legacy(rpc("tools/call", id: 4, params: ["name": "nope", "arguments": [:]]))
        #expect(reply.status == 200)
        #expect(!reply.wasLater)
        #expect(reply.errorCode == -32602)
        #expect(reply.errorMessage == "Unknown tool: nope")
        #expect(try reply.json["id"] == 4)
    }

    @Test("tools/call with bad params: 200 -32602", arguments: [
        ["name": "get_weather", "arguments": "city=Oslo"], ["name": "get_weather", "arguments": [1]],
        ["arguments": [:]], ["name": 5], [:],
    ] as [JSONValue])
    func badParams(params: JSONValue) async throws {
        let reply = try await harness.legacy(rpc("tools/call", params: params))
        #expect(reply.status == 200)
        #expect(reply.errorCode == -32602)
    }

    @Test("tools/call with arguments null or absent runs with no arguments")
    func absentArguments() async throws {
        let reply = try await harness.legacy(rpc("tools/call", params: ["name": "get_weather", "arguments": nil]))
        #expect(reply.result?["content"]?.arrayValue?.first?["text"] == "4 °C in ?")
    }

    @Test("an unknown method: 200 -32601", arguments: ["resources/list", "server/discover", "prompts/get"])
    func unknownMethod(method: String) async throws {
        let reply = try await harness.legacy(rpc(method, id: 2))
        #expect(reply.status == 200)
        #expect(reply.errorCode == -32601)
        #expect(try reply.json["id"] == 2)
    }
}
