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
        case startLine([UInt8])
        case complete(HTTPFields)
    }

    private let maxHeadBytes: Int
    private let maxFieldCount: Int
    private let expectsStartLine: Bool
    private var finder = HTTPLineFinder()
    /// Bytes of the current head already consumed from the buffer.
    private(set) var consumedBytes = 0
    private var sawStartLine = false
    private var fields = HTTPFields()

    init(limits: HTTPLimits, expectsStartLine: Bool) {
        maxHeadBytes = limits.maxHeadBytes
        maxFieldCount = limits.maxHeaderCount
        self.expectsStartLine = expectsStartLine
    }

    /// The next start line or the complete field list; nil when more bytes are needed.
    ///
    /// After `.complete` the scanner is reset for the next head.
    mutating func next(_ buffer: inout HTTPByteBuffer) throws(HTTPParseError) -> Event? {
        while let length = try nextLine(in: buffer) {
            if expectsStartLine && !sawStartLine {
                let line = buffer.withReadableBytes { Array($0[..<length]) }
                consumeLine(length, from: &buffer)
                if length == 0 { continue }
                sawStartLine = true
                return .startLine(line)
            }
            if length == 0 {
                buffer.consume(2)
                let complete = fields
                reset()
                return .complete(complete)
            }
            guard fields.count < maxFieldCount else { throw .tooManyHeaders(limit: maxFieldCount) }
            try buffer.withReadableBytes { Self.parseField(UnsafeBufferPointer(rebasing: $0[..<(length + 2)]), into: &fields) }.get()
            consumeLine(length, from: &buffer)
        }
        return nil
    }

    private mutating func nextLine(in buffer: HTTPByteBuffer) throws(HTTPParseError) -> Int? {
        do throws(HTTPLineFinder.Failure) {
            return try finder.nextLine(in: buffer, maxLineBytes: maxHeadBytes - consumedBytes)
        } catch {
            switch error {
            case .bareLineFeed: throw .bareLineFeed
            case .bareCarriageReturn: throw .bareCarriageReturn
            case .tooLong: throw .headTooLarge(limit: maxHeadBytes)
            }
        }
    }

    private mutating func consumeLine(_ length: Int, from buffer: inout HTTPByteBuffer) {
        buffer.consume(length + 2)
        consumedBytes += length + 2
    }

    private mutating func reset() {
        consumedBytes = 0
        sawStartLine = false
        fields = HTTPFields()
        finder = HTTPLineFinder()
    }

    /// Splits one field line (given with its CRLF) into a token name and an OWS-trimmed value.
    private static func parseField(_ lineWithCRLF: UnsafeBufferPointer<UInt8>, into fields: inout HTTPFields) -> Result<Void, HTTPParseError> {
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
        let value = UnsafeBufferPointer(rebasing: line[lower..<upper])
        guard HTTPByte.areFieldContent(value) else { return .failure(.invalidHeaderValue) }
        fields.append(line: lineWithCRLF, nameLength: colon, value: lower..<upper)
        return .success(())
    }
}
