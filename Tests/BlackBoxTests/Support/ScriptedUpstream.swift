import Foundation
import Glibc
import Synchronization

/// A real HTTP upstream on loopback whose answers a test scripts by path, for the fault cases
/// the sandbox never produces: 5xx, non-JSON, oversized, hanging, closing mid-body. Each
/// connection is served on its own thread, so a long stream does not hold up the next request.
final class ScriptedUpstream: @unchecked Sendable {
    enum Behaviour: Sendable {
        case respond(status: Int, contentType: String, body: String)
        /// Reads the request and never answers (until the upstream stops).
        case hang
        /// Announces `Content-Length: declared` and closes after `sent` bytes.
        case truncate(declared: Int, sent: Int)
        /// A 200 whose JSON-looking body is `bytes` long, announced by Content-Length when
        /// `declared`, else ended by the close; stops early when the reader goes away.
        case stream(bytes: Int, declared: Bool)
    }

    let port: UInt16
    private let listener: Int32
    private let script: [String: Behaviour]
    private let requests = Mutex<[String]>([])
    private let held = Mutex<[Int32]>([])
    private let stopped = Atomic<Bool>(false)

    init(_ script: [String: Behaviour]) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else { throw TestFailure("scripted upstream cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: addr.sin_port)
        listener = fd
        let listening = fd
        Thread { [self] in
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 && (errno == EINTR || errno == ECONNABORTED) { continue }
                if client < 0 {
                    // Closed here, not in stop(): a number closed under a blocked accept could be
                    // reused by another test's socket before this loop tried it again.
                    close(listening)
                    return
                }
                Thread { self.serve(client) }.start()
            }
        }.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The request lines received so far (`GET /path?query`).
    var receivedRequests: [String] { requests.withLock { $0 } }

    /// Stops listening and closes held connections (the accept thread keeps `self` alive until then).
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the accept loop, which closes it
        // Under the lock, so a connection being held right now is either closed here or sees
        // `stopped` and closes itself (never both).
        held.withLock { fds in
            for fd in fds { close(fd) }
            fds.removeAll()
        }
    }

    private func serve(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var received: [UInt8] = []
        while !received.containsHeadEnd {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { close(fd); return }
            received += buffer[..<n]
        }
        let head = String(decoding: received, as: UTF8.self)
        let requestLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        requests.withLock { $0.append(parts.prefix(2).joined(separator: " ")) }
        let path = parts.count > 1 ? String(parts[1].split(separator: "?").first ?? "") : ""
        switch script[path] ?? .respond(status: 404, contentType: "application/json", body: #"{"error":"no such path"}"#) {
        case .respond(let status, let contentType, let body):
            let text = "HTTP/1.1 \(status) X\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            close(fd)
        case .hang:
            held.withLock { fds in
                if stopped.load(ordering: .relaxed) { close(fd) } else { fds.append(fd) }
            }
        case .truncate(let declared, let sent):
            let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(declared)\r\n\r\n" + String(repeating: "[", count: sent)
            _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            close(fd)
        case .stream(let count, let declared):
            let framing = declared ? "Content-Length: \(count)" : "Connection: close"
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\(framing)\r\n\r\n["
            _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            Self.sendFiller(count - 1, to: fd)
            close(fd)
        }
    }

    /// Sends `count` bytes of `0,0,0,…` in 64 KiB pieces, until done or the peer is gone.
    private static func sendFiller(_ count: Int, to fd: Int32) {
        let piece = [UInt8](repeating: UInt8(ascii: "0"), count: 1 << 16).enumerated().map { $0.offset % 2 == 1 ? UInt8(ascii: ",") : $0.element }
        var left = count
        while left > 0 {
            let n = piece.withUnsafeBytes { send(fd, $0.baseAddress, min(left, $0.count), Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            left -= n
        }
    }
}

extension Array where Element == UInt8 {
    var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}
