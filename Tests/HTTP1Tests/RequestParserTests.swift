import Testing

@testable import HTTP1

struct RequestParserTests {
    @Test("a GET without a body gives its head and then its end at once")
    func getWithoutBody() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET /mcp?session=1 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n".utf8))
        let part = try #require(try parser.next())
        guard case .head(let head) = part else {
            Issue.record("expected a head, got \(part)")
            return
        }
        #expect(head.method == "GET")
        #expect(head.target == "/mcp?session=1")
        #expect(head.path == "/mcp")
        #expect(head.query == "session=1")
        #expect(head.version == .http1_1)
        #expect(head.fields == HTTPFields([("Host", "localhost"), ("Accept", "*/*")]))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        #expect(parser.isIdle)
    }

    @Test("a POST with Content-Length gives its body bytes then its end")
    func postWithContentLength() {
        let outcome = Feed.requests("POST /mcp HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world")
        let head = HTTPRequestHead(method: "POST", target: "/mcp", fields: HTTPFields([("Content-Length", "11")]))
        #expect(outcome == Outcome(parts: [.head(head), .body("hello world"), .end]))
    }

    @Test("a chunked body is decoded; extensions are ignored and trailers consumed")
    func chunkedWithExtensionsAndTrailers() {
        let outcome = Feed.requests(
            "POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n6 ; flag\r\n world\r\n000A\r\n0123456789\r\n"
                + "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n")
        let head = HTTPRequestHead(method: "POST", target: "/mcp", fields: HTTPFields([("Transfer-Encoding", "chunked")]))
        #expect(
            outcome
                == Outcome(parts: [
                    .head(head), .body("hello world0123456789"), .end, .head(HTTPRequestHead(method: "GET", target: "/next")), .end,
                ]))
    }

    @Test("pipelined requests in one buffer come out one after the other")
    func pipelinedRequests() throws {
        var parser = HTTPRequestParser()
        let first = "GET /a HTTP/1.1\r\n\r\n"
        let second = "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
        let third = "GET /c HTTP/1.0\r\n\r\n"
        parser.append(Array((first + second + third).utf8))
        #expect(try parser.next() == .head(HTTPRequestHead(method: "GET", target: "/a")))
        #expect(try parser.next() == .end)
        #expect(parser.bufferedByteCount == second.utf8.count + third.utf8.count)
        #expect(!parser.isIdle)
        #expect(parser.hasStartedRequest)
        let postHead = HTTPRequestHead(method: "POST", target: "/b", fields: HTTPFields([("Content-Length", "3")]))
        #expect(try parser.next() == .head(postHead))
        #expect(try parser.next() == .body("abc"))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == .head(HTTPRequestHead(method: "GET", target: "/c", version: .http1_0)))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        #expect(parser.isIdle && parser.bufferedByteCount == 0)
    }

    @Test("body bytes are emitted as they arrive, before the body is complete")
    func bodyIsStreamed() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabcd".utf8))
        guard case .head = try parser.next() else {
            Issue.record("expected a head")
            return
        }
        #expect(try parser.next() == .body("abcd"))
        #expect(try parser.next() == nil)
        parser.append(Array("efghij".utf8))
        #expect(try parser.next() == .body("efghij"))
        #expect(try parser.next() == .end)
    }

    @Test("chunk data is emitted before the chunk is complete")
    func chunkDataIsStreamed() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf".utf8))
        _ = try parser.next()
        #expect(try parser.next() == .body("half"))
        #expect(try parser.next() == nil)
        parser.append(Array("-of-sixteen!\r\n0\r\n\r\n".utf8))
        #expect(try parser.next() == .body("-of-sixteen!"))
        #expect(try parser.next() == .end)
    }

    @Test("repeated header lines are kept in arrival order")
    func repeatedHeaderLines() throws {
        let outcome = Feed.requests(
            "GET / HTTP/1.1\r\nX-Client-ID: acme\r\nAccept: a\r\nx-client-id: acme\r\nAccept: b\r\n\r\n")
        guard case .head(let head) = outcome.parts.first else {
            Issue.record("no head: \(outcome)")
            return
        }
        #expect(head.fields.values("X-Client-ID") == ["acme", "acme"])
        #expect(head.fields.values("accept") == ["a", "b"])
        #expect(head.fields.map(\.name) == ["X-Client-ID", "Accept", "x-client-id", "Accept"])
    }

    @Test("field values are trimmed of spaces and tabs; inner spaces and UTF-8 are kept")
    func valuesAreTrimmed() {
        let outcome = Feed.requests("GET / HTTP/1.1\r\nX-A: \t one  two \t\r\nX-B:\r\nX-C: café\r\n\r\n")
        let fields = HTTPFields([("X-A", "one  two"), ("X-B", ""), ("X-C", "café")])
        #expect(outcome.parts.first == .head(HTTPRequestHead(method: "GET", target: "/", fields: fields)))
    }

    @Test("a request without Host is accepted (clients on Unix sockets omit it)")
    func hostIsOptional() {
        let outcome = Feed.requests("POST /mcp HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        #expect(outcome.error == nil)
        #expect(outcome.parts.count == 3)
    }

    @Test("leading empty lines before a request line are ignored")
    func leadingEmptyLines() {
        let outcome = Feed.requests("\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        #expect(outcome == Outcome(parts: [.head(HTTPRequestHead(method: "GET", target: "/")), .end]))
    }

    @Test(
        "keep-alive follows the version and the Connection header",
        arguments: [
            ("HTTP/1.1", nil, true), ("HTTP/1.1", "close", false), ("HTTP/1.1", "Keep-Alive", true),
            ("HTTP/1.1", "upgrade, Close", false), ("HTTP/1.0", nil, false), ("HTTP/1.0", "keep-alive", true),
            ("HTTP/1.0", "close", false),
        ] as [(String, String?, Bool)])
    func keepAliveDecision(version: String, connection: String?, keepAlive: Bool) throws {
        let header = connection.map { "Connection: \($0)\r\n" } ?? ""
        let outcome = Feed.requests("GET / \(version)\r\n\(header)\r\n")
        guard case .head(let head) = try #require(outcome.parts.first) else {
            Issue.record("no head: \(outcome)")
            return
        }
        #expect(head.wantsKeepAlive == keepAlive)
    }

    @Test("idle and started flags follow the connection between and inside requests")
    func idleAndStartedFlags() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle && !parser.hasStartedRequest)
        parser.append(Array("\r".utf8))
        #expect(!parser.isIdle && parser.hasStartedRequest)
        #expect(try parser.next() == nil)
        parser.append(Array("\nGET / HTTP/1.1\r\nContent-Length: 2\r\n\r\n".utf8))
        _ = try parser.next()
        #expect(!parser.isIdle && !parser.hasStartedRequest)
        parser.append(Array("ok".utf8))
        #expect(try parser.next() == .body("ok"))
        #expect(!parser.isIdle)
        #expect(try parser.next() == .end)
        #expect(parser.isIdle && !parser.hasStartedRequest)
    }

    @Test("a head of exactly maxHeadBytes is accepted, one byte more is 431")
    func headLimitBoundary() {
        let limits = HTTPLimits(maxHeadBytes: 64)
        let prefix = "GET / HTTP/1.1\r\nX: "
        let exact = prefix + String(repeating: "a", count: 64 - prefix.utf8.count - 4) + "\r\n\r\n"
        #expect(exact.utf8.count == 64)
        #expect(Feed.requests(exact, limits: limits).error == nil)
        let over = prefix + String(repeating: "a", count: 64 - prefix.utf8.count - 3) + "\r\n\r\n"
        #expect(Feed.requests(over, limits: limits).error == .headTooLarge(limit: 64))
    }

    @Test("exactly maxHeaderCount fields are accepted, one more is 431")
    func headerCountBoundary() {
        let limits = HTTPLimits(maxHeaderCount: 3)
        #expect(Feed.requests("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits).error == nil)
        let outcome = Feed.requests("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits: limits)
        #expect(outcome.error == .tooManyHeaders(limit: 3))
        #expect(outcome.error?.status == 431)
    }

    @Test("a body of exactly maxBodyBytes is accepted, by length and chunked")
    func bodyLimitBoundary() {
        let limits = HTTPLimits(maxBodyBytes: 8)
        #expect(Feed.requests("POST / HTTP/1.1\r\nContent-Length: 8\r\n\r\n12345678", limits: limits).error == nil)
        let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n3\r\n678\r\n0\r\n\r\n"
        #expect(Feed.requests(chunked, limits: limits).error == nil)
        let over = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n4\r\n"
        #expect(Feed.requests(over, limits: limits).error == .bodyTooLarge(limit: 8))
    }

    @Test("the UnsafeRawBufferPointer and Sequence appends feed the same bytes")
    func appendOverloads() throws {
        let text = "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"
        var raw = HTTPRequestParser()
        Array(text.utf8).withUnsafeBytes { raw.append($0) }
        var sequence = HTTPRequestParser()
        sequence.append(text.utf8)
        for _ in 0..<3 { #expect(try raw.next() == sequence.next()) }
    }
}
