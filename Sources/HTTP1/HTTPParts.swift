/// One step of an incoming request: its head, zero or more body pieces, then its end.
public enum HTTPRequestPart: Sendable, Equatable {
    case head(HTTPRequestHead)
    /// Decoded body bytes (chunk framing removed); never empty.
    case body([UInt8])
    case end
}

/// One step of an incoming response: its head, zero or more body pieces, then its end.
public enum HTTPResponsePart: Sendable, Equatable {
    case head(HTTPResponseHead)
    /// Decoded body bytes (chunk framing removed); never empty.
    case body([UInt8])
    case end
}

/// A response part as `HTTPResponseParser.withNext` lends it: body bytes are the parser's own,
/// valid only during the call.
public enum HTTPLentResponsePart {
    case head(HTTPResponseHead)
    /// Decoded body bytes (chunk framing removed); never empty.
    case body(UnsafeRawBufferPointer)
    case end
}

/// A parsed status line plus its header fields.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var version: HTTPVersion
    public var fields: HTTPFields

    public init(status: Int, reason: String = "", version: HTTPVersion = .http1_1, fields: HTTPFields = HTTPFields()) {
        self.status = status
        self.reason = reason
        self.version = version
        self.fields = fields
    }
}
