import Testing

@testable import HTTP1

struct ResponseSerializerTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("a fixed response is written byte for byte, caller framing fields dropped")
    func fixedResponse() {
        let fields = HTTPFields([
            ("Content-Type", "application/json"), ("content-length", "999"), ("Connection", "keep-alive"),
            ("Transfer-Encoding", "chunked"), ("Mcp-Session-Id", "abc"),
        ])
        let response = HTTPResponse(status: 200, fields: fields, body: Array("{}".utf8))
        #expect(
            text(HTTPResponseSerializer.fixed(response, keepAlive: true))
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: abc\r\nContent-Length: 2\r\n\r\n{}")
        #expect(
            text(HTTPResponseSerializer.fixed(response, keepAlive: false))
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: abc\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}")
    }

    @Test("204 and 304 carry neither body nor Content-Length")
    func bodylessStatuses() {
        let noContent = HTTPResponse(status: 204, fields: HTTPFields([("X", "1")]), body: Array("ignored".utf8))
        #expect(text(HTTPResponseSerializer.fixed(noContent, keepAlive: false)) == "HTTP/1.1 204 No Content\r\nX: 1\r\nConnection: close\r\n\r\n")
        #expect(text(HTTPResponseSerializer.fixed(HTTPResponse(status: 304), keepAlive: true)) == "HTTP/1.1 304 Not Modified\r\n\r\n")
    }

    @Test("an empty 404 still says Content-Length: 0")
    func emptyBody() {
        #expect(
            text(HTTPResponseSerializer.fixed(HTTPResponse(status: 404), keepAlive: true))
                == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("a stream is a chunked head, chunks in hex, and the last chunk")
    func stream() {
        var bytes = HTTPResponseSerializer.streamHead(
            status: 200, fields: HTTPFields([("Content-Type", "text/event-stream"), ("Content-Length", "1")]), keepAlive: true)
        bytes += HTTPResponseSerializer.chunk(Array("hello".utf8))
        bytes += HTTPResponseSerializer.chunk(Array(repeating: UInt8(ascii: "x"), count: 26))
        bytes += HTTPResponseSerializer.lastChunk
        #expect(
            text(bytes)
                == "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n1a\r\n" + String(repeating: "x", count: 26) + "\r\n0\r\n\r\n")
    }

    @Test("an empty chunk is no bytes at all, never the terminator")
    func emptyChunk() {
        #expect(HTTPResponseSerializer.chunk([]) == [])
        #expect(HTTPResponseSerializer.lastChunk == Array("0\r\n\r\n".utf8))
        #expect(text(HTTPResponseSerializer.chunk(Array(repeating: 0, count: 4096))).hasPrefix("1000\r\n"))
    }

    @Test("a stream head that will close says so")
    func streamHeadClose() {
        #expect(
            text(HTTPResponseSerializer.streamHead(status: 502, fields: HTTPFields(), keepAlive: false))
                == "HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    }

    @Test("control bytes in a value cannot split the response; bad names are dropped")
    func noResponseSplitting() {
        let fields = HTTPFields([("X-Echo", "a\r\nSet-Cookie: evil"), ("Bad Name", "v"), ("X-Tab", "a\tb")])
        #expect(
            text(HTTPResponseSerializer.fixed(HTTPResponse(status: 400, fields: fields), keepAlive: true))
                == "HTTP/1.1 400 Bad Request\r\nX-Echo: a  Set-Cookie: evil\r\nX-Tab: a\tb\r\nContent-Length: 0\r\n\r\n")
    }

    @Test(
        "reason phrases are the standard ones, Unknown otherwise",
        arguments: [
            (200, "OK"), (202, "Accepted"), (204, "No Content"), (400, "Bad Request"), (401, "Unauthorized"),
            (403, "Forbidden"), (404, "Not Found"), (405, "Method Not Allowed"), (406, "Not Acceptable"),
            (408, "Request Timeout"), (413, "Content Too Large"), (415, "Unsupported Media Type"),
            (421, "Misdirected Request"), (429, "Too Many Requests"), (431, "Request Header Fields Too Large"),
            (500, "Internal Server Error"), (501, "Not Implemented"), (502, "Bad Gateway"),
            (503, "Service Unavailable"), (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"),
            (299, "Unknown"), (599, "Unknown"),
        ])
    func reasonPhrases(_ status: Int, _ phrase: String) {
        #expect(HTTPResponseSerializer.reasonPhrase(status) == phrase)
    }

    @Test("a fixed response parses back to the same status, fields and body")
    func fixedRoundTrip() {
        let fields = HTTPFields([("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
        let body = Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".utf8)
        let bytes = HTTPResponseSerializer.fixed(HTTPResponse(status: 202, fields: fields, body: body), keepAlive: true)
        let outcome = Feed.parse(HTTPResponseParser.self, bytes)
        var expected = fields
        expected.append("Content-Length", String(body.count))
        let head = HTTPResponseHead(status: 202, reason: "Accepted", fields: expected)
        #expect(outcome == Outcome(parts: [.head(head), .body(body), .end]))
    }

    @Test("a chunked stream of SSE events parses back to the concatenated events")
    func streamRoundTrip() {
        let first = ServerSentEvent.event(data: "{\"a\":1}", id: "1")
        let second = ServerSentEvent.comment("ping")
        var bytes = HTTPResponseSerializer.streamHead(
            status: 200, fields: HTTPFields([("Content-Type", "text/event-stream")]), keepAlive: false)
        bytes += HTTPResponseSerializer.chunk(first) + HTTPResponseSerializer.chunk(second) + HTTPResponseSerializer.lastChunk
        let outcome = Feed.parse(HTTPResponseParser.self, bytes, cuts: Feed.byteByByte(bytes.count))
        let fields = HTTPFields([("Content-Type", "text/event-stream"), ("Transfer-Encoding", "chunked"), ("Connection", "close")])
        #expect(outcome == Outcome(parts: [.head(HTTPResponseHead(status: 200, reason: "OK", fields: fields)), .body(first + second), .end]))
    }
}

struct CaseInsensitiveTextTests {
    @Test("header names and tokens compare ASCII case-insensitively, and only letters fold")
    func comparisons() {
        #expect("Content-Type".equalsIgnoringASCIICase("content-type"))
        #expect(!"Content-Type".equalsIgnoringASCIICase("content-typ"))
        #expect(!"a@".equalsIgnoringASCIICase("a`"))  // 0x40 and 0x60 differ by the case bit but are not letters
        #expect("text/event-stream; charset=utf-8".hasPrefixIgnoringASCIICase("TEXT/Event-Stream"))
        #expect(!"text/even".hasPrefixIgnoringASCIICase("text/event-stream"))
        #expect("OneApp-MCP-Method".hasPrefixIgnoringASCIICase("oneapp-"))
        #expect("é-x".equalsIgnoringASCIICase("é-X"))
    }
}
