// DEFLATE packs data elements into bytes starting at the least significant bit (RFC 1951 §3.1.1):
//
//   byte 0            byte 1
//   +--------------+  +--------------+
//   |7 6 5 4 3 2 1 0|  |15 ...       8|   bit n of the stream is bit (n mod 8) of byte n/8
//   +--------------+  +--------------+
//
// Multi-bit values (extra bits, header fields) are read least significant bit first; Huffman codes
// are read one bit at a time, most significant bit first, by `HuffmanCode.decode`.

/// A cursor over a byte array that reads DEFLATE's bit stream, and plain bytes once aligned.
///
/// Bytes are pulled into `buffer` one at a time only when needed, so after any read fewer than 8
/// bits are buffered and `alignToByte()` lands exactly on the next byte boundary.
struct BitReader {
    let bytes: [UInt8]
    /// The next byte not yet pulled into the bit buffer.
    private(set) var position: Int
    private var buffer: UInt32 = 0
    private var bufferedBits = 0

    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { bufferedBits == 0 && position >= bytes.count }

    /// The next `count` bits (0...16) as an integer, first bit least significant.
    mutating func bits(_ count: Int) throws(CodecsError) -> Int {
        while bufferedBits < count {
            guard position < bytes.count else { throw .truncated }
            buffer |= UInt32(bytes[position]) << UInt32(bufferedBits)
            position += 1
            bufferedBits += 8
        }
        let value = Int(buffer & ((1 << UInt32(count)) - 1))
        buffer >>= UInt32(count)
        bufferedBits -= count
        return value
    }

    /// Drops the rest of a partly read byte (stored blocks and the end of a stream are byte-aligned).
    mutating func alignToByte() {
        buffer = 0
        bufferedBits = 0
    }

    /// One whole byte; only valid while aligned.
    mutating func byte() throws(CodecsError) -> UInt8 {
        precondition(bufferedBits == 0, "byte reads need an aligned BitReader")
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    /// A little-endian unsigned integer of `width` bytes (2 or 4); only valid while aligned.
    mutating func littleEndian(bytes width: Int) throws(CodecsError) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<width {
            value |= UInt32(try byte()) << UInt32(8 * index)
        }
        return value
    }

    /// The next `count` bytes without copying; only valid while aligned.
    mutating func take(_ count: Int) throws(CodecsError) -> ArraySlice<UInt8> {
        precondition(bufferedBits == 0, "byte reads need an aligned BitReader")
        guard count <= bytes.count - position else { throw .truncated }
        defer { position += count }
        return bytes[position..<position + count]
    }
}
