/// Why a request or response could not be parsed, with the status a server answers it with.
///
/// Once a parser has thrown one of these it keeps throwing it: the byte stream is no longer
/// trustworthy, so the connection must be closed after the error answer is written.
/// Errors only the response parser raises (a worker's broken answer) map to 502; a proxy that
/// gets any error from `HTTPResponseParser` answers its own client 502 whatever `status` says.
public enum HTTPParseError: Error, Equatable, Sendable {
    case malformedRequestLine
    case malformedStatusLine
    case unsupportedVersion
    case bareLineFeed
    case bareCarriageReturn
    case obsoleteLineFolding
    case invalidHeaderName
    case missingColon
    case invalidHeaderValue
    case headTooLarge(limit: Int)
    case tooManyHeaders(limit: Int)
    case duplicateHost
    case conflictingFraming
    case invalidContentLength
    case duplicateContentLength
    case unsupportedTransferEncoding
    case transferEncodingInHTTP10
    case bodyTooLarge(limit: Int)
    case invalidChunk
    case chunkLineTooLong(limit: Int)
    case unexpectedUpgrade
    case truncatedMessage

    /// The HTTP status code to answer with.
    public var status: Int {
        switch self {
        case .headTooLarge, .tooManyHeaders: 431
        case .bodyTooLarge: 413
        case .unsupportedTransferEncoding: 501
        case .unsupportedVersion: 505
        case .malformedStatusLine, .unexpectedUpgrade, .truncatedMessage: 502
        default: 400
        }
    }

    /// A short English sentence for the error body.
    public var reason: String {
        switch self {
        case .malformedRequestLine: "malformed request line"
        case .malformedStatusLine: "malformed status line from upstream"
        case .unsupportedVersion: "HTTP version not supported"
        case .bareLineFeed: "line ended by LF without CR"
        case .bareCarriageReturn: "CR not followed by LF"
        case .obsoleteLineFolding: "obsolete line folding in header"
        case .invalidHeaderName: "invalid header field name"
        case .missingColon: "header line without colon"
        case .invalidHeaderValue: "invalid character in header field value"
        case .headTooLarge(let limit): "request head larger than \(limit) bytes"
        case .tooManyHeaders(let limit): "more than \(limit) header fields"
        case .duplicateHost: "repeated Host header"
        case .conflictingFraming: "both Content-Length and Transfer-Encoding present"
        case .invalidContentLength: "invalid Content-Length"
        case .duplicateContentLength: "repeated Content-Length"
        case .unsupportedTransferEncoding: "only Transfer-Encoding: chunked is supported"
        case .transferEncodingInHTTP10: "Transfer-Encoding in an HTTP/1.0 message"
        case .bodyTooLarge(let limit): "request body larger than \(limit) bytes"
        case .invalidChunk: "malformed chunked body"
        case .chunkLineTooLong(let limit): "chunk size line longer than \(limit) bytes"
        case .unexpectedUpgrade: "unexpected 101 Switching Protocols from upstream"
        case .truncatedMessage: "message ended before it was complete"
        }
    }
}
