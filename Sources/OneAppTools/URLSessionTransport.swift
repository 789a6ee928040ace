import Configuration
// The only file of this target that touches Foundation: everything else stays pure.
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The production transport: one long-lived URLSession (curl-backed on Linux) for the worker's
/// whole life, with a cap on response bodies and an exact deadline.
///
/// Why a session delegate and not `session.data(for:)`: the async API buffers the whole body
/// before we could look at it, so an upstream could make the worker hold any amount of memory.
/// The delegate sees the response head (declared `Content-Length`) and every chunk as it arrives.
///
/// Why our own deadline timer: FoundationNetworking on Linux truncates timeouts to whole seconds
/// (`Int(timeoutInterval) * 1000`: 300 ms becomes 0, 1500 ms becomes 1000), treats the request
/// timeout as an idle timeout, and does not enforce `timeoutIntervalForResource` (measured: a
/// server sending one byte every 200 ms kept a 1 s / 3 s transfer alive for 9 s). So the caller
/// is answered `.timedOut` by a timer at the exact millisecond; URLSession's timeouts, rounded
/// up to whole seconds, remain as a backstop.
///
/// Why no `task.cancel()` anywhere: cancelling in-flight tasks has crashed or deadlocked
/// FoundationNetworking on Linux (`_MultiHandle`, swift-corelibs-foundation #4791, #5412). When
/// the deadline passes or a body grows too large, the caller is answered at once and the rest of
/// the transfer is read and discarded (memory stays bounded) until the upstream finishes, closes
/// or goes quiet for the backstop timeout. A declared oversize body is also refused through the
/// response disposition, which FoundationNetworking may honour. Cancelling the calling Swift task
/// does not cancel the transfer either; it is bounded by the deadline.
///
/// Redirects are not followed: a 3xx comes back as the answer, because following it could
/// carry the tenant's `Authorization` header to another host.
public final class URLSessionTransport: UpstreamTransport {
    public static let defaultMaximumBodyBytes = 16 * 1024 * 1024
    /// Added to the request timeout to make the whole-transfer (resource) timeout, for
    /// platforms that enforce it.
    public static let resourceTimeoutMarginMs = 5_000

    public let maximumBodyBytes: Int
    private let collector: TransferCollector
    private let timeoutMs: Int
    private let maximumConnectionsPerHost: Int
    /// Made on the first request: a session and its configuration initialize Foundation's
    /// cookie and cache stores, libcurl and OpenSSL (milliseconds), which a worker asked only
    /// `tools/list` never needs.
    private let madeSession = Mutex<URLSession?>(nil)

    /// - Parameters:
    ///   - timeoutMs: the tenant's `httpTimeoutMs`, the session's default request timeout.
    ///   - maximumBodyBytes: larger answers fail with `.bodyTooLarge`.
    ///   - maximumConnectionsPerHost: concurrent connections to one upstream host.
    public init(
        timeoutMs: Int, maximumBodyBytes: Int = URLSessionTransport.defaultMaximumBodyBytes,
        maximumConnectionsPerHost: Int = 8
    ) {
        self.maximumBodyBytes = maximumBodyBytes
        self.timeoutMs = timeoutMs
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
        collector = TransferCollector(limit: maximumBodyBytes)
    }

    private var session: URLSession {
        madeSession.withLock { made in
            if let made { return made }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = Self.wholeSeconds(self.timeoutMs)
            configuration.timeoutIntervalForResource = Self.wholeSeconds(self.timeoutMs + Self.resourceTimeoutMarginMs)
            configuration.httpMaximumConnectionsPerHost = self.maximumConnectionsPerHost
            configuration.httpCookieAcceptPolicy = .never
            configuration.httpShouldSetCookies = false
            configuration.httpCookieStorage = nil
            configuration.urlCache = nil
            configuration.urlCredentialStorage = nil
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            // One serial delegate queue: callbacks of a transfer arrive in order, and they are cheap.
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = 1
            queue.name = "oneapp.upstream.delegate"
            let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: queue)
            made = session
            return session
        }
    }

    /// The transport for one tenant: its `httpTimeoutMs` is the default timeout.
    public convenience init(
        configuration: TenantConfiguration, maximumBodyBytes: Int = URLSessionTransport.defaultMaximumBodyBytes
    ) {
        self.init(timeoutMs: configuration.httpTimeoutMs, maximumBodyBytes: maximumBodyBytes)
    }

    /// A session keeps its delegate until invalidated; finishing lets running transfers end normally.
    deinit { madeSession.withLock { $0 }?.finishTasksAndInvalidate() }

    public func send(_ request: UpstreamRequest) async -> Result<UpstreamResponse, UpstreamFailure> {
        guard let url = URL(string: request.url), url.scheme != nil else {
            return .failure(.other(reason: "invalid upstream URL \(request.url)"))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = Self.wholeSeconds(request.timeoutMs)
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        urlRequest.httpBody = request.body.map { Data($0) }
        let collector = self.collector
        return await withCheckedContinuation { continuation in
            let task = session.dataTask(with: urlRequest)
            let id = task.taskIdentifier
            collector.register(id, timeoutMs: request.timeoutMs, continuation)
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(request.timeoutMs)) {
                collector.answerEarly(id, .failure(.timedOut(ms: request.timeoutMs)))
            }
        }
    }

    /// Rounded up, and at least one second (FoundationNetworking would turn less into zero).
    private static func wholeSeconds(_ ms: Int) -> TimeInterval {
        TimeInterval(max(1, (ms + 999) / 1000))
    }
}

/// Collects the answers of running transfers, keyed by task identifier; each caller is answered
/// exactly once (the continuation is taken out when used).
private final class TransferCollector: NSObject, URLSessionDataDelegate {
    typealias Answer = Result<UpstreamResponse, UpstreamFailure>

    private struct Transfer {
        var continuation: CheckedContinuation<Answer, Never>?
        var timeoutMs: Int
        var body: [UInt8] = []
    }

    private let limit: Int
    private let transfers = Mutex<[Int: Transfer]>([:])

    init(limit: Int) { self.limit = limit }

    func register(_ id: Int, timeoutMs: Int, _ continuation: CheckedContinuation<Answer, Never>) {
        transfers.withLock { $0[id] = Transfer(continuation: continuation, timeoutMs: timeoutMs) }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @Sendable @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let declaredTooLarge = response.expectedContentLength > Int64(limit)
        if declaredTooLarge { answerEarly(dataTask.taskIdentifier, .failure(.bodyTooLarge(limit: limit))) }
        completionHandler(declaredTooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let id = dataTask.taskIdentifier
        let limit = self.limit
        let overflows = transfers.withLock { transfers -> Bool in
            // Already answered (deadline or size): the rest of the transfer is dropped as it comes.
            guard let size = transfers[id]?.body.count, transfers[id]?.continuation != nil else { return false }
            guard size + data.count <= limit else { return true }
            transfers[id]?.body.append(contentsOf: data)
            return false
        }
        if overflows { answerEarly(id, .failure(.bodyTooLarge(limit: limit))) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @Sendable @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }),
            let continuation = transfer.continuation
        else { return }
        if let error {
            continuation.resume(returning: .failure(Self.failure(for: error, timeoutMs: transfer.timeoutMs)))
        } else {
            let status = (task.response as? HTTPURLResponse)?.statusCode ?? 0
            continuation.resume(returning: .success(UpstreamResponse(status: status, body: transfer.body)))
        }
    }

    /// Answers the caller now if nobody has yet; later callbacks of this transfer find no
    /// continuation and do nothing.
    func answerEarly(_ id: Int, _ answer: Answer) {
        let continuation = transfers.withLock { transfers -> CheckedContinuation<Answer, Never>? in
            defer {
                transfers[id]?.continuation = nil
                transfers[id]?.body = []
            }
            return transfers[id]?.continuation
        }
        continuation?.resume(returning: answer)
    }

    /// NSURLErrorDomain codes, as FoundationNetworking reports curl's errors.
    static func failure(for error: any Error, timeoutMs: Int) -> UpstreamFailure {
        let code = (error as NSError).code
        switch code {
        case NSURLErrorTimedOut: return .timedOut(ms: timeoutMs)
        case NSURLErrorCannotConnectToHost: return .connectionFailed(reason: "connection refused or host unreachable")
        case NSURLErrorCannotFindHost: return .connectionFailed(reason: "host not found")
        case NSURLErrorDNSLookupFailed: return .connectionFailed(reason: "DNS lookup failed")
        case NSURLErrorNetworkConnectionLost: return .connectionFailed(reason: "connection lost")
        default: return .other(reason: "\(error.localizedDescription) (URL error \(code))")
        }
    }
}
