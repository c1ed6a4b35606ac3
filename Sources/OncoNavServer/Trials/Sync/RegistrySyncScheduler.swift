import Fluent
import Foundation
import Vapor

/// Runs the sync on its interval while the server runs: started at boot only when sync is
/// enabled, cancelled (and awaited) on shutdown. Runs never overlap: the scheduler waits for
/// each, and `RegistrySync.run` holds a lock besides.
final class RegistrySyncScheduler: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    var isRunning: Bool { lock.withLock { task != nil } }

    func start(app: Application) {
        let sync = app.registrySync
        let config = app.appConfig.registrySync
        let db = app.db
        let clock = app.clock
        let logger = app.logger
        let loop = Task {
            while !Task.isCancelled {
                let now = clock.now()
                let state = try? await sync.state(on: db)
                let next = Self.nextRun(after: state, now: now, config: config)
                try? await sync.recordNextRun(next, on: db)
                let wait = next.timeIntervalSince(now)
                if wait > 0 {
                    do { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) } catch { break }
                }
                if Task.isCancelled { break }
                do {
                    let report = try await sync.run(app: app)
                    logger.info("Scheduled registry sync", metadata: ["report": .string(report.description)])
                } catch {
                    logger.warning("Scheduled registry sync failed", metadata: ["error": .string("\(error)")])
                }
            }
        }
        lock.withLock { task = loop }
    }

    func stop() async {
        let running = lock.withLock { () -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }

    /// When the next run starts: an interval after the last completed run; an interrupted
    /// run is resumed sooner (a quarter of an hour, or the interval if shorter); a scope never
    /// synced starts shortly after boot.
    static func nextRun(after state: TrialSyncState?, now: Date, config: RegistrySyncConfig) -> Date {
        let soonest = now.addingTimeInterval(config.startDelay)
        guard let state else { return soonest }
        if state.runSince != nil || state.lastOutcome == RegistrySyncReport.Outcome.interrupted.rawValue {
            let retry = (state.lastRunFinished ?? now).addingTimeInterval(min(config.interval, 900))
            return max(retry, soonest)
        }
        guard let completed = state.lastCompleted else { return soonest }
        return max(completed.addingTimeInterval(config.interval), soonest)
    }
}

/// Starts the scheduler at boot when sync is enabled; stops it on shutdown.
struct RegistrySyncLifecycle: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws {
        guard application.appConfig.registrySync.enabled else {
            application.logger.info("Registry sync is off; the trial registry changes only by import")
            return
        }
        application.registrySyncScheduler.start(app: application)
    }

    func shutdownAsync(_ application: Application) async {
        await application.registrySyncScheduler.stop()
    }
}

extension Application {
    private struct SyncKey: StorageKey { typealias Value = RegistrySync }
    private struct SchedulerKey: StorageKey { typealias Value = RegistrySyncScheduler }

    /// The registry sync for the configured scope (made on first use from `appConfig`).
    public var registrySync: RegistrySync {
        get {
            if let sync = storage[SyncKey.self] { return sync }
            let sync = RegistrySync(config: appConfig.registrySync, client: registryClient, logger: logger)
            storage[SyncKey.self] = sync
            return sync
        }
        set { storage[SyncKey.self] = newValue }
    }

    var registrySyncScheduler: RegistrySyncScheduler {
        if let scheduler = storage[SchedulerKey.self] { return scheduler }
        let scheduler = RegistrySyncScheduler()
        storage[SchedulerKey.self] = scheduler
        return scheduler
    }
}
