import Fluent
import Foundation
import OncoTrials
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Eligibility criteria are parsed once, at import, stored with the study and read back at
/// start; a parse of another parser version is re-read in the background (issue 16).
@Suite struct StoredCriteriaTests {
    /// The first real studies of the shared registry sample, as a file of their own.
    static func sample(_ count: Int) throws -> URL? {
        guard TrialPageTests.available else { return nil }
        let lines = try String(contentsOf: TrialPageTests.oncologyStudies, encoding: .utf8).split(separator: "\n").prefix(count)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-sample-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Imports the first 25 real studies through the importer, as an upload would.
    static func importSample(_ app: Application) async throws -> ImportSummary {
        let file = try #require(try sample(25))
        defer { try? FileManager.default.removeItem(at: file) }
        return try await TrialImporter.run(.file(file), on: app.db, reading: app.trials.reading)
    }

    static func stored(_ app: Application) async throws -> [(TrialRecord, Study)] {
        try await TrialRecord.query(on: app.db).sort(\.$nctID).all().map { record in
            (record, try StudyParser.reparse(raw: RawStudyCompression.decompress(record.raw)))
        }
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func importStoresEachStudysParseWithTheTextHashAndParserVersion() async throws {
        try await withTestApp { app in
            let summary = try await Self.importSample(app)
            #expect(summary.new == 25, "\(testDatabaseName)")
            let reading = app.trials.reading
            for (record, study) in try await Self.stored(app) {
                let text = study.eligibilityCriteria ?? ""
                #expect(record.criteriaHash == CriteriaReading.hash(text))
                #expect(record.parserVersion == reading.version)
                let parsed = try #require(reading.stored(record, text: text))
                #expect(parsed == reading.parser.parse(text), "\(record.nctID)")
            }
        }
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func aStartReadsTheStoredParsesAndParsesNothing() async throws {
        try await withTestApp { app in
            _ = try await Self.importSample(app)
            // when the index is built from the database, as at a server start
            try await OncoNavApp.loadTrialIndex(app, refreshStaleCriteria: true)
            await app.criteriaRefresh.wait()
            // then every parse came from storage and nothing needed re-reading
            #expect(app.trials.parsesRun == 0)
            #expect(app.trials.lastLoad.current == 25 && app.trials.lastLoad.stale == 0 && app.trials.lastLoad.missing == 0)
            #expect(app.criteriaRefresh.status == nil)
            for (record, study) in try await Self.stored(app) {
                #expect(app.trials.matching.criteria(nctID: record.nctID) == app.trials.reading.parser.parse(study.eligibilityCriteria ?? ""))
            }
        }
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func parsesOfAnotherParserVersionAreReReadInTheBackground() async throws {
        try await withTestApp { app in
            _ = try await Self.importSample(app)
            // given parses stored by an older parser (here: one that found no criteria)
            let empty = try RawStudyCompression.compress(StoredCriteria.encode([]))
            try await TrialRecord.query(on: app.db).set(\.$parserVersion, to: "0-older").set(\.$parsedCriteria, to: empty).update()
            // when the server starts
            try await OncoNavApp.loadTrialIndex(app, refreshStaleCriteria: true)
            #expect(app.trials.lastLoad.stale == 25)
            await app.criteriaRefresh.wait()
            // then the stale parses were re-read in the background, stored, and the index updated
            let progress = try #require(app.criteriaRefresh.status)
            #expect(progress.total == 25 && progress.done == 25 && progress.failed == 0 && progress.finished != nil)
            #expect(app.trials.parsesRun == 0)
            let reading = app.trials.reading
            var criteriaSeen = 0
            for (record, study) in try await Self.stored(app) {
                let fresh = reading.parser.parse(study.eligibilityCriteria ?? "")
                criteriaSeen += fresh.count
                #expect(record.parserVersion == reading.version)
                #expect(reading.stored(record, text: study.eligibilityCriteria ?? "") == fresh)
                #expect(app.trials.matching.criteria(nctID: record.nctID) == fresh)
            }
            #expect(criteriaSeen > 100)
            // and the admin's import page says so
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            let page = try await admin.get("/admin/trials/import")
            #expect(page.text.contains("re-read with parser version \(reading.version): 25 of 25 studies"), "\(page.text)")
        }
    }
}
