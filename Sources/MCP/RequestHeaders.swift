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
        let isJSON = withFirstValue("Content-Type") { ASCIICase.same(MediaRange.parts(of: $0).type, "application/json") } ?? false
        guard isJSON else { throw .unsupportedMediaType(self["Content-Type"] ?? "") }
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
    /// Read among the bytes as they arrived, without a String or an array: this runs for every
    /// request.
    init(_ fields: HTTPFields) throws(MCPError) {
        var present = false, json = false, eventStream = false
        fields.forEachRaw { name, value in
            guard ASCIICase.same(name, "accept") else { return }
            present = true
            MediaRange.forEachElement(of: value) { element in
                let (type, quality) = MediaRange.parts(of: element)
                guard quality > 0 else { return }
                if ASCIICase.same(type, "*/*") {
                    json = true
                    eventStream = true
                } else if ASCIICase.same(type, "application/json") || ASCIICase.same(type, "application/*") {
                    json = true
                } else if ASCIICase.same(type, "text/event-stream") || ASCIICase.same(type, "text/*") {
                    eventStream = true
                }
            }
        }
        guard present else {
            self.init(json: true, eventStream: false)
            return
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
        (type, quality) = Array(text.utf8).withUnsafeBufferPointer { bytes in
            let (type, quality) = Self.parts(of: bytes)
            return (String(decoding: type.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self), quality)
        }
    }

    /// Calls `body` with each comma-separated element of a list value, as it lies.
    static func forEachElement(of value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for index in 0...value.count where index == value.count || value[index] == UInt8(ascii: ",") {
            body(UnsafeBufferPointer(rebasing: value[start..<index]))
            start = index + 1
        }
    }

    /// The `type/subtype` of one element (trimmed, as written: compare it case-insensitively)
    /// and its `q` weight.
    static func parts(of element: UnsafeBufferPointer<UInt8>) -> (type: UnsafeBufferPointer<UInt8>, quality: Double) {
        let end = element.firstIndex(of: UInt8(ascii: ";")) ?? element.count
        var quality = 1.0
        var start = end + 1
        while start <= element.count {
            let stop = element[start...].firstIndex(of: UInt8(ascii: ";")) ?? element.count
            let parameter = trimmed(UnsafeBufferPointer(rebasing: element[start..<stop]))
            if parameter.count >= 2, parameter[0] | 0x20 == UInt8(ascii: "q"),
                let equals = parameter.firstIndex(of: UInt8(ascii: "=")),
                trimmed(UnsafeBufferPointer(rebasing: parameter[..<equals])).count == 1
            {
                quality = Double(String(decoding: trimmed(UnsafeBufferPointer(rebasing: parameter[(equals + 1)...])), as: UTF8.self)) ?? 1
            }
            start = stop + 1
        }
        return (trimmed(UnsafeBufferPointer(rebasing: element[..<end])), quality)
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return UnsafeBufferPointer(rebasing: bytes[0..<0])
        }
        return UnsafeBufferPointer(rebasing: bytes[first...last])
    }
}
