/// Appending wire text to byte arrays without building intermediate Strings.
extension [UInt8] {
    /// A copy of `bytes` in one `memcpy` (`Array(bytes)` goes through the generic Sequence path).
    init(copying bytes: UnsafeBufferPointer<UInt8>) {
        self.init(unsafeUninitializedCapacity: bytes.count) { storage, count in
            if let source = bytes.baseAddress, bytes.count > 0 { storage.baseAddress!.initialize(from: source, count: bytes.count) }
            count = bytes.count
        }
    }

    /// A String's bytes, copied from its contiguous UTF-8 storage (`+= text.utf8` walks them one
    /// by one through the generic path).
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
