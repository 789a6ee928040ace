import JSON
import MCP

/// Two tools that answer at once: `echo` returns its arguments (text and structured), after
/// one progress report; `fails` is a tool error.
struct InstantTools: ToolProvider {
    var tools: [ToolDefinition] {
        [
            ToolDefinition(name: "echo", description: "Returns its arguments", inputSchema: ["type": "object"]),
            ToolDefinition(name: "fails", description: "Always a tool error", inputSchema: ["type": "object"]),
        ]
    }

    func callTool(named name: String, arguments: JSONObject, progress: @escaping @Sendable (ToolProgress) -> Void) async -> ToolResult {
        progress(ToolProgress(progress: 1, total: 2, message: name))
        guard name == "echo" else { return .error("failed as asked") }
        return ToolResult(text: JSONValue.object(arguments).serializedString(), structuredContent: .object(arguments))
    }
}
