import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct ReferralTests {
    /// A case with a navigator, a confirmed diagnosis and one document; a partner hospital with one staff member.
    static func setUp(_ app: Application) async throws -> (patient: TestBrowser, navigator: TestBrowser, partner: TestBrowser, caseID: UUID, documentID: UUID, organizationID: UUID) {
        let (patient, caseID) = try await patientCaseWithNavigator(app, stage: .eligibilityCoordination)
        _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
        await app.documentWorker.runDue()
        let documentID = try #require(try await CaseDocument.query(on: app.db).first()?.requireID())
        let diagnosis = try #require(try await CaseFact.query(on: app.db).filter(\.$field == "primary-cancer").first())
        _ = try await patient.post("/cases/\(caseID)/facts/\(try diagnosis.requireID())", form: ["action": "confirm"])
        try await makeUser(app, email: "dr@hospital.example", role: .partner, organization: "University Hospital")
        try await makeUser(app, email: "dr@other.example", role: .partner, organization: "Other Hospital")
        let organizationID = try #require(try await Organization.query(on: app.db).filter(\.$name == "University Hospital").first()?.requireID())
        let navigator = TestBrowser(app)
        _ = try await navigator.signIn("nav@example.org")
        let partner = TestBrowser(app)
        _ = try await partner.signIn("dr@hospital.example")
        return (patient, navigator, partner, caseID, documentID, organizationID)
    }

    @Test func consentFirstThenThePartnerSeesOnlyThePacketAndAnswers() async throws {
        try await withTestApp { app in
            let s = try await Self.setUp(app)
            let prepared = try await s.navigator.post("/cases/\(s.caseID)/referrals", form: [
                "organizationID": s.organizationID.uuidString, "option": "NCT01234567 (synthetic example)", "includeSummary": "on",
                "documents[]": s.documentID.uuidString, "days": "30", "note": "Relapsed DLBCL after two lines.",
            ])
            #expect(prepared.status == .seeOther)
            let packet = try #require(try await ReferralPacket.query(on: app.db).first())
            let packetID = try packet.requireID()
            #expect(packet.status == .awaitingConsent)

            // Before consent the partner sees nothing, and cannot open the case at all.
            #expect(try await s.partner.get("/partner/packets/\(packetID)").status == .notFound)
            #expect(try await s.partner.get("/cases/\(s.caseID)").status == .notFound)
            #expect(!(try await s.partner.get("/partner").text.contains("NCT01234567")))
            // Only the patient consents.
            #expect(try await s.navigator.post("/cases/\(s.caseID)/referrals/\(packetID)/consent", form: ["decision": "give"]).status == .forbidden)
            let page = try await s.patient.get("/cases/\(s.caseID)")
            #expect(page.text.contains("Do you agree that <strong>University Hospital</strong>"))
            #expect(try await s.patient.post("/cases/\(s.caseID)/referrals/\(packetID)/consent", form: ["decision": "give"]).status == .seeOther)

            // Now the partner sees the packet: confirmed summary and the chosen document, each view audited.
            let portal = try await s.partner.get("/partner")
            #expect(portal.text.contains("NCT01234567"))
            let view = try await s.partner.get("/partner/packets/\(packetID)")
            #expect(view.status == .ok)
            #expect(view.text.contains("diffuse large B-cell lymphoma"))
            #expect(!view.text.contains("R-CHOP"), "unconfirmed values do not leave the case")
            let document = try await s.partner.get("/partner/packets/\(packetID)/documents/\(s.documentID)")
            #expect(document.status == .ok && document.text.contains("Dear Dr Rivera"))
            #expect(try await s.partner.get("/partner/packets/\(packetID)/documents/\(s.documentID)/original").status == .ok)
            for type in ["referral-packet", "referral-document", "referral-document-original"] {
                #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == type).filter(\.$outcome == "allowed").count() >= 1, "\(type)")
            }
            // Another organisation's staff get nothing.
            let other = TestBrowser(app)
            _ = try await other.signIn("dr@other.example")
            #expect(try await other.get("/partner/packets/\(packetID)").status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == "referral-packet").filter(\.$outcome == "denied").count() >= 2)

            // The partner accepts: the packet and the case move on, the navigator is told.
            #expect(try await s.partner.post("/partner/packets/\(packetID)/respond", form: ["decision": "accept", "reason": "Screening visit possible next week."]).status == .seeOther)
            #expect(try await CaseRecord.find(s.caseID, on: app.db)?.stage == .acceptedForScreening)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "nav@example.org").filter(\.$subject == "A partner answered a referral").count() == 1)

            // The patient withdraws consent: access ends at once.
            #expect(try await s.patient.post("/cases/\(s.caseID)/referrals/\(packetID)/revoke").status == .seeOther)
            #expect(try await s.partner.get("/partner/packets/\(packetID)").status == .notFound)
        }
    }

    @Test func expiryAndRefusalEndAccessAndAnswersAreValidated() async throws {
        let clock = MutableClock(Date())
        try await withTestApp(clock: clock.appClock) { app in
            let s = try await Self.setUp(app)
            for option in ["NCT00000001", "NCT00000002"] {
                _ = try await s.navigator.post("/cases/\(s.caseID)/referrals", form: ["organizationID": s.organizationID.uuidString, "option": option, "days": "1"])
            }
            let packets = try await ReferralPacket.query(on: app.db).sort(\.$option).all()
            _ = try await s.patient.post("/cases/\(s.caseID)/referrals/\(try packets[0].requireID())/consent", form: ["decision": "give"])
            _ = try await s.patient.post("/cases/\(s.caseID)/referrals/\(try packets[1].requireID())/consent", form: ["decision": "refuse"])
            #expect(try await s.partner.get("/partner/packets/\(try packets[1].requireID())").status == .notFound)

            let needs = try await s.partner.post("/partner/packets/\(try packets[0].requireID())/respond", form: ["decision": "needs-information"])
            #expect(needs.status == .badRequest, "asking for more information needs the list")
            let decline = try await s.partner.post("/partner/packets/\(try packets[0].requireID())/respond", form: ["decision": "decline"])
            #expect(decline.status == .badRequest, "declining needs a reason")
            #expect(try await s.partner.post("/partner/packets/\(try packets[0].requireID())/respond", form: ["decision": "needs-information", "items": "Latest PET-CT report\nHLA typing"]).status == .seeOther)
            #expect(try await CaseTask.query(on: app.db).filter(\.$title == "Partner asks for: HLA typing").count() == 1)

            clock.advance(by: 2 * 86_400)
            _ = try await s.partner.signIn("dr@hospital.example")
            #expect(try await s.partner.get("/partner/packets/\(try packets[0].requireID())").status == .notFound, "expired")
        }
    }
}
