import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Runs the re-match of open cases in the background, one run at a time: a change that
/// arrives while a run is going is merged with any other waiting one and handled by one
/// more run when the current one ends, so a burst of imports or sync pages costs at most
/// two runs. The caller never waits; tests and shutdown use `wait()`.
public final class RematchRunner: Sendable {
    /// What changed, merged across the requests a run handles.
    struct Change: Sendable, Equatable {
        var sources: [String]
        /// The studies stored (nil: not known, as after a start that catches up).
        var changedTrials: Set<String>?

        /// Beyond this many studies a change counts as "not known" (a whole-registry import).
        static let trackedTrialLimit = 100_000

        init(sources: [String], changedTrials: Set<String>?) {
            self.sources = sources
            self.changedTrials = changedTrials.flatMap { $0.count > Self.trackedTrialLimit ? nil : $0 }
        }

        func merged(with other: Change) -> Change {
            let trials = changedTrials.flatMap { mine in other.changedTrials.map { mine.union($0) } }
            return Change(sources: sources + other.sources.filter { !sources.contains($0) }, changedTrials: trials)
        }

        /// "import, sync" (what the alert and the log name).
        var source: String { sources.joined(separator: ", ") }
    }

    private struct State {
        var pending: Change?
        var task: Task<Void, Never>?
        var runs = 0
        /// Set when this process holds the live trial index (the server): only then are
        /// cases re-matched here; otherwise a change is stored for the next server start.
        var inProcess = false
        var last: CaseRematch.Outcome?
    }

    private let state = NIOLockedValueBox(State())

    /// Runs finished since start.
    public var completedRuns: Int { state.withLockedValue { $0.runs } }
    /// What the last finished run did.
    public var lastOutcome: CaseRematch.Outcome? { state.withLockedValue { $0.last } }
    /// Whether changes are re-matched in this process (see `OncoNavApp.startAlerts`).
    public var isInProcess: Bool { state.withLockedValue { $0.inProcess } }

    func enableInProcess() { state.withLockedValue { $0.inProcess = true } }

    /// Queues a re-match for `change`; starts a run unless one is going (which picks the
    /// change up when it ends).
    func request(_ change: Change, app: Application) {
        state.withLockedValue { current in
            current.pending = current.pending.map { $0.merged(with: change) } ?? change
            guard current.task == nil else { return }
            current.task = Task.detached(priority: .utility) { [self] in await drain(app: app) }
        }
    }

    private func drain(app: Application) async {
        while !Task.isCancelled {
            let next: Change? = state.withLockedValue { current in
                guard let pending = current.pending else { current.task = nil; return nil }
                current.pending = nil
                return pending
            }
            guard let next else { return }
            let outcome = await CaseRematch.run(next, app: app)
            state.withLockedValue { $0.runs += 1; $0.last = outcome }
        }
        state.withLockedValue { $0.task = nil }
    }

    /// Returns when no run is going and none is waiting.
    public func wait() async {
        while let task = state.withLockedValue({ $0.task }) { await task.value }
    }

    /// Stops the current run between two cases (the change stays stored for the next start).
    func stop() async {
        let task = state.withLockedValue { current in defer { current.pending = nil }; return current.task }
        task?.cancel()
        await wait()
    }
}

extension Application {
    private struct RematchRunnerKey: StorageKey { typealias Value = RematchRunner }

    /// The background re-match of open cases (alerts).
    public var rematchRunner: RematchRunner {
        if let runner = storage[RematchRunnerKey.self] { return runner }
        let runner = RematchRunner()
        storage[RematchRunnerKey.self] = runner
        return runner
    }
}

/// Lets a running re-match end cleanly before the database goes away.
struct RematchRunnerLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async { await application.rematchRunner.stop() }
}
