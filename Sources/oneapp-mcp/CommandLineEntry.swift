import Glibc
import Posix

/// The `oneapp-mcp` command line: picks the subcommand and turns its outcome into an exit code.
enum CommandLineEntry {
    static let version = "0.1.0"

    static let usage = """
        usage: oneapp-mcp [COMMAND] [OPTIONS]

        commands:
          serve [--config PATH]          run the supervisor (the default command)
          check-config [--config PATH]   validate the configuration and print every problem
          status [--config PATH]         one line per tenant
          restart CLIENT_ID [--config PATH]
                                         restart one tenant's worker gracefully
          hash-key                       read an API key on standard input, print what apiKeys stores
          sandbox [--listen HOST:PORT]   a stand-in OneApp API with demo data (default 127.0.0.1:8090)
          worker --help                  a single tenant's MCP server (started by the supervisor)
          preloader                      forks workers (started by the supervisor only)
          version                        print the version

        """

    static func run(_ arguments: [String]) -> Never {
        // Before any thread exists: threads inherit the signal mask they are created with.
        Signals.blockForSignalFD([SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD])
        Signals.ignoreBrokenPipe()
        var rest = Array(arguments.dropFirst())
        let command = rest.first.map { $0.hasPrefix("-") ? "serve" : rest.removeFirst() } ?? "serve"
        let code: Int32
        switch command {
        case "serve": code = SupervisorCommands.serve(rest)
        case "check-config": code = SupervisorCommands.checkConfig(rest)
        case "status": code = SupervisorCommands.status(rest)
        case "restart": code = SupervisorCommands.restart(rest)
        case "hash-key": code = SupervisorCommands.hashKey()
        case "worker": code = WorkerCommand.run(rest)
        case "preloader": code = PreloaderCommand.run(rest)
        case "sandbox": code = SandboxCommand.run(rest)
        case "version", "--version": print("oneapp-mcp \(version)"); code = 0
        case "help", "--help", "-h": print(usage, terminator: ""); code = 0
        default:
            printError("oneapp-mcp: unknown command '\(command)'\n\n\(usage)")
            code = 64
        }
        fflush(nil)
        exit(code)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    let line = Array((message.hasSuffix("\n") ? message : message + "\n").utf8)
    fflush(nil)  // keep the order of earlier standard-output lines
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// Minimal flag parsing: `--name value` pairs and positional words; unknown flags are errors.
struct CommandArguments {
    var flags: [String: String] = [:]
    var positional: [String] = []

    init(_ arguments: [String], known: Set<String>) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2)), value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard known.contains(name) else { throw UsageError("unknown option --\(name)") }
                if name == "help" { flags[name] = ""; index += 1; continue }
                if value == nil {
                    index += 1
                    guard index < arguments.count else { throw UsageError("--\(name) needs a value") }
                    value = arguments[index]
                }
                flags[name] = value
            } else {
                positional.append(word)
            }
            index += 1
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
