import Foundation
import OncoTrials
import Vapor

/// Uploaded registry imports running in the background, so the admin page can show
/// progress. Kept in memory: an import interrupted by a restart is simply uploaded again
/// (the upsert skips what was already stored).
public final class TrialImportJobs: @unchecked Sendable {
    public struct Status: Sendable {
        public var fileName: String
        public var records = 0
        public var bytes: Int64 = 0
        public var totalBytes: Int64
        public var started: Date
        public var finished: Date?
        public var summary: ImportSummary?
        public var error: String?
    }

    private let lock = NSLock()
    private var jobs: [UUID: Status] = [:]
    /// The jobs' tasks, kept like their statuses (a finished task holds nothing).
    private var running: [UUID: Task<Void, Never>] = [:]

    func status(_ id: UUID) -> Status? { lock.withLock { jobs[id] } }

    /// Waits until the import `id` has finished (tests; the page polls instead).
    func wait(_ id: UUID) async {
        let task = lock.withLock { running[id] }
        await task?.value
    }

    /// Starts importing `file` (which the job deletes when done).
    func start(file: URL, fileName: String, app: Application) -> UUID {
        let id = UUID()
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int64) ?? 0
        lock.withLock { jobs[id] = Status(fileName: fileName, totalBytes: size, started: Date()) }
        let catalog = app.trials
        let db = app.db
        let stored = StoredStudyIDs()
        let task = Task {
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            do {
                let summary = try await TrialImporter.run(.file(file), on: db, reading: catalog.reading, progress: { [weak self] records, bytes in
                    self?.lock.withLock { self?.jobs[id]?.records = records; self?.jobs[id]?.bytes = bytes }
                }, onStored: { catalog.add($0); stored.add($0) })
                // A real import replaces the bundled first-start sample.
                try await RegistrySample.replace(app: app, keeping: Set(stored.ids))
                lock.withLock { jobs[id]?.summary = summary; jobs[id]?.finished = Date() }
            } catch {
                app.logger.warning("Trial import failed", metadata: ["job": .string(id.uuidString)])
                lock.withLock { jobs[id]?.error = error.localizedDescription; jobs[id]?.finished = Date() }
            }
            // What was stored is in the index, even when the import stopped part-way: open
            // cases are re-matched against it (in the background; this job is done).
            if !stored.ids.isEmpty { await TrialRegistryEvents.didChange(app: app, changedNCTIDs: stored.ids, source: "import") }
        }
        lock.withLock { running[id] = task }
        return id
    }
}

extension Application {
    private struct ImportJobsKey: StorageKey { typealias Value = TrialImportJobs }

    var trialImports: TrialImportJobs {
        if let jobs = storage[ImportJobsKey.self] { return jobs }
        let jobs = TrialImportJobs()
        storage[ImportJobsKey.self] = jobs
        return jobs
    }
}
