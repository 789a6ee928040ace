import Foundation

/// SplitMix64: a tiny seeded generator, so every "random" test replays exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds raw DEFLATE streams bit by bit, to reach error paths no real compressor produces.
struct DeflateBitWriter {
    private(set) var bytes: [UInt8] = []
    private var usedBits = 8  // bits used in the last byte; 8 means "start a new byte"

    /// Writes `value` in `count` bits, least significant first (header fields, extra bits).
    mutating func write(_ value: Int, bits count: Int) {
        for bit in 0..<count {
            if usedBits == 8 {
                bytes.append(0)
                usedBits = 0
            }
            bytes[bytes.count - 1] |= UInt8((value >> bit) & 1) << UInt8(usedBits)
            usedBits += 1
        }
    }

    /// Writes a Huffman code, most significant bit first.
    mutating func write(code: (bits: Int, length: Int)) {
        for bit in stride(from: code.length - 1, through: 0, by: -1) {
            write((code.bits >> bit) & 1, bits: 1)
        }
    }

    /// Starts a final dynamic block: the counts, then the code-length code lengths in RFC order.
    mutating func beginDynamicBlock(literalCodes: Int, distanceCodes: Int, codeLengthLengths: [Int: Int]) {
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let transmitted = max(4, (order.lastIndex { codeLengthLengths[$0] != nil } ?? 0) + 1)
        write(1, bits: 1)
        write(2, bits: 2)
        write(literalCodes - 257, bits: 5)
        write(distanceCodes - 1, bits: 5)
        write(transmitted - 4, bits: 4)
        for symbol in order.prefix(transmitted) {
            write(codeLengthLengths[symbol] ?? 0, bits: 3)
        }
    }
}

/// The canonical Huffman codes for `lengths` (symbol → length), by RFC 1951 §3.2.2's own algorithm.
func canonicalCodes(_ lengths: [Int: Int]) -> [Int: (bits: Int, length: Int)] {
    var codes: [Int: (bits: Int, length: Int)] = [:]
    var next = 0
    for length in 1...15 {
        for symbol in lengths.keys.sorted() where lengths[symbol] == length {
            codes[symbol] = (next, length)
            next += 1
        }
        next <<= 1
    }
    return codes
}

/// python3 exited with a failure status.
struct PythonFailed: Error {
    let status: Int32
}

/// CPython's gzip module, run as a child process to compress data the test generated.
enum CPythonGzip {
    /// Whether `python3` is an executable somewhere on PATH.
    static var isAvailable: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }

    /// `gzip.compress(stdin, level)`; stdin comes from a temporary file so neither pipe can fill up and deadlock.
    static func compress(_ data: [UInt8], level: Int) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("codecs-\(UUID().uuidString).txt")
        try Data(data).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import gzip,sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read(), int(sys.argv[1])))",
            String(level),
        ]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PythonFailed(status: process.terminationStatus) }
        return [UInt8](compressed)
    }
}
