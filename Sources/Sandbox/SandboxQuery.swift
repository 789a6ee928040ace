import JSON

/// The query string of one request, percent-decoded, with typed readers that refuse bad values
/// with a 400. The sandbox is strict on purpose: a parameter it does not know, or one given twice,
/// is an error, so a client that sends the wrong name finds out here rather than in production.
struct SandboxQuery {
    private var values: [String: String] = [:]

    /// `a=1&b=x%20y` → ["a": "1", "b": "x y"]; `+` is a space, as in HTML forms.
    init(_ raw: Substring?) throws(SandboxError) {
        guard let raw, !raw.isEmpty else { return }
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            guard values[name] == nil else { throw .badRequest("parameter \(name) is given more than once") }
            values[name] = value
        }
    }

    /// Refuses any parameter not in `allowed`.
    func allow(_ allowed: [String]) throws(SandboxError) {
        for name in values.keys.sorted() where !allowed.contains(name) {
            let expected = allowed.isEmpty ? "this endpoint takes none" : "expected: \(allowed.joined(separator: ", "))"
            throw .badRequest("unknown parameter \(name) (\(expected))")
        }
    }

    func string(_ name: String) -> String? { values[name] }

    /// A positive decimal integer, or nil when absent (400 when required and absent).
    func positiveInt(_ name: String, required: Bool = false) throws(SandboxError) -> Int? {
        guard let text = values[name] else {
            if required { throw .badRequest("parameter \(name) is required (a positive integer)") }
            return nil
        }
        return try Self.positiveInt(text, name: name)
    }

    /// A required `YYYY-MM-DD` date.
    func date(_ name: String) throws(SandboxError) -> SandboxDate {
        guard let text = values[name] else { throw .badRequest("parameter \(name) is required (YYYY-MM-DD)") }
        guard let date = SandboxDate(text) else {
            throw .badRequest("parameter \(name) must be a date YYYY-MM-DD, got \(text)")
        }
        return date
    }

    /// A required comma-separated list of positive integers (`1,2,3`).
    func positiveIntList(_ name: String) throws(SandboxError) -> [Int] {
        guard let text = values[name], !text.isEmpty else {
            throw .badRequest("parameter \(name) is required (comma-separated positive integers)")
        }
        var list: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            list.append(try Self.positiveInt(String(item), name: name))
        }
        return list
    }

    /// `page` (default 1, ≥ 1) and `limit` (default 20, 1…100).
    func paging() throws(SandboxError) -> Paging {
        let page = try positiveInt("page") ?? 1
        let limit = try positiveInt("limit") ?? Paging.defaultLimit
        guard limit <= Paging.maximumLimit else {
            throw .badRequest("parameter limit must be from 1 to \(Paging.maximumLimit)")
        }
        return Paging(page: page, limit: limit)
    }

    private static func positiveInt(_ text: String, name: String) throws(SandboxError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(text), value >= 1
        else { throw .badRequest("parameter \(name) must be a positive integer, got \(text)") }
        return value
    }

    private static func decode(_ text: Substring) throws(SandboxError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .badRequest("malformed percent-encoding in the query")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// One page of a list: `{"data": [...], "page": p, "limit": l, "total": n}`.
struct Paging: Equatable {
    static let defaultLimit = 20
    static let maximumLimit = 100

    var page: Int
    var limit: Int

    func reply(_ rows: [JSONValue]) -> SandboxReply {
        // Compare before multiplying: an absurd page number must not overflow.
        let pagesBefore = page - 1
        let start = pagesBefore > rows.count / limit ? rows.count : min(pagesBefore * limit, rows.count)
        let slice = rows[start..<min(start + limit, rows.count)]
        return .ok(["data": .array(Array(slice)), "page": .int(page), "limit": .int(limit), "total": .int(rows.count)])
    }
}
