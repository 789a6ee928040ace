import Foundation
import Glibc
import HTTP1
import JSON
import Testing

/// What operators see: the access log, /metrics and /status of the real supervisor.
@Suite(.timeLimit(.minutes(2)))
struct OperationsTests {
    /// The JSON lines of the supervisor's log file.
    func logLines(_ supervisor: SupervisorFixture) throws -> [JSONValue] {
        let text = try String(contentsOfFile: supervisor.directory + "/supervisor.log", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("one JSON access-log line per request: tenant, status, sizes, duration, worker pid, MCP method and tool")
    func accessLog() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["logFile": "supervisor.log"])
        let client = try HTTPTestClient(supervisor.address)
        #expect(try await supervisor.listTools("acme", client: client).status == 200)
        _ = try await ModernMCP.callTool(client, id: 2, "core_list_zonas", headers: [("X-Client-ID", "acme")])
        #expect(try await supervisor.listTools("initech", client: client).status == 403)
        let pid = try #require(supervisor.workerPID("acme"))

        var requests: [JSONValue] = []
        #expect(try await waitUntil {
            requests = try logLines(supervisor).filter { $0["msg"] == "request" }
            return requests.count == 3
        })
        guard requests.count == 3 else { return }
        let (list, call, rejected) = (requests[0], requests[1], requests[2])
        #expect(list["client.id"] == "acme" && list["status"] == 200 && list["mcp.method"] == "tools/list")
        #expect(list["worker.pid"] == .int(Int(pid)))
        #expect((list["bytes.in"]?.intValue ?? 0) > 0 && (list["bytes.out"]?.intValue ?? 0) > 1000)
        #expect(list["duration.ms"] != nil && list["time"]?.stringValue?.hasSuffix("Z") == true)
        #expect(call["mcp.method"] == "tools/call" && call["mcp.tool"] == "core_list_zonas")
        #expect(rejected["client.id"] == "initech" && rejected["status"] == 403 && rejected["worker.pid"] == nil)
    }

    @Test("the worker's report fields never reach the client")
    func reportFieldsStripped() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let response = try await supervisor.listTools("acme")
        #expect(response.status == 200)
        #expect(!response.fields.contains { $0.name.lowercased().hasPrefix("oneapp-") })
    }

    @Test("/metrics counts requests per tenant and status class; /healthz answers")
    func metrics() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        for _ in 0..<3 { #expect(try await supervisor.listTools("globex").status == 200) }
        #expect(try await supervisor.listTools("nobody").status == 403)
        let admin = try HTTPTestClient(supervisor.adminAddress)
        let page = try await admin.request("GET", "/metrics")
        #expect(page.status == 200 && page.fields["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = page.text
        #expect(text.contains(#"oneapp_mcp_requests_total{client_id="globex",class="2xx"} 3"#))
        #expect(text.contains(#"oneapp_mcp_requests_total{client_id="acme",class="2xx"} 0"#))
        #expect(text.contains(#"oneapp_mcp_rejected_requests_total{code="UNKNOWN_CLIENT"} 1"#))
        #expect(text.contains(#"oneapp_mcp_request_duration_seconds_count{client_id="globex"} 3"#))
        #expect(text.contains(#"oneapp_mcp_worker_spawns_total{client_id="globex"} 1"#))
        #expect(!text.contains("nobody"))
        #expect(try await admin.request("GET", "/healthz").status == 200)
    }

    @Test("/status after a crash names the exit reason and shows the worker's memory")
    func statusAfterCrash() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect((try await supervisor.tenantStatus("acme")?["residentBytes"]?.intValue ?? 0) > 1_000_000)
        let pid = try #require(supervisor.workerPID("acme"))
        // SIGKILL: the Swift runtime catches SIGQUIT, SIGSEGV, SIGABRT… sent from outside to print a
        // backtrace (into the log) and then carries on.
        kill(pid, SIGKILL)
        #expect(try await waitUntil { try supervisor.tenantStatus("acme")?["lastExit"] == "killed by SIGKILL" })
        let tenant = try #require(try await supervisor.tenantStatus("acme"))
        #expect(tenant["crashes"] == 1 && tenant["state"] == "absent")
        let metrics = try await HTTPTestClient(supervisor.adminAddress).request("GET", "/metrics").text
        #expect(metrics.contains(#"oneapp_mcp_worker_crashes_total{client_id="acme",reason="SIGKILL"} 1"#))
    }
}
