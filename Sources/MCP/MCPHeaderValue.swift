import Codecs

/// Decoding of 2026-07-28 request-metadata header values.
enum MCPHeaderValue {
    /// The text a header value stands for: `=?base64?…?=` is decoded (it carries names that
    /// are not safe ASCII); anything else is taken literally. Nil when the encoded form is broken.
    static func decode(_ value: String) -> String? {
        let prefix = "=?base64?", suffix = "?="
        guard value.utf8.count >= prefix.utf8.count + suffix.utf8.count,
            value.utf8.prefix(prefix.utf8.count).elementsEqual(prefix.utf8, by: { $0 | 0x20 == $1 | 0x20 }),
            value.hasSuffix(suffix)
        else { return value }
        let encoded = String(decoding: value.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count), as: UTF8.self)
        guard let bytes = Base64.decode(encoded) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
