import Testing

@testable import HTTP1

struct ServerSentEventTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("a one-line event is a data line and a blank line")
    func simpleEvent() {
        #expect(text(ServerSentEvent.event(data: "{\"x\":1}")) == "data: {\"x\":1}\n\n")
    }

    @Test("multi-line data becomes one data line per line, whatever the line ending")
    func multiLineData() {
        #expect(
            text(ServerSentEvent.event(data: "one\ntwo\r\nthree\rfour\n", id: "42", event: "message", retry: 3000))
                == "id: 42\nevent: message\nretry: 3000\ndata: one\ndata: two\ndata: three\ndata: four\ndata:\n\n")
    }

    @Test("empty data is a single empty data line")
    func emptyData() {
        #expect(text(ServerSentEvent.event(data: "", id: "7")) == "id: 7\ndata:\n\n")
    }

    @Test("line breaks in id and event are removed, negative retry left out")
    func sanitizedFields() {
        #expect(
            text(ServerSentEvent.event(data: "x", id: "a\r\nb", event: "e\nv", retry: -1)) == "id: ab\nevent: ev\ndata: x\n\n")
    }

    @Test("a comment is a colon line and a blank line")
    func comment() {
        #expect(text(ServerSentEvent.comment("keep-alive")) == ": keep-alive\n\n")
        #expect(text(ServerSentEvent.comment("a\nb")) == ": a\n: b\n\n")
    }
}
