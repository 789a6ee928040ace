import Configuration
import EventLoop
import Glibc
import HTTP1
import Posix

/// The supervisor process: one epoll loop that owns the listeners, the worker processes,
/// signals and timers. Policy lives in `WorkerPoolState`; this type performs its actions.
///
/// Every event arrives on the loop and goes through one switch: signals (`handle(signal:)`),
/// worker messages (`handle(_:from:)`), child exits (`reapChildren`), the 1 s tick.
public final class Supervisor: ProxyHost {
    public let reactor: Reactor
    let configPath: String?
    let environment: [String: String]
    var configuration: SupervisorConfiguration {
        didSet { inboundKeys = configuration.clients.mapValues(\.apiKeys) }
    }
    /// Each configured tenant's inbound API keys (none when it asks for none): routing finds
    /// the tenant and its keys with one lookup, without copying its whole entry.
    private(set) var inboundKeys: [ClientID: [APIKey]]
    let runDirectory: RunDirectory
    let log: SupervisorLog
    var pool: WorkerPoolState
    var metrics = RequestMetrics()
    let sessionKey: [UInt8]
    var serverConfiguration: HTTPServerConfiguration
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
    let startedAt = MonotonicInstant.now

    var publicListener: Listener?
    var connections: [ObjectIdentifier: ProxyConnection] = [:]
    var workers: [Int32: WorkerHandle] = [:]
    var waiting: [ClientID: [ProxyConnection]] = [:]
    /// The last lines each tenant's workers wrote to standard error (status, error messages).
    var recentStderr: [ClientID: [String]] = [:]
    static let keptStderrLines = 10
    var generation = 0
    var sandbox: SandboxChild?
    var preloader: Preloader?
    var adminServer: HTTPServer?
    var controlServer: HTTPServer?
    var adminHandlers: [AdminHandler] = []
    var adminPort: UInt16?
    var signals: SignalSource?
    var shutdownDeadline: MonotonicInstant?
    private var ticks = 0
    var exitCode: Int32 = 0

    public init(loaded: ConfigurationLoader.Loaded, configPath: String?, environment: [String: String]) throws(SupervisorError) {
        do { reactor = try Reactor() } catch { throw .cannotListen("epoll", error) }
        self.configPath = configPath
        self.environment = environment
        configuration = loaded.configuration
        inboundKeys = loaded.configuration.clients.mapValues(\.apiKeys)
        runDirectory = RunDirectory(path: loaded.configuration.runDirectory)
        log = SupervisorLog(path: loaded.configuration.logFile)
        pool = WorkerPoolState(settings: Self.poolSettings(loaded.configuration))
        sessionKey = loaded.configuration.sessionKey ?? (0..<32).map { _ in UInt8.random(in: 0...255) }
        serverConfiguration = Self.serverConfiguration(loaded.configuration)
    }

    deinit { readBuffer.deallocate() }

    static func poolSettings(_ config: SupervisorConfiguration) -> WorkerPoolState.Settings {
        var settings = WorkerPoolState.Settings()
        settings.spawnTimeout = .seconds(config.spawnTimeoutSeconds)
        settings.queueLimit = config.queueLimit
        settings.maxInFlight = config.maxInFlightPerTenant
        settings.maxWorkers = config.maxWorkers
        // A retiring worker only finishes requests, each bounded by the request timeout.
        settings.retireGrace = .seconds(config.requestTimeoutSeconds + 5)
        let global = config.idleTimeoutSeconds
        let overrides = config.clients.compactMapValues(\.idleTimeoutSeconds)
        settings.idleTimeout = { id in .seconds(overrides[id] ?? global) }
        return settings
    }

    static func serverConfiguration(_ config: SupervisorConfiguration) -> HTTPServerConfiguration {
        HTTPServerConfiguration(
            limits: HTTPLimits(maxHeadBytes: config.maxHeadBytes, maxHeaderCount: config.maxHeaderCount, maxBodyBytes: config.maxBodyBytes),
            headTimeoutMs: UInt64(config.headTimeoutSeconds) * 1000, keepAliveIdleMs: UInt64(config.keepAliveIdleSeconds) * 1000,
            maxConnections: config.maxConnections,
            errorResponse: { ErrorResponses.protocolError(status: $0, reason: $1) })
    }

    // MARK: Running

    /// Binds, serves until a graceful shutdown completes, and returns the exit code.
    public func run() throws(SupervisorError) -> Int32 {
        try runDirectory.prepare()
        do {
            let listenFD = try listeningSocket()
            publicListener = try Listener(fd: listenFD, reactor: reactor) { [unowned self] in self.accept($0) }
            try startAdmin()
            signals = try SignalSource(reactor: reactor, signals: [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD]) { [unowned self] in
                self.handle(signal: $0)
            }
        } catch {
            runDirectory.removeAll()
            throw .cannotListen(configuration.listen.description, error)
        }
        runDirectory.writePid(getpid(), to: runDirectory.supervisorPidFile)
        if Subreaper.become() { preloader = Preloader(supervisor: self) }
        if let address = configuration.sandboxListen { sandbox = SandboxChild(address: address, supervisor: self) }
        scheduleTick()
        log.write("oneapp-mcp supervisor \(getpid()) listening on \(publicAddress), \(configuration.clients.count) tenants")
        announce()
        notifyReady()
        reactor.run()
        runDirectory.removeAll()
        log.write("oneapp-mcp supervisor \(getpid()) stopped")
        return exitCode
    }

    /// One line on standard output for scripts and tests (ports chosen by the kernel included).
    private func announce() {
        var line = "oneapp-mcp supervisor listening on \(publicAddress)"
        if case .inet(let host, _) = configuration.adminListen, let adminPort { line += " admin \(SocketAddress.inet(host: host, port: adminPort))" }
        print(line)
        fflush(nil)
    }

    var publicAddress: String {
        if case .inet(let host, _) = configuration.listen, let port = publicListener?.port {
            return SocketAddress.inet(host: host, port: port).description
        }
        return configuration.listen.description
    }

    private func scheduleTick() {
        reactor.schedule(afterMs: 1000) { [unowned self] in
            self.tick()
            self.scheduleTick()
        }
    }

    private func tick() {
        let now = Reactor.now()
        for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
        perform(pool.tick(now: .now))
        ticks += 1
        if ticks % 5 == 0 { recycleOversizedWorkers() }
        sandbox?.tick()
        preloader?.tick()
        log.flush()
        if let deadline = shutdownDeadline { continueShutdown(deadline: deadline) }
    }

    // MARK: Signals

    func handle(signal: Int32) {
        switch signal {
        case SIGTERM, SIGINT: beginShutdown(reason: Signals.name(signal))
        case SIGHUP: reloadNotifying()
        case SIGUSR1:
            log.reopen()
            log.write("log file reopened (SIGUSR1)")
        case SIGCHLD: reapChildren()
        default: break
        }
    }
}
