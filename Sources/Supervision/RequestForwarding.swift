import HTTP1

/// How heads are rewritten when they cross the supervisor (pure; bodies pass untouched).
/// Heads come from the parser, so their field lines are copied through as they arrived.
///
/// Hop-by-hop fields (RFC 9110 §7.6.1) belong to one connection and are dropped; the body
/// framing is kept (Content-Length) or re-applied (chunked), since the supervisor re-frames.
enum RequestForwarding {
    static let hopByHop = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect"]
    /// What a worker reports about a request, for the access log; never shown to clients.
    static let methodField = "OneApp-MCP-Method"
    static let toolField = "OneApp-MCP-Tool"

    /// The client's API key stays in the supervisor: the worker uses its tenant's own upstream credentials.
    private static let keptFromWorkers = FieldNameSet(hopByHop + ["authorization"])
    /// Besides these, the worker's own `OneApp-*` reports stay in the supervisor.
    private static let keptFromClients = FieldNameSet(hopByHop + ["transfer-encoding"])
    private static let oneAppPrefix = Array("oneapp-".utf8)

    /// Appends the request head as sent to the worker (always HTTP/1.1, keep-alive) to `out`.
    static func writeHead(_ head: HTTPRequestHead, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 512)
        out.appendUTF8(head.method)
        out.append(UInt8(ascii: " "))
        out.appendUTF8(head.target)
        out.appendASCII(" HTTP/1.1\r\n")
        head.fields.appendLines(to: &out) { keptFromWorkers.contains($0) }
        out.appendASCII("\r\n")
    }

    /// Appends the worker's response head as sent to the client to `out`, and says how its
    /// body is framed: re-chunked (no length, HTTP/1.1 client) or ended by closing (no length,
    /// HTTP/1.0 client, which cannot read chunks).
    static func writeResponseHead(
        _ head: HTTPResponseHead, clientVersion: HTTPVersion, keepAlive: Bool, into out: inout [UInt8]
    ) -> (chunked: Bool, closeAfter: Bool) {
        let hasLength = head.fields.contains("Content-Length") || head.status == 204 || head.status == 304
        let chunked = !hasLength && clientVersion == .http1_1
        let closeAfter = !hasLength && clientVersion != .http1_1
        out.reserveCapacity(out.count + 256)
        out.appendASCII("HTTP/1.1 ")
        out.appendDecimal(head.status)
        out.append(UInt8(ascii: " "))
        out.appendUTF8(HTTPResponseSerializer.reasonPhrase(head.status))
        out.appendASCII("\r\n")
        head.fields.appendLines(to: &out) { name in
            keptFromClients.contains(name)
                || (name.count >= oneAppPrefix.count && ASCIICase.same(name.prefix(oneAppPrefix.count), oneAppPrefix))
        }
        if chunked { out.appendASCII("Transfer-Encoding: chunked\r\n") }
        if !keepAlive || closeAfter { out.appendASCII("Connection: close\r\n") }
        out.appendASCII("\r\n")
        return (chunked, closeAfter)
    }
}
