import Foundation
import Glibc
import JSON
import Sandbox
import HTTP1
import Testing

/// One tenant's worker, started as the real binary, against a real local upstream.
@Suite(.timeLimit(.minutes(1)))
struct WorkerTests {
    @Test("lists the 18 tools on 2026-07-28 and answers the same list through a legacy session")
    func listsTools() async throws {
        let fixture = try await Fixtures.sandboxAndWorker()
        let client = try HTTPTestClient(fixture.address)
        let modern = try await JSONValue(parsing: ModernMCP.post(client, id: 1, method: "tools/list").body)
        let names = modern["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.count == 18)
        #expect(names.first == "core_list_sucursales" && names.last == "moai_visapp_foto_info")

        let initialize = try await client.request(
            "POST", "/mcp", headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")],
            body: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        #expect(initialize.status == 200)
        let session = try #require(initialize.fields["Mcp-Session-Id"])
        let legacy = try await client.request(
            "POST", "/mcp",
            headers: [("Content-Type", "application/json"), ("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")],
            body: #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
        let legacyNames = try JSONValue(parsing: legacy.body)["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(legacyNames == names)
    }

    @Test("a tool call returns exactly what the tenant's upstream answered")
    func toolCallReturnsUpstreamData() async throws {
        let fixture = try await Fixtures.sandboxAndWorker("globex")
        let tenant = try Fixtures.demoTenant("globex")
        let upstream = try HTTPTestClient(fixture.sandboxAddress)
        let direct = try await upstream.request("GET", "/core/sucursales", headers: [("Authorization", tenant.authorization), ("client", tenant.clientHeader)])
        #expect(direct.status == 200)

        let client = try HTTPTestClient(fixture.address)
        let result = try await ModernMCP.callTool(client, "core_list_sucursales")
        #expect(!result.isToolError)
        #expect(try JSONValue(parsing: result.toolText) == JSONValue(parsing: direct.body))
    }

    @Test("invalid arguments are a tool error naming the argument; the worker keeps serving")
    func invalidArguments() async throws {
        let fixture = try await Fixtures.sandboxAndWorker()
        let client = try HTTPTestClient(fixture.address)
        let result = try await ModernMCP.callTool(client, "checklist_list_cuestionarios", ["check_id": 1, "from_date": "2024-02-30", "end_date": "2024-03-01"])
        #expect(result.isToolError)
        #expect(result.toolText.contains("from_date"))
        #expect(!(try await ModernMCP.callTool(client, id: 2, "core_list_zonas").isToolError))
    }

    @Test("upstream faults are clear tool errors and the worker stays healthy")
    func upstreamFaults() async throws {
        let upstream = try ScriptedUpstream([
            "/core/sucursales": .respond(status: 503, contentType: "application/json", body: #"{"error":"maintenance window"}"#),
            "/core/zonas": .respond(status: 200, contentType: "text/html", body: "<html>login</html>"),
            "/core/subgerencias": .hang,
            "/visual/moai": .truncate(declared: 5000, sent: 10),
        ])
        defer { upstream.stop() }
        let (worker, address) = try await Fixtures.worker(baseURL: upstream.baseURL, authorization: "Bearer t", clientHeader: "acme", timeoutMs: 700)
        let client = try HTTPTestClient(address)

        let serverError = try await ModernMCP.callTool(client, id: 1, "core_list_sucursales")
        #expect(serverError.isToolError && serverError.toolText.contains("503") && serverError.toolText.contains("maintenance window"))
        let notJSON = try await ModernMCP.callTool(client, id: 2, "core_list_zonas")
        #expect(notJSON.isToolError && notJSON.toolText.contains("non-JSON"))
        let timeout = try await ModernMCP.callTool(client, id: 3, "core_list_subgerencias")
        #expect(timeout.isToolError && timeout.toolText.contains("700"))
        let truncated = try await ModernMCP.callTool(client, id: 4, "moai_visapp_foto_info")
        #expect(truncated.isToolError)

        upstream.stop()
        let refused = try await ModernMCP.callTool(client, id: 5, "core_list_sucursales")
        #expect(refused.isToolError && refused.toolText.contains("127.0.0.1:\(upstream.port)"))
        #expect(worker.isRunning)
        #expect(try await ModernMCP.post(client, id: 6, method: "tools/list").status == 200)
    }

    @Test("keep-alive: several requests on one connection, answered in order")
    func keepAlive() async throws {
        let fixture = try await Fixtures.sandboxAndWorker()
        let client = try HTTPTestClient(fixture.address)
        for id in 1...5 {
            let response = try await ModernMCP.post(client, id: id, method: "tools/list")
            #expect(response.status == 200)
            #expect(try JSONValue(parsing: response.body)["id"] == .int(id))
        }
    }

    @Test("malformed HTTP gets its status and a closed connection; the next client is served")
    func malformedHTTP() async throws {
        let fixture = try await Fixtures.sandboxAndWorker()
        let cases: [(String, Int)] = [
            ("GARBAGE\r\n\r\n", 400),
            ("POST /mcp HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("POST /mcp HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413),
            ("GET /mcp HTTP/2.0\r\n\r\n", 505),
            ("POST /mcp HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n", 431),
        ]
        for (raw, status) in cases {
            let client = try HTTPTestClient(fixture.address)
            try client.send(raw)
            let response = try #require(try await client.readResponse())
            #expect(response.status == status, "for \(raw.prefix(40))")
            #expect(client.isClosedByServer())
        }
        #expect(try await ModernMCP.post(HTTPTestClient(fixture.address), id: 1, method: "tools/list").status == 200)
        #expect(fixture.worker.isRunning)
    }

    @Test("SIGTERM lets an in-flight tool call finish, then the worker exits 0")
    func gracefulStop() async throws {
        let upstream = try ScriptedUpstream(["/core/subgerencias": .hang])
        defer { upstream.stop() }
        let (worker, address) = try await Fixtures.worker(baseURL: upstream.baseURL, authorization: "", clientHeader: "", timeoutMs: 1500)
        let client = try HTTPTestClient(address)
        let inFlight = Task { try await onThread { try ModernMCP.callTool(client, "core_list_subgerencias") } }
        while upstream.receivedRequests.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        worker.signal(SIGTERM)
        let result = try await inFlight.value
        #expect(result.isToolError && result.toolText.contains("1500"))
        #expect(try await worker.waitForExit() == 0)
    }
}
