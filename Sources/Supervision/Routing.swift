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
        let values = fields.values(header)
        // Two header lines are a duplicate even with equal values: a proxy in front may have
        // added one, and we must not guess which tenant the client meant.
        guard values.count <= 1 else {
            return .failure(Rejection(status: 400, code: "DUPLICATE_CLIENT_ID", message: "Several X-Client-ID values; send exactly one"))
        }
        let raw = values.first?.trimmingCharacters(in: " \t") ?? ""
        guard !raw.isEmpty else {
            return .failure(Rejection(status: 403, code: "MISSING_CLIENT_ID", message: "Missing X-Client-ID header: name your tenant in it"))
        }
        guard !raw.contains(",") else {
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
