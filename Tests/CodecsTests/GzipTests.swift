import Codecs
import Foundation
import Testing

/// The BTYPE of the first block of a member whose header has no optional fields.
private func firstBlockType(_ member: [UInt8]) -> UInt8 { (member[10] >> 1) & 3 }

struct GzipTests {
    @Test("decodes a stored block")
    func stored() throws {
        #expect(firstBlockType(GzipFixtures.stored) == 0)
        #expect(try Gzip.decompress(GzipFixtures.stored) == Array("stored, not compressed\n".utf8))
    }

    @Test("decodes a fixed-Huffman block")
    func fixedHuffman() throws {
        #expect(firstBlockType(GzipFixtures.fixedHuffman) == 1)
        #expect(try Gzip.decompress(GzipFixtures.fixedHuffman) == Array("Hello, hello, hello gzip!\n".utf8))
    }

    @Test("decodes a dynamic-Huffman block of JSON")
    func dynamicHuffman() throws {
        #expect(firstBlockType(GzipFixtures.dynamicHuffman) == 2)
        #expect(try Gzip.decompress(GzipFixtures.dynamicHuffman) == Array(GzipFixtures.clientsJSON.utf8))
    }

    @Test("skips the file name of a member with FNAME set")
    func named() throws {
        #expect(GzipFixtures.named[3] == 0x08)
        #expect(try Gzip.decompress(GzipFixtures.named) == Array(#"{"clients": []}"#.utf8) + [0x0A])
    }

    @Test("handles FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT together")
    func everyHeaderField() throws {
        #expect(GzipFixtures.everyHeaderField[3] == 0x1F)
        #expect(try Gzip.decompress(GzipFixtures.everyHeaderField) == Array("all header fields\n".utf8))
    }

    @Test("decodes a member of empty input to no bytes")
    func empty() throws {
        #expect(try Gzip.decompress(GzipFixtures.empty) == [])
    }

    @Test("checks the CRC-32 against the standard check value 0xCBF43926 for \"123456789\"")
    func crcCheckValue() throws {
        #expect(Array(GzipFixtures.checkValue.suffix(8).prefix(4)) == [0x26, 0x39, 0xF4, 0xCB])
        #expect(try Gzip.decompress(GzipFixtures.checkValue) == Array("123456789".utf8))
    }

    @Test("inflates a megabyte of zeros when the limit allows it, and exactly at the limit")
    func largeExpansion() throws {
        let zeros = try Gzip.decompress(GzipFixtures.megabyteOfZeros, maxOutputBytes: 1 << 20)
        #expect(zeros.count == 1 << 20)
        #expect(zeros.allSatisfy { $0 == 0 })
    }

    @Test("joins concatenated members, as gzip -d does")
    func concatenatedMembers() throws {
        let joined = GzipFixtures.stored + GzipFixtures.empty + GzipFixtures.fixedHuffman
        #expect(try Gzip.decompress(joined) == Array("stored, not compressed\nHello, hello, hello gzip!\n".utf8))
    }

    @Test("recognises the magic bytes and nothing else")
    func sniff() {
        #expect(Gzip.isGzip(GzipFixtures.stored))
        #expect(Gzip.isGzip([0x1F, 0x8B]))
        #expect(!Gzip.isGzip([0x1F]))
        #expect(!Gzip.isGzip([]))
        #expect(!Gzip.isGzip(Array(#"{"clients": []}"#.utf8)))
        #expect(!Gzip.isGzip(Array("H4sIAAAAAAAA".utf8)))  // base64 of gzip is not gzip yet
    }

    @Test(
        "decodes ~200 KB of generated text compressed by CPython at levels 1 and 9",
        .enabled(if: CPythonGzip.isAvailable, "python3 is not on PATH, so there is nothing to cross-check against"),
        arguments: [1, 9])
    func cpythonCrossCheck(level: Int) throws {
        let text = Self.generatedText(bytes: 200_000, seed: 0x5EED)
        let compressed = try CPythonGzip.compress(text, level: level)
        #expect(compressed.count < text.count / 2)
        #expect(try Gzip.decompress(compressed) == text)
    }

    /// JSON-ish lines of words drawn from a small vocabulary: compressible, but with enough
    /// variety for many dynamic blocks, long matches and distances across the whole 32 KB window.
    static func generatedText(bytes: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let words = [
            "tenant", "token", "scope", "tools", "read", "call", "limit", "burst", "rpm", "worker", "drain", "ready",
            "socket", "epoll", "signal", "restart", "budget", "backoff", "λ", "ünïcode", "🙂", "json", "rpc", "id",
        ]
        var text: [UInt8] = []
        var line = 0
        while text.count < bytes {
            let count = Int.random(in: 1...12, using: &random)
            let phrase = (0..<count).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
            let number = UInt32.random(in: 0...UInt32.max, using: &random) >> UInt32.random(in: 0...31, using: &random)
            text += Array(#"{"line": \#(line), "n": \#(number), "text": "\#(phrase)"}"#.utf8) + [0x0A]
            line += 1
        }
        return text
    }
}
