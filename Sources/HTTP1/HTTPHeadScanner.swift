/// Reads a message head line by line: the start line, then header fields up to the empty line.
///
/// ```
///   head        = *( CRLF ) start-line CRLF *( field-line CRLF ) CRLF
///   field-line  = field-name ":" OWS field-value OWS
///   field-name  = 1*tchar                      (no space before the colon)
///   field-value = *( HTAB / SP / VCHAR / obs-text )
/// ```
///
/// Shared by the request parser, the response parser and chunked trailers (which have no
/// start line), so line, field and limit rules are written once. The start line is handed back
/// raw as soon as it is complete, so a garbage request line fails at once, not at the end of
/// the head. Leading empty lines (RFC 9112 §2.2) count against `maxHeadBytes`, which bounds them.
struct HTTPHeadScanner {
    enum Event {
        /// Where the start line lies, from the buffer's read cursor; valid until `.complete`
        /// (nothing of a head is consumed before it is whole).
        case startLine(Range<Int>)
        case complete(HTTPFields)
    }

    private let maxHeadBytes: Int
    private let maxFieldCount: Int
    private let expectsStartLine: Bool
    private var finder = HTTPLineFinder()
    /// Leading empty lines already consumed: they count against `maxHeadBytes`.
    private(set) var consumedBytes = 0
    /// Where the next line starts, from the read cursor: the head's bytes scanned so far.
    private var lineStart = 0
    /// Where the field lines start (after the start line), once it has been seen.
    private var fieldsStart: Int?
    private var spans: [HTTPFields.Span] = []

    init(limits: HTTPLimits, expectsStartLine: Bool) {
        maxHeadBytes = limits.maxHeadBytes
        maxFieldCount = limits.maxHeaderCount
        self.expectsStartLine = expectsStartLine
        if !expectsStartLine { fieldsStart = 0 }
    }

    /// The next start line or the complete field list; nil when more bytes are needed.
    ///
    /// The head stays in the buffer, unconsumed, until its empty line: then its field lines are
    /// copied into the `HTTPFields` in one piece and the head is consumed. After `.complete`
    /// the scanner is reset for the next head.
    mutating func next(_ buffer: inout HTTPByteBuffer) throws(HTTPParseError) -> Event? {
        while let length = try nextLine(in: buffer) {
            guard let fieldsStart else {
                if length == 0 {
                    buffer.consume(2)
                    consumedBytes += 2
                    continue
                }
                fieldsStart = length + 2
                lineStart = length + 2
                return .startLine(0..<length)
            }
            let lineStart = self.lineStart
            if length == 0 {
                let fields = buffer.withReadableBytes { HTTPFields(lines: UnsafeBufferPointer(rebasing: $0[fieldsStart..<lineStart]), spans: spans) }
                buffer.consume(lineStart + 2)
                reset()
                return .complete(fields)
            }
            guard spans.count < maxFieldCount else { throw .tooManyHeaders(limit: maxFieldCount) }
            let span = try buffer.withReadableBytes {
                Self.parseField(UnsafeBufferPointer(rebasing: $0[lineStart..<(lineStart + length + 2)]), at: lineStart - fieldsStart)
            }.get()
            if spans.isEmpty { spans.reserveCapacity(16) }  // typical heads fit without regrowing
            spans.append(span)
            self.lineStart += length + 2
        }
        return nil
    }

    private mutating func nextLine(in buffer: HTTPByteBuffer) throws(HTTPParseError) -> Int? {
        do throws(HTTPLineFinder.Failure) {
            return try finder.nextLine(in: buffer, from: lineStart, maxLineBytes: maxHeadBytes - consumedBytes - lineStart)
        } catch {
            switch error {
            case .bareLineFeed: throw .bareLineFeed
            case .bareCarriageReturn: throw .bareCarriageReturn
            case .tooLong: throw .headTooLarge(limit: maxHeadBytes)
            }
        }
    }

    private mutating func reset() {
        consumedBytes = 0
        lineStart = 0
        fieldsStart = expectsStartLine ? nil : 0
        spans = []
        finder = HTTPLineFinder()
    }

    /// Splits one field line (given with its CRLF) into a token name and an OWS-trimmed value;
    /// `offset` is where the line lies among the head's field lines.
    private static func parseField(_ lineWithCRLF: UnsafeBufferPointer<UInt8>, at offset: Int) -> Result<HTTPFields.Span, HTTPParseError> {
        let line = UnsafeBufferPointer(rebasing: lineWithCRLF[..<(lineWithCRLF.count - 2)])
        // A leading space or tab would continue the previous line (obs-fold): smuggling bait.
        if line[0] == HTTPByte.space || line[0] == HTTPByte.tab { return .failure(.obsoleteLineFolding) }
        guard let colon = line.firstIndex(of: HTTPByte.colon) else { return .failure(.missingColon) }
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        guard !name.isEmpty, name.allSatisfy(HTTPByte.isToken) else { return .failure(.invalidHeaderName) }
        var lower = colon + 1
        var upper = line.count
        while lower < upper, line[lower] == HTTPByte.space || line[lower] == HTTPByte.tab { lower += 1 }
        while upper > lower, line[upper - 1] == HTTPByte.space || line[upper - 1] == HTTPByte.tab { upper -= 1 }
        guard HTTPByte.areFieldContent(UnsafeBufferPointer(rebasing: line[lower..<upper])) else { return .failure(.invalidHeaderValue) }
        return .success(HTTPFields.Span(
            start: offset, nameEnd: offset + colon, valueStart: offset + lower, end: offset + upper, lineEnd: offset + lineWithCRLF.count))
    }
}
