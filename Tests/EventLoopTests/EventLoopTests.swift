import Foundation
import Glibc
import HTTP1
import Posix
import Synchronization
import Testing

@testable import EventLoop

/// Runs a reactor on its own thread for a test, and stops it afterwards.
final class RunningReactor: @unchecked Sendable {
    let reactor: Reactor
    private var thread: pthread_t?

    init() throws {
        reactor = try Reactor()
        let box = Unmanaged.passRetained(reactor)
        var thread = pthread_t()
        pthread_create(&thread, nil, { raw in
            let reactor = Unmanaged<Reactor>.fromOpaque(raw!).takeRetainedValue()
            reactor.run()
            return nil
        }, box.toOpaque())
        self.thread = thread
    }

    func stop() {
        reactor.stop()
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }
}

struct TimerQueueTests {
    @Test("timers fire in deadline order; cancelled ones never fire")
    func order() {
        var queue = TimerQueue()
        let fired = Mutex<[Int]>([])
        _ = queue.schedule(at: 30) { fired.withLock { $0.append(3) } }
        _ = queue.schedule(at: 10) { fired.withLock { $0.append(1) } }
        let cancelled = queue.schedule(at: 20) { fired.withLock { $0.append(2) } }
        queue.cancel(cancelled)
        #expect(queue.millisecondsUntilNext(now: 0) == 1)  // 10 ns rounds up to 1 ms
        for action in queue.takeDue(now: 15) { action() }
        #expect(fired.withLock { $0 } == [1])
        for action in queue.takeDue(now: 100) { action() }
        #expect(fired.withLock { $0 } == [1, 3])
        #expect(queue.millisecondsUntilNext(now: 100) == -1)
    }
}

struct ReactorTests {
    @Test("jobs from other threads run on the loop thread, in order")
    func crossThread() async throws {
        let running = try RunningReactor()
        defer { running.stop() }
        let seen = Mutex<[Int]>([])
        let onLoop = Mutex<Bool>(true)
        for i in 0..<100 {
            running.reactor.execute {
                if !running.reactor.isOnLoopThread { onLoop.withLock { $0 = false } }
                seen.withLock { $0.append(i) }
            }
        }
        for _ in 0..<200 where seen.withLock({ $0.count }) < 100 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(seen.withLock { $0 } == Array(0..<100))
        #expect(onLoop.withLock { $0 })
    }

    @Test("a timer scheduled on the loop fires after its delay")
    func timer() async throws {
        let running = try RunningReactor()
        defer { running.stop() }
        let fired = Atomic<UInt64>(0)
        let start = Reactor.now()
        running.reactor.execute { running.reactor.schedule(afterMs: 50) { fired.store(Reactor.now(), ordering: .relaxed) } }
        for _ in 0..<100 where fired.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let elapsed = fired.load(ordering: .relaxed) &- start
        #expect(elapsed >= 50_000_000)
    }
}

struct ReactorTaskExecutorTests {
    @Test("a job the loop hands itself runs without any other event waking the loop")
    func jobFromTheLoop() async throws {
        let running = try RunningReactor()
        defer { running.stop() }
        let ran = Atomic<Bool>(false)
        // No timer and no descriptor is pending: only the inbox keeps the loop from sleeping.
        running.reactor.execute { running.reactor.execute { ran.store(true, ordering: .relaxed) } }
        for _ in 0..<200 where !ran.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
        let didRun = ran.load(ordering: .relaxed)
        #expect(didRun)
    }

    @Test("a task that prefers the loop runs on it, child tasks too, and comes back to it after a resumption from another thread")
    func taskOnTheLoop() async throws {
        let running = try RunningReactor()
        defer { running.stop() }
        let reactor = running.reactor
        let result = Mutex<[Bool]?>(nil)
        Task(executorPreference: reactor) {
            var places = [reactor.isOnLoopThread]
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread { continuation.resume() }
            }
            places.append(reactor.isOnLoopThread)
            places += await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<3 { group.addTask { reactor.isOnLoopThread } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            result.withLock { $0 = places }
        }
        // Polled, not awaited: a task stuck on a sleeping loop must fail the test, not hang it.
        for _ in 0..<200 where result.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        #expect(result.withLock { $0 } == [true, true, true, true, true])
    }
}

/// Answers `/now` at once, `/later` from another thread through the writer, `/stream` as chunks.
final class EchoHandler: HTTPServerHandler {
    func handle(_ request: IncomingRequest) -> HTTPResponse? {
        switch request.head.path {
        case "/now":
            return HTTPResponse(status: 200, body: request.body)
        case "/later":
            let writer = request.makeWriter()
            let body = request.body
            Task.detached { writer.respond(HTTPResponse(status: 201, body: body)) }
            return nil
        default:
            let writer = request.makeWriter()
            Task.detached {
                writer.beginStream(status: 200, fields: HTTPFields([("Content-Type", "text/event-stream")]))
                writer.sendStreamBytes(Array("data: 1\n\n".utf8))
                writer.sendStreamBytes(Array("data: 2\n\n".utf8))
                writer.endStream()
            }
            return nil
        }
    }
}

private struct Response: Sendable {
    var status: Int
    var body: [UInt8]
}

struct HTTPServerTests {
    /// Starts a server on a free port; returns it with a connected blocking client socket.
    func start(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration()) throws -> (RunningReactor, EchoHandler, HTTPServer, Int32) {
        let running = try RunningReactor()
        let handler = EchoHandler()
        let server = HTTPServer(reactor: running.reactor, configuration: configuration, handler: handler)
        let listener = try Socket.listen(.inet(host: "127.0.0.1", port: 0))
        let port = try #require(Socket.localPort(listener))
        let bound = LoopBound(server, reactor: running.reactor)
        running.reactor.execute { _ = try? bound.value.listen(fd: listener) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return (running, handler, server, fd)
    }

    func readResponses(_ fd: Int32, count: Int) throws -> [(Int, [UInt8])] {
        var parser = HTTPResponseParser()
        var responses: [(Int, [UInt8])] = []
        var status = 0
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while responses.count < count {
            while let part = try parser.next() {
                switch part {
                case .head(let head): status = head.status
                case .body(let bytes): body += bytes
                case .end:
                    responses.append((status, body))
                    body = []
                }
            }
            guard responses.count < count else { break }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            parser.append(Array(buffer[..<n]))
        }
        return responses
    }

    @Test("pipelined requests, answered now, later and streamed, come back in order on one connection")
    func pipelining() async throws {
        let (running, handler, server, fd) = try start()
        defer {
            close(fd)
            running.stop()
            withExtendedLifetime((handler, server)) {}
        }
        let requests = "POST /later HTTP/1.1\r\nContent-Length: 1\r\n\r\nA" + "POST /now HTTP/1.1\r\nContent-Length: 1\r\n\r\nB"
            + "GET /stream HTTP/1.1\r\n\r\n" + "POST /now HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nC\r\n0\r\n\r\n"
        _ = requests.withCString { send(fd, $0, strlen($0), 0) }
        // Read off the cooperative pool: /later and /stream answer from tasks, which need it.
        let responses = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.readResponses(fd, count: 4).map { Response(status: $0.0, body: $0.1) } }) }.start()
        }.map { ($0.status, $0.body) }
        #expect(responses.map(\.0) == [201, 200, 200, 200])
        #expect(responses.map { String(decoding: $0.1, as: UTF8.self) } == ["A", "B", "data: 1\n\ndata: 2\n\n", "C"])
    }

    @Test("a client that half-closes after its request still gets the answer, then the connection closes")
    func halfClose() async throws {
        let (running, handler, server, fd) = try start()
        defer {
            close(fd)
            running.stop()
            withExtendedLifetime((handler, server)) {}
        }
        _ = "POST /later HTTP/1.1\r\nContent-Length: 1\r\n\r\nZ".withCString { send(fd, $0, strlen($0), 0) }
        shutdown(fd, Int32(SHUT_WR))
        let responses = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.readResponses(fd, count: 1).map { Response(status: $0.0, body: $0.1) } }) }.start()
        }
        #expect(responses.map(\.status) == [201] && responses.first?.body == Array("Z".utf8))
        var byte: UInt8 = 0
        #expect(recv(fd, &byte, 1, 0) == 0)  // closed after the answer
    }

    @Test("a pipelined head that never completes still meets the head deadline: 408, then close")
    func pipelinedSlowloris() async throws {
        let (running, handler, server, fd) = try start(HTTPServerConfiguration(headTimeoutMs: 300))
        defer {
            close(fd)
            running.stop()
            withExtendedLifetime((handler, server)) {}
        }
        _ = "POST /later HTTP/1.1\r\nContent-Length: 1\r\n\r\nZPOST /now HTT".withCString { send(fd, $0, strlen($0), 0) }
        let responses = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.readResponses(fd, count: 2).map { Response(status: $0.0, body: $0.1) } }) }.start()
        }
        #expect(responses.map(\.status) == [201, 408])
    }

    @Test("a parse error is answered with its status and the connection is closed")
    func parseError() throws {
        let (running, handler, server, fd) = try start()
        defer {
            close(fd)
            running.stop()
            withExtendedLifetime((handler, server)) {}
        }
        _ = "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n".withCString { send(fd, $0, strlen($0), 0) }
        let responses = try readResponses(fd, count: 1)
        #expect(responses.first?.0 == 400)
        var byte: UInt8 = 0
        #expect(recv(fd, &byte, 1, 0) == 0)
    }
}

struct HTTPOriginTests {
    @Test("plain http to an address or localhost: origin and request target", arguments: [
        ("http://127.0.0.1:8090/core/zonas?page=1", "127.0.0.1", 8090, "/core/zonas?page=1"),
        ("http://localhost/x", "localhost", 80, "/x"),
        ("http://LOCALHOST:81", "localhost", 81, "/"),
        ("http://[::1]:9/a#frag", "::1", 9, "/a"),
        ("http://10.0.0.7?q=1", "10.0.0.7", 80, "/?q=1"),
        ("http://[::1]", "::1", 80, "/"),
        ("http://127.0.0.1#frag", "127.0.0.1", 80, "/"),
        ("http://Localhost:8090/a/b%20c?x=%C3%B1&y#z", "localhost", 8090, "/a/b%20c?x=%C3%B1&y"),
    ] as [(String, String, Int, String)])
    func parses(_ url: String, _ host: String, _ port: Int, _ target: String) throws {
        let (origin, parsedTarget) = try #require(HTTPOrigin.parse(url))
        #expect(origin.host == host && Int(origin.port) == port && parsedTarget == target)
    }

    @Test("everything else is left to URLSession", arguments: [
        "https://127.0.0.1/x", "http://api.oneapp.cl/x", "http://user@127.0.0.1/x", "http://127.0.0.1:0/x", "http://127.0.0.1:99999/x",
        "http://[::1/x", "ftp://127.0.0.1/x", "http://127.0.0.1:/x", "http://[::1]x/", "http://[::1]:0", "HTTP://127.0.0.1/x", "http:/127.0.0.1/x",
    ])
    func rejects(_ url: String) {
        #expect(HTTPOrigin.parse(url) == nil)
    }
}

struct OutboundBufferTests {
    /// A connected pair whose writing end (0) is non-blocking with a small send buffer, so
    /// writes stop part way.
    private func smallSocketPair() throws -> [Int32] {
        var fds: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        var small: Int32 = 4096
        setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        IO.setNonBlocking(fds[0])
        return fds
    }

    /// Flushes and reads until `count` bytes came out of the pair; the buffer must end empty.
    private func drain(_ buffer: inout OutboundBuffer, through fds: [Int32], expecting count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while received.count < count {
            #expect(buffer.flush(to: fds[0]) != .closed)
            let n = read(fds[1], &chunk, chunk.count)
            if n > 0 { received += chunk[..<n] }
        }
        #expect(buffer.isEmpty && buffer.pendingCount == 0)
        return received
    }

    @Test("pieces big and small come out whole and in order, across partial writes to a full socket")
    func orderAcrossPartialWrites() throws {
        let fds = try smallSocketPair()
        defer { fds.forEach { close($0) } }
        var buffer = OutboundBuffer()
        var expected: [UInt8] = []
        for i in 0..<40 {
            // Heads and chunk lines (joined), bodies (kept apart), in turn.
            let piece = [UInt8](repeating: UInt8(i), count: i % 3 == 0 ? 30_000 + i : 10 + i)
            buffer.append(piece)
            expected += piece
        }
        #expect(buffer.pendingCount == expected.count)
        #expect(drain(&buffer, through: fds, expecting: expected.count) == expected)
    }

    @Test("pieces written in place (joined to a small last piece, or in kept storage) keep their order among the others")
    func writtenInPlace() throws {
        let fds = try smallSocketPair()
        defer { fds.forEach { close($0) } }
        var buffer = OutboundBuffer()
        var expected: [UInt8] = []
        var received: [UInt8] = []
        for round in 0..<30 {
            let head = [UInt8](repeating: UInt8(round), count: 50 + round)
            buffer.append { $0 += head }
            expected += head
            let body = [UInt8](repeating: UInt8(200 - round), count: round % 2 == 0 ? 9000 : 30)
            buffer.append(body)
            expected += body
            buffer.append { _ in }  // writing nothing queues nothing
            // Written out now and then, so later heads go into storage kept from earlier ones.
            if round % 5 == 4 { received += drain(&buffer, through: fds, expecting: buffer.pendingCount) }
        }
        received += drain(&buffer, through: fds, expecting: buffer.pendingCount)
        #expect(received == expected)
    }

    @Test("lent bytes follow what is queued, whole and in order; what a full socket does not take is kept", arguments: [0, 1, 20])
    func lentAfterQueued(queuedPieces: Int) throws {
        let fds = try smallSocketPair()
        defer { fds.forEach { close($0) } }
        var buffer = OutboundBuffer()
        var expected: [UInt8] = []
        // More pieces than one system call takes, so the lent bytes wait their turn.
        for i in 0..<queuedPieces {
            let piece = [UInt8](repeating: UInt8(i), count: i % 2 == 0 ? 3000 : 20)
            buffer.append(piece)
            expected += piece
        }
        var lent = [UInt8](repeating: 0, count: 200_000)
        for i in lent.indices { lent[i] = UInt8(truncatingIfNeeded: i &* 7) }
        expected += lent
        let result = lent.withUnsafeBytes { buffer.flush(to: fds[0], thenLent: $0) }
        lent = []  // the buffer kept its own copy of what was not written
        #expect(result == .wouldBlock)
        #expect(buffer.pendingCount > 0)
        #expect(drain(&buffer, through: fds, expecting: expected.count) == expected)
    }

    @Test("a peer that is gone makes the flush report closed")
    func closedPeer() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[0]) }
        close(fds[1])
        var buffer = OutboundBuffer()
        buffer.append([1, 2, 3])
        buffer.append([UInt8](repeating: 9, count: 5000))
        #expect(buffer.flush(to: fds[0]) == .closed)
        #expect([UInt8](repeating: 7, count: 100).withUnsafeBytes { buffer.flush(to: fds[0], thenLent: $0) } == .closed)
    }
}
