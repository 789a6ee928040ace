import Testing

@testable import HTTP1

/// One malformed or hostile request and how it must be refused.
struct Rejection: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var error: HTTPParseError
    var status: Int
    var limits: HTTPLimits

    init(_ name: String, _ input: String, _ error: HTTPParseError, _ status: Int, limits: HTTPLimits = HTTPLimits()) {
        self.name = name
        self.input = Array(input.utf8)
        self.error = error
        self.status = status
        self.limits = limits
    }

    var testDescription: String { name }
}

private let get = "GET / HTTP/1.1\r\n"
private let post = "POST / HTTP/1.1\r\n"
private let chunked = post + "Transfer-Encoding: chunked\r\n\r\n"

private let rejections: [Rejection] = [
    // Request line.
    Rejection("HTTP/0.9 request without version", "GET /\r\n\r\n", .malformedRequestLine, 400),
    Rejection("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", .unsupportedVersion, 505),
    Rejection("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", .unsupportedVersion, 505),
    Rejection("HTTP/3", "GET / HTTP/3\r\n\r\n", .unsupportedVersion, 505),
    Rejection("garbage version HTTP/x", "GET / HTTP/x\r\n\r\n", .malformedRequestLine, 400),
    Rejection("lower-case http/1.1", "GET / http/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("two spaces after the method", "GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("space inside the target", "GET /a b HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("control byte in the target", "GET /\u{1}x HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("method not a token", "G@T / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("empty method", " / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("missing target", "GET HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
    Rejection("bare LF after the request line", "GET / HTTP/1.1\n\r\n", .bareLineFeed, 400),
    Rejection("bare LF as a blank line", "\nGET / HTTP/1.1\r\n\r\n", .bareLineFeed, 400),
    // Header lines.
    Rejection("bare LF after a header line", get + "Host: a\nX: b\r\n\r\n", .bareLineFeed, 400),
    Rejection("CR inside a value", get + "X: a\rb\r\n\r\n", .bareCarriageReturn, 400),
    Rejection("NUL in a value", get + "X: a\u{0}b\r\n\r\n", .invalidHeaderValue, 400),
    Rejection("escape byte in a value", get + "X: a\u{1B}b\r\n\r\n", .invalidHeaderValue, 400),
    Rejection("DEL in a value", get + "X: a\u{7F}\r\n\r\n", .invalidHeaderValue, 400),
    Rejection("obs-fold continuation line", get + "X: a\r\n b\r\n\r\n", .obsoleteLineFolding, 400),
    Rejection("obs-fold with a tab", get + "X: a\r\n\tb\r\n\r\n", .obsoleteLineFolding, 400),
    Rejection("space before the colon", get + "Content-Length : 0\r\n\r\n", .invalidHeaderName, 400),
    Rejection("empty header name", get + ": v\r\n\r\n", .invalidHeaderName, 400),
    Rejection("header name not a token", get + "X(y): 1\r\n\r\n", .invalidHeaderName, 400),
    Rejection("header line without colon", get + "NoColonHere\r\n\r\n", .missingColon, 400),
    Rejection("two Host lines", get + "Host: a\r\nHost: a\r\n\r\n", .duplicateHost, 400),
    Rejection(
        "10,000 headers", get + String(repeating: "X: y\r\n", count: 10_000) + "\r\n", .tooManyHeaders(limit: 100), 431),
    Rejection(
        "a 20 KiB header", get + "X: " + String(repeating: "a", count: 20 * 1024) + "\r\n\r\n",
        .headTooLarge(limit: 16384), 431),
    Rejection(
        "endless leading empty lines", String(repeating: "\r\n", count: 9000) + get + "\r\n",
        .headTooLarge(limit: 16384), 431),
    // Framing.
    Rejection(
        "Content-Length with Transfer-Encoding", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        .conflictingFraming, 400),
    Rejection(
        "Transfer-Encoding with Content-Length", post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        .conflictingFraming, 400),
    Rejection("Content-Length: 5, 5", post + "Content-Length: 5, 5\r\n\r\nhello", .duplicateContentLength, 400),
    Rejection(
        "two equal Content-Length lines", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        .duplicateContentLength, 400),
    Rejection("Content-Length: -1", post + "Content-Length: -1\r\n\r\n", .invalidContentLength, 400),
    Rejection("Content-Length: +5", post + "Content-Length: +5\r\n\r\n", .invalidContentLength, 400),
    Rejection("Content-Length: 1e3", post + "Content-Length: 1e3\r\n\r\n", .invalidContentLength, 400),
    Rejection("empty Content-Length", post + "Content-Length:\r\n\r\n", .invalidContentLength, 400),
    Rejection(
        "overflowing Content-Length", post + "Content-Length: 99999999999999999999999999\r\n\r\n",
        .invalidContentLength, 400),
    Rejection(
        "Content-Length over the body limit", post + "Content-Length: 1048577\r\n\r\n",
        .bodyTooLarge(limit: 1_048_576), 413),
    Rejection("Transfer-Encoding: gzip", post + "Transfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding, 501),
    Rejection(
        "Transfer-Encoding: gzip, chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n",
        .unsupportedTransferEncoding, 501),
    Rejection(
        "Transfer-Encoding: identity", post + "Transfer-Encoding: identity\r\n\r\n", .unsupportedTransferEncoding, 501),
    Rejection(
        "Transfer-Encoding: chunked, chunked", post + "Transfer-Encoding: chunked, chunked\r\n\r\n",
        .unsupportedTransferEncoding, 501),
    Rejection(
        "two Transfer-Encoding lines", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        .unsupportedTransferEncoding, 501),
    Rejection(
        "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        .transferEncodingInHTTP10, 400),
    // Chunked bodies.
    Rejection("chunk size zz", chunked + "zz\r\n", .invalidChunk, 400),
    Rejection("empty chunk size", chunked + "\r\nhello\r\n", .invalidChunk, 400),
    Rejection("chunk size with trailing garbage", chunked + "5x\r\nhello\r\n0\r\n\r\n", .invalidChunk, 400),
    Rejection("chunk size overflow", chunked + "fffffffffffffffffffff\r\n", .invalidChunk, 400),
    Rejection("missing CRLF after chunk data", chunked + "5\r\nhelloX\r\n0\r\n\r\n", .invalidChunk, 400),
    Rejection("LF without CR after chunk data", chunked + "5\r\nhello\n0\r\n\r\n", .invalidChunk, 400),
    Rejection("bare LF in a chunk size line", chunked + "5\nhello\r\n", .invalidChunk, 400),
    Rejection(
        "chunk size line over its limit", chunked + "5;" + String(repeating: "e", count: 2000) + "\r\n",
        .chunkLineTooLong(limit: 1024), 400),
    Rejection("chunked body over the body limit", chunked + "100001\r\n", .bodyTooLarge(limit: 1_048_576), 413),
    Rejection(
        "chunked body over the limit across chunks", chunked + "8\r\n12345678\r\n9\r\n", .bodyTooLarge(limit: 16), 413,
        limits: HTTPLimits(maxBodyBytes: 16)),
    Rejection("obs-fold in a trailer", chunked + "0\r\nX: a\r\n b\r\n\r\n", .obsoleteLineFolding, 400),
]

struct RequestRejectionTests {
    @Test("a hostile or malformed request is refused with its status", arguments: rejections)
    func rejected(_ rejection: Rejection) {
        let whole = Feed.parse(HTTPRequestParser.self, rejection.input, limits: rejection.limits)
        #expect(whole.error == rejection.error)
        #expect(whole.error?.status == rejection.status)
        #expect(whole.error?.reason.isEmpty == false)
    }

    @Test("the refusal does not depend on how the bytes were split", arguments: rejections)
    func rejectedWhateverTheSplit(_ rejection: Rejection) {
        let whole = Feed.parse(HTTPRequestParser.self, rejection.input, limits: rejection.limits)
        let bytewise = Feed.parse(
            HTTPRequestParser.self, rejection.input, cuts: Feed.byteByByte(rejection.input.count), limits: rejection.limits)
        #expect(bytewise == whole)
        for seed in UInt64(1)...20 {
            let cuts = Feed.randomCuts(rejection.input.count, seed: seed)
            #expect(Feed.parse(HTTPRequestParser.self, rejection.input, cuts: cuts, limits: rejection.limits) == whole, "seed \(seed)")
        }
    }

    @Test("there are at least thirty rejection cases")
    func tableIsLarge() {
        #expect(rejections.count >= 30)
    }

    @Test("after the first error every later call throws the same error, whatever is appended")
    func errorsPersist() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/2.0\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.unsupportedVersion) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        for _ in 0..<3 {
            #expect(throws: HTTPParseError.unsupportedVersion) { try parser.next() }
        }
        #expect(!parser.isIdle && !parser.hasStartedRequest)
    }

    @Test("a request after a valid one fails on its own, after the valid parts")
    func errorAfterValidRequest() {
        let outcome = Feed.requests("GET /ok HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nX : y\r\n\r\n")
        #expect(outcome == Outcome(parts: [.head(HTTPRequestHead(method: "GET", target: "/ok")), .end], error: .invalidHeaderName))
    }

    @Test("reasons name the limit that was exceeded")
    func reasonsNameLimits() {
        #expect(HTTPParseError.headTooLarge(limit: 16384).reason == "request head larger than 16384 bytes")
        #expect(HTTPParseError.bodyTooLarge(limit: 10).reason.contains("10"))
        #expect(HTTPParseError.tooManyHeaders(limit: 100).reason.contains("100"))
        #expect(HTTPParseError.chunkLineTooLong(limit: 1024).reason.contains("1024"))
    }
}
