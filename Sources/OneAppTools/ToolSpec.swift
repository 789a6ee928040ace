/// Which of the tenant's two OneApp APIs a tool calls.
public enum UpstreamBase: String, Sendable, Equatable {
    /// The OneApp Core API (`coreBaseUrl`).
    case core
    /// The tenant's own Client API (`clientBaseUrl`).
    case client
}

/// The HTTP method of an upstream call.
public enum UpstreamMethod: String, Sendable, Equatable {
    case get = "GET"
    case post = "POST"
}

/// The type and limits of one tool argument; both the JSON Schema and the validation derive from it.
public enum ParameterKind: Sendable, Equatable {
    /// A JSON integer (`1.0` counts, `1.5` and `"1"` do not), optionally bounded (inclusive).
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case string
    /// `YYYY-MM-DD`, and a real calendar date.
    case date
    /// An absolute http(s) URL.
    case uri
    /// An array of integers with at least `minItems` items, each ≥ `itemMinimum` when given.
    case integerArray(minItems: Int, itemMinimum: Int?)
    /// An array of strings with at least `minItems` items.
    case stringArray(minItems: Int)
}

/// How one argument travels upstream.
public enum ParameterPlacement: Sendable, Equatable {
    /// A query parameter with this name (array items joined by `,`).
    case query(String)
    /// Replaces `{argument name}` in the path template.
    case path
    /// A member of the JSON request body with this name.
    case body(String)
}

/// One argument of a tool.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var kind: ParameterKind
    public var isRequired: Bool
    public var description: String
    public var placement: ParameterPlacement

    public init(name: String, kind: ParameterKind, isRequired: Bool, description: String, placement: ParameterPlacement)
    {
        self.name = name
        self.kind = kind
        self.isRequired = isRequired
        self.description = description
        self.placement = placement
    }
}

/// One OneApp tool: what the model sees and the upstream call it makes. `ToolSpec.catalog` is
/// the table of all 18; schemas, validation and request building are derived from it.
public struct ToolSpec: Sendable, Equatable {
    public var name: String
    public var title: String
    public var description: String
    /// In the order the schema lists them and the query string carries them.
    public var parameters: [ParameterSpec]
    public var method: UpstreamMethod
    public var base: UpstreamBase
    /// The upstream path; `{name}` is replaced by the path argument `name`.
    public var pathTemplate: String

    public init(
        name: String, title: String, description: String, parameters: [ParameterSpec], method: UpstreamMethod,
        base: UpstreamBase, pathTemplate: String
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.parameters = parameters
        self.method = method
        self.base = base
        self.pathTemplate = pathTemplate
    }

    /// Reads change nothing upstream; the one write (a photo evaluation) reaches an AI service
    /// outside the tenant's data, hence `openWorldHint`.
    public var isReadOnly: Bool { method == .get }
}

extension ParameterSpec {
    /// `page`, as every paged endpoint takes it.
    static let page = ParameterSpec(
        name: "page", kind: .integer(minimum: 1), isRequired: false,
        description: "Page number, starting at 1 (default 1). Ask for the next page while page × limit < total.",
        placement: .query("page"))

    /// `limit`, as every paged endpoint takes it.
    static let limit = ParameterSpec(
        name: "limit", kind: .integer(minimum: 1, maximum: 100), isRequired: false,
        description: "Items per page, 1 to 100 (the API's default applies when omitted).",
        placement: .query("limit"))

    /// A positive id sent as the query parameter `query` (its own name unless renamed).
    static func id(_ name: String, required: Bool, query: String? = nil, _ description: String) -> ParameterSpec {
        ParameterSpec(
            name: name, kind: .integer(minimum: 1), isRequired: required, description: description,
            placement: .query(query ?? name))
    }

    /// A positive id that fills `{name}` in the path.
    static func pathID(_ name: String, _ description: String) -> ParameterSpec {
        ParameterSpec(
            name: name, kind: .integer(minimum: 1), isRequired: true, description: description, placement: .path)
    }
}
