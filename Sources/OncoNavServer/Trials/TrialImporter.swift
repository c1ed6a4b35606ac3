import Fluent
import Foundation
import OncoTrials
import SQLKit
import Vapor

/// Imports registry records into the database: upsert by NCT ID, skipping records whose
/// last-update date is not newer; bad records are reported and skipped, never fatal. Each
/// stored study's eligibility criteria are parsed here, once, and stored with it.
///
/// The reader is synchronous and streams from disk; it runs on its own thread and hands
/// batches over a bounded channel, so memory stays flat however large the archive is.
public enum TrialImporter {
    /// Studies per transaction (and per multi-row statement: 500 × 13 values stays under
    /// SQLite's and PostgreSQL's limits on bound parameters).
    public static let batchSize = 500

    /// A study as stored, with its parsed criteria (for the index, so they are not parsed again).
    public struct Stored: Sendable {
        public let study: Study
        public let criteria: [Criterion]
        /// The parse as stored (hash, version, compressed form), for the index.
        let parsed: CriteriaReading.Parsed
    }

    public static func run(
        _ source: StudyImportReader.Source,
        on db: any Database,
        reading: CriteriaReading,
        progress: (@Sendable (_ records: Int, _ bytes: Int64) -> Void)? = nil,
        onStored: (@Sendable ([Stored]) -> Void)? = nil
    ) async throws -> ImportSummary {
        let reader = StudyImportReader(source: source)
        let channel = BoundedBatches()
        let thread = Thread {
            var batch: [StudyImportRecord] = []
            do {
                _ = try reader.read { record in
                    batch.append(record)
                    if batch.count >= batchSize { channel.send(batch); batch = [] }
                }
                if !batch.isEmpty { channel.send(batch) }
                channel.finish(nil)
            } catch {
                if !batch.isEmpty { channel.send(batch) }
                channel.finish(error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()

        var summary = ImportSummary()
        var seen = 0
        var bytes: Int64 = 0
        for await batch in channel.stream {
            var studies: [ImportedStudy] = []
            for record in batch {
                switch record {
                case .study(let study):
                    studies.append(study)
                    bytes = max(bytes, study.position.byteOffset)
                case .failure(let failure):
                    summary.record(failure)
                    bytes = max(bytes, failure.position.byteOffset)
                }
            }
            let stored = try await store(studies, summary: &summary, reading: reading, on: db)
            channel.consumed()
            seen += batch.count
            progress?(seen, bytes)
            if !stored.isEmpty { onStored?(stored) }
        }
        if let error = channel.error { throw error }
        return summary
    }

    /// Writes one batch in a transaction; returns the studies that were new or newer.
    ///
    /// The hot path is plain SQL: one indexed read of the batch's stored last-update dates,
    /// then one multi-row `INSERT … ON CONFLICT (nct_id) DO UPDATE` for every new or newer
    /// study (the same statement on SQLite and PostgreSQL).
    static func store(_ studies: [ImportedStudy], summary: inout ImportSummary, reading: CriteriaReading, on db: any Database) async throws -> [Stored] {
        guard !studies.isEmpty else { return [] }
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "Importing trials needs an SQL database.") }
        // Within one batch the same NCT ID may appear twice; the later record wins.
        var latest: [String: ImportedStudy] = [:]
        for study in studies { latest[study.nctID] = study }
        let storedDates = try await lastUpdates(of: Array(latest.keys), on: sql)
        var changed: [ImportedStudy] = []
        var counted = Set<String>()
        for study in studies {
            guard latest[study.nctID].map({ $0.position == study.position }) ?? false else {
                summary.record(.unchanged)   // superseded by a later copy in the same batch
                continue
            }
            let stored = storedDates[study.nctID]
            let outcome = ImportSummary.outcome(stored: stored.flatMap { $0.flatMap(RegistryDate.init) }, incoming: study.lastUpdate, exists: stored != nil)
            summary.record(outcome)
            guard outcome != .unchanged, counted.insert(study.nctID).inserted else { continue }
            changed.append(study)
        }
        let rows = try prepare(changed, reading: reading)
        guard !rows.isEmpty else { return [] }
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            try await upsert(rows, on: sql)
        }
        return rows.map { Stored(study: $0.study.study, criteria: $0.parsed.criteria, parsed: $0.parsed) }
    }

    /// The stored last-update date of each of these NCT IDs that is stored (nil: stored without one).
    static func lastUpdates(of ids: [String], on sql: any SQLDatabase) async throws -> [String: String?] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("nct_id", "last_update").from(TrialRecord.schema)
            .where(SQLIdentifier("nct_id"), .in, SQLGroupExpression(ids.map { SQLBind($0) })).all()
        var dates: [String: String?] = [:]
        for row in rows { dates[try row.decode(column: "nct_id", as: String.self)] = try row.decode(column: "last_update", as: String?.self) }
        return dates
    }

    /// One study ready to write: its listing columns, compressed record and parse.
    struct Row: Sendable {
        let study: ImportedStudy
        let columns: TrialColumns
        let raw: Data
        let parsed: CriteriaReading.Parsed
    }

    /// Parsing criteria, compressing and classifying are the costly part of storing; they
    /// run on every core (each record is independent). A text shared by several studies of
    /// the batch is parsed once.
    static func prepare(_ studies: [ImportedStudy], reading: CriteriaReading) throws -> [Row] {
        var firstWithText: [String: Int] = [:]
        var owners: [Int] = []
        for (index, study) in studies.enumerated() {
            let text = study.study.eligibilityCriteria ?? ""
            if let owner = firstWithText[text] { owners.append(owner) } else { firstWithText[text] = index; owners.append(index) }
        }
        let classifier = ModalityClassifier()
        let parses = ConcurrentSlots<CriteriaReading.Parsed>(count: studies.count)
        let prepared = ConcurrentSlots<(TrialColumns, Data)>(count: studies.count)
        let failures = ConcurrentFailures()
        let owned = owners
        DispatchQueue.concurrentPerform(iterations: studies.count) { index in
            do {
                let study = studies[index]
                if owned[index] == index { parses.set(index, try reading.parse(study.study.eligibilityCriteria ?? "")) }
                prepared.set(index, (TrialColumns(study.study, nctID: study.nctID, classifier: classifier), try RawStudyCompression.compress(study.raw)))
            } catch {
                failures.record(error)
            }
        }
        if let error = failures.first { throw error }
        return studies.indices.compactMap { index in
            guard let parsed = parses[owners[index]], let (columns, raw) = prepared[index] else { return nil }
            return Row(study: studies[index], columns: columns, raw: raw, parsed: parsed)
        }
    }

    static let columns = ["id", "nct_id", "last_update", "title", "overall_status", "phases", "conditions", "modalities", "raw",
                          "criteria_hash", "parser_version", "parsed_criteria", "imported_at"]

    /// One multi-row upsert by NCT ID: a new study is inserted, a stored one replaced in
    /// place (keeping its id).
    static func upsert(_ rows: [Row], on sql: any SQLDatabase) async throws {
        let now = Date()
        var insert = sql.insert(into: TrialRecord.schema).columns(columns)
        for row in rows {
            let values: [any Encodable & Sendable] = [
                UUID(), row.study.nctID, row.study.lastUpdate?.description, row.columns.title, row.columns.overallStatus, row.columns.phases,
                row.columns.conditions, row.columns.modalities, row.raw, row.parsed.hash, row.parsed.version, row.parsed.stored, now,
            ]
            insert = insert.values(values)
        }
        try await insert.onConflict(with: ["nct_id"]) { update in
            columns.dropFirst(2).reduce(update) { $0.set(excludedValueOf: $1) }
        }.run()
    }
}

/// A bounded hand-over from the reader thread to the async importer: the reader blocks
/// when a few batches are waiting, so a slow database never lets memory grow.
final class BoundedBatches: @unchecked Sendable {
    let stream: AsyncStream<[StudyImportRecord]>
    private let continuation: AsyncStream<[StudyImportRecord]>.Continuation
    private let slots = DispatchSemaphore(value: 4)
    private let lock = NSLock()
    private var failure: (any Error)?

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: [StudyImportRecord].self, bufferingPolicy: .unbounded)
    }

    func send(_ batch: [StudyImportRecord]) {
        slots.wait()
        continuation.yield(batch)
    }

    func consumed() { slots.signal() }

    func finish(_ error: (any Error)?) {
        lock.withLock { failure = error }
        continuation.finish()
    }

    var error: (any Error)? { lock.withLock { failure } }
}

/// One result per index from concurrent work.
final class ConcurrentSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Value) { lock.withLock { values[index] = value } }
    subscript(index: Int) -> Value? { lock.withLock { values[index] } }
}

/// Collects the first error from concurrent work.
final class ConcurrentFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func record(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }
    var first: (any Error)? { lock.withLock { error } }
}
