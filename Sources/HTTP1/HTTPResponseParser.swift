/// An incremental HTTP/1.1 response decoder, for answers read back from workers.
///
/// ```
///   ┌──────▶ head ──status line, fields, empty line──▶ body ──▶ .end ──┐
///   │         │ 1xx (not 101): interim, dropped                 │       │
///   │         └──▶ head                                         │       │
///   │                                                           │ EOF   │
///   │        Content-Length / chunked: ends by itself           ▼       │
///   │        neither: ends only at finishAtEOF() ──────────▶  .end      │
///   └───────────────────────────────────────────────────────────────────┘
///            any rule broken, or EOF mid-message ──▶ failed (rethrows forever)
/// ```
///
/// Same shape and limits as `HTTPRequestParser`, except that bodies have no size limit (they
/// are streamed through, never held) and a body without length or chunking runs until EOF.
/// 204 and 304 have no body. Answers to HEAD requests are out of scope: this parser does not
/// know the request method, so it would wait for a body a HEAD answer never carries; the
/// supervisor does not forward HEAD with a body-bearing answer through it.
public struct HTTPResponseParser: Sendable {
    private enum Phase: Sendable {
        case head
        case body
        case failed(HTTPParseError)
    }

    private let limits: HTTPLimits
    private var buffer = HTTPByteBuffer()
    private var phase = Phase.head
    private var scanner: HTTPHeadScanner
    private var statusLine: HTTPStartLine.Status?
    /// A 1xx answer was skipped: the final answer is still owed, so EOF now is a truncation.
    private var awaitingFinal = false
    private var body: HTTPBodyDecoder

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        scanner = HTTPHeadScanner(limits: limits, expectsStartLine: true)
        body = HTTPBodyDecoder(framing: .length(0), limits: limits, maxBodyBytes: Int.max)
    }

    /// Bytes appended but not yet consumed by `next()`.
    public var bufferedByteCount: Int { buffer.readableCount }

    /// Between responses with nothing buffered.
    public var isIdle: Bool {
        guard case .head = phase else { return false }
        return !awaitingFinal && buffer.readableCount == 0
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer.append($0) }
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Parses `bytes` where they are instead of copying them in: they must stay valid and
    /// unchanged until `endBorrowing()`, which copies in whatever part was not parsed.
    public mutating func borrow(_ bytes: UnsafeRawBufferPointer) {
        buffer.borrow(bytes)
    }

    public mutating func endBorrowing() {
        buffer.endBorrowing()
    }

    /// The next part of the current response, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPResponsePart? {
        guard let step = try failing({ (parser) throws(HTTPParseError) in try parser.step() }) else { return nil }
        return copied(step)
    }

    /// Like `next()`, but body bytes are lent to `handle` straight from the parser's buffer
    /// (valid only during the call) instead of being copied into an array: a proxy writes them
    /// out from there. `handle` must not use this parser.
    public mutating func withNext<R>(_ handle: (HTTPLentResponsePart?) -> R) throws(HTTPParseError) -> R {
        switch try failing({ (parser) throws(HTTPParseError) in try parser.step() }) {
        case nil: return handle(nil)
        case .head(let head): return handle(.head(head))
        case .body(let count): return buffer.lend(count) { handle(.body($0)) }
        case .end: return handle(.end)
        }
    }

    /// Call when the peer has closed; call repeatedly until it returns nil.
    ///
    /// It first returns whatever `next()` still has, then `.end` for a close-delimited body,
    /// then nil. It throws `.truncatedMessage` when the close cut a head or a framed body short.
    public mutating func finishAtEOF() throws(HTTPParseError) -> HTTPResponsePart? {
        try failing { (parser) throws(HTTPParseError) -> HTTPResponsePart? in
            if let step = try parser.step() { return parser.copied(step) }
            switch parser.phase {
            case .head:
                guard parser.isIdle else { throw .truncatedMessage }
                return nil
            case .body:
                guard try parser.body.finishAtEOF() != nil else { return nil }
                parser.phase = .head
                return .end
            case .failed(let error):
                throw error
            }
        }
    }

    /// What `step` found; body bytes are still in the buffer, for the caller to read or lend.
    private enum Step {
        case head(HTTPResponseHead)
        case body(count: Int)
        case end
    }

    /// The part a step found, its body bytes copied out of the buffer.
    private mutating func copied(_ step: Step) -> HTTPResponsePart {
        switch step {
        case .head(let head): .head(head)
        case .body(let count): .body(buffer.read(count))
        case .end: .end
        }
    }

    /// Runs `body`, turning its first error into the permanent state.
    private mutating func failing<T>(
        _ body: (inout HTTPResponseParser) throws(HTTPParseError) -> T
    ) throws(HTTPParseError) -> T {
        if case .failed(let error) = phase { throw error }
        do throws(HTTPParseError) {
            return try body(&self)
        } catch {
            phase = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> Step? {
        switch phase {
        case .head:
            return try nextHead().map(Step.head)
        case .body:
            switch try body.next(&buffer) {
            case nil: return nil
            case .body(let count): return .body(count: count)
            case .end:
                phase = .head
                return .end
            }
        case .failed(let error):
            throw error
        }
    }

    private mutating func nextHead() throws(HTTPParseError) -> HTTPResponseHead? {
        while let event = try scanner.next(&buffer) {
            switch event {
            case .startLine(let range):
                statusLine = try buffer.withReadableBytes { bytes in
                    Result { () throws(HTTPParseError) in try HTTPStartLine.parseStatus(UnsafeBufferPointer(rebasing: bytes[range])) }
                }.get()
            case .complete(let fields):
                guard let line = statusLine else { preconditionFailure("HTTPResponseParser: fields before a status line") }
                statusLine = nil
                if line.status == 101 { throw .unexpectedUpgrade }
                // Interim answers (100 Continue, 103 Early Hints) carry no body and are not forwarded.
                if (100..<200).contains(line.status) {
                    awaitingFinal = true
                    continue
                }
                awaitingFinal = false
                let head = HTTPResponseHead(status: line.status, reason: line.reason, version: line.version, fields: fields)
                body = HTTPBodyDecoder(framing: try HTTPBodyFraming.forResponse(head), limits: limits, maxBodyBytes: Int.max)
                phase = .body
                return head
            }
        }
        return nil
    }
}
