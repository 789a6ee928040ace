/// Parses request lines and status lines from raw bytes (RFC 9112 §3 and §4).
///
/// ```
///   request-line = method SP request-target SP HTTP-version
///   status-line  = HTTP-version SP 3DIGIT SP [ reason-phrase ]
///   HTTP-version = "HTTP/" DIGIT "." DIGIT     (case-sensitive; only 1.0 and 1.1 accepted)
/// ```
///
/// Exactly one SP separates the parts: extra spaces would let two parsers disagree on where the
/// target ends. The target must be visible ASCII; raw UTF-8 in a path is rejected, not guessed at.
enum HTTPStartLine {
    /// The parts of a request line.
    struct Request {
        var method: String
        var target: String
        var version: HTTPVersion
    }

    /// The parts of a status line.
    struct Status {
        var version: HTTPVersion
        var status: Int
        var reason: String
    }

    /// A request line, read where it arrived (the parser's buffer).
    static func parseRequest(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Request {
        guard let firstSpace = line.firstIndex(of: HTTPByte.space),
            let lastSpace = line.lastIndex(of: HTTPByte.space), firstSpace < lastSpace
        else { throw .malformedRequestLine }
        let method = line[..<firstSpace]
        let target = line[(firstSpace + 1)..<lastSpace]
        guard !method.isEmpty, method.allSatisfy(HTTPByte.isToken),
            !target.isEmpty, target.allSatisfy(HTTPByte.isVisibleASCII)
        else { throw .malformedRequestLine }
        let version = try parseVersion(line[(lastSpace + 1)...], malformed: .malformedRequestLine)
        return Request(
            method: String(decoding: method, as: UTF8.self),
            target: String(decoding: target, as: UTF8.self),
            version: version)
    }

    /// A status line, read where it arrived (the parser's buffer).
    static func parseStatus(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Status {
        guard line.count >= 12, line[8] == HTTPByte.space else { throw .malformedStatusLine }
        let version = try parseVersion(line[..<8], malformed: .malformedStatusLine)
        let code = line[9..<12]
        guard code.allSatisfy(HTTPByte.isDigit), code.first != UInt8(ascii: "0") else { throw .malformedStatusLine }
        // "HTTP/1.1 200" without the SP before an empty reason is common enough to accept.
        var reason = line[12..<12]
        if line.count > 12 {
            guard line[12] == HTTPByte.space else { throw .malformedStatusLine }
            reason = line[13...]
        }
        guard reason.allSatisfy(HTTPByte.isFieldContent) else { throw .malformedStatusLine }
        let status = code.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
        return Status(version: version, status: status, reason: String(decoding: reason, as: UTF8.self))
    }

    private static let http1_1 = Array("HTTP/1.1".utf8)
    private static let http1_0 = Array("HTTP/1.0".utf8)

    /// 1.0 and 1.1 are accepted; other well-formed versions (2.0, 1.2, 3) are "not supported"
    /// (505), anything else is malformed (400).
    static func parseVersion(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, malformed: HTTPParseError) throws(HTTPParseError) -> HTTPVersion {
        // Nearly every message says one of these: compared as bytes, before the general rule.
        if bytes.elementsEqual(http1_1) { return .http1_1 }
        if bytes.elementsEqual(http1_0) { return .http1_0 }
        guard bytes.starts(with: "HTTP/".utf8) else { throw malformed }
        let number = bytes.dropFirst(5)
        if number.elementsEqual("1.1".utf8) { return .http1_1 }
        if number.elementsEqual("1.0".utf8) { return .http1_0 }
        let parts = number.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(HTTPByte.isDigit) })
        else { throw malformed }
        throw .unsupportedVersion
    }
}
