import FuzzSupport
import HTTP1

let limits = HTTPLimits(maxHeadBytes: 512, maxHeaderCount: 8, maxChunkLineBytes: 32)

/// The response parser (what the supervisor reads back from workers) never crashes and parses
/// the same whole as cut in two, up to and including the peer's close.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let whole = ParserFeed.parse(HTTPResponseParser(limits: limits), input.bytes, eof: true)
    let split = ParserFeed.parse(HTTPResponseParser(limits: limits), input.bytes, cuts: [input.cut], eof: true)
    fuzzRequire(whole == split, "cut at \(input.cut) gives \(split), whole gives \(whole)")
    return 0
}
