/// One libFuzzer input seen as a byte stream plus a cut: the first byte says where (in
/// proportion, 0 = before everything, 255 = after everything) the rest is split in two.
public struct FuzzInput {
    public let bytes: [UInt8]
    public let cut: Int

    public init(_ start: UnsafeRawPointer, _ count: Int) {
        let all = Array(UnsafeRawBufferPointer(start: start, count: count))
        let rest = Array(all.dropFirst())
        bytes = rest
        cut = all.first.map { Int($0) * rest.count / 255 } ?? 0
    }
}

/// Stops the run with a message libFuzzer shows next to the input it saves: a broken property
/// is a finding just like a crash.
public func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    fatalError("fuzz property broken: \(message())")
}
