import Configuration
import Posix

/// systemd integration (README "systemd"; units in scripts/deploy/): the public listener from
/// socket activation, and the sd_notify(3) messages of a `Type=notify` service:
///
///     listening, pid file written    READY=1         STATUS=serving N tenants, M live workers
///     SIGHUP, before the reload      RELOADING=1     MONOTONIC_USEC=…  STATUS=reloading …
///     SIGHUP, after it               READY=1         STATUS=serving N tenants, M live workers
///     TERM/INT, shutdown begins      STOPPING=1      STATUS=stopping: …
///
/// Without NOTIFY_SOCKET or LISTEN_FDS (not started by systemd) nothing here does anything.
extension Supervisor {
    /// The public listening socket: the one systemd passed (named "mcp", or the first), else a
    /// new one bound to `listen`. systemd's variables describe this process only, so they are
    /// removed from the environment that workers and the sandbox inherit (`environment` keeps them).
    func listeningSocket() throws(SystemError) -> Int32 {
        defer {
            SocketActivation.unsetEnvironment()
            ServiceNotifier.unsetEnvironment()
        }
        guard let fd = try SocketActivation.listener(environment: environment, named: "mcp") else {
            return try Socket.listen(configuration.listen)
        }
        log.write("using the listening socket passed by systemd (fd \(fd)) instead of binding \(configuration.listen)")
        return fd
    }

    func notifyReady() {
        notify("READY=1", "STATUS=\(servingStatus)")
    }

    /// SIGHUP under systemd: the reload (an invalid file included) happens between the two messages.
    func reloadNotifying() {
        notify("RELOADING=1", "MONOTONIC_USEC=\(ServiceNotifier.monotonicMicroseconds())", "STATUS=reloading the configuration")
        reload()
        notifyReady()
    }

    func notifyStopping() {
        notify("STOPPING=1", "STATUS=stopping: finishing in-flight requests, then \(plural(workers.count, "worker"))")
    }

    private var servingStatus: String {
        let live = pool.workers.values.filter { $0.phase != .retiring }.count
        return "serving \(plural(configuration.clients.count, "tenant")), \(plural(live, "live worker"))"
    }

    private func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private func notify(_ assignments: String...) {
        ServiceNotifier(environment: environment)?.send(assignments)
    }
}
