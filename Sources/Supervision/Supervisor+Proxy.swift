import Configuration
import EventLoop
import HTTP1
import JSON
import Posix

/// The request path: accept, route by `X-Client-ID`, admit, forward.
extension Supervisor {
    func accept(_ fd: Int32) {
        guard shutdownDeadline == nil else { return IO.close(fd) }
        guard connections.count < serverConfiguration.maxConnections else {
            // Best effort, never blocking: a fresh socket's send buffer takes this small answer.
            let busy = HTTPResponseSerializer.fixed(ErrorResponses.response(for: Self.tooManyConnections), keepAlive: false)
            _ = busy.withUnsafeBytes { try? IO.write(fd, $0) }
            metrics.recordRejected(code: Self.tooManyConnections.code)
            return IO.close(fd)
        }
        guard let connection = try? ProxyConnection(fd: fd, host: self) else { return IO.close(fd) }
        connections[ObjectIdentifier(connection)] = connection
    }

    func connectionClosed(_ connection: ProxyConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    func decide(_ head: HTTPRequestHead, for connection: ProxyConnection) -> ProxyDecision {
        guard head.path == "/mcp" else { return .respond(ErrorResponses.response(for: ErrorResponses.notFound)) }
        guard shutdownDeadline == nil else {
            return .respond(ErrorResponses.response(for: Rejection(status: 503, code: "TENANT_UNAVAILABLE", message: "The server is shutting down", retryAfter: 1)))
        }
        if head.method == "OPTIONS", !head.fields.contains(Routing.header) {
            return .respond(CORSPreflight.response(origin: head.fields["Origin"], allowed: configuration.allowedOrigins))
        }
        let tenant: ClientID
        var keys: [APIKey] = []
        let lookUp = { (id: ClientID) -> Bool in
            guard let found = self.inboundKeys[id] else { return false }
            keys = found
            return true
        }
        switch Routing.tenant(for: head.fields, isConfigured: lookUp) {
        case .success(let id): tenant = id
        case .failure(let rejection):
            metrics.recordRejected(code: rejection.code)
            return .respond(ErrorResponses.response(for: rejection))
        }
        if let rejection = Routing.authorize(head.fields, keys: keys) {
            metrics.recordRejected(code: rejection.code)
            return .respond(ErrorResponses.response(for: rejection))
        }
        let (admission, actions) = pool.admit(tenant, now: .now)
        defer { perform(actions) }
        switch admission {
        case .route(let pid):
            guard let worker = workers[pid] else { preconditionFailure("the pool routed to pid \(pid), which has no handle") }
            return .forward(worker)
        case .queue:
            waiting[tenant, default: []].append(connection)
            return .wait
        case .reject(let rejection):
            return .respond(ErrorResponses.response(for: rejection))
        }
    }

    static let tooManyConnections = Rejection(status: 503, code: "OVERLOADED", message: "Too many open connections; retry shortly", retryAfter: 1)

    var requestTimeoutMs: UInt64 { UInt64(configuration.requestTimeoutSeconds) * 1000 }

    /// A forwarded request overran `requestTimeoutSeconds`: its worker is presumed stuck.
    func requestStuck(on worker: WorkerHandle) {
        log.write("request timed out; recycling the worker (SIGTERM, then SIGKILL)", Self.fields(worker.tenant, worker.pid))
        perform(pool.workerStuck(pid: worker.pid, now: .now))
    }

    func decideAgain(_ head: HTTPRequestHead, unreachable worker: WorkerHandle, for connection: ProxyConnection) -> ProxyDecision {
        perform(pool.workerUnreachable(pid: worker.pid))
        perform(pool.requestFinished(pid: worker.pid, now: .now))
        return decide(head, for: connection)
    }

    func requestFinished(pid: Int32) {
        perform(pool.requestFinished(pid: pid, now: .now))
    }

    /// The access log line and the metrics of one request.
    func exchangeFinished(_ exchange: Exchange) {
        let nanoseconds = Reactor.now() &- exchange.started
        // Routed requests know their tenant; a rejected one is counted for its tenant if the
        // header names a configured one.
        let tenant = exchange.tenant ?? exchange.clientHeader.flatMap { ClientID($0) }.flatMap { configuration.clients[$0] != nil ? $0 : nil }
        if let tenant { metrics.record(tenant: tenant, status: exchange.status, seconds: Double(nanoseconds) / 1e9) }
        guard configuration.accessLog else { return }
        log.request(exchange, clientID: tenant?.rawValue ?? exchange.clientHeader, microseconds: nanoseconds / 1000)
    }
}

/// The answer to a CORS preflight that names no tenant (browsers send no custom header on
/// preflight): the MCP headers and `X-Client-ID` are allowed for allowed origins.
enum CORSPreflight {
    static func response(origin: String?, allowed: [String]) -> HTTPResponse {
        guard let origin else { return HTTPResponse(status: 204, fields: HTTPFields([("Allow", "POST, GET, DELETE, OPTIONS")])) }
        guard OriginRule.allows(origin, configured: allowed) else {
            return ErrorResponses.response(for: Rejection(status: 403, code: "ORIGIN_NOT_ALLOWED", message: "Origin not allowed: \(origin)"))
        }
        return HTTPResponse(status: 204, fields: HTTPFields([
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", "POST, GET, DELETE, OPTIONS"),
            ("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID, X-Client-ID"),
            ("Access-Control-Expose-Headers", "Mcp-Session-Id, MCP-Protocol-Version"),
            ("Access-Control-Max-Age", "86400"),
            ("Vary", "Origin"),
        ]))
    }
}
