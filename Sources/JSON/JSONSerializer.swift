extension JSONValue {
    /// The value as UTF-8 JSON: compact, or indented by two spaces per level when `pretty`.
    /// Members keep their order; non-finite doubles (which JSON cannot carry) become `null`.
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter(pretty: pretty).write(self, into: &out, level: 0)
        return out
    }

    public func serializedString(pretty: Bool = false) -> String {
        String(decoding: serialized(pretty: pretty), as: UTF8.self)
    }

    /// Appends a JSON string literal for `text` (quotes and escapes included).
    public static func appendQuoted(_ text: String, into out: inout [UInt8]) {
        JSONWriter.quote(text, into: &out)
    }

    /// Whether `byte` cannot stand for itself inside a JSON string.
    @inlinable
    public static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Emits what stands for `byte` inside a JSON string: the byte itself, or its escape. The
    /// one home of the escaping rule: `appendQuoted` and the supervisor's access-log writer
    /// (which writes into memory of its own) both go through it. Byte by byte, not as array
    /// literals: each of those would be an allocation, and JSON text inside a string (a tool
    /// result's text content) escapes every quote.
    @inlinable @inline(__always)
    public static func writeEscaped(_ byte: UInt8, _ emit: (UInt8) -> Void) {
        guard needsEscape(byte) else { return emit(byte) }
        emit(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): emit(byte)
        case 0x0A: emit(UInt8(ascii: "n"))
        case 0x0D: emit(UInt8(ascii: "r"))
        case 0x09: emit(UInt8(ascii: "t"))
        default:
            let hexDigit = { (nibble: UInt8) in nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
            for byte in "u00".utf8 { emit(byte) }
            emit(hexDigit(byte >> 4))
            emit(hexDigit(byte & 0xF))
        }
    }
}

/// Writes `JSONValue`s as bytes; one place decides escaping and layout.
struct JSONWriter {
    let pretty: Bool

    func write(_ value: JSONValue, into out: inout [UInt8], level: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let elements): writeArray(elements, into: &out, level: level)
        case .object(let object): writeObject(object, into: &out, level: level)
        }
    }

    private func writeArray(_ elements: [JSONValue], into out: inout [UInt8], level: Int) {
        guard !elements.isEmpty else { return out.append(contentsOf: "[]".utf8) }
        out.append(UInt8(ascii: "["))
        for (i, element) in elements.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            newline(into: &out, level: level + 1)
            write(element, into: &out, level: level + 1)
        }
        newline(into: &out, level: level)
        out.append(UInt8(ascii: "]"))
    }

    private func writeObject(_ object: JSONObject, into out: inout [UInt8], level: Int) {
        guard !object.isEmpty else { return out.append(contentsOf: "{}".utf8) }
        out.append(UInt8(ascii: "{"))
        for (i, member) in object.members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            newline(into: &out, level: level + 1)
            Self.quote(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            if pretty { out.append(UInt8(ascii: " ")) }
            write(member.value, into: &out, level: level + 1)
        }
        newline(into: &out, level: level)
        out.append(UInt8(ascii: "}"))
    }

    private func newline(into out: inout [UInt8], level: Int) {
        guard pretty else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
    }

    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        // Runs of bytes that need no escape are copied whole; only the escapes go byte by byte.
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard JSONValue.needsEscape(byte) else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                JSONValue.writeEscaped(byte) { out.append($0) }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
