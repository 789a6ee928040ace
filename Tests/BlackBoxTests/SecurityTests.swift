import Foundation
import Glibc
import HTTP1
import JSON
import Sandbox
import Testing

/// Inbound API keys and secrets by reference, through the real supervisor.
@Suite(.timeLimit(.minutes(2)))
struct SecurityTests {
    static let acmeKey = "acme-key-\(UInt32.random(in: 0...UInt32.max))"
    static let globexKey = "globex-key-\(UInt32.random(in: 0...UInt32.max))"

    /// acme: its upstream token from the environment, its API key from a file; globex: a hashed key.
    func start(sandbox: String) async throws -> SupervisorFixture {
        var clients = try SupervisorFixture.demoClients(sandbox: sandbox)
        guard case .object(var acme) = clients["acme"], case .object(var globex) = clients["globex"] else { throw TestFailure("no demo clients") }
        acme["authorization"] = ["env": "ACME_UPSTREAM_TOKEN"]
        acme["apiKeys"] = [["file": "acme.key"]]
        globex["apiKeys"] = [.string(APIKeyHash.of(Self.globexKey))]
        clients["acme"] = .object(acme)
        clients["globex"] = .object(globex)
        let token = try Fixtures.demoTenant("acme").authorization
        return try await SupervisorFixture.start(
            clients: clients, extra: ["logFile": "supervisor.log"], environment: ["ACME_UPSTREAM_TOKEN": token],
            files: ["acme.key": Self.acmeKey + "\n"])
    }

    @Test("a tenant with API keys needs one of its own: right key 200; no key, a wrong one or another tenant's 401")
    func apiKeys() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await start(sandbox: sandboxAddress)
        func status(_ tenant: String, _ authorization: String?) throws -> HTTPTestClient.Response {
            let client = try HTTPTestClient(supervisor.address)
            let headers = [("X-Client-ID", tenant)] + (authorization.map { [("Authorization", $0)] } ?? [])
            return try ModernMCP.post(client, id: 1, method: "tools/list", headers: headers)
        }
        for (tenant, authorization) in [("acme", nil), ("acme", "Bearer wrong"), ("acme", "Bearer \(Self.globexKey)"),
                                        ("globex", "Bearer \(Self.acmeKey)"), ("acme", "Basic \(Self.acmeKey)")] as [(String, String?)] {
            let refused = try status(tenant, authorization)
            #expect(refused.status == 401, "\(tenant) with \(authorization ?? "no key")")
            #expect(refused.fields["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
            #expect(try JSONValue(parsing: refused.body)["error"]?["data"]?["code"] == "UNAUTHORIZED")
        }
        #expect(try await supervisor.status()["supervisor"]?["allWorkers"] == 0)  // refused before any worker
        #expect(try status("acme", "Bearer \(Self.acmeKey)").status == 200)
        #expect(try status("globex", "bearer \(Self.globexKey)").status == 200)
    }

    @Test("secrets by reference work and never show in logs, status, metrics, argv or a worker's environment")
    func secretsStayHidden() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await start(sandbox: sandboxAddress)
        let client = try HTTPTestClient(supervisor.address)
        let result = try await ModernMCP.callTool(client, "core_list_sucursales", headers: [("X-Client-ID", "acme"), ("Authorization", "Bearer \(Self.acmeKey)")])
        #expect(!result.isToolError, "\(result.toolText)")  // the env-referenced upstream token reached the sandbox
        let pid = try #require(supervisor.workerPID("acme"))
        let token = try Fixtures.demoTenant("acme").authorization
        let secrets = [token, String(token.dropFirst("Bearer ".count)), Self.acmeKey]
        let admin = try HTTPTestClient(supervisor.adminAddress)
        var places = [
            "log": try String(contentsOfFile: supervisor.directory + "/supervisor.log", encoding: .utf8),
            "status": try await admin.request("GET", "/status").text,
            "metrics": try await admin.request("GET", "/metrics").text,
            "worker argv": try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
            "worker environment": try String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8),
        ]
        places["supervisor stderr"] = supervisor.process.stderr
        for (place, text) in places {
            for secret in secrets { #expect(!text.contains(secret), "a secret shows in the \(place)") }
        }
        #expect(!places["worker environment"]!.contains("ACME_UPSTREAM_TOKEN"))
    }
}

/// `sha256:<hex>` of a key, as `oneapp-mcp hash-key` prints it.
enum APIKeyHash {
    static func of(_ key: String) -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChildProcess.binary)
        process.arguments = ["hash-key"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = pipe
        try? process.run()
        input.fileHandleForWriting.write(Data(key.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
