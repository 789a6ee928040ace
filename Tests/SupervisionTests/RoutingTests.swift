import Configuration
import HTTP1
import Testing

@testable import Supervision

struct ClientIDTests {
    @Test("trims and lowercases", arguments: [("acme", "acme"), ("  ACME_2 ", "acme_2"), ("\tX\t", "x")])
    func normalizes(_ input: String, _ expected: String) {
        #expect(ClientID(input)?.rawValue == expected)
    }

    @Test("rejects what breaks the rule", arguments: ["", " ", "a-b", "a.b", "ä", "a b", String(repeating: "a", count: 65), "a\u{0}"])
    func rejects(_ input: String) {
        #expect(ClientID(input) == nil)
    }

    @Test("accepts 64 characters")
    func longest() { #expect(ClientID(String(repeating: "z", count: 64)) != nil) }
}

struct RoutingTests {
    let configured: Set<String> = ["acme", "globex"]

    func route(_ lines: [(String, String)]) -> Result<ClientID, Rejection> {
        Routing.tenant(for: HTTPFields(lines)) { configured.contains($0.rawValue) }
    }

    @Test("a configured tenant is routed, whatever the case and spacing")
    func routes() throws {
        #expect(try route([("X-Client-ID", " ACME ")]).get().rawValue == "acme")
        #expect(try route([("x-client-id", "globex")]).get().rawValue == "globex")
    }

    @Test(
        "rejections carry the contract's status and code",
        arguments: [
            ([], 403, "MISSING_CLIENT_ID"),
            ([("X-Client-ID", "   ")], 403, "MISSING_CLIENT_ID"),
            ([("X-Client-ID", "acme"), ("X-Client-ID", "acme")], 400, "DUPLICATE_CLIENT_ID"),
            ([("X-Client-ID", "acme, globex")], 400, "DUPLICATE_CLIENT_ID"),
            ([("X-Client-ID", "ac-me")], 403, "INVALID_CLIENT_ID"),
            ([("X-Client-ID", "initech")], 403, "UNKNOWN_CLIENT"),
        ] as [([(String, String)], Int, String)])
    func rejects(_ lines: [(String, String)], _ status: Int, _ code: String) {
        guard case .failure(let rejection) = route(lines) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.status == status)
        #expect(rejection.code == code)
    }

    @Test("messages start as the contract says")
    func messages() {
        guard case .failure(let missing) = route([]), case .failure(let unknown) = route([("X-Client-ID", "initech")]) else {
            Issue.record("expected rejections")
            return
        }
        #expect(missing.message.hasPrefix("Missing X-Client-ID header"))
        #expect(unknown.message.hasPrefix("Unknown client ID: initech"))
    }
}

struct AuthorizationTests {
    let keys = [APIKey(configured: "secret-1")!, APIKey(configured: APIKey.stored("secret-2"))!]

    @Test("a tenant without keys lets every request through")
    func noKeys() { #expect(Routing.authorize(HTTPFields(), keys: []) == nil) }

    @Test("one Bearer header with one of the tenant's keys passes", arguments: ["Bearer secret-1", "bearer secret-2", "BEARER  secret-1 "])
    func passes(_ value: String) {
        #expect(Routing.authorize(HTTPFields([("Authorization", value)]), keys: keys) == nil)
    }

    @Test("anything else is 401 UNAUTHORIZED", arguments: [[], [("Authorization", "Bearer nope")], [("Authorization", "Basic secret-1")],
        [("Authorization", "Bearer secret-1"), ("Authorization", "Bearer secret-1")], [("Authorization", "Bearer ")]] as [[(String, String)]])
    func refuses(_ lines: [(String, String)]) {
        let rejection = Routing.authorize(HTTPFields(lines), keys: keys)
        #expect(rejection?.status == 401 && rejection?.code == "UNAUTHORIZED")
    }
}

struct RestartBudgetTests {
    let t0 = MonotonicInstant.now

    @Test("two crashes respawn at once, then the delay doubles up to the cap")
    func backoff() {
        var budget = RestartBudget()
        var now = t0
        var delays: [Int?] = []
        for _ in 0..<10 {
            budget.recordCrash(startedAt: now, now: now)
            delays.append(budget.retryAfter(now: now))
            now += .milliseconds(10)
        }
        #expect(delays == [nil, nil, 1, 2, 4, 8, 16, 32, 60, 60])
    }

    @Test("stable uptime wipes the slate; an explicit reset too")
    func resets() {
        var budget = RestartBudget()
        for _ in 0..<4 { budget.recordCrash(startedAt: t0, now: t0) }
        #expect(budget.retryAfter(now: t0) == 2)
        budget.recordCrash(startedAt: t0, now: t0 + .seconds(121))
        #expect(budget.consecutiveCrashes == 1)
        #expect(budget.retryAfter(now: t0 + .seconds(121)) == nil)
        for _ in 0..<5 { budget.recordCrash(startedAt: t0, now: t0) }
        budget.reset()
        #expect(budget.retryAfter(now: t0) == nil)
    }

    @Test("the backoff expires")
    func expires() {
        var budget = RestartBudget()
        for _ in 0..<3 { budget.recordCrash(startedAt: t0, now: t0) }
        #expect(budget.retryAfter(now: t0 + .milliseconds(500)) == 1)
        #expect(budget.retryAfter(now: t0 + .seconds(1)) == nil)
    }
}
