import EventLoop

/// A point on the monotonic clock (the loop's `Reactor.now()`, nanoseconds): the time the pool
/// state machine is given (injected, so tests pick it) and every supervisor deadline.
///
/// Our own type rather than `ContinuousClock.Instant`: that one's layout is hidden outside the
/// standard library (resilient), so a `Worker` or `Tenant` holding one was copied and destroyed
/// through run-time witness calls, several times per request.
public struct MonotonicInstant: Comparable, Hashable, Sendable {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static var now: MonotonicInstant { MonotonicInstant(nanoseconds: Reactor.now()) }

    public static func < (a: MonotonicInstant, b: MonotonicInstant) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Later by `duration` (earlier if it is negative; never before the clock's zero).
    public static func + (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        let delta = duration.nanoseconds
        return MonotonicInstant(nanoseconds: delta >= 0 ? instant.nanoseconds &+ UInt64(delta) : instant.nanoseconds &- min(instant.nanoseconds, UInt64(-delta)))
    }

    public static func += (instant: inout MonotonicInstant, duration: Duration) { instant = instant + duration }

    public static func - (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant { instant + (.zero - duration) }

    /// The time from `b` to `a` (negative when `a` is earlier).
    public static func - (a: MonotonicInstant, b: MonotonicInstant) -> Duration {
        a >= b ? .nanoseconds(Int64(a.nanoseconds - b.nanoseconds)) : .zero - .nanoseconds(Int64(b.nanoseconds - a.nanoseconds))
    }
}

extension Duration {
    /// Whole nanoseconds, rounded toward zero.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
