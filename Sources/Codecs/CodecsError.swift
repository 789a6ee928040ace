/// Why a gzip member or raw DEFLATE stream could not be decoded; every case is a property of the input.
///
/// Base64 reports failure as `nil` instead, because it has exactly one way to fail ("not Base64").
public enum CodecsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended inside a header, a block or the trailer.
    case truncated
    /// The first two bytes are not the gzip magic `1f 8b`.
    case notGzip
    /// The gzip CM byte is not 8; no other method has ever been defined.
    case unsupportedMethod(UInt8)
    /// FLG has one of the reserved bits 5–7 set; RFC 1952 says such a member must be rejected.
    case reservedFlags(UInt8)
    /// The FHCRC field does not match the header bytes before it.
    case headerChecksumMismatch
    /// A DEFLATE block header has BTYPE 3.
    case invalidBlockType
    /// A stored block's NLEN is not the ones' complement of LEN.
    case storedLengthMismatch
    /// A dynamic block declares more than 286 literal/length or 30 distance codes.
    case tooManyCodes
    /// A Huffman code is over-subscribed, or incomplete where RFC 1951 does not allow it.
    case invalidHuffmanCode
    /// A code-length repeat has no previous length to repeat, or runs past the declared count.
    case invalidLengthRepeat
    /// A dynamic block gives the end-of-block symbol (256) no code, so the block could never end.
    case missingEndOfBlockCode
    /// The bits match no code, or decode to a length or distance symbol the format reserves.
    case invalidSymbol
    /// A back-reference points before the first byte of output.
    case distanceTooFarBack
    /// Decompressing would produce more than `limit` bytes (a decompression-bomb guard).
    case outputLimitExceeded(limit: Int)
    /// The gzip trailer's CRC-32 does not match the decompressed bytes.
    case checksumMismatch
    /// The gzip trailer's ISIZE does not match the decompressed length modulo 2^32.
    case sizeMismatch
    /// Bytes follow the end of the stream that are not another gzip member.
    case trailingData

    public var description: String {
        switch self {
        case .truncated: "The compressed data ends before the stream is complete."
        case .notGzip: "The data does not start with the gzip magic bytes 1f 8b."
        case .unsupportedMethod(let method): "The gzip member uses compression method \(method); only 8 (deflate) exists."
        case .reservedFlags(let flags): "The gzip header sets reserved flag bits (FLG = \(flags))."
        case .headerChecksumMismatch: "The gzip header checksum (FHCRC) does not match the header."
        case .invalidBlockType: "A DEFLATE block uses the reserved block type 3."
        case .storedLengthMismatch: "A stored DEFLATE block's length and its complement disagree."
        case .tooManyCodes: "A dynamic DEFLATE block declares more codes than the format allows."
        case .invalidHuffmanCode: "A dynamic DEFLATE block describes an over-subscribed or incomplete Huffman code."
        case .invalidLengthRepeat: "A dynamic DEFLATE block repeats a code length that does not exist or overruns the table."
        case .missingEndOfBlockCode: "A dynamic DEFLATE block has no code for end-of-block."
        case .invalidSymbol: "The DEFLATE data contains a code that decodes to no valid symbol."
        case .distanceTooFarBack: "A DEFLATE back-reference points before the start of the output."
        case .outputLimitExceeded(let limit): "The decompressed data would exceed the limit of \(limit) bytes."
        case .checksumMismatch: "The decompressed data does not match the CRC-32 in the gzip trailer."
        case .sizeMismatch: "The decompressed length does not match ISIZE in the gzip trailer."
        case .trailingData: "Unexpected bytes follow the end of the compressed data."
        }
    }
}
