/// An incremental HTTP/1.1 request decoder: feed bytes with `append`, pull parts with `next`.
///
/// ```
///                 append(bytes)            next() → nil while a line or body piece is incomplete
///                      │
///   ┌──────────▶ ┌──────────┐ request line, fields, empty line ┌──────────┐
///   │            │   head   │ ─────── next() → .head ────────▶ │   body   │ ─ next() → .body(bytes) ─┐
///   │            └──────────┘   (framing decided here)         └──────────┘ ◀────────────────────────┘
///   │                 │                                          │    │
///   │                 │ any rule broken                          │    │ body complete (at once when
///   │                 ▼                                          │    │ the request has no body)
///   │            ┌──────────┐ ◀──────── bad chunk, too large ────┘    │
///   │            │  failed  │   every later next() rethrows           │
///   │            └──────────┘                                         │
///   └────────────────────────── next() → .end ────────────────────────┘
///                 (keep-alive: already buffered pipelined bytes are the next head)
/// ```
///
/// Pure and single-threaded like NIO's single-step decoders: it never does I/O and never
/// buffers more than the limits allow. The outcome does not depend on how input is split.
public struct HTTPRequestParser: Sendable {
    private enum Phase: Sendable {
        case head
        case body
        case failed(HTTPParseError)
    }

    private let limits: HTTPLimits
    private var buffer = HTTPByteBuffer()
    private var phase = Phase.head
    private var scanner: HTTPHeadScanner
    private var requestLine: HTTPStartLine.Request?
    private var body: HTTPBodyDecoder

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        scanner = HTTPHeadScanner(limits: limits, expectsStartLine: true)
        body = HTTPBodyDecoder(framing: .length(0), limits: limits, maxBodyBytes: limits.maxBodyBytes)
    }

    /// Bytes appended but not yet consumed by `next()`.
    public var bufferedByteCount: Int { buffer.readableCount }

    /// Between requests with nothing buffered: the keep-alive idle timer may run.
    public var isIdle: Bool {
        guard case .head = phase else { return false }
        return buffer.readableCount == 0
    }

    /// At least one byte of a new head has arrived (leading empty lines included): the
    /// head-receive timer should run. False once the head is complete, and after a failure.
    public var hasStartedRequest: Bool {
        guard case .head = phase else { return false }
        return buffer.readableCount > 0
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

    /// The next part of the current request, or nil when more bytes are needed.
    ///
    /// After `.end` the next call starts on the following request. Once this has thrown, it
    /// throws the same error forever: answer `error.status` and close the connection.
    public mutating func next() throws(HTTPParseError) -> HTTPRequestPart? {
        if case .failed(let error) = phase { throw error }
        do throws(HTTPParseError) {
            return try step()
        } catch {
            phase = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> HTTPRequestPart? {
        switch phase {
        case .head:
            return try nextHead()
        case .body:
            switch try body.next(&buffer) {
            case nil: return nil
            case .body(let count): return .body(buffer.read(count))
            case .end:
                phase = .head
                return .end
            }
        case .failed(let error):
            throw error
        }
    }

    private mutating func nextHead() throws(HTTPParseError) -> HTTPRequestPart? {
        while let event = try scanner.next(&buffer) {
            switch event {
            case .startLine(let range):
                requestLine = try buffer.withReadableBytes { bytes in
                    Result { () throws(HTTPParseError) in try HTTPStartLine.parseRequest(UnsafeBufferPointer(rebasing: bytes[range])) }
                }.get()
            case .complete(let fields):
                guard let line = requestLine else { preconditionFailure("HTTPRequestParser: fields before a request line") }
                requestLine = nil
                let head = HTTPRequestHead(method: line.method, target: line.target, version: line.version, fields: fields)
                let framing = try HTTPBodyFraming.forRequest(head, limits: limits)
                body = HTTPBodyDecoder(framing: framing, limits: limits, maxBodyBytes: limits.maxBodyBytes)
                phase = .body
                return .head(head)
            }
        }
        return nil
    }
}
