import Testing

@testable import HTTP1

struct HTTPFieldsTests {
    private let parsed: HTTPFields = {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /mcp HTTP/1.1\r\nx-client-id: acme\r\nAccept: a, b\r\nX-Client-ID: other\r\nContent-Type: Text/Event-Stream; q=1\r\nExpect: 100-CONTINUE\r\n\r\n".utf8))
        guard case .head(let head) = try? parser.next() else { return HTTPFields() }
        return head.fields
    }()

    @Test("lookups ignore the case of names, keep every repeated line in order, and leave values as sent")
    func lookups() {
        #expect(parsed.count == 5)
        #expect(parsed["X-CLIENT-ID"] == "acme")
        #expect(parsed.values("x-client-id") == ["acme", "other"])
        #expect(parsed.contains("accept"))
        #expect(!parsed.contains("Accept-Encoding"))
        #expect(parsed["Accept-Encoding"] == nil)
        #expect(parsed.values("Authorization").isEmpty)
        #expect(parsed.map(\.name) == ["x-client-id", "Accept", "X-Client-ID", "Content-Type", "Expect"])
    }

    @Test("value checks compare bytes case-insensitively, whole or as a prefix, against the first line only")
    func valueChecks() {
        #expect(parsed.first("expect", equalsIgnoringCase: "100-continue"))
        #expect(!parsed.first("Expect", equalsIgnoringCase: "100-continu"))
        #expect(!parsed.first("X-Client-ID", equalsIgnoringCase: "other"))
        #expect(parsed.first("Content-Type", hasPrefixIgnoringCase: "text/event-stream"))
        #expect(!parsed.first("Content-Type", hasPrefixIgnoringCase: "application/json"))
        #expect(!parsed.first("Absent", hasPrefixIgnoringCase: ""))
    }

    @Test("forEachRaw hands out each line's name and value bytes in order")
    func rawLines() {
        var lines: [String] = []
        parsed.forEachRaw { name, value in
            lines.append(String(decoding: name, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
        }
        #expect(lines == ["x-client-id=acme", "Accept=a, b", "X-Client-ID=other", "Content-Type=Text/Event-Stream; q=1", "Expect=100-CONTINUE"])
    }

    @Test("appendLines copies parsed lines as they arrived and appended ones as name: value, leaving out dropped names")
    func wholeLines() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nA:1\r\nB:   two  \r\nb: 2\r\n\r\n".utf8))
        guard case .head(let head)? = try? parser.next() else { return #expect(Bool(false), "no head") }
        var fields = head.fields
        fields.append("C", "3")
        func copied(dropping names: Set<String>) -> String {
            var out = Array("x".utf8)
            fields.appendLines(to: &out) { names.contains(String(decoding: $0, as: UTF8.self).lowercased()) }
            return String(decoding: out, as: UTF8.self)
        }
        #expect(copied(dropping: []) == "xA:1\r\nB:   two  \r\nb: 2\r\nC: 3\r\n")
        #expect(copied(dropping: ["b"]) == "xA:1\r\nC: 3\r\n")
        #expect(copied(dropping: ["a", "c"]) == "xB:   two  \r\nb: 2\r\n")
        #expect(copied(dropping: ["a", "b", "c"]) == "x")
        #expect(fields["B"] == "two")
        var none = Array("x".utf8)
        HTTPFields().appendLines(to: &none) { _ in false }
        #expect(none == Array("x".utf8))
    }

    @Test("remove drops every line of a name and keeps the rest in order; set leaves one line at the end")
    func editing() {
        var fields = parsed
        fields.remove("X-CLIENT-ID")
        #expect(fields == HTTPFields([("Accept", "a, b"), ("Content-Type", "Text/Event-Stream; q=1"), ("Expect", "100-CONTINUE")]))
        fields.set("accept", "*/*")
        #expect(fields == HTTPFields([("Content-Type", "Text/Event-Stream; q=1"), ("Expect", "100-CONTINUE"), ("accept", "*/*")]))
        fields.remove("Not-There")
        #expect(fields.count == 3)
    }

    @Test("equality is line by line and byte for byte: order and case matter, storage history does not")
    func equality() {
        #expect(HTTPFields([("A", "1"), ("B", "2")]) != HTTPFields([("B", "2"), ("A", "1")]))
        #expect(HTTPFields([("A", "1")]) != HTTPFields([("a", "1")]))
        #expect(HTTPFields([("AB", "")]) != HTTPFields([("A", "B")]))
        var edited = HTTPFields([("A", "1"), ("B", "2")])
        edited.remove("A")
        #expect(edited == HTTPFields([("B", "2")]))
    }

    @Test("FieldNameSet matches its names in any case and nothing else, whatever the length")
    func nameSet() {
        let set = FieldNameSet(["connection", "te", "keep-alive", "authorization"])
        func has(_ name: String) -> Bool { Array(name.utf8).withUnsafeBufferPointer { set.contains($0) } }
        #expect(has("Connection") && has("TE") && has("keep-alive") && has("AUTHORIZATION"))
        #expect(!has("connectio") && !has("connections") && !has("tf") && !has("keep_alive") && !has(""))
        #expect(!has("authorizatioN-") && !has(String(repeating: "x", count: 200)))
    }
}
