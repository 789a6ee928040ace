import Configuration
import EventLoop
import Glibc
import Posix

/// Reload and staged shutdown.
extension Supervisor {
    /// SIGHUP: re-read the configuration. An invalid file changes nothing; tenants whose entry
    /// changed restart gracefully, removed ones drain, added ones are served from now on.
    func reload() {
        let loaded: ConfigurationLoader.Loaded
        switch ConfigurationLoader.load(path: configPath, environment: environment) {
        case .success(let value): loaded = value
        case .failure(let problems):
            log.write("reload rejected (SIGHUP); keeping the running configuration:\n  " + problems.problems.joined(separator: "\n  "))
            return
        }
        let old = configuration
        var new = loaded.configuration
        for key in Self.restartOnlySettings(old, new) { log.write("reload: \(key) changed; it takes effect after a restart of the supervisor") }
        // Addresses and the run directory belong to the running process.
        new.listen = old.listen
        new.adminListen = old.adminListen
        new.runDirectory = old.runDirectory
        new.sandboxListen = old.sandboxListen
        configuration = new
        pool.settings = Self.poolSettings(new)
        serverConfiguration = Self.serverConfiguration(new)
        for id in old.clients.keys.sorted() where new.clients[id] == nil {
            log.write("reload: tenant \(id) removed; its worker drains")
            perform(pool.remove(id))
        }
        for (id, entry) in new.clients.sorted(by: { $0.key < $1.key }) where old.clients[id] != nil && old.clients[id] != entry {
            log.write("reload: tenant \(id) changed; restarting its worker gracefully")
            perform(pool.restart(id))
        }
        let added = new.clients.keys.filter { old.clients[$0] == nil }.sorted()
        if !added.isEmpty { log.write("reload: tenants added: \(added.map(\.rawValue).joined(separator: ", "))") }
        log.write("configuration reloaded (SIGHUP): \(new.clients.count) tenants")
    }

    static func restartOnlySettings(_ a: SupervisorConfiguration, _ b: SupervisorConfiguration) -> [String] {
        var changed: [String] = []
        if a.listen != b.listen { changed.append("listen") }
        if a.adminListen != b.adminListen { changed.append("adminListen") }
        if a.runDirectory != b.runDirectory { changed.append("runDirectory") }
        if a.sandboxListen != b.sandboxListen { changed.append("sandbox") }
        if a.sessionKey != b.sessionKey { changed.append("sessionKey") }
        return changed
    }

    /// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, stop the workers,
    /// then (at the deadline) kill what is left. `continueShutdown` finishes the job.
    func beginShutdown(reason: String) {
        guard shutdownDeadline == nil else { return }
        notifyStopping()
        log.write("shutting down (\(reason)): finishing in-flight requests, up to \(configuration.shutdownTimeoutSeconds) s")
        shutdownDeadline = .now + .seconds(configuration.shutdownTimeoutSeconds)
        publicListener?.close()
        adminServer?.drain {}
        controlServer?.drain {}
        for connection in Array(connections.values) { connection.drain() }
        perform(pool.retireAll())
        sandbox?.stop()
        preloader?.stop()
        continueShutdown(deadline: shutdownDeadline!)
    }

    /// Called on every tick and child exit while shutting down.
    func continueShutdown(deadline: MonotonicInstant) {
        // Retire workers whose last request just finished (they were busy at the first pass).
        perform(pool.retireAll())
        let overdue = MonotonicInstant.now >= deadline
        if overdue {
            for pid in workers.keys { kill(pid, SIGKILL) }
            sandbox?.kill()
            preloader?.kill()
            for connection in Array(connections.values) { connection.close() }
        }
        guard workers.isEmpty, connections.isEmpty, sandbox?.isRunning != true, preloader?.isRunning != true else { return }
        reactor.stop()
    }
}
