import Testing

@testable import HTTP1
@testable import Supervision

struct RequestForwardingTests {
    private func parsedRequest(_ text: String) throws -> HTTPRequestHead {
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8))
        guard case .head(let head)? = try parser.next() else { throw HTTPParseError.truncatedMessage }
        return head
    }

    @Test("a request head reaches the worker with its lines as sent, without hop-by-hop fields or the client's API key")
    func requestHead() throws {
        let head = try parsedRequest(
            "POST /mcp?x=1 HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\nAuthorization: Bearer k\r\n"
                + "X-Client-ID:  acme \r\nTE: trailers\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        var bytes = Array("queued".utf8)
        RequestForwarding.writeHead(head, into: &bytes)
        let forwarded = String(decoding: bytes, as: UTF8.self)
        #expect(forwarded == "queuedPOST /mcp?x=1 HTTP/1.1\r\nHost: h\r\nX-Client-ID:  acme \r\nContent-Length: 2\r\n\r\n")
    }

    @Test("a worker's answer loses its hop-by-hop and internal fields, and is chunked for HTTP/1.1 when it has no length")
    func responseHead() throws {
        var parser = HTTPResponseParser()
        parser.append(Array(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n"
                .utf8) + Array("OneApp-MCP-Method: tools/call\r\nMcp-Session-Id: s1\r\n\r\n".utf8))
        guard case .head(let head)? = try parser.next() else { throw HTTPParseError.truncatedMessage }
        var chunkedBytes: [UInt8] = []
        let chunked = RequestForwarding.writeResponseHead(head, clientVersion: .http1_1, keepAlive: true, into: &chunkedBytes)
        #expect(chunked.chunked && !chunked.closeAfter)
        #expect(String(decoding: chunkedBytes, as: UTF8.self)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: s1\r\nTransfer-Encoding: chunked\r\n\r\n")
        var oldBytes: [UInt8] = []
        let old = RequestForwarding.writeResponseHead(head, clientVersion: .http1_0, keepAlive: true, into: &oldBytes)
        #expect(!old.chunked && old.closeAfter)
        #expect(String(decoding: oldBytes, as: UTF8.self)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: s1\r\nConnection: close\r\n\r\n")
    }
}
