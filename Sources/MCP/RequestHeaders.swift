import HTTP1

// The header rules that come before the body is read: one MCP header value, Content-Type and
// Accept. Header names are case-insensitive (HTTPFields compares them so); values are not.

extension HTTPFields {
    /// The value of an MCP metadata header (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`),
    /// or nil when absent. Repeated lines or characters outside printable ASCII are malformed,
    /// which 2026-07-28 answers with `-32020` (HeaderMismatch).
    func singleMCPValue(_ name: String) throws(MCPError) -> String? {
        let lines = values(name)
        guard let value = lines.first else { return nil }
        guard lines.count == 1 else { throw .headerMismatch("Repeated \(name) header") }
        guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else {
            throw .headerMismatch("\(name) header holds characters outside printable ASCII")
        }
        return value
    }

    /// Requires `Content-Type: application/json` (parameters such as charset allowed).
    func requireJSONContentType() throws(MCPError) {
        let value = self["Content-Type"] ?? ""
        guard MediaRange(value).type == "application/json" else {
            throw .unsupportedMediaType(value)
        }
    }
}

/// Which of our two answer formats the client's `Accept` admits.
///
/// A missing `Accept` admits JSON only: nothing promised that the client can read an event
/// stream, and plain JSON is what every client handles.
struct AcceptedMedia: Sendable, Equatable {
    var json: Bool
    var eventStream: Bool

    /// Reads every `Accept` line; throws `.notAcceptable` when one is present yet admits neither.
    init(_ fields: HTTPFields) throws(MCPError) {
        let lines = fields.values("Accept")
        guard !lines.isEmpty else {
            self.init(json: true, eventStream: false)
            return
        }
        var json = false, eventStream = false
        for range in lines.flatMap({ $0.split(separator: ",") }).map(MediaRange.init) where range.quality > 0 {
            switch range.type {
            case "*/*": json = true; eventStream = true
            case "application/*", "application/json": json = true
            case "text/*", "text/event-stream": eventStream = true
            default: break
            }
        }
        guard json || eventStream else { throw .notAcceptable }
        self.init(json: json, eventStream: eventStream)
    }

    init(json: Bool, eventStream: Bool) {
        self.json = json
        self.eventStream = eventStream
    }
}

/// One media type or range with its parameters dropped except `q` (RFC 9110 §12.5.1).
struct MediaRange: Equatable {
    /// `type/subtype`, lowercased.
    var type: String
    /// The `q` weight; 1 when absent, 0 when it says so (0 means "not acceptable").
    var quality: Double

    init(_ text: some StringProtocol) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        type = (parts.first ?? "").trimmingASCIISpaces().lowercased()
        quality = 1
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIISpaces().lowercased() == "q" else { continue }
            quality = Double(pair[1].trimmingASCIISpaces()) ?? 1
        }
    }
}
