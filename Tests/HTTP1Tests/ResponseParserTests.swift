import Testing

@testable import HTTP1

struct ResponseParserTests {
    private func head(_ status: Int, _ reason: String, _ fields: [(String, String)], version: HTTPVersion = .http1_1)
        -> HTTPResponsePart
    {
        .head(HTTPResponseHead(status: status, reason: reason, version: version, fields: HTTPFields(fields)))
    }

    @Test("a Content-Length response gives head, body and end without waiting for EOF")
    func contentLength() {
        let outcome = Feed.responses("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        #expect(outcome == Outcome(parts: [head(200, "OK", [("Content-Length", "5")]), .body("hello"), .end]))
    }

    @Test("a chunked response is decoded and its trailers dropped")
    func chunked() {
        let outcome = Feed.responses(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n")
        #expect(
            outcome == Outcome(parts: [head(200, "OK", [("Transfer-Encoding", "chunked")]), .body("abcde"), .end]))
    }

    @Test("a body without length runs until EOF, and finishAtEOF ends it")
    func closeDelimited() throws {
        var parser = HTTPResponseParser()
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one".utf8))
        #expect(try parser.next() == head(200, "OK", [("Content-Type", "text/plain")]))
        #expect(try parser.next() == .body("part one"))
        #expect(try parser.next() == nil)
        parser.append(Array(", part two".utf8))
        #expect(try parser.finishAtEOF() == .body(", part two"))
        #expect(try parser.finishAtEOF() == .end)
        #expect(try parser.finishAtEOF() == nil)
    }

    @Test("EOF between responses is clean")
    func cleanEOF() throws {
        var parser = HTTPResponseParser()
        #expect(try parser.finishAtEOF() == nil)
        parser.append(Array("HTTP/1.1 204 No Content\r\n\r\n".utf8))
        #expect(try parser.finishAtEOF() == head(204, "No Content", []))
        #expect(try parser.finishAtEOF() == .end)
        #expect(try parser.finishAtEOF() == nil)
        #expect(parser.isIdle)
    }

    @Test(
        "EOF in the middle of a message is a truncated message, and stays one",
        arguments: [
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n",
            "HTTP/1.1 200 OK\r\nContent-",
            "HTTP/1.1 100 Continue\r\n\r\n",
            "\r\n",
        ])
    func truncated(_ text: String) {
        var parser = HTTPResponseParser()
        parser.append(Array(text.utf8))
        while (try? parser.next()) != nil {}
        #expect(throws: HTTPParseError.truncatedMessage) { try parser.finishAtEOF() }
        #expect(throws: HTTPParseError.truncatedMessage) { try parser.next() }
        #expect(HTTPParseError.truncatedMessage.status == 502)
    }

    @Test("interim 1xx answers are skipped, 204 and 304 have no body")
    func interimAndBodyless() {
        let outcome = Feed.responses(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 20\r\n\r\n"
                + "HTTP/1.0 404 Not Found\r\nContent-Length: 1\r\n\r\nx")
        #expect(
            outcome
                == Outcome(parts: [
                    head(204, "No Content", []), .end, head(304, "Not Modified", [("Content-Length", "20")]), .end,
                    head(404, "Not Found", [("Content-Length", "1")], version: .http1_0), .body("x"), .end,
                ]))
    }

    @Test(
        "a broken worker answer is refused",
        arguments: [
            ("HTTP/1.1 20 OK\r\n\r\n", HTTPParseError.malformedStatusLine),
            ("HTTP/1.1 2000 OK\r\n\r\n", .malformedStatusLine),
            ("HTTP/1.1 099 X\r\n\r\n", .malformedStatusLine),
            ("HTTP/1.1  200 OK\r\n\r\n", .malformedStatusLine),
            ("HTTP/2.0 200 OK\r\n\r\n", .unsupportedVersion),
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", .unexpectedUpgrade),
            ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", .duplicateContentLength),
            ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", .invalidChunk),
            ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", .bareLineFeed),
        ] as [(String, HTTPParseError)])
    func brokenAnswers(_ text: String, _ error: HTTPParseError) {
        #expect(Feed.responses(text).error == error)
    }

    @Test("response bodies are not bounded by maxBodyBytes")
    func noBodyLimit() {
        var parser = HTTPResponseParser(limits: HTTPLimits(maxBodyBytes: 4))
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789".utf8))
        #expect(throws: Never.self) { while try parser.next() != nil {} }
    }
}

struct LentResponsePartTests {
    /// Parses `stream` cut at `cuts` through `withNext`, copying each lent body piece as it comes.
    /// With `borrowing`, each piece is parsed where it lies in one scratch buffer, which is
    /// overwritten after `endBorrowing`, as the next read would.
    private func lentParts(_ stream: [UInt8], cuts: [Int], borrowing: Bool = false) throws -> [HTTPResponsePart] {
        var parser = HTTPResponseParser()
        var parts: [HTTPResponsePart] = []
        var scratch = [UInt8](repeating: 0, count: stream.count)
        for (start, end) in zip([0] + cuts, cuts + [stream.count]) {
            if borrowing {
                scratch.replaceSubrange(0..<(end - start), with: stream[start..<end])
            } else {
                parser.append(Array(stream[start..<end]))
            }
            try scratch.withUnsafeBytes { read in
                if borrowing { parser.borrow(UnsafeRawBufferPointer(rebasing: read[..<(end - start)])) }
                try drain(&parser, into: &parts)
                parser.endBorrowing()
            }
            for i in scratch.indices { scratch[i] = 0xEE }
        }
        return parts
    }

    private func drain(_ parser: inout HTTPResponseParser, into parts: inout [HTTPResponsePart]) throws {
        while let part = try parser.withNext({ lent -> HTTPResponsePart? in
            switch lent {
            case nil: nil
            case .head(let head): .head(head)
            case .body(let bytes): .body(Array(bytes))
            case .end: .end
            }
        }) {
            if case .body(let bytes) = part, case .body(let earlier)? = parts.last {
                parts[parts.count - 1] = .body(earlier + bytes)
            } else {
                parts.append(part)
            }
        }
    }

    @Test("lent body bytes are the bytes next() copies, for lengths and chunks, whole and at random splits")
    func lentEqualsCopied() throws {
        let stream = Array(
            ("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n").utf8)
        let expected = Feed.responses(String(decoding: stream, as: UTF8.self)).parts
        #expect(expected.count == 8)
        #expect(try lentParts(stream, cuts: []) == expected)
        for seed in 1...50 as ClosedRange<UInt64> {
            #expect(try lentParts(stream, cuts: Feed.randomCuts(stream.count, seed: seed)) == expected)
        }
    }

    @Test("borrowed input parses like appended input, and what is left is kept after the borrowed bytes change")
    func borrowedEqualsAppended() throws {
        let stream = Array(
            ("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").utf8)
        let expected = Feed.responses(String(decoding: stream, as: UTF8.self)).parts
        #expect(try lentParts(stream, cuts: [], borrowing: true) == expected)
        for seed in 1...50 as ClosedRange<UInt64> {
            #expect(try lentParts(stream, cuts: Feed.randomCuts(stream.count, seed: seed), borrowing: true) == expected)
        }
    }
}
