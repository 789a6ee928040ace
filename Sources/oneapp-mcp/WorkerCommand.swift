import Posix
import WorkerRuntime

/// `oneapp-mcp worker`: one tenant's MCP server.
enum WorkerCommand {
    static let usage = """
        usage: oneapp-mcp worker --client-id ID --listen ADDRESS [--config-fd N] [--supervisor-pid PID]

        Serves one tenant's MCP endpoint (POST /mcp) on ADDRESS (HOST:PORT, port 0 picks a free
        one, or unix:PATH) and prints "oneapp-mcp worker ID listening on ADDRESS" once ready.
        The supervisor starts workers itself; start one by hand to test or debug a tenant.

        The tenant's configuration is read as one line of JSON from descriptor N (default 0,
        standard input), never from argv or the environment:

          {"tenant": {"authorization": "Bearer …", "coreBaseUrl": "https://api.oneapp.cl",
                      "clientBaseUrl": "https://acme.oneapp.cl", "clientHeader": "acme",
                      "httpTimeoutMs": 30000},
           "sessionKey": "<64 hex digits, optional>", "allowedOrigins": ["https://…"]}

        Example, against the demo sandbox (oneapp-mcp sandbox):
          oneapp-mcp worker --client-id acme --listen 127.0.0.1:9001 < acme.json

        SIGTERM or SIGINT: stop accepting, finish in-flight requests, exit 0.

        --supervisor-pid marks a worker started by the supervisor: descriptor N is then also its
        lifeline (it reports "ready", asks for a restart on SIGHUP, and exits with its parent).

        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: CommandArguments
        do { parsed = try CommandArguments(arguments, known: ["client-id", "listen", "config-fd", "supervisor-pid", "help"]) } catch {
            return usageError("\(error)")
        }
        if parsed.flags["help"] != nil {
            print(usage, terminator: "")
            return 0
        }
        guard let clientID = parsed.flags["client-id"], !clientID.isEmpty else { return usageError("--client-id is required") }
        guard let listenText = parsed.flags["listen"] else { return usageError("--listen is required") }
        guard let address = SocketAddress(listenText) else {
            return usageError("--listen \(listenText): not HOST:PORT, or unix:PATH with a path under 108 bytes")
        }
        guard let fd = Int32(parsed.flags["config-fd"] ?? "0"), fd >= 0 else { return usageError("--config-fd must be a descriptor number") }
        let supervisor = parsed.flags["supervisor-pid"].flatMap { Int32($0) }
        let worker = WorkerProcess(
            options: .init(clientID: clientID, listen: address, configFD: fd, supervisorPID: supervisor, version: CommandLineEntry.version))
        do {
            return try worker.run()
        } catch {
            printError("oneapp-mcp worker \(clientID): \(error)")
            return 3  // gunicorn's WORKER_BOOT_ERROR: a supervisor must not respawn in a loop
        }
    }

    /// One line naming the problem (the supervisor quotes a worker's last line to clients).
    private static func usageError(_ problem: String) -> Int32 {
        printError("oneapp-mcp worker: \(problem) (see oneapp-mcp worker --help)")
        return 64
    }
}
