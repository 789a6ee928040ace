import Foundation
import Glibc

/// A tiny blocking HTTP/1.1 server on 127.0.0.1 for transport tests: one thread accepts, one
/// thread per connection reads a request and does what the test's handler says.
///
/// Descriptor ownership, so that no number is ever closed twice (it may already belong to
/// someone else): the accept thread closes the listener; a connection's thread closes its
/// connection, except a held one, which `stop()` closes. `stop()` only shuts sockets down,
/// which wakes every blocked thread.
final class LocalHTTPServer: @unchecked Sendable {
    /// What the server does with a request.
    enum Behaviour: Sendable {
        /// Writes these bytes, then closes the connection.
        case reply([UInt8])
        /// Writes these bytes (maybe nothing) and keeps the connection open until `stop()`.
        case replyAndHold([UInt8])
        /// Runs this with the connection, then closes it; writes fail once `stop()` was called.
        case custom(@Sendable (Int32) -> Void)
    }

    /// A request as received: the head's lines and the body.
    struct Request: Sendable {
        var requestLine: String
        var headerLines: [String]
        var body: [UInt8]
    }

    let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Request) -> Behaviour
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var held: Set<Int32> = []
    private var requests: [Request] = []

    init(_ handler: @escaping @Sendable (Request) -> Behaviour) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw POSIXError(.EADDRINUSE)
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var received: [Request] { lock.withLock { requests } }

    /// Stops accepting, ends every connection and closes the held ones.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        let heldNow = lock.withLock {
            for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
            defer {
                connections.subtract(held)
                held = []
            }
            return held
        }
        for fd in heldNow { close(fd) }
    }

    /// A port where nothing listens (bound, then closed).
    static func closedPort() throws -> UInt16 {
        let server = try LocalHTTPServer { _ in .reply([]) }
        server.stop()
        usleep(20_000)  // let the accept thread close the listener
        return server.port
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { break }
            lock.withLock { _ = connections.insert(fd) }
            Thread.detachNewThread { [self] in serve(fd) }
        }
        close(listener)
    }

    private func serve(_ fd: Int32) {
        guard let request = Self.readRequest(fd) else { return finish(fd) }
        lock.withLock { requests.append(request) }
        switch handler(request) {
        case .reply(let bytes):
            Self.writeAll(fd, bytes)
            finish(fd)
        case .replyAndHold(let bytes):
            Self.writeAll(fd, bytes)
            lock.withLock { _ = held.insert(fd) }
        case .custom(let body):
            body(fd)
            finish(fd)
        }
    }

    private func finish(_ fd: Int32) {
        lock.withLock { _ = connections.remove(fd) }
        close(fd)
    }

    private static func readRequest(_ fd: Int32) -> Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        while buffer.firstRange(of: separator) == nil {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
        }
        let headEnd = buffer.firstRange(of: separator)!
        let lines = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let length =
            lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        var body = Array(buffer[headEnd.upperBound...])
        while body.count < length {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            body += chunk[0..<count]
        }
        return Request(requestLine: lines[0], headerLines: Array(lines.dropFirst()), body: body)
    }

    /// False when the peer is gone. MSG_NOSIGNAL: that must not kill the test process with SIGPIPE.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// A complete HTTP/1.1 response.
    static func response(_ status: String, _ headers: [String] = [], body: String = "") -> [UInt8] {
        let head = (["HTTP/1.1 \(status)", "Content-Length: \(body.utf8.count)", "Connection: close"] + headers)
            .joined(separator: "\r\n")
        return Array((head + "\r\n\r\n" + body).utf8)
    }
}
