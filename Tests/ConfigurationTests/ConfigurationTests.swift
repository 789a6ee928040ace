import Codecs
import Glibc
import JSON
import Posix
import Testing

@testable import Configuration

/// `supervisor.json`, CLIENTS_CONFIG and the legacy variables, validated without any file or process.
struct ConfigurationTests {
    let acme: JSONValue = [
        "authorization": "Bearer a", "coreBaseUrl": "https://api.oneapp.cl", "clientBaseUrl": "https://acme.oneapp.cl",
        "clientHeader": "acme",
    ]

    func load(_ document: JSONValue, env: [String: String] = [:], dir: String = "/etc/oneapp") -> Result<ConfigurationLoader.Loaded, ConfigurationProblems> {
        ConfigurationLoader.interpret(document, configDirectory: dir, environment: env)
    }

    @Test("defaults, and paths relative to the configuration file's directory")
    func defaults() throws {
        let config = try load(["clients": ["acme": acme], "logFile": "log/supervisor.log"]).get().configuration
        #expect(config.listen == .inet(host: "127.0.0.1", port: 8080))
        #expect(config.adminListen == .inet(host: "127.0.0.1", port: 9090))
        #expect(config.runDirectory == "/etc/oneapp/run")
        #expect(config.logFile == "/etc/oneapp/log/supervisor.log")
        #expect(config.idleTimeoutSeconds == 300 && config.maxHeadBytes == 16_384 && config.maxBodyBytes == 1_048_576)
        #expect(config.clients[ClientID("acme")!]?.upstream.clientHeader == "acme")
    }

    @Test("every problem is reported by its JSON path, all at once")
    func everyProblem() {
        let document: JSONValue = [
            "listen": "nowhere", "idleTimeoutSeconds": 0, "bogus": true, "allowedOrigins": "x",
            "clients": [
                "Bad-Id": acme,
                "alpha": ["authorization": 1, "coreBaseUrl": "ftp://x", "clientBaseUrl": "http://ok", "clientHeader": "", "httpTimeoutMs": 0, "extra": 1],
            ],
        ]
        guard case .failure(let failure) = load(document) else {
            Issue.record("expected problems")
            return
        }
        let expected = [
            "bogus: unknown key", "listen: must be", "idleTimeoutSeconds: must be an integer from 1 to 86400",
            "allowedOrigins: must be an array of strings", "clients.Bad-Id: client ID must be",
            "clients.alpha.authorization: required string", "clients.alpha.coreBaseUrl: must be an http(s) URL",
            "clients.alpha.httpTimeoutMs: must be an integer from 1 to 600000", "clients.alpha.extra: unknown key",
        ]
        for prefix in expected {
            #expect(failure.problems.contains { $0.hasPrefix(prefix) }, "missing \(prefix) in \(failure.problems)")
        }
        #expect(failure.problems.count == expected.count)
    }

    @Test("no tenant at all is an error")
    func noTenants() {
        guard case .failure(let failure) = load([:]) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.problems.first?.hasPrefix("clients: no tenant configured") == true)
    }

    @Test("client IDs are lowercased; two spellings of one tenant are a warning")
    func lowercased() throws {
        let loaded = try load(["clients": ["ACME": acme, "acme": acme]]).get()
        #expect(loaded.configuration.clients.keys.map(\.rawValue) == ["acme"])
        #expect(loaded.warnings.contains { $0.contains("same tenant") })
    }

    @Test("a per-tenant idle timeout is the supervisor's, not the worker's")
    func perTenantIdle() throws {
        guard case .object(var entry) = acme else { return }
        entry["idleTimeoutSeconds"] = 30
        let config = try load(["clients": ["acme": .object(entry)]]).get().configuration
        #expect(config.clients[ClientID("acme")!]?.idleTimeoutSeconds == 30)
    }

    @Test("CLIENTS_CONFIG replaces clients, as JSON, base64 or base64 of gzip")
    func clientsConfig() throws {
        let json = #"{"globex": {"authorization": "", "coreBaseUrl": "https://api.oneapp.cl", "clientBaseUrl": "https://g.oneapp.cl", "clientHeader": "g"}}"#
        // gzip of the JSON above, made with python3 -c 'import gzip; print(list(gzip.compress(...)))' is
        // not needed: our own Gzip is tested in CodecsTests; here a stored-block member built by hand.
        let forms = [json, Base64.encode(Array(json.utf8)), Base64.encode(storedGzip(Array(json.utf8)))]
        for form in forms {
            let loaded = try load(["clients": ["acme": acme]], env: ["CLIENTS_CONFIG": form]).get()
            #expect(loaded.configuration.clients.keys.map(\.rawValue) == ["globex"])
            #expect(loaded.clientsSource == "CLIENTS_CONFIG")
        }
        guard case .failure(let failure) = load([:], env: ["CLIENTS_CONFIG": "%%%"]) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.problems.first?.hasPrefix("CLIENTS_CONFIG:") == true)
    }

    @Test("with neither file clients nor CLIENTS_CONFIG, the legacy variables make tenant default")
    func legacyVariables() throws {
        let loaded = try load([:], env: ["AUTHORIZATION": "Bearer t", "CLIENT_HEADER": "sechpos", "HTTP_TIMEOUT_MS": "5000"]).get()
        let entry = try #require(loaded.configuration.clients[ClientID("default")!])
        #expect(entry.upstream.coreBaseURL == "https://api.oneapp.cl")
        #expect(entry.upstream.clientBaseURL == "https://sechpos.oneapp.cl")
        #expect(entry.upstream.httpTimeoutMs == 5000)
        guard case .failure(let failure) = load([:], env: ["HTTP_TIMEOUT_MS": "soon"]) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.problems.contains { $0.contains("httpTimeoutMs") })
    }

    @Test("warnings: empty authorization, plain http off loopback, idle TTL below the upstream timeout")
    func warnings() throws {
        let entry: JSONValue = [
            "authorization": "", "coreBaseUrl": "http://api.example.com", "clientBaseUrl": "http://127.0.0.1:8090", "clientHeader": "",
            "httpTimeoutMs": 60000,
        ]
        let warnings = try load(["clients": ["acme": entry], "idleTimeoutSeconds": 30]).get().warnings
        #expect(warnings.contains { $0.hasPrefix("clients.acme.authorization: empty") })
        #expect(warnings.contains { $0.hasPrefix("clients.acme.coreBaseUrl: plain http") })
        #expect(!warnings.contains { $0.hasPrefix("clients.acme.clientBaseUrl") })
        #expect(warnings.contains { $0.contains("idle timeout (30 s) is shorter") })
    }

    @Test("the worker handoff round-trips and rejects what it does not know")
    func handoff() throws {
        let tenant = try TenantConfiguration.parse(acme, at: "tenant").get()
        let key = [UInt8](repeating: 7, count: 32)
        let line = WorkerHandoff(tenant: tenant, sessionKey: key, allowedOrigins: ["https://a.example"]).serialized()
        #expect(line.last == 0x0A && line.dropLast().firstIndex(of: 0x0A) == nil)
        let parsed = try WorkerHandoff.parse(Array(line.dropLast())).get()
        #expect(parsed.tenant == tenant && parsed.sessionKey == key && parsed.allowedOrigins == ["https://a.example"])
        guard case .failure(let failure) = WorkerHandoff.parse(Array(#"{"tenant": {}, "x": 1, "sessionKey": "zz"}"#.utf8)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.problems.contains("x: unknown key"))
        #expect(failure.problems.contains { $0.hasPrefix("sessionKey:") })
        #expect(failure.problems.contains { $0.hasPrefix("tenant.authorization") })
    }

    @Test("secrets by reference: environment variables and files, each failure named by its path")
    func secretReferences() throws {
        let dir = "/tmp/oneapp-config-test-\(getpid())"
        mkdir(dir, 0o700)
        defer { unlink(dir + "/token"); rmdir(dir) }
        let fd = open(dir + "/token", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = "Bearer from-file\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        guard case .object(var entry) = acme else { return }
        entry["authorization"] = ["file": "token"]
        entry["clientHeader"] = ["env": "ACME_CLIENT"]
        let config = try load(["clients": ["acme": .object(entry)]], env: ["ACME_CLIENT": "acme-from-env"], dir: dir).get().configuration
        let upstream = try #require(config.clients[ClientID("acme")!]?.upstream)
        #expect(upstream.authorization == "Bearer from-file" && upstream.clientHeader == "acme-from-env")

        entry["authorization"] = ["env": "MISSING_TOKEN"]
        entry["clientHeader"] = ["vault": "x"]
        guard case .failure(let failure) = load(["clients": ["acme": .object(entry)]], dir: dir) else {
            Issue.record("expected problems")
            return
        }
        #expect(failure.problems.contains("clients.acme.authorization: environment variable MISSING_TOKEN is not set"))
        #expect(failure.problems.contains { $0.hasPrefix("clients.acme.clientHeader: must be a string") })
    }

    @Test("API keys: stored hashes, plain keys (with a warning), references; compared in full")
    func apiKeys() throws {
        guard case .object(var entry) = acme else { return }
        entry["apiKeys"] = [.string(APIKey.stored("k1")), "k2", ["env": "K3"]]
        let loaded = try load(["clients": ["acme": .object(entry)]], env: ["K3": "k3"]).get()
        let keys = try #require(loaded.configuration.clients[ClientID("acme")!]?.apiKeys)
        for key in ["k1", "k2", "k3"] { #expect(APIKey.accepts(key, among: keys)) }
        for key in ["k", "k12", "", "K1"] { #expect(!APIKey.accepts(key, among: keys)) }
        #expect(loaded.warnings.contains { $0.hasPrefix("clients.acme.apiKeys[1]: a plain key") })
        #expect(!loaded.warnings.contains { $0.hasPrefix("clients.acme.apiKeys[2]") })
        #expect(APIKey.stored("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        entry["apiKeys"] = ["sha256:1234", 5]
        guard case .failure(let failure) = load(["clients": ["acme": .object(entry)]]) else {
            Issue.record("expected problems")
            return
        }
        #expect(failure.problems.filter { $0.hasPrefix("clients.acme.apiKeys[") }.count == 2)
    }

    /// A gzip member with one stored DEFLATE block (enough to exercise the gzip path).
    func storedGzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255, 1]
        let length = UInt16(data.count)
        out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        out += data
        let crc = crc32(data)
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: UInt32(data.count) >> UInt32(shift))) }
        return out
    }

    func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
