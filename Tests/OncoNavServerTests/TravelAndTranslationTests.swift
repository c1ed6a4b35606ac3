import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct TravelAndTranslationTests {
    @Test func travelChecklistFollowUpPlanAndHandOffComeFromTheKnowledgeBase() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientCaseWithNavigator(app, stage: .acceptedForScreening)
            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            #expect(try await navigator.post("/cases/\(caseID)/stage", form: ["to": CaseStage.travelAndAdmission.rawValue]).status == .seeOther)
            let items = try await TravelItem.query(on: app.db).sort(\.$position).all()
            #expect(items.count == 8)
            let monitoring = try #require(app.knowledge.journey.first { $0.id == "monitoring" }?.duration?.minDays)
            #expect(items.contains { $0.title == "Accommodation near the centre" && ($0.detail ?? "").contains("at least \(monitoring) days") })

            // The patient ticks off their own items only.
            let passport = try #require(items.first { $0.owner == "patient" })
            let visa = try #require(items.first { $0.owner == "navigator" })
            #expect(try await patient.post("/cases/\(caseID)/travel/\(try passport.requireID())", form: ["status": "done"]).status == .seeOther)
            #expect(try await patient.post("/cases/\(caseID)/travel/\(try visa.requireID())", form: ["status": "done"]).status == .forbidden)

            // Follow-up plan with sources, reminders from the infusion date, a printable hand-off.
            let page = try await patient.get("/cases/\(caseID)")
            #expect(page.text.contains("the follow-up plan"))
            let stayTopic = try #require(app.knowledge.safety.first { $0.id == "stay-near-centre" })
            #expect(page.text.contains(stayTopic.title))
            #expect(try await navigator.post("/cases/\(caseID)/infusion", form: ["therapy": "Synthetic example CAR-T", "date": "2026-12-01"]).status == .seeOther)
            #expect(try await CaseTask.query(on: app.db).filter(\.$title ~~ "End of the monitoring period").count() == 1)
            let handoff = try await navigator.get("/cases/\(caseID)/handoff")
            #expect(handoff.status == .ok)
            #expect(handoff.text.contains("Synthetic example CAR-T"))
            #expect(handoff.text.contains("1 Dec 2026"))
            #expect(handoff.text.contains("Secondary blood cancers"))
        }
    }

    @Test func theFollowUpPlanFollowsTheTreatingCentresRegion() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientCaseWithNavigator(app, stage: .acceptedForScreening)
            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            #expect(try await navigator.post("/cases/\(caseID)/stage", form: ["to": CaseStage.travelAndAdmission.rawValue]).status == .seeOther)
            let us = try #require(app.knowledge.safety.first { $0.id == "stay-near-centre" })
            let eu = try #require(app.knowledge.safety.first { $0.id == "stay-near-centre-eu" })
            let euDriving = try #require(app.knowledge.safety.first { $0.id == "driving-restriction-eu" })
            // Not known yet: both labels' rules, each named.
            let before = try await navigator.get("/cases/\(caseID)")
            #expect(before.text.contains(us.title) && before.text.contains(eu.title))
            #expect(before.text.contains("name=\"region\""), "the infusion form asks for the treating centre's country")
            // A centre in the EU: the SmPC rules only, the reminder at day 28.
            #expect(try await navigator.post("/cases/\(caseID)/infusion", form: ["therapy": "Synthetic example CAR-T", "date": "2026-12-01", "region": "eu"]).status == .seeOther)
            let page = try await patient.get("/cases/\(caseID)")
            #expect(page.text.contains(eu.title) && page.text.contains(euDriving.title))
            #expect(!page.text.contains(us.title))
            #expect(try await CaseTask.query(on: app.db).filter(\.$title ~~ "day 28").count() == 1)
            let handoff = try await navigator.get("/cases/\(caseID)/handoff")
            #expect(handoff.text.contains(eu.title) && !handoff.text.contains(us.title))
            // A made-up region is refused with the reason, and nothing changes.
            let bad = try await navigator.post("/cases/\(caseID)/infusion", form: ["therapy": "Synthetic example CAR-T", "date": "2026-12-02", "region": "atlantis"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("country of the treating centre"))
            let record = try #require(try await CaseRecord.find(caseID, on: app.db))
            #expect(record.treatmentRegion == "eu")
        }
    }

    @Test func aTranslationIsRequestedAttachedShownSideBySideAndVerified() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            _ = try await patient.upload("/cases/\(caseID)/documents", files: [("brief.txt", "text/plain", Data("Befund: diffuses großzelliges B-Zell-Lymphom. ECOG 1 am 02.10.2026.".utf8))])
            await app.documentWorker.runDue()
            let original = try #require(try await CaseDocument.query(on: app.db).first())
            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            #expect(try await navigator.post("/cases/\(caseID)/documents/\(try original.requireID())/translations", form: ["language": "English"]).status == .seeOther)
            let translation = try #require(try await DocumentTranslation.query(on: app.db).first())
            let boundary = "tr-\(UUID().uuidString)"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(navigator.csrfToken!)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"brief-en.txt\"\r\nContent-Type: text/plain\r\n\r\nFindings: diffuse large B-cell lymphoma. ECOG 1 on 2026-10-02.\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let attached = try await navigator.send(.POST, "/cases/\(caseID)/translations/\(try translation.requireID())/attach", headers: headers, body: ByteBuffer(string: body))
            #expect(attached.status == .seeOther)
            await app.documentWorker.runDue()
            _ = try await navigator.post("/cases/\(caseID)/translations/\(try translation.requireID())/verify", form: ["verifier": "A. Translator, certified medical translator"])
            let page = try await patient.get("/cases/\(caseID)/translations/\(try translation.requireID())")
            #expect(page.text.contains("großzelliges") && page.text.contains("diffuse large B-cell lymphoma"), "side by side")
            #expect(page.text.contains("Verified by A. Translator"))
            // Patients cannot mark translations verified.
            #expect(try await patient.post("/cases/\(caseID)/translations/\(try translation.requireID())/verify", form: ["verifier": "me"]).status == .forbidden)
        }
    }
}
