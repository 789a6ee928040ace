import JSON
import Posix

/// Reads `supervisor.json` into a `SupervisorConfiguration`, collecting every problem by its
/// JSON path (`clients.alpha.coreBaseUrl: must be an http(s) URL`) instead of stopping at one.
struct ConfigurationReader {
    private(set) var problems: [String] = []
    private(set) var warnings: [String] = []
    /// For `{"env": NAME}` and `{"file": PATH}` secrets.
    let environment: [String: String]
    let directory: String

    static let topLevelKeys: Set<String> = [
        "listen", "adminListen", "runDirectory", "logFile", "accessLog", "idleTimeoutSeconds", "spawnTimeoutSeconds",
        "shutdownTimeoutSeconds", "queueLimit", "maxInFlightPerTenant", "maxWorkers", "maxConnections", "requestTimeoutSeconds",
        "maxWorkerMemoryMB", "maxWorkerOpenFiles", "maxHeadBytes", "maxHeaderCount", "maxBodyBytes", "headTimeoutSeconds",
        "keepAliveIdleSeconds", "allowedOrigins", "sandbox", "sessionKey", "clients",
    ]
    /// Keys of a tenant entry that belong to the supervisor; the rest go to the worker.
    static let supervisorTenantKeys: Set<String> = ["idleTimeoutSeconds", "apiKeys"]
    /// Tenant fields that may be given as a secret reference.
    static let secretFields = ["authorization", "clientHeader"]

    mutating func read(_ document: JSONValue) -> SupervisorConfiguration {
        var config = SupervisorConfiguration()
        guard let object = document.objectValue else {
            problems.append("(top level): must be a JSON object")
            return config
        }
        for key in object.keys where !Self.topLevelKeys.contains(key) { problems.append("\(key): unknown key") }
        if let v = address(object, "listen") { config.listen = v }
        if object["adminListen"] == .null { config.adminListen = nil } else if let v = address(object, "adminListen") { config.adminListen = v }
        if let v = string(object, "runDirectory") { config.runDirectory = v }
        if let v = string(object, "logFile") { config.logFile = v }
        if let v = object["accessLog"] {
            if let flag = v.boolValue { config.accessLog = flag } else { problems.append("accessLog: must be true or false") }
        }
        integer(object, "idleTimeoutSeconds", 1...86_400, into: &config.idleTimeoutSeconds)
        integer(object, "spawnTimeoutSeconds", 1...300, into: &config.spawnTimeoutSeconds)
        integer(object, "shutdownTimeoutSeconds", 1...3_600, into: &config.shutdownTimeoutSeconds)
        integer(object, "queueLimit", 1...100_000, into: &config.queueLimit)
        integer(object, "maxInFlightPerTenant", 1...10_000, into: &config.maxInFlightPerTenant)
        integer(object, "maxWorkers", 1...100_000, into: &config.maxWorkers)
        integer(object, "maxConnections", 1...1_000_000, into: &config.maxConnections)
        integer(object, "requestTimeoutSeconds", 1...3_600, into: &config.requestTimeoutSeconds)
        integer(object, "maxWorkerMemoryMB", 0...1_048_576, into: &config.maxWorkerMemoryMB)
        integer(object, "maxWorkerOpenFiles", 64...1_048_576, into: &config.maxWorkerOpenFiles)
        integer(object, "maxHeadBytes", 1_024...1_048_576, into: &config.maxHeadBytes)
        integer(object, "maxHeaderCount", 8...10_000, into: &config.maxHeaderCount)
        integer(object, "maxBodyBytes", 1...(64 << 20), into: &config.maxBodyBytes)
        integer(object, "headTimeoutSeconds", 1...600, into: &config.headTimeoutSeconds)
        integer(object, "keepAliveIdleSeconds", 1...3_600, into: &config.keepAliveIdleSeconds)
        if let origins = object["allowedOrigins"] {
            let list = origins.arrayValue?.compactMap(\.stringValue)
            if let list, list.count == origins.arrayValue?.count { config.allowedOrigins = list } else {
                problems.append("allowedOrigins: must be an array of strings")
            }
        }
        if let sandbox = object["sandbox"], sandbox != .null {
            if let listen = sandbox.objectValue.flatMap({ address($0, "listen", path: "sandbox.listen") }) {
                config.sandboxListen = listen
            } else if sandbox["listen"] == nil {
                problems.append("sandbox: must be an object with \"listen\": \"HOST:PORT\"")
            }
        }
        if let value = object["sessionKey"] {
            // Shared by every host that may serve a tenant, so a session survives a move between them.
            let key = value.stringValue.flatMap { $0.utf8.count == 64 ? WorkerHandoff.decodeHex($0) : nil }
            if let key { config.sessionKey = key } else { problems.append("sessionKey: must be a string of 64 hex digits (openssl rand -hex 32)") }
        }
        if let clients = object["clients"] { config.clients = readClients(clients, path: "clients") }
        return config
    }

    /// Reads a `clients` object (from the file or from CLIENTS_CONFIG).
    mutating func readClients(_ value: JSONValue, path: String) -> [ClientID: TenantEntry] {
        guard let object = value.objectValue else {
            problems.append("\(path): must be an object mapping client IDs to tenant entries")
            return [:]
        }
        var clients: [ClientID: TenantEntry] = [:]
        var spelled: [ClientID: String] = [:]
        for member in object {
            let entryPath = "\(path).\(member.key)"
            guard let id = ClientID(member.key) else {
                problems.append("\(entryPath): client ID must be 1 to 64 characters from a-z, 0-9 and _")
                continue
            }
            if let first = spelled[id] {
                warnings.append("\(entryPath): same tenant as \(path).\(first) after lowercasing; the later entry wins")
            }
            spelled[id] = member.key
            if let entry = readEntry(member.value, path: entryPath) { clients[id] = entry }
        }
        return clients
    }

    private mutating func readEntry(_ value: JSONValue, path: String) -> TenantEntry? {
        guard var object = value.objectValue else {
            problems.append("\(path): must be an object")
            return nil
        }
        var idle: Int?
        if object["idleTimeoutSeconds"] != nil {
            var seconds = 0
            integer(object, "idleTimeoutSeconds", 1...86_400, into: &seconds, path: "\(path).idleTimeoutSeconds")
            idle = seconds
        }
        let keys = apiKeys(object["apiKeys"], path: "\(path).apiKeys")
        for key in Self.supervisorTenantKeys { object[key] = nil }
        for key in Self.secretFields {
            guard let value = object[key] else { continue }
            switch SecretReference.resolve(value, environment: environment, directory: directory) {
            case .success(let literal): object[key] = literal
            case .failure(let failure):
                problems.append("\(path).\(key): \(failure.message)")
                object[key] = ""
            }
        }
        switch TenantConfiguration.parse(.object(object), at: path) {
        case .success(let upstream):
            return TenantEntry(upstream: upstream, idleTimeoutSeconds: idle, apiKeys: keys)
        case .failure(let failure):
            problems += failure.problems.map(\.description)
            return nil
        }
    }

    /// `apiKeys`: each `sha256:<hex>`, a plain key (warned about), or a secret reference.
    private mutating func apiKeys(_ value: JSONValue?, path: String) -> [APIKey] {
        guard let value else { return [] }
        guard let items = value.arrayValue else {
            problems.append("\(path): must be an array of keys")
            return []
        }
        var keys: [APIKey] = []
        for (i, item) in items.enumerated() {
            let itemPath = "\(path)[\(i)]"
            guard case .success(let literal) = SecretReference.resolve(item, environment: environment, directory: directory),
                let text = literal.stringValue, let key = APIKey(configured: text)
            else {
                problems.append("\(itemPath): must be \"sha256:<64 hex digits>\", a key, or a secret reference that resolves to one")
                continue
            }
            if !text.hasPrefix("sha256:") && item.stringValue != nil {
                warnings.append("\(itemPath): a plain key in the file; store its hash instead (oneapp-mcp hash-key)")
            }
            keys.append(key)
        }
        return keys
    }

    // MARK: Typed fields

    private mutating func string(_ object: JSONObject, _ key: String) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            problems.append("\(key): must be a non-empty string")
            return nil
        }
        return text
    }

    private mutating func address(_ object: JSONObject, _ key: String, path: String? = nil) -> SocketAddress? {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue, let address = SocketAddress(text) else {
            problems.append("\(path ?? key): must be \"HOST:PORT\" or \"unix:PATH\"")
            return nil
        }
        return address
    }

    private mutating func integer(_ object: JSONObject, _ key: String, _ range: ClosedRange<Int>, into target: inout Int, path: String? = nil) {
        guard let value = object[key] else { return }
        guard let number = value.intValue, range.contains(number) else {
            problems.append("\(path ?? key): must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return
        }
        target = number
    }
}
