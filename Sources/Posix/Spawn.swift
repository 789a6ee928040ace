import CSystem
import Glibc

/// Starts child processes with `posix_spawn` (never fork in a threaded process): an empty
/// signal mask, default dispositions for the signals we handle, only the descriptors asked for.
public enum Spawn {
    /// The path of this program, for re-executing it as a worker.
    public static var selfExecutable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    /// Spawns `path` with `arguments` (argv[0] included). `descriptors` maps a child fd number
    /// to the parent's descriptor; stdin is /dev/null unless mapped; every other fd is closed.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String: String]? = nil, descriptors: [Int32: Int32] = [:]
    ) throws(SystemError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if descriptors[0] == nil { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        for (child, parent) in descriptors.sorted(by: { $0.key < $1.key }) {
            // dup2 clears close-on-exec on the copy; dup2 onto itself would not, so move through a spare number.
            if child == parent {
                posix_spawn_file_actions_adddup2(&actions, parent, 1000 + child)
                posix_spawn_file_actions_adddup2(&actions, 1000 + child, child)
            } else {
                posix_spawn_file_actions_adddup2(&actions, parent, child)
            }
        }
        let highest = max(2, descriptors.keys.max() ?? 2)
        csystem_spawn_addclosefrom(&actions, highest + 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, SIGQUIT] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc: Int32
        if let environment {
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        } else {
            rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        }
        guard rc == 0 else { throw SystemError("posix_spawn \(path)", errno: rc) }  // it returns the errno
        return pid
    }

    /// A pipe (read end, write end), both close-on-exec.
    public static func pipe() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        try syscall("pipe2") { csystem_pipe2(&fds, O_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// A connected pair of Unix stream sockets (close-on-exec, blocking).
    public static func socketPair() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        try syscall("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) }
        return (fds[0], fds[1])
    }
}

/// Process-level calls a worker makes about its parent.
public enum ParentDeath {
    /// Asks the kernel for SIGKILL when the parent dies, then checks the parent is still the
    /// one we expect (it may have died before the request took effect). A process reparented
    /// to `expectedParent` (a subreaper) may wait up to `waitingUpToMs` for that to happen.
    public static func armed(expectedParent: Int32, waitingUpToMs: Int = 0) -> Bool {
        var waitedUs = 0
        while getppid() != expectedParent && waitedUs < waitingUpToMs * 1_000 {
            usleep(100)
            waitedUs += 100
        }
        _ = csystem_set_parent_death_signal(SIGKILL)
        return getppid() == expectedParent
    }
}

/// Makes this process a child subreaper: its orphaned descendants are reparented to it instead
/// of to init, so a worker forked by the preloader (a grandchild) becomes its child.
public enum Subreaper {
    public static func become() -> Bool { csystem_set_child_subreaper() == 0 }
}
