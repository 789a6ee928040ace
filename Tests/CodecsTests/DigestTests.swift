import Codecs
import Testing

private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

struct SHA256Tests {
    @Test("FIPS 180-2 vectors: \"abc\", empty, 448-bit message")
    func shortVectors() {
        #expect(hex(SHA256.hash(bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(SHA256.hash(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("FIPS 180-2 vector: one million 'a', fed in uneven pieces")
    func millionA() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let count = min(piece, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            remaining -= count
            piece = piece % 997 + 13  // crosses block boundaries at every offset
        }
        #expect(hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("messages of every length around the padding boundary hash like one-shot")
    func paddingBoundaries() {
        for length in 50...70 {
            let message = [UInt8](repeating: 0x61, count: length)
            var split = SHA256()
            split.update(Array(message[..<(length / 2)]))
            split.update(Array(message[(length / 2)...]))
            #expect(split.finalize() == SHA256.hash(message))
        }
    }
}

struct HMACTests {
    static let key131 = [UInt8](repeating: 0xaa, count: 131)

    @Test(
        "RFC 4231 test cases 1-4, 6, 7",
        arguments: [
            ([UInt8](repeating: 0x0b, count: 20), bytes("Hi There"),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (bytes("Jefe"), bytes("what do ya want for nothing?"),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            (key131, bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            (key131, bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ] as [([UInt8], [UInt8], String)])
    func rfc4231(key: [UInt8], data: [UInt8], expected: String) {
        let mac = HMACSHA256(key: key)
        #expect(hex(mac.authenticationCode(for: data)) == expected)
        // The keyed midstates are reusable: a second MAC with the same value is identical.
        #expect(hex(mac.authenticationCode(for: data)) == expected)
    }

    @Test("constant-time comparison")
    func constantTimeEqual() {
        #expect(HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
