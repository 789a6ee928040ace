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
    /// Where the next line starts, from the read cursor: the head's bytes scanned so far,
    /// leading empty lines included.
    private var lineStart = 0
    /// Bytes after `lineStart` already known to hold no line end.
    private var scanned = 0
    /// Where the field lines start (after the start line), once it has been seen.
    private var fieldsStart: Int?
    private var spans: [HTTPFields.Span] = []

    init(limits: HTTPLimits, expectsStartLine: Bool) {
        maxHeadBytes = limits.maxHeadBytes
        maxFieldCount = limits.maxHeaderCount
        self.expectsStartLine = expectsStartLine
        if !expectsStartLine { fieldsStart = 0 }
    }

    private enum Step {
        case needMore
        case startLine(Range<Int>)
        case complete(fieldsEnd: Int)
    }

    /// The next start line or the complete field list; nil when more bytes are needed.
    ///
    /// The head stays in the buffer, unconsumed, until its empty line: then its field lines are
    /// copied into the `HTTPFields` in one piece and the head is consumed. After `.complete`
    /// the scanner is reset for the next head.
    mutating func next(_ buffer: inout HTTPByteBuffer) throws(HTTPParseError) -> Event? {
        let step = try buffer.withReadableBytes { bytes in Result { () throws(HTTPParseError) in try scan(bytes) } }.get()
        switch step {
        case .needMore:
            return nil
        case .startLine(let range):
            return .startLine(range)
        case .complete(let fieldsEnd):
            let fieldsStart = fieldsStart ?? 0
            let fields = buffer.withReadableBytes { HTTPFields(lines: UnsafeBufferPointer(rebasing: $0[fieldsStart..<fieldsEnd]), spans: spans) }
            buffer.consume(fieldsEnd + 2)
            reset()
            return .complete(fields)
        }
    }

    /// Scans the lines that have arrived, in one pass over the buffered bytes.
    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Step {
        while true {
            let rest = UnsafeBufferPointer(rebasing: bytes[lineStart...])
            let length: Int
            switch HTTPLineFinder.scan(rest, from: scanned, maxLineBytes: maxHeadBytes - lineStart) {
            case .incomplete(let resumeAt):
                scanned = resumeAt
                return .needMore
            case .failed(.bareLineFeed): throw .bareLineFeed
            case .failed(.bareCarriageReturn): throw .bareCarriageReturn
            case .failed(.tooLong): throw .headTooLarge(limit: maxHeadBytes)
            case .line(let found): length = found
            }
            let start = lineStart
            lineStart += length + 2
            scanned = 0
            guard let fieldsStart else {
                if length == 0 { continue }  // empty lines before a start line are skipped
                fieldsStart = lineStart
                return .startLine(start..<(start + length))
            }
            if length == 0 { return .complete(fieldsEnd: start) }
            guard spans.count < maxFieldCount else { throw .tooManyHeaders(limit: maxFieldCount) }
            if spans.isEmpty { spans.reserveCapacity(16) }  // typical heads fit without regrowing
            spans.append(try Self.parseField(UnsafeBufferPointer(rebasing: rest[..<(length + 2)]), at: start - fieldsStart))
        }
    }

    private mutating func reset() {
        lineStart = 0
        scanned = 0
        fieldsStart = expectsStartLine ? nil : 0
        spans = []
    }

    /// Splits one field line (given with its CRLF) into a token name and an OWS-trimmed value;
    /// `offset` is where the line lies among the head's field lines.
    private static func parseField(_ lineWithCRLF: UnsafeBufferPointer<UInt8>, at offset: Int) throws(HTTPParseError) -> HTTPFields.Span {
        let line = UnsafeBufferPointer(rebasing: lineWithCRLF[..<(lineWithCRLF.count - 2)])
        // A leading space or tab would continue the previous line (obs-fold): smuggling bait.
        if line[0] == HTTPByte.space || line[0] == HTTPByte.tab { throw .obsoleteLineFolding }
        // The name is checked while looking for its colon: one pass, one table load per byte.
        let classes = HTTPByte.nameBytes
        var colon = 0
        while colon < line.count, classes[Int(line[colon])] == .token { colon += 1 }
        guard colon < line.count else { throw .missingColon }
        guard classes[Int(line[colon])] == .colon else {
            // No colon at all is the worse fault, and the one reported.
            throw line[colon...].contains(HTTPByte.colon) ? .invalidHeaderName : .missingColon
        }
        guard colon > 0 else { throw .invalidHeaderName }
        var lower = colon + 1
        var upper = line.count
        while lower < upper, line[lower] == HTTPByte.space || line[lower] == HTTPByte.tab { lower += 1 }
        while upper > lower, line[upper - 1] == HTTPByte.space || line[upper - 1] == HTTPByte.tab { upper -= 1 }
        guard HTTPByte.areFieldContent(UnsafeBufferPointer(rebasing: line[lower..<upper])) else { throw .invalidHeaderValue }
        return HTTPFields.Span(
            start: offset, nameEnd: offset + colon, valueStart: offset + lower, end: offset + upper, lineEnd: offset + lineWithCRLF.count)
    }
}
