/// The HTTP version of a request line; only 1.0 and 1.1 are accepted.
public enum HTTPVersion: Sendable, Equatable {
    case http1_0
    case http1_1
}

/// A parsed request line plus its header fields.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    /// The request target exactly as sent (origin form: path plus optional `?query`).
    public var target: String
    public var version: HTTPVersion
    public var fields: HTTPFields

    public init(method: String, target: String, version: HTTPVersion = .http1_1, fields: HTTPFields = HTTPFields()) {
        self.method = method
        self.target = target
        self.version = version
        self.fields = fields
    }

    /// The target without its query.
    public var path: Substring {
        queryMark.map { target[..<$0] } ?? target[...]
    }

    /// The raw query (after `?`), or nil.
    public var query: Substring? {
        queryMark.map { target[target.index(after: $0)...] }
    }

    /// Where `?` is, found among the bytes (a Character search would check grapheme breaks).
    private var queryMark: String.Index? {
        target.utf8.firstIndex(of: UInt8(ascii: "?"))
    }

    /// Whether the connection may carry another request after this one (RFC 9112 §9.3).
    public var wantsKeepAlive: Bool {
        if !fields.contains("Connection") { return version == .http1_1 }
        let tokens = fields.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIISpaces().lowercased() }
        switch version {
        case .http1_1: return !tokens.contains("close")
        case .http1_0: return tokens.contains("keep-alive")
        }
    }
}

/// A complete response with a fixed-length body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var fields: HTTPFields
    public var body: [UInt8]

    public init(status: Int, fields: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.status = status
        self.fields = fields
        self.body = body
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and horizontal tabs (HTTP's OWS).
    public func trimmingASCIISpaces() -> String {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        // Parsed field values are trimmed already: no Character walk for them.
        let whole = String(self)
        if let first = whole.utf8.first, let last = whole.utf8.last, !isSpace(first), !isSpace(last) { return whole }
        var s = Substring(whole)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
