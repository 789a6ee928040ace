import JSON
import Posix

/// `supervisor.json`, validated: every setting the supervisor runs with (README "Configuration").
public struct SupervisorConfiguration: Sendable, Equatable {
    public var listen = SocketAddress.inet(host: "127.0.0.1", port: 8080)
    public var adminListen: SocketAddress? = SocketAddress.inet(host: "127.0.0.1", port: 9090)
    /// Absolute, or resolved against the configuration file's directory.
    public var runDirectory = "run"
    public var logFile: String?
    public var idleTimeoutSeconds = 300
    public var spawnTimeoutSeconds = 10
    public var shutdownTimeoutSeconds = 30
    public var queueLimit = 64
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

    public init(upstream: TenantConfiguration, idleTimeoutSeconds: Int? = nil) {
        self.upstream = upstream
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}

/// Everything wrong with a configuration, each problem located by its JSON path.
public struct ConfigurationProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}
