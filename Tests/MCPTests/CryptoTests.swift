import Codecs
import HTTP1
@testable import MCP
import Testing

private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }


struct SessionAuthorityTests {
    let authority = SessionAuthority(key: Harness.key, tenantID: "acme", maxAge: nil)

    @Test("a minted id is visible ASCII, carries its revision and verifies", arguments: [
        ProtocolRevision.v2025_03_26, .v2025_06_18, .v2025_11_25,
    ])
    func roundTrip(revision: ProtocolRevision) {
        let id = authority.mint(revision: revision, issuedAt: 1000)
        #expect(id.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E })
        #expect(id.hasPrefix("\(revision.rawValue).1000."))
        #expect(authority.verify(id, now: 5000) == revision)
    }

    @Test("ids are unique")
    func unique() {
        let ids = Set((0..<100).map { _ in authority.mint(revision: .v2025_11_25, issuedAt: 1) })
        #expect(ids.count == 100)
    }

    @Test("another tenant, another key, or any edited part fails")
    func rejects() throws {
        let id = authority.mint(revision: .v2025_06_18, issuedAt: 1000)
        #expect(SessionAuthority(key: Harness.key, tenantID: "other", maxAge: nil).verify(id, now: 1000) == nil)
        #expect(SessionAuthority(key: Array(repeating: 7, count: 32), tenantID: "acme", maxAge: nil).verify(id, now: 1000) == nil)
        var parts = id.split(separator: ".").map(String.init)
        for (index, replacement) in [(0, "2025-11-25"), (1, "1001"), (1, "01000"), (2, String(repeating: "0", count: 32))] {
            var edited = parts
            edited[index] = replacement
            #expect(authority.verify(edited.joined(separator: "."), now: 1000) == nil)
        }
        parts[3] = parts[3].uppercased()
        #expect(authority.verify(parts.joined(separator: "."), now: 1000) == nil)
        #expect(authority.verify("", now: 1000) == nil)
        #expect(authority.verify(id + ".x", now: 1000) == nil)
    }

    @Test("expiry, when configured, is counted from issuedAt")
    func expiry() {
        let expiring = SessionAuthority(key: Harness.key, tenantID: "acme", maxAge: 60)
        let id = expiring.mint(revision: .v2025_11_25, issuedAt: 1000)
        #expect(expiring.verify(id, now: 1060) == .v2025_11_25)
        #expect(expiring.verify(id, now: 1061) == nil)
    }
}

struct EncodingTests {
    @Test("Mcp-Name header values: literal, =?base64?…?=, broken")
    func headerValues() {
        #expect(MCPHeaderValue.decode("get_weather") == "get_weather")
        #expect(MCPHeaderValue.decode("=?base64?Z2V0X3dlYXRoZXI=?=") == "get_weather")
        #expect(MCPHeaderValue.decode("=?BASE64?w6lsw6ltZW50?=") == "élément")
        #expect(MCPHeaderValue.decode("=?base64?***?=") == nil)
        #expect(MCPHeaderValue.decode("=?base64?/w==?=") == nil)  // not UTF-8
    }

    @Test("hex round trip; only lowercase decodes")
    func hexCodec() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("00abff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("00ABFF") == nil)
        #expect(Hex.decode("abc") == nil)
    }

    @Test("SSE framing: data lines and a blank line")
    func sse() {
        #expect(String(decoding: SSEFraming.event(bytes(#"{"a":1}"#)), as: UTF8.self) == "data: {\"a\":1}\n\n")
        #expect(String(decoding: SSEFraming.event(bytes("x\ny")), as: UTF8.self) == "data: x\ndata: y\n\n")
    }
}

struct RevisionTests {
    @Test("negotiation echoes legacy revisions and counter-offers 2025-11-25 for anything else")
    func negotiation() {
        for revision in ["2025-03-26", "2025-06-18", "2025-11-25"] {
            #expect(ProtocolRevision.negotiate(requested: revision).rawValue == revision)
        }
        for other in ["2024-11-05", "1999-01-01", "2026-07-28", ""] {
            #expect(ProtocolRevision.negotiate(requested: other) == .v2025_11_25)
        }
        #expect(ProtocolRevision.newestFirst.map(\.rawValue) == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"])
    }

    @Test("media ranges keep type and q")
    func mediaRanges() {
        #expect(MediaRange(" Application/JSON ; charset=utf-8") == MediaRange("application/json"))
        #expect(MediaRange("text/event-stream;q=0").quality == 0)
        #expect(MediaRange("text/event-stream; Q=0.5").quality == 0.5)
    }

    @Test("loopback origins", arguments: [
        ("http://localhost", true), ("https://localhost:8443", true), ("http://127.0.0.1:6274", true), ("http://[::1]:3000", true),
        ("HTTP://LOCALHOST", true), ("http://localhost.evil.example", false), ("http://localhost:", false),
        ("http://localhost:99999", false), ("http://localhost:+80", false), ("http://localhost/", false),
        ("ftp://localhost", false), ("null", false), ("http://127.0.0.2", false),
    ])
    func loopback(origin: String, allowed: Bool) {
        #expect(OriginRule.isLoopback(origin) == allowed)
    }
}
