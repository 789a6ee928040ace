import JSON

/// What `tools/list` says about one tool.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String
    /// A JSON Schema object (`"type": "object"`).
    public var inputSchema: JSONValue
    /// MCP tool annotations (`readOnlyHint`, …), or nil.
    public var annotations: JSONValue?

    public init(name: String, title: String? = nil, description: String, inputSchema: JSONValue, annotations: JSONValue? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.annotations = annotations
    }
}

/// The outcome of one tool call, as MCP's `CallToolResult` carries it.
public struct ToolResult: Sendable, Equatable {
    /// The text content block shown to the model.
    public var text: String
    /// Optional `structuredContent` (an object up to 2025-11-25).
    public var structuredContent: JSONValue?
    public var isError: Bool

    public init(text: String, structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.text = text
        self.structuredContent = structuredContent
        self.isError = isError
    }

    public static func error(_ message: String) -> ToolResult { ToolResult(text: message, isError: true) }
}

/// One progress report of a running tool (`notifications/progress`).
public struct ToolProgress: Sendable, Equatable {
    public var progress: Double
    public var total: Double?
    public var message: String?

    public init(progress: Double, total: Double? = nil, message: String? = nil) {
        self.progress = progress
        self.total = total
        self.message = message
    }
}

/// A set of tools the MCP server exposes. The server checks that a called name is listed
/// before calling (an unknown name is a JSON-RPC `-32602`, never reaching the provider).
public protocol ToolProvider: Sendable {
    /// Every tool, in a stable order.
    var tools: [ToolDefinition] { get }

    /// Runs a listed tool. Bad arguments and upstream failures come back as `isError` results.
    func callTool(
        named name: String,
        arguments: JSONObject,
        progress: @escaping @Sendable (ToolProgress) -> Void
    ) async -> ToolResult
}
