import JSON

/// What a worker receives on its configuration descriptor, as one JSON document:
///
///     {"tenant": {<the tenant entry of supervisor.json>},
///      "sessionKey": "<64 hex digits>",          (optional: random when absent)
///      "allowedOrigins": ["https://…"],          (optional: loopback origins only)
///      "maxOpenFiles": 1024}                     (optional: RLIMIT_NOFILE the worker sets)
///
/// Secrets travel this way, never in argv or the environment, which other users can read.
public struct WorkerHandoff: Sendable {
    public var tenant: TenantConfiguration
    public var sessionKey: [UInt8]
    public var allowedOrigins: [String]
    public var maxOpenFiles: Int?

    public init(tenant: TenantConfiguration, sessionKey: [UInt8], allowedOrigins: [String] = [], maxOpenFiles: Int? = nil) {
        self.tenant = tenant
        self.sessionKey = sessionKey
        self.allowedOrigins = allowedOrigins
        self.maxOpenFiles = maxOpenFiles
    }

    /// Parses the document; the error lists every problem, one per line.
    public static func parse(_ bytes: [UInt8]) -> Result<WorkerHandoff, ConfigurationProblems> {
        let document: JSONValue
        do { document = try JSONValue(parsing: bytes) } catch {
            return .failure(ConfigurationProblems(["\(error)"]))
        }
        guard let object = document.objectValue else { return .failure(ConfigurationProblems(["the document must be a JSON object"])) }
        var problems: [String] = []
        for key in object.keys where !["tenant", "sessionKey", "allowedOrigins", "maxOpenFiles"].contains(key) {
            problems.append("\(key): unknown key")
        }
        var tenant: TenantConfiguration?
        switch TenantConfiguration.parse(object["tenant"] ?? .null, at: "tenant") {
        case .success(let parsed): tenant = parsed
        case .failure(let failure): problems += failure.problems.map(\.description)
        }
        var key: [UInt8] = []
        if let hex = object["sessionKey"] {
            if let decoded = hex.stringValue.flatMap(Self.decodeHex), decoded.count >= 16 { key = decoded } else {
                problems.append("sessionKey: must be at least 32 hex digits")
            }
        } else {
            var generator = SystemRandomNumberGenerator()
            key = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
        }
        let origins = object["allowedOrigins"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let value = object["allowedOrigins"], value.arrayValue?.count != origins.count {
            problems.append("allowedOrigins: must be an array of strings")
        }
        let maxOpenFiles = object["maxOpenFiles"]?.intValue
        if object["maxOpenFiles"] != nil, maxOpenFiles.map({ $0 < 16 }) ?? true { problems.append("maxOpenFiles: must be an integer of at least 16") }
        guard problems.isEmpty, let tenant else { return .failure(ConfigurationProblems(problems)) }
        return .success(WorkerHandoff(tenant: tenant, sessionKey: key, allowedOrigins: origins, maxOpenFiles: maxOpenFiles))
    }

    /// The line a supervisor writes for a worker (compact JSON has no raw newline).
    public func serialized() -> [UInt8] {
        let hex = sessionKey.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        var document: JSONObject = [
            "tenant": tenant.toJSON(), "sessionKey": .string(hex), "allowedOrigins": .array(allowedOrigins.map { .string($0) }),
        ]
        if let maxOpenFiles { document["maxOpenFiles"] = .int(maxOpenFiles) }
        return JSONValue.object(document).serialized() + [0x0A]
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
