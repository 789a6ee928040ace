import JSON

/// A JSON-RPC request id. MCP allows a string or an integer; never null, never a fraction.
enum RequestID: Sendable, Equatable {
    case string(String)
    case int(Int)

    /// The id a JSON value denotes, or nil for anything MCP does not allow as an id.
    init?(_ value: JSONValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(number)
        default: return nil
        }
    }

    func append(to out: inout [UInt8]) {
        switch self {
        case .string(let text): JSONValue.appendQuoted(text, into: &out)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        }
    }

    /// The id of a message we reject, if it has a usable one (so the client can match the error).
    static func salvaged(from message: JSONValue) -> RequestID? {
        message["id"].flatMap(RequestID.init)
    }
}

/// A request: has an id and expects an answer.
struct JSONRPCRequest: Sendable, Equatable {
    var id: RequestID
    var method: String
    /// An object or an array (the decoder refuses anything else), or nil when absent.
    var params: JSONValue?

    var paramsObject: JSONObject? { params?.objectValue }
    /// `params._meta`, when it is an object.
    var meta: JSONObject? { paramsObject?["_meta"]?.objectValue }
}

/// One decoded JSON-RPC 2.0 message.
enum JSONRPCMessage: Sendable, Equatable {
    case request(JSONRPCRequest)
    /// A message without id; nothing answers it.
    case notification(method: String)
    /// A client's answer to a server request; we never send any, so it is only acknowledged.
    case response

    /// Applies JSON-RPC 2.0's rules; every violation is `-32600`.
    init(decoding value: JSONValue) throws(MCPError) {
        guard let object = value.objectValue else { throw .invalidRequest("a message must be a JSON object") }
        guard object["jsonrpc"] == .string("2.0") else { throw .invalidRequest("\"jsonrpc\" must be \"2.0\"") }
        if let method = object["method"] {
            self = try Self.decodeCall(object, method: method)
        } else if object["result"] != nil || object["error"] != nil {
            try Self.checkResponse(object)
            self = .response
        } else {
            throw .invalidRequest("a message needs \"method\", \"result\" or \"error\"")
        }
    }

    private static func decodeCall(_ object: JSONObject, method: JSONValue) throws(MCPError) -> JSONRPCMessage {
        guard let name = method.stringValue else { throw .invalidRequest("\"method\" must be a string") }
        let params = object["params"]
        switch params {
        case nil, .object?, .array?: break
        default: throw .invalidRequest("\"params\" must be an object or an array")
        }
        guard let rawID = object["id"] else { return .notification(method: name) }
        guard let id = RequestID(rawID) else { throw .invalidRequest("\"id\" must be a string or an integer") }
        return .request(JSONRPCRequest(id: id, method: name, params: params))
    }

    private static func checkResponse(_ object: JSONObject) throws(MCPError) {
        guard (object["result"] == nil) != (object["error"] == nil) else {
            throw .invalidRequest("a response has exactly one of \"result\" and \"error\"")
        }
        // An error answer to something unparseable legitimately carries a null id.
        let idIsNullError = object["id"] == .null && object["error"] != nil
        guard idIsNullError || object["id"].flatMap(RequestID.init) != nil else {
            throw .invalidRequest("\"id\" must be a string or an integer")
        }
    }
}

/// JSON that is already serialized, so precomputed results are spliced in without re-encoding.
struct RawJSON: Sendable, Equatable {
    var bytes: [UInt8]

    init(_ value: JSONValue) { bytes = value.serialized() }
}

/// Writes the JSON-RPC envelopes this server sends.
enum JSONRPCEncoding {
    private static let prefix = Array(#"{"jsonrpc":"2.0","id":"#.utf8)

    static func result(_ result: RawJSON, id: RequestID) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(result.bytes.count + 48)
        id.append(to: &out)
        out.append(contentsOf: #","result":"#.utf8)
        out.append(contentsOf: result.bytes)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// An error response; the id is null when the request's id is unknown.
    static func error(_ error: MCPError, id: RequestID?) -> [UInt8] {
        var out = prefix
        if let id { id.append(to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","error":"#.utf8)
        out.append(contentsOf: error.errorObject.serialized())
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func notification(method: String, params: JSONValue) -> [UInt8] {
        JSONValue.object(["jsonrpc": "2.0", "method": .string(method), "params": params]).serialized()
    }

    /// A batch answer: the serialized responses as one JSON array, in order.
    static func array(_ elements: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: element)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
