import Foundation
import JSON
import HTTP1
import Sandbox

/// Starts the real binary's sandbox and workers for a test.
enum Fixtures {
    static func sandbox() async throws -> (ChildProcess, String) {
        let process = try ChildProcess(["sandbox", "--listen", "127.0.0.1:0"])
        return (process, try await process.listeningAddress())
    }

    static func demoTenant(_ id: String) throws -> SandboxTenant {
        guard let tenant = SandboxAPI.demoTenants.first(where: { $0.clientId == id }) else { throw TestFailure("no demo tenant \(id)") }
        return tenant
    }

    /// A worker for `clientID` whose upstream (core and client API) is `baseURL`.
    static func worker(
        clientID: String = "acme", baseURL: String, authorization: String, clientHeader: String, timeoutMs: Int = 5000
    ) async throws -> (ChildProcess, String) {
        let handoff: JSONValue = [
            "tenant": [
                "authorization": .string(authorization), "coreBaseUrl": .string(baseURL), "clientBaseUrl": .string(baseURL),
                "clientHeader": .string(clientHeader), "httpTimeoutMs": .int(timeoutMs),
            ]
        ]
        let process = try ChildProcess(["worker", "--client-id", clientID, "--listen", "127.0.0.1:0"])
        process.writeStdin(handoff.serializedString() + "\n")
        return (process, try await process.listeningAddress())
    }

    /// The sandbox plus a worker for a demo tenant that talks to it.
    static func sandboxAndWorker(_ clientID: String = "acme") async throws -> (sandbox: ChildProcess, sandboxAddress: String, worker: ChildProcess, address: String) {
        let (sandbox, sandboxAddress) = try await Fixtures.sandbox()
        let tenant = try demoTenant(clientID)
        let (worker, address) = try await Fixtures.worker(
            clientID: clientID, baseURL: "http://\(sandboxAddress)", authorization: tenant.authorization, clientHeader: tenant.clientHeader)
        return (sandbox, sandboxAddress, worker, address)
    }
}

/// MCP requests as the 2026-07-28 revision spells them.
enum ModernMCP {
    static let version = "2026-07-28"

    static func meta() -> JSONValue {
        ["io.modelcontextprotocol/protocolVersion": .string(version), "io.modelcontextprotocol/clientCapabilities": [:]]
    }

    /// The raw bytes of a modern POST, for tests that write requests themselves (pipelining).
    static func requestText(id: Int, method: String, clientID: String) -> String {
        let body = (JSONValue.object(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": .object(["_meta": meta()])])).serializedString()
        return "POST /mcp HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
            + "MCP-Protocol-Version: \(version)\r\nMcp-Method: \(method)\r\nX-Client-ID: \(clientID)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    static func post(
        _ client: HTTPTestClient, id: Int, method: String, params: JSONObject = [:], name: String? = nil, headers extra: [(String, String)] = []
    ) throws -> HTTPTestClient.Response {
        var params = params
        params["_meta"] = meta()
        let body: JSONValue = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": .object(params)]
        var headers = [
            ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
            ("MCP-Protocol-Version", version), ("Mcp-Method", method),
        ]
        if let name { headers.append(("Mcp-Name", name)) }
        headers += extra
        return try client.request("POST", "/mcp", headers: headers, body: body.serializedString())
    }

    static func callTool(
        _ client: HTTPTestClient, id: Int = 1, _ name: String, _ arguments: JSONObject = [:], headers: [(String, String)] = []
    ) throws -> JSONValue {
        let response = try post(
            client, id: id, method: "tools/call", params: ["name": .string(name), "arguments": .object(arguments)], name: name, headers: headers)
        guard response.status == 200 else { throw TestFailure("tools/call \(name): HTTP \(response.status) \(response.text)") }
        let json = try JSONValue(parsing: response.body)
        guard let result = json["result"] else { throw TestFailure("tools/call \(name): no result in \(response.text)") }
        return result
    }
}

extension JSONValue {
    /// The text of the first content block of a CallToolResult.
    var toolText: String { self["content"]?.arrayValue?.first?["text"]?.stringValue ?? "" }
    var isToolError: Bool { self["isError"]?.boolValue ?? false }
}
