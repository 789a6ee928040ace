import Foundation
import Glibc
import JSON
import Sandbox
import HTTP1

/// A real supervisor on free loopback ports with its own run directory, its tenants pointed at
/// the given upstream; `deinit` of its ChildProcess kills it (and PDEATHSIG its workers).
struct SupervisorFixture {
    let process: ChildProcess
    let address: String
    let adminAddress: String
    let directory: String
    let configPath: String
    /// The sandbox API its tenants call, when the fixture started one (`startDemo`): it lives,
    /// and is stopped, with the supervisor.
    var sandbox: ChildProcess?

    var runDirectory: String { directory + "/run" }

    /// `clients` maps client IDs to tenant entries; `extra` adds top-level settings; `files` are
    /// written beside the configuration. With `activating`, the supervisor is socket-activated
    /// the way systemd does it: that listening socket as its fd 3, LISTEN_FDS=1, LISTEN_PID=<its pid>.
    static func start(
        clients: [String: JSONValue], extra: JSONObject = [:], environment: [String: String] = [:], files: [String: String] = [:],
        activating listener: Int32? = nil
    ) async throws -> SupervisorFixture {
        let directory = try TemporaryDirectory.make(prefix: "sup")
        let configPath = directory + "/supervisor.json"
        try writeConfig(configPath, clients: clients, extra: extra)
        for (name, contents) in files { try Data(contents.utf8).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        var environment = environment
        if listener != nil { environment["LISTEN_FDS"] = "1" }
        let process = try ChildProcess(["serve", "--config", configPath], environment: environment, descriptor3: listener, listenPIDIsChild: listener != nil)
        let line = try await process.waitForLine(containing: "supervisor listening on ")
        let words = line.split(separator: " ")
        guard let at = words.firstIndex(of: "on"), let adminAt = words.firstIndex(of: "admin") else { throw TestFailure("bad announce line: \(line)") }
        return SupervisorFixture(process: process, address: String(words[at + 1]), adminAddress: String(words[adminAt + 1]), directory: directory, configPath: configPath)
    }

    /// A sandbox API and a supervisor serving the demo tenants acme and globex against it.
    static func startDemo() async throws -> SupervisorFixture {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        var supervisor = try await start(clients: demoClients(sandbox: sandboxAddress))
        supervisor.sandbox = sandbox
        return supervisor
    }

    /// Demo tenants pointed at a running sandbox.
    static func demoClients(sandbox: String, names: [String] = ["acme", "globex"], extra: JSONObject = [:]) throws -> [String: JSONValue] {
        var clients: [String: JSONValue] = [:]
        for name in names {
            let tenant = try Fixtures.demoTenant(name)
            guard case .object(var entry) = tenant.tenantEntry(baseURL: "http://\(sandbox)", httpTimeoutMs: 5000) else { continue }
            for member in extra { entry[member.key] = member.value }
            clients[name] = .object(entry)
        }
        return clients
    }

    static func writeConfig(_ path: String, clients: [String: JSONValue], extra: JSONObject = [:]) throws {
        var document: JSONObject = [
            "listen": "127.0.0.1:0", "adminListen": "127.0.0.1:0", "runDirectory": "run",
            "clients": .object(JSONObject(clients.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
        ]
        for member in extra { document[member.key] = member.value }
        try Data(JSONValue.object(document).serialized(pretty: true)).write(to: URL(fileURLWithPath: path))
    }

    func workerPID(_ id: String) -> Int32? {
        (try? String(contentsOfFile: "\(runDirectory)/workers/\(id).pid", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Waits until `id` has a worker whose pid differs from `old` and returns it.
    func waitForWorker(_ id: String, other old: Int32? = nil, timeout: Double = 10) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let pid = workerPID(id), pid != old, processExists(pid) { return pid }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no new worker for \(id) within \(timeout)s; supervisor stderr: \(process.stderr)")
    }

    func status() throws -> JSONValue {
        let response = try HTTPTestClient(adminAddress).request("GET", "/status")
        return try JSONValue(parsing: response.body)
    }

    func tenantStatus(_ id: String) throws -> JSONValue? {
        try status()["tenants"]?.arrayValue?.first { $0["clientId"]?.stringValue == id }
    }

    /// A `tools/list` for tenant `id` on a fresh connection.
    func listTools(_ id: String, client: HTTPTestClient? = nil) throws -> HTTPTestClient.Response {
        let client = try client ?? HTTPTestClient(address)
        return try ModernMCP.post(client, id: 1, method: "tools/list", headers: [("X-Client-ID", id)])
    }

    func runOneappMCP(_ arguments: [String]) async throws -> (Int32, String) {
        let process = try ChildProcess(arguments + ["--config", configPath])
        let code = try await process.waitForExit()
        return (code, process.stdout + process.stderr)
    }
}

func processExists(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    // A zombie still answers kill(0): look at its state.
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return !stat.contains(") Z ")
}
