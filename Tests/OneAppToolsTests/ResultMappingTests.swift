import JSON
import MCP
import OneAppTools
import Testing

@Suite("Mapping upstream answers to tool results")
struct ResultMappingTests {
    @Test("a JSON object is the text (pretty-printed) and the structured content")
    func object() async throws {
        let body = #"{"data":[{"id":1,"nombre":"Zona Norte"}],"page":1}"#
        let result = await callTool("core_list_zonas", transport: RecordingTransport(status: 200, body: body))
        let json = try JSONValue(parsing: body)
        #expect(result == ToolResult(text: json.serializedString(pretty: true), structuredContent: json))
        #expect(result.text.contains("\n  \"data\": ["))
    }

    @Test("a JSON array is text only")
    func array() async {
        let result = await callTool("core_list_zonas", transport: RecordingTransport(status: 201, body: "[1, 2]"))
        #expect(result == ToolResult(text: "[\n  1,\n  2\n]"))
    }

    @Test("an empty 2xx body is a plain answer, not an error")
    func empty() async {
        let result = await callTool("core_list_zonas", transport: RecordingTransport(status: 204, body: ""))
        #expect(result == ToolResult(text: "OneApp API answered HTTP 204 with an empty body."))
    }

    @Test("a non-JSON 2xx body is an error quoting its first 200 characters")
    func nonJSON() async {
        let html = "<html>" + String(repeating: "é", count: 300) + "</html>"
        let result = await callTool("core_list_sucursales", transport: RecordingTransport(status: 200, body: html))
        #expect(result.isError)
        #expect(
            result.text.hasPrefix("OneApp API returned a non-JSON body (HTTP 200 for GET /core/sucursales): <html>éé"))
        #expect(result.text.hasSuffix("é…"))
        #expect(result.text.count < 300)
    }

    @Test("a 404 names status, method, path and body")
    func notFound() async {
        let transport = RecordingTransport(status: 404, body: #"{"error":"zona 9 not found"}"#)
        let result = await callTool("core_list_sucursales_by_zona", ["zone_id": 9], transport: transport)
        #expect(
            result
                == .error(
                    #"OneApp API error: HTTP 404 Not Found for GET /core/zonas/9/sucursales. Body: {"error":"zona 9 not found"}"#
                ))
    }

    @Test("an error body is cut at 2 KiB")
    func longErrorBody() async {
        let body = String(repeating: "x", count: 5000)
        let result = await callTool("core_list_zonas", transport: RecordingTransport(status: 500, body: body))
        #expect(result.isError)
        #expect(result.text.contains("HTTP 500 Internal Server Error for GET /core/zonas"))
        #expect(result.text.hasSuffix("… [truncated, 5000 bytes in total]"))
        #expect(result.text.count < 2200)
    }

    @Test("the tenant's secret never appears, even when the upstream echoes it")
    func secretRedacted() async {
        let echo = RecordingTransport { request in
            let headers = request.headers.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
            return .success(
                UpstreamResponse(status: 401, body: Array("rejected \(headers); token=s3cr3t-token-0123456789".utf8)))
        }
        let result = await callTool("core_list_zonas", transport: echo)
        #expect(result.isError)
        #expect(!result.text.contains("s3cr3t"))
        #expect(result.text.contains("Authorization: <redacted>"))
        #expect(result.text.contains("HTTP 401 Unauthorized"))
    }

    @Test("a timeout names the timeout in milliseconds")
    func timeout() async {
        let result = await callTool(
            "checklist_list_checks", transport: RecordingTransport(failure: .timedOut(ms: 12_345)))
        #expect(
            result
                == .error(
                    "The OneApp Client API did not answer GET /front/api/checklist/data/checks within the 12345 ms timeout. Try again later."
                ))
    }

    @Test("a refused connection names the base URL")
    func connectionRefused() async {
        let failure = UpstreamFailure.connectionFailed(reason: "connection refused or host unreachable")
        let result = await callTool("visual_areas", transport: RecordingTransport(failure: failure))
        #expect(
            result
                == .error(
                    "Could not connect to the OneApp Core API at https://api.oneapp.cl (connection refused or host unreachable) for GET /visual/area."
                ))
    }

    @Test("a too-large answer and other failures are clear errors")
    func otherFailures() async {
        let large = await callTool(
            "moai_visapp_foto_info", transport: RecordingTransport(failure: .bodyTooLarge(limit: 1024)))
        #expect(large.isError)
        #expect(large.text.contains("GET /visual/moai is larger than the 1024-byte limit"))
        let other = await callTool(
            "moai_visapp_foto_info", transport: RecordingTransport(failure: .other(reason: "TLS failure")))
        #expect(other == .error("The OneApp Core API call GET /visual/moai failed: TLS failure"))
    }

    @Test("progress after a failure says so")
    func progressAfterFailure() async {
        let progress = ProgressLog()
        _ = await callTool(
            "core_list_sucursales", transport: RecordingTransport(failure: .timedOut(ms: 5)), progress: progress)
        #expect(progress.all.last == ToolProgress(progress: 1, total: 1, message: "GET /core/sucursales: failed"))
    }

    @Test("an unknown tool name is an error result and sends nothing")
    func unknownTool() async {
        let transport = RecordingTransport()
        let result = await callTool("core_delete_everything", transport: transport)
        #expect(result == .error("Unknown tool: core_delete_everything"))
        #expect(transport.requests.isEmpty)
    }
}
