import CSystem
import Glibc
import EventLoop
import HTTP1
import Posix

/// Who receives what a worker answers on an upstream connection.
protocol UpstreamReceiver: AnyObject {
    /// The parts read in one go have all been delivered (write them out together).
    func upstreamDelivered()
    func upstreamResponded(_ part: HTTPResponsePart)
    /// Body bytes lent from the connection's parser (valid only during the call); the receiver
    /// must not call back into the connection meanwhile.
    func upstreamBody(_ bytes: UnsafeRawBufferPointer)
    /// The connection failed or closed before the answer was complete.
    func upstreamFailed()
}

/// One keep-alive HTTP/1.1 connection from the supervisor to a worker's Unix socket.
/// It carries one request at a time; between requests it idles in its worker's pool.
final class UpstreamConnection: ReactorHandler {
    let fd: Int32
    let workerPID: Int32
    private let reactor: Reactor
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var parser = HTTPResponseParser()
    private var outbound = OutboundBuffer()
    private let interest = EpollInterest(EpollInterest.input)
    private(set) var isClosed = false
    /// The worker said `Connection: close`, or the exchange failed: do not reuse.
    private(set) var isReusable = true
    private var readingPaused = false
    /// Strong, and cleared whenever an exchange ends (the receiver's release or close, or
    /// `fail`): a weak reference would give every proxy connection a side table, which puts
    /// each retain and release of it on the runtime's slow path.
    var receiver: (any UpstreamReceiver)?
    /// Called when the connection closes while idle in the pool.
    var onIdleClose: ((UpstreamConnection) -> Void)?
    /// The loop turn in which the connection last went back to the pool.
    var idleSinceTurn: UInt64 = 0

    init(path: String, workerPID: Int32, reactor: Reactor, readBuffer: UnsafeMutableRawBufferPointer) throws(SystemError) {
        fd = try Socket.connectUnix(path: path)
        // Only our own child may answer for a tenant: a stranger that bound the path would see
        // requests (and could answer for the tenant) otherwise.
        guard Socket.peerCredentials(fd)?.pid == workerPID else {
            IO.close(fd)
            throw SystemError("SO_PEERCRED: the socket's listener is not worker \(workerPID)", errno: EPERM)
        }
        self.workerPID = workerPID
        self.reactor = reactor
        self.readBuffer = readBuffer
        do { try reactor.register(fd, events: interest.events, handler: self) } catch {
            IO.close(fd)
            throw error
        }
    }

    var hasPendingOutput: Bool { !outbound.isEmpty }

    func send(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        outbound.append(bytes)
        if !corked { flush() }
    }

    /// Sends what `write` appends, built in the connection's own output storage.
    func send(writing write: (inout [UInt8]) -> Void) {
        guard !isClosed else { return }
        outbound.append(writing: write)
        if !corked { flush() }
    }

    /// Stops reading answers while the client cannot take more (response backpressure).
    func setReadingPaused(_ paused: Bool) {
        guard paused != readingPaused else { return }
        readingPaused = paused
        updateInterest()
        if !paused { drainParser() }
    }

    /// While corked, `send` only collects bytes; `uncork` writes them in one system call.
    private var corked = false

    func cork() { corked = true }

    func uncork() {
        corked = false
        flush()
    }

    func reactorEvent(_ events: UInt32) {
        if events & Epoll.writable != 0 { flush() }
        if isClosed || readingPaused { return }
        if events & (Epoll.readable | Epoll.hangup) != 0 { readAvailable() }
    }

    private func readAvailable() {
        for _ in 0..<16 where !isClosed && !readingPaused {
            let result: IOResult
            do { result = try IO.read(fd, into: readBuffer) } catch { return fail() }
            switch result {
            case .done(let n):
                // Parsed (and its body written out) where it was read. Nothing reads into the
                // shared buffer while an answer is drained, and what is left unparsed (the
                // client is slow, or a head is cut) is copied in before the next read.
                parser.borrow(UnsafeRawBufferPointer(rebasing: readBuffer[..<n]))
                drainParser()
                parser.endBorrowing()
                if n < readBuffer.count { return }  // drained: level-triggered epoll reports more
            case .wouldBlock:
                return
            case .closed:
                return endOfStream()
            }
        }
    }

    private func drainParser() {
        let batch = receiver
        defer { batch?.upstreamDelivered() }
        while !isClosed, !readingPaused {
            // Body bytes go to the receiver while the parser lends them; a head or the end is
            // delivered after, when the parser is free again.
            var whole: HTTPResponsePart?
            var unasked = false
            let found: Bool
            do {
                found = try parser.withNext { part in
                    switch part {
                    case nil: return false
                    case .head(let head): whole = .head(head)
                    case .end: whole = .end
                    case .body(let bytes):
                        if let receiver { receiver.upstreamBody(bytes) } else { unasked = true }
                    }
                    return true
                }
            } catch { return fail() }
            guard found else { return }
            guard let receiver, !unasked else { return fail() }  // an answer nobody asked for: the stream is out of step
            guard let whole else { continue }
            if case .head(let head) = whole, head.fields.values("Connection").contains(where: { $0.lowercased().contains("close") }) {
                isReusable = false
            }
            receiver.upstreamResponded(whole)
        }
    }

    private func endOfStream() {
        if receiver == nil {
            close()
            onIdleClose?(self)
            return
        }
        if let part = try? parser.finishAtEOF(), part == .end {
            receiver?.upstreamResponded(.end)
        }
        fail()
    }

    private func fail() {
        isReusable = false
        let receiver = self.receiver
        self.receiver = nil
        close()
        receiver?.upstreamFailed()
    }

    private func flush() {
        guard !isClosed else { return }
        switch outbound.flush(to: fd) {
        case .wouldBlock: return updateInterest()
        case .closed: return fail()
        case .done:
            // Writability was watched only if an earlier write found the socket full.
            if interest.events & Epoll.writable != 0 { updateInterest() }
        }
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: UInt32 = EPOLLRDHUP.rawValue
        if !readingPaused { wanted |= Epoll.readable }
        if hasPendingOutput { wanted |= Epoll.writable }
        interest.set(wanted, fd: fd, on: reactor)
    }

    /// Ready for the next request on the same connection?
    var canBeReused: Bool { !isClosed && isReusable && parser.isIdle && !hasPendingOutput }

    /// Whether the worker's end is still open, looked at without consuming anything: a worker
    /// that just died has closed it, and the loop may not have read that EOF yet.
    var peerIsOpen: Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        reactor.unregister(fd)
        IO.close(fd)
    }
}
