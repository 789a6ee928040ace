import Testing

@testable import HTTP1

/// A valid byte stream, named for the test report.
struct ValidStream: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]

    init(_ name: String, _ text: String) {
        self.name = name
        bytes = Array(text.utf8)
    }

    var testDescription: String { name }
}

private let validRequests: [ValidStream] = [
    ValidStream("GET without body", "GET /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"),
    ValidStream("POST with Content-Length", "POST /mcp HTTP/1.1\r\nContent-Length: 13\r\n\r\n{\"id\":1,\"x\":2}"),
    ValidStream(
        "chunked with extensions and trailers",
        "POST /mcp HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n4;a=b\r\nWiki\r\n5 ;c\r\npedia\r\n"
            + "E\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n"),
    ValidStream(
        "three pipelined requests",
        "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 4\r\n\r\nbodyGET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    ),
    ValidStream(
        "pipelined chunked then GET, with stray CRLF between",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n\r\nGET /next HTTP/1.1\r\n\r\n"),
    ValidStream("repeated header lines", "GET / HTTP/1.1\r\nX-Client-ID: a\r\nVia: 1\r\nX-Client-ID: b\r\nVia: 2\r\n\r\n"),
    ValidStream("leading empty lines and OWS", "\r\n\r\nGET / HTTP/1.1\r\nX:   spaced\t \r\nY:\r\n\r\n"),
    ValidStream("Content-Length zero", "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
    ValidStream("HTTP/1.0 with a body", "POST /x?y=z HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc"),
    ValidStream("CR LF straddling piece edges", "PUT /r HTTP/1.1\r\nContent-Length: 4\r\n\r\n\r\n\r\n"),
]

private let validResponses: [ValidStream] = [
    ValidStream("Content-Length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"),
    ValidStream(
        "chunked SSE stream",
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "f\r\ndata: {\"x\":1}\n\n\r\n3;e\r\n: \n\r\n0\r\nX-T: 1\r\n\r\n"),
    ValidStream(
        "100 Continue then 201, then a 204 and a 304",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"),
    ValidStream("close-delimited body", "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end\r\nof the stream"),
    ValidStream("empty reason phrase", "HTTP/1.1 503\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n"),
]

struct SplitInvarianceTests {
    @Test("a valid request stream parses identically whole, byte by byte and at 200 random splits", arguments: validRequests)
    func requestSplits(_ stream: ValidStream) {
        let whole = Feed.parse(HTTPRequestParser.self, stream.bytes)
        #expect(whole.error == nil)
        #expect(whole.parts.last == .end)
        let bytewise = Feed.parse(HTTPRequestParser.self, stream.bytes, cuts: Feed.byteByByte(stream.bytes.count))
        #expect(bytewise == whole)
        for seed in UInt64(1)...200 {
            let cuts = Feed.randomCuts(stream.bytes.count, seed: seed)
            let split = Feed.parse(HTTPRequestParser.self, stream.bytes, cuts: cuts)
            #expect(split == whole, "seed \(seed), cuts \(cuts)")
        }
    }

    @Test("a valid response stream parses identically whole, byte by byte and at 200 random splits", arguments: validResponses)
    func responseSplits(_ stream: ValidStream) {
        let whole = Feed.parse(HTTPResponseParser.self, stream.bytes, eof: true)
        #expect(whole.error == nil)
        #expect(whole.parts.last == .end)
        let bytewise = Feed.parse(
            HTTPResponseParser.self, stream.bytes, cuts: Feed.byteByByte(stream.bytes.count), eof: true)
        #expect(bytewise == whole)
        for seed in UInt64(1)...200 {
            let cuts = Feed.randomCuts(stream.bytes.count, seed: seed)
            let split = Feed.parse(HTTPResponseParser.self, stream.bytes, cuts: cuts, eof: true)
            #expect(split == whole, "seed \(seed), cuts \(cuts)")
        }
    }

    @Test("random cut patterns are reproducible from their seed")
    func cutsAreDeterministic() {
        #expect(Feed.randomCuts(100, seed: 7) == Feed.randomCuts(100, seed: 7))
        #expect(Feed.randomCuts(100, seed: 7) != Feed.randomCuts(100, seed: 8))
    }
}
