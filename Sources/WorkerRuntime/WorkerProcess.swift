import Configuration
import EventLoop
import Glibc
import HTTP1
import JSON
import MCP
import OneAppTools
import Posix

/// One tenant's process: read the handoff, listen, serve MCP until told to stop.
///
/// Standalone (`--config-fd 0`): prints its address; TERM/INT drain it (idle connections close
/// at once, busy ones finish) and it exits 0.
/// Under a supervisor (`--supervisor-pid`): the config descriptor is also the lifeline (see
/// Supervision's WorkerLink): it says "ready", asks for a restart on HUP, says "stopping" on
/// TERM and then lets the supervisor close its connections, and exits when the supervisor is gone.
public struct WorkerProcess {
    public struct Options: Sendable {
        public var clientID: String
        public var listen: SocketAddress
        public var configFD: Int32
        public var supervisorPID: Int32?
        public var version: String

        public init(clientID: String, listen: SocketAddress, configFD: Int32, supervisorPID: Int32?, version: String) {
            self.clientID = clientID
            self.listen = listen
            self.configFD = configFD
            self.supervisorPID = supervisorPID
            self.version = version
        }
    }

    /// How long a drain may take before the worker exits anyway.
    static let drainDeadlineMs: UInt64 = 30_000

    let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Serves until drained; returns the process exit code. Signals must be blocked by the caller
    /// before any thread exists (`Signals.blockForSignalFD`).
    public func run() throws(WorkerError) -> Int32 {
        let handoff = try readHandoff()
        if let files = handoff.maxOpenFiles { ProcessLimits.setOpenFiles(files) }
        let reactor: Reactor
        do { reactor = try Reactor() } catch { throw .cannotListen(options.listen.description, error) }
        let toolset = OneAppToolset(configuration: handoff.tenant, transport: WorkerTransport(reactor: reactor, timeoutMs: handoff.tenant.httpTimeoutMs))
        let endpoint = StreamableHTTPEndpoint(
            server: MCPServerInfo(name: "oneapp-mcp", version: options.version, instructions: instructions),
            tools: toolset,
            options: EndpointOptions(
                allowedOrigins: handoff.allowedOrigins, sessionKey: handoff.sessionKey, tenantID: options.clientID,
                reportsActivity: options.supervisorPID != nil),
            now: { UInt64(time(nil)) })
        let handler = MCPRequestHandler(endpoint: endpoint, reactor: reactor)
        let supervised = options.supervisorPID != nil
        // Under a supervisor, it decides when a pooled connection is closed: a worker that closed
        // idle connections on its own could race a request being written to one.
        let server = HTTPServer(
            reactor: reactor,
            configuration: HTTPServerConfiguration(keepAliveIdleMs: supervised ? 3_600_000 : 60_000, errorResponse: Self.jsonRPCError),
            handler: handler)
        let port: UInt16?
        do { port = try server.listen(options.listen) } catch { throw .cannotListen(options.listen.description, error) }
        let lifeline = supervised ? Lifeline(fd: options.configFD, reactor: reactor) : nil
        let signals: SignalSource
        do {
            signals = try SignalSource(reactor: reactor, signals: [SIGTERM, SIGINT, SIGHUP]) { signal in
                if signal == SIGHUP {
                    lifeline?.send("restart")
                    return
                }
                lifeline?.send("stopping")
                server.drain(closeIdle: !supervised) { reactor.stop() }
                _ = reactor.schedule(afterMs: Self.drainDeadlineMs) { reactor.stop() }
            }
        } catch { throw .cannotListen("signalfd", error) }
        // Armed last: a worker forked by the preloader becomes the supervisor's child only when
        // the intermediate process has exited, and by now it has.
        if let parent = options.supervisorPID, !ParentDeath.armed(expectedParent: parent, waitingUpToMs: 1_000) { return 1 }
        if let lifeline { lifeline.send("ready") } else { announce(port: port) }
        reactor.run()
        withExtendedLifetime((handler, signals, server, lifeline)) {}
        return 0
    }

    /// Builds a throwaway worker (handoff, transport, endpoint) and answers a `tools/list` with
    /// it, so that what a worker makes on its way up (type metadata, protocol conformances, the
    /// serialized tool lists) already exists when the preloader forks: each worker inherits
    /// those pages instead of making its own. No thread starts and nothing is sent upstream.
    public static func warmUp(version: String) {
        let handoff = #"{"tenant":{"authorization":"Bearer warm-up","coreBaseUrl":"http://127.0.0.1:9","clientBaseUrl":"http://127.0.0.1:9","clientHeader":"warm-up"}}"#
        guard case .success(let parsed) = WorkerHandoff.parse(Array(handoff.utf8)), let reactor = try? Reactor() else { return }
        let endpoint = StreamableHTTPEndpoint(
            server: MCPServerInfo(name: "oneapp-mcp", version: version, instructions: ""),
            tools: OneAppToolset(configuration: parsed.tenant, transport: WorkerTransport(reactor: reactor, timeoutMs: parsed.tenant.httpTimeoutMs)),
            options: EndpointOptions(allowedOrigins: [], sessionKey: parsed.sessionKey, tenantID: "warm-up", reportsActivity: true),
            now: { UInt64(time(nil)) })
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#
        var parser = HTTPRequestParser()
        parser.append(Array("POST /mcp HTTP/1.1\r\nHost: warm-up\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        guard case .head(let head)? = try? parser.next() else { return }
        if case .now(let response) = endpoint.handle(head: head, body: Array(body.utf8)) {
            _ = HTTPResponseSerializer.fixed(response, keepAlive: true)
        }
    }

    /// HTTP-level failures (malformed request, timeout) as id-less JSON-RPC errors, so an MCP
    /// client shows the reason, as it does for the supervisor's own errors.
    static let jsonRPCError: @Sendable (Int, String) -> HTTPResponse = { status, reason in
        var body = Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"#.utf8)
        JSONValue.appendQuoted(reason, into: &body)
        body += "}}".utf8
        return HTTPResponse(status: status, fields: HTTPFields([("Content-Type", "application/json")]), body: body)
    }

    private var instructions: String {
        "OneApp tools for tenant \(options.clientID): branches, zones, checklists and visual merchandising. "
            + "List ids with the core_list_* and visual_* tools before calling tools that need them; paged tools take page (from 1) and limit (1-100)."
    }

    /// Reads one line (compact JSON has no raw newline) or up to EOF: the descriptor may stay
    /// open afterwards as the supervisor's lifeline.
    private func readHandoff() throws(WorkerError) -> WorkerHandoff {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(options.configFD, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes.append(contentsOf: chunk[..<n])
                if let newline = bytes.firstIndex(of: 0x0A) {
                    bytes.removeSubrange(newline...)
                    break
                }
                continue
            }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw .unreadableHandoff(SystemError("read"))
        }
        switch WorkerHandoff.parse(bytes) {
        case .success(let handoff): return handoff
        case .failure(let problems): throw .invalidHandoff(problems)
        }
    }

    private func announce(port: UInt16?) {
        let address: String
        if case .inet(let host, _) = options.listen, let port {
            address = SocketAddress.inet(host: host, port: port).description
        } else {
            address = options.listen.description
        }
        print("oneapp-mcp worker \(options.clientID) listening on \(address)")
        fflush(nil)
    }
}

/// The worker's end of the supervisor's lifeline: messages out, and EOF means the supervisor
/// is gone, so the worker exits at once (nobody could read its answers any more).
final class Lifeline: ReactorHandler {
    private let fd: Int32

    init(fd: Int32, reactor: Reactor) {
        self.fd = fd
        IO.setNonBlocking(fd)
        try? reactor.register(fd, events: Epoll.readable | Epoll.hangup, handler: self)
    }

    func send(_ message: String) {
        try? IO.writeAll(fd, Array((message + "\n").utf8))
    }

    func reactorEvent(_ events: UInt32) {
        var byte: UInt8 = 0
        let n = read(fd, &byte, 1)
        if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) { _exit(1) }
    }
}
