import Configuration
import HTTP1

/// Why the supervisor answers a request itself instead of forwarding it (README "HTTP errors").
public struct Rejection: Error, Equatable, Sendable {
    public var status: Int
    /// The machine-readable `error.data.code`.
    public var code: String
    public var message: String
    /// Seconds for `Retry-After` (503 only).
    public var retryAfter: Int?

    public init(status: Int, code: String, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}

/// Picks the tenant of a request from its `X-Client-ID` header, before any worker is touched.
public enum Routing {
    public static let header = "X-Client-ID"

    /// The configured tenant named by the request, or the rejection to answer.
    public static func tenant(for fields: HTTPFields, isConfigured: (ClientID) -> Bool) -> Result<ClientID, Rejection> {
        // Two header lines are a duplicate even with equal values: a proxy in front may have
        // added one, and we must not guess which tenant the client meant.
        guard fields.count(named: header) <= 1 else {
            return .failure(Rejection(status: 400, code: "DUPLICATE_CLIENT_ID", message: "Several X-Client-ID values; send exactly one"))
        }
        let raw = fields[header]?.trimmingASCIISpaces() ?? ""
        guard !raw.isEmpty else {
            return .failure(Rejection(status: 403, code: "MISSING_CLIENT_ID", message: "Missing X-Client-ID header: name your tenant in it"))
        }
        guard !raw.utf8.contains(UInt8(ascii: ",")) else {
            return .failure(Rejection(status: 400, code: "DUPLICATE_CLIENT_ID", message: "Several X-Client-ID values; send exactly one"))
        }
        guard let id = ClientID(raw) else {
            return .failure(Rejection(
                status: 403, code: "INVALID_CLIENT_ID",
                message: "Invalid X-Client-ID: use 1 to 64 characters from a-z, 0-9 and _"))
        }
        guard isConfigured(id) else {
            return .failure(Rejection(status: 403, code: "UNKNOWN_CLIENT", message: "Unknown client ID: \(id)"))
        }
        return .success(id)
    }
}

extension Routing {
    /// The tenant's inbound credential check: with `keys` configured, exactly one
    /// `Authorization: Bearer <key>` naming one of them. A key of another tenant never matches,
    /// since only this tenant's keys are compared.
    public static func authorize(_ fields: HTTPFields, keys: [APIKey]) -> Rejection? {
        guard !keys.isEmpty else { return nil }
        let values = fields.values("Authorization")
        guard values.count == 1, let value = values.first, value.count > 7,
            value.prefix(7).lowercased() == "bearer "
        else {
            return Rejection(status: 401, code: "UNAUTHORIZED", message: "This tenant requires Authorization: Bearer <API key>")
        }
        let token = String(value.dropFirst(7)).trimmingCharacters(in: " \t")
        guard APIKey.accepts(token, among: keys) else {
            return Rejection(status: 401, code: "UNAUTHORIZED", message: "Invalid API key for this tenant")
        }
        return nil
    }
}
