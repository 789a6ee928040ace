/// An ordered list of header fields that keeps repeated lines and compares names case-insensitively.
///
/// Repeated fields are never folded: request smuggling defences (duplicate `Content-Length`,
/// two `X-Client-ID` lines) need to see every line as it arrived.
public struct HTTPFields: Sendable, Equatable, Sequence {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var storage: [Field]

    public init() { storage = [] }

    public init(_ pairs: [(String, String)]) {
        storage = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        storage.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Every value of `name`, one per header line, in arrival order.
    public func values(_ name: String) -> [String] {
        storage.compactMap { $0.name.equalsIgnoringASCIICase(name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        storage.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func append(_ name: String, _ value: String) {
        storage.append(Field(name: name, value: value))
    }

    /// Replaces every line of `name` by one line with `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        append(name, value)
    }

    public mutating func remove(_ name: String) {
        storage.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { storage.makeIterator() }
}

extension String {
    /// ASCII case-insensitive comparison, the rule for header names and tokens.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        // Native strings are contiguous UTF-8: compare the bytes directly (this runs for every
        // header lookup on the proxy's path).
        let direct = a.withContiguousStorageIfAvailable { x in b.withContiguousStorageIfAvailable { y in Self.sameIgnoringASCIICase(x, y) } }
        if let direct, let result = direct { return result }
        return Self.sameIgnoringASCIICase(Array(a), Array(b))
    }

    /// Whether it starts with `prefix`, ASCII case-insensitively (media types, tokens).
    public func hasPrefixIgnoringASCIICase(_ prefix: String) -> Bool {
        let a = utf8, b = prefix.utf8
        guard a.count >= b.count else { return false }
        let direct = a.withContiguousStorageIfAvailable { x in
            b.withContiguousStorageIfAvailable { y in Self.sameIgnoringASCIICase(UnsafeBufferPointer(rebasing: x[..<y.count]), y) }
        }
        if let direct, let result = direct { return result }
        return Self.sameIgnoringASCIICase(Array(a.prefix(b.count)), Array(b))
    }

    private static func sameIgnoringASCIICase(_ a: some RandomAccessCollection<UInt8>, _ b: some RandomAccessCollection<UInt8>) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            guard x | 0x20 == y | 0x20, (x | 0x20) >= UInt8(ascii: "a"), (x | 0x20) <= UInt8(ascii: "z") else {
                return false
            }
        }
        return true
    }
}
