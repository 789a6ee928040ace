// DEFLATE (RFC 1951) is a sequence of blocks, each starting with a 3-bit header:
//
//   +--------+-----------+
//   | BFINAL | BTYPE (2) |   BFINAL = 1 on the last block
//   +--------+-----------+   BTYPE  00 stored, 01 fixed Huffman, 10 dynamic Huffman, 11 reserved
//
//   stored    skip to a byte boundary, LEN (2 bytes LE), NLEN = ~LEN (2 bytes LE), LEN raw bytes
//   fixed     symbols coded with the fixed codes of §3.2.6
//   dynamic   a header describing the codes (see DynamicCodes.swift), then symbols
//
// Symbols of the literal/length code:
//
//   0...255    the literal byte
//   256        end of block
//   257...285  a length of 3...258 (base + extra bits), followed by a distance symbol 0...29
//              (base + extra bits, 1...32768): copy `length` bytes starting `distance` bytes back;
//              the copy may overlap what it produces (distance 1 repeats the last byte)
//
// After the final block the stream ends at the next byte boundary.

/// Raw DEFLATE (RFC 1951) decompression, with no zlib or gzip wrapper.
public enum Inflate {
    /// Decompresses one complete raw DEFLATE stream that must fill `raw` exactly (only the final
    /// byte's unused bits may follow it); producing more than `maxOutputBytes` bytes is an error.
    public static func inflate(_ raw: [UInt8], maxOutputBytes: Int = 64 << 20) throws(CodecsError) -> [UInt8] {
        var inflater = Inflater(reader: BitReader(raw), budget: maxOutputBytes, limit: maxOutputBytes)
        try inflater.run()
        guard inflater.reader.isAtEnd else { throw .trailingData }
        return inflater.output
    }
}

/// Decodes one DEFLATE stream from a `BitReader` into a fresh output array, within a byte budget.
struct Inflater {
    private(set) var reader: BitReader
    private(set) var output: [UInt8] = []
    /// The most this stream may produce (gzip members share one limit, so this can be less than it).
    private let budget: Int
    /// The limit named in the error.
    private let limit: Int

    init(reader: BitReader, budget: Int, limit: Int) {
        self.reader = reader
        self.budget = budget
        self.limit = limit
    }

    /// Decodes blocks up to and including the final one, leaving `reader` at the next byte boundary.
    mutating func run() throws(CodecsError) {
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                try copyStoredBlock()
            case 1:
                try decodeSymbols(literals: .fixedLiterals, distances: .fixedDistances)
            case 2:
                let codes = try DynamicCodes.read(from: &reader)
                try decodeSymbols(literals: codes.literals, distances: codes.distances)
            default:
                throw .invalidBlockType
            }
        }
        reader.alignToByte()
    }

    /// Checked before every write, so a bomb fails before it allocates.
    private func ensureRoom(for count: Int) throws(CodecsError) {
        guard count <= budget - output.count else { throw .outputLimitExceeded(limit: limit) }
    }

    private mutating func copyStoredBlock() throws(CodecsError) {
        reader.alignToByte()
        let length = try reader.littleEndian(bytes: 2)
        let complement = try reader.littleEndian(bytes: 2)
        guard length == ~complement & 0xFFFF else { throw .storedLengthMismatch }
        try ensureRoom(for: Int(length))
        output.append(contentsOf: try reader.take(Int(length)))
    }

    /// Decodes literals and matches until end-of-block.
    private mutating func decodeSymbols(literals: HuffmanCode, distances: HuffmanCode) throws(CodecsError) {
        while true {
            let symbol = try literals.decode(from: &reader)
            if symbol < 256 {
                try ensureRoom(for: 1)
                output.append(UInt8(truncatingIfNeeded: symbol))
            } else if symbol == 256 {
                return
            } else {
                try copyMatch(lengthSymbol: symbol - 257, distances: distances)
            }
        }
    }

    private mutating func copyMatch(lengthSymbol: Int, distances: HuffmanCode) throws(CodecsError) {
        // 286 and 287 have fixed codes but no meaning.
        guard lengthSymbol < Self.lengthBase.count else { throw .invalidSymbol }
        let length = Self.lengthBase[lengthSymbol] + (try reader.bits(Self.lengthExtraBits[lengthSymbol]))
        let distanceSymbol = try distances.decode(from: &reader)
        guard distanceSymbol < Self.distanceBase.count else { throw .invalidSymbol }
        let distance = Self.distanceBase[distanceSymbol] + (try reader.bits(Self.distanceExtraBits[distanceSymbol]))
        guard distance <= output.count else { throw .distanceTooFarBack }
        try ensureRoom(for: length)
        // Byte by byte on purpose: when distance < length the copy reads bytes it has just written.
        let start = output.count - distance
        for offset in 0..<length {
            output.append(output[start + offset])
        }
    }

    // RFC 1951 §3.2.5: base values and extra-bit counts for length symbols 257...285 and distance symbols 0...29.
    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtraBits = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtraBits = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
}
