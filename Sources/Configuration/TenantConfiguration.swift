import JSON

/// One tenant's upstream settings: where its OneApp APIs live and the credentials to send.
///
/// JSON form (one entry of `clients` in `supervisor.json`, and what a worker receives on its pipe):
///
///     { "authorization": "Bearer …", "coreBaseUrl": "https://api.oneapp.cl",
///       "clientBaseUrl": "https://acme.oneapp.cl", "clientHeader": "acme", "httpTimeoutMs": 30000 }
///
/// `description`, `debugDescription` and `dump()` never show the authorization value.
public struct TenantConfiguration: Sendable, Equatable {
    /// The upstream `Authorization` header value; empty means the header is not sent.
    public var authorization: String
    public var coreBaseURL: String
    public var clientBaseURL: String
    /// The upstream `client` header value; empty means the header is not sent.
    public var clientHeader: String
    public var httpTimeoutMs: Int

    public static let defaultTimeoutMs = 30_000
    public static let timeoutRangeMs = 1...600_000

    /// Builds a configuration as given, without checks (use `parse` for untrusted input).
    public init(
        authorization: String, coreBaseURL: String, clientBaseURL: String, clientHeader: String,
        httpTimeoutMs: Int = TenantConfiguration.defaultTimeoutMs
    ) {
        self.authorization = authorization
        self.coreBaseURL = coreBaseURL
        self.clientBaseURL = clientBaseURL
        self.clientHeader = clientHeader
        self.httpTimeoutMs = httpTimeoutMs
    }

    /// The JSON form, secret included: it is what the supervisor hands to the tenant's worker.
    public func toJSON() -> JSONValue {
        [
            "authorization": .string(authorization),
            "coreBaseUrl": .string(coreBaseURL),
            "clientBaseUrl": .string(clientBaseURL),
            "clientHeader": .string(clientHeader),
            "httpTimeoutMs": .int(httpTimeoutMs),
        ]
    }
}

extension TenantConfiguration {
    /// Reads a tenant entry, reporting every problem with its JSON path (`path` names the entry
    /// itself, e.g. `clients.alpha`), never just the first.
    public static func parse(
        _ value: JSONValue, at path: String
    ) -> Result<TenantConfiguration, TenantConfigurationProblems> {
        var reader = EntryReader(path: path)
        guard let object = value.objectValue else {
            return .failure(
                TenantConfigurationProblems([TenantConfigurationProblem(path: path, message: "must be an object")]))
        }
        let known = ["authorization", "coreBaseUrl", "clientBaseUrl", "clientHeader", "httpTimeoutMs"]
        for key in object.keys where !known.contains(key) {
            reader.report(key, "unknown key")
        }
        let authorization = reader.headerValue(object, "authorization")
        let core = reader.baseURL(object, "coreBaseUrl")
        let client = reader.baseURL(object, "clientBaseUrl")
        let clientHeader = reader.headerValue(object, "clientHeader")
        let timeout = reader.timeout(object, "httpTimeoutMs")
        guard reader.problems.isEmpty, let authorization, let core, let client, let clientHeader, let timeout else {
            return .failure(TenantConfigurationProblems(reader.problems))
        }
        return .success(
            TenantConfiguration(
                authorization: authorization, coreBaseURL: core, clientBaseURL: client, clientHeader: clientHeader,
                httpTimeoutMs: timeout))
    }
}

/// Collects problems while reading one entry; each reader returns nil after reporting.
private struct EntryReader {
    let path: String
    var problems: [TenantConfigurationProblem] = []

    mutating func report(_ key: String, _ message: String) {
        problems.append(TenantConfigurationProblem(path: path.isEmpty ? key : "\(path).\(key)", message: message))
    }

    mutating func requiredString(_ object: JSONObject, _ key: String) -> String? {
        // The value is never echoed: a misplaced secret must not end up in a log line.
        guard let text = object[key]?.stringValue else {
            report(key, "required string")
            return nil
        }
        return text
    }

    /// Header values may be empty, but a control character (CR, LF, …) would let a config
    /// value inject extra header lines upstream.
    mutating func headerValue(_ object: JSONObject, _ key: String) -> String? {
        guard let text = requiredString(object, key) else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            report(key, "must not contain control characters")
            return nil
        }
        return text
    }

    /// User info would put credentials into error messages; a query or fragment would end up
    /// in the middle of every joined URL.
    mutating func baseURL(_ object: JSONObject, _ key: String) -> String? {
        guard let text = requiredString(object, key) else { return nil }
        guard let url = AbsoluteHTTPURL(text) else {
            report(key, "must be an http(s) URL")
            return nil
        }
        guard !url.hasUserInfo, !url.hasQuery, !url.hasFragment else {
            report(key, "must be an http(s) URL without user info, query or fragment")
            return nil
        }
        return text
    }

    mutating func timeout(_ object: JSONObject, _ key: String) -> Int? {
        guard let value = object[key] else { return TenantConfiguration.defaultTimeoutMs }
        let range = TenantConfiguration.timeoutRangeMs
        guard let ms = value.intValue, range.contains(ms) else {
            report(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return ms
    }
}

/// One thing wrong with a tenant entry, located by its JSON path.
public struct TenantConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `clients.alpha.coreBaseUrl: must be an http(s) URL`
    public var description: String { "\(path): \(message)" }
}

/// Every problem found in a tenant entry (never empty when thrown or returned as a failure).
public struct TenantConfigurationProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [TenantConfigurationProblem]

    public init(_ problems: [TenantConfigurationProblem]) { self.problems = problems }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension TenantConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Says whether a secret is set, never what it is.
    private var redactedAuthorization: String { authorization.isEmpty ? "<empty>" : "<redacted>" }

    public var description: String {
        "TenantConfiguration(authorization: \(redactedAuthorization), coreBaseURL: \(coreBaseURL), "
            + "clientBaseURL: \(clientBaseURL), clientHeader: \(clientHeader), httpTimeoutMs: \(httpTimeoutMs))"
    }

    public var debugDescription: String { description }

    /// `dump()` and the test runner's value printing read the mirror, so it must redact too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "authorization": redactedAuthorization, "coreBaseURL": coreBaseURL, "clientBaseURL": clientBaseURL,
                "clientHeader": clientHeader, "httpTimeoutMs": httpTimeoutMs,
            ])
    }
}
