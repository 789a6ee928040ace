import CSystem
import HTTP1
import Posix
import Synchronization

/// One client connection: parse a request, hand it to the handler, write the answer, repeat.
///
///     reading ──request complete──▶ awaiting ──respond──────────▶ reading (keep-alive)
///        │                            │ └─beginStream─▶ streaming ─end─┘   or closing
///        └─parse error / timeout─▶ closing (error answer, then close after the last byte)
final class HTTPServerConnection: ReactorHandler {
    enum State {
        case reading
        case awaiting
        case streaming
        case closing
    }

    /// What a writer hands back to the loop.
    enum Delivery: Sendable {
        case complete(HTTPResponse)
        case head(status: Int, fields: HTTPFields)
        case bytes([UInt8])
        case end
    }

    let fd: Int32
    unowned let server: HTTPServer
    private var parser: HTTPRequestParser
    private var state = State.reading
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var keepAlive = true
    private var serial: UInt64 = 0
    private var writer: ConnectionWriter?
    /// HTTP/1.0 has no chunked encoding: a stream to such a client is buffered and sent whole.
    private var bufferedStream: (status: Int, fields: HTTPFields, body: [UInt8])?
    private var outbound = OutboundBuffer()
    /// The last flush found the socket full: the rest goes out when epoll says there is room.
    private var waitingForRoom = false
    let interest = EpollInterest(EpollInterest.input)
    private var lastActivity = Reactor.now()
    private var headStartedAt: UInt64?
    private var isClosed = false

    init(fd: Int32, server: HTTPServer) {
        self.fd = fd
        self.server = server
        self.parser = HTTPRequestParser(limits: server.configuration.limits)
    }

    // MARK: Events

    func reactorEvent(_ events: UInt32) {
        if events & Epoll.writable != 0 { flush() }
        if isClosed { return }
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { return close() }
        if events & (Epoll.readable | EPOLLRDHUP.rawValue) != 0 { readAvailable() }
    }

    /// The client sent end of stream while an answer was owed: finish it, then close.
    private var clientFinished = false

    /// Reads what the socket has without changing what epoll watches on the common path: input
    /// that arrives while an answer is owed (a pipelined request) waits in the parser, and a
    /// short read means the socket is drained (level-triggered epoll reports more when it comes).
    private func readAvailable() {
        reading: for _ in 0..<16 where !isClosed && !clientFinished {
            guard state == .reading || parser.bufferedByteCount < EpollInterest.readAheadLimit else { break }
            let result: IOResult
            do { result = try IO.read(fd, into: server.readBuffer) } catch { return close() }
            switch result {
            case .done(let n):
                lastActivity = Reactor.now()
                if state == .reading, headStartedAt == nil { headStartedAt = lastActivity }
                parser.append(UnsafeRawBufferPointer(rebasing: server.readBuffer[..<n]))
                if state == .reading { parseBuffered() }
                if n < server.readBuffer.count { break reading }
            case .wouldBlock:
                break reading
            case .closed:
                guard state == .awaiting || state == .streaming else { return close() }
                // A half-close while we work on an answer: finish it, then close (no keep-alive).
                clientFinished = true
                keepAlive = false
            }
        }
        updateInterest()
    }

    private func parseBuffered() {
        while state == .reading, !isClosed {
            let part: HTTPRequestPart?
            do { part = try parser.next() } catch { return fail(status: error.status, reason: error.reason) }
            guard let part else { return }
            switch part {
            case .head(let parsed):
                head = parsed
                body = []
                if parsed.fields.first("Expect", equalsIgnoringCase: "100-continue") {
                    send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
            case .body(let bytes):
                body.append(contentsOf: bytes)
            case .end:
                dispatch()
            }
        }
    }

    private func dispatch() {
        guard let head else { preconditionFailure("HTTP parser ended a request without a head") }
        self.head = nil
        headStartedAt = nil
        keepAlive = keepAlive && head.wantsKeepAlive && !server.isDraining
        bufferedStream = head.version == .http1_0 ? (0, HTTPFields(), []) : nil
        serial += 1
        state = .awaiting
        let request = IncomingRequest(head: head, body: body, connection: self, serial: serial)
        body = []
        if let response = server.handler.handle(request) { deliver(serial: serial, .complete(response)) }
    }

    // MARK: Answers

    func makeWriter(serial: UInt64) -> any ResponseWriter {
        let writer = ConnectionWriter(connection: LoopBound(self, reactor: server.reactor), serial: serial)
        self.writer = writer
        return writer
    }

    func deliver(serial: UInt64, _ delivery: Delivery) {
        guard serial == self.serial, !isClosed, state == .awaiting || state == .streaming else { return }
        switch delivery {
        case .complete(let response):
            let body = HTTPResponseSerializer.carriesBody(response.status) ? response.body : []
            send(HTTPResponseSerializer.fixedHead(response, keepAlive: keepAlive), then: body)
            finishResponse()
        case .head(let status, let fields):
            state = .streaming
            if bufferedStream != nil { bufferedStream = (status, fields, []) } else {
                send(HTTPResponseSerializer.streamHead(status: status, fields: fields, keepAlive: keepAlive))
            }
        case .bytes(let bytes):
            guard state == .streaming else { return }
            if bufferedStream != nil { bufferedStream!.body.append(contentsOf: bytes) } else { send(HTTPResponseSerializer.chunk(bytes)) }
        case .end:
            guard state == .streaming else { return }
            if let stream = bufferedStream {
                send(HTTPResponseSerializer.fixed(HTTPResponse(status: stream.status, fields: stream.fields, body: stream.body), keepAlive: false))
            } else {
                send(HTTPResponseSerializer.lastChunk)
            }
            finishResponse()
        }
    }

    private func finishResponse() {
        writer = nil
        lastActivity = Reactor.now()
        guard keepAlive, !isClosed else { return closeAfterFlush() }
        state = .reading
        // Input that came early (pipelined) is the next request's head: its deadline runs now.
        if !parser.isIdle { headStartedAt = lastActivity }
        updateInterest()
        parseBuffered()  // a pipelined request may already be waiting
    }

    private func fail(status: Int, reason: String) {
        keepAlive = false
        state = .awaiting
        serial += 1
        deliver(serial: serial, .complete(server.configuration.errorResponse(status, reason)))
    }

    // MARK: Output

    private func send(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        outbound.append(bytes)
        flush()
    }

    /// A head and its body as two pieces: one system call writes both, and a large body (a
    /// tools/list answer is some 13 KB) is not copied behind the head.
    private func send(_ head: [UInt8], then body: [UInt8]) {
        guard !isClosed else { return }
        outbound.append(head)
        outbound.append(body)
        flush()
    }

    private func flush() {
        guard !isClosed else { return }
        switch outbound.flush(to: fd) {
        case .wouldBlock:
            waitingForRoom = true
            updateInterest()
        case .closed:
            close()
        case .done:
            if state == .closing { return close() }
            if waitingForRoom {
                waitingForRoom = false
                updateInterest()
            }
        }
    }

    private func closeAfterFlush() {
        state = .closing
        if outbound.isEmpty { close() } else { updateInterest() }
    }

    /// Input unless the client finished or sent too much ahead, writability only after a write
    /// found the socket full.
    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: UInt32 = 0
        let readsMore = state == .reading || parser.bufferedByteCount < EpollInterest.readAheadLimit
        if !clientFinished, state != .closing, readsMore { wanted |= EpollInterest.input }
        if waitingForRoom { wanted |= Epoll.writable }
        interest.set(wanted, fd: fd, on: server.reactor)
    }

    // MARK: Lifecycle

    func checkTimeouts(now: UInt64) {
        guard state == .reading, !isClosed else { return }
        let config = server.configuration
        if let started = headStartedAt, now - started > config.headTimeoutMs * 1_000_000 {
            fail(status: 408, reason: "request not received within \(config.headTimeoutMs) ms")
        } else if headStartedAt == nil, parser.isIdle, now - lastActivity > config.keepAliveIdleMs * 1_000_000 {
            close()
        }
    }

    func drain(closeIdle: Bool) {
        keepAlive = false
        if closeIdle, state == .reading, parser.isIdle, headStartedAt == nil { close() }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        writer?.markClosed()
        writer = nil
        server.reactor.unregister(fd)
        IO.close(fd)
        server.closed(self)
    }
}

/// Carries a late answer from any thread back to its connection on the loop.
final class ConnectionWriter: ResponseWriter {
    private let connection: LoopBound<HTTPServerConnection>
    private let serial: UInt64
    private let closed = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(connection: LoopBound<HTTPServerConnection>, serial: UInt64) {
        self.connection = connection
        self.serial = serial
    }

    var isClosed: Bool { closed.load(ordering: .relaxed) }

    func markClosed() { closed.store(true, ordering: .relaxed) }

    func respond(_ response: HTTPResponse) { finish(.complete(response)) }

    func beginStream(status: Int, fields: HTTPFields) { post(.head(status: status, fields: fields)) }

    func sendStreamBytes(_ bytes: [UInt8]) { post(.bytes(bytes)) }

    func endStream() { finish(.end) }

    private func finish(_ delivery: HTTPServerConnection.Delivery) {
        guard finished.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        post(delivery)
    }

    private func post(_ delivery: HTTPServerConnection.Delivery) {
        guard !finished.load(ordering: .relaxed) || isTerminal(delivery) else { return }
        let serial = self.serial
        connection.withValue { $0.deliver(serial: serial, delivery) }
    }

    private func isTerminal(_ delivery: HTTPServerConnection.Delivery) -> Bool {
        switch delivery {
        case .complete, .end: return true
        case .head, .bytes: return false
        }
    }
}
