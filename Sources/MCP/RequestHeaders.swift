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
        let elements = lines.flatMap { Array($0.utf8).split(separator: UInt8(ascii: ",")) }
        for range in elements.map(MediaRange.init(utf8:)) where range.quality > 0 {
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
        self.init(utf8: Array(text.utf8)[...])
    }

    /// Parsed among the bytes (this runs for every request's `Accept` and `Content-Type`).
    init(utf8 text: ArraySlice<UInt8>) {
        let parts = text.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        type = String(decoding: Self.trimmed(parts.first ?? []).map(Self.lowercased), as: UTF8.self)
        quality = 1
        for parameter in parts.dropFirst() {
            guard let equals = parameter.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = Self.trimmed(parameter[..<equals])
            guard name.count == 1, Self.lowercased(name[name.startIndex]) == UInt8(ascii: "q") else { continue }
            quality = Double(String(decoding: Self.trimmed(parameter[(equals + 1)...]), as: UTF8.self)) ?? 1
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return bytes[first...last]
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
