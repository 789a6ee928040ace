import JSON
import Testing

struct JSONParserTests {
    @Test("parses every kind of value and keeps member order")
    func parsesValues() throws {
        let value = try JSONValue(parsing: #" {"b": [1, -2.5, 3e2, true, false, null], "a": "x\n\u00e9\ud83d\ude00", "c": {}} "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "c"])
        #expect(value["b"] == [1, -2.5, 300.0, true, false, nil])
        #expect(value["a"] == .string("x\né😀"))
        #expect(value["c"] == .object(JSONObject()))
    }

    @Test("integers stay integers, big ones become doubles")
    func integers() throws {
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(Int.max))
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONValue(parsing: "-0") == .int(0))
        #expect(try JSONValue(parsing: "2.0").intValue == 2)
        #expect(try JSONValue(parsing: "2.5").intValue == nil)
    }

    @Test(
        "rejects what RFC 8259 does not allow",
        arguments: [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "tru", "nul", "\"abc", "\"\\x\"",
            "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}b\"", "{a:1}", "[1 2]", "1 2", "NaN", "Infinity", "1e999", "'a'",
            "{\"a\" 1}",
        ])
    func rejects(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("rejects invalid UTF-8 inside strings and keeps valid multi-byte text")
    func rejectsInvalidUTF8() throws {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        // Valid multi-byte UTF-8 comes through, with and without escapes around it.
        #expect(try JSONValue(parsing: Array(#""ñandú \u00e9 ✓""#.utf8)) == .string("ñandú é ✓"))
        #expect(try JSONValue(parsing: Array(#""ñandú""#.utf8)) == .string("ñandú"))
    }

    @Test("bounds nesting depth")
    func boundsDepth() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        _ = try JSONValue(parsing: fine)
    }

    @Test("a repeated key is kept in order; lookup finds the last")
    func repeatedKey() throws {
        let value = try JSONValue(parsing: #"{"a":1,"a":2}"#)
        #expect(value.objectValue?.count == 2)
        #expect(value["a"] == 2)
    }
}

struct JSONSerializerTests {
    @Test("compact output is byte-exact and escapes control characters")
    func compact() {
        let value: JSONValue = ["s": "q\"\\\n\t\u{01}\u{1F}\ré", "n": [1, 2.5, nil, true], "o": [:], "a": []]
        #expect(value.serializedString() == #"{"s":"q\"\\\n\t\u0001\u001f\ré","n":[1,2.5,null,true],"o":{},"a":[]}"#)
    }

    @Test("pretty output indents by two spaces")
    func pretty() {
        let value: JSONValue = ["a": [1, ["b": "c"]]]
        #expect(value.serializedString(pretty: true) == "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ]\n}")
    }

    @Test("serializing then parsing gives the same value")
    func roundTrip() throws {
        let value: JSONValue = ["x": [1, -3, 0.125, "ü\u{0}", ["deep": [[], [:]]]], "y": .bool(false), "z": nil]
        #expect(try JSONValue(parsing: value.serialized()) == value)
        #expect(try JSONValue(parsing: value.serialized(pretty: true)) == value)
    }
}
