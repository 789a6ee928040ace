import Configuration
import EventLoop
import Glibc
import HTTP1
import JSON
import Posix

/// The admin listener and the control socket (README "Operations"):
///
///     GET  /healthz          200 while accepting requests, 503 while shutting down
///     GET  /status           every tenant's state as JSON (`oneapp-mcp status` prints it)
///     GET  /metrics          Prometheus text format
///     POST /restart/<id>     graceful restart of one tenant (control socket only)
final class AdminHandler: HTTPServerHandler {
    private unowned let supervisor: Supervisor
    private let allowsControl: Bool

    init(supervisor: Supervisor, allowsControl: Bool) {
        self.supervisor = supervisor
        self.allowsControl = allowsControl
    }

    func handle(_ request: IncomingRequest) -> HTTPResponse? {
        let path = request.head.path
        switch (request.head.method, path) {
        case ("GET", "/healthz"):
            let accepting = supervisor.shutdownDeadline == nil
            return text(accepting ? 200 : 503, accepting ? "ok\n" : "shutting down\n")
        case ("GET", "/metrics"):
            let page = MetricsExposition.render(
                pool: supervisor.pool, metrics: supervisor.metrics, tenants: supervisor.configuration.clients.keys.sorted(),
                openConnections: supervisor.connections.count, now: .now)
            return HTTPResponse(status: 200, fields: HTTPFields([("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]), body: Array(page.utf8))
        case ("GET", "/status"):
            let status = StatusReport.json(
                pool: supervisor.pool, configuration: supervisor.configuration, recentStderr: supervisor.recentStderr, supervisorPID: getpid(),
                preloaderPID: supervisor.preloader?.pid, uptime: .now - supervisor.startedAt, now: .now)
            return HTTPResponse(status: 200, fields: HTTPFields([("Content-Type", "application/json")]), body: status.serialized(pretty: true) + [0x0A])
        case ("POST", _) where path.hasPrefix("/restart/") && allowsControl:
            guard let id = ClientID(path.dropFirst("/restart/".count)), supervisor.configuration.clients[id] != nil else {
                return text(404, "unknown client ID\n")
            }
            supervisor.log.write("restart of \(id) requested on the control socket")
            supervisor.perform(supervisor.pool.restart(id))
            return text(200, "restarting \(id)\n")
        default:
            return text(404, "not found\n")
        }
    }

    private func text(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, fields: HTTPFields([("Content-Type", "text/plain; charset=utf-8")]), body: Array(body.utf8))
    }
}

extension Supervisor {
    /// The admin listener (if configured) and the control socket in the run directory.
    func startAdmin() throws(SystemError) {
        let control = AdminHandler(supervisor: self, allowsControl: true)
        var controlConfiguration = HTTPServerConfiguration()
        // The socket file is 0600 already; the peer check also covers a descriptor passed on.
        let owner = getuid()
        controlConfiguration.acceptsPeer = { Socket.peerCredentials($0)?.uid == owner }
        controlServer = HTTPServer(reactor: reactor, configuration: controlConfiguration, handler: control)
        try controlServer!.listen(.unix(path: runDirectory.controlSocket))
        let admin = AdminHandler(supervisor: self, allowsControl: false)
        adminHandlers = [control, admin]
        if let address = configuration.adminListen {
            adminServer = HTTPServer(reactor: reactor, handler: admin)
            adminPort = try adminServer!.listen(address)
        }
    }
}
