/// Bytes received but not yet parsed, with a read cursor instead of removal from the front.
///
/// Consuming only moves `readIndex`; the consumed prefix is dropped on a later `append`, once it
/// is at least as long as what remains, so every byte is moved at most a constant number of
/// times however the input is split.
struct HTTPByteBuffer {
    private var storage: [UInt8] = []
    private var readIndex = 0

    var readableCount: Int { storage.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    /// The readable byte at `offset` from the read cursor.
    subscript(offset: Int) -> UInt8 { storage[readIndex + offset] }

    mutating func consume(_ count: Int) {
        precondition(count <= readableCount, "HTTPByteBuffer: consuming more than is buffered")
        readIndex += count
        if readIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readIndex = 0
        }
    }

    /// Copies out and consumes the first `count` readable bytes.
    mutating func read(_ count: Int) -> [UInt8] {
        let bytes = Array(storage[readIndex..<readIndex + count])
        consume(count)
        return bytes
    }

    /// Lends the first `count` readable bytes to `body` (valid only during the call), then
    /// consumes them: a proxy writes them out from here instead of copying them first.
    mutating func lend<R>(_ count: Int, to body: (UnsafeRawBufferPointer) -> R) -> R {
        let result = storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[readIndex..<readIndex + count])) }
        consume(count)
        return result
    }

    /// Runs `body` on the readable bytes (valid only inside `body`).
    func withReadableBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[readIndex...]))
        }
    }

    private mutating func compactIfWorthwhile() {
        guard readIndex > 0, readIndex >= storage.count - readIndex else { return }
        storage.removeSubrange(0..<readIndex)
        readIndex = 0
    }
}
