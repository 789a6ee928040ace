import Configuration
import JSON
import MCP

/// One tenant's 18 OneApp tools: validate the arguments, call the tenant's API with the
/// tenant's own credentials, turn the answer into a tool result.
///
///     callTool ─▶ validate ──bad──▶ isError "Invalid arguments for …" (nothing sent)
///                    │ ok
///                    ▼
///                 progress 0/1 "GET /core/zonas" ─▶ transport.send ─▶ progress 1/1 ─▶ ToolResult
public final class OneAppToolset: ToolProvider {
    public let tools: [ToolDefinition]
    private let configuration: TenantConfiguration
    private let transport: any UpstreamTransport
    private let specs: [String: ToolSpec]

    public init(configuration: TenantConfiguration, transport: any UpstreamTransport) {
        self.configuration = configuration
        self.transport = transport
        tools = ToolSpec.catalog.map(\.definition)
        specs = Dictionary(uniqueKeysWithValues: ToolSpec.catalog.map { ($0.name, $0) })
    }

    public func callTool(
        named name: String, arguments: JSONObject, progress: @escaping @Sendable (ToolProgress) -> Void
    ) async -> ToolResult {
        // The server only calls listed names; this guards direct callers.
        guard let spec = specs[name] else { return .error("Unknown tool: \(name)") }
        let validated: ValidatedArguments
        switch spec.validate(arguments) {
        case .success(let values): validated = values
        case .failure(let invalid):
            return .error("Invalid arguments for \(name): " + invalid.problems.joined(separator: "; "))
        }
        let request = spec.upstreamRequest(validated, configuration: configuration)
        let call = UpstreamCall(
            method: spec.method.rawValue, path: spec.resolvedPath(validated), base: spec.base,
            baseURL: configuration.baseURL(for: spec.base), secret: configuration.authorization)
        progress(ToolProgress(progress: 0, total: 1, message: "\(call.method) \(call.path)"))
        let answer = await transport.send(request)
        progress(ToolProgress(progress: 1, total: 1, message: call.progressMessage(answer)))
        return call.result(answer)
    }
}
