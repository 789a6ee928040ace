import Configuration
import Posix

/// What happened to the requests and workers since start, for `GET /metrics`. Per-tenant
/// series exist only for configured tenants (routing refuses every other ID first), so the
/// number of series is bounded by the configuration.
struct RequestMetrics {
    /// Upper bounds of the latency histogram, in seconds (Prometheus `le`).
    static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Tenant {
        /// Requests by status class: index 1…5 for 1xx…5xx.
        var byClass = [Int](repeating: 0, count: 6)
        /// Requests per bucket: up to its bound and above the one before (the exposition adds
        /// them up, so a request costs one increment), plus above the last bound at the end.
        var buckets = [Int](repeating: 0, count: RequestMetrics.bucketBounds.count + 1)
        var durationSum = 0.0
        var crashesByReason: [String: Int] = [:]
    }

    private(set) var tenants: [ClientID: Tenant] = [:]
    /// Requests answered before a tenant was known, by error code (MISSING_CLIENT_ID, …).
    private(set) var rejected: [String: Int] = [:]

    mutating func record(tenant: ClientID, status: Int, seconds: Double) {
        // In place: a copy taken out of the dictionary would share its arrays and copy them on write.
        Self.count(status: status, seconds: seconds, in: &tenants[tenant, default: Tenant()])
    }

    private static func count(status: Int, seconds: Double, in entry: inout Tenant) {
        entry.byClass[min(max(status / 100, 1), 5)] += 1
        entry.buckets[bucketBounds.firstIndex { seconds <= $0 } ?? bucketBounds.count] += 1
        entry.durationSum += seconds
    }

    mutating func recordRejected(code: String) {
        rejected[code, default: 0] += 1
    }

    mutating func recordCrash(tenant: ClientID, status: WaitStatus) {
        let reason: String
        switch status {
        case .exited(let code): reason = "exit_\(code)"
        case .signaled(let signal): reason = Signals.name(signal)
        }
        tenants[tenant, default: Tenant()].crashesByReason[reason, default: 0] += 1
    }
}
