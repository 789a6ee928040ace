/// Writes HTTP/1.1 response heads and bodies as bytes, ready for the socket.
///
/// ```
///   HTTP/1.1 200 OK\r\n                   status line, standard reason phrase
///   Name: value\r\n                       the caller's fields, in order
///   Content-Length: 5\r\n                 fixed: the body length (none for 204/304)
///   Transfer-Encoding: chunked\r\n        stream: instead of Content-Length
///   Connection: close\r\n                 only when the connection will not be kept
///   \r\n
///   body  |  <hex size>\r\n <data> \r\n ... 0\r\n\r\n
/// ```
///
/// A namespace of pure functions: each call returns one array, sized up front. The framing
/// fields (Content-Length, Transfer-Encoding, Connection) are always the serializer's own; the
/// caller's copies are dropped so a handler can never frame a response two ways. Control bytes
/// in a value are written as spaces and fields with a non-token name are dropped, so a value
/// taken from a request cannot split the response. Streams are for HTTP/1.1 peers.
public enum HTTPResponseSerializer {
    /// The terminating chunk of a chunked body (no trailers).
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// A complete response with a Content-Length body (no body at all for 1xx, 204 and 304).
    public static func fixed(_ response: HTTPResponse, keepAlive: Bool) -> [UInt8] {
        var out = fixedHead(response, keepAlive: keepAlive, reserving: response.body.count)
        if carriesBody(response.status) { out.append(contentsOf: response.body) }
        return out
    }

    /// `fixed` without the body, which follows it when `carriesBody`: a connection that queues
    /// a large body as a piece of its own sends both with one system call, without copying it.
    public static func fixedHead(_ response: HTTPResponse, keepAlive: Bool, reserving extra: Int = 0) -> [UInt8] {
        let hasBody = carriesBody(response.status)
        var out: [UInt8] = []
        out.reserveCapacity(headCapacity(response.fields) + (hasBody ? extra : 0))
        writeHead(status: response.status, fields: response.fields, into: &out)
        if hasBody {
            out.appendASCII("Content-Length: ")
            out.appendDecimal(response.body.count)
            out.appendCRLF()
        }
        finishHead(keepAlive: keepAlive, into: &out)
        return out
    }

    /// Whether a response with this status has a body at all (1xx, 204 and 304 have none).
    public static func carriesBody(_ status: Int) -> Bool {
        !(100..<200).contains(status) && status != 204 && status != 304
    }

    /// The head of a chunked response; follow it with `chunk(_:)` pieces and `lastChunk`.
    public static func streamHead(status: Int, fields: HTTPFields, keepAlive: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headCapacity(fields))
        writeHead(status: status, fields: fields, into: &out)
        out.appendASCII("Transfer-Encoding: chunked\r\n")
        finishHead(keepAlive: keepAlive, into: &out)
        return out
    }

    /// One chunk: hex size, CRLF, data, CRLF. Empty input gives no bytes, never `lastChunk`.
    public static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 20)
        out.appendHex(bytes.count)
        out.appendCRLF()
        out.append(contentsOf: bytes)
        out.appendCRLF()
        return out
    }

    /// The standard reason phrase of `status`, or "Unknown".
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 421: "Misdirected Request"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }

    private static func headCapacity(_ fields: HTTPFields) -> Int {
        var capacity = 128
        fields.forEachRaw { name, value in capacity += name.count + value.count + 4 }
        return capacity
    }

    private static func writeHead(status: Int, fields: HTTPFields, into out: inout [UInt8]) {
        out.appendASCII("HTTP/1.1 ")
        out.appendDecimal(status)
        out.append(HTTPByte.space)
        out.appendUTF8(reasonPhrase(status))
        out.appendCRLF()
        fields.forEachRaw { name, value in
            if !isFramingField(name) { writeField(name, value, into: &out) }
        }
    }

    private static func finishHead(keepAlive: Bool, into out: inout [UInt8]) {
        if !keepAlive { out.appendASCII("Connection: close\r\n") }
        out.appendCRLF()
    }

    private static let framingFields = FieldNameSet(["content-length", "transfer-encoding", "connection"])

    private static func isFramingField(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        framingFields.contains(name)
    }

    /// Fields set by code may hold anything: a name that is not a token is dropped, control
    /// bytes in a value become spaces, so no field can split the head.
    private static func writeField(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard !name.isEmpty, name.allSatisfy(HTTPByte.isToken) else { return }
        out.append(contentsOf: name)
        out.appendASCII(": ")
        if value.allSatisfy(HTTPByte.isFieldContent) {
            out.append(contentsOf: value)
        } else {
            for byte in value { out.append(HTTPByte.isFieldContent(byte) ? byte : HTTPByte.space) }
        }
        out.appendCRLF()
    }
}
