import Foundation
import Glibc
import HTTP1

/// A blocking HTTP/1.1 client over one TCP connection, for driving the real binary.
/// Every read has a timeout, so a server that never answers fails the test instead of hanging it.
final class HTTPTestClient: @unchecked Sendable {
    let fd: Int32
    private var parser = HTTPResponseParser()

    struct Response: Sendable {
        var status: Int
        var fields: HTTPFields
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    init(_ address: String, timeoutSeconds: Int = 10) throws {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw TestFailure("bad address \(address)")
        }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, String(address[..<colon]), &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        // No close here: a class whose stored properties are all set runs its deinit when its
        // init throws, and a second close could hit a descriptor another test just opened.
        guard rc == 0 else { throw TestFailure("connect \(address): errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ raw: String) throws { try send(Array(raw.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads one whole response (nil if the server closed the connection before answering).
    func readResponse() throws -> Response? {
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            while let part = try parser.next() {
                switch part {
                case .head(let h): head = h
                case .body(let b): body += b
                case .end: return head.map { Response(status: $0.status, fields: $0.fields, body: body) }
                }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw TestFailure("read failed (timeout?): errno \(errno)") }
            if n == 0 {
                if head != nil, let part = try parser.finishAtEOF(), part == .end {
                    return head.map { Response(status: $0.status, fields: $0.fields, body: body) }
                }
                return nil
            }
            parser.append(Array(buffer[..<n]))
        }
    }

    /// True when the server has closed the connection (reads EOF within the timeout).
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Sends a request and reads its response.
    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "") throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        try send(text)
        guard let response = try readResponse() else { throw TestFailure("connection closed without a response") }
        return response
    }
}
