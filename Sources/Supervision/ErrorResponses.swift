import HTTP1
import JSON

/// Every response the supervisor writes itself, in one place. Bodies are JSON-RPC error
/// objects so MCP clients show the message; the machine code is in `error.data.code`.
public enum ErrorResponses {
    /// The JSON-RPC code of supervisor errors (the implementation-defined range of JSON-RPC;
    /// never -32020…-32022, which steer a client's protocol-version fallback).
    static let jsonRPCCode = -32001

    public static func response(for rejection: Rejection) -> HTTPResponse {
        let body: JSONValue = [
            "jsonrpc": "2.0", "id": nil,
            "error": ["code": .int(jsonRPCCode), "message": .string(rejection.message), "data": ["code": .string(rejection.code)]],
        ]
        var fields = HTTPFields([("Content-Type", "application/json")])
        if let seconds = rejection.retryAfter { fields.append("Retry-After", String(seconds)) }
        if rejection.status == 405 { fields.append("Allow", "POST, GET, DELETE, OPTIONS") }
        if rejection.status == 401 { fields.append("WWW-Authenticate", #"Bearer realm="oneapp-mcp""#) }
        return HTTPResponse(status: rejection.status, fields: fields, body: body.serialized())
    }

    /// A parse failure or timeout of the HTTP layer (400, 408, 413, 431, 501, 505).
    public static func protocolError(status: Int, reason: String) -> HTTPResponse {
        let code: String
        switch status {
        case 408: code = "REQUEST_TIMEOUT"
        case 413: code = "BODY_TOO_LARGE"
        case 431: code = "HEADERS_TOO_LARGE"
        default: code = "BAD_REQUEST"
        }
        return response(for: Rejection(status: status, code: code, message: reason))
    }

    public static let workerCrashed = Rejection(
        status: 502, code: "WORKER_CRASHED", message: "The tenant's worker stopped while handling this request; retry it")

    public static let notFound = Rejection(status: 404, code: "NOT_FOUND", message: "Not found: the MCP endpoint is POST /mcp")

    /// The SSE event that ends a stream whose worker died, so the client sees an error, never a silent cut.
    static func workerCrashedEvent() -> [UInt8] {
        let error: JSONValue = [
            "jsonrpc": "2.0", "id": nil,
            "error": ["code": .int(jsonRPCCode), "message": .string(workerCrashed.message), "data": ["code": .string(workerCrashed.code)]],
        ]
        return Array("event: message\ndata: ".utf8) + error.serialized() + Array("\n\n".utf8)
    }
}
