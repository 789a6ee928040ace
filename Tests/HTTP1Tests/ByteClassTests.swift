import Testing

@testable import HTTP1

struct ByteClassTests {
    @Test("isToken and the name-byte table admit exactly RFC 9110's tchar, for all 256 byte values")
    func tokenBytes() {
        let tchar = Set(Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByte.isToken(byte) == tchar.contains(byte), "byte \(byte)")
            let expected: HTTPByte.NameByte = byte == UInt8(ascii: ":") ? .colon : tchar.contains(byte) ? .token : .other
            #expect(HTTPByte.nameBytes[Int(byte)] == expected, "byte \(byte)")
        }
    }

    @Test("areFieldContent, eight bytes at a time, agrees with isFieldContent for every byte at every position")
    func fieldContentWords() {
        for byte in UInt8.min...UInt8.max {
            for length in 1...19 {
                for position in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = byte
                    let verdict = bytes.withUnsafeBufferPointer { HTTPByte.areFieldContent($0) }
                    #expect(verdict == HTTPByte.isFieldContent(byte), "byte \(byte) at \(position) of \(length)")
                }
            }
        }
        #expect([UInt8]().withUnsafeBufferPointer { HTTPByte.areFieldContent($0) })
    }

    @Test("Word.hasByte(below:) is exact for every byte value in every lane, beside bytes that borrow")
    func wordTest() {
        for limit: UInt8 in [1, 0x0E, 0x20] {
            for byte in UInt8.min...UInt8.max {
                for lane in 0..<8 {
                    // The other lanes hold the limit itself (no borrow of their own) or 0xFF.
                    for filler: UInt8 in [limit, 0xFF] {
                        var word = HTTPByte.Word.repeating(filler)
                        word &= ~(UInt64(0xFF) << (8 * lane))
                        word |= UInt64(byte) << (8 * lane)
                        #expect(HTTPByte.Word.hasByte(below: limit, in: word) == (byte < limit), "limit \(limit) byte \(byte) lane \(lane)")
                        if filler == limit {  // no other byte is below the limit: the first is this one, or none
                            #expect(HTTPByte.Word.firstByte(below: limit, in: word.littleEndian) == (byte < limit ? lane : nil))
                        }
                    }
                }
            }
        }
    }

    @Test("firstByte finds the lowest byte below the limit however many follow it, borrowing or not")
    func firstLowByte() {
        for first in 0..<8 {
            // The lowest-addressed low byte at `first`, then low and borrowing bytes after it.
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
            bytes[first] = 0
            for later in (first + 1)..<8 { bytes[later] = later % 2 == 0 ? 1 : 0x0D }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(HTTPByte.Word.firstByte(below: 0x0E, in: word) == first)
        }
    }

    @Test("the line finder stops at, or fails on, a control byte up to CR wherever it lies in a long line")
    func lineFinderWords() throws {
        for byte in UInt8(0)...HTTPByte.cr {
            for position in 0..<24 {
                var line = [UInt8](repeating: UInt8(ascii: "a"), count: 24)
                line[position] = byte
                var buffer = HTTPByteBuffer()
                (line + [HTTPByte.cr, HTTPByte.lf]).withUnsafeBytes { buffer.append($0) }
                var finder = HTTPLineFinder()
                let outcome = Result { () throws(HTTPLineFinder.Failure) -> Int? in try finder.nextLine(in: buffer, maxLineBytes: 1000) }
                switch byte {
                case HTTPByte.lf: #expect(outcome == .failure(.bareLineFeed), "at \(position)")
                case HTTPByte.cr: #expect(outcome == .failure(.bareCarriageReturn), "at \(position)")
                default: #expect(outcome == .success(24), "byte \(byte) at \(position)")
                }
            }
        }
    }
}
