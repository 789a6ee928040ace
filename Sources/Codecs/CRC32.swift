// CRC-32 as gzip (RFC 1952 §8), zip and PNG define it: the reflected polynomial
//
//   x^32 + x^26 + x^23 + x^22 + x^16 + x^12 + x^11 + x^10 + x^8 + x^7 + x^5 + x^4 + x^2 + x + 1
//        = 0x04C11DB7, bit-reversed 0xEDB88320
//
// register starts as all ones, bytes enter least significant bit first, result is inverted.
// Check value: CRC-32("123456789") = 0xCBF43926.

/// The gzip trailer checksum, computed a byte at a time from a 256-entry table.
enum CRC32 {
    /// `table[n]` is the register after shifting the byte `n` through eight rounds of the polynomial;
    /// built once on first use (a lazily initialised global, so thread-safe).
    static let table: [UInt32] = (0..<256).map { (byte: UInt32) in
        var register = byte
        for _ in 0..<8 {
            register = register & 1 == 1 ? (register >> 1) ^ 0xEDB8_8320 : register >> 1
        }
        return register
    }

    /// The CRC-32 of `bytes`.
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        let table = Self.table
        var register: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            register = table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
        }
        return ~register
    }
}
