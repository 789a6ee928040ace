import EventLoop
import HTTP1
import MCP

/// Routes a worker's HTTP requests: the MCP endpoint at `/mcp`, a liveness probe at `/healthz`.
final class MCPRequestHandler: HTTPServerHandler {
    private let endpoint: StreamableHTTPEndpoint
    /// Where tool calls run: the worker's own loop (see `Reactor`'s `TaskExecutor`).
    private let reactor: Reactor

    init(endpoint: StreamableHTTPEndpoint, reactor: Reactor) {
        self.endpoint = endpoint
        self.reactor = reactor
    }

    func handle(_ request: IncomingRequest) -> HTTPResponse? {
        switch request.head.path {
        case "/mcp":
            switch endpoint.handle(head: request.head, body: request.body) {
            case .now(let response):
                return response
            case .later(let work):
                let writer = request.makeWriter()
                Task(executorPreference: reactor) { await work(writer) }
                return nil
            }
        case "/healthz":
            return HTTPResponse(status: 200, fields: HTTPFields([("Content-Type", "text/plain")]), body: Array("ok\n".utf8))
        default:
            return HTTPResponse(status: 404, fields: HTTPFields([("Content-Type", "text/plain")]), body: Array("not found: use POST /mcp\n".utf8))
        }
    }
}
