import Codecs
import Foundation
import Testing

struct Base64Tests {
    @Test("round-trips every length from 0 to 70 bytes and agrees with Foundation's encoder")
    func roundTrips() throws {
        var random = SplitMix64(seed: 64)
        for count in 0...70 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = Base64.encode(bytes)
            #expect(text == Data(bytes).base64EncodedString())
            #expect(text.utf8.count == (count + 2) / 3 * 4)
            #expect(Base64.decode(text) == bytes)
        }
    }

    @Test(
        "matches the RFC 4648 §10 test vectors both ways",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ])
    func rfcVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("padding is optional")
    func unpadded() {
        #expect(Base64.decode("Zg") == Array("f".utf8))
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
        #expect(Base64.decode("Zm9vYmE") == Array("fooba".utf8))
    }

    @Test("ignores line breaks every 76 columns (LF and CRLF) and other ASCII whitespace")
    func lineWrapped() {
        let bytes = (0..<300).map { UInt8($0 % 256) }
        let text = Base64.encode(bytes)
        var lines: [Substring] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        #expect(lines.count > 1)
        #expect(Base64.decode(lines.joined(separator: "\n") + "\n") == bytes)
        #expect(Base64.decode(lines.joined(separator: "\r\n") + "\r\n") == bytes)
        #expect(Base64.decode(" \tZm9v\u{0B}Ym\u{0C}Fy \n") == Array("foobar".utf8))
        #expect(Base64.decode("Zm9vYg=\n=\n") == Array("foob".utf8))
    }

    @Test("accepts the URL-safe alphabet, padded or not")
    func urlSafe() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0xFF]
        #expect(Base64.encode(bytes) == "+/+//w==")
        #expect(Base64.decode("-_-__w==") == bytes)
        #expect(Base64.decode("-_-__w") == bytes)
        #expect(Base64.decode("+_-/_w") == bytes)  // mixed alphabets are accepted too
    }

    @Test(
        "rejects foreign characters, misplaced padding and impossible lengths",
        arguments: [
            "Z", "Zm9vY", "Zg=", "Zg===", "=", "==", "====", "Zm9v=", "Zg==Zg==", "Zm=v", "Zm9v!", "Zm9v.", "Zm9v\0",
            "Zm9vé", "Zm9v\u{A0}", "Zm 9 v Y", "\"Zm9v\"",
        ])
    func rejects(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("whitespace alone decodes to nothing")
    func whitespaceOnly() {
        #expect(Base64.decode("") == [])
        #expect(Base64.decode(" \n\r\n") == [])
    }

    @Test("base64 of gzip, wrapped like `gzip | base64`, decodes back to the JSON (the CLIENTS_CONFIG path)")
    func base64OfGzip() throws {
        let wrapped = Base64.encode(GzipFixtures.dynamicHuffman).enumerated()
            .map { $0.offset > 0 && $0.offset % 76 == 0 ? "\n\($0.element)" : "\($0.element)" }.joined()
        let compressed = try #require(Base64.decode(wrapped))
        #expect(Gzip.isGzip(compressed))
        #expect(try Gzip.decompress(compressed) == Array(GzipFixtures.clientsJSON.utf8))
    }
}
