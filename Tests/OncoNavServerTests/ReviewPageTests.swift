import Fluent
import Foundation
import OncoRecords
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The review page (issue 15, point 6): a whole document confirmed at once, "keep this one"
/// rejects the alternatives, conflicts judged by the values' own dates, and the reading's
/// method and confidence folded away for patients.
@Suite struct ReviewPageTests {
    /// An older restaging report: a later value (stage IV in January 2024) than the staging
    /// at diagnosis that the newer referral letter repeats.
    static let restaging = Data("""
        SYNTHETIC TEST DOCUMENT - NOT A REAL PATIENT
        PET-CT restaging report
        Date of report: 5 January 2024

        PET-CT on 2 January 2024: Ann Arbor stage IV disease, with new liver lesions.
        """.utf8)

    static func upload(_ browser: TestBrowser, _ caseID: UUID, _ files: [(String, Data)]) async throws {
        _ = try await browser.upload("/cases/\(caseID)/documents", files: files.map { ($0.0, "text/plain", $0.1) })
    }

    @Test func confirmAllFromADocumentConfirmsItsPendingValuesButNotThoseInConflict() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientWithCase(app)
            try await Self.upload(patient, caseID, [("letter.txt", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            let document = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).first())
            let page = try await patient.get("/cases/\(caseID)/review").text
            #expect(page.contains("action=\"/cases/\(caseID)/documents/\(try document.requireID())/confirm-all\""))
            let viewer = try await patient.get("/cases/\(caseID)/documents/\(try document.requireID())").text
            #expect(viewer.contains("Confirm all from this document"))
            let stored = try await CaseProfiles.load(caseID: caseID, on: app.db)
            let inConflict = Set(stored.profile.conflicts.flatMap { $0.facts.map(\.id) })
            let response = try await patient.post("/cases/\(caseID)/documents/\(try document.requireID())/confirm-all")
            #expect(response.status == .seeOther)
            #expect(response.location?.contains("notice=facts-confirmed") == true)
            let rows = try await CaseFact.query(on: app.db).filter(\.$caseRecord.$id == caseID).all()
            #expect(rows.count > 5)
            for row in rows {
                let id = try row.requireID()
                #expect(row.reviewState == (inConflict.contains(id) ? .pending : .confirmed), "\(row.field)")
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == "fact").count() == rows.count - inConflict.count)
            // Someone else's case: not found.
            _ = try await makeUser(app, email: "other@example.org", role: .patient)
            let other = TestBrowser(app)
            _ = try await other.signIn("other@example.org")
            #expect(try await other.post("/cases/\(caseID)/documents/\(try document.requireID())/confirm-all").status == .notFound)
        }
    }

    @Test func keepThisOneConfirmsItAndRejectsTheValuesItDisagreesWith() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientWithCase(app)
            try await Self.upload(patient, caseID, [("letter.txt", try RecordFixtures.fixture("referral-letter.txt")), ("restaging.txt", Self.restaging)])
            await app.documentWorker.runDue()
            let stored = try await CaseProfiles.load(caseID: caseID, on: app.db)
            let conflict = try #require(stored.profile.conflicts.first { $0.field == .stage })
            let kept = try #require(conflict.facts.first { $0.displayText.contains("IV") })
            let page = try await patient.get("/cases/\(caseID)/review").text
            #expect(page.contains("<input type=\"hidden\" name=\"action\" value=\"keep\">"))
            #expect(try await patient.post("/cases/\(caseID)/facts/\(kept.id)", form: ["action": "keep"]).status == .seeOther)
            for fact in conflict.facts {
                let row = try #require(try await CaseFact.find(fact.id, on: app.db))
                #expect(row.reviewState == (fact.id == kept.id ? .confirmed : .rejected), "\(fact.displayText)")
                if fact.id != kept.id { #expect(row.reviewNote?.contains("Another source was kept") == true) }
            }
            // The conflict is settled: no stage disagreement is left to choose from.
            let after = try await CaseProfiles.load(caseID: caseID, on: app.db)
            #expect(!after.profile.conflicts.contains { $0.field == .stage })
            #expect(!CaseRecordViews.conflicts(caseID: caseID.uuidString, stored: after).contains { $0.field == ProfileField.stage.displayName })
        }
    }

    @Test func aConflictSuggestsTheValueWithTheLatestDateOfItsOwnNotTheNewestLetter() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientWithCase(app)
            try await Self.upload(patient, caseID, [("letter.txt", try RecordFixtures.fixture("referral-letter.txt")), ("restaging.txt", Self.restaging)])
            await app.documentWorker.runDue()
            let stored = try await CaseProfiles.load(caseID: caseID, on: app.db)
            let views = CaseRecordViews.conflicts(caseID: caseID.uuidString, stored: stored)
            let stage = try #require(views.first { $0.field == ProfileField.stage.displayName })
            let suggested = try #require(stage.options.first { $0.suggested })
            // The restaging (January 2024) is later than the staging at diagnosis that the
            // June 2025 letter repeats: the value's date decides, not the letter's.
            #expect(suggested.text.contains("IV"), "\(stage.options.map { ($0.text, $0.valueDate, $0.documentDate) })")
            #expect(suggested.valueDate?.hasPrefix("2024-01") == true)
            let page = try await patient.get("/cases/\(caseID)/review").text
            #expect(page.contains("Suggested: the most recent value (the value is dated 2024-01"))
            #expect(page.contains("(value dated 2024-01"))
        }
    }

    @Test func patientsSeeHowAValueWasReadBehindADetailsToggleStaffInline() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            try await Self.upload(patient, caseID, [("letter.txt", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            let page = try await patient.get("/cases/\(caseID)/review").text
            #expect(page.contains("<details class=\"fact-details\"><summary>Details</summary>"))
            let rows = page.components(separatedBy: "<div class=\"fact-row").dropFirst()
            #expect(!rows.isEmpty)
            for row in rows {
                let visible = row.components(separatedBy: "<details class=\"fact-details\">")[0]
                #expect(!visible.contains("confidence") && !visible.contains("text-rules"))
            }
            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            let staff = try await navigator.get("/cases/\(caseID)/review").text
            #expect(!staff.contains("<details class=\"fact-details\">"))
            #expect(staff.contains("the software's confidence") == false && staff.contains("confidence "))
        }
    }
}
