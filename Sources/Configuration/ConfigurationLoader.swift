import Codecs
import Glibc
import JSON
import Posix

/// Where the configuration comes from, in order of precedence for the tenant list:
///
///     CLIENTS_CONFIG (JSON, base64 JSON, or base64 gzip JSON)  replaces  supervisor.json "clients"
///     neither present → AUTHORIZATION, CORE_BASE_URL, CLIENT_BASE_URL, CLIENT_HEADER,
///                       HTTP_TIMEOUT_MS make one tenant named "default"
///
/// Loading is pure apart from reading the file: the environment is a parameter.
public enum ConfigurationLoader {
    public struct Loaded: Sendable, Equatable {
        public var configuration: SupervisorConfiguration
        /// Suspicious but legal settings (`check-config` prints them).
        public var warnings: [String]
        /// Where the tenant list came from, for the log.
        public var clientsSource: String
    }

    /// Reads and validates. `path` nil means `./supervisor.json` if it exists, else defaults.
    public static func load(path: String?, environment: [String: String]) -> Result<Loaded, ConfigurationProblems> {
        let filePath = path ?? "supervisor.json"
        var document: JSONValue = [:]
        switch readFile(filePath) {
        case .success(let bytes):
            do { document = try JSONValue(parsing: bytes) } catch {
                return .failure(ConfigurationProblems(["\(filePath): \(error)"]))
            }
        case .failure(let error):
            guard path == nil, error.errno == ENOENT else { return .failure(ConfigurationProblems(["\(filePath): cannot read: \(error)"])) }
        }
        return interpret(document, configDirectory: directory(of: filePath), environment: environment)
    }

    /// Validates a parsed document (the part of `load` that tests drive directly).
    public static func interpret(_ document: JSONValue, configDirectory: String, environment: [String: String]) -> Result<Loaded, ConfigurationProblems> {
        var reader = ConfigurationReader(environment: environment, directory: configDirectory)
        var config = reader.read(document)
        var source = "supervisor.json"
        if let text = environment["CLIENTS_CONFIG"], !text.isEmpty {
            source = "CLIENTS_CONFIG"
            switch decodeClientsConfig(text) {
            case .success(let value): config.clients = reader.readClients(value, path: "CLIENTS_CONFIG")
            case .failure(let problem): return .failure(ConfigurationProblems(["CLIENTS_CONFIG: \(problem.reason)"]))
            }
        } else if document["clients"] == nil {
            source = "legacy environment variables"
            config.clients = reader.readClients(legacyClients(environment), path: "(environment)")
        }
        var problems = reader.problems
        if config.clients.isEmpty && problems.isEmpty {
            problems.append("clients: no tenant configured (set \"clients\" in supervisor.json, CLIENTS_CONFIG, or AUTHORIZATION)")
        }
        guard problems.isEmpty else { return .failure(ConfigurationProblems(problems)) }
        config.runDirectory = resolve(config.runDirectory, against: configDirectory)
        config.logFile = config.logFile.map { resolve($0, against: configDirectory) }
        return .success(Loaded(configuration: config, warnings: reader.warnings + Warnings.of(config), clientsSource: source))
    }

    /// CLIENTS_CONFIG as JSON text, base64 of JSON, or base64 of gzip-compressed JSON.
    static func decodeClientsConfig(_ text: String) -> Result<JSONValue, ClientsConfigError> {
        var bytes = Array(text.utf8)
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) != UInt8(ascii: "{") {
            guard let decoded = Base64.decode(text) else { return .failure(ClientsConfigError(reason: "neither a JSON object nor base64")) }
            bytes = decoded
            if Gzip.isGzip(bytes) {
                do { bytes = try Gzip.decompress(bytes, maxOutputBytes: 16 << 20) } catch {
                    return .failure(ClientsConfigError(reason: "invalid gzip data: \(error)"))
                }
            }
        }
        do { return .success(try JSONValue(parsing: bytes)) } catch { return .failure(ClientsConfigError(reason: "\(error)")) }
    }

    struct ClientsConfigError: Error {
        var reason: String
    }

    /// The single-client variables of the original server, as a one-tenant `clients` object.
    static func legacyClients(_ env: [String: String]) -> JSONValue {
        let names = ["AUTHORIZATION", "CORE_BASE_URL", "CLIENT_BASE_URL", "CLIENT_HEADER", "HTTP_TIMEOUT_MS"]
        guard names.contains(where: { env[$0] != nil }) else { return [:] }
        var entry: JSONObject = [
            "authorization": .string(env["AUTHORIZATION"] ?? ""),
            "coreBaseUrl": .string(env["CORE_BASE_URL"] ?? "https://api.oneapp.cl"),
            "clientBaseUrl": .string(env["CLIENT_BASE_URL"] ?? "https://sechpos.oneapp.cl"),
            "clientHeader": .string(env["CLIENT_HEADER"] ?? ""),
        ]
        if let timeout = env["HTTP_TIMEOUT_MS"] { entry["httpTimeoutMs"] = Int(timeout).map { .int($0) } ?? .string(timeout) }
        return ["default": .object(entry)]
    }

    private static func readFile(_ path: String) -> Result<[UInt8], SystemError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SystemError("open")) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes += chunk[..<n] } else if n == 0 { return .success(bytes) } else if errno != EINTR { return .failure(SystemError("read")) }
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func resolve(_ path: String, against directory: String) -> String {
        path.hasPrefix("/") || directory == "." ? path : "\(directory)/\(path)"
    }
}

/// Settings that are legal but probably not what the operator meant.
enum Warnings {
    static func of(_ config: SupervisorConfiguration) -> [String] {
        var warnings: [String] = []
        for (id, entry) in config.clients.sorted(by: { $0.key < $1.key }) {
            let path = "clients.\(id)"
            if entry.upstream.authorization.isEmpty { warnings.append("\(path).authorization: empty: upstream requests carry no credentials") }
            if entry.apiKeys.isEmpty { warnings.append("\(path): no apiKeys: anyone who can reach the server and guess \"\(id)\" uses this tenant") }
            for (key, url) in [("coreBaseUrl", entry.upstream.coreBaseURL), ("clientBaseUrl", entry.upstream.clientBaseURL)]
            where url.lowercased().hasPrefix("http://") && !isLoopback(url) {
                warnings.append("\(path).\(key): plain http to a non-loopback host sends credentials unencrypted")
            }
            if config.requestTimeoutSeconds * 1000 <= entry.upstream.httpTimeoutMs {
                warnings.append("\(path).httpTimeoutMs: not below requestTimeoutSeconds (\(config.requestTimeoutSeconds) s): a slow upstream call ends as 504")
            }
            let idle = entry.idleTimeoutSeconds ?? config.idleTimeoutSeconds
            if idle * 1000 < entry.upstream.httpTimeoutMs {
                warnings.append("\(path): idle timeout (\(idle) s) is shorter than the upstream timeout (\(entry.upstream.httpTimeoutMs) ms)")
            }
        }
        return warnings
    }

    private static func isLoopback(_ url: String) -> Bool {
        let rest = url.lowercased().dropFirst("http://".count)
        return rest.hasPrefix("127.") || rest.hasPrefix("localhost") || rest.hasPrefix("[::1]")
    }
}
