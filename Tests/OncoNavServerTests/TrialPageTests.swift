import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Trials imported from real registry records, then searched and shown.
@Suite struct TrialPageTests {
    static let sharedData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data").standardizedFileURL
    static var oncologyStudies: URL { sharedData.appendingPathComponent("ctgov-v2-oncology/studies.jsonl") }
    static var available: Bool { FileManager.default.fileExists(atPath: oncologyStudies.path) }
    static var required: Bool { ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1" }

    @Test(.enabled(if: available || required, "needs ../shared/data"))
    func importingTwiceStoresEachStudyOnceAndSkipsUnchangedRecords() async throws {
        try await withTestApp { app in
            let first = try await TrialImporter.run(.file(Self.oncologyStudies), on: app.db, reading: app.trials.reading, onStored: { app.trials.add($0) })
            #expect(first.failed == 0 && first.new > 500)
            let second = try await TrialImporter.run(.file(Self.oncologyStudies), on: app.db, reading: app.trials.reading)
            #expect(second.new == 0)
            #expect(second.unchanged >= first.new - 10)
            #expect(try await TrialRecord.query(on: app.db).count() == first.new)
        }
    }

    @Test(.enabled(if: available || required, "needs ../shared/data"))
    func searchAndTrialPagesShowRealRecordsWithCriteriaBesideTheText() async throws {
        try await withTestApp { app in
            _ = try await TrialImporter.run(.file(Self.oncologyStudies), on: app.db, reading: app.trials.reading, onStored: { app.trials.add($0) })
            let browser = TestBrowser(app)
            let results = try await browser.get("/trials?q=CAR-T%20lymphoma")
            #expect(results.status == .ok)
            let nct = try #require(results.text.firstMatch(of: /\/trials\/(NCT\d{8})/).map { String($0.output.1) })
            let page = try await browser.get("/trials/\(nct)")
            #expect(page.status == .ok)
            #expect(page.text.contains("class=\"original\"") && page.text.contains("class=\"reading"))
            #expect(page.text.contains("Whom to ask"))
            #expect(page.text.contains("does not give medical advice"))
            let api = try await app.testing().sendRequest(.GET, "/api/v1/trials?q=CAR-T")
            #expect(api.status == .ok && api.text.contains("\"hits\""))
            #expect(try await browser.get("/trials/NCT00000000").status == .notFound)
        }
    }

    @Test func aBrokenUploadIsReportedAndNothingIsLost() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            _ = try await admin.get("/admin/trials/import")
            let boundary = "onconav-test-boundary"
            let good = #"{"protocolSection":{"identificationModule":{"nctId":"NCT09999999","briefTitle":"Synthetic test study"},"statusModule":{"overallStatus":"RECRUITING","lastUpdatePostDateStruct":{"date":"2026-01-01"}}}}"#
            let file = good + "\n{not json\n"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(admin.csrfToken!)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"studies.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let response = try await admin.send(.POST, "/admin/trials/import", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .seeOther)
            let statusPath = try #require(response.location)
            var page = try await admin.get(statusPath)
            for _ in 0..<100 where page.text.contains("http-equiv=\"refresh\"") {
                try await Task.sleep(nanoseconds: 100_000_000)
                page = try await admin.get(statusPath)
            }
            #expect(page.text.contains("1 new") && page.text.contains("1 failed"), "\(page.text)")
            #expect(try await TrialRecord.query(on: app.db).count() == 1)
        }
    }
}
