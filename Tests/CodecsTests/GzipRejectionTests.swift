import Codecs
import Testing

/// `member` with the byte at `index` replaced.
private func patched(_ member: [UInt8], at index: Int, to byte: UInt8) -> [UInt8] {
    var copy = member
    copy[index] = byte
    return copy
}

struct GzipRejectionTests {
    @Test("rejects data without the gzip magic")
    func badMagic() {
        #expect(throws: CodecsError.notGzip) { try Gzip.decompress(patched(GzipFixtures.fixedHuffman, at: 1, to: 0x8C)) }
        #expect(throws: CodecsError.notGzip) { try Gzip.decompress(Array(#"{"clients": []}"#.utf8)) }
    }

    @Test("rejects methods other than deflate, and reserved flags")
    func headerFields() {
        #expect(throws: CodecsError.unsupportedMethod(7)) {
            try Gzip.decompress(patched(GzipFixtures.fixedHuffman, at: 2, to: 7))
        }
        #expect(throws: CodecsError.reservedFlags(0x20)) {
            try Gzip.decompress(patched(GzipFixtures.fixedHuffman, at: 3, to: 0x20))
        }
    }

    @Test("FHCRC catches a corrupted extra field")
    func headerChecksum() {
        let corrupted = patched(GzipFixtures.everyHeaderField, at: 12, to: 0x5A)
        #expect(throws: CodecsError.headerChecksumMismatch) { try Gzip.decompress(corrupted) }
    }

    @Test("every truncation of a member is an error, never a crash", arguments: ["stored", "fixed", "named", "every field"])
    func truncations(fixture: String) {
        let member = switch fixture {
        case "stored": GzipFixtures.stored
        case "fixed": GzipFixtures.fixedHuffman
        case "named": GzipFixtures.named
        default: GzipFixtures.everyHeaderField
        }
        for length in 0..<member.count {
            #expect(throws: CodecsError.truncated, "prefix of \(length) bytes") {
                try Gzip.decompress(Array(member.prefix(length)))
            }
        }
    }

    @Test("a flipped CRC-32 byte is a checksum mismatch")
    func flippedCRC() {
        let member = GzipFixtures.dynamicHuffman
        let index = member.count - 8
        #expect(throws: CodecsError.checksumMismatch) { try Gzip.decompress(patched(member, at: index, to: member[index] ^ 0x01)) }
    }

    @Test("a wrong ISIZE is a size mismatch")
    func wrongSize() {
        let member = GzipFixtures.dynamicHuffman
        let index = member.count - 4
        #expect(throws: CodecsError.sizeMismatch) { try Gzip.decompress(patched(member, at: index, to: member[index] &+ 1)) }
    }

    @Test("a megabyte of zeros stops at maxOutputBytes (decompression-bomb guard)")
    func bomb() {
        #expect(GzipFixtures.megabyteOfZeros.count < 1100)
        #expect(throws: CodecsError.outputLimitExceeded(limit: 1000)) {
            try Gzip.decompress(GzipFixtures.megabyteOfZeros, maxOutputBytes: 1000)
        }
    }

    @Test("the limit is inclusive and covers all members together")
    func limitBoundary() throws {
        let text = Array("Hello, hello, hello gzip!\n".utf8)
        #expect(try Gzip.decompress(GzipFixtures.fixedHuffman, maxOutputBytes: text.count) == text)
        #expect(throws: CodecsError.outputLimitExceeded(limit: text.count - 1)) {
            try Gzip.decompress(GzipFixtures.fixedHuffman, maxOutputBytes: text.count - 1)
        }
        let twice = GzipFixtures.fixedHuffman + GzipFixtures.fixedHuffman
        #expect(try Gzip.decompress(twice, maxOutputBytes: 2 * text.count) == text + text)
        #expect(throws: CodecsError.outputLimitExceeded(limit: 2 * text.count - 1)) {
            try Gzip.decompress(twice, maxOutputBytes: 2 * text.count - 1)
        }
    }

    @Test("block type 3 is rejected")
    func reservedBlockType() {
        let member = GzipFixtures.fixedHuffman
        #expect(throws: CodecsError.invalidBlockType) { try Gzip.decompress(patched(member, at: 10, to: member[10] | 0b110)) }
    }

    @Test("bytes after the last member that are not a member are rejected")
    func trailingGarbage() {
        #expect(throws: CodecsError.trailingData) { try Gzip.decompress(GzipFixtures.fixedHuffman + [0]) }
        #expect(throws: CodecsError.trailingData) { try Gzip.decompress(GzipFixtures.fixedHuffman + [0x1F]) }
        #expect(throws: CodecsError.truncated) { try Gzip.decompress(GzipFixtures.fixedHuffman + [0x1F, 0x8B]) }
    }

    @Test("2000 random mutations of a member each decode or throw, never crash")
    func mutations() {
        var random = SplitMix64(seed: 2000)
        let member = GzipFixtures.dynamicHuffman
        var decoded = 0
        var errors: Set<String> = []
        for _ in 0..<2000 {
            var mutant = member
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<mutant.count, using: &random)
                mutant[index] = Bool.random(using: &random)
                    ? UInt8.random(in: 0...255, using: &random) : mutant[index] ^ (1 << UInt8.random(in: 0...7, using: &random))
            }
            do {
                _ = try Gzip.decompress(mutant, maxOutputBytes: 1 << 20)
                decoded += 1
            } catch {
                errors.insert("\(error)")
            }
        }
        // Mostly the CRC catches the damage; the variety shows the mutations reach the decoder itself.
        #expect(errors.count >= 5, "distinct errors: \(errors.sorted())")
        #expect(decoded < 2000)
    }
}
