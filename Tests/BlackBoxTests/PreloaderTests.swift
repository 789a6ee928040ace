import Foundation
import Glibc
import JSON
import Testing

/// Workers forked from the preloader: they are the supervisor's children like spawned ones, and
/// the preloader failing never costs a request.
@Suite(.timeLimit(.minutes(2)))
struct PreloaderTests {
    @Test("a forked worker is the supervisor's child, shows its tenant in ps, and serves tool calls")
    func forkedWorker() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let preloader = try await readyPreloader(supervisor)
        #expect(commandLine(preloader).hasPrefix("oneapp-mcp preloader"))

        let call = try await ModernMCP.post(
            HTTPTestClient(supervisor.address), id: 2, method: "tools/call", params: ["name": "core_list_zonas", "arguments": [:]],
            name: "core_list_zonas", headers: [("X-Client-ID", "acme")])
        #expect(call.status == 200)
        #expect(String(decoding: call.body, as: UTF8.self).contains("Zona "))
        let worker = try #require(supervisor.workerPID("acme"))
        #expect(parentPID(worker) == supervisor.process.pid)
        #expect(commandLine(worker).hasPrefix("oneapp-mcp worker --client-id acme"))
        #expect(try await supervisor.status()["supervisor"]?["preloaderPid"] == .int(Int(preloader)))

        // The next tenant's worker was forked while acme's descriptors passed through the
        // preloader: it holds none of them (stdout, shared by every process here, aside).
        #expect(try await supervisor.listTools("globex").status == 200)
        let globex = try #require(supervisor.workerPID("globex"))
        let shared = openFiles(worker).intersection(openFiles(globex))
        #expect(shared.isEmpty, "acme's and globex's workers share \(shared)")
    }

    @Test("kill -9 of the preloader: the next workers are spawned, no request fails, and a new preloader takes over")
    func preloaderCrash() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let first = try await readyPreloader(supervisor)
        kill(first, SIGKILL)
        #expect(try await supervisor.listTools("acme").status == 200)
        let spawned = try #require(supervisor.workerPID("acme"))
        #expect(parentPID(spawned) == supervisor.process.pid)

        let second = try await readyPreloader(supervisor, other: first)
        #expect(!processExists(first))
        #expect(try await supervisor.listTools("globex").status == 200)
        let forked = try #require(supervisor.workerPID("globex"))
        #expect(parentPID(forked) == supervisor.process.pid)
        #expect(try await supervisor.status()["supervisor"]?["preloaderPid"] == .int(Int(second)))
    }

    @Test("a stalled preloader (SIGSTOP) is replaced: the request waiting on it is served by a spawned worker")
    func preloaderStall() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let stalled = try await readyPreloader(supervisor)
        kill(stalled, SIGSTOP)  // still killable: the supervisor's SIGKILL, or its death (PDEATHSIG)
        let started = ContinuousClock.now
        #expect(try await supervisor.listTools("acme").status == 200)
        #expect(ContinuousClock.now - started < .seconds(8))
        let worker = try #require(supervisor.workerPID("acme"))
        #expect(parentPID(worker) == supervisor.process.pid)
        #expect(try await waitUntil { !processExists(stalled) })
        let replacement = try await readyPreloader(supervisor, other: stalled)
        #expect(replacement != stalled)
    }

    @Test("kill -9 of the supervisor takes the preloader and its spare worker with it")
    func supervisorCrash() async throws {
        let supervisor = try await SupervisorFixture.startDemo()
        let preloader = try await readyPreloader(supervisor)
        #expect(try await supervisor.listTools("acme").status == 200)
        let worker = try #require(supervisor.workerPID("acme"))
        // The spare is the one other child: forked ahead, waiting for a tenant.
        var spare: Int32?
        #expect(try await waitUntil {
            spare = children(of: supervisor.process.pid).first { $0 != preloader && $0 != worker && commandLine($0).hasPrefix("oneapp-mcp spare") }
            return spare != nil
        })
        supervisor.process.signal(SIGKILL)
        for pid in [preloader, worker, try #require(spare)] {
            #expect(try await waitUntil { !processExists(pid) }, "process \(pid) outlived its supervisor")
        }
    }

    /// The preloader's pid once it has forked its first spare (it is ready then).
    private func readyPreloader(_ supervisor: SupervisorFixture, other old: Int32? = nil) async throws -> Int32 {
        var found: Int32?
        let ready = try await waitUntil {
            guard let pid = try await supervisor.status()["supervisor"]?["preloaderPid"]?.intValue.map(Int32.init), pid != old else { return false }
            found = pid
            return children(of: supervisor.process.pid).contains { commandLine($0).hasPrefix("oneapp-mcp spare") }
        }
        guard ready, let found else { throw TestFailure("no ready preloader; supervisor stderr: \(supervisor.process.stderr)") }
        return found
    }
}

/// What /proc/PID/cmdline shows, arguments joined by spaces.
private func commandLine(_ pid: Int32) -> String {
    let raw = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
    return raw.replacingOccurrences(of: "\0", with: " ").trimmingCharacters(in: .whitespaces)
}

/// The parent pid from /proc/PID/stat (the field after the state, past the parenthesized name).
private func parentPID(_ pid: Int32) -> Int32? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) : nil
}

/// The pipes and sockets a process holds, but for its stdin and stdout.
private func openFiles(_ pid: Int32) -> Set<String> {
    let directory = "/proc/\(pid)/fd"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return Set(names.filter { $0 != "0" && $0 != "1" }.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)") }
        .filter { $0.hasPrefix("socket:") || $0.hasPrefix("pipe:") })
}

/// The live children of `parent`.
private func children(of parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { parentPID($0) == parent && processExists($0) }
}
