import HTTP1
import JSON

/// A demo tenant of the sandbox: its credentials and the brand its fixture data is built for.
public struct SandboxTenant: Sendable, Equatable {
    /// The client ID (`X-Client-ID`) this tenant is configured under.
    public let clientId: String
    /// Brand name used in branch names ("Acme Providencia").
    public let brand: String
    /// The exact `Authorization` header value the sandbox accepts for this tenant.
    public let authorization: String
    /// The exact `client` header value the sandbox accepts for this tenant.
    public let clientHeader: String

    init(clientId: String, brand: String, authorization: String, clientHeader: String) {
        self.clientId = clientId
        self.brand = brand
        self.authorization = authorization
        self.clientHeader = clientHeader
    }

    /// A tenant entry for `supervisor.json` pointing both APIs at a sandbox on `baseURL`.
    public func tenantEntry(baseURL: String, httpTimeoutMs: Int = 30_000) -> JSONValue {
        [
            "authorization": .string(authorization),
            "coreBaseUrl": .string(baseURL),
            "clientBaseUrl": .string(baseURL),
            "clientHeader": .string(clientHeader),
            "httpTimeoutMs": .int(httpTimeoutMs),
        ]
    }
}

extension SandboxAPI {
    /// The two demo tenants. Their data differs (it is seeded by the client ID).
    public static let demoTenants: [SandboxTenant] = [
        SandboxTenant(
            clientId: "acme", brand: "Acme", authorization: "Bearer sandbox-acme-7f3a9c2e51b4d8a6",
            clientHeader: "acme"),
        SandboxTenant(
            clientId: "globex", brand: "Globex", authorization: "Bearer sandbox-globex-4d81b6e09a2fc735",
            clientHeader: "globex"),
    ]

    /// The tenant whose `Authorization` and `client` headers both match, each sent exactly once.
    /// One tenant's token with another tenant's client header matches nobody.
    static func authenticate(_ fields: HTTPFields) -> SandboxTenant? {
        let authorization = fields.values("Authorization").map { $0.trimmingASCIISpaces() }
        let client = fields.values("client").map { $0.trimmingASCIISpaces() }
        guard authorization.count == 1, client.count == 1 else { return nil }
        return demoTenants.first { $0.authorization == authorization[0] && $0.clientHeader == client[0] }
    }
}
