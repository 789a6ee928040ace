import HTTP1

/// The two HTTP/1.1 parsers through one interface, so feeding and comparing are written once.
public protocol FuzzedParser {
    associatedtype Part: Equatable
    mutating func append(_ bytes: [UInt8])
    mutating func next() throws(HTTPParseError) -> Part?
    /// The peer closed: what is still owed (responses only; requests have no such step).
    mutating func finish() throws(HTTPParseError) -> Part?
    static func bodyBytes(of part: Part) -> [UInt8]?
    static func body(_ bytes: [UInt8]) -> Part
}

extension HTTPRequestParser: FuzzedParser {
    public mutating func finish() throws(HTTPParseError) -> HTTPRequestPart? { nil }
    public static func bodyBytes(of part: HTTPRequestPart) -> [UInt8]? {
        if case .body(let bytes) = part { bytes } else { nil }
    }
    public static func body(_ bytes: [UInt8]) -> HTTPRequestPart { .body(bytes) }
}

extension HTTPResponseParser: FuzzedParser {
    public mutating func finish() throws(HTTPParseError) -> HTTPResponsePart? { try finishAtEOF() }
    public static func bodyBytes(of part: HTTPResponsePart) -> [UInt8]? {
        if case .body(let bytes) = part { bytes } else { nil }
    }
    public static func body(_ bytes: [UInt8]) -> HTTPResponsePart { .body(bytes) }
}

/// What a parser made of a byte stream: its parts (adjacent body pieces merged, since their
/// boundaries follow the input's) and the error that stopped it.
public struct ParseOutcome<Part: Equatable>: Equatable {
    public var parts: [Part] = []
    public var error: HTTPParseError?
    /// The most body bytes any one message carried.
    public var largestBody = 0
}

public enum ParserFeed {
    /// Appends `bytes` in pieces cut at `cuts` (ascending), draining the parser after each
    /// piece, then (with `eof`) tells it the peer closed. Checks the parser's own promises on
    /// the way: no empty body piece, and a failed parser keeps failing with the same error.
    public static func parse<P: FuzzedParser>(_ parser: P, _ bytes: [UInt8], cuts: [Int] = [], eof: Bool = false) -> ParseOutcome<P.Part> {
        var parser = parser
        var outcome = ParseOutcome<P.Part>()
        var body: [UInt8] = []
        func record(_ part: P.Part) {
            if let piece = P.bodyBytes(of: part) {
                fuzzRequire(!piece.isEmpty, "an empty body piece")
                body += piece
                return
            }
            flush()
            outcome.parts.append(part)
        }
        func flush() {
            outcome.largestBody = max(outcome.largestBody, body.count)
            if !body.isEmpty { outcome.parts.append(P.body(body)) }
            body = []
        }
        var start = 0
        do throws(HTTPParseError) {
            for end in cuts + [bytes.count] {
                parser.append(Array(bytes[start..<end]))
                start = end
                while let part = try parser.next() { record(part) }
            }
            if eof {
                while let part = try parser.finish() { record(part) }
            }
        } catch {
            outcome.error = error
            do throws(HTTPParseError) {
                _ = try parser.next()
                fuzzRequire(false, "a failed parser answered again after \(error)")
            } catch let again {
                fuzzRequire(again == error, "a failed parser changed its error from \(error) to \(again)")
            }
        }
        flush()
        return outcome
    }
}
