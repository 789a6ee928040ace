import JSON
import MCP

extension ToolSpec {
    /// What `tools/list` shows: the schema and annotations derived from this table entry.
    public var definition: ToolDefinition {
        ToolDefinition(
            name: name, title: title, description: description, inputSchema: inputSchema, annotations: annotations)
    }

    /// A JSON Schema object; `additionalProperties: false` because unknown arguments are refused.
    public var inputSchema: JSONValue {
        var properties = JSONObject()
        for parameter in parameters {
            properties[parameter.name] = parameter.schema
        }
        var schema: JSONObject = ["type": "object", "properties": .object(properties)]
        let required = parameters.filter(\.isRequired).map { JSONValue.string($0.name) }
        // An empty `required` array is invalid in draft 4, which some clients still use.
        if !required.isEmpty { schema["required"] = .array(required) }
        schema["additionalProperties"] = false
        return .object(schema)
    }

    /// `title` is repeated here for clients of revisions before `Tool.title` existed.
    public var annotations: JSONValue {
        if isReadOnly {
            return ["title": .string(title), "readOnlyHint": true, "openWorldHint": false]
        }
        return [
            "title": .string(title), "readOnlyHint": false, "destructiveHint": false, "idempotentHint": false,
            "openWorldHint": true,
        ]
    }
}

extension ParameterSpec {
    var schema: JSONValue {
        var schema = kind.schema
        schema["description"] = .string(description)
        return .object(schema)
    }
}

extension ParameterKind {
    /// The regular expression that a date argument must match (besides being a real date).
    static let datePattern = #"^\d{4}-\d{2}-\d{2}$"#

    var schema: JSONObject {
        switch self {
        case .integer(let minimum, let maximum):
            return Self.integerSchema(minimum: minimum, maximum: maximum)
        case .string:
            return ["type": "string"]
        case .date:
            return ["type": "string", "format": "date", "pattern": .string(Self.datePattern)]
        case .uri:
            return ["type": "string", "format": "uri"]
        case .integerArray(let minItems, let itemMinimum):
            let items = Self.integerSchema(minimum: itemMinimum, maximum: nil)
            return ["type": "array", "items": .object(items), "minItems": .int(minItems)]
        case .stringArray(let minItems):
            var schema: JSONObject = ["type": "array", "items": ["type": "string"]]
            if minItems > 0 { schema["minItems"] = .int(minItems) }
            return schema
        }
    }

    private static func integerSchema(minimum: Int?, maximum: Int?) -> JSONObject {
        var schema: JSONObject = ["type": "integer"]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        return schema
    }

    /// The rule in words, as validation messages and descriptions say it: "an integer ≥ 1".
    var rule: String {
        switch self {
        case .integer(let minimum, let maximum):
            return Self.integerRule(minimum: minimum, maximum: maximum)
        case .string:
            return "a string"
        case .date:
            return "a date in the form YYYY-MM-DD"
        case .uri:
            return "an absolute http(s) URL"
        case .integerArray(let minItems, let itemMinimum):
            let items = itemMinimum.map { "integers ≥ \($0)" } ?? "integers"
            return minItems > 0 ? "a non-empty array of \(items)" : "an array of \(items)"
        case .stringArray(let minItems):
            return minItems > 0 ? "a non-empty array of strings" : "an array of strings"
        }
    }

    static func integerRule(minimum: Int?, maximum: Int?) -> String {
        switch (minimum, maximum) {
        case (let low?, let high?): return "an integer from \(low) to \(high)"
        case (let low?, nil): return "an integer ≥ \(low)"
        case (nil, let high?): return "an integer ≤ \(high)"
        case (nil, nil): return "an integer"
        }
    }
}
