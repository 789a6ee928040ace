import JSON

/// Everything that can go wrong with a request to the MCP endpoint, named by what happened.
///
/// Each case knows its JSON-RPC error object (code, message, data). The HTTP status that
/// carries it depends on the era and is decided in one place, `Replies.status(of:era:)`.
enum MCPError: Error, Sendable, Equatable {
    /// The body is not JSON (-32700).
    case parseError(String)
    /// Not a valid JSON-RPC 2.0 message, or a shape this transport refuses (-32600).
    case invalidRequest(String)
    /// No such method in this era (-32601).
    case methodNotFound(String)
    /// Params malformed, unknown tool, missing `_meta` field (-32602).
    case invalidParams(String)
    /// A fault of ours (-32603).
    case internalError(String)
    /// 2026-07-28 request metadata header missing, malformed or ≠ body (-32020).
    case headerMismatch(String)
    /// `MCP-Protocol-Version` names a revision we do not speak (-32022).
    case unsupportedProtocolVersion(requested: String)
    /// A legacy request other than `initialize` came without `Mcp-Session-Id` (400).
    case sessionMissing
    /// The session id does not verify: forged, garbled, expired or another tenant's (404).
    case sessionNotFound
    /// A legacy request's `MCP-Protocol-Version` differs from the session's revision (400).
    case sessionRevisionMismatch(header: ProtocolRevision, session: ProtocolRevision)
    /// A browser origin we do not trust (403, DNS-rebinding defence).
    case originNotAllowed(String)
    /// POST body not declared as `application/json` (415).
    case unsupportedMediaType(String)
    /// `Accept` admits neither JSON nor an event stream (406).
    case notAcceptable
    /// An HTTP method other than POST and OPTIONS (405).
    case methodNotAllowed(String)

    var code: Int {
        switch self {
        case .parseError: -32700
        case .methodNotFound: -32601
        case .invalidParams: -32602
        case .internalError: -32603
        case .headerMismatch: -32020
        case .unsupportedProtocolVersion: -32022
        case .invalidRequest, .sessionMissing, .sessionNotFound, .sessionRevisionMismatch, .originNotAllowed,
            .unsupportedMediaType, .notAcceptable, .methodNotAllowed:
            -32600
        }
    }

    var message: String {
        switch self {
        case .parseError(let detail): "Parse error: \(detail)"
        case .invalidRequest(let detail): "Invalid Request: \(detail)"
        case .methodNotFound(let method): "Method not found: \(method)"
        case .invalidParams(let detail): detail
        case .internalError(let detail): "Internal error: \(detail)"
        case .headerMismatch(let detail): "Header mismatch: \(detail)"
        case .unsupportedProtocolVersion(let requested): "Unsupported protocol version: \(requested)"
        case .sessionMissing: "Bad Request: Missing session ID"
        case .sessionNotFound: "Session not found"
        case .sessionRevisionMismatch(let header, let session):
            "Bad Request: MCP-Protocol-Version \(header.rawValue) differs from the session's \(session.rawValue)"
        case .originNotAllowed(let origin): "Forbidden: origin \(origin) is not allowed"
        case .unsupportedMediaType(let type):
            "Unsupported Media Type: Content-Type must be application/json, got '\(type)'"
        case .notAcceptable: "Not Acceptable: Accept must admit application/json or text/event-stream"
        case .methodNotAllowed(let method): "Method Not Allowed: \(method); this endpoint takes POST"
        }
    }

    var data: JSONValue? {
        guard case .unsupportedProtocolVersion(let requested) = self else { return nil }
        return [
            "supported": .array(ProtocolRevision.newestFirst.map { .string($0.rawValue) }),
            "requested": .string(requested),
        ]
    }

    /// The JSON-RPC `error` member.
    var errorObject: JSONValue {
        var object: JSONObject = ["code": .int(code), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }
}
