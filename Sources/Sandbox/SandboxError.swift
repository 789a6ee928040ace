import HTTP1
import JSON

/// Why the sandbox refuses a request; each case is one HTTP status with a JSON `{"error": "…"}` body.
public enum SandboxError: Error, Sendable, Equatable {
    /// 400: a missing, malformed or unknown parameter or body.
    case badRequest(String)
    /// 401: no demo tenant has this `Authorization` + `client` pair.
    case unauthorized
    /// 404: no such endpoint, or the id in the path or a required parameter names nothing.
    case notFound(String)
    /// 405: the endpoint exists but not with this method.
    case methodNotAllowed(allowed: [String])

    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .unauthorized: return 401
        case .notFound: return 404
        case .methodNotAllowed: return 405
        }
    }

    public var message: String {
        switch self {
        case .badRequest(let reason), .notFound(let reason): return reason
        case .unauthorized:
            return "missing or invalid credentials: send the Authorization and client headers of a demo tenant"
        case .methodNotAllowed(let allowed): return "method not allowed; use \(allowed.joined(separator: " or "))"
        }
    }
}

/// What a handler answers: a status and a JSON document.
struct SandboxReply: Equatable {
    var status: Int
    var json: JSONValue

    static func ok(_ json: JSONValue) -> SandboxReply { SandboxReply(status: 200, json: json) }
}

/// All HTTP rendering of the sandbox: JSON bodies with their content type. The body has a fixed
/// length; the connection layer that writes the response adds `Content-Length`.
enum SandboxRendering {
    static func response(_ reply: SandboxReply) -> HTTPResponse {
        HTTPResponse(
            status: reply.status, fields: HTTPFields([("Content-Type", "application/json; charset=utf-8")]),
            body: reply.json.serialized())
    }

    static func response(_ error: SandboxError) -> HTTPResponse {
        var response = response(SandboxReply(status: error.status, json: ["error": .string(error.message)]))
        if case .methodNotAllowed(let allowed) = error {
            response.fields.append("Allow", allowed.joined(separator: ", "))
        }
        return response
    }
}
