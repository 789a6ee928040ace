import CSystem
import Glibc

/// The signals this program handles, routed through a signalfd so that handling is an
/// ordinary event on the loop (nothing runs in signal context).
public enum Signals {
    /// Resets the dispositions of `signals` to default (a parent may have left one ignored,
    /// and an ignored signal never reaches a signalfd), then blocks them on this thread.
    /// Call before any thread exists: threads inherit the mask they are created with.
    public static func blockForSignalFD(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals {
            signal(sig, SIG_DFL)
            sigaddset(&set, sig)
        }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// A non-blocking signalfd for `signals` (which must already be blocked).
    public static func makeSignalFD(_ signals: [Int32]) throws(SystemError) -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        return try syscall("signalfd") { signalfd(-1, &set, Int32(SFD_NONBLOCK | SFD_CLOEXEC)) }
    }

    /// Every signal queued on the signalfd (a signal pending twice is reported once).
    public static func drain(_ fd: Int32) -> [Int32] {
        var received: [Int32] = []
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while Glibc.read(fd, &info, size) == size { received.append(Int32(info.ssi_signo)) }
        return received
    }

    /// Ignores SIGPIPE: a peer that goes away is an I/O result (EPIPE), not a reason to die.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    public static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        case SIGUSR1: return "SIGUSR1"
        case SIGUSR2: return "SIGUSR2"
        case SIGCHLD: return "SIGCHLD"
        case SIGKILL: return "SIGKILL"
        case SIGQUIT: return "SIGQUIT"
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGILL: return "SIGILL"
        case SIGBUS: return "SIGBUS"
        case SIGPIPE: return "SIGPIPE"
        default: return "signal \(sig)"
        }
    }
}
