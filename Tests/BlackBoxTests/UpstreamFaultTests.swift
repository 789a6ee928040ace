import Foundation
import Glibc
import JSON
import Testing

/// Upstream faults seen through the supervisor (WorkerTests covers them against a bare worker):
/// each is a clear tool error, the tenant's worker keeps its pid, another tenant sees nothing.
@Suite(.timeLimit(.minutes(2)))
struct UpstreamFaultTests {
    @Test("DNS failure, a 100 MB body (declared or not) and a close mid-body are tool errors; the worker stays, globex is untouched")
    func faultsThroughTheSupervisor() async throws {
        let hundredMB = 100_000_000
        let upstream = try ScriptedUpstream([
            "/front/api/checklist/data/checks": .stream(bytes: hundredMB, declared: true),
            "/front/api/checklist/data/ambitos": .stream(bytes: hundredMB, declared: false),
            "/front/api/checklist/data/preguntas": .truncate(declared: 5000, sent: 10),
        ])
        defer { upstream.stop() }
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        var clients = try SupervisorFixture.demoClients(sandbox: sandboxAddress, names: ["globex"])
        // Core calls go to a name that never resolves (RFC 6761), client calls to the script.
        clients["acme"] = [
            "authorization": "Bearer fault-secret", "coreBaseUrl": "http://oneapp.invalid", "clientBaseUrl": .string(upstream.baseURL),
            "clientHeader": "acme", "httpTimeoutMs": 10_000,
        ]
        let supervisor = try await SupervisorFixture.start(clients: clients)
        #expect(try await onThread { try supervisor.listTools("acme") }.status == 200)
        #expect(try await onThread { try supervisor.listTools("globex") }.status == 200)
        let acme = try #require(supervisor.workerPID("acme"))
        let globex = try #require(supervisor.workerPID("globex"))
        let load = try GlobexLoad(supervisor: supervisor, calls: true)

        let client = try HTTPTestClient(supervisor.address, timeoutSeconds: 30)
        let results = try await onThread { () -> [JSONValue] in
            let calls: [(String, JSONObject)] = [
                ("core_list_sucursales", [:]), ("checklist_list_checks", [:]), ("checklist_list_ambitos", ["check_id": 1]),
                ("checklist_list_preguntas", ["check_id": 1]),
            ]
            return try calls.enumerated().map { id, call in
                try ModernMCP.callTool(client, id: id + 1, call.0, call.1, headers: [("X-Client-ID", "acme")])
            }
        }
        let (dns, declared, streamed, truncated) = (results[0], results[1], results[2], results[3])
        #expect(dns.isToolError && dns.toolText.contains("http://oneapp.invalid") && dns.toolText.contains("host not found"), "\(dns.toolText)")
        #expect(declared.isToolError && declared.toolText.contains("larger than the 16777216-byte limit"), "\(declared.toolText)")
        #expect(streamed.isToolError && streamed.toolText.contains("larger than the 16777216-byte limit"), "\(streamed.toolText)")
        #expect(truncated.isToolError && truncated.toolText.contains("/front/api/checklist/data/preguntas"), "\(truncated.toolText)")
        for result in results { #expect(!result.toolText.contains("fault-secret")) }

        // The same worker, healthy, on the same keep-alive connection.
        #expect(try await onThread { try ModernMCP.post(client, id: 5, method: "tools/list", headers: [("X-Client-ID", "acme")]) }.status == 200)
        #expect(supervisor.workerPID("acme") == acme && processExists(acme))
        #expect(try await supervisor.tenantStatus("acme")?["crashes"] == 0)
        let before = load.succeeded
        #expect(try await waitUntil { load.succeeded >= before + 5 })
        let (ok, failed) = try await load.stop()
        #expect(ok > 0 && failed == 0)
        #expect(supervisor.workerPID("globex") == globex)
    }
}
