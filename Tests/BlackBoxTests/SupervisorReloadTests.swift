import Foundation
import Glibc
import HTTP1
import JSON
import Testing

/// Reload under load, log reopening, start failures and session binding, through the real supervisor.
@Suite(.timeLimit(.minutes(2)))
struct SupervisorReloadTests {
    @Test("SIGHUP with a changed tenant entry under load: its worker is replaced and no request fails")
    func changedTenantUnderLoad() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        var clients = try SupervisorFixture.demoClients(sandbox: sandboxAddress)
        let supervisor = try await SupervisorFixture.start(clients: clients)
        #expect(try await supervisor.listTools("globex").status == 200)
        let old = try #require(supervisor.workerPID("globex"))
        let load = try GlobexLoad(supervisor: supervisor, calls: true)
        #expect(try await waitUntil { load.succeeded >= 10 })

        guard case .object(var entry) = clients["globex"] else { return }
        entry["httpTimeoutMs"] = 7000
        clients["globex"] = .object(entry)
        try SupervisorFixture.writeConfig(supervisor.configPath, clients: clients)
        supervisor.process.signal(SIGHUP)
        let new = try await supervisor.waitForWorker("globex", other: old)
        #expect(try await waitUntil { !processExists(old) })
        let before = load.succeeded
        #expect(try await waitUntil { load.succeeded >= before + 10 })
        let (ok, failed) = try await load.stop()
        #expect(ok >= 20 && failed == 0)
        #expect(new != old)
        #expect(try await supervisor.tenantStatus("globex")?["restarts"] == 1)
    }

    @Test("SIGUSR1 reopens the log file, so a rotated log loses no line")
    func logReopen() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["logFile": "supervisor.log"])
        let log = supervisor.directory + "/supervisor.log"
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("listening on"))
        #expect(rename(log, log + ".1") == 0)  // what logrotate does
        #expect(try await supervisor.listTools("acme").status == 200)
        supervisor.process.signal(SIGUSR1)
        #expect(try await waitUntil { FileManager.default.fileExists(atPath: log) })
        #expect(try await supervisor.listTools("globex").status == 200)
        let rotated = try String(contentsOfFile: log + ".1", encoding: .utf8)
        let globexReady = #""msg":"worker ready","client.id":"globex""#
        #expect(try await waitUntil { (try? String(contentsOfFile: log, encoding: .utf8))?.contains(globexReady) == true })
        #expect(rotated.contains(#""msg":"worker ready","client.id":"acme""#))  // written after the rename, before the reopen
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("log file reopened"))
    }

    @Test("a worker that cannot start answers 503 with the reason; the supervisor carries on")
    func startFailure() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        // A 64-character client ID makes its socket path longer than a Unix socket address allows,
        // so the worker fails to listen and exits before it is ready.
        let long = String(repeating: "t", count: 64)
        var clients = try SupervisorFixture.demoClients(sandbox: sandboxAddress, names: ["acme"])
        clients[long] = clients["acme"]
        let supervisor = try await SupervisorFixture.start(clients: clients)
        let refused = try await supervisor.listTools(long)
        #expect(refused.status == 503)
        let body = try JSONValue(parsing: refused.body)
        #expect(body["error"]?["data"]?["code"] == "TENANT_UNAVAILABLE")
        let message = body["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("failed to start (exit code 64)") && message.contains("--listen"), "\(message)")
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect(supervisor.process.isRunning)
    }

    @Test("a legacy session is bound to its tenant: another X-Client-ID or a forged id gets 404")
    func sessionBinding() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let client = try HTTPTestClient(supervisor.address)
        let json = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
        let initialize = try await client.request(
            "POST", "/mcp", headers: json + [("X-Client-ID", "acme")],
            body: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        let session = try #require(initialize.fields["Mcp-Session-Id"])
        let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
        func status(_ tenant: String, _ id: String) throws -> Int {
            try client.request("POST", "/mcp", headers: json + [("X-Client-ID", tenant), ("Mcp-Session-Id", id)], body: list).status
        }
        #expect(try status("acme", session) == 200)
        #expect(try status("globex", session) == 404)
        var forged = Array(session)
        forged[forged.count - 1] = forged.last == "0" ? "1" : "0"
        #expect(try status("acme", String(forged)) == 404)
    }
}
