import HTTP1
import JSON
@testable import MCP
import Testing

/// Progress over a request-scoped SSE stream, and when plain JSON is the answer instead.
struct StreamingTests {
    let harness = Harness()
    let slow: JSONObject = ["name": "slow_count", "arguments": ["steps": 3]]

    func legacyCall(token: JSONValue?, accept: String = "application/json, text/event-stream", writer: RecordingWriter = RecordingWriter())
        async throws -> Reply
    {
        let session = try await harness.session()
        var params = slow
        if let token { params["_meta"] = ["progressToken": token] }
        let headers = [("Content-Type", "application/json"), ("Accept", accept), ("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-11-25")]
        return await harness.send(body: rpc("tools/call", id: 11, params: .object(params)), headers: headers, writer: writer)
    }

    @Test("progressToken + SSE Accept: stream head, progress events, the response, end", arguments: ["tok-1", 42] as [JSONValue])
    func stream(token: JSONValue) async throws {
        let reply = try await legacyCall(token: token)
        #expect(reply.status == 200)
        #expect(reply.fields["Content-Type"] == "text/event-stream")
        #expect(reply.fields["Cache-Control"] == "no-cache")
        #expect(reply.fields["X-Accel-Buffering"] == "no")
        #expect(reply.streamEnded)
        #expect(reply.events.count == 4)
        for step in 1...3 {
            #expect(reply.events[step - 1] == [
                "jsonrpc": "2.0", "method": "notifications/progress",
                "params": ["progressToken": token, "progress": .int(step), "total": 3, "message": .string("step \(step)")],
            ])
        }
        #expect(reply.events[3] == ["jsonrpc": "2.0", "id": 11, "result": ["content": [["type": "text", "text": "counted to 3"]]]])
        #expect(reply.text.hasPrefix("data: {"))
    }

    @Test("the modern era streams too, with resultType in the final response")
    func modernStream() async throws {
        let reply = await harness.modern("tools/call", params: slow, progressToken: "m", extra: [("Origin", "http://localhost")])
        #expect(reply.fields["Content-Type"] == "text/event-stream")
        #expect(reply.fields["Access-Control-Allow-Origin"] == "http://localhost")
        #expect(reply.events.count == 4)
        #expect(reply.events.last?["result"]?["resultType"] == "complete")
        #expect(reply.streamEnded)
    }

    @Test("no progressToken: plain JSON even when SSE is acceptable")
    func noToken() async throws {
        let reply = try await legacyCall(token: nil)
        #expect(reply.fields["Content-Type"] == "application/json")
        #expect(reply.result?["content"]?.arrayValue?.first?["text"] == "counted to 3")
    }

    @Test("progressToken but Accept admits only JSON: plain JSON, progress dropped")
    func jsonOnly() async throws {
        let reply = try await legacyCall(token: "t", accept: "application/json")
        #expect(reply.status == 200)
        #expect(reply.fields["Content-Type"] == "application/json")
        #expect(reply.result?["content"]?.arrayValue?.first?["text"] == "counted to 3")
    }

    @Test("a progressToken of another type is ignored: plain JSON")
    func oddToken() async throws {
        let reply = try await legacyCall(token: ["not": "a token"])
        #expect(reply.fields["Content-Type"] == "application/json")
    }

    @Test("the client leaves mid-stream: nothing more is written and the tool is cancelled")
    func clientLeaves() async throws {
        let writer = RecordingWriter(closeAfterChunks: 1)
        let session = try await harness.session()
        let params: JSONValue = ["name": "slow_count", "arguments": ["steps": 1000, "tag": "long"], "_meta": ["progressToken": 1]]
        let headers = Harness.jsonHeaders + [("Mcp-Session-Id", session)]
        _ = await harness.send(body: rpc("tools/call", params: params), headers: headers, writer: writer)
        let record = writer.snapshot
        #expect(record.streamStatus == 200)
        #expect(record.chunks.count == 1)
        #expect(!record.ended)
        #expect(record.response == nil)
        #expect(harness.tools.probe.events == ["start long", "cancelled long"])  // not "finished long"
    }
}
