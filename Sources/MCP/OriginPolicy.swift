import HTTP1

/// Which browser origins may call the endpoint: the DNS-rebinding defence the transport spec
/// requires. A request without `Origin` (every non-browser client) is always fine.
struct OriginPolicy: Sendable {
    /// Exact origins (`https://app.example.com`); empty means loopback origins only.
    private let configured: [String]

    init(allowedOrigins: [String]) { configured = allowedOrigins }

    /// The origin to echo in CORS headers, nil when the request sent none; throws when any
    /// `Origin` line is not allowed.
    func check(_ fields: HTTPFields) throws(MCPError) -> String? {
        let origins = fields.values("Origin")
        for origin in origins where !allows(origin) { throw .originNotAllowed(origin) }
        return origins.first
    }

    func allows(_ origin: String) -> Bool {
        OriginRule.allows(origin, configured: configured)
    }
}
