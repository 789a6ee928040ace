import JSON

/// How tools, tool results and progress look on the wire in each revision.
enum ToolEncoding {
    /// One `Tool` of a `tools/list` result. `title` exists from 2025-06-18 on; `annotations`
    /// (ToolAnnotations) already exist in 2025-03-26, so they are sent on every revision.
    static func definition(_ tool: ToolDefinition, revision: ProtocolRevision) -> JSONValue {
        var object: JSONObject = ["name": .string(tool.name)]
        if revision.hasToolTitlesAndStructuredContent, let title = tool.title { object["title"] = .string(title) }
        object["description"] = .string(tool.description)
        object["inputSchema"] = tool.inputSchema
        if let annotations = tool.annotations { object["annotations"] = annotations }
        return .object(object)
    }

    /// A `CallToolResult`. `structuredContent` goes out from 2025-06-18 on; before 2026-07-28
    /// only an object is valid there, so other values are left to the text block.
    static func callResult(_ result: ToolResult, revision: ProtocolRevision, serverInfoMeta: JSONValue) -> JSONValue {
        var object = JSONObject()
        if revision.era == .modern { object["resultType"] = "complete" }
        object["content"] = [["type": "text", "text": .string(result.text)]]
        if let structured = result.structuredContent, revision.hasToolTitlesAndStructuredContent,
            revision.era == .modern || structured.objectValue != nil
        {
            object["structuredContent"] = structured
        }
        if result.isError { object["isError"] = true }
        if revision.era == .modern { object["_meta"] = serverInfoMeta }
        return .object(object)
    }

    /// The params of a `notifications/progress` event.
    static func progressParams(token: JSONValue, _ progress: ToolProgress) -> JSONValue {
        var object: JSONObject = ["progressToken": token, "progress": number(progress.progress)]
        if let total = progress.total { object["total"] = number(total) }
        if let message = progress.message { object["message"] = .string(message) }
        return .object(object)
    }

    /// Whole numbers are written without a fraction (`3`, not `3.0`).
    private static func number(_ value: Double) -> JSONValue {
        if let whole = Int(exactly: value) { return .int(whole) }
        return .double(value)
    }
}
