import Fluent
import Foundation
import OncoTrials
import Vapor

/// Re-reads, in the background and in batches, the stored parses that another parser
/// version made (or that are missing), storing the new parse and updating the index as it
/// goes; the admin import page shows its progress. The server answers meanwhile with the
/// parses it has.
public final class CriteriaRefresh: @unchecked Sendable {
    public struct Progress: Sendable {
        public var version: String
        /// Studies to re-read when the run started.
        public var total: Int
        public var done = 0
        public var failed = 0
        public var started: Date
        public var finished: Date?
        public var error: String?
    }

    public static let batchSize = 200

    private let lock = NSLock()
    private var progress: Progress?
    private var task: Task<Void, Never>?

    public var status: Progress? { lock.withLock { progress } }

    /// Starts re-reading when some stored parse is stale; a run already going is left alone.
    func start(db: any Database, catalog: TrialCatalog, logger: Logger) {
        lock.withLock {
            guard task == nil else { return }
            task = Task.detached(priority: .background) { [weak self] in
                await self?.run(db: db, catalog: catalog, logger: logger)
            }
        }
    }

    /// Waits for the current run (tests, and shutdown).
    func wait() async {
        let running = lock.withLock { task }
        await running?.value
    }

    func cancel() { lock.withLock { task }?.cancel() }

    static func stale(_ query: QueryBuilder<TrialRecord>, version: String) -> QueryBuilder<TrialRecord> {
        query.group(.or) { $0.filter(\.$parserVersion == nil).filter(\.$parserVersion != version) }
    }

    private func run(db: any Database, catalog: TrialCatalog, logger: Logger) async {
        let reading = catalog.reading
        defer { lock.withLock { task = nil } }
        do {
            let total = try await Self.stale(TrialRecord.query(on: db), version: reading.version).count()
            guard total > 0 else { return }
            lock.withLock { progress = Progress(version: reading.version, total: total, started: Date()) }
            logger.info("Re-reading stored eligibility criteria with the current parser", metadata: ["studies": .stringConvertible(total)])
            var after = ""
            while !Task.isCancelled {
                let records = try await Self.stale(TrialRecord.query(on: db), version: reading.version)
                    .filter(\.$nctID > after).sort(\.$nctID).limit(Self.batchSize).all()
                guard let last = records.last else { break }
                after = last.nctID
                let (updated, failed) = try await Self.reparse(records, reading: reading, catalog: catalog, on: db)
                lock.withLock { progress?.done += updated; progress?.failed += failed }
            }
        } catch {
            logger.warning("Re-reading stored eligibility criteria stopped", metadata: ["error": .string(String(describing: error))])
            lock.withLock { progress?.error = String(describing: error) }
        }
        lock.withLock { progress?.finished = Date() }
    }

    /// Parses one batch, stores the parses in one transaction and hands them to the index.
    static func reparse(_ records: [TrialRecord], reading: CriteriaReading, catalog: TrialCatalog, on db: any Database) async throws -> (updated: Int, failed: Int) {
        var parsed: [(TrialRecord, String, CriteriaReading.Parsed)] = []
        var failed = 0
        var byText: [String: CriteriaReading.Parsed] = [:]
        for record in records {
            do {
                let text = try StudyParser.reparse(raw: RawStudyCompression.decompress(record.raw)).eligibilityCriteria ?? ""
                let parse = try byText[text] ?? reading.parse(text)
                byText[text] = parse
                parsed.append((record, text, parse))
            } catch {
                failed += 1
            }
        }
        let batch = parsed
        try await db.transaction { db in
            for (record, _, parse) in batch {
                try await TrialRecord.query(on: db).filter(\.$id == record.requireID())
                    .set(\.$criteriaHash, to: parse.hash).set(\.$parserVersion, to: parse.version).set(\.$parsedCriteria, to: parse.stored)
                    .update()
            }
        }
        for (text, parse) in byText { catalog.updateCriteria(text: text, parsed: parse) }
        return (parsed.count, failed)
    }
}

extension Application {
    private struct CriteriaRefreshKey: StorageKey { typealias Value = CriteriaRefresh }

    public var criteriaRefresh: CriteriaRefresh {
        if let refresh = storage[CriteriaRefreshKey.self] { return refresh }
        let refresh = CriteriaRefresh()
        storage.set(CriteriaRefreshKey.self, to: refresh, onShutdown: { $0.cancel() })
        return refresh
    }
}
