import CSystem
import Glibc

/// What `ps` and /proc/PID/cmdline show for this process: a forked worker would otherwise
/// show the preloader's command line. The title is written over the original arguments (it is
/// cut to their length) and the first 15 bytes become the thread name (`top`, `ps -o comm`).
public enum ProcessTitle {
    public static func set(_ title: String) {
        _ = csystem_set_process_name(title)
        guard let (start, room) = area else { return }
        let bytes = Array(title.utf8.prefix(room))
        start.withMemoryRebound(to: UInt8.self, capacity: room + 1) { area in
            for index in 0...room { area[index] = index < bytes.count ? bytes[index] : 0 }
        }
    }

    /// The original arguments' memory: the kernel lays them out back to back; only that
    /// contiguous run is used. Measured once, before any title shortens `argv[0]`.
    nonisolated(unsafe) private static let area: (UnsafeMutablePointer<CChar>, Int)? = {
        let argv = CommandLine.unsafeArgv
        guard CommandLine.argc > 0, let start = argv[0] else { return nil }
        var end = start + strlen(start) + 1
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = argv[index], argument == end else { break }
            end = argument + strlen(argument) + 1
        }
        return (start, end - start - 1)
    }()
}
