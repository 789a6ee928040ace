import HTTP1
import JSON

// How a tool call is answered, once it has been validated:
//
//   no progressToken, or Accept without text/event-stream ─▶ writer.respond(200 JSON)
//   progressToken and Accept admits text/event-stream    ─▶ writer.beginStream(200 SSE)
//        data: {notifications/progress …}\n\n   (one per ToolProgress)
//        data: {the JSON-RPC response}\n\n
//        writer.endStream()
//
// A client that closes an SSE stream cancels the call (2026-07-28 semantics; on older
// revisions nobody is listening any more either): the tool task is cancelled and nothing
// more is written, not even the end of the stream.

extension StreamableHTTPEndpoint {
    /// How often a streaming call looks at `writer.isClosed`; the writer has no callback.
    static let closePollInterval: Duration = .milliseconds(100)

    func laterToolCall(_ call: ToolInvocation, id: RequestID, _ post: IncomingPOST) -> EndpointReply {
        let replies = post.replies
        guard let token = call.progressToken, post.accept.eventStream else {
            return .later { [self] writer in
                let result = await handler.run(call) { _ in }
                writer.respond(replies.json(JSONRPCEncoding.result(result, id: id)))
            }
        }
        return .later { [self] writer in
            await streamToolCall(call, token: token, id: id, replies: replies, writer: writer)
        }
    }

    private func streamToolCall(
        _ call: ToolInvocation, token: JSONValue, id: RequestID, replies: Replies, writer: any ResponseWriter
    ) async {
        writer.beginStream(status: 200, fields: replies.eventStreamFields())
        let outcome = await Self.runUnlessAbandoned(isAbandoned: { writer.isClosed }) { [handler] in
            await handler.run(call) { progress in
                guard !writer.isClosed else { return }
                let params = ToolEncoding.progressParams(token: token, progress)
                writer.sendStreamBytes(SSEFraming.event(JSONRPCEncoding.notification(method: "notifications/progress", params: params)))
            }
        }
        guard case .finished(let result) = outcome, !writer.isClosed else { return }
        writer.sendStreamBytes(SSEFraming.event(JSONRPCEncoding.result(result, id: id)))
        writer.endStream()
    }

    /// Whether work ran to its end or was given up because its listener left.
    enum WorkOutcome<Value: Sendable>: Sendable {
        case finished(Value)
        case abandoned
    }

    /// Runs `work` while polling `isAbandoned`; once that is true the work is cancelled
    /// (cooperatively) and `.abandoned` is returned when it has wound down.
    static func runUnlessAbandoned<Value: Sendable>(
        isAbandoned: @escaping @Sendable () -> Bool, _ work: @escaping @Sendable () async -> Value
    ) async -> WorkOutcome<Value> {
        await withTaskGroup(of: WorkOutcome<Value>.self) { group in
            group.addTask { .finished(await work()) }
            group.addTask {
                while !Task.isCancelled {
                    if isAbandoned() { return .abandoned }
                    try? await Task.sleep(for: closePollInterval)
                }
                return .abandoned
            }
            let first = await group.next() ?? .abandoned
            group.cancelAll()
            return first
        }
    }
}
