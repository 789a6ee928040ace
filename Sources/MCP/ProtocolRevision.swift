import HTTP1

/// One MCP protocol revision this server speaks, and the era it belongs to.
///
/// Legacy revisions (≤ 2025-11-25) start with an `initialize` handshake and live in a session;
/// the modern revision (2026-07-28) is stateless and carries its version on every request.
public enum ProtocolRevision: String, Sendable, CaseIterable, Comparable {
    case v2025_03_26 = "2025-03-26"
    case v2025_06_18 = "2025-06-18"
    case v2025_11_25 = "2025-11-25"
    case v2026_07_28 = "2026-07-28"

    /// Handshake-and-session (legacy) or stateless (modern).
    public enum Era: Sendable, Equatable {
        case legacy
        case modern
    }

    public var era: Era { self == .v2026_07_28 ? .modern : .legacy }

    /// Every supported revision, newest first: the `supported` list in `-32022` and
    /// `server/discover`. Legacy ones are listed too, so a dual-era client can fall back.
    public static let newestFirst: [ProtocolRevision] = allCases.reversed()

    /// The revision offered to an `initialize` that asks for one we do not speak. It is the
    /// newest handshake revision: the Python client rejects a modern version in that answer.
    public static let counterOffer: ProtocolRevision = .v2025_11_25

    /// The version an `initialize` settles on: the requested one if it is a legacy revision we
    /// support, else the counter-offer (never an error, as the lifecycle spec asks).
    public static func negotiate(requested: String) -> ProtocolRevision {
        guard let revision = ProtocolRevision(rawValue: requested), revision.era == .legacy else {
            return counterOffer
        }
        return revision
    }

    public static func < (lhs: ProtocolRevision, rhs: ProtocolRevision) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// Position in `allCases`; indexes `PerRevision` storage.
    var ordinal: Int {
        switch self {
        case .v2025_03_26: 0
        case .v2025_06_18: 1
        case .v2025_11_25: 2
        case .v2026_07_28: 3
        }
    }

    /// Tool `title` and `structuredContent` arrived in 2025-06-18.
    var hasToolTitlesAndStructuredContent: Bool { self >= .v2025_06_18 }

    /// JSON-RPC batches exist only in 2025-03-26.
    var allowsBatches: Bool { self == .v2025_03_26 }
}

/// One precomputed value per revision, looked up without hashing (the hot path).
struct PerRevision<Value: Sendable>: Sendable {
    private let storage: [Value]

    init(_ make: (ProtocolRevision) -> Value) {
        storage = ProtocolRevision.allCases.map(make)
    }

    subscript(revision: ProtocolRevision) -> Value { storage[revision.ordinal] }
}

/// What the `MCP-Protocol-Version` request header says about the era of a request.
///
/// Routing follows the Python SDK server: no header or a handshake version → legacy path;
/// `2026-07-28` → modern path; anything else → `-32022`, whichever era the client meant.
enum VersionHeader: Sendable, Equatable {
    /// Legacy path; the header's revision, or nil when the header is absent.
    case legacy(ProtocolRevision?)
    case modern

    init(_ fields: HTTPFields) throws(MCPError) {
        guard let value = try fields.singleMCPValue("MCP-Protocol-Version") else {
            self = .legacy(nil)
            return
        }
        guard let revision = ProtocolRevision(rawValue: value) else {
            throw .unsupportedProtocolVersion(requested: value)
        }
        self = revision.era == .modern ? .modern : .legacy(revision)
    }
}
