import Fluent
import Foundation
import Vapor

/// Measures the records path end to end as a person experiences it: a case's files stored
/// (encrypted) and read by the background worker until every document is settled, with
/// OCR where needed. `onconav bench upload` prints the figures.
public struct UploadBenchmarkResult: Sendable {
    public struct Run: Sendable {
        public let seconds: Double
        public let documents: [(fileName: String, status: String, facts: Int, usedOCR: Bool)]
    }
    public let runs: [Run]

    public var medianSeconds: Double {
        let sorted = runs.map(\.seconds).sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

extension OncoNavApp {
    public static func benchmarkUpload(_ app: Application, files: [URL], runs: Int) async throws -> UploadBenchmarkResult {
        let contents = try files.map { ($0.lastPathComponent, try Data(contentsOf: $0)) }
        let user = User(email: "bench-\(UUID().uuidString.prefix(8))@example.invalid", passwordHash: "!", role: .patient, displayName: "Benchmark (synthetic)")
        try await user.save(on: app.db)
        var results: [UploadBenchmarkResult.Run] = []
        for run in 0..<max(runs, 1) {
            let record = CaseRecord(ownerID: try user.requireID(), navigatorID: nil, title: "Benchmark run \(run + 1) (synthetic)")
            try await record.save(on: app.db)
            let caseID = try record.requireID()
            let start = ContinuousClock.now
            for (name, data) in contents {
                let outcome = try await DocumentIntake.store(app, on: app.db, caseID: caseID, fileName: name, declaredType: nil,
                                                             data: data, uploaderID: user.id, now: app.clock.now())
                if case .rejected(_, let reason) = outcome { throw Abort(.badRequest, reason: "\(name): \(reason)") }
            }
            while true {
                await app.documentWorker.runDue()
                let documents = try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).all()
                if documents.allSatisfy(\.status.isSettled) { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let elapsed = ContinuousClock.now - start
            let documents = try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt).all()
            results.append(.init(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                 documents: documents.map { ($0.fileName, $0.status.rawValue, $0.factCount ?? 0, $0.usedOCR ?? false) }))
            try await CaseDeletion.delete(record, on: app.db, app: app)
        }
        try await user.delete(on: app.db)
        return UploadBenchmarkResult(runs: results)
    }
}
