import Configuration
import JSON

/// Turning a tool call into its upstream request (pure).
///
///     GET  {base}{path}?{query}     query: the given arguments in table order, e.g.
///                                   check_id=3&from_date=2025-01-01&page=2 ; areas=1,2,3
///     POST {base}{path}             body: {"foto_url":"https://…","criterios":["…"]}
///
/// Query values are percent-encoded byte by byte: only RFC 3986 unreserved characters
/// (`A–Z a–z 0–9 - . _ ~`) stay as they are. Array items are encoded one by one and joined by a
/// literal `,`, so a `,` inside one string item arrives as `%2C` and cannot split it.
extension ToolSpec {
    func upstreamRequest(_ arguments: ValidatedArguments, configuration: TenantConfiguration) -> UpstreamRequest {
        UpstreamRequest(
            method: method.rawValue,
            url: configuration.baseURL(for: base) + resolvedPath(arguments) + queryString(arguments),
            headers: Self.headers(configuration),
            body: body(arguments),
            timeoutMs: configuration.httpTimeoutMs)
    }

    /// The path with `{name}` replaced by the argument's value (percent-encoded).
    func resolvedPath(_ arguments: ValidatedArguments) -> String {
        var path = pathTemplate
        for parameter in parameters where parameter.placement == .path {
            let value = arguments[parameter.name].map(Self.encodedText) ?? ""
            path = path.replacing("{\(parameter.name)}", with: value)
        }
        return path
    }

    /// `?a=1&b=2` for the arguments that were given (and go to the query), or "".
    func queryString(_ arguments: ValidatedArguments) -> String {
        var pairs: [String] = []
        for parameter in parameters {
            guard case .query(let key) = parameter.placement, let value = arguments[parameter.name] else { continue }
            pairs.append(PercentEncoding.encode(key) + "=" + Self.encodedText(value))
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// The compact JSON body for body arguments (members in table order), or nil when none go there.
    func body(_ arguments: ValidatedArguments) -> [UInt8]? {
        var object = JSONObject()
        var hasBody = false
        for parameter in parameters {
            guard case .body(let key) = parameter.placement else { continue }
            hasBody = true
            if let value = arguments[parameter.name] { object[key] = Self.json(value) }
        }
        return hasBody ? JSONValue.object(object).serialized() : nil
    }

    /// Exactly these and no others: nothing from the inbound request is forwarded.
    static func headers(_ configuration: TenantConfiguration) -> [(String, String)] {
        var headers = [("Content-Type", "application/json")]
        if !configuration.authorization.isEmpty { headers.append(("Authorization", configuration.authorization)) }
        if !configuration.clientHeader.isEmpty { headers.append(("client", configuration.clientHeader)) }
        return headers
    }

    private static func encodedText(_ value: ArgumentValue) -> String {
        switch value {
        case .integer(let int): return String(int)
        case .string(let text): return PercentEncoding.encode(text)
        case .integers(let ints): return ints.map(String.init).joined(separator: ",")
        case .strings(let texts): return texts.map(PercentEncoding.encode).joined(separator: ",")
        }
    }

    private static func json(_ value: ArgumentValue) -> JSONValue {
        switch value {
        case .integer(let int): return .int(int)
        case .string(let text): return .string(text)
        case .integers(let ints): return .array(ints.map(JSONValue.int))
        case .strings(let texts): return .array(texts.map(JSONValue.string))
        }
    }
}

/// RFC 3986 percent-encoding of UTF-8 bytes; everything but the unreserved set becomes `%XX`.
enum PercentEncoding {
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
