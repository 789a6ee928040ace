/// Appending wire text to byte arrays without building intermediate Strings.
extension [UInt8] {
    /// A copy of `bytes` with one allocation of the right size and one `memcpy`. (`Array(bytes)`
    /// copies through the generic Sequence path; `init(repeating:count:)` and
    /// `init(unsafeUninitializedCapacity:)` allocate through an unspecialized path with a
    /// run-time type lookup, which costs more than the copy.)
    init(copying bytes: UnsafeBufferPointer<UInt8>) {
        self.init()
        reserveCapacity(bytes.count)
        append(contentsOf: bytes)
    }

    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    public mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    public mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        // Written from the right into a buffer on the stack, then appended at once: no String.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// Lower-case hexadecimal without leading zeros (chunk sizes).
    mutating func appendHex(_ value: Int) {
        precondition(value >= 0, "appendHex: negative value")
        var shift = (Int.bitWidth - value.leadingZeroBitCount - 1) / 4 * 4
        if value == 0 { shift = 0 }
        while shift >= 0 {
            let nibble = UInt8((value >> shift) & 0xF)
            append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            shift -= 4
        }
    }

    mutating func appendCRLF() {
        append(HTTPByte.cr)
        append(HTTPByte.lf)
    }
}
