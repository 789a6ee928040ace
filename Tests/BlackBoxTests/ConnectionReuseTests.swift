import Foundation
import Glibc
import JSON
import Testing

/// Requests written ahead of their answers, and clients that stop sending: through the supervisor
/// to a worker and back.
@Suite(.timeLimit(.minutes(2)))
struct ConnectionReuseTests {
    @Test("three pipelined requests (two tenants) in one write are answered in order on one connection")
    func pipelined() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let client = try HTTPTestClient(supervisor.address)
        try client.send(
            ModernMCP.requestText(id: 1, method: "tools/list", clientID: "acme") + ModernMCP.requestText(id: 2, method: "tools/list", clientID: "globex")
                + ModernMCP.requestText(id: 3, method: "tools/list", clientID: "acme"))
        for id in 1...3 {
            let response = try #require(try await client.readResponse())
            #expect(response.status == 200)
            #expect(try JSONValue(parsing: response.body)["id"] == .int(id))
        }
    }

    @Test("a client that half-closes after its request still gets the answer, then the connection closes")
    func halfClose() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let client = try HTTPTestClient(supervisor.address)
        try client.send(ModernMCP.requestText(id: 7, method: "tools/list", clientID: "acme"))
        shutdown(client.fd, Int32(SHUT_WR))
        let response = try #require(try await client.readResponse())
        let answer = try JSONValue(parsing: response.body)
        #expect(response.status == 200 && answer["id"] == .int(7))
        #expect(try await client.isClosedByServer())
    }

    @Test("a pipelined head that never completes still meets the head deadline: 408, then close")
    func pipelinedSlowloris() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["headTimeoutSeconds": 1])
        let client = try HTTPTestClient(supervisor.address)
        try client.send(ModernMCP.requestText(id: 1, method: "tools/list", clientID: "acme") + "POST /mcp HTTP/1.1\r\nX-Cli")
        let first = try #require(try await client.readResponse())
        #expect(first.status == 200)
        let started = ContinuousClock.now
        let second = try #require(try await client.readResponse())
        #expect(second.status == 408)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try await client.isClosedByServer())
    }
}
