import HTTP1
import JSON

// The handshake era (2025-03-26, 2025-06-18, 2025-11-25).
//
//   initialize (no session needed) ─▶ result + Mcp-Session-Id: <revision>.<issuedAt>.<nonce>.<mac>
//   anything else ─▶ Mcp-Session-Id required: absent 400 · does not verify 404
//                    MCP-Protocol-Version, when sent, must equal the session's revision (400)
//   notifications and client responses ─▶ 202;  requests ─▶ 200 (JSON-RPC errors included)

extension StreamableHTTPEndpoint {
    /// `header` is the request's `MCP-Protocol-Version` (a legacy revision), nil when absent.
    func handleLegacy(_ post: IncomingPOST, header: ProtocolRevision?) -> EndpointReply {
        do throws(Rejection) {
            if case .array(let elements) = post.document {
                return try handleBatch(elements, post, header: header)
            }
            let message = try decodeMessage(post.document)
            if case .request(let request) = message, request.method == "initialize" {
                // Before a session exists, the spec says to assume 2025-03-26 without a header.
                return answer(request, revision: header ?? .v2025_03_26, post)
            }
            let revision = try sessionRevision(post.fields, header: header, id: message.requestID)
            guard case .request(let request) = message else { return .now(post.replies.accepted()) }
            return answer(request, revision: revision, post)
        } catch {
            return .now(post.replies.error(error.error, id: error.id, era: .legacy))
        }
    }

    /// The revision of the request's verified session. Every legacy message but `initialize`
    /// needs one, notifications included: a client that did initialize always has it.
    func sessionRevision(_ fields: HTTPFields, header: ProtocolRevision?, id: RequestID?) throws(Rejection) -> ProtocolRevision {
        guard let sessionID = fields["Mcp-Session-Id"] else { throw Rejection(.sessionMissing, id: id) }
        guard let revision = sessions.verify(sessionID, now: now()) else { throw Rejection(.sessionNotFound, id: id) }
        if let header, header != revision {
            throw Rejection(.sessionRevisionMismatch(header: header, session: revision), id: id)
        }
        return revision
    }
}

extension JSONRPCMessage {
    /// The id of a request; nil for notifications and responses.
    var requestID: RequestID? {
        guard case .request(let request) = self else { return nil }
        return request.id
    }
}
