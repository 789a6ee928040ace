import Foundation
import Glibc
import HTTP1
import JSON
import Testing

/// `sessionKey` (README "Several hosts"): supervisors that share it accept each other's legacy
/// sessions, so a session survives its tenant moving to another host.
@Suite(.timeLimit(.minutes(2)))
struct SessionKeyTests {
    static let key = String(repeating: "5eed", count: 16)

    @Test("a legacy session opened on one supervisor continues on another with the same sessionKey, and on no other")
    func sharedKey() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let clients = try SupervisorFixture.demoClients(sandbox: sandboxAddress)
        let first = try await SupervisorFixture.start(clients: clients, extra: ["sessionKey": .string(Self.key)])
        let second = try await SupervisorFixture.start(clients: clients, extra: ["sessionKey": .string(Self.key.uppercased())])
        let stranger = try await SupervisorFixture.start(clients: clients)

        let session = try await onThread { try Self.initialize(first.address, tenant: "acme") }
        #expect(try await onThread { try Self.listTools(first.address, tenant: "acme", session: session) }.status == 200)
        let moved = try await onThread { try Self.listTools(second.address, tenant: "acme", session: session) }
        #expect(moved.status == 200)
        #expect(try JSONValue(parsing: moved.body)["result"]?["tools"]?.arrayValue?.count == 18)
        #expect(try await onThread { try Self.listTools(stranger.address, tenant: "acme", session: session) }.status == 404)
        // The key is bound to the tenant as before: another tenant cannot use the session.
        #expect(try await onThread { try Self.listTools(second.address, tenant: "globex", session: session) }.status == 404)
    }

    @Test("check-config and serve reject a sessionKey that is not 64 hex digits")
    func invalidKey() async throws {
        let directory = try TemporaryDirectory.make(prefix: "sup")
        let configPath = directory + "/supervisor.json"
        try SupervisorFixture.writeConfig(
            configPath, clients: SupervisorFixture.demoClients(sandbox: "127.0.0.1:9"), extra: ["sessionKey": .string("abc123")])
        let check = try ChildProcess(["check-config", "--config", configPath])
        #expect(try await check.waitForExit() == 1)
        #expect(check.stdout.contains("sessionKey: must be a string of 64 hex digits"))
        let serve = try ChildProcess(["serve", "--config", configPath])
        #expect(try await serve.waitForExit() == 78)
    }

    static func initialize(_ address: String, tenant: String) throws -> String {
        let response = try HTTPTestClient(address).request(
            "POST", "/mcp", headers: [("Content-Type", "application/json"), ("X-Client-ID", tenant)],
            body: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        guard response.status == 200, let session = response.fields["Mcp-Session-Id"] else {
            throw TestFailure("initialize: HTTP \(response.status) \(response.text)")
        }
        return session
    }

    static func listTools(_ address: String, tenant: String, session: String) throws -> HTTPTestClient.Response {
        try HTTPTestClient(address).request(
            "POST", "/mcp",
            headers: [("Content-Type", "application/json"), ("X-Client-ID", tenant), ("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-11-25")],
            body: #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
    }
}
