import Configuration
import JSON
import Testing

/// The top-level `sessionKey` of supervisor.json.
struct SessionKeyTests {
    static let tenant: JSONValue = [
        "authorization": "", "coreBaseUrl": "http://127.0.0.1:1", "clientBaseUrl": "http://127.0.0.1:1", "clientHeader": "",
    ]

    static func load(_ sessionKey: JSONValue?) -> Result<ConfigurationLoader.Loaded, ConfigurationProblems> {
        var document: JSONObject = ["clients": ["acme": tenant]]
        if let sessionKey { document["sessionKey"] = sessionKey }
        return ConfigurationLoader.interpret(.object(document), configDirectory: ".", environment: [:])
    }

    @Test("absent: nil, and the supervisor makes a random key at start")
    func absent() throws {
        #expect(try Self.load(nil).get().configuration.sessionKey == nil)
    }

    @Test("64 hex digits, either case, are the 32 bytes of the key")
    func valid() throws {
        let hex = "00112233445566778899aabbccddeeff" + "FFEEDDCCBBAA99887766554433221100"
        let key = try #require(try Self.load(.string(hex)).get().configuration.sessionKey)
        #expect(key.count == 32)
        #expect(Array(key.prefix(3)) == [0x00, 0x11, 0x22] && Array(key.suffix(2)) == [0x11, 0x00])
    }

    @Test(
        "anything else is a problem named by its path",
        arguments: [
            JSONValue.string(String(repeating: "a", count: 62)), .string(String(repeating: "a", count: 66)),
            .string(String(repeating: "g", count: 64)), .string(""), .int(1), .null,
        ])
    func invalid(_ value: JSONValue) {
        guard case .failure(let problems) = Self.load(value) else {
            Issue.record("accepted \(value)")
            return
        }
        #expect(problems.problems == ["sessionKey: must be a string of 64 hex digits (openssl rand -hex 32)"])
    }
}
