import Fluent
import Foundation
import OncoTrials
import Vapor

/// The small sample of real ClinicalTrials.gov records bundled with the server, so a first
/// start shows real trials. It is imported only into an empty registry, labelled wherever
/// trials show, and removed when a sync or an import completes.
public enum RegistrySample {
    /// The bundled records (JSON lines, verbatim from the registry) and their manifest.
    static var directory: URL { ServerResources.directory.appendingPathComponent("RegistrySample") }
    static var recordsFile: URL { directory.appendingPathComponent("studies.jsonl") }

    struct Manifest: Decodable {
        /// When the records were retrieved from ClinicalTrials.gov (`YYYY-MM-DD`).
        let retrieved: String
    }

    /// The label pages show while the sample is what the registry holds.
    static func label(count: Int, retrieved: String) -> String {
        "Sample of \(count) ClinicalTrials.gov records retrieved \(retrieved) — not the live registry"
    }

    static func current(on db: any Database) async throws -> TrialSampleState? {
        try await TrialSampleState.query(on: db).first()
    }

    /// Imports the sample when the registry is empty and was never synced; returns the
    /// number of sample studies stored (0 when nothing was done).
    @discardableResult
    public static func importIfEmpty(app: Application) async throws -> Int {
        let db = app.db
        guard try await TrialRecord.query(on: db).count() == 0,
              try await current(on: db) == nil,
              try await TrialSyncState.query(on: db).filter(\.$lastCompleted != nil).count() == 0,
              FileManager.default.fileExists(atPath: recordsFile.path) else { return 0 }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        let stored = ChangedStudies()
        let summary = try await TrialImporter.run(.file(recordsFile), on: db, reading: app.trials.reading, onStored: { stored.insert($0.map(\.study.nctID)) })
        if summary.failed > 0 { app.logger.warning("Bundled sample records that could not be read", metadata: ["count": .stringConvertible(summary.failed)]) }
        let ids = stored.ids.sorted()
        guard !ids.isEmpty else { return 0 }
        try await TrialSampleState(nctIDs: ids, retrieved: manifest.retrieved).save(on: db)
        app.logger.info("Imported the bundled sample of registry records", metadata: ["studies": .stringConvertible(ids.count)])
        try await refreshNotice(app: app)
        return ids.count
    }

    /// Notes sample studies the live registry has sent: they stay when the sample is replaced.
    static func confirm(_ ids: Set<String>, state: TrialSampleState, on db: any Database) async throws {
        let merged = state.confirmed.union(ids)
        guard merged.count != state.confirmed.count else { return }
        state.confirmedIDs = merged.sorted().joined(separator: ",")
        try await state.save(on: db)
    }

    /// After a completed sync or import: deletes the sample studies that the real registry
    /// did not send (`keeping`, or confirmed earlier), and the sample's label.
    public static func replace(app: Application, keeping: Set<String>) async throws {
        let db = app.db
        guard let state = try await current(on: db) else { return }
        let remove = Array(Set(state.sampleIDs).subtracting(keeping).subtracting(state.confirmed))
        try await db.transaction { db in
            if !remove.isEmpty { try await TrialRecord.query(on: db).filter(\.$nctID ~~ remove).delete() }
            try await state.delete(on: db)
        }
        app.trials.remove(remove)
        app.registrySampleNotice.set(nil)
        app.logger.info("The bundled sample was replaced by the registry", metadata: ["removed": .stringConvertible(remove.count)])
    }

    /// Reads the label from the database (at start, and after the sample changed).
    public static func refreshNotice(app: Application) async throws {
        let state = try await current(on: app.db)
        app.registrySampleNotice.set(state.map { label(count: $0.sampleIDs.count, retrieved: $0.retrieved) })
    }
}

/// The sample label in memory, so every page can show it without a query.
public final class RegistrySampleNotice: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    public var label: String? { lock.withLock { text } }
    func set(_ label: String?) { lock.withLock { text = label } }
}

extension Application {
    private struct SampleNoticeKey: StorageKey { typealias Value = RegistrySampleNotice }

    /// "Sample of N ClinicalTrials.gov records …" while the bundled sample is the registry; nil otherwise.
    public var registrySampleNotice: RegistrySampleNotice {
        if let notice = storage[SampleNoticeKey.self] { return notice }
        let notice = RegistrySampleNotice()
        storage[SampleNoticeKey.self] = notice
        return notice
    }
}
