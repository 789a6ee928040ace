import Configuration
import EventLoop
import Posix

/// The supervisor's side of one live worker process: its socket and its idle connections.
final class WorkerHandle {
    let pid: Int32
    let tenant: ClientID
    let socketPath: String
    var link: LineReader?
    var output: LineReader?
    /// Once retiring, connections are closed instead of pooled and no request is sent.
    private(set) var isRetiring = false
    private var idle: [UpstreamConnection] = []

    init(pid: Int32, tenant: ClientID, socketPath: String) {
        self.pid = pid
        self.tenant = tenant
        self.socketPath = socketPath
    }

    /// An idle pooled connection, or a new one (a Unix-socket connect does not block); nil
    /// when the worker cannot be reached (it is retiring, or gone and not yet reaped).
    ///
    /// A connection idle since an earlier turn of the loop is looked at first (`peerIsOpen`):
    /// its worker may have died meanwhile without the loop having read the EOF yet, and the
    /// request can still go elsewhere. One handed back in this same turn (under load, nearly
    /// every one) is taken as it is: a crash in those microseconds is one the request was in
    /// flight for, and it is answered like any request a crash interrupts.
    func acquire(reactor: Reactor, readBuffer: UnsafeMutableRawBufferPointer) -> UpstreamConnection? {
        guard !isRetiring else { return nil }
        while let connection = idle.popLast() {
            // It was reusable when it came back; anything it received since (an EOF, or an
            // answer nobody asked for) has closed it.
            if !connection.isClosed, connection.idleSinceTurn == reactor.turn || connection.peerIsOpen { return connection }
            connection.close()
        }
        guard let connection = try? UpstreamConnection(path: socketPath, workerPID: pid, reactor: reactor, readBuffer: readBuffer) else {
            return nil
        }
        // Unowned, not weak (a weak reference would put every retain and release of the handle
        // on the runtime's slow path): only idle connections call it, and they close with the
        // handle (deinit).
        connection.onIdleClose = { [unowned self] closed in self.idle.removeAll { $0 === closed } }
        return connection
    }

    func release(_ connection: UpstreamConnection, reusable: Bool, turn: UInt64) {
        guard reusable, !isRetiring, connection.canBeReused else { return connection.close() }
        connection.idleSinceTurn = turn
        idle.append(connection)
    }

    deinit { closeIdle() }

    /// Stop using this worker: idle connections close now, busy ones when their answer ends.
    func retire() {
        isRetiring = true
        closeIdle()
    }

    func closeIdle() {
        for connection in idle { connection.close() }
        idle.removeAll()
    }
}
