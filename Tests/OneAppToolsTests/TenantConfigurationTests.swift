import Configuration
import JSON
import OneAppTools
import Testing

@Suite("Tenant configuration")
struct TenantConfigurationTests {
    func parse(_ json: String) throws -> Result<TenantConfiguration, TenantConfigurationProblems> {
        TenantConfiguration.parse(try JSONValue(parsing: json), at: "clients.alpha")
    }

    func problems(_ json: String) throws -> [String] {
        guard case .failure(let problems) = try parse(json) else { return [] }
        return problems.problems.map(\.description)
    }

    @Test("a valid entry parses; the timeout defaults to 30000; toJSON round-trips")
    func valid() throws {
        let entry =
            #"{"authorization":"Bearer abc","coreBaseUrl":"https://api.oneapp.cl","clientBaseUrl":"http://127.0.0.1:8090/","clientHeader":"acme"}"#
        let configuration = try parse(entry).get()
        #expect(
            configuration
                == TenantConfiguration(
                    authorization: "Bearer abc", coreBaseURL: "https://api.oneapp.cl",
                    clientBaseURL: "http://127.0.0.1:8090/",
                    clientHeader: "acme", httpTimeoutMs: 30_000))
        #expect(try TenantConfiguration.parse(configuration.toJSON(), at: "x").get() == configuration)
        #expect(configuration.baseURL(for: .client) == "http://127.0.0.1:8090")
        #expect(
            configuration.toJSON().serializedString()
                == #"{"authorization":"Bearer abc","coreBaseUrl":"https://api.oneapp.cl","clientBaseUrl":"http://127.0.0.1:8090/","clientHeader":"acme","httpTimeoutMs":30000}"#
        )
    }

    @Test("empty credentials are allowed; a timeout of 1.0 is the integer 1; IPv6 and ports work")
    func edges() throws {
        let entry =
            #"{"authorization":"","coreBaseUrl":"http://[::1]:8080","clientBaseUrl":"HTTPS://x.oneapp.cl/api","clientHeader":"","httpTimeoutMs":600000.0}"#
        let configuration = try parse(entry).get()
        #expect(configuration.authorization.isEmpty)
        #expect(configuration.httpTimeoutMs == 600_000)
    }

    @Test("every invalid field is reported by path, in one go")
    func everyProblem() throws {
        let entry =
            #"{"authorization":5,"coreBaseUrl":"ftp://x.cl","clientBaseUrl":"https://x.cl?q=1","clientHeader":"a\r\nX-Evil: 1","httpTimeoutMs":0,"foo":1}"#
        #expect(
            try problems(entry) == [
                "clients.alpha.foo: unknown key",
                "clients.alpha.authorization: required string",
                "clients.alpha.coreBaseUrl: must be an http(s) URL",
                "clients.alpha.clientBaseUrl: must be an http(s) URL without user info, query or fragment",
                "clients.alpha.clientHeader: must not contain control characters",
                "clients.alpha.httpTimeoutMs: must be an integer from 1 to 600000",
            ])
    }

    @Test("missing fields, bad timeouts, a non-object entry")
    func missing() throws {
        #expect(
            try problems("{}") == [
                "clients.alpha.authorization: required string", "clients.alpha.coreBaseUrl: required string",
                "clients.alpha.clientBaseUrl: required string", "clients.alpha.clientHeader: required string",
            ])
        let base = #""authorization":"","coreBaseUrl":"http://a.cl","clientBaseUrl":"http://a.cl","clientHeader":"""#
        for timeout in ["600001", "1.5", "\"30000\"", "-1", "null"] {
            #expect(
                try problems("{\(base),\"httpTimeoutMs\":\(timeout)}") == [
                    "clients.alpha.httpTimeoutMs: must be an integer from 1 to 600000"
                ])
        }
        #expect(try problems("[]") == ["clients.alpha: must be an object"])
        #expect(
            try problems(
                #"{"authorization":"","coreBaseUrl":"https://user:pw@a.cl","clientBaseUrl":"not a url","clientHeader":""}"#
            ) == [
                "clients.alpha.coreBaseUrl: must be an http(s) URL without user info, query or fragment",
                "clients.alpha.clientBaseUrl: must be an http(s) URL",
            ])
    }

    @Test("descriptions, debug descriptions and dumps never show the authorization value")
    func redaction() {
        let text = [
            String(describing: tenant), String(reflecting: tenant), "\(tenant)",
            {
                var s = ""
                dump(tenant, to: &s)
                return s
            }(),
        ]
        for rendering in text {
            #expect(!rendering.contains("s3cr3t"), "\(rendering)")
            #expect(rendering.contains("<redacted>"))
            #expect(rendering.contains("https://api.oneapp.cl"))
        }
        var empty = tenant
        empty.authorization = ""
        #expect(empty.description.contains("authorization: <empty>"))
    }

    @Test(
        "URL shapes",
        arguments: [
            ("https://api.oneapp.cl", true), ("http://127.0.0.1:8090", true), ("http://[::1]:80/x", true),
            ("https://a.cl/p%20q", true), ("https://a.cl:0", false), ("https://a.cl:65536", false),
            ("https://a.cl:", false),
            ("https://", false), ("api.oneapp.cl", false), ("ftp://a.cl", false), ("https://a b.cl", false),
            ("https://a.cl/%zz", false), ("https://a..cl", false), ("https://[::1", false), ("https://ñ.cl", false),
            ("mailto:x@y.cl", false),
        ])
    func urlShapes(url: String, valid: Bool) {
        let entry: JSONValue = [
            "authorization": "", "coreBaseUrl": .string(url), "clientBaseUrl": "http://a.cl", "clientHeader": "",
        ]
        let parsed = TenantConfiguration.parse(entry, at: "c")
        #expect(((try? parsed.get()) != nil) == valid, "\(url)")
    }
}
