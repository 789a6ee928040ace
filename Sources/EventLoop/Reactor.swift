import CSystem
import Glibc
import Posix
import Synchronization

/// Something the reactor wakes when its descriptor is ready.
public protocol ReactorHandler: AnyObject {
    func reactorEvent(_ events: UInt32)
}

/// One epoll thread: descriptor readiness, timers, and jobs handed in from other threads.
///
///     ┌──────────── run() ─────────────┐
///     │ epoll_wait(until next timer)   │◀── execute(job) from any thread (eventfd wake)
///     │ → handlers for ready fds       │
///     │ → due timers                   │
///     │ → queued jobs                  │
///     └────────────────────────────────┘
///
/// Everything but `execute` and `stop` must be called on the loop thread; that is what makes
/// the unchecked Sendable conformance sound (`LoopBound` checks it on every access).
public final class Reactor: @unchecked Sendable {
    private let epoll: Epoll
    private let wakeFD: Int32
    /// Indexed by descriptor: the kernel hands out the lowest free number, so the table stays
    /// as small as the number of open descriptors, and a lookup per event is one index.
    private var handlers: [(any ReactorHandler)?] = []
    private var timers = TimerQueue()
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    private let stopRequested = Atomic<Bool>(false)
    /// The thread in `run()` (0 before): any thread may ask whether it is that one (`execute`).
    private let loopThread = Atomic<UInt>(0)
    /// Counts the loop's turns (one per `epoll_wait`): what happened "in this turn" has not
    /// been told apart from anything the kernel reported since.
    public var turn: UInt64 { turns }
    /// Private, unlike `turn`: the compiler sees every access to it and checks them statically.
    private var turns: UInt64 = 0

    public init() throws(SystemError) {
        epoll = try Epoll()
        wakeFD = try EventFD.make()
        try epoll.add(wakeFD, events: Epoll.readable)
    }

    deinit { IO.close(wakeFD) }

    /// Monotonic nanoseconds: the clock every deadline on the loop uses.
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public var isOnLoopThread: Bool {
        loopThread.load(ordering: .relaxed) == UInt(pthread_self())
    }

    // MARK: Descriptors

    public func register(_ fd: Int32, events: UInt32, handler: any ReactorHandler) throws(SystemError) {
        try epoll.add(fd, events: events)
        let index = Int(fd)
        if index >= handlers.count { handlers.append(contentsOf: repeatElement(nil, count: index + 1 - handlers.count)) }
        handlers[index] = handler
    }

    public func modify(_ fd: Int32, events: UInt32) {
        do { try epoll.modify(fd, events: events) } catch { preconditionFailure("epoll_ctl MOD on a registered fd failed: \(error)") }
    }

    /// Stops watching `fd` (the caller still owns and closes it).
    public func unregister(_ fd: Int32) {
        epoll.remove(fd)
        if Int(fd) < handlers.count { handlers[Int(fd)] = nil }
    }

    // MARK: Timers

    @discardableResult
    public func schedule(at deadline: UInt64, _ action: @escaping () -> Void) -> TimerQueue.ID {
        timers.schedule(at: deadline, action)
    }

    @discardableResult
    public func schedule(afterMs milliseconds: UInt64, _ action: @escaping () -> Void) -> TimerQueue.ID {
        timers.schedule(at: Self.now() + milliseconds * 1_000_000, action)
    }

    public func cancel(_ timer: TimerQueue.ID) { timers.cancel(timer) }

    // MARK: Cross-thread

    /// Runs `job` on the loop thread soon (at the end of this turn when called on it). Safe
    /// from any thread. Only another thread needs to wake the loop: the loop itself looks at
    /// the inbox before it sleeps.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        let wasEmpty = inbox.withLock { queue in
            queue.append(job)
            return queue.count == 1
        }
        if wasEmpty, !isOnLoopThread { EventFD.signal(wakeFD) }
    }

    /// Makes `run` return after the current turn. Safe from any thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        EventFD.signal(wakeFD)
    }

    // MARK: The loop

    /// Runs the loop on the calling thread until `stop()`.
    public func run() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stopRequested.load(ordering: .acquiring) {
            let hasJobs = inbox.withLock { !$0.isEmpty }
            let timeout = hasJobs ? 0 : timers.millisecondsUntilNext(now: Self.now())
            let count = epoll.wait(into: &events, timeoutMs: timeout)
            turns &+= 1
            for i in 0..<count {
                let fd = events[i].data.fd
                if fd == wakeFD {
                    EventFD.drain(wakeFD)
                } else {
                    handler(for: fd)?.reactorEvent(events[i].events)
                }
            }
            for action in timers.takeDue(now: Self.now()) { action() }
            runInbox()
        }
    }

    /// The handler of `fd`, or nil for one unregistered by an earlier event of the same turn.
    private func handler(for fd: Int32) -> (any ReactorHandler)? {
        Int(fd) < handlers.count ? handlers[Int(fd)] : nil
    }

    private func runInbox() {
        let jobs = inbox.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        for job in jobs { job() }
    }
}

/// Tasks may run on the loop (`Task(executorPreference: reactor)`): a worker's tool calls do,
/// so that the upstream request they send through the loop's `HTTPClient`, its answer and the
/// response written back all stay on one thread, instead of hopping to the cooperative pool
/// and back at every step (each hop a wakeup and a context switch).
extension Reactor: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// A loop-confined value that may be carried through Sendable closures back to its loop.
public struct LoopBound<Value>: @unchecked Sendable {
    private let stored: Value
    public let reactor: Reactor

    public init(_ value: Value, reactor: Reactor) {
        self.stored = value
        self.reactor = reactor
    }

    public var value: Value {
        precondition(reactor.isOnLoopThread, "a loop-bound value was used off its loop thread")
        return stored
    }

    /// Runs `body` with the value on the loop thread.
    public func withValue(_ body: @escaping @Sendable (Value) -> Void) {
        reactor.execute { body(self.value) }
    }
}
