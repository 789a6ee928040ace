// A canonical Huffman code (RFC 1951 §3.2.2) is fully determined by its code lengths: codes of one
// length are consecutive integers assigned in symbol order, and each length's first code follows on
// from the previous length's codes, shifted left one bit. The RFC's example:
//
//   symbol   A    B    C    D    E    F   G     H
//   length   3    3    3    3    3    2   4     4
//   code     010  011  100  101  110  00  1110  1111
//
// So, like zlib's puff, we keep only
//
//   counts[len]   how many symbols have a code of `len` bits          counts = [_, 0, 1, 5, 2]
//   symbols       the symbols sorted by (length, value)               symbols = [F, A, B, C, D, E, G, H]
//
// and decode a bit at a time: once `len` bits are read, the codes of that length are the range
// first ..< first + counts[len]; if the bits so far fall inside it, the symbol is
// symbols[index + code - first], otherwise move on to len + 1.

/// A canonical Huffman code kept as per-length counts and symbols in code order (puff's layout).
struct HuffmanCode {
    /// Whether the lengths use up the code space exactly, leave some unused, or need more than exists.
    enum Shape: Equatable {
        case complete, incomplete, oversubscribed
    }

    /// DEFLATE code lengths never exceed 15 bits.
    static let maxBits = 15

    private let counts: [Int]
    private let symbols: [Int]
    /// Decoding stops here, so an unused code of an incomplete code fails as soon as it is read
    /// (not 15 bits later, possibly past the end of the input).
    private let longestLength: Int
    let shape: Shape

    /// Builds the code for `lengths[symbol]` (each 0...15; 0 means the symbol has no code).
    init(lengths: [Int]) {
        var counts = [Int](repeating: 0, count: Self.maxBits + 1)
        for length in lengths {
            counts[length] += 1
        }
        // Where each length's symbols start in `symbols`.
        var offsets = [Int](repeating: 0, count: Self.maxBits + 1)
        for length in 1..<Self.maxBits {
            offsets[length + 1] = offsets[length] + counts[length]
        }
        var symbols = [Int](repeating: 0, count: lengths.count - counts[0])
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
        self.counts = counts
        self.symbols = symbols
        self.longestLength = counts.indices.last { $0 > 0 && counts[$0] > 0 } ?? 0
        self.shape = Self.shape(of: counts, codedSymbols: symbols.count)
    }

    /// Kraft's inequality, counted in whole codes: each length doubles the codes available and
    /// each symbol of that length uses one of them.
    private static func shape(of counts: [Int], codedSymbols: Int) -> Shape {
        if codedSymbols == 0 { return .complete }
        var available = 1
        for length in 1...maxBits {
            available = available * 2 - counts[length]
            if available < 0 { return .oversubscribed }
        }
        return available == 0 ? .complete : .incomplete
    }

    /// An incomplete code RFC 1951 still permits: a single symbol with a one-bit code
    /// ("one distance code of one bit", and a literal/length code holding only end-of-block).
    var isSingleOneBitCode: Bool { symbols.count == 1 && counts[1] == 1 }

    /// Reads one code from `reader`, most significant bit first, and returns its symbol.
    func decode(from reader: inout BitReader) throws(CodecsError) -> Int {
        var code = 0  // the bits read so far
        var first = 0  // the first code of the current length
        var index = 0  // where the current length's symbols start
        for length in 1..<longestLength + 1 {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - first < count {
                return symbols[index + code - first]
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        // Only reachable with an incomplete (or empty) code: these bits are one of its unused codes.
        throw .invalidSymbol
    }
}

extension HuffmanCode {
    /// The fixed literal/length code of RFC 1951 §3.2.6 (288 symbols; 286 and 287 never occur).
    static let fixedLiterals = HuffmanCode(
        lengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
            + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8))

    /// The fixed distance code: 5-bit codes for 30 symbols (30 and 31 are left unused, so they fail to decode).
    static let fixedDistances = HuffmanCode(lengths: [Int](repeating: 5, count: 30))
}
