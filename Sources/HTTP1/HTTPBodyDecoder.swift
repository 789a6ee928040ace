/// Cuts one message body out of the byte stream and removes its chunk framing.
///
/// ```
///   chunked-body = *chunk last-chunk trailer-section CRLF
///   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
///   chunk-size   = 1*HEXDIG
///   chunk-ext    = BWS ";" ...              (checked for control bytes, otherwise ignored)
///   last-chunk   = 1*"0" [ chunk-ext ] CRLF
///
///   length(n) ──n bytes──▶ done        untilClose ──EOF (caller)──▶ done
///   chunkSize ──n>0──▶ chunkData(n) ──n bytes──▶ chunkDataEnd ──CRLF──▶ chunkSize
///       └──0──▶ trailers ──empty line──▶ done
/// ```
///
/// Body bytes are handed out as soon as they are buffered: a proxy forwards them without
/// waiting for the end. Trailer fields are validated like header fields, then discarded.
struct HTTPBodyDecoder {
    enum Output: Equatable {
        /// The next `count` readable bytes of the buffer are body: the caller takes them (reads
        /// or lends them) before asking for more.
        case body(count: Int)
        case end
    }

    private enum State: Equatable {
        case length(remaining: Int)
        case untilClose
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case done
    }

    private var state: State
    private var finder = HTTPLineFinder()
    private var trailers: HTTPHeadScanner
    private var declaredBytes = 0
    private let maxBodyBytes: Int
    private let maxChunkLineBytes: Int

    /// `maxBodyBytes` bounds chunked bodies as they arrive; pass `Int.max` for no bound.
    init(framing: HTTPBodyFraming, limits: HTTPLimits, maxBodyBytes: Int) {
        switch framing {
        case .length(let length): state = .length(remaining: length)
        case .chunked: state = .chunkSize
        case .untilClose: state = .untilClose
        }
        trailers = HTTPHeadScanner(limits: limits, expectsStartLine: false)
        self.maxBodyBytes = maxBodyBytes
        maxChunkLineBytes = limits.maxChunkLineBytes
    }

    var isDone: Bool { state == .done }
    var isCloseDelimited: Bool { state == .untilClose }

    /// The next body piece or the end; nil when more bytes are needed.
    mutating func next(_ buffer: inout HTTPByteBuffer) throws(HTTPParseError) -> Output? {
        while true {
            switch state {
            case .length(let remaining):
                if remaining == 0 {
                    state = .done
                    return .end
                }
                guard let count = available(upTo: remaining, in: buffer) else { return nil }
                state = .length(remaining: remaining - count)
                return .body(count: count)
            case .untilClose:
                return available(upTo: Int.max, in: buffer).map { .body(count: $0) }
            case .chunkSize:
                guard let size = try nextChunkSize(&buffer) else { return nil }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard let count = available(upTo: remaining, in: buffer) else { return nil }
                state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .body(count: count)
            case .chunkDataEnd:
                guard try consumeChunkTerminator(&buffer) else { return nil }
                state = .chunkSize
            case .trailers:
                guard try trailers.next(&buffer) != nil else { return nil }
                state = .done
                return .end
            case .done:
                return nil
            }
        }
    }

    /// Ends a close-delimited body at EOF; nil once done; throws when EOF cuts the body short.
    mutating func finishAtEOF() throws(HTTPParseError) -> Output? {
        switch state {
        case .untilClose:
            state = .done
            return .end
        case .done:
            return nil
        default:
            throw .truncatedMessage
        }
    }

    private func available(upTo limit: Int, in buffer: HTTPByteBuffer) -> Int? {
        let count = min(limit, buffer.readableCount)
        return count > 0 ? count : nil
    }

    private mutating func consumeChunkTerminator(_ buffer: inout HTTPByteBuffer) throws(HTTPParseError) -> Bool {
        // Checked byte by byte so a split between CR and LF fails or succeeds exactly as whole input.
        guard buffer.readableCount >= 1 else { return false }
        guard buffer[0] == HTTPByte.cr else { throw .invalidChunk }
        guard buffer.readableCount >= 2 else { return false }
        guard buffer[1] == HTTPByte.lf else { throw .invalidChunk }
        buffer.consume(2)
        return true
    }

    private mutating func nextChunkSize(_ buffer: inout HTTPByteBuffer) throws(HTTPParseError) -> Int? {
        let found: Int?
        do throws(HTTPLineFinder.Failure) {
            found = try finder.nextLine(in: buffer, maxLineBytes: maxChunkLineBytes)
        } catch {
            throw error == .tooLong ? .chunkLineTooLong(limit: maxChunkLineBytes) : .invalidChunk
        }
        guard let length = found else { return nil }
        let size = try buffer.withReadableBytes { Self.parseChunkSize(UnsafeBufferPointer(rebasing: $0[..<length])) }.get()
        buffer.consume(length + 2)
        // Rejected at the size line, before the chunk's data is read.
        guard size <= maxBodyBytes - declaredBytes else { throw .bodyTooLarge(limit: maxBodyBytes) }
        declaredBytes += size
        return size
    }

    private static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) -> Result<Int, HTTPParseError> {
        var index = 0
        var size = 0
        while index < line.count, let digit = HTTPByte.hexValue(line[index]) {
            // Below 2^59 one more hex digit cannot overflow; leading zeros never get here.
            guard size >> 59 == 0 else { return .failure(.invalidChunk) }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0 else { return .failure(.invalidChunk) }
        if index == line.count { return .success(size) }
        var extensionStart = index
        while extensionStart < line.count, line[extensionStart] == HTTPByte.space || line[extensionStart] == HTTPByte.tab {
            extensionStart += 1
        }
        guard extensionStart < line.count, line[extensionStart] == HTTPByte.semicolon,
            line[extensionStart...].allSatisfy(HTTPByte.isFieldContent)
        else { return .failure(.invalidChunk) }
        return .success(size)
    }
}
