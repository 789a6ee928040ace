import Foundation
import Glibc
import JSON
import Testing

/// The supervisor under systemd, without systemd: the test holds the notification socket
/// (NOTIFY_SOCKET) and the activated listener (LISTEN_FDS) itself (README "systemd").
@Suite(.timeLimit(.minutes(2)))
struct SystemdTests {
    @Test("sd_notify: READY=1 + STATUS once listening, RELOADING=1 + READY=1 around each SIGHUP, STOPPING=1 on SIGTERM")
    func notifications() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let notify = try NotifySocket()
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), environment: ["NOTIFY_SOCKET": notify.name])

        let ready = NotifySocket.fields(try await notify.next(containing: "READY=1"))
        #expect(ready["STATUS"] == "serving 2 tenants, 0 live workers")
        #expect(FileManager.default.fileExists(atPath: supervisor.runDirectory + "/supervisor.pid"))  // written before READY
        #expect(try await supervisor.listToolsStatus("acme") == 200)
        let worker = try #require(supervisor.workerPID("acme"))
        #expect(!environment(of: worker).contains { $0.hasPrefix("NOTIFY_SOCKET=") })

        let before = monotonicMicroseconds()
        supervisor.process.signal(SIGHUP)
        let reloading = NotifySocket.fields(try await notify.next(containing: "RELOADING=1"))
        let stamp = try #require(reloading["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect(stamp >= before && stamp <= monotonicMicroseconds())
        let reloaded = NotifySocket.fields(try await notify.next(containing: "READY=1"))
        #expect(reloaded["STATUS"] == "serving 2 tenants, 1 live worker")

        // A rejected reload still ends with READY=1: the old configuration keeps serving.
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: supervisor.configPath))
        supervisor.process.signal(SIGHUP)
        _ = try await notify.next(containing: "RELOADING=1")
        #expect(NotifySocket.fields(try await notify.next(containing: "READY=1"))["STATUS"] == "serving 2 tenants, 1 live worker")
        #expect(try await supervisor.listToolsStatus("acme") == 200)

        supervisor.process.signal(SIGTERM)
        let stopping = NotifySocket.fields(try await notify.next(containing: "STOPPING=1"))
        #expect(stopping["STATUS"]?.hasPrefix("stopping") == true)
        #expect(try await supervisor.process.waitForExit() == 0)
    }

    @Test("socket activation: requests are served on the listener passed as fd 3, not on the configured `listen`")
    func socketActivation() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let listener = try TestListener()
        let configuredPort = try TestListener.unusedPort()
        let notify = try NotifySocket(abstract: true)
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), extra: ["listen": .string("127.0.0.1:\(configuredPort)")],
            environment: ["NOTIFY_SOCKET": notify.name], activating: listener.fd)
        close(listener.fd)  // from here on only the supervisor holds the socket

        #expect(supervisor.address == "127.0.0.1:\(listener.port)")
        _ = try await notify.next(containing: "READY=1")
        #expect(try await supervisor.listToolsStatus("acme") == 200)
        #expect(try await supervisor.listToolsStatus("globex") == 200)
        #expect(throws: TestFailure.self) { try HTTPTestClient("127.0.0.1:\(configuredPort)") }
        #expect(supervisor.process.stderr.contains("using the listening socket passed by systemd (fd 3)"))
        // The variables describe the supervisor only: its workers never see them.
        let worker = try #require(supervisor.workerPID("acme"))
        #expect(!environment(of: worker).contains { $0.hasPrefix("LISTEN_") || $0.hasPrefix("NOTIFY_SOCKET=") })

        supervisor.process.signal(SIGTERM)
        _ = try await notify.next(containing: "STOPPING=1")
        #expect(try await supervisor.process.waitForExit() == 0)
    }

    @Test("LISTEN_FDS meant for another process (LISTEN_PID is not ours) is ignored: the supervisor binds `listen`")
    func foreignActivation() async throws {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        defer { _ = sandbox }
        let supervisor = try await SupervisorFixture.start(
            clients: SupervisorFixture.demoClients(sandbox: sandboxAddress), environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1"])
        #expect(try await supervisor.listToolsStatus("acme") == 200)
        #expect(!supervisor.process.stderr.contains("passed by systemd"))
        let worker = try #require(supervisor.workerPID("acme"))
        #expect(!environment(of: worker).contains { $0.hasPrefix("LISTEN_") })
    }

    @Test("a passed descriptor that is not a listening socket: the supervisor refuses to start and leaves nothing behind")
    func notAListener() async throws {
        let directory = try TemporaryDirectory.make(prefix: "sup")
        let configPath = directory + "/supervisor.json"
        try SupervisorFixture.writeConfig(configPath, clients: SupervisorFixture.demoClients(sandbox: "127.0.0.1:9"))
        let unconnected = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        defer { close(unconnected) }
        let process = try ChildProcess(
            ["serve", "--config", configPath], environment: ["LISTEN_FDS": "1"], descriptor3: unconnected, listenPIDIsChild: true)
        #expect(try await process.waitForExit() == 1)
        #expect(process.stderr.contains("descriptor 3 is not a listening socket"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/run/supervisor.pid"))
    }
}

extension SupervisorFixture {
    /// The status of a `tools/list` for tenant `id`, off the cooperative pool (the socket blocks).
    func listToolsStatus(_ id: String) async throws -> Int {
        try await onThread { try listTools(id).status }
    }
}
