import CSystem
import Glibc

/// Socket system calls on raw descriptors. Every socket made here is non-blocking and
/// close-on-exec; a child only gets a descriptor that a spawn explicitly hands it.
public enum Socket {
    /// A listening socket for `address`, with SO_REUSEADDR so a restart can bind at once.
    public static func listen(_ address: SocketAddress, backlog: Int32 = 1024) throws(SystemError) -> Int32 {
        switch address {
        case .inet(let host, let port): return try listenInet(host: host, port: port, backlog: backlog)
        case .unix(let path): return try listenUnix(path: path, backlog: backlog)
        }
    }

    /// A non-blocking connect to a Unix socket (connects at once or fails: Unix sockets don't wait).
    public static func connectUnix(path: String) throws(SystemError) -> Int32 {
        let fd = try syscall("socket") { Glibc.socket(AF_UNIX, streamFlags, 0) }
        do {
            var addr = try unixAddress(path)
            try syscall("connect") {
                withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// A TCP connection started without blocking (EINPROGRESS is success: wait for writability).
    public static func connectInet(host: String, port: UInt16) throws(SystemError) -> Int32 {
        let (family, storage, length) = try inetAddress(host: host, port: port)
        let fd = try syscall("socket") { Glibc.socket(family, streamFlags, 0) }
        var addr = storage
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) } }
        if rc != 0 && errno != EINPROGRESS {
            let error = SystemError("connect")
            close(fd)
            throw error
        }
        setNoDelay(fd)
        return fd
    }

    /// Accepts one pending connection; nil when none is waiting.
    public static func accept(_ listener: Int32) throws(SystemError) -> Int32? {
        while true {
            let fd = csystem_accept4(listener, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
            if fd >= 0 {
                setNoDelay(fd)  // fails harmlessly on Unix sockets
                return fd
            }
            switch errno {
            case EINTR: continue
            // The peer gave up before we accepted, or a transient shortage: not this listener's fault.
            case EAGAIN, ECONNABORTED, EPROTO: return nil
            default: throw SystemError("accept4")
            }
        }
    }

    /// The port a TCP listener is bound to (for port 0 in tests).
    public static func localPort(_ fd: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET: return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) } }
        case AF_INET6: return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) } }
        default: return nil
        }
    }

    /// The process at the other end of a Unix socket, as the kernel recorded it (SO_PEERCRED):
    /// for a connected client socket, whoever called listen on the path.
    public static func peerCredentials(_ fd: Int32) -> (pid: Int32, uid: UInt32)? {
        var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
        guard csystem_peer_credentials(fd, &pid, &uid, &gid) == 0 else { return nil }
        return (pid, uid)
    }

    /// Turns off Nagle: we write whole answers, and small ones must not wait for an ACK.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    static let streamFlags = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)

    private static func listenInet(host: String, port: UInt16, backlog: Int32) throws(SystemError) -> Int32 {
        let (family, storage, length) = try inetAddress(host: host, port: port)
        let fd = try syscall("socket") { Glibc.socket(family, streamFlags, 0) }
        do {
            var one: Int32 = 1
            try syscall("setsockopt") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
            var addr = storage
            try syscall("bind") { withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } }
            try syscall("listen") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    private static func listenUnix(path: String, backlog: Int32) throws(SystemError) -> Int32 {
        let fd = try syscall("socket") { Glibc.socket(AF_UNIX, streamFlags, 0) }
        do {
            var addr = try unixAddress(path)
            unlink(path)  // a stale socket file from a killed process would make bind fail
            try syscall("bind") {
                withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            }
            try syscall("chmod") { chmod(path, 0o600) }
            try syscall("listen") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    private static func unixAddress(_ path: String) throws(SystemError) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw SystemError("sockaddr_un", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return addr
    }

    /// Resolves a numeric address or `localhost` (no DNS: listen and upstream-free paths only).
    /// An IPv4 or IPv6 address written out (no name to resolve).
    public static func isAddressLiteral(_ host: String) -> Bool {
        (try? inetAddress(host: host, port: 0)) != nil
    }

    private static func inetAddress(host: String, port: UInt16) throws(SystemError) -> (Int32, sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        let name = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, name, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v4, as: sockaddr_in.self) }
            return (AF_INET, storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, name, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v6, as: sockaddr_in6.self) }
            return (AF_INET6, storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
        throw SystemError("inet_pton(\(host))", errno: EINVAL)
    }
}
