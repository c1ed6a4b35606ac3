import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import OncoNavServer

@Suite struct DataRightsTests {
    @Test func aPatientDownloadsEverythingAndDeletesTheAccount() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let letter = try RecordFixtures.fixture("referral-letter.txt")
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", letter)])
            await app.documentWorker.runDue()
            _ = try await browser.post("/cases/\(caseID)/messages", form: ["body": "Hello"])

            let download = try await browser.get("/account/export")
            #expect(download.status == .ok)
            #expect(download.headers.contentType?.serialize() == "application/zip")
            let archive = try Archive(data: Data(buffer: download.body), accessMode: .read)
            let paths = archive.map(\.path)
            #expect(paths.contains("onconav-export.json"))
            #expect(paths.contains { $0.hasSuffix("/profile.fhir.json") })
            let original = try #require(archive.first { $0.path.hasSuffix("letter.txt") })
            var extracted = Data()
            _ = try archive.extract(original) { extracted.append($0) }
            #expect(extracted == letter, "the original document, decrypted")
            var json = Data()
            let exportEntry = try #require(archive["onconav-export.json"])
            _ = try archive.extract(exportEntry) { json.append($0) }
            let text = String(decoding: json, as: UTF8.self)
            #expect(text.contains("\"Hello\""))
            #expect(text.contains("primary-cancer"), "the values with their sources")

            // Deleting needs the password; then the case, its documents and the sessions go.
            #expect(try await browser.post("/account/delete", form: ["password": "wrong password here", "confirm": "delete"]).status == .badRequest)
            let storedDocument = try #require(try await CaseDocument.query(on: app.db).first())
            let blob = try #require(DocumentStore.Address(storedDocument.blobAddress))
            let deleted = try await browser.post("/account/delete", form: ["password": "long enough secret phrase", "confirm": "delete"])
            #expect(deleted.status == .seeOther)
            #expect(try await User.query(on: app.db).filter(\.$email == "pat@example.org").count() == 0)
            #expect(try await CaseRecord.query(on: app.db).count() == 0)
            #expect(try await CaseFact.query(on: app.db).count() == 0)
            #expect(try await CaseMessage.query(on: app.db).count() == 0)
            #expect(!app.documentStore.contains(blob))
            #expect(try await browser.get("/cases").status != .ok)
            // The audit log keeps the entries (no health data in them).
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == "account").filter(\.$action == "delete").count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$caseID == caseID).count() > 0)
        }
    }
}
