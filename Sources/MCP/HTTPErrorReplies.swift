import HTTP1

// The one place that turns an `MCPError` into an HTTP response: status, fields and a JSON-RPC
// error body (with the request's id when it is known, else null).
//
//   error                          legacy (≤ 2025-11-25)   modern (2026-07-28)
//   -32700 parse / -32600 invalid          400                    400
//   -32020 header / -32022 version         400                    400
//   -32602 invalid params                  200                    400   ┐ the Python SDK
//   -32601 method not found                200                    404   │ server's table
//   -32603 internal                        200                    200   ┘
//   session missing / revision mismatch    400                    —
//   session not found                      404                    —
//   origin 403 · media type 415 · Accept 406 · HTTP method 405 (+ Allow), in either era

extension Replies {
    /// The complete error response for `error`.
    func error(_ error: MCPError, id: RequestID?, era: ProtocolRevision.Era) -> HTTPResponse {
        var extra: [(String, String)] = []
        if case .methodNotAllowed = error { extra.append(("Allow", Self.allowedMethods)) }
        return json(JSONRPCEncoding.error(error, id: id), status: Self.status(of: error, era: era), extra: extra)
    }

    /// The HTTP status that carries `error` in `era`.
    static func status(of error: MCPError, era: ProtocolRevision.Era) -> Int {
        switch error {
        case .parseError, .invalidRequest, .headerMismatch, .unsupportedProtocolVersion, .sessionMissing,
            .sessionRevisionMismatch:
            400
        case .sessionNotFound: 404
        case .originNotAllowed: 403
        case .unsupportedMediaType: 415
        case .notAcceptable: 406
        case .methodNotAllowed: 405
        case .invalidParams: era == .modern ? 400 : 200
        case .methodNotFound: era == .modern ? 404 : 200
        case .internalError: 200
        }
    }
}

/// An error answer in the making: what went wrong, and the id of the request if known.
struct Rejection: Error {
    var error: MCPError
    var id: RequestID?

    init(_ error: MCPError, id: RequestID? = nil) {
        self.error = error
        self.id = id
    }
}
