import Foundation
import Glibc
import HTTP1
import JSON
import Testing

/// SSE answers through the supervisor: passed on event by event, and never cut silently.
@Suite(.timeLimit(.minutes(2)))
struct StreamingTests {
    /// A tools/call with a progress token whose upstream hangs for `timeoutMs`: the worker
    /// streams a progress event at once and the result only when the upstream times out.
    func startStream(timeoutMs: Int) async throws -> (SupervisorFixture, ScriptedUpstream, HTTPTestClient) {
        let upstream = try ScriptedUpstream(["/core/subgerencias": .hang])
        let supervisor = try await SupervisorFixture.start(clients: [
            "acme": ["authorization": "", "coreBaseUrl": .string(upstream.baseURL), "clientBaseUrl": .string(upstream.baseURL),
                     "clientHeader": "", "httpTimeoutMs": .int(timeoutMs)]
        ])
        let client = try HTTPTestClient(supervisor.address)
        let meta: JSONValue = ["io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:], "progressToken": "p1"]
        let body: JSONValue = ["jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": ["name": "core_list_subgerencias", "arguments": [:], "_meta": meta]]
        var text = "POST /mcp HTTP/1.1\r\nHost: t\r\nX-Client-ID: acme\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
        text += "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: core_list_subgerencias\r\n"
        let json = body.serializedString()
        text += "Content-Length: \(json.utf8.count)\r\n\r\n\(json)"
        try client.send(text)
        return (supervisor, upstream, client)
    }

    /// Reads from `fd` until `marker` shows up (or the connection ends); returns everything read.
    func read(_ fd: Int32, until marker: String) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains(marker) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("an SSE answer reaches the client event by event, before the tool has finished")
    func eventByEvent() async throws {
        let (supervisor, upstream, client) = try await startStream(timeoutMs: 3000)
        defer { upstream.stop(); _ = supervisor }
        let fd = client.fd
        let first = try await onThread { [self] in read(fd, until: "notifications/progress") }
        #expect(first.contains("Content-Type: text/event-stream") && first.contains("Transfer-Encoding: chunked"))
        #expect(first.contains("notifications/progress"))
        #expect(!first.contains(#""result""#))  // the upstream has not answered yet: this is a live stream
        let rest = try await onThread { [self] in read(fd, until: "\r\n0\r\n\r\n") }
        withExtendedLifetime(client) {}
        #expect(rest.contains(#""result""#) && rest.contains(#""isError":true"#))
    }

    @Test("a worker that dies mid-stream ends the stream with a WORKER_CRASHED error event")
    func crashMidStream() async throws {
        let (supervisor, upstream, client) = try await startStream(timeoutMs: 30_000)
        defer { upstream.stop(); _ = supervisor }
        let fd = client.fd
        _ = try await onThread { [self] in read(fd, until: "notifications/progress") }
        let worker = try #require(supervisor.workerPID("acme"))
        kill(worker, SIGKILL)
        let rest = try await onThread { [self] in read(fd, until: "\r\n0\r\n\r\n") }
        #expect(rest.contains("WORKER_CRASHED"))
        #expect(rest.hasSuffix("\r\n0\r\n\r\n"))  // a proper end of the chunked body, not a cut
        withExtendedLifetime(client) {}
    }
}
