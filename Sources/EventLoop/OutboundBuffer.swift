import Glibc
import Posix

/// Bytes queued for a non-blocking socket: appended whole, written as far as the socket takes.
///
/// Large pieces (a body) are kept as they are and written together with their neighbours by
/// one `sendmsg` with several buffers, instead of being copied behind a head; small pieces are
/// joined (a chunk's size line and its data cost one buffer, not three).
public struct OutboundBuffer {
    /// A queued piece; `reusable` when its storage is the buffer's own (`append(writing:)`),
    /// so it can be kept for the next piece once written out.
    private struct Segment {
        var bytes: [UInt8]
        var reusable: Bool
    }

    private var segments: [Segment] = []
    /// The storage of a written-out piece of our own, empty, kept for the next
    /// `append(writing:)`: a connection's heads reuse one array instead of allocating one each.
    private var spare: [UInt8] = []
    /// Pieces larger than this give their storage back instead of keeping it as `spare`.
    private static let spareLimit = 4096
    /// Bytes of `segments[0]` already written.
    private var offset = 0
    public private(set) var pendingCount = 0
    /// Below this size a piece is copied onto the previous one rather than kept apart.
    private static let joinLimit = 2048
    /// Buffers per system call.
    private static let maxBuffers = 16

    public init() {}

    public var isEmpty: Bool { pendingCount == 0 }

    public mutating func append(_ more: [UInt8]) {
        guard !more.isEmpty else { return }
        pendingCount += more.count
        if more.count < Self.joinLimit, let last = segments.indices.last, segments[last].bytes.count < Self.joinLimit * 4 {
            segments[last].bytes += more
        } else {
            segments.append(Segment(bytes: more, reusable: false))
        }
    }

    /// Appends what `write` adds to the array it is handed: the last piece when that is small
    /// (it joins it), otherwise storage kept from an earlier piece (no allocation once the
    /// connection has sent something).
    public mutating func append(writing write: (inout [UInt8]) -> Void) {
        if let last = segments.indices.last, segments[last].bytes.count < Self.joinLimit * 4 {
            let before = segments[last].bytes.count
            write(&segments[last].bytes)
            pendingCount += segments[last].bytes.count - before
            return
        }
        var piece = spare
        spare = []
        write(&piece)
        guard !piece.isEmpty else {
            spare = piece
            return
        }
        pendingCount += piece.count
        segments.append(Segment(bytes: piece, reusable: true))
    }

    public enum FlushResult { case done, wouldBlock, closed }

    /// Writes until empty or the socket is full; `closed` when the peer is gone (or a write failed).
    public mutating func flush(to fd: Int32) -> FlushResult {
        while !segments.isEmpty {
            let result: IOResult
            do { result = try write(fd) } catch { return .closed }
            switch result {
            case .done(let n): consume(n)
            case .wouldBlock: return .wouldBlock
            case .closed: return .closed
            }
        }
        return .done
    }

    /// Writes what is queued and then `lent` (bytes valid only during this call) with the same
    /// system call, and keeps a copy of whatever part of `lent` the socket did not take: a body
    /// goes from the parser's buffer to the socket without being copied on the way.
    public mutating func flush(to fd: Int32, thenLent lent: UnsafeRawBufferPointer) -> FlushResult {
        var rest = lent
        while !rest.isEmpty {
            let result: IOResult
            do { result = try write(fd, then: rest) } catch { return .closed }
            switch result {
            case .done(let n):
                let fromQueue = min(n, pendingCount)
                consume(fromQueue)
                rest = UnsafeRawBufferPointer(rebasing: rest[(n - fromQueue)...])
            case .wouldBlock:
                append(Array(rest))
                return .wouldBlock
            case .closed:
                return .closed
            }
        }
        return flush(to: fd)
    }

    /// One system call for the first pieces (up to `maxBuffers`), then `lent` if there is room.
    private func write(_ fd: Int32, then lent: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) throws(SystemError) -> IOResult {
        if segments.isEmpty { return try IO.write(fd, lent) }
        if segments.count == 1 && lent.isEmpty {
            let skip = offset
            return try segments[0].bytes.withUnsafeBytes { raw in
                Result { () throws(SystemError) in try IO.write(fd, UnsafeRawBufferPointer(rebasing: raw[skip...])) }
            }.get()
        }
        let queued = min(segments.count, Self.maxBuffers - (lent.isEmpty ? 0 : 1))
        let count = queued + (queued < segments.count || lent.isEmpty ? 0 : 1)
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { vectors in
            if count > queued { vectors[queued] = iovec(iov_base: UnsafeMutableRawPointer(mutating: lent.baseAddress), iov_len: lent.count) }
            return gather(0, queued, into: vectors) { Result { () throws(SystemError) in try IO.write(fd, vectors) } }
        }.get()
    }

    /// Fills `vectors` with pieces `index..<count`, each pointer valid while the nested closures
    /// run, then calls `body`.
    private func gather(
        _ index: Int, _ count: Int, into vectors: UnsafeMutableBufferPointer<iovec>, _ body: () -> Result<IOResult, SystemError>
    ) -> Result<IOResult, SystemError> {
        guard index < count else { return body() }
        let skip = index == 0 ? offset : 0
        return segments[index].bytes.withUnsafeBytes { raw in
            vectors[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip), iov_len: raw.count - skip)
            return gather(index + 1, count, into: vectors, body)
        }
    }

    private mutating func consume(_ written: Int) {
        pendingCount -= written
        var left = written
        while left > 0, let first = segments.first {
            let remaining = first.bytes.count - offset
            if left < remaining {
                offset += left
                return
            }
            left -= remaining
            var done = segments.removeFirst()
            if done.reusable, done.bytes.capacity <= Self.spareLimit, done.bytes.capacity > spare.capacity {
                done.bytes.removeAll(keepingCapacity: true)
                spare = done.bytes
            }
            offset = 0
        }
        if segments.isEmpty { offset = 0 }
    }
}
