import EventLoop
import OneAppTools

/// A worker's upstream transport. Plain `http://` to an address or localhost (the sandbox, a
/// sidecar, an internal load balancer) goes through `HTTPClient` on the worker's own loop: a
/// few system calls per request, no thread hops beyond the loop. Everything else (`https://`,
/// host names) goes through URLSession, which brings TLS and a resolver.
final class WorkerTransport: UpstreamTransport {
    private let client: LoopBound<HTTPClient>
    private let fallback: URLSessionTransport

    init(reactor: Reactor, timeoutMs: Int, maximumBodyBytes: Int = URLSessionTransport.defaultMaximumBodyBytes) {
        client = LoopBound(HTTPClient(reactor: reactor, maximumBodyBytes: maximumBodyBytes), reactor: reactor)
        fallback = URLSessionTransport(timeoutMs: timeoutMs, maximumBodyBytes: maximumBodyBytes)
    }

    func send(_ request: UpstreamRequest) async -> Result<UpstreamResponse, UpstreamFailure> {
        guard let (origin, target) = HTTPOrigin.parse(request.url) else { return await fallback.send(request) }
        let limit = fallback.maximumBodyBytes
        return await withCheckedContinuation { continuation in
            client.withValue { client in
                client.send(
                    request.method, target, to: origin, headers: request.headers, body: request.body, timeoutMs: request.timeoutMs
                ) { result in
                    switch result {
                    case .success(let answer): continuation.resume(returning: .success(UpstreamResponse(status: answer.status, body: answer.body)))
                    case .failure(.connectionFailed(let reason)): continuation.resume(returning: .failure(.connectionFailed(reason: reason)))
                    case .failure(.timedOut): continuation.resume(returning: .failure(.timedOut(ms: request.timeoutMs)))
                    case .failure(.bodyTooLarge): continuation.resume(returning: .failure(.bodyTooLarge(limit: limit)))
                    case .failure(.invalidRequest(let reason)): continuation.resume(returning: .failure(.other(reason: reason)))
                    }
                }
            }
        }
    }
}
