import JSON
import Synchronization

/// Every result that does not depend on the request, serialized once at start-up: the
/// `tools/list` result per revision is on the hot path (tens of thousands of requests a second).
struct PrecomputedResults: Sendable {
    static let ttlMs = 300_000
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// `{"io.modelcontextprotocol/serverInfo": {name, version}}`, the `_meta` of modern results.
    let serverInfoMeta: JSONValue
    /// `initialize` results; only the legacy entries are ever used.
    let initialize: PerRevision<RawJSON>
    let toolList: PerRevision<RawJSON>
    let discover: RawJSON
    let empty = RawJSON([:])

    init(server: MCPServerInfo, tools: [ToolDefinition]) {
        let serverInfo: JSONValue = ["name": .string(server.name), "version": .string(server.version)]
        let meta: JSONValue = .object([Self.serverInfoKey: serverInfo])
        let capabilities: JSONValue = ["tools": ["listChanged": false]]
        serverInfoMeta = meta
        initialize = PerRevision { revision in
            var object: JSONObject = [
                "protocolVersion": .string(revision.rawValue), "capabilities": capabilities, "serverInfo": serverInfo,
            ]
            if let instructions = server.instructions { object["instructions"] = .string(instructions) }
            return RawJSON(.object(object))
        }
        toolList = Self.toolLists(name: server.name, version: server.version, tools: tools)
        var discover: JSONObject = [
            "resultType": "complete",
            "supportedVersions": .array(ProtocolRevision.newestFirst.map { .string($0.rawValue) }),
            "capabilities": capabilities,
        ]
        if let instructions = server.instructions { discover["instructions"] = .string(instructions) }
        discover["ttlMs"] = .int(Self.ttlMs)
        // Tools differ per tenant, so no shared cache may reuse these answers across callers.
        discover["cacheScope"] = "private"
        discover["_meta"] = meta
        self.discover = RawJSON(.object(discover))
    }

    private struct ToolListKey: Equatable {
        var name: String
        var version: String
        var tools: [ToolDefinition]
    }

    /// The last tool lists built in this process: every tenant's worker has the same tools, so
    /// the preloader builds them once (`WorkerProcess.warmUp`) and each forked worker inherits
    /// them, instead of serializing 18 schemas for 5 revisions at every start.
    private static let lastToolLists = Mutex<(key: ToolListKey, lists: PerRevision<RawJSON>)?>(nil)

    private static func toolLists(name: String, version: String, tools: [ToolDefinition]) -> PerRevision<RawJSON> {
        let key = ToolListKey(name: name, version: version, tools: tools)
        if let last = lastToolLists.withLock({ $0 }), last.key == key { return last.lists }
        let meta: JSONValue = .object([serverInfoKey: ["name": .string(name), "version": .string(version)]])
        let lists = PerRevision { revision in
            let list = JSONValue.array(tools.map { ToolEncoding.definition($0, revision: revision) })
            guard revision.era == .modern else { return RawJSON(["tools": list]) }
            return RawJSON(["resultType": "complete", "tools": list, "ttlMs": .int(Self.ttlMs), "cacheScope": "private", "_meta": meta])
        }
        lastToolLists.withLock { $0 = (key, lists) }
        return lists
    }
}
