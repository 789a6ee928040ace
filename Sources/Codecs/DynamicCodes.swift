// The header of a dynamic Huffman block (RFC 1951 §3.2.7), after BFINAL and BTYPE:
//
//   HLIT (5 bits)    number of literal/length codes - 257   (257...286)
//   HDIST (5 bits)   number of distance codes - 1           (1...30)
//   HCLEN (4 bits)   number of code-length codes - 4        (4...19)
//   (HCLEN + 4) × 3 bits   code lengths for the code-length alphabet, in the order
//                          16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15
//   HLIT + 257 + HDIST + 1 code lengths, coded with the code-length code:
//       0...15   this length
//       16       repeat the previous length 3...6 times    (2 extra bits)
//       17       a run of 3...10 zero lengths              (3 extra bits)
//       18       a run of 11...138 zero lengths            (7 extra bits)
//
// The literal/length and distance lengths form one sequence, so a repeat may cross from one to the other.

/// Reads a dynamic block's header and builds its literal/length and distance codes.
enum DynamicCodes {
    /// The order in which code-length code lengths are transmitted (rarely used lengths last).
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static func read(from reader: inout BitReader) throws(CodecsError) -> (literals: HuffmanCode, distances: HuffmanCode) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        // HLIT can say up to 288 and HDIST up to 32, but symbols 286/287 and 30/31 do not exist.
        guard literalCount <= 286, distanceCount <= 30 else { throw .tooManyCodes }

        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for position in 0..<codeLengthCount {
            codeLengthLengths[codeLengthOrder[position]] = try reader.bits(3)
        }
        // The code-length code must be complete: an incomplete one would be a wasted bit somewhere.
        let codeLengthCode = HuffmanCode(lengths: codeLengthLengths)
        guard codeLengthCode.shape == .complete else { throw .invalidHuffmanCode }

        let lengths = try readLengths(count: literalCount + distanceCount, with: codeLengthCode, from: &reader)
        guard lengths[256] != 0 else { throw .missingEndOfBlockCode }
        let literals = try validated(HuffmanCode(lengths: Array(lengths[..<literalCount])))
        let distances = try validated(HuffmanCode(lengths: Array(lengths[literalCount...])))
        return (literals, distances)
    }

    /// Decodes `count` code lengths, expanding the repeat symbols 16, 17 and 18.
    private static func readLengths(
        count: Int, with code: HuffmanCode, from reader: inout BitReader
    ) throws(CodecsError) -> [Int] {
        var lengths: [Int] = []
        lengths.reserveCapacity(count)
        while lengths.count < count {
            let symbol = try code.decode(from: &reader)
            let length: Int
            let repeats: Int
            switch symbol {
            case 0...15: (length, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else { throw .invalidLengthRepeat }
                (length, repeats) = (previous, 3 + (try reader.bits(2)))
            case 17: (length, repeats) = (0, 3 + (try reader.bits(3)))
            default: (length, repeats) = (0, 11 + (try reader.bits(7)))  // 18; the code has no symbols above it
            }
            guard repeats <= count - lengths.count else { throw .invalidLengthRepeat }
            lengths.append(contentsOf: repeatElement(length, count: repeats))
        }
        return lengths
    }

    /// Rejects over-subscribed codes and incomplete ones other than the single one-bit code RFC 1951 allows.
    /// A distance code with no codes at all is complete here; it only fails if a match actually needs it.
    private static func validated(_ code: HuffmanCode) throws(CodecsError) -> HuffmanCode {
        switch code.shape {
        case .complete: return code
        case .incomplete where code.isSingleOneBitCode: return code
        case .incomplete, .oversubscribed: throw .invalidHuffmanCode
        }
    }
}
