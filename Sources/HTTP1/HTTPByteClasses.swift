/// The byte classes of RFC 9110/9112 grammar that the parsers and serializers test against.
enum HTTPByte {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")

    /// `tchar` (RFC 9110 §5.6.2): the characters of methods and header names.
    static func isToken(_ byte: UInt8) -> Bool {
        // One bit per ASCII byte, so the test is a shift and a mask (every header name byte
        // of every request goes through here). Bits 0…63 and 64…127; the set is
        // ALPHA / DIGIT / "!#$%&'*+-.^_`|~".
        let mask: UInt64 = byte < 64 ? 0x03FF_6CFA_0000_0000 : 0x57FF_FFFF_C7FF_FFFE
        return byte < 128 && (mask >> (byte & 63)) & 1 == 1
    }

    /// What a byte is in a field line's name part, looked up (one load per byte, not a test
    /// per class): `token` for tchar, `colon` for the name's end.
    enum NameByte: UInt8 {
        case other = 0, token, colon
    }

    /// `NameByte` of every byte value; built once, never freed (256 bytes), never written after.
    nonisolated(unsafe) static let nameBytes: UnsafePointer<NameByte> = {
        let table = UnsafeMutablePointer<NameByte>.allocate(capacity: 256)
        for byte in UInt8.min...UInt8.max {
            table[Int(byte)] = byte == colon ? .colon : isToken(byte) ? .token : .other
        }
        return UnsafePointer(table)
    }()

    /// Visible ASCII (VCHAR without obs-text): what a request target may contain.
    static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// Field-value and reason-phrase content: HTAB, SP, VCHAR, obs-text; no other control byte.
    static func isFieldContent(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Whether every byte of `bytes` is field content, eight at a time (the last eight overlap
    /// the ones before); a word with a byte below SP or a DEL (a tab, or a fault) is judged
    /// byte by byte. A head's values are most of its bytes.
    static func areFieldContent(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 8 else { return bytes.allSatisfy(isFieldContent) }
        let base = UnsafeRawPointer(bytes.baseAddress!)
        var index = 0
        while true {
            let offset = min(index, bytes.count - 8)
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if Word.hasByte(below: 0x20, in: word) || Word.hasByte(below: 1, in: word ^ Word.repeating(0x7F)),
                !UnsafeBufferPointer(rebasing: bytes[offset..<(offset + 8)]).allSatisfy(isFieldContent)
            {
                return false
            }
            if offset == bytes.count - 8 { return true }
            index += 8
        }
    }

    /// Tests on eight bytes at once, in one 64-bit word.
    enum Word {
        /// `byte` in each of the eight bytes.
        static func repeating(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

        /// Whether some byte of `word` is below `limit` (at most 128). Exact: a borrow only
        /// ever runs on from a byte that is below the limit itself.
        static func hasByte(below limit: UInt8, in word: UInt64) -> Bool {
            marks(below: limit, in: word) != 0
        }

        /// Where the first byte below `limit` is in `word` as loaded from memory (0 for the
        /// lowest address), or nil. The lowest marked byte is always a true one: borrows only
        /// run towards higher bytes.
        static func firstByte(below limit: UInt8, in word: UInt64) -> Int? {
            let marked = marks(below: limit, in: UInt64(littleEndian: word))
            return marked == 0 ? nil : marked.trailingZeroBitCount / 8
        }

        /// The high bit of each byte below `limit`, and possibly of bytes above such a one.
        private static func marks(below limit: UInt8, in word: UInt64) -> UInt64 {
            (word &- repeating(limit)) & ~word & repeating(0x80)
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The value of a hexadecimal digit, or nil.
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte &- UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte &- UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
