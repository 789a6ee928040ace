/// How the end of a message body is found, decided once from the head (RFC 9112 §6.3).
///
/// The rules are stricter than the RFC's "recover if you can": every ambiguity a front proxy and
/// a back end could resolve differently (request smuggling) is rejected instead.
///
/// ```
///   Transfer-Encoding + Content-Length   → 400 conflictingFraming
///   Transfer-Encoding in HTTP/1.0        → 400
///   Transfer-Encoding ≠ exactly "chunked" (one line, one coding) → 501
///   Content-Length on two lines or "5, 5"  → 400 duplicateContentLength
///   Content-Length not 1*DIGIT, or overflowing → 400
///   Content-Length > maxBodyBytes (requests) → 413, before any body byte is read
///   neither: requests have no body; responses run until the connection closes
/// ```
enum HTTPBodyFraming: Equatable {
    case length(Int)
    case chunked
    case untilClose

    /// The framing of a request body; a request without length or coding has none.
    static func forRequest(_ head: HTTPRequestHead, limits: HTTPLimits) throws(HTTPParseError) -> HTTPBodyFraming {
        let found = Declared(head.fields)
        guard found.hosts <= 1 else { throw .duplicateHost }
        let framing = try declared(found, version: head.version) ?? .length(0)
        if case .length(let length) = framing, length > limits.maxBodyBytes {
            throw .bodyTooLarge(limit: limits.maxBodyBytes)
        }
        return framing
    }

    /// The framing of a response body; the status code comes first (1xx are handled by the caller).
    static func forResponse(_ head: HTTPResponseHead) throws(HTTPParseError) -> HTTPBodyFraming {
        if head.status == 204 || head.status == 304 { return .length(0) }
        return try declared(Declared(head.fields), version: head.version) ?? .untilClose
    }

    /// What a head says about its body (and its Host lines), gathered in one pass over its fields.
    private struct Declared {
        var hosts = 0
        var codings = 0
        /// Whether the first Transfer-Encoding line says exactly `chunked`.
        var chunked = false
        var lengths = 0
        /// The first Content-Length line's value, parsed.
        var length: Result<Int, HTTPParseError>?

        init(_ fields: HTTPFields) {
            fields.forEachRaw { name, value in
                // By length first: most names are none of these.
                switch name.count {
                case 4 where ASCIICase.same(name, "host"):
                    hosts += 1
                case 14 where ASCIICase.same(name, "content-length"):
                    lengths += 1
                    if lengths == 1 { length = HTTPBodyFraming.parseContentLength(value) }
                case 17 where ASCIICase.same(name, "transfer-encoding"):
                    codings += 1
                    if codings == 1 { chunked = ASCIICase.same(value, "chunked") }
                default:
                    break
                }
            }
        }
    }

    /// What Transfer-Encoding or Content-Length say, or nil when neither is present.
    private static func declared(_ found: Declared, version: HTTPVersion) throws(HTTPParseError) -> HTTPBodyFraming? {
        if found.codings > 0 {
            guard found.lengths == 0 else { throw .conflictingFraming }
            guard version == .http1_1 else { throw .transferEncodingInHTTP10 }
            guard found.codings == 1, found.chunked else { throw .unsupportedTransferEncoding }
            return .chunked
        }
        guard let length = found.length else { return nil }
        guard found.lengths == 1 else { throw .duplicateContentLength }
        return .length(try length.get())
    }

    /// `1*DIGIT`; a list ("5, 5") counts as a duplicate.
    private static func parseContentLength(_ value: UnsafeBufferPointer<UInt8>) -> Result<Int, HTTPParseError> {
        if value.contains(UInt8(ascii: ",")) { return .failure(.duplicateContentLength) }
        guard !value.isEmpty else { return .failure(.invalidContentLength) }
        var result = 0
        for byte in value {
            guard HTTPByte.isDigit(byte) else { return .failure(.invalidContentLength) }
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return .failure(.invalidContentLength) }
            result = sum
        }
        return .success(result)
    }
}
