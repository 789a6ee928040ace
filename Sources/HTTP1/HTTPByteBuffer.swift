/// Bytes received but not yet parsed, with a read cursor instead of removal from the front.
///
/// Consuming only moves `readIndex`; the consumed prefix is dropped on a later `append`, once it
/// is at least as long as what remains, so every byte is moved at most a constant number of
/// times however the input is split.
///
/// While nothing is buffered, input can be borrowed instead of appended (`borrow`): it is parsed
/// where it was read, and only what is left of it at `endBorrowing` is copied in.
///
/// `@unchecked Sendable`: the borrowed pointer lives only between `borrow` and `endBorrowing`,
/// within one synchronous turn of the owner's thread; at rest the buffer holds only its array.
struct HTTPByteBuffer: @unchecked Sendable {
    private var storage: [UInt8] = []
    private var readIndex = 0
    /// The unconsumed part of borrowed input; `storage` is empty meanwhile.
    private var borrowed: UnsafeBufferPointer<UInt8>?

    var readableCount: Int { borrowed?.count ?? storage.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        endBorrowing()
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        endBorrowing()
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    /// Reads `bytes` in place rather than copying them (appends them if something is buffered
    /// already). They must stay valid and unchanged until `endBorrowing()`.
    mutating func borrow(_ bytes: UnsafeRawBufferPointer) {
        guard borrowed == nil, readableCount == 0 else { return append(bytes) }
        storage.removeAll(keepingCapacity: true)
        readIndex = 0
        borrowed = bytes.assumingMemoryBound(to: UInt8.self)
    }

    /// Copies in what is left of borrowed input.
    mutating func endBorrowing() {
        guard let rest = borrowed else { return }
        borrowed = nil
        storage.append(contentsOf: rest)
    }

    /// The readable byte at `offset` from the read cursor.
    subscript(offset: Int) -> UInt8 { borrowed.map { $0[offset] } ?? storage[readIndex + offset] }

    mutating func consume(_ count: Int) {
        precondition(count <= readableCount, "HTTPByteBuffer: consuming more than is buffered")
        if let rest = borrowed {
            borrowed = UnsafeBufferPointer(rebasing: rest[count...])
            return
        }
        readIndex += count
        if readIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readIndex = 0
        }
    }

    /// Copies out and consumes the first `count` readable bytes.
    mutating func read(_ count: Int) -> [UInt8] {
        let bytes = withReadableBytes { [UInt8](copying: UnsafeBufferPointer(rebasing: $0[..<count])) }
        consume(count)
        return bytes
    }

    /// Lends the first `count` readable bytes to `body` (valid only during the call), then
    /// consumes them: a proxy writes them out from here instead of copying them first.
    mutating func lend<R>(_ count: Int, to body: (UnsafeRawBufferPointer) -> R) -> R {
        let result = withReadableBytes { body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[..<count]))) }
        consume(count)
        return result
    }

    /// Runs `body` on the readable bytes (valid only inside `body`).
    func withReadableBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let borrowed { return body(borrowed) }
        return storage.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[readIndex...]))
        }
    }

    private mutating func compactIfWorthwhile() {
        guard readIndex > 0, readIndex >= storage.count - readIndex else { return }
        storage.removeSubrange(0..<readIndex)
        readIndex = 0
    }
}
