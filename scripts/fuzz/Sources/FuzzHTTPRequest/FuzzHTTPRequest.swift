import FuzzSupport
import HTTP1

/// Small limits, so short inputs reach every limit check.
let limits = HTTPLimits(maxHeadBytes: 512, maxHeaderCount: 8, maxBodyBytes: 2048, maxChunkLineBytes: 32)

/// The request parser never crashes, parses the same whole as cut in two (and, for inputs up
/// to 1 KiB, as fed one byte at a time), and never hands out more body than `maxBodyBytes`
/// for one request.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let whole = ParserFeed.parse(HTTPRequestParser(limits: limits), input.bytes)
    let split = ParserFeed.parse(HTTPRequestParser(limits: limits), input.bytes, cuts: [input.cut])
    fuzzRequire(whole == split, "cut at \(input.cut) gives \(split), whole gives \(whole)")
    if input.bytes.count <= 1024 {
        let bytewise = ParserFeed.parse(HTTPRequestParser(limits: limits), input.bytes, cuts: Array(input.bytes.indices.dropFirst()))
        fuzzRequire(whole == bytewise, "byte by byte gives \(bytewise), whole gives \(whole)")
    }
    fuzzRequire(whole.largestBody <= limits.maxBodyBytes, "a body of \(whole.largestBody) bytes passed the limit")
    return 0
}
