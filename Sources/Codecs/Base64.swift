// Base64 (RFC 4648 §4, and §5's URL-safe alphabet): every 3 bytes become 4 characters of 6 bits.
//
//   bytes      |  0x4D (M)    |  0x61 (a)    |  0x6E (n)    |
//   bits       |0 1 0 0 1 1 0 1|0 1 1 0 0 0 0 1|0 1 1 0 1 1 1 0|
//   sextets    | 19 (T)  | 22 (W)  |  5 (F)  | 46 (u)  |          "Man" -> "TWFu"
//
// A final group of 1 or 2 bytes becomes 2 or 3 characters, padded with "=" to 4:
//   "M" -> "TQ==", "Ma" -> "TWE=". So a quantum with 1 leftover character is impossible.
//
//   values  0-25 A-Z   26-51 a-z   52-61 0-9   62 "+" (URL-safe "-")   63 "/" (URL-safe "_")

/// Base64 text to bytes and back; decoding is lenient about layout and strict about content.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Decodes standard or URL-safe Base64 (the two alphabets may even be mixed), with or without
    /// padding, skipping ASCII whitespace anywhere (`base64` wraps lines at 76 columns).
    /// Returns nil for any other character, "=" anywhere but the end, or a length no encoder produces.
    /// Unused low bits in the last character are ignored, as GNU `base64 -d` does.
    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count / 4 * 3 + 2)
        var quantum: UInt32 = 0
        var pending = 0  // sextets in `quantum`, 0...3
        var characters = 0
        var padding = 0
        for byte in text.utf8 {
            if isWhitespace(byte) { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let value = sextet(byte) else { return nil }
            characters += 1
            quantum = quantum << 6 | value
            pending += 1
            if pending == 4 {
                output.append(UInt8(truncatingIfNeeded: quantum >> 16))
                output.append(UInt8(truncatingIfNeeded: quantum >> 8))
                output.append(UInt8(truncatingIfNeeded: quantum))
                (quantum, pending) = (0, 0)
            }
        }
        if padding > 0 {
            guard padding <= 2, (characters + padding) % 4 == 0 else { return nil }
        }
        switch pending {
        case 0: break
        case 2:  // 12 bits: one byte and 4 unused bits
            output.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:  // 18 bits: two bytes and 2 unused bits
            output.append(UInt8(truncatingIfNeeded: quantum >> 10))
            output.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default: return nil  // one leftover character carries 6 bits, less than a byte
        }
        return output
    }

    /// Encodes with the standard alphabet and "=" padding, on one line.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let available = min(3, bytes.count - index)
            var group: UInt32 = 0
            for offset in 0..<3 {
                group = group << 8 | (offset < available ? UInt32(bytes[index + offset]) : 0)
            }
            // n bytes fill n + 1 characters; the rest of the 4 are padding.
            for position in 0..<4 {
                let value = Int(group >> UInt32(18 - 6 * position)) & 0x3F
                output.append(position <= available ? alphabet[value] : UInt8(ascii: "="))
            }
            index += available
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Space, tab, LF, VT, FF and CR.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
