import JSON

// Async twins of the blocking helpers. Swift picks these in async code (where they need
// `await`) and the blocking originals in synchronous code (load threads, `onThread` bodies):
// so no test waits on a socket on the two-thread cooperative pool that runs every test.

extension HTTPTestClient {
    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "") async throws -> Response {
        try await onThread { try self.request(method, target, headers: headers, body: body) }
    }

    func readResponse() async throws -> Response? {
        try await onThread { try self.readResponse() }
    }

    func isClosedByServer() async throws -> Bool {
        try await onThread { self.isClosedByServer() }
    }
}

extension ModernMCP {
    static func post(
        _ client: HTTPTestClient, id: Int, method: String, params: JSONObject = [:], name: String? = nil, headers: [(String, String)] = []
    ) async throws -> HTTPTestClient.Response {
        try await onThread { try post(client, id: id, method: method, params: params, name: name, headers: headers) }
    }

    static func callTool(
        _ client: HTTPTestClient, id: Int = 1, _ name: String, _ arguments: JSONObject = [:], headers: [(String, String)] = []
    ) async throws -> JSONValue {
        try await onThread { try callTool(client, id: id, name, arguments, headers: headers) }
    }
}

extension SupervisorFixture {
    func status() async throws -> JSONValue {
        try await onThread { try self.status() }
    }

    func tenantStatus(_ id: String) async throws -> JSONValue? {
        try await onThread { try self.tenantStatus(id) }
    }

    func listTools(_ id: String, client: HTTPTestClient? = nil) async throws -> HTTPTestClient.Response {
        try await onThread { try self.listTools(id, client: client) }
    }
}

/// Polls `condition` (which may call the helpers above) every 25 ms until it holds or `timeout` passes.
func waitUntil(timeout: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(25))
    }
    return false
}
