import Glibc
import Posix
import WorkerRuntime

/// `oneapp-mcp preloader`: started once by the supervisor, it pays the dynamic loader's cost
/// (most of a fresh worker's start: Foundation, libcurl and ~50 libraries) a single time and
/// forks workers from its image: Passenger's "smart spawning", Android's zygote. It never starts
/// a thread, so fork is safe here, and workers share its pages until they write to them.
///
/// One spare is always forked ahead (a fork costs ~1 ms here, two ~2.5 ms), waiting on a socket
/// of its own; a request hands it the tenant's arguments and descriptors, and the next spare is
/// forked while that worker starts.
///
/// Descriptor 3 is a seqpacket socket to the supervisor: "ready" once, then per request the
/// worker's arguments (NUL-separated) with two descriptors, its stderr and its lifeline,
/// answered in order by the worker's pid or "error: …". End of stream there (the supervisor
/// closed it or died) ends the preloader, and its spare with it.
enum PreloaderCommand {
    static let controlFD: Int32 = 3
    static let spareDelayMs: Int32 = 5

    private struct Spare {
        let pid: Int32
        let socket: Int32
    }

    static func run(_ arguments: [String]) -> Int32 {
        guard let parsed = try? CommandArguments(arguments, known: ["supervisor-pid", "room"]),
            let supervisor = parsed.flags["supervisor-pid"].flatMap({ Int32($0) })
        else {
            printError("oneapp-mcp preloader: started by the supervisor only (--supervisor-pid PID, descriptor 3)")
            return 64
        }
        guard ParentDeath.armed(expectedParent: supervisor) else { return 1 }
        ProcessTitle.set("oneapp-mcp preloader")
        WorkerProcess.warmUp(version: CommandLineEntry.version)
        guard Fork.threadCount() == 1 else {
            printError("oneapp-mcp preloader: a thread was started before forking; workers are spawned instead")
            return 1
        }
        var spare = try? forkSpare()
        reply("ready")
        while true {
            let received: DescriptorPassing.Received
            do { received = try DescriptorPassing.receive(controlFD) } catch {
                printError("oneapp-mcp preloader: \(error)")
                return 1
            }
            guard case .message(let request, let descriptors) = received else { return 0 }
            reply(handOver(request, descriptors: descriptors, to: &spare))
            descriptors.forEach(IO.close)
            // The next spare waits until the worker just handed over had the cores to start
            // (a fork now would compete with it on a small machine), unless a request comes first.
            var next = pollfd(fd: controlFD, events: Int16(POLLIN), revents: 0)
            if poll(&next, 1, Self.spareDelayMs) == 0 { spare = try? forkSpare() }
        }
    }

    /// Gives the spare (forked now if there is none, or if it died meanwhile) a tenant's
    /// arguments and descriptors; the answer for the supervisor: its pid, or why not.
    private static func handOver(_ request: [UInt8], descriptors: [Int32], to spare: inout Spare?) -> String {
        guard descriptors.count == 2 else { return "error: expected 2 descriptors, got \(descriptors.count)" }
        for _ in 0..<2 {
            if spare == nil { spare = try? forkSpare() }
            guard let chosen = spare else { break }
            spare = nil
            defer { IO.close(chosen.socket) }
            if (try? DescriptorPassing.send(chosen.socket, request, descriptors: descriptors)) != nil { return String(chosen.pid) }
        }
        return "error: no spare worker could be forked"
    }

    /// Forks a spare worker through an intermediate process that exits at once, so the spare is
    /// reparented to the supervisor (a child subreaper), which reaps and signals it like any child
    /// of its own. Returns its pid (sent back by the intermediate) and the socket it listens on.
    private static func forkSpare() throws(SystemError) -> Spare {
        let (mine, theirs) = try DescriptorPassing.socketPair()
        let intermediate: Int32
        do { intermediate = try Fork.fork() } catch {
            [mine, theirs].forEach(IO.close)
            throw error
        }
        if intermediate == 0 {
            IO.close(mine)
            let pid = (try? Fork.fork()) ?? -1
            if pid == 0 { waitForTenant(on: theirs) }
            try? DescriptorPassing.send(theirs, Array(String(pid).utf8))
            _exit(0)
        }
        IO.close(theirs)
        var status: Int32 = 0
        while waitpid(intermediate, &status, 0) < 0 && errno == EINTR {}
        guard case .message(let bytes, let stray) = try DescriptorPassing.receive(mine, maxBytes: 32),
            let pid = Int32(String(decoding: bytes, as: UTF8.self)), pid > 0
        else {
            IO.close(mine)
            throw SystemError("fork a spare worker", errno: EAGAIN)
        }
        stray.forEach(IO.close)
        return Spare(pid: pid, socket: mine)
    }

    /// The spare: waits for its tenant's arguments and descriptors, then becomes that worker with
    /// stderr as 2 and the lifeline as 3, as a spawned worker has them. The preloader gone first
    /// (end of stream) means it is not needed.
    private static func waitForTenant(on socket: Int32) -> Never {
        // Only stdin, stdout, stderr and its own socket: whatever else the preloader had open
        // then (the supervisor's socket, another worker's descriptors in transit) is not its own.
        Fork.closeDescriptors(above: 2, except: socket)
        ProcessTitle.set("oneapp-mcp spare worker")
        guard case .message(let bytes, let descriptors)? = try? DescriptorPassing.receive(socket), descriptors.count == 2 else { _exit(0) }
        IO.close(socket)
        // The control socket's number (3) was free when these arrived, so either may be 3.
        let (stderr, lifeline) = (descriptors[0], descriptors[1])
        dup2(stderr, 2)
        if lifeline != controlFD {
            dup2(lifeline, controlFD)
            IO.close(lifeline)
        }
        if stderr != controlFD { IO.close(stderr) }
        let words = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if let index = words.firstIndex(of: "--client-id"), index + 1 < words.count {
            ProcessTitle.set("oneapp-mcp worker --client-id \(words[index + 1])")
        }
        Fork.continueOnNewThread {
            let code = WorkerCommand.run(words)
            fflush(nil)
            exit(code)
        }
    }

    private static func reply(_ text: String) {
        try? DescriptorPassing.send(controlFD, Array(text.utf8))
    }
}
