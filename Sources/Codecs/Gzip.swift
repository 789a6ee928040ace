// A gzip file (RFC 1952) is one or more members back to back; all integers are little-endian.
//
//   +-----+-----+----+-----+-----+-----+-----+-----+-----+----+
//   | ID1 | ID2 | CM | FLG |         MTIME         | XFL | OS |   ID1 ID2 = 1f 8b, CM = 8 (deflate)
//   +-----+-----+----+-----+-----+-----+-----+-----+-----+----+
//   FLG.FEXTRA    +-----+-----+==============+
//                 |   XLEN    | XLEN bytes   |
//                 +-----+-----+==============+
//   FLG.FNAME     file name, zero-terminated
//   FLG.FCOMMENT  comment, zero-terminated
//   FLG.FHCRC     +-----+-----+  low 16 bits of the CRC-32 of every header byte before it
//                 |  CRC16    |
//                 +-----+-----+
//   +==================================+
//   | DEFLATE stream (RFC 1951)        |   see Inflate.swift
//   +==================================+
//   +-----+-----+-----+-----+-----+-----+-----+-----+
//   |         CRC32         |         ISIZE         |   of the uncompressed member; ISIZE mod 2^32
//   +-----+-----+-----+-----+-----+-----+-----+-----+
//
//   FLG bits: 0 FTEXT, 1 FHCRC, 2 FEXTRA, 3 FNAME, 4 FCOMMENT, 5-7 reserved (must be zero)

/// gzip (RFC 1952) decompression: every member's header is parsed, its DEFLATE data inflated and
/// its CRC-32 and length checked.
///
/// Concatenated members are supported and their outputs joined, as `gzip -d` does (RFC 1952 §2.2:
/// "a gzip file consists of a series of members"); `maxOutputBytes` bounds the total. Anything
/// after a member that is not another member is rejected, including the zero padding gzip(1)
/// merely warns about.
public enum Gzip {
    /// The FLG bits; FTEXT (0x01) is only a hint that the data is probably text, so it changes nothing.
    private enum Flag {
        static let headerCRC: UInt8 = 0x02
        static let extra: UInt8 = 0x04
        static let name: UInt8 = 0x08
        static let comment: UInt8 = 0x10
        static let reserved: UInt8 = 0xE0
    }

    /// Whether `data` starts with the gzip magic bytes `1f 8b` (a cheap sniff, not a validation).
    public static func isGzip(_ data: [UInt8]) -> Bool {
        data.count >= 2 && data[0] == 0x1F && data[1] == 0x8B
    }

    /// Decompresses every member of `data`; producing more than `maxOutputBytes` bytes in total is an error.
    public static func decompress(_ data: [UInt8], maxOutputBytes: Int = 64 << 20) throws(CodecsError) -> [UInt8] {
        var reader = BitReader(data)
        var output: [UInt8] = []
        repeat {
            try skipHeader(&reader)
            var inflater = Inflater(reader: reader, budget: maxOutputBytes - output.count, limit: maxOutputBytes)
            try inflater.run()
            reader = inflater.reader
            try checkTrailer(&reader, against: inflater.output)
            // The common single-member case takes the array as is instead of copying it.
            if output.isEmpty {
                output = inflater.output
            } else {
                output.append(contentsOf: inflater.output)
            }
            guard reader.isAtEnd || data[reader.position...].starts(with: [0x1F, 0x8B]) else { throw .trailingData }
        } while !reader.isAtEnd
        return output
    }

    /// Reads one member header up to the first DEFLATE byte, checking what can be checked.
    private static func skipHeader(_ reader: inout BitReader) throws(CodecsError) {
        let start = reader.position
        guard try reader.byte() == 0x1F, try reader.byte() == 0x8B else { throw .notGzip }
        let method = try reader.byte()
        guard method == 8 else { throw .unsupportedMethod(method) }
        let flags = try reader.byte()
        guard flags & Flag.reserved == 0 else { throw .reservedFlags(flags) }
        _ = try reader.take(6)  // MTIME, XFL, OS: informational only
        if flags & Flag.extra != 0 {
            let length = try reader.littleEndian(bytes: 2)
            _ = try reader.take(Int(length))
        }
        if flags & Flag.name != 0 {
            try skipZeroTerminated(&reader)
        }
        if flags & Flag.comment != 0 {
            try skipZeroTerminated(&reader)
        }
        if flags & Flag.headerCRC != 0 {
            let actual = CRC32.checksum(reader.bytes[start..<reader.position]) & 0xFFFF
            guard try reader.littleEndian(bytes: 2) == actual else { throw .headerChecksumMismatch }
        }
    }

    /// FNAME and FCOMMENT are ISO 8859-1 text of any length; only their end matters here.
    private static func skipZeroTerminated(_ reader: inout BitReader) throws(CodecsError) {
        while try reader.byte() != 0 {}
    }

    private static func checkTrailer(_ reader: inout BitReader, against output: [UInt8]) throws(CodecsError) {
        let crc = try reader.littleEndian(bytes: 4)
        let size = try reader.littleEndian(bytes: 4)
        guard crc == CRC32.checksum(output) else { throw .checksumMismatch }
        guard size == UInt32(truncatingIfNeeded: output.count) else { throw .sizeMismatch }
    }
}
