import EventLoop
import Foundation
import OneAppTools
import Testing

@testable import WorkerRuntime

/// The two real transports against a local server, case by case: what they send, and how each
/// kind of failure comes back. `loop` is the worker's own HTTP client (plain http to an address),
/// `urlSession` the URLSession one (https and host names).
enum TransportKind: CaseIterable, CustomStringConvertible {
    case urlSession, loop

    var description: String { self == .loop ? "worker HTTP client" : "URLSession" }

    /// A transport of this kind; the loop one runs on a reactor thread of its own until `stop`.
    func make(timeoutMs: Int, maximumBodyBytes: Int = URLSessionTransport.defaultMaximumBodyBytes) throws -> (any UpstreamTransport, stop: () -> Void) {
        switch self {
        case .urlSession: return (URLSessionTransport(timeoutMs: timeoutMs, maximumBodyBytes: maximumBodyBytes), {})
        case .loop:
            let reactor = try Reactor()
            let thread = Thread { reactor.run() }
            thread.start()
            return (WorkerTransport(reactor: reactor, timeoutMs: timeoutMs, maximumBodyBytes: maximumBodyBytes), { reactor.stop() })
        }
    }
}

@Suite("Upstream transports", .serialized)
struct UpstreamTransportTests {
    func request(_ port: UInt16, _ path: String, method: String = "GET", body: String? = nil, timeoutMs: Int = 5_000)
        -> UpstreamRequest
    {
        UpstreamRequest(
            method: method, url: "http://127.0.0.1:\(port)\(path)",
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer t0k3n"), ("client", "acme")],
            body: body.map { Array($0.utf8) }, timeoutMs: timeoutMs)
    }

    @Test("200 JSON: status and body come back; method, path, headers and body went out", arguments: TransportKind.allCases)
    func ok(_ kind: TransportKind) async throws {
        let server = try LocalHTTPServer { _ in
            .reply(LocalHTTPServer.response("200 OK", ["Content-Type: application/json"], body: #"{"ok":true}"#))
        }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 5_000)
        defer { stop() }
        let answer = await transport.send(
            request(server.port, "/visual/moai?x=a%2Cb", method: "POST", body: #"{"a":1}"#))
        #expect(answer == .success(UpstreamResponse(status: 200, body: Array(#"{"ok":true}"#.utf8))))
        let received = try #require(server.received.first)
        #expect(received.requestLine == "POST /visual/moai?x=a%2Cb HTTP/1.1")
        #expect(received.headerLines.contains("Authorization: Bearer t0k3n"))
        // FoundationNetworking capitalises header names (`Client`); names are case-insensitive.
        #expect(received.headerLines.contains { $0.lowercased() == "client: acme" })
        #expect(received.headerLines.contains { $0.lowercased() == "content-type: application/json" })
        #expect(!received.headerLines.contains { $0.lowercased().hasPrefix("cookie") })
        #expect(received.body == Array(#"{"a":1}"#.utf8))
    }

    @Test("a non-2xx status is an answer, not a failure", arguments: TransportKind.allCases)
    func notFound(_ kind: TransportKind) async throws {
        let server = try LocalHTTPServer { _ in .reply(LocalHTTPServer.response("404 Not Found", body: "nope")) }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 5_000)
        defer { stop() }
        let answer = await transport.send(request(server.port, "/core/zonas"))
        #expect(answer == .success(UpstreamResponse(status: 404, body: Array("nope".utf8))))
    }

    @Test("a redirect is not followed (it could carry the credentials to another host)", arguments: TransportKind.allCases)
    func redirect(_ kind: TransportKind) async throws {
        let server = try LocalHTTPServer { request in
            .reply(LocalHTTPServer.response("302 Found", ["Location: http://127.0.0.1:1/elsewhere"], body: "moved"))
        }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 5_000)
        defer { stop() }
        let answer = await transport.send(request(server.port, "/core/zonas"))
        #expect(answer == .success(UpstreamResponse(status: 302, body: Array("moved".utf8))))
        #expect(server.received.count == 1)
    }

    @Test("connection refused", arguments: TransportKind.allCases)
    func refused(_ kind: TransportKind) async throws {
        let port = try LocalHTTPServer.closedPort()
        let (transport, stop) = try kind.make(timeoutMs: 5_000)
        defer { stop() }
        let answer = await transport.send(request(port, "/core/zonas"))
        #expect(answer == .failure(.connectionFailed(reason: "connection refused or host unreachable")))
    }

    @Test("a server that never answers times out after the request's timeout", arguments: TransportKind.allCases)
    func timeout(_ kind: TransportKind) async throws {
        let server = try LocalHTTPServer { _ in .replyAndHold([]) }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 300)
        defer { stop() }
        let started = ContinuousClock.now
        let answer = await transport.send(request(server.port, "/core/zonas", timeoutMs: 300))
        let elapsed = ContinuousClock.now - started
        #expect(answer == .failure(.timedOut(ms: 300)))
        #expect(elapsed >= .milliseconds(250), "\(elapsed)")  // not early; "not late" is a benchmark matter
    }

    @Test("a server that keeps sending slowly is still cut off at the deadline", arguments: TransportKind.allCases)
    func trickle(_ kind: TransportKind) async throws {
        let server = try LocalHTTPServer { _ in
            .custom { fd in
                guard LocalHTTPServer.writeAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".utf8)) else { return }
                for _ in 0..<50 {
                    usleep(50_000)
                    guard LocalHTTPServer.writeAll(fd, [0x20]) else { return }
                }
            }
        }
        defer { server.stop() }
        // Had the transport waited for the whole (valid, 2.5 s) body, the answer would be a success.
        let (transport, stop) = try kind.make(timeoutMs: 400)
        defer { stop() }
        let answer = await transport.send(request(server.port, "/core/zonas", timeoutMs: 400))
        #expect(answer == .failure(.timedOut(ms: 400)))
    }

    @Test("a declared Content-Length above the limit is refused at once", arguments: TransportKind.allCases)
    func declaredTooLarge(_ kind: TransportKind) async throws {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\nContent-Type: application/json\r\n\r\n"
        // Fewer bytes than the limit arrive: only the declared length can trigger the refusal.
        let server = try LocalHTTPServer { _ in .replyAndHold(Array(head.utf8) + Array(repeating: 0x20, count: 100)) }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 5_000, maximumBodyBytes: 1024)
        defer { stop() }
        // The server holds the connection: without the early refusal the answer would be a timeout.
        let answer = await transport.send(request(server.port, "/visual/moai"))
        #expect(answer == .failure(.bodyTooLarge(limit: 1024)))
    }

    @Test("a body without Content-Length is capped while it arrives", arguments: TransportKind.allCases)
    func streamedTooLarge(_ kind: TransportKind) async throws {
        let head = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n"
        let server = try LocalHTTPServer { _ in .reply(Array(head.utf8) + Array(repeating: 0x20, count: 8192)) }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 5_000, maximumBodyBytes: 1024)
        defer { stop() }
        #expect(await transport.send(request(server.port, "/visual/moai")) == .failure(.bodyTooLarge(limit: 1024)))
        // The session is still usable afterwards.
        let small = try LocalHTTPServer { _ in .reply(LocalHTTPServer.response("200 OK", body: "[]")) }
        defer { small.stop() }
        #expect(
            await transport.send(request(small.port, "/x"))
                == .success(UpstreamResponse(status: 200, body: Array("[]".utf8))))
    }

    @Test("a body exactly at the limit passes", arguments: TransportKind.allCases)
    func atLimit(_ kind: TransportKind) async throws {
        let body = String(repeating: "1", count: 1024)
        let server = try LocalHTTPServer { _ in .reply(LocalHTTPServer.response("200 OK", body: body)) }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 5_000, maximumBodyBytes: 1024)
        defer { stop() }
        let answer = await transport.send(request(server.port, "/x"))
        #expect(answer == .success(UpstreamResponse(status: 200, body: Array(body.utf8))))
    }

    @Test("an invalid URL fails without sending", arguments: TransportKind.allCases)
    func invalidURL(_ kind: TransportKind) async throws {
        let bad = UpstreamRequest(method: "GET", url: "http://exa mple.cl/x", headers: [], body: nil, timeoutMs: 100)
        let (transport, stop) = try kind.make(timeoutMs: 100)
        defer { stop() }
        guard case .failure(.other) = await transport.send(bad) else {
            Issue.record("expected .other")
            return
        }
    }

    @Test("a header value with a line break is refused, not sent", arguments: TransportKind.allCases)
    func headerInjection(_ kind: TransportKind) async throws {
        let server = try LocalHTTPServer { _ in .reply(LocalHTTPServer.response("200 OK", body: "[]")) }
        defer { server.stop() }
        let (transport, stop) = try kind.make(timeoutMs: 2_000)
        defer { stop() }
        let smuggling = UpstreamRequest(
            method: "GET", url: "http://127.0.0.1:\(server.port)/x", headers: [("client", "acme\r\nX-Evil: 1")], body: nil, timeoutMs: 2_000)
        let answer = await transport.send(smuggling)
        #expect(!server.received.contains { $0.headerLines.contains("X-Evil: 1") })
        if kind == .loop { #expect(answer == .failure(.other(reason: "control character in client"))) }
    }

    @Test("a server that closes a kept-alive connection after answering: the following requests still succeed")
    func serverClosesIdleConnection() async throws {
        // No `Connection: close`: the client pools the connection, which the server then closes.
        let server = try LocalHTTPServer { _ in
            .custom { fd in _ = LocalHTTPServer.writeAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]".utf8)) }
        }
        defer { server.stop() }
        let (transport, stop) = try TransportKind.loop.make(timeoutMs: 5_000)
        defer { stop() }
        for _ in 0..<5 {
            #expect(await transport.send(request(server.port, "/x")) == .success(UpstreamResponse(status: 200, body: Array("[]".utf8))))
        }
    }

    @Test("requests beyond the connection limit wait their turn; each gets its own answer")
    func manyAtOnce() async throws {
        let server = try LocalHTTPServer { request in
            usleep(20_000)
            return .reply(LocalHTTPServer.response("200 OK", body: String(request.requestLine.split(separator: " ")[1])))
        }
        defer { server.stop() }
        let (transport, stop) = try TransportKind.loop.make(timeoutMs: 5_000)
        defer { stop() }
        let answers = await withTaskGroup(of: (Int, Result<UpstreamResponse, UpstreamFailure>).self) { group in
            for i in 0..<40 { group.addTask { (i, await transport.send(request(server.port, "/n/\(i)"))) } }
            var all: [Int: Result<UpstreamResponse, UpstreamFailure>] = [:]
            for await (i, answer) in group { all[i] = answer }
            return all
        }
        for i in 0..<40 { #expect(answers[i] == .success(UpstreamResponse(status: 200, body: Array("/n/\(i)".utf8)))) }
    }
}
