import Dispatch
import FuzzSupport
import HTTP1
import JSON
import MCP

let endpoint = StreamableHTTPEndpoint(
    server: MCPServerInfo(name: "fuzz", version: "0"), tools: InstantTools(),
    options: EndpointOptions(sessionKey: Array(repeating: 7, count: 32), tenantID: "acme"), now: { 1_767_225_600 })

/// A legacy session on 2025-03-26 (the revision that still takes batches), minted once.
let session: String = {
    let body = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"fuzz","version":"0"}}}"#
    guard case .now(let response) = endpoint.handle(head: post([("Content-Type", "application/json")]), body: Array(body.utf8)),
        let id = response.fields["Mcp-Session-Id"]
    else { fatalError("initialize minted no session") }
    return id
}()

/// The input is a POST body, sent three ways: as 2026-07-28 (headers mirroring the body, so
/// the fuzzer gets past the header checks), inside a legacy session, and bare. Every answer
/// must be a well-formed reply whose JSON parses, and a tool call must always end its answer.
/// The body also goes through `JSONValue(parsing:)`, whose serialization must be a fixed point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = Array(UnsafeRawBufferPointer(start: start, count: count))
    let document = try? JSONValue(parsing: body)
    if let document { checkRoundTrip(document) }

    var modern = [
        ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"), ("MCP-Protocol-Version", "2026-07-28"),
    ]
    if let method = document?["method"]?.stringValue { modern.append(("Mcp-Method", headerValue(method))) }
    if let name = document?["params"]?["name"]?.stringValue { modern.append(("Mcp-Name", headerValue(name))) }
    let legacy = [
        ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"), ("Mcp-Session-Id", session),
        ("MCP-Protocol-Version", "2025-03-26"),
    ]
    for headers in [modern, legacy, [("Content-Type", "application/json")]] {
        check(endpoint.handle(head: post(headers), body: body))
    }
    return 0
}

func post(_ headers: [(String, String)]) -> HTTPRequestHead {
    HTTPRequestHead(method: "POST", target: "/mcp", fields: HTTPFields(headers))
}

/// A header value for `text`: itself when it is printable ASCII, else the `=?base64?…?=` form.
func headerValue(_ text: String) -> String {
    let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } && !text.hasPrefix("=?") && text.trimmingASCIISpaces() == text
    return plain ? text : "=?base64?\(base64(Array(text.utf8)))?="
}

func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    for group in stride(from: 0, to: bytes.count, by: 3) {
        let chunk = bytes[group..<min(group + 3, bytes.count)]
        let n = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
        for i in 0..<4 { out.append(i <= chunk.count ? alphabet[(n >> (18 - 6 * i)) & 63] : UInt8(ascii: "=")) }
    }
    return String(decoding: out, as: UTF8.self)
}

func checkRoundTrip(_ value: JSONValue) {
    let compact = value.serialized()
    let again = try? JSONValue(parsing: compact)
    fuzzRequire(again != nil, "the serializer wrote unparsable JSON: \(String(decoding: compact, as: UTF8.self))")
    fuzzRequire(again?.serialized() == compact, "serialize ∘ parse is not a fixed point for \(String(decoding: compact, as: UTF8.self))")
    fuzzRequire((try? JSONValue(parsing: value.serialized(pretty: true))) == again, "pretty and compact forms differ")
}

func check(_ reply: EndpointReply) {
    switch reply {
    case .now(let response):
        check(response)
    case .later(let work):
        let writer = CapturingWriter()
        let done = DispatchSemaphore(value: 0)
        Task {
            await work(writer)
            done.signal()
        }
        done.wait()
        let record = writer.snapshot
        if let response = record.response {
            fuzzRequire(record.streamFields == nil, "a tool call both answered and streamed")
            check(response)
        } else {
            fuzzRequire(record.streamFields != nil && record.ended, "a tool call ended without a complete answer")
            checkEvents(record.streamBytes)
        }
    }
}

func check(_ response: HTTPResponse) {
    fuzzRequire((200...599).contains(response.status), "status \(response.status)")
    guard !response.body.isEmpty else { return }
    fuzzRequire(response.fields["Content-Type"]?.hasPrefix("application/json") ?? false, "a body that is not JSON-typed")
    fuzzRequire((try? JSONValue(parsing: response.body)) != nil, "an unparsable JSON answer: \(String(decoding: response.body, as: UTF8.self))")
}

/// Each SSE event's `data:` lines joined must be one JSON message.
func checkEvents(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    fuzzRequire(text.hasSuffix("\n\n"), "a stream that does not end with a whole event")
    for event in text.split(separator: "\n\n") {
        let data = event.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { $0.dropFirst(6) }.joined(separator: "\n")
        fuzzRequire((try? JSONValue(parsing: data)) != nil, "an unparsable event: \(event)")
    }
}
