/// An absolute `http`/`https` URL, checked without Foundation (RFC 3986 syntax, ASCII only).
///
///     https://user@api.oneapp.cl:8443/base/path?query#fragment
///     └scheme┘ └userinfo┘└─host──┘└port┘└path──┘└query┘└fragment┘
///
/// Used for the tenant's base URLs and for URI-kind tool arguments. It only checks the shape;
/// it does not normalize, so the text given is the text sent upstream.
package struct AbsoluteHTTPURL: Equatable {
    package var scheme: String
    package var host: String
    package var port: Int?
    package var hasUserInfo: Bool
    package var hasQuery: Bool
    package var hasFragment: Bool

    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard Self.hasValidCharacters(bytes) else { return nil }
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]

        hasUserInfo = authority.contains("@")
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard let (host, port) = Self.splitHostAndPort(authority) else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
        hasQuery = rest.contains("?")
        hasFragment = rest.contains("#")
    }

    /// Printable ASCII without the characters RFC 3986 never allows, and well-formed `%XX`.
    private static func hasValidCharacters(_ bytes: [UInt8]) -> Bool {
        let forbidden = Set("\"<>\\^`{|} ".utf8)
        for (i, byte) in bytes.enumerated() {
            guard byte > 0x20, byte < 0x7F, !forbidden.contains(byte) else { return false }
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, bytes[i + 1].isHexDigit, bytes[i + 2].isHexDigit else { return false }
            }
        }
        return true
    }

    /// `host`, `host:port` or `[v6]:port`; the host must be non-empty and the port 1…65535.
    private static func splitHostAndPort(_ authority: Substring) -> (String, Int?)? {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            let inner = host.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
            guard isRegisteredName(host) else { return nil }
        }
        guard let portText else { return (String(host), nil) }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), portText.count <= 5,
            let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        return (String(host), port)
    }

    /// A DNS name or IPv4 address: letters, digits, `-`, `_`, `~`, `%XX` and non-empty dot-separated labels.
    private static func isRegisteredName(_ host: Substring) -> Bool {
        guard !host.isEmpty, !host.hasPrefix("."), !host.contains("..") else { return false }
        return host.allSatisfy { $0.isASCIILetterOrDigit || "-._~%".contains($0) }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
    package var isASCIILetterOrDigit: Bool { isASCII && (isLetter || isNumber) }
}
