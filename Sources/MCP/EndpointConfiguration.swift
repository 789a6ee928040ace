/// Who this server says it is: `serverInfo` on legacy, `_meta` serverInfo on 2026-07-28.
public struct MCPServerInfo: Sendable, Equatable {
    public var name: String
    public var version: String
    /// Optional guidance for the model, sent in `initialize` and `server/discover` results.
    public var instructions: String?

    public init(name: String, version: String, instructions: String? = nil) {
        self.name = name
        self.version = version
        self.instructions = instructions
    }
}

/// The per-worker settings of the Streamable HTTP endpoint.
public struct EndpointOptions: Sendable, Equatable {
    /// Exact browser origins allowed to call (e.g. `https://app.example.com`). Empty means
    /// loopback origins only: `http(s)://localhost`, `127.0.0.1` or `[::1]`, any port.
    public var allowedOrigins: [String]
    /// HMAC key for session ids (32 bytes recommended; must not be empty). Every worker gets
    /// the same key, so a session survives a worker restart.
    public var sessionKey: [UInt8]
    /// The tenant this worker serves; bound into session ids so they do not cross tenants.
    public var tenantID: String
    /// Session ids older than this stop verifying (answered 404, the client re-initializes);
    /// nil, the default, means they never expire.
    public var sessionMaxAgeSeconds: UInt64?
    /// Adds `OneApp-MCP-Method` (and `OneApp-MCP-Tool` for a tool call) to every answer to a
    /// decoded request, for a supervisor's access log: it never parses bodies itself.
    public var reportsActivity: Bool

    public init(
        allowedOrigins: [String] = [], sessionKey: [UInt8], tenantID: String, sessionMaxAgeSeconds: UInt64? = nil,
        reportsActivity: Bool = false
    ) {
        self.allowedOrigins = allowedOrigins
        self.sessionKey = sessionKey
        self.tenantID = tenantID
        self.sessionMaxAgeSeconds = sessionMaxAgeSeconds
        self.reportsActivity = reportsActivity
    }

    /// The response fields that report a request's method and tool to the supervisor.
    public static let methodField = "OneApp-MCP-Method"
    public static let toolField = "OneApp-MCP-Tool"
}
