import Fluent
import Foundation
import OncoTrials

/// Imports registry records into the database: upsert by NCT ID, skipping records whose
/// last-update date is not newer; bad records are reported and skipped, never fatal. Each
/// stored study's eligibility criteria are parsed here, once, and stored with it.
///
/// The reader is synchronous and streams from disk; it runs on its own thread and hands
/// batches over a bounded channel, so memory stays flat however large the archive is.
public enum TrialImporter {
    public static let batchSize = 200

    /// A study as stored, with its parsed criteria (for the index, so they are not parsed again).
    public struct Stored: Sendable {
        public let study: Study
        public let criteria: [Criterion]
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
    static func store(_ studies: [ImportedStudy], summary: inout ImportSummary, reading: CriteriaReading, on db: any Database) async throws -> [Stored] {
        guard !studies.isEmpty else { return [] }
        // Within one batch the same NCT ID may appear twice; the later record wins.
        var latest: [String: ImportedStudy] = [:]
        for study in studies { latest[study.nctID] = study }
        let ids = Array(latest.keys)
        let existing = try await TrialRecord.query(on: db).filter(\.$nctID ~~ ids).all()
        let byID = Dictionary(existing.map { ($0.nctID, $0) }, uniquingKeysWith: { first, _ in first })
        var changed: [ImportedStudy] = []
        var toSave: [TrialRecord] = []
        var counted = Set<String>()
        let classifier = ModalityClassifier()
        for study in studies {
            guard latest[study.nctID].map({ $0.position == study.position }) ?? false else {
                summary.record(.unchanged)   // superseded by a later copy in the same batch
                continue
            }
            let record = byID[study.nctID]
            let outcome = ImportSummary.outcome(stored: record?.lastUpdate.flatMap(RegistryDate.init), incoming: study.lastUpdate, exists: record != nil)
            summary.record(outcome)
            guard outcome != .unchanged, counted.insert(study.nctID).inserted else { continue }
            let target = record ?? TrialRecord()
            target.nctID = study.nctID
            target.lastUpdate = study.lastUpdate?.description
            toSave.append(target)
            changed.append(study)
        }
        // Parsing criteria, compressing and classifying are the costly part of storing; spread
        // them over the cores (each record is independent). A text shared by several studies
        // of the batch is parsed once.
        let prepared = changed
        let targets = toSave
        var firstWithText: [String: Int] = [:]
        var textOwner: [Int] = []
        for (index, study) in prepared.enumerated() {
            let text = study.study.eligibilityCriteria ?? ""
            if let owner = firstWithText[text] { textOwner.append(owner) } else { firstWithText[text] = index; textOwner.append(index) }
        }
        let owners = textOwner
        let parses = ConcurrentSlots<CriteriaReading.Parsed>(count: prepared.count)
        let failures = ConcurrentFailures()
        DispatchQueue.concurrentPerform(iterations: prepared.count) { index in
            do {
                if owners[index] == index { parses.set(index, try reading.parse(prepared[index].study.eligibilityCriteria ?? "")) }
                targets[index].fill(from: prepared[index].study, classifier: classifier)
                targets[index].raw = try RawStudyCompression.compress(prepared[index].raw)
            } catch {
                failures.record(error)
            }
        }
        if let error = failures.first { throw error }
        var stored: [Stored] = []
        stored.reserveCapacity(prepared.count)
        for index in prepared.indices {
            guard let parsed = parses[owners[index]] else { continue }
            targets[index].store(parsed)
            stored.append(Stored(study: prepared[index].study, criteria: parsed.criteria))
        }
        // New studies go in as one multi-row INSERT; changed ones are updated one by one.
        let inserts = toSave.filter { $0.id == nil }
        let updates = toSave.filter { $0.id != nil }
        try await db.transaction { db in
            if !inserts.isEmpty { try await inserts.create(on: db) }
            for record in updates { try await record.save(on: db) }
        }
        return stored
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
