import EventLoop
import Posix

/// The supervisor's end of a worker's lifeline: a socket pair inherited by the worker as fd 3.
///
///     supervisor → worker   one line of JSON: the tenant's configuration (WorkerHandoff)
///     worker → supervisor   "ready\n"     listening; route requests to it
///                           "restart\n"   got SIGHUP: start a replacement, then retire me
///                           "stopping\n"  got SIGTERM: route nothing more to me
///     either side closes    the other knows its peer is gone (the worker exits at once;
///                           the supervisor stops routing to it before its exit is reaped)
enum WorkerLink {
    enum Message: String { case ready, restart, stopping, closed }

    /// Reads `fd` on the loop, turning lines into messages; unknown lines are ignored.
    static func reader(fd: Int32, pid: Int32, reactor: Reactor, onMessage: @escaping (Int32, Message) -> Void) throws(SystemError) -> LineReader {
        try LineReader(
            fd: fd, reactor: reactor, maxLineBytes: 64,
            onLine: { line in
                if let message = Message(rawValue: line), message != .closed { onMessage(pid, message) }
            },
            onEnd: { onMessage(pid, .closed) })  // the exit itself is reported by SIGCHLD
    }
}
