import Glibc
import JSON

/// A credential written as a reference instead of a literal:
///
///     "authorization": {"env": "ACME_TOKEN"}           the value of an environment variable
///     "authorization": {"file": "secrets/acme.token"}  a file's contents (relative to the config
///                                                      file's directory; one trailing newline dropped)
///
/// Resolved once, when the configuration is read: the secret then lives only in the
/// supervisor's memory and in the handoff to its own tenant's worker.
enum SecretReference {
    struct Failure: Error {
        var message: String
    }

    /// The literal string a field stands for; non-reference values come back unchanged.
    static func resolve(_ value: JSONValue, environment: [String: String], directory: String) -> Result<JSONValue, Failure> {
        guard let object = value.objectValue, object.count == 1, let member = object.members.first,
            let name = member.value.stringValue
        else {
            return value.objectValue == nil ? .success(value) : .failure(Failure(message: #"must be a string, {"env": NAME} or {"file": PATH}"#))
        }
        switch member.key {
        case "env":
            guard let secret = environment[name] else { return .failure(Failure(message: "environment variable \(name) is not set")) }
            return .success(.string(secret))
        case "file":
            let path = ConfigurationLoader.resolve(name, against: directory)
            guard let text = readFile(path) else { return .failure(Failure(message: "cannot read \(path): \(String(cString: strerror(errno)))")) }
            return .success(.string(text.hasSuffix("\n") ? String(text.dropLast()) : text))
        default:
            return .failure(Failure(message: #"must be a string, {"env": NAME} or {"file": PATH}"#))
        }
    }

    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65_536 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes += chunk[..<n] } else if n == 0 || errno != EINTR { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
