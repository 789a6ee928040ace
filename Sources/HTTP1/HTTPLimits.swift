/// Size bounds a parser enforces so a peer cannot make it buffer without end.
///
/// Every limit is checked as bytes arrive, never after the fact: a head that grows past
/// `maxHeadBytes` fails on the first byte too many, not when its terminating CRLF finally shows up.
public struct HTTPLimits: Sendable, Equatable {
    /// Request line plus every header line, CRLFs included (leading empty lines count too);
    /// a chunked body's trailer section gets the same budget of its own.
    public var maxHeadBytes: Int
    /// Header field lines in one head (and in one chunked trailer section).
    public var maxHeaderCount: Int
    /// Decoded body bytes of one request; the response parser ignores it (answers are streamed).
    public var maxBodyBytes: Int
    /// One chunk-size line including its extensions and CRLF.
    public var maxChunkLineBytes: Int

    public init(
        maxHeadBytes: Int = 16384,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1_048_576,
        maxChunkLineBytes: Int = 1024
    ) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}
