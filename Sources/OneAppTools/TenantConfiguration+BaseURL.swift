import Configuration

extension TenantConfiguration {
    /// The base URL of `base`, without trailing slashes (so joining a `/path` never gives `//`).
    public func baseURL(for base: UpstreamBase) -> String {
        var url = Substring(base == .core ? coreBaseURL : clientBaseURL)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
