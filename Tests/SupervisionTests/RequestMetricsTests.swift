import Configuration
import Testing

@testable import Supervision

struct RequestMetricsTests {
    @Test("the latency histogram is exposed cumulative per bound, with +Inf and the count equal to every request")
    func cumulativeHistogram() {
        let acme = ClientID("acme")!
        var metrics = RequestMetrics()
        for seconds in [0.0003, 0.0005, 0.003, 0.2, 20] { metrics.record(tenant: acme, status: 200, seconds: seconds) }
        metrics.record(tenant: acme, status: 503, seconds: 0.004)
        let page = MetricsExposition.render(pool: WorkerPoolState(), metrics: metrics, tenants: [acme], openConnections: 0, now: .now)
        func bucket(_ le: String) -> String { #"oneapp_mcp_request_duration_seconds_bucket{client_id="acme",le="\#(le)"} "# }
        let expected = [("0.0005", 2), ("0.001", 2), ("0.0025", 2), ("0.005", 4), ("0.1", 4), ("0.25", 5), ("10", 5), ("+Inf", 6)]
        for (le, count) in expected {
            #expect(page.contains(bucket(le) + "\(count)\n"), "le=\(le)")
        }
        #expect(page.contains(#"oneapp_mcp_request_duration_seconds_count{client_id="acme"} 6"#))
    }
}
