import Posix

/// A worker process just started, forked by the preloader or spawned: its pid and the
/// supervisor's ends of its lifeline and its stderr.
struct StartedWorker {
    let pid: Int32
    let lifeline: Int32
    let stderr: Int32

    /// Opens what a new worker starts with, however it is started: its lifeline (a socket pair,
    /// the tenant's handoff already written on the supervisor's end, so the worker reads it at
    /// once) and its stderr (a pipe). `handOver` gives the worker's ends to whatever starts the
    /// process; they are closed here afterwards, and the supervisor's ends too if it throws.
    static func openEnds(
        handoff: [UInt8], handOver: (_ stderr: Int32, _ lifeline: Int32) throws(SystemError) -> Void
    ) throws(SystemError) -> (lifeline: Int32, stderr: Int32) {
        let (mine, theirs) = try Spawn.socketPair()
        defer { IO.close(theirs) }
        let (stderrRead, stderrWrite): (Int32, Int32)
        do { (stderrRead, stderrWrite) = try Spawn.pipe() } catch {
            IO.close(mine)
            throw error
        }
        defer { IO.close(stderrWrite) }
        do {
            try IO.writeAll(mine, handoff)
            try handOver(stderrWrite, theirs)
        } catch {
            [mine, stderrRead].forEach(IO.close)
            throw error
        }
        return (mine, stderrRead)
    }
}
