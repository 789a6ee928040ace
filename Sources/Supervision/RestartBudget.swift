/// A tenant's crash budget: how long to wait before the next spawn after a crash.
///
/// The first `immediateRestarts` crashes in a row respawn at once; after that the delay starts
/// at `initialDelay` and doubles up to `maximumDelay`. A worker that stays up for
/// `stableUptime` wipes the slate (Erlang's intensity/period with kubelet's backoff).
public struct RestartBudget: Sendable, Equatable {
    public struct Policy: Sendable, Equatable {
        public var immediateRestarts = 2
        public var initialDelay: Duration = .seconds(1)
        public var maximumDelay: Duration = .seconds(60)
        public var stableUptime: Duration = .seconds(120)

        public init() {}
    }

    public let policy: Policy
    public private(set) var consecutiveCrashes = 0
    /// No spawn before this instant (nil: spawn freely).
    public private(set) var backoffUntil: MonotonicInstant?

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Records a crash of a worker that had been up since `startedAt`.
    public mutating func recordCrash(startedAt: MonotonicInstant, now: MonotonicInstant) {
        if now - startedAt >= policy.stableUptime { consecutiveCrashes = 0 }
        consecutiveCrashes += 1
        let beyond = consecutiveCrashes - policy.immediateRestarts
        guard beyond > 0 else {
            backoffUntil = nil
            return
        }
        var delay = policy.initialDelay
        for _ in 1..<beyond where delay < policy.maximumDelay { delay *= 2 }
        backoffUntil = now + min(delay, policy.maximumDelay)
    }

    /// Seconds to wait (for `Retry-After`), or nil when a spawn may happen now.
    public func retryAfter(now: MonotonicInstant) -> Int? {
        guard let until = backoffUntil, until > now else { return nil }
        let remaining = until - now
        let (seconds, attoseconds) = remaining.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }

    /// An operator's explicit restart: forget the crashes.
    public mutating func reset() {
        consecutiveCrashes = 0
        backoffUntil = nil
    }
}
