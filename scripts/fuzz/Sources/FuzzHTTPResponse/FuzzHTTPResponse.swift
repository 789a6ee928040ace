import FuzzSupport
import HTTP1

let limits = HTTPLimits(maxHeadBytes: 512, maxHeaderCount: 8, maxChunkLineBytes: 32)

/// The response parser (what the supervisor reads back from workers) never crashes and parses
/// the same whole as cut in two (and, up to 1 KiB, fed byte by byte), up to and including the
/// peer's close. Every response it accepts, written again by `HTTPResponseSerializer`, reads
/// back the same; and fields made of arbitrary bytes (CR and LF included) never split a
/// serialized response.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = FuzzInput(start, count)
    let whole = ParserFeed.parse(HTTPResponseParser(limits: limits), input.bytes, eof: true)
    let split = ParserFeed.parse(HTTPResponseParser(limits: limits), input.bytes, cuts: [input.cut], eof: true)
    fuzzRequire(whole == split, "cut at \(input.cut) gives \(split), whole gives \(whole)")
    if input.bytes.count <= 1024 {
        let bytewise = ParserFeed.parse(HTTPResponseParser(limits: limits), input.bytes, cuts: Array(input.bytes.indices.dropFirst()), eof: true)
        fuzzRequire(whole == bytewise, "byte by byte gives \(bytewise), whole gives \(whole)")
    }
    for (head, body) in completeResponses(whole.parts) {
        let response = HTTPResponse(status: head.status, fields: head.fields, body: body)
        let again = readBack(HTTPResponseSerializer.fixed(response, keepAlive: true))
        fuzzRequire(again?.status == head.status && again?.body == body, "\(response) reads back as \(String(describing: again))")
        fuzzRequire(again.map { payload($0.fields) } == payload(head.fields), "\(head.fields) read back as \(String(describing: again?.fields))")
    }
    checkNoSplitting(input.bytes)
    return 0
}

/// Each head with its whole body, for the responses that reached `.end`.
func completeResponses(_ parts: [HTTPResponsePart]) -> [(HTTPResponseHead, [UInt8])] {
    var out: [(HTTPResponseHead, [UInt8])] = []
    var head: HTTPResponseHead?
    var body: [UInt8] = []
    for part in parts {
        switch part {
        case .head(let h): head = h; body = []
        case .body(let b): body += b
        case .end: if let head { out.append((head, body)) }
        }
    }
    return out
}

/// The fields a serializer keeps (it writes the framing fields itself).
func payload(_ fields: HTTPFields) -> [HTTPFields.Field] {
    fields.filter { !["content-length", "transfer-encoding", "connection"].contains($0.name.lowercased()) }
}

/// The one response in `bytes`, or nil when they hold anything else (an error, a second
/// response, leftovers).
func readBack(_ bytes: [UInt8]) -> HTTPResponse? {
    var parser = HTTPResponseParser(limits: HTTPLimits(maxHeadBytes: 1 << 20, maxHeaderCount: 1 << 16))
    parser.append(bytes)
    var head: HTTPResponseHead?
    var body: [UInt8] = []
    do {
        while let part = try parser.next() {
            switch part {
            case .head(let h): if head != nil { return nil } else { head = h }
            case .body(let b): body += b
            case .end:
                guard parser.bufferedByteCount == 0, let head else { return nil }
                return HTTPResponse(status: head.status, fields: head.fields, body: body)
            }
        }
    } catch {
        return nil
    }
    return nil
}

/// Fields from raw bytes (NUL separates name, value, name, …): whatever they hold, the
/// serialized response is one response with no more field lines than were given.
func checkNoSplitting(_ bytes: [UInt8]) {
    let pieces = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    var fields = HTTPFields()
    for i in stride(from: 0, to: pieces.count - 1, by: 2) { fields.append(pieces[i], pieces[i + 1]) }
    let body = Array(bytes.prefix(16))
    let written = HTTPResponseSerializer.fixed(HTTPResponse(status: 200, fields: fields, body: body), keepAlive: true)
    let again = readBack(written)
    fuzzRequire(again?.status == 200 && again?.body == body, "fields \(fields) split the response: \(String(decoding: written, as: UTF8.self))")
    fuzzRequire((again?.fields.count ?? 0) <= fields.count + 1, "fields \(fields) added lines: \(String(describing: again?.fields))")
    var stream = HTTPResponseSerializer.streamHead(status: 200, fields: fields, keepAlive: false)
    stream += HTTPResponseSerializer.chunk(body) + HTTPResponseSerializer.lastChunk
    let streamed = readBack(stream)
    fuzzRequire(streamed?.status == 200 && streamed?.body == body, "fields \(fields) split the stream: \(String(decoding: stream, as: UTF8.self))")
}
