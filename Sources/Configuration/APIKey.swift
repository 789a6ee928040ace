import Codecs

/// An inbound credential of a tenant: clients send `Authorization: Bearer <key>`, the
/// configuration stores `sha256:<hex>` of the key (a plain key is accepted, with a warning).
public struct APIKey: Sendable, Equatable {
    /// SHA-256 of the key.
    public let digest: [UInt8]

    /// Reads `sha256:<64 hex digits>`, or hashes a plain key (`isPlain` tells which).
    public init?(configured text: String) {
        if text.hasPrefix("sha256:") {
            guard let digest = Hex.decode(text.dropFirst(7).lowercased()), digest.count == 32 else { return nil }
            self.digest = digest
        } else {
            guard !text.isEmpty else { return nil }
            digest = SHA256.hash(Array(text.utf8))
        }
    }

    /// The configuration spelling of a key: what `oneapp-mcp hash-key` prints.
    public static func stored(_ key: String) -> String { "sha256:" + Hex.encode(SHA256.hash(Array(key.utf8))) }

    /// Whether `presented` (the bearer token a client sent) is one of `keys`. Every key is
    /// compared in full and in constant time, so timing tells nothing about which bytes matched.
    public static func accepts(_ presented: String, among keys: [APIKey]) -> Bool {
        let digest = SHA256.hash(Array(presented.utf8))
        var matched = false
        for key in keys where HMACSHA256.constantTimeEqual(key.digest, digest) { matched = true }
        return matched
    }
}
