import JSON

/// A `tools/call` that passed validation and waits to be run.
struct ToolInvocation: Sendable, Equatable {
    var name: String
    var arguments: JSONObject
    /// `params._meta.progressToken` (a string or an integer), when the client asked for progress.
    var progressToken: JSONValue?
    var revision: ProtocolRevision
}

/// The MCP methods this server implements, independent of HTTP: one request and the revision
/// it speaks in, a result, an error or a tool call out. Everything but tool calls is synchronous.
struct MCPHandler: Sendable {
    /// What one request comes to.
    enum Outcome: Sendable, Equatable {
        case result(RawJSON)
        /// `initialize` answered; the transport opens a session at this revision.
        case initialized(RawJSON, ProtocolRevision)
        case failure(MCPError)
        /// Run it with `run(_:progress:)`; the answer is asynchronous.
        case toolCall(ToolInvocation)
    }

    /// Methods of the modern era; anything else there is a 404 (checked before `_meta`).
    static let modernMethods: Set<String> = ["server/discover", "tools/list", "tools/call"]

    let results: PrecomputedResults
    private let provider: any ToolProvider
    private let toolNames: Set<String>

    /// Reads the provider's tool list once: it is static for the life of a worker.
    init(server: MCPServerInfo, tools provider: any ToolProvider) {
        let tools = provider.tools
        self.provider = provider
        toolNames = Set(tools.map(\.name))
        results = PrecomputedResults(server: server, tools: tools)
    }

    func handle(_ request: JSONRPCRequest, revision: ProtocolRevision) -> Outcome {
        switch (revision.era, request.method) {
        case (.legacy, "initialize"): initialize(request)
        case (.legacy, "ping"): .result(results.empty)
        case (.modern, "server/discover"): .result(results.discover)
        case (_, "tools/list"): listTools(request, revision: revision)
        case (_, "tools/call"): prepareToolCall(request, revision: revision)
        default: .failure(.methodNotFound(request.method))
        }
    }

    /// Runs a prepared call and encodes its `CallToolResult` for the call's revision.
    func run(_ call: ToolInvocation, progress: @escaping @Sendable (ToolProgress) -> Void) async -> RawJSON {
        let result = await provider.callTool(named: call.name, arguments: call.arguments, progress: progress)
        return RawJSON(ToolEncoding.callResult(result, revision: call.revision, serverInfoMeta: results.serverInfoMeta))
    }

    private func initialize(_ request: JSONRPCRequest) -> Outcome {
        guard let requested = request.paramsObject?["protocolVersion"]?.stringValue else {
            return .failure(.invalidParams("initialize requires params.protocolVersion (a string)"))
        }
        let revision = ProtocolRevision.negotiate(requested: requested)
        return .initialized(results.initialize[revision], revision)
    }

    private func listTools(_ request: JSONRPCRequest, revision: ProtocolRevision) -> Outcome {
        if let params = request.params {
            guard let object = params.objectValue else { return .failure(.invalidParams("tools/list params must be an object")) }
            // The whole list fits one page, so we never issue a cursor and know none.
            if object["cursor"] != nil { return .failure(.invalidParams("Invalid cursor: this server never issued it")) }
        }
        return .result(results.toolList[revision])
    }

    private func prepareToolCall(_ request: JSONRPCRequest, revision: ProtocolRevision) -> Outcome {
        guard let params = request.paramsObject, let name = params["name"]?.stringValue else {
            return .failure(.invalidParams("tools/call requires params.name (a string)"))
        }
        let arguments: JSONObject
        switch params["arguments"] {
        case nil, .null?: arguments = JSONObject()
        case .object(let object)?: arguments = object
        default: return .failure(.invalidParams("tools/call params.arguments must be an object"))
        }
        guard toolNames.contains(name) else { return .failure(.invalidParams("Unknown tool: \(name)")) }
        return .toolCall(ToolInvocation(name: name, arguments: arguments, progressToken: progressToken(request), revision: revision))
    }

    /// A token of another type is ignored rather than refused: the call still works, unreported.
    private func progressToken(_ request: JSONRPCRequest) -> JSONValue? {
        switch request.meta?["progressToken"] {
        case let token? where RequestID(token) != nil: token
        default: nil
        }
    }
}
