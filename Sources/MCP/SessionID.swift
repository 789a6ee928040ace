import Codecs
/// Mints and verifies legacy `Mcp-Session-Id`s without storing anything.
///
/// ```
///   2025-11-25.1767225600.9f86d081884c7d659a2feaa0c55ad015.3a7bd3e2360a3d29eea436fcfb7e44c7...
///   └revision┘ └issuedAt┘ └──────── nonce (16 bytes) ─────┘ └──── HMAC-SHA-256 (32 bytes) ───
///
///   MAC = HMAC-SHA-256(sessionKey, "oneapp-mcp session v1" ‖ lp(tenantID) ‖ lp(revision)
///                                  ‖ lp(issuedAt decimal) ‖ lp(nonce))      lp = u32 BE length ‖ bytes
/// ```
/// Every worker of every tenant gets the same key, so the tenant is bound into the MAC: an id
/// minted for tenant A does not verify in tenant B's worker. Because nothing is stored, a
/// session survives a worker restart. The nonce only makes ids unique; the MAC is the secret.
struct SessionAuthority: Sendable {
    private let mac: HMACSHA256
    private let tenantID: String
    /// Ids older than this many seconds stop verifying; nil = they never expire.
    private let maxAge: UInt64?

    init(key: [UInt8], tenantID: String, maxAge: UInt64?) {
        precondition(!key.isEmpty, "the session key must not be empty: session ids would be forgeable")
        mac = HMACSHA256(key: key)
        self.tenantID = tenantID
        self.maxAge = maxAge
    }

    /// A fresh id for a session that negotiated `revision` at `issuedAt` (unix seconds).
    func mint(revision: ProtocolRevision, issuedAt: UInt64) -> String {
        // SystemRandomNumberGenerator is the OS CSPRNG (getrandom on Linux), no import needed.
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<2).flatMap { _ in bigEndianBytes(generator.next() as UInt64) }
        let code = mac.authenticationCode(for: macInput(revision, issuedAt, nonce))
        return "\(revision.rawValue).\(issuedAt).\(Hex.encode(nonce)).\(Hex.encode(code))"
    }

    /// The revision the session negotiated, or nil when the id does not verify (garbled,
    /// forged, minted for another tenant or with another key, or older than `maxAge`).
    func verify(_ id: String, now: UInt64) -> ProtocolRevision? {
        guard id.utf8.count <= 160 else { return nil }
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4,
            let revision = ProtocolRevision(rawValue: String(parts[0])), revision.era == .legacy,
            parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let issuedAt = UInt64(parts[1]), String(issuedAt) == parts[1],
            let nonce = Hex.decode(parts[2]), nonce.count == 16,
            let claimed = Hex.decode(parts[3]), claimed.count == SHA256.digestSize
        else { return nil }
        let expected = mac.authenticationCode(for: macInput(revision, issuedAt, nonce))
        guard HMACSHA256.constantTimeEqual(claimed, expected) else { return nil }
        if let maxAge, now > issuedAt, now - issuedAt > maxAge { return nil }
        return revision
    }

    private func macInput(_ revision: ProtocolRevision, _ issuedAt: UInt64, _ nonce: [UInt8]) -> [UInt8] {
        var out = Array("oneapp-mcp session v1".utf8)
        for field in [Array(tenantID.utf8), Array(revision.rawValue.utf8), Array(String(issuedAt).utf8), nonce] {
            out.append(contentsOf: bigEndianBytes(UInt32(field.count)))
            out.append(contentsOf: field)
        }
        return out
    }

    private func bigEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
