import JSON
import MCP

/// One upstream call as the messages describe it, and the mapping of its outcome to a tool result:
///
///     2xx + JSON          → text: the JSON pretty-printed; structuredContent: the JSON if it is an object
///     2xx + empty body    → text saying so (not an error: nothing to return is an answer)
///     2xx + other body    → isError "OneApp API returned a non-JSON body (…)"
///     other status        → isError naming status, method, path and the body (≤ 2 KiB)
///     transport failure   → isError naming what failed (timeout in ms, base URL when unreachable)
///
/// Error texts never contain the tenant's authorization value, even if the upstream echoes it.
struct UpstreamCall {
    var method: String
    var path: String
    var base: UpstreamBase
    var baseURL: String
    var secret: String

    static let errorBodyLimit = 2048
    static let nonJSONPreviewLimit = 200

    func result(_ answer: Result<UpstreamResponse, UpstreamFailure>) -> ToolResult {
        switch answer {
        case .success(let response) where (200..<300).contains(response.status):
            return success(response)
        case .success(let response):
            return failure(
                "OneApp API error: HTTP \(Self.statusLine(response.status)) for \(method) \(path). "
                    + "Body: \(Self.preview(response.body, bytes: Self.errorBodyLimit))")
        case .failure(let reason):
            return failure(message(for: reason))
        }
    }

    func progressMessage(_ answer: Result<UpstreamResponse, UpstreamFailure>) -> String {
        switch answer {
        case .success(let response): return "\(method) \(path): HTTP \(response.status)"
        case .failure: return "\(method) \(path): failed"
        }
    }

    private func success(_ response: UpstreamResponse) -> ToolResult {
        if response.body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            return ToolResult(text: "OneApp API answered HTTP \(response.status) with an empty body.")
        }
        guard let json = try? JSONValue(parsing: response.body) else {
            let preview = Self.preview(response.body, characters: Self.nonJSONPreviewLimit)
            return failure(
                "OneApp API returned a non-JSON body (HTTP \(response.status) for \(method) \(path)): \(preview)")
        }
        // `.none`, not `nil`: JSONValue is nil-literal convertible, so `nil` here would mean `.null`.
        let structured: JSONValue? = json.objectValue == nil ? .none : json
        return ToolResult(text: json.serializedString(pretty: true), structuredContent: structured)
    }

    private func message(for failure: UpstreamFailure) -> String {
        let api = base == .core ? "OneApp Core API" : "OneApp Client API"
        switch failure {
        case .timedOut(let ms):
            return "The \(api) did not answer \(method) \(path) within the \(ms) ms timeout. Try again later."
        case .connectionFailed(let reason):
            return "Could not connect to the \(api) at \(baseURL) (\(reason)) for \(method) \(path)."
        case .bodyTooLarge(let limit):
            return "The \(api) answer to \(method) \(path) is larger than the \(limit)-byte limit; "
                + "ask for less (use page and limit where the tool has them)."
        case .other(let reason):
            return "The \(api) call \(method) \(path) failed: \(reason)"
        }
    }

    private func failure(_ message: String) -> ToolResult { .error(redacted(message)) }

    /// Removes the secret, and its credential part alone (`Bearer <token>` → `<token>`), so an
    /// upstream that echoes headers into an error body cannot leak it to the model.
    func redacted(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        var text = text.replacing(secret, with: "<redacted>")
        if let space = secret.lastIndex(of: " ") {
            let credential = secret[secret.index(after: space)...]
            if credential.count >= 8 { text = text.replacing(credential, with: "<redacted>") }
        }
        return text
    }

    /// At most `bytes` bytes of the body as text, with a note when cut.
    static func preview(_ body: [UInt8], bytes limit: Int) -> String {
        guard !body.isEmpty else { return "(empty)" }
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count <= limit ? text : text + "… [truncated, \(body.count) bytes in total]"
    }

    /// At most `characters` characters of the body as text, with `…` when cut.
    static func preview(_ body: [UInt8], characters limit: Int) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        return text.count <= limit && body.count <= limit * 4 ? text : String(text.prefix(limit)) + "…"
    }

    static func statusLine(_ status: Int) -> String {
        let reasons = [
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            409: "Conflict", 422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return reasons[status].map { "\(status) \($0)" } ?? String(status)
    }
}
