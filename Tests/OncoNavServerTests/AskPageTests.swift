import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct AskPageTests {
    @Test func theAskBoxAnswersWithCitationsAndAShareableLink() async throws {
        try await withTestApp { app in
            let home = try await app.testing().sendRequest(.GET, "/")
            #expect(home.text.contains("action=\"/ask\""))
            let page = try await app.testing().sendRequest(.GET, "/ask?q=Is%20there%20a%20CAR-T%20for%20lung%20cancer%3F")
            #expect(page.status == .ok)
            #expect(page.text.contains("No CAR-T"))
            #expect(page.text.contains("class=\"cite\" href=\"#cite-1\""))
            #expect(page.text.contains("id=\"cite-1\""))
            #expect(page.text.contains("Related questions"))
            #expect(page.text.contains("does not give medical advice") || page.text.contains("not medical advice"))
            #expect(page.text.contains("href=\"/signup\""), "a visitor is invited to upload records")
            #expect(page.text.contains("/ask?q=Is%20there%20a%20CAR"))
            // Hostile input is escaped.
            let hostile = try await app.testing().sendRequest(.GET, "/ask?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(!hostile.text.contains("<script>alert(1)"))
        }
    }

    @Test func dosingQuestionsAreReferredToTheCareTeam() async throws {
        try await withTestApp { app in
            let api = APIClient(app: app, token: nil)
            let response = try await api.send(.POST, "/api/v1/ask", json: #"{"question":"How much tocilizumab should I take for CRS at home?"}"#)
            #expect(response.status == .ok)
            #expect(response.text.contains("\"kind\":\"refusal\""))
            #expect(response.text.lowercased().contains("talk to your oncology team"))
            let empty = try await api.send(.POST, "/api/v1/ask", json: #"{"question":"  "}"#)
            #expect(empty.status == .badRequest)
        }
    }

    @Test func aCaseAnswerUsesOnlyConfirmedValuesAndStaysPrivate() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            let question = "/cases/\(caseID)/ask?q=Which%20CAR-T%20therapies%20could%20fit%20my%20case%3F"
            let before = try await browser.get(question)
            #expect(before.status == .ok)
            #expect(!before.text.contains("For diffuse large B-cell lymphoma"), "pending values are not used")
            let diagnosis = try #require(try await CaseFact.query(on: app.db).filter(\.$field == "primary-cancer").first())
            _ = try await browser.post("/cases/\(caseID)/facts/\(try diagnosis.requireID())", form: ["action": "confirm"])
            let after = try await browser.get(question)
            #expect(after.text.lowercased().contains("diffuse large b-cell lymphoma"))
            #expect(!after.text.contains("href=\"/signup\""))

            // The command line (`onconav ask --case`) gives the same personalised answer, audited.
            let cli = try #require(try await OncoNavApp.answer(app, question: "Which CAR-T therapies could fit my case?", caseID: caseID.uuidString))
            #expect(cli.directAnswer.map(\.text).joined(separator: " ").lowercased().contains("diffuse large b-cell lymphoma")
                    || cli.sections.flatMap(\.paragraphs).map(\.text).joined(separator: " ").lowercased().contains("diffuse large b-cell lymphoma"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$actorEmail == "command line").count() == 1)
            #expect(try await OncoNavApp.answer(app, question: "x", caseID: UUID().uuidString) == nil)

            _ = try await makeUser(app, email: "stranger@example.org", role: .patient)
            let stranger = TestBrowser(app)
            _ = try await stranger.signIn("stranger@example.org")
            #expect(try await stranger.get(question).status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == "personalised-answer").count() >= 2)
        }
    }
}
