import Testing

@testable import HTTP1

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so a failing split pattern reproduces.
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

/// The two parsers seen through one interface, so feeding and merging are written once.
protocol IncrementalParser {
    associatedtype Part: Equatable & Sendable
    init(limits: HTTPLimits)
    mutating func append(_ bytes: [UInt8])
    mutating func next() throws(HTTPParseError) -> Part?
    /// What the parser does when the peer closes; requests have no such step.
    mutating func finish() throws(HTTPParseError) -> Part?
    static func bodyBytes(of part: Part) -> [UInt8]?
    static func body(_ bytes: [UInt8]) -> Part
}

extension HTTPRequestParser: IncrementalParser {
    mutating func finish() throws(HTTPParseError) -> HTTPRequestPart? { nil }

    static func bodyBytes(of part: HTTPRequestPart) -> [UInt8]? {
        if case .body(let bytes) = part { bytes } else { nil }
    }

    static func body(_ bytes: [UInt8]) -> HTTPRequestPart { .body(bytes) }
}

extension HTTPResponseParser: IncrementalParser {
    mutating func finish() throws(HTTPParseError) -> HTTPResponsePart? { try finishAtEOF() }

    static func bodyBytes(of part: HTTPResponsePart) -> [UInt8]? {
        if case .body(let bytes) = part { bytes } else { nil }
    }

    static func body(_ bytes: [UInt8]) -> HTTPResponsePart { .body(bytes) }
}

/// Everything a parser made of one byte stream: parts (adjacent body pieces merged) and the error that stopped it.
struct Outcome<Part: Equatable & Sendable>: Equatable, Sendable {
    var parts: [Part] = []
    var error: HTTPParseError?
}

/// Feeds byte streams to parsers in chosen pieces.
enum Feed {
    /// Appends `bytes` cut at `cuts` (ascending offsets), draining the parser after each piece.
    static func parse<P: IncrementalParser>(
        _: P.Type, _ bytes: [UInt8], cuts: [Int] = [], limits: HTTPLimits = HTTPLimits(), eof: Bool = false
    ) -> Outcome<P.Part> {
        var parser = P(limits: limits)
        var collector = Collector<P>()
        var start = 0
        for end in cuts + [bytes.count] {
            parser.append(Array(bytes[start..<end]))
            start = end
            do {
                while let part = try parser.next() { collector.record(part) }
            } catch {
                return collector.outcome(error: error)
            }
        }
        guard eof else { return collector.outcome(error: nil) }
        do {
            while let part = try parser.finish() { collector.record(part) }
        } catch {
            return collector.outcome(error: error)
        }
        return collector.outcome(error: nil)
    }

    static func requests(_ text: String, cuts: [Int] = [], limits: HTTPLimits = HTTPLimits()) -> Outcome<HTTPRequestPart> {
        parse(HTTPRequestParser.self, Array(text.utf8), cuts: cuts, limits: limits)
    }

    static func responses(_ text: String, cuts: [Int] = [], eof: Bool = false) -> Outcome<HTTPResponsePart> {
        parse(HTTPResponseParser.self, Array(text.utf8), cuts: cuts, eof: eof)
    }

    /// Every offset: the stream arrives one byte at a time.
    static func byteByByte(_ count: Int) -> [Int] { count > 1 ? Array(1..<count) : [] }

    /// A reproducible random set of cut offsets; the density varies with the seed.
    static func randomCuts(_ count: Int, seed: UInt64) -> [Int] {
        var random = SplitMix64(seed: seed)
        let density = [2, 10, 50][Int(random.next() % 3)]
        return count > 1 ? (1..<count).filter { _ in random.next() % 100 < UInt64(density) } : []
    }

}

/// Gathers parts, merging adjacent body pieces in linear time.
private struct Collector<P: IncrementalParser> {
    private var parts: [P.Part] = []
    private var body: [UInt8] = []

    mutating func record(_ part: P.Part) {
        guard let bytes = P.bodyBytes(of: part) else {
            flush()
            return parts.append(part)
        }
        #expect(!bytes.isEmpty, "a parser emitted an empty body piece")
        body += bytes
    }

    mutating func outcome(error: HTTPParseError?) -> Outcome<P.Part> {
        flush()
        return Outcome(parts: parts, error: error)
    }

    private mutating func flush() {
        guard !body.isEmpty else { return }
        parts.append(P.body(body))
        body = []
    }
}

extension HTTPRequestPart {
    /// `.body` from text, for readable expectations.
    static func body(_ text: String) -> HTTPRequestPart { .body(Array(text.utf8)) }
}

extension HTTPResponsePart {
    static func body(_ text: String) -> HTTPResponsePart { .body(Array(text.utf8)) }
}
