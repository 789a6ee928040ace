/// Encodes Server-Sent Events (WHATWG HTML §9.2) for a `text/event-stream` body.
///
/// ```
///   id: 7\n              optional; CR, LF and NUL removed (they would end or void the field)
///   event: message\n     optional; CR and LF removed
///   retry: 3000\n        optional; negative values are left out
///   data: {"a":1}\n      one line per line of data (split at CRLF, LF or CR)
///   data: second\n       an empty line of data is written as "data:"
///   \n                   the blank line dispatches the event
///
///   : keep-alive\n\n     a comment; clients ignore it (used as a heartbeat)
/// ```
///
/// A namespace of pure functions returning bytes; wrap them with `HTTPResponseSerializer.chunk`.
public enum ServerSentEvent {
    /// One event; the client reassembles `data` with LF between its lines.
    public static func event(data: String, id: String? = nil, event: String? = nil, retry: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + 32 + (id?.utf8.count ?? 0) + (event?.utf8.count ?? 0))
        if let id {
            out.appendASCII("id: ")
            out.append(contentsOf: id.utf8.lazy.filter { $0 != HTTPByte.cr && $0 != HTTPByte.lf && $0 != 0 })
            out.append(HTTPByte.lf)
        }
        if let event {
            out.appendASCII("event: ")
            out.append(contentsOf: event.utf8.lazy.filter { $0 != HTTPByte.cr && $0 != HTTPByte.lf })
            out.append(HTTPByte.lf)
        }
        if let retry, retry >= 0 {
            out.appendASCII("retry: ")
            out.appendDecimal(retry)
            out.append(HTTPByte.lf)
        }
        writeLines(of: data, field: "data", into: &out)
        out.append(HTTPByte.lf)
        return out
    }

    /// A comment line per line of `text`, then the blank line.
    public static func comment(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        writeLines(of: text, field: "", into: &out)
        out.append(HTTPByte.lf)
        return out
    }

    /// Writes `field: line\n` for every line of `text` (`: line` for a comment).
    private static func writeLines(of text: String, field: StaticString, into out: inout [UInt8]) {
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == HTTPByte.cr || byte == HTTPByte.lf else {
                index = bytes.index(after: index)
                continue
            }
            writeLine(bytes[lineStart..<index], field: field, into: &out)
            index = bytes.index(after: index)
            if byte == HTTPByte.cr, index != bytes.endIndex, bytes[index] == HTTPByte.lf {
                index = bytes.index(after: index)
            }
            lineStart = index
        }
        writeLine(bytes[lineStart..<index], field: field, into: &out)
    }

    private static func writeLine(_ line: Substring.UTF8View, field: StaticString, into out: inout [UInt8]) {
        out.appendASCII(field)
        out.append(HTTPByte.colon)
        if !line.isEmpty {
            out.append(HTTPByte.space)
            out.append(contentsOf: line)
        }
        out.append(HTTPByte.lf)
    }
}
