import Fluent
import Foundation
import OncoTrials
import Testing
import Vapor
@testable import OncoNavServer

/// The batched importer keeps the upsert rules: a newer record replaces the stored one, an
/// older or equal one is skipped, a broken one is reported and the rest still stored — on
/// SQLite and on PostgreSQL (`ONCONAV_TEST_DATABASE_URL`) alike (issue 16).
@Suite struct TrialBulkImportTests {
    /// Real studies with the title and last-update date set.
    static func file(_ studies: [(index: Int, title: String, date: String)], extraLines: [String] = []) throws -> URL? {
        guard TrialPageTests.available else { return nil }
        let lines = try String(contentsOf: TrialPageTests.oncologyStudies, encoding: .utf8).split(separator: "\n").map(String.init)
        var out: [String] = []
        for study in studies {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(lines[study.index].utf8)) as? [String: Any])
            var section = object["protocolSection"] as? [String: Any] ?? [:]
            var identification = section["identificationModule"] as? [String: Any] ?? [:]
            identification["briefTitle"] = study.title
            section["identificationModule"] = identification
            var status = section["statusModule"] as? [String: Any] ?? [:]
            status["lastUpdatePostDateStruct"] = ["date": study.date, "type": "ACTUAL"]
            section["statusModule"] = status
            object["protocolSection"] = section
            out.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-upsert-\(UUID().uuidString).jsonl")
        try (out + extraLines).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func titles(_ app: Application) async throws -> [String: String] {
        Dictionary(try await TrialRecord.query(on: app.db).all().map { ($0.nctID, $0.title) }, uniquingKeysWith: { first, _ in first })
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func aNewerRecordReplacesAnOlderOneIsSkippedABrokenOneIsReported() async throws {
        try await withTestApp { app in
            // given three stored studies
            let first = try #require(try Self.file([(0, "first A", "2024-06-01"), (1, "first B", "2024-06-01"), (2, "first C", "2024-06-01")]))
            defer { try? FileManager.default.removeItem(at: first) }
            let initial = try await TrialImporter.run(.file(first), on: app.db, reading: app.trials.reading)
            #expect(initial.new == 3 && initial.failed == 0, "\(testDatabaseName)")
            let before = try await Self.titles(app)
            let ids = before.keys.sorted()
            #expect(ids.count == 3)
            // when a file brings A newer, B older, C the same date, a broken record and a new study
            let second = try #require(try Self.file([(0, "newer A", "2024-07-01"), (1, "older B", "2024-05-01"), (2, "same C", "2024-06-01"), (3, "new D", "2024-01-01")],
                                                    extraLines: [#"{"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": 7}}}"#]))
            defer { try? FileManager.default.removeItem(at: second) }
            let summary = try await TrialImporter.run(.file(second), on: app.db, reading: app.trials.reading)
            // then only A is replaced, B and C are kept, D is added and the broken one reported
            #expect(summary.updated == 1 && summary.unchanged == 2 && summary.new == 1 && summary.failed == 1, "\(summary) on \(testDatabaseName)")
            #expect(summary.failures.first?.nctID == "NCT09999999")
            let after = try await Self.titles(app)
            #expect(after.count == 4)
            #expect(after.values.contains("newer A") && after.values.contains("first B") && after.values.contains("first C") && after.values.contains("new D"))
            #expect(!after.values.contains("older B") && !after.values.contains("same C"))
            // and the replaced study carries its new parse and date
            let replaced = try #require(try await TrialRecord.query(on: app.db).filter(\.$title == "newer A").first())
            #expect(replaced.lastUpdate == "2024-07-01")
            #expect(replaced.parserVersion == app.trials.reading.version && replaced.criteriaHash != nil && replaced.parsedCriteria != nil)
        }
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func theSameStudyTwiceInOneFileKeepsTheLaterCopy() async throws {
        try await withTestApp { app in
            let file = try #require(try Self.file([(0, "earlier copy", "2024-06-01"), (0, "later copy", "2024-06-01")]))
            defer { try? FileManager.default.removeItem(at: file) }
            let summary = try await TrialImporter.run(.file(file), on: app.db, reading: app.trials.reading)
            #expect(summary.new == 1 && summary.unchanged == 1, "\(summary)")
            #expect(Array(try await Self.titles(app).values) == ["later copy"])
        }
    }
}
