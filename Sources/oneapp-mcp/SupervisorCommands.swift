import Configuration
import Foundation
import Glibc
import JSON
import Posix
import Supervision

/// `serve`, `check-config`, `status` and `restart`: the operator's commands.
enum SupervisorCommands {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static func serve(_ arguments: [String]) -> Int32 {
        guard let parsed = parse(arguments, command: "serve") else { return 64 }
        let path = parsed.flags["config"]
        switch ConfigurationLoader.load(path: path, environment: environment) {
        case .failure(let problems):
            printError("oneapp-mcp: invalid configuration, not starting:\n  " + problems.problems.joined(separator: "\n  "))
            return 78  // EX_CONFIG
        case .success(let loaded):
            for warning in loaded.warnings { printError("oneapp-mcp: warning: \(warning)") }
            do {
                let supervisor = try Supervisor(loaded: loaded, configPath: path, environment: environment)
                return try supervisor.run()
            } catch {
                printError("oneapp-mcp: \(error)")
                return 1
            }
        }
    }

    static func checkConfig(_ arguments: [String]) -> Int32 {
        guard let parsed = parse(arguments, command: "check-config") else { return 64 }
        let path = parsed.flags["config"]
        switch ConfigurationLoader.load(path: path, environment: environment) {
        case .failure(let problems):
            for problem in problems.problems { print("error: \(problem)") }
            print("\(path ?? "supervisor.json"): invalid (\(problems.problems.count) problem\(problems.problems.count == 1 ? "" : "s"))")
            return 1
        case .success(let loaded):
            for warning in loaded.warnings { print("warning: \(warning)") }
            let tenants = loaded.configuration.clients.keys.sorted().map(\.rawValue).joined(separator: ", ")
            print("\(path ?? "supervisor.json"): valid; tenants from \(loaded.clientsSource): \(tenants)")
            return 0
        }
    }

    static func status(_ arguments: [String]) -> Int32 {
        guard let parsed = parse(arguments, command: "status"), let socket = controlSocket(parsed) else { return 64 }
        guard let (code, body) = ControlClient.request(socket: socket, method: "GET", path: "/status"), code == 200,
            let json = try? JSONValue(parsing: body)
        else {
            printError("oneapp-mcp status: no supervisor answers on \(socket)")
            return 1
        }
        print(StatusTable.render(json), terminator: "")
        return 0
    }

    static func restart(_ arguments: [String]) -> Int32 {
        guard let parsed = parse(arguments, command: "restart"), let socket = controlSocket(parsed) else { return 64 }
        guard let id = parsed.positional.first else {
            printError("usage: oneapp-mcp restart CLIENT_ID [--config PATH]")
            return 64
        }
        guard let (code, body) = ControlClient.request(socket: socket, method: "POST", path: "/restart/\(id)") else {
            printError("oneapp-mcp restart: no supervisor answers on \(socket)")
            return 1
        }
        print(String(decoding: body, as: UTF8.self), terminator: "")
        return code == 200 ? 0 : 1
    }

    /// `oneapp-mcp hash-key`: the key is read from standard input (never argv, which `ps` shows).
    static func hashKey() -> Int32 {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            printError("usage: echo -n KEY | oneapp-mcp hash-key")
            return 64
        }
        print(APIKey.stored(line))
        return 0
    }

    private static func parse(_ arguments: [String], command: String) -> CommandArguments? {
        do { return try CommandArguments(arguments, known: ["config"]) } catch {
            printError("oneapp-mcp \(command): \(error)\n\n\(CommandLineEntry.usage)")
            return nil
        }
    }

    /// The control socket of the supervisor that runs with this configuration.
    private static func controlSocket(_ parsed: CommandArguments) -> String? {
        switch ConfigurationLoader.load(path: parsed.flags["config"], environment: environment) {
        case .success(let loaded): return RunDirectory(path: loaded.configuration.runDirectory).controlSocket
        case .failure(let problems):
            printError("oneapp-mcp: invalid configuration:\n  " + problems.problems.joined(separator: "\n  "))
            return nil
        }
    }
}
