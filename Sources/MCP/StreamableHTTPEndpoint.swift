import HTTP1
import JSON

/// The MCP endpoint of one tenant's worker, speaking Streamable HTTP in both eras.
///
/// ```
///  request ─▶ Origin ─403─▶            ┌─ no header / handshake version ─▶ legacy (+Legacy, +Batch)
///     │ OPTIONS ─204 preflight          │     initialize → session id;  else Mcp-Session-Id
///     │ POST ─▶ Content-Type ─415─▶     │
///     │         Accept ─406─▶           ├─ 2026-07-28 ─▶ modern (+Modern): stateless, headers = body
///     │         MCP-Protocol-Version ───┤
///     │         body JSON? ─400 -32700  └─ anything else ─▶ 400 -32022 {supported, requested}
///     └ any other method ─405 (Allow: POST, OPTIONS)
/// ```
/// Pure: a request head and body in, an `EndpointReply` out. Everything is answered at once
/// (`.now`) except tool calls, which are awaited in `.later` and written through the writer.
public final class StreamableHTTPEndpoint: Sendable {
    let handler: MCPHandler
    let sessions: SessionAuthority
    let now: @Sendable () -> UInt64
    private let origins: OriginPolicy
    private let reportsActivity: Bool

    /// Reads the tool list once and serializes every static answer up front.
    public init(server: MCPServerInfo, tools: any ToolProvider, options: EndpointOptions, now: @escaping @Sendable () -> UInt64) {
        handler = MCPHandler(server: server, tools: tools)
        sessions = SessionAuthority(key: options.sessionKey, tenantID: options.tenantID, maxAge: options.sessionMaxAgeSeconds)
        origins = OriginPolicy(allowedOrigins: options.allowedOrigins)
        reportsActivity = options.reportsActivity
        self.now = now
    }

    /// Answers one request to the MCP endpoint. Never blocks; call it on the event loop.
    public func handle(head: HTTPRequestHead, body: [UInt8]) -> EndpointReply {
        let replies: Replies
        do throws(MCPError) {
            replies = Replies(corsOrigin: try origins.check(head.fields))
        } catch {
            return .now(Replies(corsOrigin: nil).error(error, id: nil, era: .legacy))
        }
        switch head.method {
        case "OPTIONS": return .now(replies.preflight())
        case "POST": return post(head.fields, body: body, replies: replies)
        // No standalone SSE stream (GET) and stateless sessions (DELETE): both allowed as 405.
        default: return .now(replies.error(.methodNotAllowed(head.method), id: nil, era: .legacy))
        }
    }

    private func post(_ fields: HTTPFields, body: [UInt8], replies: Replies) -> EndpointReply {
        let request: IncomingPOST
        let version: VersionHeader
        do throws(MCPError) {
            try fields.requireJSONContentType()
            let accept = try AcceptedMedia(fields)
            version = try VersionHeader(fields)
            request = IncomingPOST(fields: fields, document: try parse(body), accept: accept, replies: replies)
        } catch {
            // These errors have the same status in both eras.
            return .now(replies.error(error, id: nil, era: .legacy))
        }
        switch version {
        case .legacy(let header): return handleLegacy(request, header: header)
        case .modern: return handleModern(request)
        }
    }

    private func parse(_ body: [UInt8]) throws(MCPError) -> JSONValue {
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw .parseError(error.description)
        }
    }

    /// Sends one request to the handler and turns the outcome into a reply.
    func answer(_ request: JSONRPCRequest, revision: ProtocolRevision, _ post: IncomingPOST) -> EndpointReply {
        let post = reportsActivity ? post.reporting(request) : post
        switch handler.handle(request, revision: revision) {
        case .result(let result):
            return .now(post.replies.json(JSONRPCEncoding.result(result, id: request.id)))
        case .initialized(let result, let negotiated):
            let session = sessions.mint(revision: negotiated, issuedAt: now())
            return .now(post.replies.json(JSONRPCEncoding.result(result, id: request.id), extra: [("Mcp-Session-Id", session)]))
        case .failure(let error):
            return .now(post.replies.error(error, id: request.id, era: revision.era))
        case .toolCall(let call):
            return laterToolCall(call, id: request.id, post)
        }
    }

    /// Decodes one JSON-RPC message, keeping the id (if any) for the error answer.
    func decodeMessage(_ value: JSONValue) throws(Rejection) -> JSONRPCMessage {
        do throws(MCPError) {
            return try JSONRPCMessage(decoding: value)
        } catch {
            throw Rejection(error, id: RequestID.salvaged(from: value))
        }
    }
}

/// A POST that passed the header checks and whose body is JSON.
struct IncomingPOST: Sendable {
    let fields: HTTPFields
    let document: JSONValue
    let accept: AcceptedMedia
    var replies: Replies

    /// The same POST whose answers name the request's method and tool (EndpointOptions.reportsActivity).
    func reporting(_ request: JSONRPCRequest) -> IncomingPOST {
        var copy = self
        copy.replies.activity = [(EndpointOptions.methodField, request.method)]
        if request.method == "tools/call", let name = request.paramsObject?["name"]?.stringValue,
            name.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F })
        {
            copy.replies.activity.append((EndpointOptions.toolField, name))
        }
        return copy
    }
}
