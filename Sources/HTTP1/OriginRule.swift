/// Which browser origins may call us: the DNS-rebinding defence the MCP transport requires.
/// Shared by the supervisor (CORS preflight) and the workers (every request).
public enum OriginRule {
    /// With no configured origins only loopback origins pass; otherwise exactly the configured
    /// ones (ASCII case-insensitive: scheme and host are, and browsers lowercase them anyway).
    public static func allows(_ origin: String, configured: [String]) -> Bool {
        guard !configured.isEmpty else { return isLoopback(origin) }
        return configured.contains { $0.equalsIgnoringASCIICase(origin) }
    }

    /// `http(s)://localhost`, `127.0.0.1` or `[::1]`, with an optional port and nothing else.
    public static func isLoopback(_ origin: String) -> Bool {
        let lowered = origin.lowercased()
        let afterScheme: Substring
        if lowered.hasPrefix("http://") {
            afterScheme = lowered.dropFirst(7)
        } else if lowered.hasPrefix("https://") {
            afterScheme = lowered.dropFirst(8)
        } else {
            return false
        }
        for host in ["localhost", "127.0.0.1", "[::1]"] where afterScheme.hasPrefix(host) {
            return isPortSuffix(afterScheme.dropFirst(host.count))
        }
        return false
    }

    /// Empty, or `:` followed by a port number 1–65535.
    private static func isPortSuffix(_ rest: Substring) -> Bool {
        guard let colon = rest.first else { return true }
        let digits = rest.dropFirst()
        guard colon == ":", (1...5).contains(digits.count), digits.allSatisfy({ $0 >= "0" && $0 <= "9" }), let port = Int(digits) else {
            return false
        }
        return (1...65535).contains(port)
    }
}
