import HTTP1

/// Builds the HTTP responses of one request, each dressed with the CORS fields its `Origin`
/// earns. Error responses are in `HTTPErrorReplies.swift`.
struct Replies: Sendable {
    static let allowedMethods = "POST, OPTIONS"
    static let allowedHeaders =
        "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID, X-Client-ID"
    static let exposedHeaders = "Mcp-Session-Id, MCP-Protocol-Version"

    /// The request's allowed `Origin`, echoed in `Access-Control-Allow-Origin`; nil without one.
    let corsOrigin: String?
    /// `OneApp-MCP-Method`/`-Tool` fields, once the request is decoded and reporting is on.
    var activity: [(String, String)] = []

    /// 200 with a JSON body (one JSON-RPC response or a batch array).
    func json(_ body: [UInt8], status: Int = 200, extra: [(String, String)] = []) -> HTTPResponse {
        var fields = baseFields()
        fields.append("Content-Type", "application/json")
        for (name, value) in extra { fields.append(name, value) }
        return HTTPResponse(status: status, fields: fields, body: body)
    }

    /// 202: a notification or a client's response was taken; there is nothing to say.
    func accepted() -> HTTPResponse { HTTPResponse(status: 202, fields: baseFields()) }

    /// 204 answer to a CORS preflight.
    func preflight() -> HTTPResponse {
        var fields = baseFields(exposing: false)
        fields.append("Access-Control-Allow-Methods", "POST, GET, DELETE, OPTIONS")
        fields.append("Access-Control-Allow-Headers", Self.allowedHeaders)
        fields.append("Access-Control-Expose-Headers", Self.exposedHeaders)
        fields.append("Access-Control-Max-Age", "86400")
        return HTTPResponse(status: 204, fields: fields)
    }

    /// The head of a request-scoped SSE stream.
    func eventStreamFields() -> HTTPFields {
        var fields = baseFields()
        fields.append("Content-Type", "text/event-stream")
        fields.append("Cache-Control", "no-cache")
        // Tells nginx-style proxies not to hold events back in a buffer.
        fields.append("X-Accel-Buffering", "no")
        return fields
    }

    /// CORS fields for an allowed origin. `Vary: Origin` goes on every answer, so a cache
    /// never serves one origin's CORS answer to another.
    func baseFields(exposing: Bool = true) -> HTTPFields {
        var fields = HTTPFields()
        if let corsOrigin {
            fields.append("Access-Control-Allow-Origin", corsOrigin)
            if exposing { fields.append("Access-Control-Expose-Headers", Self.exposedHeaders) }
        }
        fields.append("Vary", "Origin")
        for (name, value) in activity { fields.append(name, value) }
        return fields
    }
}
