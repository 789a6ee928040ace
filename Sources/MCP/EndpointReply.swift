import HTTP1

/// What the Streamable HTTP endpoint makes of one request.
public enum EndpointReply: Sendable {
    /// Answered at once, on the caller's thread (lists, errors, notifications).
    case now(HTTPResponse)
    /// Needs asynchronous work (a tool call); the runtime runs it and it writes its answer.
    case later(@Sendable (any ResponseWriter) async -> Void)
}
