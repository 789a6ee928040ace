import Foundation
import Glibc
import JSON
import HTTP1
import Synchronization
import Testing

/// The real supervisor binary: routing, workers on demand, reaping, crashes, signals.
@Suite(.timeLimit(.minutes(2)))
struct SupervisorTests {
    @Test(
        "routing errors are answered by the supervisor and never spawn a worker",
        arguments: [
            ([], 403, "MISSING_CLIENT_ID"),
            ([("X-Client-ID", "")], 403, "MISSING_CLIENT_ID"),
            ([("X-Client-ID", "acme"), ("X-Client-ID", "acme")], 400, "DUPLICATE_CLIENT_ID"),
            ([("X-Client-ID", "acme,globex")], 400, "DUPLICATE_CLIENT_ID"),
            ([("X-Client-ID", "acme!")], 403, "INVALID_CLIENT_ID"),
            ([("X-Client-ID", "initech")], 403, "UNKNOWN_CLIENT"),
        ] as [([(String, String)], Int, String)])
    func routingErrors(_ headers: [(String, String)], _ status: Int, _ code: String) async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let client = try HTTPTestClient(supervisor.address)
        let response = try await ModernMCP.post(client, id: 1, method: "tools/list", headers: headers)
        #expect(response.status == status)
        let body = try JSONValue(parsing: response.body)
        #expect(body["error"]?["data"]?["code"]?.stringValue == code)
        #expect(body["jsonrpc"] == "2.0" && body["id"] == .null)
        #expect(try await supervisor.status()["supervisor"]?["allWorkers"] == 0)
        // The connection stays usable after a rejection.
        #expect(try await supervisor.listTools("acme", client: client).status == 200)
    }

    @Test("each tenant gets its own worker, reused across requests, named in its pid file")
    func workerPerTenant() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(clients: SupervisorFixture.demoClients(sandbox: sandboxAddress))
        #expect(try await supervisor.listTools("acme").status == 200)
        let acme = try #require(supervisor.workerPID("acme"))
        #expect(try await supervisor.listTools("ACME ").status == 200)
        #expect(supervisor.workerPID("acme") == acme)
        #expect(try await supervisor.listTools("globex").status == 200)
        let globex = try #require(supervisor.workerPID("globex"))
        #expect(acme != globex)
        let cmdline = try String(contentsOfFile: "/proc/\(acme)/cmdline", encoding: .utf8).replacingOccurrences(of: "\0", with: " ")
        #expect(cmdline.contains("worker --client-id acme"))
        #expect(!cmdline.contains("sandbox-acme"))  // the secret never travels in argv
        let environ = (try? String(contentsOfFile: "/proc/\(acme)/environ", encoding: .utf8)) ?? ""
        #expect(!environ.contains("sandbox-acme"))
        let tenant = try #require(try await supervisor.tenantStatus("acme"))
        #expect(tenant["state"] == "ready" && tenant["pid"] == .int(Int(acme)) && tenant["requests"] == 2)
    }

    @Test("an idle worker is reaped after its TTL and the next request starts a new one")
    func idleReaping() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress, extra: ["idleTimeoutSeconds": 1, "httpTimeoutMs": 500]))
        #expect(try await supervisor.listTools("acme").status == 200)
        let first = try #require(supervisor.workerPID("acme"))
        #expect(try await waitUntil { !processExists(first) && supervisor.workerPID("acme") == nil })
        #expect(try await supervisor.tenantStatus("acme")?["reaps"] == 1)
        #expect(try await supervisor.tenantStatus("acme")?["crashes"] == 0)
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect(supervisor.workerPID("acme") != first)
    }

    @Test("kill -9 of one tenant's worker: its in-flight request gets 502, the other tenant sees no error")
    func crashIsolation() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let slow = try ScriptedUpstream(["/core/subgerencias": .hang])
        defer { slow.stop() }
        var clients = try SupervisorFixture.demoClients(sandbox: sandboxAddress, names: ["globex"])
        clients["acme"] = ["authorization": "", "coreBaseUrl": .string(slow.baseURL), "clientBaseUrl": .string(slow.baseURL), "clientHeader": "", "httpTimeoutMs": 30000]
        let supervisor = try await SupervisorFixture.start(clients: clients)
        #expect(try await supervisor.listTools("acme").status == 200)
        let victim = try #require(supervisor.workerPID("acme"))

        let load = try GlobexLoad(supervisor: supervisor)
        let inFlight = Task { try await onThread { () -> HTTPTestClient.Response in
            try ModernMCP.post(HTTPTestClient(supervisor.address), id: 1, method: "tools/call",
                params: ["name": "core_list_subgerencias", "arguments": [:]], name: "core_list_subgerencias", headers: [("X-Client-ID", "acme")])
        } }
        #expect(try await waitUntil { !slow.receivedRequests.isEmpty })
        kill(victim, SIGKILL)
        let answer = try await inFlight.value
        #expect(answer.status == 502)
        #expect(try JSONValue(parsing: answer.body)["error"]?["data"]?["code"] == "WORKER_CRASHED")
        let again = try await supervisor.listTools("acme")
        #expect(again.status == 200, "\(String(decoding: again.body, as: UTF8.self))")
        #expect(supervisor.workerPID("acme") != victim)
        #expect(try await waitUntil { load.succeeded >= 50 })
        let (ok, failed) = try await load.stop()
        #expect(ok >= 50 && failed == 0)
        #expect(try await supervisor.tenantStatus("acme")?["lastExit"] == "killed by SIGKILL")
    }

    @Test("after a worker died, the next request on the same connection is served by a fresh worker")
    func requestRightAfterCrash() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let client = try HTTPTestClient(supervisor.address)
        #expect(try await supervisor.listTools("acme", client: client).status == 200)
        let victim = try #require(supervisor.workerPID("acme"))
        kill(victim, SIGKILL)
        // Death is asynchronous: until the supervisor has reaped the worker, a request may still
        // reach it and count among its in-flight ones (502). The pid file goes at the reap.
        #expect(try await waitUntil { supervisor.workerPID("acme") != victim })
        #expect(try await supervisor.listTools("acme", client: client).status == 200)
        #expect(supervisor.workerPID("acme") != victim)
    }

    @Test("a worker that died while its connection idled in the pool does not cost the next request a 502")
    func deadWorkerBehindIdleConnection() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let client = try HTTPTestClient(supervisor.address)
        #expect(try await supervisor.listTools("acme", client: client).status == 200)  // its connection is pooled now
        let victim = try #require(supervisor.workerPID("acme"))
        // With the supervisor stopped, the worker's death (EOF, SIGCHLD) and the next request
        // reach it in one batch, in any order: the request may come first, to the dead
        // worker's pooled connection, which must then be found closed, not written to.
        supervisor.process.signal(SIGSTOP)
        defer { supervisor.process.signal(SIGCONT) }
        kill(victim, SIGKILL)
        let next = Task { try await supervisor.listTools("acme", client: client) }
        try await Task.sleep(for: .milliseconds(300))
        supervisor.process.signal(SIGCONT)
        let answer = try await next.value
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        #expect(supervisor.workerPID("acme") != victim)
    }

    @Test("repeated crashes put the tenant in backoff (503 + Retry-After); oneapp-mcp restart bypasses it")
    func backoffAndRestart() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        var last: Int32?
        for _ in 0..<3 {
            #expect(try await supervisor.listTools("acme").status == 200)
            let pid = try await supervisor.waitForWorker("acme", other: last)
            kill(pid, SIGKILL)
            #expect(try await waitUntil { try supervisor.tenantStatus("acme")?["pid"] == .null })
            last = pid
        }
        let refused = try await supervisor.listTools("acme")
        #expect(refused.status == 503)
        #expect(refused.fields["Retry-After"] != nil)
        #expect(try JSONValue(parsing: refused.body)["error"]?["data"]?["code"] == "TENANT_UNAVAILABLE")
        #expect(try await supervisor.listTools("globex").status == 200)

        let (code, output) = try await supervisor.runOneappMCP(["restart", "acme"])
        #expect(code == 0, "\(output)")
        #expect(try await supervisor.listTools("acme").status == 200)
    }

    @Test("worker SIGHUP under load: a fresh worker takes over and no request fails")
    func workerHangupUnderLoad() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        #expect(try await supervisor.listTools("globex").status == 200)
        let old = try #require(supervisor.workerPID("globex"))
        let load = try GlobexLoad(supervisor: supervisor, calls: true)
        try await Task.sleep(for: .milliseconds(300))
        kill(old, SIGHUP)
        let new = try await supervisor.waitForWorker("globex", other: old)
        #expect(try await waitUntil { !processExists(old) })
        let before = load.succeeded
        #expect(try await waitUntil { load.succeeded >= before + 20 })  // the new worker serves the load
        let (ok, failed) = try await load.stop()
        #expect(ok >= 20 && failed == 0)
        #expect(new != old)
        #expect(try await supervisor.tenantStatus("globex")?["crashes"] == 0)
    }

    @Test("worker SIGTERM stops that tenant gracefully; the next request starts it again")
    func workerTerm() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        #expect(try await supervisor.listTools("acme").status == 200)
        let old = try #require(supervisor.workerPID("acme"))
        kill(old, SIGTERM)
        #expect(try await waitUntil { !processExists(old) })
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect(try await supervisor.tenantStatus("acme")?["crashes"] == 0)
        #expect(try await supervisor.tenantStatus("acme")?["lastExit"] == "exit code 0")
    }

    @Test("supervisor SIGTERM: an in-flight request completes, workers stop, files are removed, exit 0")
    func gracefulShutdown() async throws {
        let slow = try ScriptedUpstream(["/core/subgerencias": .hang])
        defer { slow.stop() }
        let supervisor = try await SupervisorFixture.start(clients: [
            "acme": ["authorization": "", "coreBaseUrl": .string(slow.baseURL), "clientBaseUrl": .string(slow.baseURL), "clientHeader": "", "httpTimeoutMs": 1500]
        ])
        let inFlight = Task { try await onThread { () -> JSONValue in
            try ModernMCP.callTool(HTTPTestClient(supervisor.address), "core_list_subgerencias", headers: [("X-Client-ID", "acme")])
        } }
        #expect(try await waitUntil { !slow.receivedRequests.isEmpty })
        let worker = try #require(supervisor.workerPID("acme"))
        supervisor.process.signal(SIGTERM)
        let result = try await inFlight.value
        #expect(result.isToolError && result.toolText.contains("1500"))  // the upstream timeout, answered in full
        #expect(try await supervisor.process.waitForExit() == 0)
        #expect(!processExists(worker))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: supervisor.runDirectory)) ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test("kill -9 of the supervisor leaves no worker behind; a new supervisor starts on its run directory")
    func supervisorKilled() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let clients = try SupervisorFixture.demoClients(sandbox: sandboxAddress)
        let supervisor = try await SupervisorFixture.start(clients: clients)
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect(try await supervisor.listTools("globex").status == 200)
        let workers = [supervisor.workerPID("acme"), supervisor.workerPID("globex")].compactMap { $0 }
        #expect(workers.count == 2)
        supervisor.process.signal(SIGKILL)
        #expect(try await waitUntil { workers.allSatisfy { !processExists($0) } })
        let second = try ChildProcess(["serve", "--config", supervisor.configPath])
        _ = try await second.waitForLine(containing: "supervisor listening on ")
        second.signal(SIGTERM)
        #expect(try await second.waitForExit() == 0)
    }

    @Test("SIGHUP reloads: added tenants are served, removed ones refused, an invalid file is rejected")
    func reload() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let both = try SupervisorFixture.demoClients(sandbox: sandboxAddress)
        let supervisor = try await SupervisorFixture.start(clients: ["acme": both["acme"]!])
        #expect(try await supervisor.listTools("globex").status == 403)

        try SupervisorFixture.writeConfig(supervisor.configPath, clients: ["globex": both["globex"]!])
        supervisor.process.signal(SIGHUP)
        #expect(try await waitUntil { try supervisor.listTools("globex").status == 200 })
        #expect(try await supervisor.listTools("acme").status == 403)

        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: supervisor.configPath))
        supervisor.process.signal(SIGHUP)
        #expect(try await waitUntil { supervisor.process.stderr.contains("reload rejected") })
        #expect(try await supervisor.listTools("globex").status == 200)
        #expect(supervisor.process.isRunning)
    }

    @Test("status and check-config speak to operators")
    func operatorCommands() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        #expect(try await supervisor.listTools("acme").status == 200)
        let (code, table) = try await supervisor.runOneappMCP(["status"])
        #expect(code == 0)
        #expect(table.contains("acme") && table.contains("ready") && table.contains("globex") && table.contains("absent"))

        let broken = supervisor.directory + "/broken.json"
        try Data(#"{"listen": "nowhere", "clients": {"Bad-Id": {}, "ok": {"authorization": "", "coreBaseUrl": "ftp://x", "clientBaseUrl": "http://x", "clientHeader": "", "httpTimeoutMs": 0}}}"#.utf8)
            .write(to: URL(fileURLWithPath: broken))
        let check = try ChildProcess(["check-config", "--config", broken])
        #expect(try await check.waitForExit() == 1)
        for expected in ["listen:", "clients.Bad-Id:", "clients.ok.coreBaseUrl: must be an http(s) URL", "clients.ok.httpTimeoutMs:"] {
            #expect(check.stdout.contains(expected), "missing \(expected) in \(check.stdout)")
        }
        let serve = try ChildProcess(["serve", "--config", broken])
        #expect(try await serve.waitForExit() == 78)
        #expect(serve.stderr.contains("clients.ok.coreBaseUrl"))
    }
}

/// Steady `tools/list` (or `tools/call`) traffic for tenant globex on two keep-alive connections,
/// counting answers that are not 200.
final class GlobexLoad: @unchecked Sendable {
    private let running = Atomic<Bool>(true)
    private let ok = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)

    init(supervisor: SupervisorFixture, calls: Bool = false) throws {
        for _ in 0..<2 {
            let client = try HTTPTestClient(supervisor.address)
            Thread { [self] in
                defer { finished.add(1, ordering: .relaxed) }
                var id = 0
                while running.load(ordering: .relaxed) {
                    id += 1
                    do {
                        let status: Int
                        if calls {
                            let result = try ModernMCP.callTool(client, id: id, "core_list_zonas", headers: [("X-Client-ID", "globex")])
                            status = result.isToolError ? 599 : 200
                        } else {
                            status = try supervisor.listTools("globex", client: client).status
                        }
                        if status == 200 { ok.add(1, ordering: .relaxed) } else { failed.add(1, ordering: .relaxed) }
                    } catch {
                        failed.add(1, ordering: .relaxed)
                        return
                    }
                }
            }.start()
        }
    }

    var succeeded: Int { ok.load(ordering: .relaxed) }

    func stop() async throws -> (ok: Int, failed: Int) {
        running.store(false, ordering: .relaxed)
        while finished.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        return (ok.load(ordering: .relaxed), failed.load(ordering: .relaxed))
    }
}
