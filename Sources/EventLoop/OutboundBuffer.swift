import Posix

/// Bytes queued for a non-blocking socket: appended whole, written as far as the socket takes.
public struct OutboundBuffer {
    private var bytes: [UInt8] = []
    private var offset = 0

    public init() {}

    /// Bytes appended but not yet written.
    public var pendingCount: Int { bytes.count - offset }
    public var isEmpty: Bool { offset >= bytes.count }

    public mutating func append(_ more: [UInt8]) {
        if isEmpty {
            bytes = more
            offset = 0
        } else {
            bytes.append(contentsOf: more)
        }
    }

    public enum FlushResult { case done, wouldBlock, closed }

    /// Writes until empty or the socket is full; `closed` when the peer is gone (or a write failed).
    public mutating func flush(to fd: Int32) -> FlushResult {
        while offset < bytes.count {
            let result: IOResult
            do {
                result = try bytes.withUnsafeBytes { raw in try IO.write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            } catch { return .closed }
            switch result {
            case .done(let n): offset += n
            case .wouldBlock: return .wouldBlock
            case .closed: return .closed
            }
        }
        // Keep a modest buffer for the next answer; give a big one back.
        bytes.removeAll(keepingCapacity: bytes.capacity <= 65_536)
        offset = 0
        return .done
    }
}
