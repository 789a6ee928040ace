/// Finds the next CRLF-terminated line in a buffer, resuming where the previous search stopped.
///
/// ```
///   line     = *( any byte except CR and LF ) CR LF
///   rejected : LF without CR before it; CR followed by anything but LF;
///              a line (CRLF included) longer than the caller's limit
/// ```
///
/// A search resumes after the bytes already known to hold no line end, so the outcome for a
/// given byte stream never depends on how it was split. The only lookahead is the byte after a
/// CR. The head scanner uses `scan` directly, over a head it keeps unconsumed.
struct HTTPLineFinder {
    enum Failure: Error, Equatable {
        case bareLineFeed
        case bareCarriageReturn
        case tooLong
    }

    /// Bytes after the read cursor already known to hold no line end.
    private var scanned = 0

    /// The length of the next line without its CRLF, or nil when it is incomplete.
    ///
    /// The caller must consume `length + 2` bytes before searching again.
    mutating func nextLine(in buffer: HTTPByteBuffer, maxLineBytes: Int) throws(Failure) -> Int? {
        let start = scanned
        let outcome = buffer.withReadableBytes { Self.scan($0, from: start, maxLineBytes: maxLineBytes) }
        switch outcome {
        case .line(let length):
            scanned = 0
            return length
        case .incomplete(let resumeAt):
            scanned = resumeAt
            return nil
        case .failed(let failure):
            throw failure
        }
    }

    enum Outcome {
        case line(Int)
        case incomplete(resumeAt: Int)
        case failed(Failure)
    }

    /// Where the line at the start of `bytes` ends, looking from `start` on (bytes before it
    /// are known to hold no line end).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, maxLineBytes: Int) -> Outcome {
        let end = min(bytes.count, max(maxLineBytes, 0))
        var index = start
        while index < end {
            // Eight bytes at a time to the first control byte up to CR (the only bytes that
            // end, or break, a line), which the word test points at directly.
            if index + 8 <= end {
                let word = UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                guard let first = HTTPByte.Word.firstByte(below: HTTPByte.cr + 1, in: word) else {
                    index += 8
                    continue
                }
                index += first
            }
            let byte = bytes[index]
            // One comparison keeps the common case (a printable byte) on the fast path.
            if byte > HTTPByte.cr {
                index += 1
                continue
            }
            if byte == HTTPByte.lf { return .failed(.bareLineFeed) }
            if byte == HTTPByte.cr {
                guard index + 1 < bytes.count else { return .incomplete(resumeAt: index) }
                guard bytes[index + 1] == HTTPByte.lf else { return .failed(.bareCarriageReturn) }
                guard index + 2 <= maxLineBytes else { return .failed(.tooLong) }
                return .line(index)
            }
            index += 1
        }
        return bytes.count > end ? .failed(.tooLong) : .incomplete(resumeAt: index)
    }
}
