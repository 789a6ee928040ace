import JSON
import Posix

/// `supervisor.json`, validated: every setting the supervisor runs with (README "Configuration").
public struct SupervisorConfiguration: Sendable, Equatable {
    public var listen = SocketAddress.inet(host: "127.0.0.1", port: 8080)
    public var adminListen: SocketAddress? = SocketAddress.inet(host: "127.0.0.1", port: 9090)
    /// Absolute, or resolved against the configuration file's directory.
    public var runDirectory = "run"
    public var logFile: String?
    /// One JSON line per request in the log.
    public var accessLog = true
    public var idleTimeoutSeconds = 300
    public var spawnTimeoutSeconds = 10
    public var shutdownTimeoutSeconds = 30
    public var queueLimit = 64
    public var maxInFlightPerTenant = 32
    public var maxWorkers = 512
    public var maxConnections = 10_000
    /// A forwarded request must be answered within this, or 504 and its worker is recycled.
    public var requestTimeoutSeconds = 120
    /// A worker whose resident memory grows beyond this is restarted gracefully (0: no limit).
    public var maxWorkerMemoryMB = 512
    /// RLIMIT_NOFILE of each worker.
    public var maxWorkerOpenFiles = 1024
    public var maxHeadBytes = 16_384
    public var maxHeaderCount = 100
    public var maxBodyBytes = 1_048_576
    public var headTimeoutSeconds = 10
    public var keepAliveIdleSeconds = 60
    public var allowedOrigins: [String] = []
    /// The stand-in OneApp API the supervisor runs as a child (the demo), if any.
    public var sandboxListen: SocketAddress?
    /// The 32-byte key of legacy session ids; nil: a random one at each start.
    public var sessionKey: [UInt8]?
    public var clients: [ClientID: TenantEntry] = [:]

    public init() {}
}

/// One tenant: what its worker gets, plus the supervisor's own per-tenant settings.
public struct TenantEntry: Sendable, Equatable {
    public var upstream: TenantConfiguration
    /// Overrides the global idle timeout for this tenant.
    public var idleTimeoutSeconds: Int?
    /// Inbound credentials; when not empty, requests must carry `Authorization: Bearer <key>`.
    public var apiKeys: [APIKey]

    public init(upstream: TenantConfiguration, idleTimeoutSeconds: Int? = nil, apiKeys: [APIKey] = []) {
        self.upstream = upstream
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.apiKeys = apiKeys
    }
}

/// Everything wrong with a configuration, each problem located by its JSON path.
public struct ConfigurationProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}
