import Foundation
import Glibc
import HTTP1
import JSON
import Testing

/// Each limit of the supervisor, at the limit, through the real binary.
@Suite(.timeLimit(.minutes(2)))
struct LimitsTests {
    func hangingTenant(_ upstream: ScriptedUpstream, timeoutMs: Int = 30_000) -> JSONValue {
        ["authorization": "", "coreBaseUrl": .string(upstream.baseURL), "clientBaseUrl": .string(upstream.baseURL), "clientHeader": "",
         "httpTimeoutMs": .int(timeoutMs)]
    }

    /// Starts a tools/call that hangs upstream, on its own connection and thread.
    func hangingCall(_ supervisor: SupervisorFixture) -> Task<HTTPTestClient.Response, any Error> {
        Task { try await onThread {
            try ModernMCP.post(HTTPTestClient(supervisor.address), id: 1, method: "tools/call",
                params: ["name": "core_list_subgerencias", "arguments": [:]], name: "core_list_subgerencias", headers: [("X-Client-ID", "acme")])
        } }
    }

    @Test("maxConnections: one connection too many gets 503 and is closed")
    func maxConnections() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["maxConnections": 2])
        let first = try HTTPTestClient(supervisor.address), second = try HTTPTestClient(supervisor.address)
        #expect(try await supervisor.listTools("acme", client: first).status == 200)
        let third = try HTTPTestClient(supervisor.address)
        let refused = try #require(try await third.readResponse())
        #expect(refused.status == 503 && refused.fields["Retry-After"] != nil)
        #expect(third.isClosedByServer())
        #expect(try await supervisor.listTools("acme", client: second).status == 200)
    }

    @Test("maxInFlightPerTenant and queueLimit: beyond both, 503 OVERLOADED with Retry-After")
    func perTenantOverload() async throws {
        let upstream = try ScriptedUpstream(["/core/subgerencias": .hang])
        defer { upstream.stop() }
        let supervisor = try await SupervisorFixture.start(
            clients: ["acme": hangingTenant(upstream)], extra: ["maxInFlightPerTenant": 1, "queueLimit": 1])
        #expect(try await supervisor.listTools("acme").status == 200)
        let inFlight = hangingCall(supervisor)
        #expect(try await waitUntil { upstream.receivedRequests.count == 1 })
        let queued = hangingCall(supervisor)
        #expect(try await waitUntil { try supervisor.tenantStatus("acme")?["queued"] == 1 })
        let refused = try await supervisor.listTools("acme")
        #expect(refused.status == 503 && refused.fields["Retry-After"] != nil)
        #expect(try JSONValue(parsing: refused.body)["error"]?["data"]?["code"] == "OVERLOADED")
        upstream.stop()  // the held calls fail upstream: both answered, the queued one after the first
        #expect(try await inFlight.value.status == 200)
        #expect(try await queued.value.status == 200)
    }

    @Test("maxWorkers: the least recently used idle worker makes room for another tenant")
    func workerCap() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["maxWorkers": 1])
        #expect(try await supervisor.listTools("acme").status == 200)
        let acme = try #require(supervisor.workerPID("acme"))
        #expect(try await supervisor.listTools("globex").status == 200)
        #expect(try await waitUntil { !processExists(acme) })
        #expect(try await supervisor.status()["supervisor"]?["liveWorkers"] == 1)
    }

    @Test("requestTimeoutSeconds: a stuck request gets 504 and its worker is recycled")
    func stuckRequest() async throws {
        let upstream = try ScriptedUpstream(["/core/subgerencias": .hang])
        defer { upstream.stop() }
        let supervisor = try await SupervisorFixture.start(clients: ["acme": hangingTenant(upstream)], extra: ["requestTimeoutSeconds": 1])
        #expect(try await supervisor.listTools("acme").status == 200)
        let stuck = try #require(supervisor.workerPID("acme"))
        let answer = try await hangingCall(supervisor).value
        #expect(answer.status == 504)
        #expect(try JSONValue(parsing: answer.body)["error"]?["data"]?["code"] == "WORKER_TIMEOUT")
        #expect(try await waitUntil { !processExists(stuck) })
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect(supervisor.workerPID("acme") != stuck)
    }

    @Test("maxWorkerMemoryMB: a worker above it is replaced gracefully; maxWorkerOpenFiles is its RLIMIT_NOFILE")
    func workerResources() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["maxWorkerMemoryMB": 1, "maxWorkerOpenFiles": 200])
        let load = try GlobexLoad(supervisor: supervisor)
        #expect(try await waitUntil { load.succeeded >= 5 })
        let first = try #require(supervisor.workerPID("globex"))
        let limits = try String(contentsOfFile: "/proc/\(first)/limits", encoding: .utf8)
        #expect(limits.split(separator: "\n").contains { $0.hasPrefix("Max open files") && $0.contains(" 200 ") })
        #expect(try await waitUntil(timeout: 15) { (try supervisor.tenantStatus("globex")?["restarts"]?.intValue ?? 0) >= 1 })
        let (ok, failed) = try await load.stop()
        #expect(ok >= 5 && failed == 0)
    }
}
