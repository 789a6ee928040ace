import Foundation
import Glibc
import HTTP1

/// What a client saw after sending raw bytes: an answer, the server closing (FIN or reset)
/// without one, or nothing at all within the read timeout.
enum RawOutcome: Equatable, CustomStringConvertible {
    case answered(status: Int, body: [UInt8])
    case closed
    case silent

    var status: Int? {
        if case .answered(let status, _) = self { return status }
        return nil
    }

    var body: [UInt8] {
        if case .answered(_, let body) = self { return body }
        return []
    }

    var description: String {
        switch self {
        case .answered(let status, let body): "\(status) \(String(decoding: body.prefix(200), as: UTF8.self))"
        case .closed: "closed without an answer"
        case .silent: "no answer within the read timeout"
        }
    }
}

/// Sending bytes a well-behaved client never sends, over one TCP connection. Unlike
/// `HTTPTestClient.request`, nothing here throws when the server hangs up mid-send: a server
/// that answers "too large" and closes before reading everything is doing its job.
extension HTTPTestClient {
    /// Sends what the server takes; stops quietly when it has closed or reset the connection.
    func sendTolerantly(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// Sends one byte every `intervalMs` (a slowloris client), stopping as soon as the server
    /// has something to say or has closed.
    func drip(_ bytes: [UInt8], intervalMs: Int) {
        for byte in bytes {
            guard !hasInput(waitingMs: intervalMs) else { return }
            guard [byte].withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }) == 1 else { return }
        }
    }

    /// True when a read would not block (an answer, EOF or a reset) within `waitingMs`.
    func hasInput(waitingMs: Int) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(waitingMs)) > 0
    }

    /// Reads the first answer; a reset counts as a close (the answer may already have been read).
    func readOutcome() -> RawOutcome {
        var parser = HTTPResponseParser()
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            do {
                while let part = try parser.next() {
                    switch part {
                    case .head(let h): head = h
                    case .body(let b): body += b
                    case .end: return .answered(status: head?.status ?? 0, body: body)
                    }
                }
            } catch {
                return .answered(status: -1, body: Array("unparsable answer: \(error)".utf8))
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                parser.append(Array(buffer[..<n]))
            } else if n == 0 || errno == ECONNRESET {
                if let head, (try? parser.finishAtEOF()) == .end { return .answered(status: head.status, body: body) }
                return .closed
            } else {
                return .silent
            }
        }
    }

    /// True when the server closes (EOF or reset) within the read timeout, discarding anything
    /// it still sends.
    func waitForClose() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { continue }
            return n == 0 || errno == ECONNRESET
        }
    }
}
