import Fluent
import Foundation
import OncoKnowledge
import OncoMatch
import OncoTrials
import SQLKit
import Vapor

/// Building the index at start: from the snapshot file when it was written for the registry
/// as it is stored now, else from the `trials` table (streamed in pages of the columns the
/// index needs, decoded on every core), after which the snapshot is written for next time.
extension TrialCatalog {
    static let loadPageSize = 1_000

    /// Loads the index. With `snapshot`, a snapshot that fits the stored registry is read
    /// instead of the table, and one is written after a load from the table.
    func load(from db: any Database, logger: Logger, snapshot: URL? = nil) async throws {
        let clock = Date()
        progress(loaded: 0, total: nil, source: nil)
        do {
            let fingerprint = try await TrialRegistryFingerprint.current(on: db, reading: reading)
            if let snapshot, let loaded = readSnapshot(snapshot, fingerprint: fingerprint, logger: logger) {
                finishLoading(loaded, source: .snapshot, seconds: Date().timeIntervalSince(clock))
                logger.info("Trial index read from the snapshot", metadata: ["studies": .stringConvertible(loaded.studies), "seconds": .string(String(format: "%.1f", Date().timeIntervalSince(clock)))])
                return
            }
            let report = try await loadFromDatabase(db, expected: fingerprint.studies)
            finishLoading(report, source: .database, seconds: Date().timeIntervalSince(clock))
            if report.unreadable > 0 { logger.warning("Stored trials that could not be read", metadata: ["count": .stringConvertible(report.unreadable)]) }
            logger.info("Trial index built from the database", metadata: ["studies": .stringConvertible(report.studies), "seconds": .string(String(format: "%.1f", Date().timeIntervalSince(clock)))])
            if let snapshot {
                // The fingerprint taken before reading: a write during the load makes the
                // snapshot stale (rebuilt next time), never wrong.
                do { try write(snapshot: snapshot, fingerprint: fingerprint.text, logger: logger) } catch {
                    logger.warning("Trial index snapshot not written", metadata: ["error": .string(String(describing: error))])
                }
            }
        } catch {
            setState(.failed(String(describing: error)))
            throw error
        }
    }

    private func readSnapshot(_ url: URL, fingerprint: TrialRegistryFingerprint, logger: Logger) -> LoadReport? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        var fresh = emptyCatalog()
        do {
            progress(loaded: 0, total: fingerprint.studies, source: .snapshot)
            let appendix = try fresh.readSnapshot(from: url, fingerprint: fingerprint.text)
            var facilities: [String: Set<String>] = [:]
            for (name, ids) in appendix { facilities[name] = Set(ids) }
            replace(with: fresh, facilities: facilities)
            var report = LoadReport()
            report.studies = fresh.count
            report.current = fingerprint.current
            report.stale = max(0, fresh.count - fingerprint.current)
            return report
        } catch {
            logger.info("Trial index snapshot not used; building from the database", metadata: ["reason": .string(String(describing: error))])
            return nil
        }
    }

    /// Writes the current index to `snapshot` for the registry state `fingerprint`.
    func write(snapshot: URL, fingerprint: String, logger: Logger) throws {
        let (copy, facilities) = contents
        let clock = Date()
        let bytes = try copy.writeSnapshot(to: snapshot, fingerprint: fingerprint, appendix: facilities.mapValues { $0.sorted() })
        logger.info("Trial index snapshot written", metadata: ["studies": .stringConvertible(copy.count), "megabytes": .stringConvertible(bytes >> 20), "seconds": .string(String(format: "%.1f", Date().timeIntervalSince(clock)))])
    }

    /// One stored study as the index needs it.
    struct StoredRow: Sendable {
        var raw: Data
        var modalities: String
        var criteriaHash: String?
        var parserVersion: String?
        var parsedCriteria: Data?
    }

    /// Reads the table in NCT ID order, one page at a time (keyset paging: every page costs
    /// the same however deep), decoding each page's studies on all cores.
    private func loadFromDatabase(_ db: any Database, expected: Int) async throws -> LoadReport {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "The trial index needs an SQL database.") }
        var report = LoadReport()
        var after = ""
        progress(loaded: 0, total: expected, source: .database)
        while true {
            let rows = try await sql.select()
                .columns("nct_id", "raw", "modalities", "criteria_hash", "parser_version", "parsed_criteria")
                .from(TrialRecord.schema)
                .where("nct_id", .greaterThan, after)
                .orderBy("nct_id")
                .limit(Self.loadPageSize)
                .all()
            guard let last = rows.last else { break }
            after = try last.decode(column: "nct_id", as: String.self)
            let page = try rows.map { row in
                StoredRow(raw: try row.decode(column: "raw", as: Data.self), modalities: try row.decode(column: "modalities", as: String.self),
                          criteriaHash: try row.decode(column: "criteria_hash", as: String?.self),
                          parserVersion: try row.decode(column: "parser_version", as: String?.self),
                          parsedCriteria: try row.decode(column: "parsed_criteria", as: Data?.self))
            }
            let decoded = Self.decode(page)
            var studies: [(Study, Set<TherapyModality>?, StoredParse)] = []
            studies.reserveCapacity(decoded.count)
            for (row, item) in zip(page, decoded) {
                guard let (study, stored) = item else { report.unreadable += 1; continue }
                report.studies += 1
                if row.parsedCriteria == nil { report.missing += 1 } else if row.parserVersion == reading.version { report.current += 1 } else { report.stale += 1 }
                let modalities = Set(row.modalities.split(separator: ",").compactMap { TherapyModality(rawValue: String($0)) })
                studies.append((study, modalities, stored))
            }
            add(studies, fromLoad: true)
            progress(loaded: report.studies, total: expected, source: .database)
        }
        return report
    }

    /// Decompresses and decodes a page of rows concurrently; nil for a row that cannot be read.
    /// A study without a stored parse gets an empty one (no criteria until re-read).
    static func decode(_ page: [StoredRow]) -> [(Study, StoredParse)?] {
        let results = ConcurrentSlots<(Study, StoredParse)>(count: page.count)
        DispatchQueue.concurrentPerform(iterations: page.count) { index in
            let row = page[index]
            guard let study = try? StudyParser.reparse(raw: RawStudyCompression.decompress(row.raw)) else { return }
            let text = study.eligibilityCriteria ?? ""
            let empty = try? RawStudyCompression.compress(StoredCriteria.encode([]))
            guard let criteria = row.parsedCriteria ?? empty,
                  let stored = try? StoredParse(key: row.criteriaHash ?? "missing:\(study.nctID)", text: text, criteria: criteria) else { return }
            results.set(index, (study, stored))
        }
        return (0..<page.count).map { results[$0] }
    }
}

extension CriteriaReading.Parsed {
    /// The parse in the form the index keeps it.
    func storedParse(text: String) throws -> StoredParse {
        try StoredParse(key: hash, text: text, criteria: stored)
    }
}

/// What the stored registry looks like, in a few indexed aggregates: how many studies, the
/// latest write, how many carry a parse of the current parser version. A snapshot is used
/// only when it was written for exactly this; any import, update, deletion or re-read
/// changes one of them.
struct TrialRegistryFingerprint: Sendable, Equatable {
    var studies: Int
    var current: Int
    var latestWrite: String
    var version: String

    var text: String { "trials=\(studies);current=\(current);latest=\(latestWrite);parser=\(version)" }

    static func current(on db: any Database, reading: CriteriaReading) async throws -> Self {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "The trial index needs an SQL database.") }
        let studies = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(TrialRecord.schema).first()?.decode(column: "n", as: Int.self) ?? 0
        let current = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(TrialRecord.schema)
            .where("parser_version", .equal, reading.version).first()?.decode(column: "n", as: Int.self) ?? 0
        let latest = try await sql.raw("SELECT CAST(MAX(imported_at) AS TEXT) AS latest FROM \(ident: TrialRecord.schema)").first()?
            .decode(column: "latest", as: String?.self) ?? nil
        return Self(studies: studies, current: current, latestWrite: latest ?? "none", version: reading.version)
    }
}

/// Writes the index snapshot after changes, once they have settled (an import writes many
/// batches): a quiet period, then the registry's fingerprint, the copy, the file, and the
/// fingerprint again — if the registry moved meanwhile, the file is discarded and the
/// write tried again later, so a snapshot never claims a state it does not hold.
final class TrialSnapshotWriter: @unchecked Sendable {
    let url: URL
    let quietPeriod: Duration
    private let db: any Database
    private let logger: Logger
    private weak var catalog: TrialCatalog?
    private let lock = NSLock()
    private var generation = 0
    private var pending: Task<Void, Never>?

    init(url: URL, catalog: TrialCatalog, db: any Database, logger: Logger, quietPeriod: Duration = .seconds(10)) {
        self.url = url
        self.catalog = catalog
        self.db = db
        self.logger = logger
        self.quietPeriod = quietPeriod
    }

    /// The index changed: write the snapshot after the next quiet period.
    func changed() {
        lock.withLock {
            generation += 1
            let mine = generation
            pending?.cancel()
            pending = Task.detached(priority: .background) { [weak self] in
                guard let self else { return }
                try? await Task.sleep(for: self.quietPeriod)
                guard !Task.isCancelled, self.lock.withLock({ self.generation == mine }) else { return }
                await self.writeNow()
            }
        }
    }

    /// Writes the snapshot now (when the index is loaded); true when written.
    @discardableResult
    func writeNow() async -> Bool {
        guard let catalog, !catalog.isLoading else { return false }
        do {
            let before = try await TrialRegistryFingerprint.current(on: db, reading: catalog.reading)
            try catalog.write(snapshot: url, fingerprint: before.text, logger: logger)
            let after = try await TrialRegistryFingerprint.current(on: db, reading: catalog.reading)
            guard before == after else {
                try? FileManager.default.removeItem(at: url)
                changed()
                return false
            }
            return true
        } catch {
            logger.warning("Trial index snapshot not written", metadata: ["error": .string(String(describing: error))])
            return false
        }
    }

    /// Waits for a scheduled write (shutdown and tests).
    func settle() async {
        let task = lock.withLock { pending }
        await task?.value
    }

    func cancel() { lock.withLock { pending }?.cancel() }
}

/// Stops a scheduled snapshot write when the application shuts down (the database goes away).
struct TrialSnapshotLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        application.trials.snapshots?.cancel()
    }
}
