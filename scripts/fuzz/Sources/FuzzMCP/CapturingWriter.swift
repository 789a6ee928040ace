import HTTP1
import Synchronization

/// Records what a tool call writes: a whole response, or a stream's status, pieces and end.
final class CapturingWriter: ResponseWriter {
    struct Record {
        var response: HTTPResponse?
        var streamFields: HTTPFields?
        var streamBytes: [UInt8] = []
        var ended = false
    }

    private let record = Mutex(Record())

    var snapshot: Record { record.withLock { $0 } }
    var isClosed: Bool { false }

    func respond(_ response: HTTPResponse) { record.withLock { $0.response = response } }
    func beginStream(status: Int, fields: HTTPFields) { record.withLock { $0.streamFields = fields } }
    func sendStreamBytes(_ bytes: [UInt8]) { record.withLock { $0.streamBytes += bytes } }
    func endStream() { record.withLock { $0.ended = true } }
}
