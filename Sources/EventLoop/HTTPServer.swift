import HTTP1
import Posix

/// Limits and timeouts of an HTTP server; every one has a configuration key in the README.
public struct HTTPServerConfiguration: Sendable {
    public var limits: HTTPLimits
    /// A request head must be complete this long after its first byte (slowloris guard → 408).
    public var headTimeoutMs: UInt64
    /// An idle keep-alive connection is closed after this long.
    public var keepAliveIdleMs: UInt64
    /// Connections beyond this are accepted and closed at once.
    public var maxConnections: Int
    /// Renders a parse failure or timeout (status 400/408/413/431/501/505) as a response.
    public var errorResponse: @Sendable (_ status: Int, _ reason: String) -> HTTPResponse
    /// Decides, from the accepted descriptor (e.g. its SO_PEERCRED), whether to serve it.
    public var acceptsPeer: (@Sendable (Int32) -> Bool)?

    public init(
        limits: HTTPLimits = HTTPLimits(), headTimeoutMs: UInt64 = 10_000, keepAliveIdleMs: UInt64 = 60_000,
        maxConnections: Int = 10_000,
        errorResponse: @escaping @Sendable (Int, String) -> HTTPResponse = HTTPServerConfiguration.plainError
    ) {
        self.limits = limits
        self.headTimeoutMs = headTimeoutMs
        self.keepAliveIdleMs = keepAliveIdleMs
        self.maxConnections = maxConnections
        self.errorResponse = errorResponse
    }

    public static let plainError: @Sendable (Int, String) -> HTTPResponse = { status, reason in
        HTTPResponse(status: status, fields: HTTPFields([("Content-Type", "text/plain; charset=utf-8")]), body: Array((reason + "\n").utf8))
    }
}

/// Answers complete requests. Return a response to answer at once, or nil and answer later
/// (from any thread) through `request.makeWriter()`, which must then be called before returning.
public protocol HTTPServerHandler: AnyObject {
    func handle(_ request: IncomingRequest) -> HTTPResponse?
}

/// A complete request as the handler sees it.
public struct IncomingRequest {
    public let head: HTTPRequestHead
    public let body: [UInt8]
    let connection: HTTPServerConnection
    let serial: UInt64

    /// The writer for answering this request later, from any thread.
    public func makeWriter() -> any ResponseWriter {
        connection.makeWriter(serial: serial)
    }
}

/// An HTTP/1.1 server on a reactor: listeners, connections, keep-alive and timeouts.
/// Lives on the loop thread; requests on one connection are answered one at a time, in order.
public final class HTTPServer {
    public let reactor: Reactor
    public let configuration: HTTPServerConfiguration
    unowned(unsafe) var handler: any HTTPServerHandler
    var connections: [Int32: HTTPServerConnection] = [:]
    private var listeners: [Listener] = []
    private var sweepTimer: TimerQueue.ID?
    private var drainCompletion: (() -> Void)?
    /// Scratch space for reads; the loop is single-threaded, so one buffer serves every connection.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

    /// `handler` is not retained: its owner keeps both alive for the server's life.
    public init(reactor: Reactor, configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: any HTTPServerHandler) {
        self.reactor = reactor
        self.configuration = configuration
        self.handler = handler
    }

    deinit { readBuffer.deallocate() }

    public var openConnectionCount: Int { connections.count }
    public var isDraining: Bool { drainCompletion != nil }

    /// Binds `address` and serves it; returns the bound TCP port (nil for Unix sockets).
    @discardableResult
    public func listen(_ address: SocketAddress) throws(SystemError) -> UInt16? {
        try listen(fd: Socket.listen(address))
    }

    /// Serves an already listening descriptor (socket activation, inherited listeners).
    @discardableResult
    public func listen(fd: Int32) throws(SystemError) -> UInt16? {
        let listener = try Listener(fd: fd, reactor: reactor) { [unowned self] in self.accepted($0) }
        listeners.append(listener)
        startSweeping()
        return listener.port
    }

    func accepted(_ fd: Int32) {
        guard connections.count < configuration.maxConnections, drainCompletion == nil, configuration.acceptsPeer?(fd) ?? true else {
            IO.close(fd)
            return
        }
        let connection = HTTPServerConnection(fd: fd, server: self)
        do {
            try reactor.register(fd, events: connection.interest.events, handler: connection)
            connections[fd] = connection
        } catch {
            IO.close(fd)
        }
    }

    func closed(_ connection: HTTPServerConnection) {
        connections[connection.fd] = nil
        if let completion = drainCompletion, connections.isEmpty {
            drainCompletion = nil
            completion()
        }
    }

    /// Stops accepting, lets busy connections finish their current request, and calls
    /// `completion` once no connection is left. Idle connections are closed at once unless
    /// `closeIdle` is false (a supervisor closes its own, so none of its requests is cut).
    public func drain(closeIdle: Bool = true, _ completion: @escaping () -> Void) {
        for listener in listeners { listener.close() }
        listeners.removeAll()
        drainCompletion = completion
        for connection in Array(connections.values) { connection.drain(closeIdle: closeIdle) }
        if connections.isEmpty {
            drainCompletion = nil
            completion()
        }
    }

    /// Once a second: enforce head and keep-alive timeouts (coarse on purpose: one timer for all).
    private func startSweeping() {
        guard sweepTimer == nil else { return }
        sweepTimer = reactor.schedule(afterMs: 1000) { [weak self] in
            guard let self else { return }
            self.sweepTimer = nil
            let now = Reactor.now()
            for connection in Array(self.connections.values) { connection.checkTimeouts(now: now) }
            if !self.listeners.isEmpty || !self.connections.isEmpty { self.startSweeping() }
        }
    }
}
