import Fluent
import Foundation
import OncoTrials

/// Reading stored studies back.
enum TrialStore {
    static func study(nctID: String, on db: any Database) async throws -> (TrialRecord, Study)? {
        guard let record = try await TrialRecord.query(on: db).filter(\.$nctID == nctID.uppercased()).first() else { return nil }
        let study = try StudyParser.reparse(raw: RawStudyCompression.decompress(record.raw))
        return (record, study)
    }

    /// Re-runs the parser over every stored raw record (after the model improved), criteria included.
    static func reparseAll(on db: any Database, reading: CriteriaReading) async throws -> (ok: Int, failed: [String]) {
        var ok = 0
        var failed: [String] = []
        var offset = 0
        let classifier = ModalityClassifier()
        while true {
            let records = try await TrialRecord.query(on: db).sort(\.$nctID).range(offset..<(offset + 500)).all()
            if records.isEmpty { break }
            for record in records {
                do {
                    let study = try StudyParser.reparse(raw: RawStudyCompression.decompress(record.raw))
                    record.fill(from: study, classifier: classifier)
                    record.store(try reading.parse(study.eligibilityCriteria ?? ""))
                    try await record.save(on: db)
                    ok += 1
                } catch {
                    failed.append("\(record.nctID): \(error)")
                }
            }
            offset += records.count
        }
        return (ok, failed)
    }
}
