import Glibc

/// Figures about a live process, read from /proc.
public enum ProcessStats {
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Resident memory in bytes (`/proc/PID/statm`, second field), or nil if the process is gone.
    public static func residentBytes(_ pid: Int32) -> Int? {
        let fd = open("/proc/\(pid)/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        let fields = buffer[..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * pageSize
    }
}

/// Limits a process sets on itself.
public enum ProcessLimits {
    /// RLIMIT_NOFILE, soft and hard (a worker cannot raise it again).
    public static func setOpenFiles(_ count: Int) {
        var limit = rlimit(rlim_cur: rlim_t(count), rlim_max: rlim_t(count))
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}
