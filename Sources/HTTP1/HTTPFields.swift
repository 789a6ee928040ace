/// An ordered list of header fields that keeps repeated lines and compares names case-insensitively.
///
/// Repeated fields are never folded: request smuggling defences (duplicate `Content-Length`,
/// two `X-Client-ID` lines) need to see every line as it arrived.
///
/// The lines are kept as the bytes that arrived (CRLF included), back to back in one array, with
/// where each name and value lies; names and values become Strings only when asked for. A
/// proxied head is looked up and copied through line by line without making a String per field
/// (two allocations per head instead of two per field).
public struct HTTPFields: Sendable, Equatable, Sequence {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Where one line lies in `bytes`: `start..<lineEnd` with its CRLF, the name
    /// `start..<nameEnd`, the value (without surrounding whitespace) `valueStart..<end`.
    struct Span: Sendable {
        var start: Int
        var nameEnd: Int
        var valueStart: Int
        var end: Int
        var lineEnd: Int
    }

    private var bytes: [UInt8] = []
    private var spans: [Span] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { append(name, value) }
    }

    public var count: Int { spans.count }
    public var isEmpty: Bool { spans.isEmpty }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        withBytes { all in
            firstSpan(named: name, in: all).map { String(decoding: all[$0.valueStart..<$0.end], as: UTF8.self) }
        }
    }

    /// Every value of `name`, one per header line, in arrival order.
    public func values(_ name: String) -> [String] {
        withBytes { all in
            ASCIICase.withBytes(of: name) { key in
                spans.compactMap { span in
                    ASCIICase.same(UnsafeBufferPointer(rebasing: all[span.start..<span.nameEnd]), key)
                        ? String(decoding: all[span.valueStart..<span.end], as: UTF8.self) : nil
                }
            }
        }
    }

    /// How many lines carry `name` (duplicate checks, without making Strings).
    public func count(named name: String) -> Int {
        withBytes { all in
            ASCIICase.withBytes(of: name) { key in
                spans.reduce(0) { $0 + (ASCIICase.same(UnsafeBufferPointer(rebasing: all[$1.start..<$1.nameEnd]), key) ? 1 : 0) }
            }
        }
    }

    public func contains(_ name: String) -> Bool {
        withBytes { firstSpan(named: name, in: $0) != nil }
    }

    /// Whether the first value of `name` equals `value`, ASCII case-insensitively (no String made).
    public func first(_ name: String, equalsIgnoringCase value: String) -> Bool {
        withBytes { all in
            guard let span = firstSpan(named: name, in: all) else { return false }
            return ASCIICase.withBytes(of: value) { ASCIICase.same(UnsafeBufferPointer(rebasing: all[span.valueStart..<span.end]), $0) }
        }
    }

    /// Whether the first value of `name` starts with `prefix`, ASCII case-insensitively.
    public func first(_ name: String, hasPrefixIgnoringCase prefix: String) -> Bool {
        withBytes { all in
            guard let span = firstSpan(named: name, in: all) else { return false }
            return ASCIICase.withBytes(of: prefix) { key in
                span.end - span.valueStart >= key.count && ASCIICase.same(UnsafeBufferPointer(rebasing: all[span.valueStart..<span.valueStart + key.count]), key)
            }
        }
    }

    /// Runs `body` on the first value of `name` as bytes (valid only during the call); nil when absent.
    public func withFirstValue<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        withBytes { all in firstSpan(named: name, in: all).map { body(UnsafeBufferPointer(rebasing: all[$0.valueStart..<$0.end])) } }
    }

    /// Calls `body` with each field's name and value bytes, in order (valid only during the call).
    @inline(__always)
    public func forEachRaw(_ body: (_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Void) {
        withBytes { all in
            for span in spans {
                body(UnsafeBufferPointer(rebasing: all[span.start..<span.nameEnd]), UnsafeBufferPointer(rebasing: all[span.valueStart..<span.end]))
            }
        }
    }

    /// Appends the lines to `out` as they arrived (or as `append` wrote them), CRLF included,
    /// leaving out those whose name `dropped` picks: a proxy copies a parsed head through. Lines
    /// lie back to back, so each run of kept lines is one copy. Only parsed lines are known to
    /// be well-formed; `append` stores whatever it is given.
    public func appendLines(to out: inout [UInt8], dropping dropped: (_ name: UnsafeBufferPointer<UInt8>) -> Bool) {
        withBytes { all in
            var runStart = spans.first?.start ?? 0
            for span in spans where dropped(UnsafeBufferPointer(rebasing: all[span.start..<span.nameEnd])) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: all[runStart..<span.start]))
                runStart = span.lineEnd
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: all[runStart..<(spans.last?.lineEnd ?? runStart)]))
        }
    }

    public mutating func append(_ name: String, _ value: String) {
        let start = bytes.count
        bytes.append(contentsOf: name.utf8)
        let nameEnd = bytes.count
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
        let valueStart = bytes.count
        bytes.append(contentsOf: value.utf8)
        let end = bytes.count
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
        spans.append(Span(start: start, nameEnd: nameEnd, valueStart: valueStart, end: end, lineEnd: bytes.count))
    }

    /// The parser's way in: a head's field lines as they arrived (CRLFs included), copied in one
    /// piece, and where each lies in them.
    init(lines: UnsafeBufferPointer<UInt8>, spans: [Span]) {
        bytes = [UInt8](copying: lines)
        self.spans = spans
    }

    /// Replaces every line of `name` by one line with `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        append(name, value)
    }

    public mutating func remove(_ name: String) {
        guard contains(name) else { return }
        var kept = HTTPFields()
        forEachRaw { fieldName, value in
            if !ASCIICase.withBytes(of: name, { ASCIICase.same(fieldName, $0) }) {
                kept.append(String(decoding: fieldName, as: UTF8.self), String(decoding: value, as: UTF8.self))
            }
        }
        self = kept
    }

    public func makeIterator() -> Iterator { Iterator(fields: self) }

    public struct Iterator: IteratorProtocol {
        let fields: HTTPFields
        var index = 0

        public mutating func next() -> Field? {
            guard index < fields.spans.count else { return nil }
            let span = fields.spans[index]
            index += 1
            return Field(
                name: String(decoding: fields.bytes[span.start..<span.nameEnd], as: UTF8.self),
                value: String(decoding: fields.bytes[span.valueStart..<span.end], as: UTF8.self))
        }
    }

    /// Same lines in the same order, byte for byte.
    public static func == (a: HTTPFields, b: HTTPFields) -> Bool {
        guard a.spans.count == b.spans.count else { return false }
        return zip(a.spans, b.spans).allSatisfy { x, y in
            a.bytes[x.start..<x.nameEnd].elementsEqual(b.bytes[y.start..<y.nameEnd])
                && a.bytes[x.valueStart..<x.end].elementsEqual(b.bytes[y.valueStart..<y.end])
        }
    }

    private func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer(body)
    }

    private func firstSpan(named name: String, in all: UnsafeBufferPointer<UInt8>) -> Span? {
        ASCIICase.withBytes(of: name) { key in
            spans.first { $0.nameEnd - $0.start == key.count && ASCIICase.same(UnsafeBufferPointer(rebasing: all[$0.start..<$0.nameEnd]), key) }
        }
    }
}

/// A fixed set of field names (the proxy's and the serializer's lists of fields to drop),
/// matched ASCII case-insensitively. Most names are ruled out by their length alone, one bit
/// test, before any byte is compared: every line of every proxied head is looked up.
public struct FieldNameSet: Sendable {
    private let names: [[UInt8]]
    /// Bit n is set when some name is n bytes long.
    private let lengths: UInt64

    public init(_ names: [String]) {
        precondition(names.allSatisfy { $0.utf8.count < 64 }, "FieldNameSet: names are shorter than 64 bytes")
        self.names = names.map { Array($0.utf8) }
        lengths = names.reduce(0) { $0 | 1 << $1.utf8.count }
    }

    public func contains(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count < 64, lengths >> name.count & 1 == 1 else { return false }
        return names.contains { $0.withUnsafeBufferPointer { ASCIICase.same($0, name) } }
    }
}

/// ASCII case-insensitive byte comparison, the rule for header names and tokens.
public enum ASCIICase {
    @inlinable
    public static func same(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where !sameLetter(x, y) { return false }
        return true
    }

    /// The same over memory, indexed directly (the proxy compares every header name this way).
    @inlinable
    public static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where !sameLetter(a[i], b[i]) { return false }
        return true
    }

    /// The same against a lower-case literal (field names, media types).
    public static func same(_ a: UnsafeBufferPointer<UInt8>, _ lowercased: StaticString) -> Bool {
        same(a, UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount))
    }

    @inlinable
    static func sameLetter(_ x: UInt8, _ y: UInt8) -> Bool {
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
    }

    /// Runs `body` on the UTF-8 of `string` without copying it when it is stored contiguously
    /// (every native String, literals included).
    @inlinable
    public static func withBytes<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }
}

extension String {
    /// ASCII case-insensitive comparison, the rule for header names and tokens.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count
            && ASCIICase.withBytes(of: self) { a in ASCIICase.withBytes(of: other) { ASCIICase.same(a, $0) } }
    }

    /// Whether it starts with `prefix`, ASCII case-insensitively (media types, tokens).
    public func hasPrefixIgnoringASCIICase(_ prefix: String) -> Bool {
        utf8.count >= prefix.utf8.count
            && ASCIICase.withBytes(of: self) { a in
                ASCIICase.withBytes(of: prefix) { ASCIICase.same(UnsafeBufferPointer(rebasing: a[..<$0.count]), $0) }
            }
    }
}
