import CSystem
import Configuration
import EventLoop
import HTTP1
import Posix

/// What the supervisor decides for a request head.
enum ProxyDecision {
    case forward(WorkerHandle)
    /// Queued until the tenant's worker is ready (`dispatch(to:)`) or fails (`reject(_:)`).
    case wait
    case respond(HTTPResponse)
}

/// The supervisor side a proxy connection talks to.
protocol ProxyHost: AnyObject {
    var reactor: Reactor { get }
    var serverConfiguration: HTTPServerConfiguration { get }
    var readBuffer: UnsafeMutableRawBufferPointer { get }
    var requestTimeoutMs: UInt64 { get }
    func decide(_ head: HTTPRequestHead, for connection: ProxyConnection) -> ProxyDecision
    /// The routed worker turned out to be unreachable before anything was sent to it: stop
    /// routing to it and decide again (the request is safe to send elsewhere).
    func decideAgain(_ head: HTTPRequestHead, unreachable worker: WorkerHandle, for connection: ProxyConnection) -> ProxyDecision
    func requestFinished(pid: Int32)
    func requestStuck(on worker: WorkerHandle)
    func exchangeFinished(_ exchange: Exchange)
    func connectionClosed(_ connection: ProxyConnection)
}

/// One request and its answer as the access log and the metrics see them.
struct Exchange {
    var started: UInt64
    /// The `X-Client-ID` value as sent, for a request that was not routed (filled in at its end).
    var clientHeader: String?
    /// The tenant, once the request was routed to one of its workers.
    var tenant: ClientID?
    var status = 0
    var bytesIn = 0
    var bytesOut = 0
    var workerPID: Int32?
    /// Reported by the worker in `OneApp-MCP-Method` / `-Tool`: the supervisor never reads bodies.
    var mcpMethod: String?
    var mcpTool: String?
}

/// One client connection of the public listener: parse a request head, let the host route it,
/// then stream the body up to the tenant's worker and its answer back, without parsing bodies.
///
///     head ──decide──▶ forward ──▶ streaming both ways ──answer ends──▶ head (keep-alive)
///                 └──▶ wait (queued) ──dispatch──┘   reject/respond ──▶ head, or close
final class ProxyConnection: ReactorHandler, UpstreamReceiver {
    enum Phase { case head, waiting, forwarding, answering, closing }

    let fd: Int32
    private unowned let host: any ProxyHost
    /// The host's loop and read buffer, kept here: they outlive every connection, and the hot
    /// path then reaches them without going through `host` (an unowned existential).
    private let reactor: Reactor
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var parser: HTTPRequestParser
    private var phase = Phase.head
    private var request: HTTPRequestHead?
    private var requestChunked = false
    private var requestComplete = false
    private var pendingBody: [UInt8] = []
    private var upstream: UpstreamConnection?
    private var worker: WorkerHandle?
    private var responseStarted = false
    private var responseChunked = false
    private var responseIsEventStream = false
    private var exchange: Exchange?
    private var forwardedAt: UInt64 = 0
    /// While true, `send` collects output; it goes out in one write when a batch of parts ends.
    private var corked = false
    /// True while the bytes of one read are parsed (so what goes upstream can be collected).
    private var parsingRead = false
    private var keepAlive = true
    private var outbound = OutboundBuffer()
    /// The last flush found the socket full: the rest goes out when epoll says there is room.
    private var waitingForRoom = false
    /// A write of lent body bytes found the client gone: the connection closes at the next flush.
    private var writeFailed = false
    private let interest = EpollInterest(EpollInterest.input)
    private(set) var lastActivity = Reactor.now()
    private var headStartedAt: UInt64?
    private(set) var isClosed = false
    /// Beyond this much unsent answer, stop reading from the worker until the client catches up.
    private static let highWaterMark = 1 << 20

    init(fd: Int32, host: any ProxyHost) throws(SystemError) {
        self.fd = fd
        self.host = host
        reactor = host.reactor
        readBuffer = host.readBuffer
        parser = HTTPRequestParser(limits: host.serverConfiguration.limits)
        try reactor.register(fd, events: interest.events, handler: self)
    }

    var isIdle: Bool { phase == .head && parser.isIdle && headStartedAt == nil }

    // MARK: Client input

    func reactorEvent(_ events: UInt32) {
        if events & Epoll.writable != 0 { flush() }
        if isClosed { return }
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { return close() }
        if events & (Epoll.readable | EPOLLRDHUP.rawValue) != 0 { readAvailable() }
    }

    /// Parse while a request is being received; between the end of a request and the end of
    /// its answer, later (pipelined) bytes wait in the parser, up to `EpollInterest.readAheadLimit`.
    private var readsClient: Bool { phase == .head || !requestComplete }
    /// The client sent end of stream while an answer was owed: finish it, then close.
    private var clientFinished = false

    /// Reads what the socket has, without changing what epoll watches on the common path: a
    /// short read means the socket is drained (level-triggered epoll reports more when it comes).
    private func readAvailable() {
        for _ in 0..<16 where !isClosed && !clientFinished {
            guard readsClient || parser.bufferedByteCount < EpollInterest.readAheadLimit else { break }
            let result: IOResult
            do { result = try IO.read(fd, into: readBuffer) } catch { return close() }
            switch result {
            case .done(let n):
                lastActivity = Reactor.now()
                if headStartedAt == nil, phase == .head, request == nil { headStartedAt = lastActivity }
                parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<n]))
                if readsClient {
                    // A head and the body bytes that came with it go to the worker in one write.
                    parsingRead = true
                    upstream?.cork()
                    parseBuffered()
                    parsingRead = false
                    upstream?.uncork()
                }
                if n < readBuffer.count { return updateInterest() }
            case .wouldBlock:
                return updateInterest()
            case .closed:
                guard !readsClient else { return close() }
                // Half-closed after its request: the answer still goes out, then the connection closes.
                clientFinished = true
                keepAlive = false
                return updateInterest()
            }
        }
        updateInterest()
    }

    private func parseBuffered() {
        while !isClosed, readsClient {
            let part: HTTPRequestPart?
            do { part = try parser.next() } catch { return answerAndClose(ErrorResponses.protocolError(status: error.status, reason: error.reason)) }
            guard let part else { return }
            switch part {
            case .head(let head): received(head)
            case .body(let bytes): receivedBody(bytes)
            case .end: receivedEnd()
            }
        }
    }

    private func received(_ head: HTTPRequestHead) {
        exchange = Exchange(started: headStartedAt ?? Reactor.now())
        headStartedAt = nil
        request = head
        requestChunked = head.fields.contains("Transfer-Encoding")
        requestComplete = false
        responseStarted = false
        keepAlive = keepAlive && head.wantsKeepAlive
        if head.fields.first("Expect", equalsIgnoringCase: "100-continue") { send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        switch host.decide(head, for: self) {
        case .forward(let worker): startForwarding(to: worker)
        case .wait: phase = .waiting
        case .respond(let response): answer(response)
        }
    }

    private func receivedBody(_ bytes: [UInt8]) {
        exchange?.bytesIn += bytes.count
        switch phase {
        case .forwarding: upstream?.send(requestChunked ? HTTPResponseSerializer.chunk(bytes) : bytes)
        case .waiting: pendingBody.append(contentsOf: bytes)
        default: break  // answered already (rejection): the body is read and dropped
        }
    }

    private func receivedEnd() {
        requestComplete = true
        if phase == .forwarding, requestChunked { upstream?.send(HTTPResponseSerializer.lastChunk) }
        if phase == .head { finishExchange() }  // a rejection was sent before the body ended
    }

    // MARK: Forwarding

    /// The tenant's worker is ready: send what arrived so far and stream the rest.
    func dispatch(to worker: WorkerHandle) {
        guard !isClosed else { return host.requestFinished(pid: worker.pid) }
        let body = pendingBody
        pendingBody = []
        startForwarding(to: worker, body: body)
    }

    /// The tenant's worker could not be had: answer with the rejection.
    func reject(_ response: HTTPResponse) {
        guard !isClosed else { return }
        answer(response)
    }

    /// Sends the head and `body`, the part of it that arrived while the request waited (taken
    /// out of `pendingBody` by `dispatch`, so a request that never waited does not touch it).
    private func startForwarding(to worker: WorkerHandle, body: [UInt8] = []) {
        guard let request else { preconditionFailure("forwarding without a request head") }
        guard let connection = worker.acquire(reactor: reactor, readBuffer: readBuffer) else {
            switch host.decideAgain(request, unreachable: worker, for: self) {
            case .forward(let other) where other !== worker: return startForwarding(to: other, body: body)
            case .forward: return answer(ErrorResponses.response(for: ErrorResponses.workerCrashed))
            case .wait:
                phase = .waiting
                pendingBody = body
                return
            case .respond(let response): return answer(response)
            }
        }
        self.worker = worker
        upstream = connection
        connection.receiver = self
        phase = .forwarding
        forwardedAt = Reactor.now()
        // Taken out, filled in and put back: a release of its old tenant inside an access to
        // `exchange` would have every access to it checked for exclusivity at run time.
        if var current = exchange.take() {
            current.workerPID = worker.pid
            current.tenant = worker.tenant
            exchange = current
        }
        if parsingRead { connection.cork() }  // body parts in the same read join the head
        let (chunked, complete) = (requestChunked, requestComplete)
        connection.send { out in
            RequestForwarding.writeHead(request, into: &out)
            if !body.isEmpty { out += chunked ? HTTPResponseSerializer.chunk(body) : body }
            if complete, chunked { out += HTTPResponseSerializer.lastChunk }
        }
        updateInterest()
    }

    func upstreamDelivered() {
        corked = false
        flush()
    }

    func upstreamResponded(_ part: HTTPResponsePart) {
        corked = true
        switch part {
        case .head(let head):
            responseStarted = true
            let method = head.fields[RequestForwarding.methodField]
            let tool = head.fields[RequestForwarding.toolField]
            exchange?.status = head.status
            exchange?.mcpMethod = method
            exchange?.mcpTool = tool
            responseIsEventStream = head.fields.first("Content-Type", hasPrefixIgnoringCase: "text/event-stream")
            let (clientVersion, keepAlive) = (request?.version ?? .http1_1, keepAlive)
            var framing = (chunked: false, closeAfter: false)
            send { framing = RequestForwarding.writeResponseHead(head, clientVersion: clientVersion, keepAlive: keepAlive, into: &$0) }
            responseChunked = framing.chunked
            if framing.closeAfter { self.keepAlive = false }
        case .body(let bytes):
            bytes.withUnsafeBytes { upstreamBody($0) }
        case .end:
            if responseChunked { send(HTTPResponseSerializer.lastChunk) }
            releaseUpstream(reusable: true)
            finishExchange()
        }
    }

    func upstreamBody(_ bytes: UnsafeRawBufferPointer) {
        corked = true
        exchange?.bytesOut += bytes.count
        guard !isClosed else { return }
        if responseChunked { return send(HTTPResponseSerializer.chunk(Array(bytes))) }
        // Written from the worker connection's buffer together with the head queued before it;
        // only what the socket does not take is copied. A full socket or a failed write is dealt
        // with when the batch is delivered (flush), not while the bytes are lent.
        switch outbound.flush(to: fd, thenLent: bytes) {
        case .done: break
        case .wouldBlock: waitingForRoom = true
        case .closed: writeFailed = true
        }
    }

    func upstreamFailed() {
        releaseUpstream(reusable: false)
        guard !isClosed else { return }
        if !responseStarted {
            keepAlive = keepAlive && requestComplete
            answer(ErrorResponses.response(for: ErrorResponses.workerCrashed))
        } else if responseIsEventStream && responseChunked {
            // Never a silent cut: the stream ends with an error event the client can show.
            send(HTTPResponseSerializer.chunk(ErrorResponses.workerCrashedEvent()) + HTTPResponseSerializer.lastChunk)
            keepAlive = false
            finishExchange()
        } else {
            close()
        }
    }

    private func releaseUpstream(reusable: Bool) {
        guard let connection = upstream, let worker else { return }
        upstream = nil
        self.worker = nil
        connection.receiver = nil
        connection.uncork()
        worker.release(connection, reusable: reusable, turn: reactor.turn)
        host.requestFinished(pid: worker.pid)
    }

    // MARK: Answers

    /// Answers from the supervisor itself (errors, preflight), then continues or closes.
    private func answer(_ response: HTTPResponse) {
        exchange?.status = response.status
        exchange?.bytesOut += response.body.count
        if !requestComplete && !keepAlive { return answerAndClose(response) }
        send(HTTPResponseSerializer.fixed(response, keepAlive: keepAlive))
        phase = .head
        if requestComplete { finishExchange() } else { updateInterest() }
    }

    private func answerAndClose(_ response: HTTPResponse) {
        if exchange == nil { exchange = Exchange(started: headStartedAt ?? Reactor.now()) }  // a request that never parsed
        exchange?.status = response.status
        keepAlive = false
        send(HTTPResponseSerializer.fixed(response, keepAlive: false))
        phase = .closing
        if outbound.isEmpty { close() } else { updateInterest() }
    }

    /// The exchange is over: next request, or close.
    private func finishExchange() {
        endExchange()
        request = nil
        lastActivity = Reactor.now()
        guard keepAlive else {
            phase = .closing
            if outbound.isEmpty { close() } else { updateInterest() }
            return
        }
        phase = .head
        requestComplete = false
        // Input that came early (pipelined) is the next request's head: its deadline runs now.
        if !parser.isIdle { headStartedAt = lastActivity }
        updateInterest()
        parseBuffered()
    }

    // MARK: Output

    private func send(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        outbound.append(bytes)
        if !corked { flush() }
    }

    /// Sends what `write` appends, built in the connection's own output storage.
    private func send(writing write: (inout [UInt8]) -> Void) {
        guard !isClosed else { return }
        outbound.append(writing: write)
        if !corked { flush() }
    }

    private func flush() {
        guard !isClosed else { return }
        if writeFailed { return close() }
        switch outbound.flush(to: fd) {
        case .wouldBlock:
            waitingForRoom = true
            upstream?.setReadingPaused(outbound.pendingCount > Self.highWaterMark)
            return updateInterest()
        case .closed:
            return close()
        case .done:
            waitingForRoom = false
            upstream?.setReadingPaused(false)
            if phase == .closing { return close() }
            updateInterest()
        }
    }

    /// What epoll watches: the client's input unless it has finished or sent too much ahead,
    /// and writability only after a write found the socket full (corked output is not waiting).
    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: UInt32 = 0
        let readsMore = readsClient || parser.bufferedByteCount < EpollInterest.readAheadLimit
        if !clientFinished, phase != .closing, readsMore { wanted |= EpollInterest.input }
        if waitingForRoom { wanted |= Epoll.writable }
        interest.set(wanted, fd: fd, on: reactor)
    }

    // MARK: Lifecycle

    func checkTimeouts(now: UInt64) {
        let config = host.serverConfiguration
        if phase == .forwarding || phase == .waiting, !requestComplete, now - lastActivity > config.headTimeoutMs * 1_000_000 {
            // The client stopped sending the body it announced: its fault, not the worker's.
            return close()
        }
        if phase == .forwarding, requestComplete, let worker, now - forwardedAt > host.requestTimeoutMs * 1_000_000 {
            return timedOut(on: worker)
        }
        if phase == .head, request != nil, now - lastActivity > config.headTimeoutMs * 1_000_000 {
            // Answered already (a rejection), but the body it announced stopped coming.
            close()
        } else if phase == .head, let started = headStartedAt, now - started > config.headTimeoutMs * 1_000_000 {
            answerAndClose(ErrorResponses.protocolError(status: 408, reason: "request head not received within \(config.headTimeoutMs / 1000) s"))
        } else if isIdle, now - lastActivity > config.keepAliveIdleMs * 1_000_000 {
            close()
        }
    }

    /// The worker did not answer in time: 504 (or, mid-answer, a closed connection), and the
    /// worker is recycled, since a stuck request usually means a stuck process.
    private func timedOut(on worker: WorkerHandle) {
        let seconds = host.requestTimeoutMs / 1000
        host.requestStuck(on: worker)
        releaseUpstream(reusable: false)
        guard !responseStarted else { return close() }
        keepAlive = keepAlive && requestComplete
        answer(ErrorResponses.response(for: Rejection(
            status: 504, code: "WORKER_TIMEOUT", message: "The tenant's worker did not answer within \(seconds) s; it is being restarted")))
    }

    /// Shutdown: close if idle, otherwise close after the current answer.
    func drain() {
        keepAlive = false
        if isIdle { close() }
    }

    private func endExchange() {
        guard var finished = exchange.take() else { return }
        if finished.tenant == nil { finished.clientHeader = request?.fields[Routing.header] }
        host.exchangeFinished(finished)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        if exchange?.status == 0 { exchange?.status = 499 }  // nginx's "client closed request"
        endExchange()
        if let connection = upstream, let worker {
            // The client left mid-answer: the worker's connection is out of step; drop it
            // (for an event stream that is the cancellation the 2026-07-28 revision asks for).
            upstream = nil
            self.worker = nil
            connection.receiver = nil
            worker.release(connection, reusable: false, turn: reactor.turn)
            host.requestFinished(pid: worker.pid)
        }
        reactor.unregister(fd)
        IO.close(fd)
        host.connectionClosed(self)
    }
}
