/// A tenant's name as routing knows it: trimmed, lowercased, `[a-z0-9_]{1,64}`.
public struct ClientID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Normalizes and validates; nil when the result breaks the client-ID rule.
    public init?(_ text: some StringProtocol) {
        let given = String(text)
        if Self.isValid(given) {  // the common case, already normal: no copies
            rawValue = given
            return
        }
        let normalized = given.trimmingCharacters(in: " \t").lowercased()
        guard Self.isValid(normalized) else { return nil }
        rawValue = normalized
    }

    public var description: String { rawValue }

    public static func < (a: ClientID, b: ClientID) -> Bool { a.rawValue < b.rawValue }

    static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
    }
}

extension String {
    /// Drops the given ASCII characters from both ends.
    public func trimmingCharacters(in set: String) -> String {
        guard let first = first, let last = last, set.contains(first) || set.contains(last) else { return self }
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
