/// HMAC-SHA-256 (RFC 2104) with the key absorbed once: the inner and outer hashers are kept
/// after the padded key block, so each MAC costs only the message and two final blocks.
public struct HMACSHA256: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    public init(key: [UInt8]) {
        var block = key.count > SHA256.blockSize ? SHA256.hash(key) : key
        block.append(contentsOf: repeatElement(0, count: SHA256.blockSize - block.count))
        var inner = SHA256(), outer = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        outer.update(block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    public func authenticationCode(for message: [UInt8]) -> [UInt8] {
        var inner = self.inner, outer = self.outer
        inner.update(message)
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// Compares two MACs in time that depends only on their length, never on where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
