/// One fully built upstream call: nothing in it comes from the inbound MCP request except the
/// validated tool arguments.
public struct UpstreamRequest: Sendable, Equatable {
    public var method: String
    /// Absolute URL, query already percent-encoded.
    public var url: String
    /// Exactly the headers to send, in order.
    public var headers: [(String, String)]
    public var body: [UInt8]?
    public var timeoutMs: Int

    public init(method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeoutMs: Int) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
    }

    public static func == (a: UpstreamRequest, b: UpstreamRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.timeoutMs == b.timeoutMs
            && a.headers.elementsEqual(b.headers) { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

/// What the upstream answered (any status; mapping statuses to tool results is not the transport's job).
public struct UpstreamResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Why an upstream call produced no response.
public enum UpstreamFailure: Error, Sendable, Equatable {
    /// Could not connect (refused, unknown host, DNS failure, connection lost). The reason is
    /// short and readable, e.g. "connection refused".
    case connectionFailed(reason: String)
    /// No complete answer within this many milliseconds.
    case timedOut(ms: Int)
    /// The answer's body would exceed this many bytes.
    case bodyTooLarge(limit: Int)
    case other(reason: String)
}

/// Sends upstream requests. The production one is `URLSessionTransport`; tests use fakes.
public protocol UpstreamTransport: Sendable {
    /// Never throws: every failure is an `UpstreamFailure`.
    func send(_ request: UpstreamRequest) async -> Result<UpstreamResponse, UpstreamFailure>
}
