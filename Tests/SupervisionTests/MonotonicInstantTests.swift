import Testing

@testable import Supervision

struct MonotonicInstantTests {
    @Test("instants move by durations and differ by durations, both ways, to the nanosecond")
    func arithmetic() {
        let t = MonotonicInstant(nanoseconds: 5_000_000_000)
        #expect((t + .seconds(2)).nanoseconds == 7_000_000_000)
        #expect((t + .milliseconds(-1500)).nanoseconds == 3_500_000_000)
        #expect((t - .nanoseconds(1)).nanoseconds == 4_999_999_999)
        #expect((t + .seconds(2)) - t == .seconds(2))
        #expect(t - (t + .milliseconds(250)) == .milliseconds(-250))
        #expect(t - .seconds(10) == MonotonicInstant(nanoseconds: 0))  // never before the clock's zero
        var u = t
        u += .microseconds(3)
        #expect(u > t && u.nanoseconds == 5_000_003_000)
        #expect(MonotonicInstant.now > MonotonicInstant(nanoseconds: 0))
    }
}
