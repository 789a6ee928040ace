/// Where an answer that is computed later (a tool call) is written. The runtime implements it;
/// every method may be called from any thread, and calls after the first terminal one are ignored.
public protocol ResponseWriter: Sendable {
    /// Sends a complete response (terminal).
    func respond(_ response: HTTPResponse)
    /// Starts a streamed response (`text/event-stream`): status and fields, body to follow.
    func beginStream(status: Int, fields: HTTPFields)
    /// Sends a piece of a started stream (already framed, e.g. one SSE event).
    func sendStreamBytes(_ bytes: [UInt8])
    /// Ends a started stream (terminal).
    func endStream()
    /// True once the client has gone away; a streamed request treats that as cancellation.
    var isClosed: Bool { get }
}
