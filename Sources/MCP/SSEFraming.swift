/// Server-Sent Events framing for the request-scoped streams of `tools/call`.
///
/// ```
///   data: {"jsonrpc":"2.0","method":"notifications/progress",...}\n
///   \n
/// ```
/// One JSON-RPC message per event, `data:` lines only (the default event type is "message").
enum SSEFraming {
    /// Frames one message as an event. Our JSON is compact and never holds a raw newline, but a
    /// payload that did would be split over several `data:` lines, as SSE requires.
    static func event(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 8)
        for line in payload.split(separator: 0x0A, omittingEmptySubsequences: false) {
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: line.filter { $0 != 0x0D })
            out.append(0x0A)
        }
        out.append(0x0A)
        return out
    }
}
