import Codecs
import Testing

/// The raw DEFLATE stream inside a member whose header has no optional fields.
private func deflateBody(of member: [UInt8]) -> [UInt8] { Array(member[10..<(member.count - 8)]) }

/// Fixed-code bit patterns of RFC 1951 §3.2.6.
private enum FixedCode {
    static func literal(_ byte: UInt8) -> (bits: Int, length: Int) {
        byte < 144 ? (0x30 + Int(byte), 8) : (0x190 + Int(byte) - 144, 9)
    }
    static func lengthOrEnd(_ symbol: Int) -> (bits: Int, length: Int) {
        symbol < 280 ? (symbol - 256, 7) : (0xC0 + symbol - 280, 8)
    }
    static func distance(_ symbol: Int) -> (bits: Int, length: Int) { (symbol, 5) }
}

struct InflateTests {
    @Test("inflates the raw DEFLATE inside each CPython member")
    func rawBodies() throws {
        #expect(try Inflate.inflate(deflateBody(of: GzipFixtures.stored)) == Array("stored, not compressed\n".utf8))
        #expect(try Inflate.inflate(deflateBody(of: GzipFixtures.dynamicHuffman)) == Array(GzipFixtures.clientsJSON.utf8))
        #expect(try Inflate.inflate(deflateBody(of: GzipFixtures.empty)) == [])
    }

    @Test("decodes hand-built stored and fixed blocks, including an overlapping copy")
    func handBuilt() throws {
        #expect(try Inflate.inflate([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]) == Array("abc".utf8))
        #expect(try Inflate.inflate([0x01, 0x00, 0x00, 0xFF, 0xFF]) == [])
        var writer = DeflateBitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        writer.write(code: FixedCode.literal(UInt8(ascii: "a")))
        writer.write(code: FixedCode.literal(UInt8(ascii: "b")))
        writer.write(code: FixedCode.lengthOrEnd(265))  // lengths 11...12
        writer.write(1, bits: 1)  // 12
        writer.write(code: FixedCode.distance(1))  // distance 2
        writer.write(code: FixedCode.lengthOrEnd(256))
        #expect(try Inflate.inflate(writer.bytes) == Array("abababababababab"[...].prefix(14).utf8))
    }

    @Test("rejects bytes after the final block")
    func trailingBytes() {
        #expect(throws: CodecsError.trailingData) { try Inflate.inflate([0x03, 0x00, 0x00]) }
    }

    @Test("rejects a stored block whose NLEN is not the complement of LEN, or that is cut short")
    func storedErrors() {
        #expect(throws: CodecsError.storedLengthMismatch) { try Inflate.inflate([0x01, 0x05, 0x00, 0x05, 0x00]) }
        #expect(throws: CodecsError.truncated) { try Inflate.inflate([0x01, 0x05, 0x00, 0xFA, 0xFF, 0x61]) }
        #expect(throws: CodecsError.truncated) { try Inflate.inflate([]) }
        #expect(throws: CodecsError.invalidBlockType) { try Inflate.inflate([0x07]) }
    }

    @Test("a back-reference before the first byte is an error")
    func distanceTooFar() {
        var writer = DeflateBitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        writer.write(code: FixedCode.literal(0x61))
        writer.write(code: FixedCode.lengthOrEnd(257))
        writer.write(code: FixedCode.distance(1))  // distance 2, but only 1 byte exists
        writer.write(code: FixedCode.lengthOrEnd(256))
        #expect(throws: CodecsError.distanceTooFarBack) { try Inflate.inflate(writer.bytes) }
    }

    @Test("fixed-code symbols 286, 287 and distances 30, 31 are invalid", arguments: [(286, 0), (287, 0), (257, 30), (257, 31)])
    func reservedFixedSymbols(length: Int, distance: Int) {
        var writer = DeflateBitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        writer.write(code: FixedCode.literal(0x61))
        writer.write(code: FixedCode.lengthOrEnd(length))
        writer.write(code: FixedCode.distance(distance))
        writer.write(code: FixedCode.lengthOrEnd(256))
        #expect(throws: CodecsError.invalidSymbol) { try Inflate.inflate(writer.bytes) }
    }

    @Test("a dynamic block may declare at most 286 literal/length and 30 distance codes")
    func tooManyCodes() {
        for (literals, distances) in [(287, 1), (288, 1), (257, 31), (257, 32)] {
            var writer = DeflateBitWriter()
            writer.beginDynamicBlock(literalCodes: literals, distanceCodes: distances, codeLengthLengths: [0: 1, 18: 1])
            #expect(throws: CodecsError.tooManyCodes) { try Inflate.inflate(writer.bytes) }
        }
    }

    @Test("rejects over-subscribed and incomplete code-length codes")
    func badCodeLengthCodes() {
        var oversubscribed = DeflateBitWriter()
        oversubscribed.beginDynamicBlock(literalCodes: 257, distanceCodes: 1, codeLengthLengths: [0: 1, 8: 1, 18: 1])
        #expect(throws: CodecsError.invalidHuffmanCode) { try Inflate.inflate(oversubscribed.bytes) }
        var incomplete = DeflateBitWriter()
        incomplete.beginDynamicBlock(literalCodes: 257, distanceCodes: 1, codeLengthLengths: [0: 1])
        #expect(throws: CodecsError.invalidHuffmanCode) { try Inflate.inflate(incomplete.bytes) }
    }

    @Test("rejects a repeat with nothing to repeat, and one that runs past the lengths")
    func badRepeats() {
        let codeLengths = [0: 2, 1: 2, 16: 2, 18: 2]
        let codes = canonicalCodes(codeLengths)
        var nothingBefore = DeflateBitWriter()
        nothingBefore.beginDynamicBlock(literalCodes: 257, distanceCodes: 1, codeLengthLengths: codeLengths)
        nothingBefore.write(code: codes[16]!)
        nothingBefore.write(0, bits: 2)
        #expect(throws: CodecsError.invalidLengthRepeat) { try Inflate.inflate(nothingBefore.bytes) }

        var overrun = DeflateBitWriter()
        overrun.beginDynamicBlock(literalCodes: 257, distanceCodes: 1, codeLengthLengths: codeLengths)
        overrun.write(code: codes[18]!)
        overrun.write(127, bits: 7)  // 138 zeros
        overrun.write(code: codes[18]!)
        overrun.write(127, bits: 7)  // 138 more: 276 > 258
        #expect(throws: CodecsError.invalidLengthRepeat) { try Inflate.inflate(overrun.bytes) }
    }

    @Test("rejects a dynamic block without an end-of-block code")
    func missingEndOfBlock() {
        let codeLengths = [0: 1, 18: 1]
        let codes = canonicalCodes(codeLengths)
        var writer = DeflateBitWriter()
        writer.beginDynamicBlock(literalCodes: 257, distanceCodes: 1, codeLengthLengths: codeLengths)
        writer.write(code: codes[18]!)
        writer.write(127, bits: 7)  // 138 zeros
        writer.write(code: codes[18]!)
        writer.write(120 - 11, bits: 7)  // 120 zeros: all 258 lengths are zero
        #expect(throws: CodecsError.missingEndOfBlockCode) { try Inflate.inflate(writer.bytes) }
    }

    /// A dynamic block whose literal/length lengths are `literals` and distance lengths `distances`
    /// (symbol → length), sent with a code-length code over 0...15 and 18.
    private func dynamicBlock(literals: [Int: Int], distances: [Int: Int], distanceCount: Int) -> DeflateBitWriter {
        let lengths = (0..<257 + 1).map { literals[$0] ?? 0 } + (0..<distanceCount).map { distances[$0] ?? 0 }
        let codeLengths = [0: 2, 1: 2, 2: 3, 3: 3, 18: 2]
        let codes = canonicalCodes(codeLengths)
        var writer = DeflateBitWriter()
        writer.beginDynamicBlock(literalCodes: 258, distanceCodes: distanceCount, codeLengthLengths: codeLengths)
        var index = 0
        while index < lengths.count {
            let zeros = lengths[index...].prefix { $0 == 0 }.count
            if zeros >= 11 {
                writer.write(code: codes[18]!)
                writer.write(min(zeros, 138) - 11, bits: 7)
                index += min(zeros, 138)
            } else {
                writer.write(code: codes[lengths[index]]!)
                index += 1
            }
        }
        return writer
    }

    @Test("accepts the incomplete codes RFC 1951 allows: one one-bit distance code, or end-of-block alone")
    func permittedIncompleteCodes() throws {
        let literals = [0x61: 1, 256: 2, 257: 2]
        let literalCodes = canonicalCodes(literals)
        var writer = dynamicBlock(literals: literals, distances: [0: 1], distanceCount: 1)
        writer.write(code: literalCodes[0x61]!)
        writer.write(code: literalCodes[257]!)  // length 3
        writer.write(code: (0, 1))  // distance 1
        writer.write(code: literalCodes[256]!)
        #expect(try Inflate.inflate(writer.bytes) == Array("aaaa".utf8))

        var onlyEnd = dynamicBlock(literals: [256: 1], distances: [:], distanceCount: 1)
        onlyEnd.write(code: (0, 1))
        #expect(try Inflate.inflate(onlyEnd.bytes) == [])
    }

    @Test("rejects other incomplete literal/length or distance codes")
    func forbiddenIncompleteCodes() {
        let twoOfFour = dynamicBlock(literals: [0x61: 2, 256: 2], distances: [0: 1], distanceCount: 1)
        #expect(throws: CodecsError.invalidHuffmanCode) { try Inflate.inflate(twoOfFour.bytes) }
        let distances = dynamicBlock(literals: [0x61: 1, 256: 1], distances: [0: 2, 1: 2], distanceCount: 2)
        #expect(throws: CodecsError.invalidHuffmanCode) { try Inflate.inflate(distances.bytes) }
        let oversubscribed = dynamicBlock(literals: [0x61: 1, 0x62: 1, 256: 1], distances: [0: 1], distanceCount: 1)
        #expect(throws: CodecsError.invalidHuffmanCode) { try Inflate.inflate(oversubscribed.bytes) }
    }

    @Test("a match needing a distance code that has no codes is an invalid symbol")
    func emptyDistanceCode() {
        let literals = [0x61: 1, 256: 2, 257: 2]
        let literalCodes = canonicalCodes(literals)
        var writer = dynamicBlock(literals: literals, distances: [:], distanceCount: 1)
        writer.write(code: literalCodes[0x61]!)
        writer.write(code: literalCodes[257]!)
        #expect(throws: CodecsError.invalidSymbol) { try Inflate.inflate(writer.bytes) }
    }

    @Test("2000 random mutations of a raw stream each inflate or throw, never crash")
    func mutations() {
        var random = SplitMix64(seed: 1951)
        let body = deflateBody(of: GzipFixtures.dynamicHuffman)
        var outcomes: Set<String> = []
        for _ in 0..<2000 {
            var mutant = body
            let index = Int.random(in: 0..<mutant.count, using: &random)
            mutant[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
            if Bool.random(using: &random) {
                mutant = Array(mutant.prefix(Int.random(in: 0...mutant.count, using: &random)))
            }
            do {
                _ = try Inflate.inflate(mutant, maxOutputBytes: 1 << 16)
                outcomes.insert("decoded")
            } catch {
                outcomes.insert("\(error)")
            }
        }
        #expect(outcomes.count >= 5, "outcomes: \(outcomes.sorted())")
    }
}
