import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The bundled sample of real registry records: imported on a first start into an empty
/// registry, labelled wherever trials show, replaced by the first completed sync or import.
@Suite struct RegistrySampleTests {
    static var sampleIDs: Set<String> {
        RegistrySyncTests.readableIDs((try? RegistryReplayServer.lines(of: RegistrySample.recordsFile)) ?? [])
    }
    static let labelStart = "Sample of "

    @Test func theBundledSampleIsRealCellAndGeneTherapyRecordsWithTheirSources() throws {
        let ids = Self.sampleIDs
        #expect(ids.count >= 30)
        let readme = try String(contentsOf: RegistrySample.directory.appendingPathComponent("README.md"), encoding: .utf8)
        for id in ids { #expect(readme.contains(id), "\(id) has no source line in the README") }
        #expect(readme.contains(" @ ") && readme.contains("retrieved"))
    }

    @Test func aFreshAppOnAnEmptyDatabaseHasTheSampleTrialsLabelled() async throws {
        try await withTestApp { app in
            // when: the start-up the server runs
            try await OncoNavApp.startRegistry(app)
            // then
            let expected = Self.sampleIDs
            #expect(Set(try await TrialRecord.query(on: app.db).all().map(\.nctID)) == expected)
            let label = try #require(app.registrySampleNotice.label)
            #expect(label == "Sample of \(expected.count) ClinicalTrials.gov records retrieved 2023-11-08 to 2026-08-01 — not the live registry")
            let browser = TestBrowser(app)
            let search = try await browser.get("/trials?q=CAR-T")
            #expect(search.text.contains("Sample of \(expected.count) ClinicalTrials.gov records retrieved"))
            let nct = try #require(search.text.firstMatch(of: /\/trials\/(NCT\d{8})/).map { String($0.output.1) })
            #expect(expected.contains(nct))
            let trial = try await browser.get("/trials/\(nct)")
            #expect(trial.text.contains("Sample of \(expected.count) ClinicalTrials.gov records retrieved"))
            let api = try await app.testing().sendRequest(.GET, "/api/v1/trials?q=CAR-T")
            #expect(api.text.contains("sampleNotice") && api.text.contains("Sample of \(expected.count) ClinicalTrials.gov records"))
            // A second start imports nothing more.
            try await OncoNavApp.startRegistry(app)
            #expect(try await TrialRecord.query(on: app.db).count() == expected.count)
        }
    }

    @Test func aCaseOptionsPageSaysItsTrialsComeFromTheSample() async throws {
        try await withTestApp { app in
            try await OncoNavApp.startRegistry(app)
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            let page = try await patient.get("/cases/\(caseID)/options")
            #expect(page.status == .ok)
            let trials = try #require(page.text.components(separatedBy: "id=\"trials-heading\"").last)
            #expect(trials.contains("Sample of \(Self.sampleIDs.count) ClinicalTrials.gov records retrieved"))
        }
    }

    @Test func anAnswerNamingTrialsSaysTheyComeFromTheSample() async throws {
        try await withTestApp { app in
            try await OncoNavApp.startRegistry(app)
            let page = try await app.testing().sendRequest(.GET, "/ask?q=Are%20there%20recruiting%20TIL%20trials%20for%20melanoma%3F")
            #expect(page.status == .ok)
            let text = page.body.getString(at: page.body.readerIndex, length: page.body.readableBytes) ?? ""
            // The trials paragraph (when the answer has one) carries the sample's label.
            if text.contains("trial index lists") {
                #expect(text.contains("Sample of \(Self.sampleIDs.count) ClinicalTrials.gov records retrieved"))
            } else {
                Issue.record("the answer has no trials section: \(text.prefix(2000))")
            }
        }
    }

    @Test func anImportReplacesTheSampleAndRemovesItsLabel() async throws {
        try await withTestApp { app in
            try await OncoNavApp.startRegistry(app)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-sample-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("one.json")
            try Data(#"{"protocolSection":{"identificationModule":{"nctId":"NCT09999999","briefTitle":"Synthetic CAR-T test study"},"statusModule":{"overallStatus":"RECRUITING","lastUpdatePostDateStruct":{"date":"2026-01-01"}}}}"#.utf8).write(to: file)
            // when
            let summary = try await OncoNavApp.importTrials(app, source: .file(file), progress: { _, _ in })
            // then
            #expect(summary.new == 1)
            #expect(try await TrialRecord.query(on: app.db).all().map(\.nctID) == ["NCT09999999"])
            #expect(app.registrySampleNotice.label == nil)
            // The sample left the index too (this import path stores without indexing).
            #expect(app.trials.snapshot.count == 0)
            let search = try await TestBrowser(app).get("/trials?q=CAR-T")
            #expect(!search.text.contains(Self.labelStart + "\(Self.sampleIDs.count) ClinicalTrials.gov"))
        }
    }

    @Test(.enabled(if: RegistrySyncTests.available, "needs ../shared/data"))
    func aCompletedSyncReplacesTheSampleKeepingStudiesTheRegistrySent() async throws {
        let records = try RegistrySyncTests.replayRecords(limit: 120)
        try await RegistrySyncTests.withReplay(records) { _, app in
            try await OncoNavApp.startRegistry(app)
            #expect(app.registrySampleNotice.label != nil)
            // when
            let report = try await app.registrySync.run(app: app)
            // then: only the registry's studies remain, in the database and the index
            #expect(report.outcome == .completed)
            let synced = RegistrySyncTests.readableIDs(records)
            #expect(Set(try await TrialRecord.query(on: app.db).all().map(\.nctID)) == synced)
            #expect(app.trials.snapshot.count == synced.count)
            #expect(app.registrySampleNotice.label == nil)
            #expect(try await TrialSampleState.query(on: app.db).count() == 0)
            let search = try await TestBrowser(app).get("/trials?q=melanoma")
            #expect(!search.text.contains("records retrieved 2023-11-08"))
            // A later start does not bring the sample back.
            try await OncoNavApp.startRegistry(app)
            #expect(try await TrialRecord.query(on: app.db).count() == synced.count)
        }
    }
}
