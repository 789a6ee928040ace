import EventLoop
import Glibc
import HTTP1
import Posix
import Sandbox

/// `oneapp-mcp sandbox`: the stand-in OneApp API for the demo and the tests.
enum SandboxCommand {
    static let usage = """
        usage: oneapp-mcp sandbox [--listen HOST:PORT]

        Answers the 18 OneApp endpoints the tools call, with deterministic demo data for the
        demo tenants (see README "Demo"). Requests whose Authorization and client headers match
        no demo tenant get 401. Default address 127.0.0.1:8090; port 0 picks a free one.
        Prints "oneapp-mcp sandbox listening on ADDRESS" once ready. SIGTERM/SIGINT stop it.

        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: CommandArguments
        do { parsed = try CommandArguments(arguments, known: ["listen", "help"]) } catch {
            printError("oneapp-mcp sandbox: \(error)\n\n\(usage)")
            return 64
        }
        if parsed.flags["help"] != nil {
            print(usage, terminator: "")
            return 0
        }
        guard let address = SocketAddress(parsed.flags["listen"] ?? "127.0.0.1:8090") else {
            printError("oneapp-mcp sandbox: --listen must be HOST:PORT or unix:PATH")
            return 64
        }
        do {
            let reactor = try Reactor()
            let handler = SandboxHandler()
            let server = HTTPServer(reactor: reactor, handler: handler)
            let port = try server.listen(address)
            let signals = try SignalSource(reactor: reactor, signals: [SIGTERM, SIGINT]) { _ in server.drain { reactor.stop() } }
            if case .inet(let host, _) = address, let port {
                print("oneapp-mcp sandbox listening on \(SocketAddress.inet(host: host, port: port))")
            } else {
                print("oneapp-mcp sandbox listening on \(address)")
            }
            fflush(nil)
            reactor.run()
            withExtendedLifetime((handler, signals)) {}
            return 0
        } catch {
            printError("oneapp-mcp sandbox: \(error)")
            return 1
        }
    }
}

/// Serves `SandboxAPI` over HTTP.
final class SandboxHandler: HTTPServerHandler {
    private let api = SandboxAPI()

    func handle(_ request: IncomingRequest) -> HTTPResponse? {
        api.respond(method: request.head.method, target: request.head.target, fields: request.head.fields, body: request.body)
    }
}
