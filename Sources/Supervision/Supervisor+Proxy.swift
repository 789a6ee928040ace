import Configuration
import EventLoop
import HTTP1
import Posix

/// The request path: accept, route by `X-Client-ID`, admit, forward.
extension Supervisor {
    func accept(_ fd: Int32) {
        guard shutdownDeadline == nil, connections.count < serverConfiguration.maxConnections else { return IO.close(fd) }
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
        switch Routing.tenant(for: head.fields, isConfigured: { configuration.clients[$0] != nil }) {
        case .success(let id): tenant = id
        case .failure(let rejection): return .respond(ErrorResponses.response(for: rejection))
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

    func decideAgain(_ head: HTTPRequestHead, unreachable worker: WorkerHandle, for connection: ProxyConnection) -> ProxyDecision {
        pool.requestFinished(pid: worker.pid, now: .now)
        pool.workerUnreachable(pid: worker.pid)
        return decide(head, for: connection)
    }

    func requestFinished(pid: Int32) {
        pool.requestFinished(pid: pid, now: .now)
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
