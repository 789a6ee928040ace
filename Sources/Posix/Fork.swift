import CSystem
import Glibc

/// fork(2), for the one process that may call it: the preloader, which never starts a thread
/// (a child of a threaded process inherits locks held by threads that do not exist in it).
public enum Fork {
    /// Forks; 0 in the child. Refuses in a process with more than one thread.
    public static func fork() throws(SystemError) -> Int32 {
        guard threadCount() == 1 else { throw SystemError("fork in a threaded process", errno: EDEADLK) }
        return try syscall("fork") { csystem_fork() }
    }

    /// Runs `body` on a new thread and parks the calling one for good. A forked child's main
    /// thread still holds its parent's thread-local state: Swift's `Mutex` caches the thread id
    /// there and would hand the parent's id to the kernel's priority-inheritance futex.
    public static func continueOnNewThread(_ body: @escaping @Sendable () -> Never) -> Never {
        final class Start: @unchecked Sendable {
            let body: @Sendable () -> Never
            init(_ body: @escaping @Sendable () -> Never) { self.body = body }
        }
        var thread = pthread_t()
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<Start>.fromOpaque(context!).takeRetainedValue().body()
        }, start)
        guard created == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            body()
        }
        while true { pthread_join(thread, nil) }  // the body ends the process itself
    }

    /// Closes every descriptor above `lowest` except `kept`, as listed in /proc/self/fd.
    public static func closeDescriptors(above lowest: Int32, except kept: Int32) {
        guard let directory = opendir("/proc/self/fd") else { return }
        var open: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name) { open.append(fd) }
        }
        let listing = dirfd(directory)
        closedir(directory)
        for fd in open where fd > lowest && fd != kept && fd != listing { IO.close(fd) }
    }

    /// The threads of this process, from /proc/self/task.
    public static func threadCount() -> Int {
        guard let directory = opendir("/proc/self/task") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != 0x2E { count += 1 }  // not "." or ".."
        }
        return count
    }
}
