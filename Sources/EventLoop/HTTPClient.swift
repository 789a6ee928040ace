import CSystem
import Glibc
import HTTP1
import Posix

/// Where a plain-HTTP request goes: a literal address (or localhost) and a port. Host names
/// are not resolved here (a resolver would block the loop); callers send those elsewhere.
public struct HTTPOrigin: Hashable, Sendable {
    public let host: String
    public let port: UInt16

    /// `http://HOST[:PORT]/path?query` with an IPv4, bracketed IPv6 or `localhost` host: the
    /// origin and the request target (path and query); nil for anything else (https, names).
    /// Read as bytes: it runs for every upstream call, and walking a URL Character by Character
    /// (grapheme breaking) cost a tool call ~25k instructions.
    public static func parse(_ url: String) -> (origin: HTTPOrigin, target: String)? {
        ASCIICase.withBytes(of: url) { parse(bytes: $0) }
    }

    private static func parse(bytes url: UnsafeBufferPointer<UInt8>) -> (origin: HTTPOrigin, target: String)? {
        let scheme = "http://".utf8
        guard url.starts(with: scheme) else { return nil }
        let authorityStart = scheme.count
        let authorityEnd = url[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? url.count
        let targetEnd = url[authorityEnd...].firstIndex(of: UInt8(ascii: "#")) ?? url.count
        var target = String(decoding: UnsafeBufferPointer(rebasing: url[authorityEnd..<targetEnd]), as: UTF8.self)
        if authorityEnd == targetEnd || url[authorityEnd] == UInt8(ascii: "?") { target = "/" + target }
        let authority = url[authorityStart..<authorityEnd]
        guard !authority.contains(UInt8(ascii: "@")) else { return nil }
        var host = authority
        var portText: Slice<UnsafeBufferPointer<UInt8>>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            host = url[(authorityStart + 1)..<close]
            if close + 1 < authorityEnd {
                guard url[close + 1] == UInt8(ascii: ":") else { return nil }
                portText = url[(close + 2)..<authorityEnd]
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = url[authorityStart..<colon]
            portText = url[(colon + 1)..<authorityEnd]
        }
        let port: UInt16
        if let portText {
            guard let value = UInt16(String(decoding: UnsafeBufferPointer(rebasing: portText), as: UTF8.self)), value > 0 else { return nil }
            port = value
        } else {
            port = 80
        }
        // ASCII lowercasing is enough: a name with any other letter is neither localhost nor an address.
        let name = String(decoding: host.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
        guard name == "localhost" || Socket.isAddressLiteral(name) else { return nil }
        return (HTTPOrigin(host: name, port: port), target)
    }

    /// The `Host` header value.
    var hostField: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }
}

/// Why a request got no response.
public enum HTTPClientFailure: Error, Equatable, Sendable {
    case connectionFailed(String)
    case timedOut
    case bodyTooLarge
    case invalidRequest(String)
}

/// A small HTTP/1.1 client on the loop, for upstreams a worker reaches over plain HTTP (the
/// sandbox, a sidecar, an internal load balancer): keep-alive connections pooled per origin, at
/// most `maximumConnectionsPerOrigin` each (more requests wait their turn), an exact deadline
/// per request, a cap on response bodies, no redirects followed.
///
/// Loop-confined: call `send` on the reactor's thread; the completion runs there too.
public final class HTTPClient {
    public typealias Completion = (Result<(status: Int, body: [UInt8]), HTTPClientFailure>) -> Void

    private let reactor: Reactor
    private let limits: Limits
    private var pools: [HTTPOrigin: Pool] = [:]
    /// Shared by every connection, which keeps it alive: a connection may outlive its client
    /// by a turn of the loop.
    private let readBuffer = ReadBuffer()

    public init(reactor: Reactor, maximumConnectionsPerOrigin: Int = 8, maximumBodyBytes: Int) {
        self.reactor = reactor
        limits = Limits(connectionsPerOrigin: maximumConnectionsPerOrigin, bodyBytes: maximumBodyBytes)
    }

    private struct Limits {
        let connectionsPerOrigin: Int
        let bodyBytes: Int
    }

    private final class ReadBuffer {
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
        deinit { bytes.deallocate() }
    }

    /// Sends `method target` with these headers and body to `origin`; `completion` gets the
    /// status and body, or why not, within `timeoutMs`.
    public func send(
        _ method: String, _ target: String, to origin: HTTPOrigin, headers: [(String, String)], body: [UInt8]?, timeoutMs: Int,
        completion: @escaping Completion
    ) {
        let unsafePart = !Self.isSafe(method) ? "the method" : !Self.isSafe(target) ? "the target"
            : headers.first { !Self.isSafe($0.0) || !Self.isSafe($0.1) }?.0
        if let unsafePart { return completion(.failure(.invalidRequest("control character in \(unsafePart)"))) }
        // Written as bytes, not by String interpolation: this runs for every upstream call.
        var request: [UInt8] = []
        request.reserveCapacity(256 + (body?.count ?? 0))
        func field(_ name: String, _ value: String) {
            request.append(contentsOf: name.utf8)
            request.append(contentsOf: ": ".utf8)
            request.append(contentsOf: value.utf8)
            request.append(contentsOf: "\r\n".utf8)
        }
        request.append(contentsOf: method.utf8)
        request.append(UInt8(ascii: " "))
        request.append(contentsOf: target.utf8)
        request.append(contentsOf: " HTTP/1.1\r\n".utf8)
        field("Host", origin.hostField)
        for (name, value) in headers { field(name, value) }
        if let body { field("Content-Length", String(body.count)) } else if method == "POST" || method == "PUT" { field("Content-Length", "0") }
        request.append(contentsOf: "\r\n".utf8)
        if let body { request.append(contentsOf: body) }
        let exchange = Exchange(bytes: request, idempotent: method == "GET", reactor: reactor, completion: completion)
        exchange.deadline = reactor.schedule(afterMs: UInt64(max(timeoutMs, 1))) { [weak exchange] in exchange?.finish(.failure(.timedOut)) }
        pool(for: origin).submit(exchange)
    }

    private func pool(for origin: HTTPOrigin) -> Pool {
        if let pool = pools[origin] { return pool }
        let pool = Pool(origin: origin, reactor: reactor, limits: limits, readBuffer: readBuffer)
        pools[origin] = pool
        return pool
    }

    /// No CR, LF or NUL: a header line cannot be split or smuggled.
    private static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    // MARK: Pool

    /// One origin's connections: idle ones are reused (most recent first), busy ones count
    /// against the limit, and requests beyond it wait in order.
    private final class Pool {
        let origin: HTTPOrigin
        let reactor: Reactor
        let limits: Limits
        let readBuffer: ReadBuffer
        var idle: [Connection] = []
        var open = 0
        var waiting: [Exchange] = []

        init(origin: HTTPOrigin, reactor: Reactor, limits: Limits, readBuffer: ReadBuffer) {
            self.origin = origin
            self.reactor = reactor
            self.limits = limits
            self.readBuffer = readBuffer
        }

        func submit(_ exchange: Exchange) {
            guard !exchange.isFinished else { return }
            if let connection = idle.popLast() { return connection.start(exchange) }
            guard open < limits.connectionsPerOrigin else { return waiting.append(exchange) }
            do {
                let connection = try Connection(pool: self)
                open += 1
                connection.start(exchange)
            } catch {
                exchange.finish(.failure(.connectionFailed(Connection.reason(error.errno))))
            }
        }

        /// A connection finished its exchange and may be reused: next waiting request, or idle.
        func release(_ connection: Connection) {
            while let next = waiting.first {
                waiting.removeFirst()
                if !next.isFinished { return connection.start(next) }
            }
            idle.append(connection)
        }

        /// A connection closed: forget it, and let a waiting request open a new one.
        func closed(_ connection: Connection) {
            open -= 1
            idle.removeAll { $0 === connection }
            while let next = waiting.first, open < limits.connectionsPerOrigin {
                waiting.removeFirst()
                submit(next)
            }
        }
    }

    // MARK: Exchange

    /// One request: its bytes, and its caller, answered exactly once (by the response, a
    /// failure or the deadline, whichever comes first).
    private final class Exchange {
        let bytes: [UInt8]
        /// Safe to send again when a reused connection turns out to have been closed.
        let idempotent: Bool
        private let reactor: Reactor
        private var completion: Completion?
        var deadline: TimerQueue.ID?
        /// The connection carrying it, once sent.
        weak var connection: Connection?

        init(bytes: [UInt8], idempotent: Bool, reactor: Reactor, completion: @escaping Completion) {
            self.bytes = bytes
            self.idempotent = idempotent
            self.reactor = reactor
            self.completion = completion
        }

        var isFinished: Bool { completion == nil }

        func finish(_ result: Result<(status: Int, body: [UInt8]), HTTPClientFailure>) {
            guard let completion else { return }
            self.completion = nil
            if let deadline { reactor.cancel(deadline) }
            // Failed while on a connection (the deadline): that connection is out of step.
            if case .failure = result { connection?.abandon() }
            completion(result)
        }
    }

    // MARK: Connection

    /// One keep-alive TCP connection, carrying one exchange at a time.
    private final class Connection: ReactorHandler {
        let fd: Int32
        /// Strong: the reactor holds the connection, the connection its pool, until it closes.
        let pool: Pool
        private var connected = false
        private var exchange: Exchange?
        private var outbound = OutboundBuffer()
        private var parser = HTTPResponseParser()
        private var status = 0
        private var body: [UInt8] = []
        private var closeAfter = false
        /// Bytes of the current answer received: none means a reused connection may simply
        /// have been closed by the server meanwhile, and the request can be sent again.
        private var receivedAny = false
        private var served = 0
        private var isClosed = false
        /// Writability until connected (the connect's outcome), then only while a request waits for room.
        private let interest = EpollInterest(EpollInterest.input | Epoll.writable)

        init(pool: Pool) throws(SystemError) {
            self.pool = pool
            fd = try Socket.connectInet(host: pool.origin.host, port: pool.origin.port)
            do { try pool.reactor.register(fd, events: interest.events, handler: self) } catch {
                IO.close(fd)
                throw error
            }
        }

        static func reason(_ code: Int32) -> String {
            switch code {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH: return "connection refused or host unreachable"
            default: return String(cString: strerror(code))
            }
        }

        func start(_ exchange: Exchange) {
            self.exchange = exchange
            exchange.connection = self
            status = 0
            body = []
            receivedAny = false
            outbound.append(exchange.bytes)
            if connected { flush() }
        }

        /// The exchange failed (deadline, body too large): the connection is out of step.
        func abandon() {
            exchange = nil
            close()
        }

        func reactorEvent(_ events: UInt32) {
            if !connected, events & (Epoll.writable | Epoll.hangup | EPOLLERR.rawValue) != 0 {
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                guard code == 0 else { return fail(.connectionFailed(Self.reason(code))) }
                connected = true
            }
            if events & Epoll.writable != 0 { flush() }
            if !isClosed, events & (Epoll.readable | Epoll.hangup | EPOLLRDHUP.rawValue) != 0 { readAvailable() }
        }

        private func flush() {
            guard !isClosed else { return }
            switch outbound.flush(to: fd) {
            case .done: interest.set(EpollInterest.input, fd: fd, on: pool.reactor)
            case .wouldBlock: interest.set(EpollInterest.input | Epoll.writable, fd: fd, on: pool.reactor)
            case .closed: endOfStream()
            }
        }

        private func readAvailable() {
            let buffer = pool.readBuffer.bytes
            while !isClosed {
                let result: IOResult
                do { result = try IO.read(fd, into: buffer) } catch { return fail(.connectionFailed(Self.reason(error.errno))) }
                switch result {
                case .done(let n):
                    receivedAny = true
                    parser.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                    drainParser()
                    if n < buffer.count { return }  // the socket is drained; the next event says when there is more
                case .wouldBlock: return
                case .closed: return endOfStream()
                }
            }
        }

        private func drainParser() {
            while !isClosed {
                let part: HTTPResponsePart?
                do { part = try parser.next() } catch { return fail(.connectionFailed("invalid response: \(error)")) }
                guard let part else { return }
                received(part)
            }
        }

        private func received(_ part: HTTPResponsePart) {
            guard let exchange else { return fail(.connectionFailed("a response nobody asked for")) }
            let limit = pool.limits.bodyBytes
            switch part {
            case .head(let head):
                status = head.status
                closeAfter = head.version != .http1_1 || head.fields.values("Connection").contains { $0.lowercased().contains("close") }
                if let declared = head.fields["Content-Length"].flatMap({ Int($0) }), declared > limit { return fail(.bodyTooLarge) }
            case .body(let bytes):
                guard body.count + bytes.count <= limit else { return fail(.bodyTooLarge) }
                body += bytes
            case .end:
                self.exchange = nil
                served += 1
                exchange.connection = nil
                let answer = (status: status, body: body)
                body = []
                if closeAfter { close() } else { pool.release(self) }
                exchange.finish(.success(answer))
            }
        }

        /// The server closed: the end of a close-delimited body, a reused connection that had
        /// gone stale (send again, once), or a failure.
        private func endOfStream() {
            guard let exchange else { return close() }  // closed while idle
            if receivedAny, let part = try? parser.finishAtEOF(), part == .end { return received(.end) }
            if !receivedAny, served > 0, exchange.idempotent {
                self.exchange = nil
                exchange.connection = nil
                close()
                return pool.submit(exchange)
            }
            fail(.connectionFailed("connection closed before a complete response"))
        }

        private func fail(_ failure: HTTPClientFailure) {
            let exchange = self.exchange
            self.exchange = nil
            close()
            exchange?.connection = nil
            exchange?.finish(.failure(failure))
        }

        private func close() {
            guard !isClosed else { return }
            isClosed = true
            pool.reactor.unregister(fd)
            IO.close(fd)
            pool.closed(self)
        }
    }
}
