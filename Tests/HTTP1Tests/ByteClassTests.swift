import Testing

@testable import HTTP1

struct ByteClassTests {
    @Test("isToken admits exactly RFC 9110's tchar, for all 256 byte values")
    func tokenBytes() {
        let tchar = Set(Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByte.isToken(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }
}
