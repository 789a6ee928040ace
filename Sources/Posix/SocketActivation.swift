import Glibc

/// The socket-activation protocol of sd_listen_fds(3): the service manager opens the listening
/// sockets and passes them from descriptor 3 on, described by the environment:
///
///     LISTEN_PID=<pid>       the process they are meant for (else: not ours, ignore them)
///     LISTEN_FDS=<n>         descriptors 3 … 3+n-1
///     LISTEN_FDNAMES=a:b     optional: each one's FileDescriptorName= from the .socket unit
public enum SocketActivation {
    public static let firstDescriptor: Int32 = 3

    /// The passed listening socket: the one named `name` when LISTEN_FDNAMES has it, else the
    /// first. nil when no socket was passed to this process. Every passed descriptor is made
    /// close-on-exec, so none leaks into a child.
    public static func listener(environment: [String: String], named name: String) throws(SystemError) -> Int32? {
        guard let pid = environment["LISTEN_PID"].flatMap({ Int32($0) }), pid == getpid(),
            let count = environment["LISTEN_FDS"].flatMap({ Int32($0) }), count >= 1
        else { return nil }
        let fds = (0..<count).map { firstDescriptor + $0 }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let names = environment["LISTEN_FDNAMES"]?.split(separator: ":", omittingEmptySubsequences: false).map(String.init) ?? []
        let fd = names.firstIndex(of: name).flatMap { $0 < fds.count ? fds[$0] : nil } ?? fds[0]
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting == 1 else {
            throw SystemError("LISTEN_FDS: descriptor \(fd) is not a listening socket", errno: ENOTSOCK)
        }
        return fd
    }

    /// Removes the variables, which describe this process only, from what children inherit.
    public static func unsetEnvironment() {
        for variable in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(variable) }
    }
}
