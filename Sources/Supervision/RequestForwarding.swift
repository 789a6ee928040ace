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

    /// The request head as sent to the worker (always HTTP/1.1, keep-alive).
    static func head(_ head: HTTPRequestHead) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.appendUTF8(head.method)
        out.append(UInt8(ascii: " "))
        out.appendUTF8(head.target)
        out.appendASCII(" HTTP/1.1\r\n")
        head.fields.appendLines(to: &out, dropping: keptFromWorkers.contains)
        out.appendASCII("\r\n")
        return out
    }


    /// The worker's response head as sent to the client, and how to frame its body.
    static func responseHead(_ head: HTTPResponseHead, clientVersion: HTTPVersion, keepAlive: Bool) -> (bytes: [UInt8], chunked: Bool, closeAfter: Bool) {
        let dropped = { (name: UnsafeBufferPointer<UInt8>) in
            keptFromClients.contains(name)
                || (name.count >= oneAppPrefix.count && ASCIICase.same(name.prefix(oneAppPrefix.count), oneAppPrefix))
        }
        let hasLength = head.fields.contains("Content-Length") || head.status == 204 || head.status == 304
        if hasLength {
            return (serialize(head.status, head.fields, dropping: dropped, keepAlive: keepAlive), false, false)
        }
        guard clientVersion == .http1_1 else {
            // An HTTP/1.0 client cannot read chunks: the body ends when the connection does.
            return (serialize(head.status, head.fields, dropping: dropped, keepAlive: false), false, true)
        }
        return (serialize(head.status, head.fields, dropping: dropped, keepAlive: keepAlive, chunked: true), true, false)
    }

    private static func serialize(
        _ status: Int, _ fields: HTTPFields, dropping dropped: (UnsafeBufferPointer<UInt8>) -> Bool, keepAlive: Bool, chunked: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.appendASCII("HTTP/1.1 ")
        out.appendDecimal(status)
        out.appendASCII(" ")
        out.appendUTF8(HTTPResponseSerializer.reasonPhrase(status))
        out.appendASCII("\r\n")
        fields.appendLines(to: &out, dropping: dropped)
        if chunked { out.appendASCII("Transfer-Encoding: chunked\r\n") }
        if !keepAlive { out.appendASCII("Connection: close\r\n") }
        out.appendASCII("\r\n")
        return out
    }
}
