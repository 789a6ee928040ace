import HTTP1
import JSON

// The stateless era (2026-07-28). Mcp-Session-Id is ignored and never minted. Checks, in order:
//
//   body an array ─▶ 400 -32600          client response ─▶ 400 -32600
//   notification ─▶ Mcp-Method (if sent) = method ─▶ 202
//   request ─▶ Mcp-Method = method (-32020) ─▶ known method? (404 -32601)
//           ─▶ _meta protocolVersion present (-32602) and = 2026-07-28 (-32020)
//           ─▶ _meta clientCapabilities present (-32602)
//           ─▶ tools/call: Mcp-Name (base64 form decoded) = params.name (-32020)

extension StreamableHTTPEndpoint {
    func handleModern(_ post: IncomingPOST) -> EndpointReply {
        do throws(Rejection) {
            if case .array = post.document {
                throw Rejection(.invalidRequest("JSON-RPC batches are not part of 2026-07-28"))
            }
            switch try decodeMessage(post.document) {
            case .response:
                throw Rejection(.invalidRequest("clients must not send JSON-RPC responses on 2026-07-28"),
                    id: RequestID.salvaged(from: post.document))
            case .notification(let method):
                try ModernRequestRules.checkNotification(method: method, fields: post.fields)
                return .now(post.replies.accepted())
            case .request(let request):
                try ModernRequestRules.check(request, fields: post.fields)
                return answer(request, revision: .v2026_07_28, post)
            }
        } catch {
            return .now(post.replies.error(error.error, id: error.id, era: .modern))
        }
    }
}

/// The request-metadata rules of 2026-07-28: headers must mirror the body.
enum ModernRequestRules {
    static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"

    static func check(_ request: JSONRPCRequest, fields: HTTPFields) throws(Rejection) {
        do throws(MCPError) {
            guard let methodHeader = try fields.singleMCPValue("Mcp-Method") else {
                throw .headerMismatch("Mcp-Method header is required")
            }
            try requireEqual(methodHeader, request.method, header: "Mcp-Method", body: "method")
            guard MCPHandler.modernMethods.contains(request.method) else { throw .methodNotFound(request.method) }
            try checkMeta(request.meta)
            if request.method == "tools/call" { try checkName(request, fields: fields) }
        } catch {
            throw Rejection(error, id: request.id)
        }
    }

    /// Notifications carry no result, so a missing `Mcp-Method` is tolerated; a wrong one is not.
    static func checkNotification(method: String, fields: HTTPFields) throws(Rejection) {
        do throws(MCPError) {
            if let header = try fields.singleMCPValue("Mcp-Method") {
                try requireEqual(header, method, header: "Mcp-Method", body: "method")
            }
        } catch {
            throw Rejection(error)
        }
    }

    private static func checkMeta(_ meta: JSONObject?) throws(MCPError) {
        guard let version = meta?[protocolVersionKey] else {
            throw .invalidParams("params._meta[\"\(protocolVersionKey)\"] is required")
        }
        guard version == .string(ProtocolRevision.v2026_07_28.rawValue) else {
            throw .headerMismatch("MCP-Protocol-Version header differs from params._meta[\"\(protocolVersionKey)\"]")
        }
        guard meta?[clientCapabilitiesKey]?.objectValue != nil else {
            throw .invalidParams("params._meta[\"\(clientCapabilitiesKey)\"] is required (an object)")
        }
    }

    private static func checkName(_ request: JSONRPCRequest, fields: HTTPFields) throws(MCPError) {
        guard let raw = try fields.singleMCPValue("Mcp-Name") else {
            throw .headerMismatch("Mcp-Name header is required on tools/call")
        }
        guard let headerName = MCPHeaderValue.decode(raw) else {
            throw .headerMismatch("Mcp-Name header holds invalid =?base64?…?= text")
        }
        guard let name = request.paramsObject?["name"]?.stringValue else {
            throw .invalidParams("tools/call requires params.name (a string)")
        }
        try requireEqual(headerName, name, header: "Mcp-Name", body: "params.name")
    }

    private static func requireEqual(_ headerValue: String, _ bodyValue: String, header: String, body: String) throws(MCPError) {
        // Header values are case-sensitive; compare the exact scalars, not Unicode-canonically.
        guard headerValue.unicodeScalars.elementsEqual(bodyValue.unicodeScalars) else {
            throw .headerMismatch("\(header) header '\(headerValue)' differs from \(body) '\(bodyValue)'")
        }
    }
}
