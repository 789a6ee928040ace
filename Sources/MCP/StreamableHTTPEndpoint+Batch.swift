import HTTP1
import JSON

// JSON-RPC batches, a 2025-03-26 feature only (the revision comes from the session, and from
// the header when sent). Each element is answered on its own, in order:
//
//   [ req₁, notif, req₂(tools/call), bad ] ─▶ [ resp₁, resp₂, error(bad) ]   (200, JSON array)
//   only notifications / responses ─▶ 202      initialize inside ─▶ that element's -32600
//
// Tool calls in a batch run concurrently and the array is written when the last one ends;
// their progress is not streamed (a batch answer is always plain JSON).

extension StreamableHTTPEndpoint {
    /// One answer slot of a batch: known now, or waiting for a tool.
    enum BatchSlot: Sendable {
        case ready([UInt8])
        case pending(ToolInvocation, RequestID)
    }

    func handleBatch(_ elements: [JSONValue], _ post: IncomingPOST, header: ProtocolRevision?) throws(Rejection) -> EndpointReply {
        guard !elements.isEmpty else { throw Rejection(.invalidRequest("an empty JSON-RPC batch")) }
        let revision = try sessionRevision(post.fields, header: header, id: nil)
        guard revision.allowsBatches else {
            throw Rejection(.invalidRequest("JSON-RPC batches exist only in 2025-03-26, not in \(revision.rawValue)"))
        }
        let slots = elements.compactMap { batchSlot($0, revision: revision) }
        guard !slots.isEmpty else { return .now(post.replies.accepted()) }
        let replies = post.replies
        guard slots.contains(where: { if case .pending = $0 { true } else { false } }) else {
            return .now(replies.json(JSONRPCEncoding.array(slots.map { if case .ready(let body) = $0 { body } else { [] } })))
        }
        return .later { [self] writer in
            writer.respond(replies.json(JSONRPCEncoding.array(await resolve(slots))))
        }
    }

    /// The slot for one element; nil when it needs no answer (notification, response).
    private func batchSlot(_ element: JSONValue, revision: ProtocolRevision) -> BatchSlot? {
        let message: JSONRPCMessage
        do throws(Rejection) {
            message = try decodeMessage(element)
        } catch {
            return .ready(JSONRPCEncoding.error(error.error, id: error.id))
        }
        guard case .request(let request) = message else { return nil }
        if request.method == "initialize" {
            return .ready(JSONRPCEncoding.error(.invalidRequest("initialize must not be part of a JSON-RPC batch"), id: request.id))
        }
        switch handler.handle(request, revision: revision) {
        case .result(let result): return .ready(JSONRPCEncoding.result(result, id: request.id))
        case .failure(let error): return .ready(JSONRPCEncoding.error(error, id: request.id))
        case .toolCall(let call): return .pending(call, request.id)
        case .initialized: preconditionFailure("initialize was answered above")
        }
    }

    /// Runs the pending tool calls concurrently and returns every answer in slot order.
    private func resolve(_ slots: [BatchSlot]) async -> [[UInt8]] {
        await withTaskGroup(of: (Int, [UInt8]).self) { group in
            var bodies: [[UInt8]] = []
            for (index, slot) in slots.enumerated() {
                switch slot {
                case .ready(let body):
                    bodies.append(body)
                case .pending(let call, let id):
                    bodies.append([])
                    group.addTask { (index, JSONRPCEncoding.result(await self.handler.run(call) { _ in }, id: id)) }
                }
            }
            for await (index, body) in group { bodies[index] = body }
            return bodies
        }
    }
}
