import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct CaseWorkflowTests {
    @Test func everyStageCanBeLeftOrIsFinalAndWithdrawIsAlwaysPossible() {
        for stage in CaseStage.allCases {
            let moves = CaseWorkflow.transitions(from: stage)
            #expect(stage.isFinal == moves.isEmpty, "\(stage)")
            if !stage.isFinal { #expect(moves.contains { $0.to == .withdrawn && $0.requiresReason }) }
        }
        #expect(CaseWorkflow.transition(from: .inquiry, to: .inTreatment) == nil)
        #expect(CaseWorkflow.transition(from: .eligibilityCoordination, to: .declined)?.requiresReason == true)
    }

    @Test func workingDaysSkipWeekends() throws {
        let formatter = ISO8601DateFormatter()
        let friday = try #require(formatter.date(from: "2026-11-27T10:00:00Z"))
        #expect(formatter.string(from: CaseWorkflow.addingWorkingDays(2, to: friday)) == "2026-12-01T10:00:00Z")
        #expect(formatter.string(from: CaseWorkflow.addingWorkingDays(1, to: friday)) == "2026-11-30T10:00:00Z")
    }
}

@Suite struct NavigationTests {
    @Test func anInquiryIsTakenAndMovedWithHistoryTasksAndPolicy() async throws {
        let clock = MutableClock(ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z")!)
        try await withTestApp(clock: clock.appClock) { app in
            try await makeUser(app, email: "nav@example.org", role: .navigator)
            try await makeUser(app, email: "nav2@example.org", role: .navigator)
            let patient = TestBrowser(app)
            try await makeUser(app, email: "pat@example.org", role: .patient)
            _ = try await patient.signIn("pat@example.org")
            let created = try await patient.post("/cases", form: ["title": "Mum's myeloma"])
            let caseID = try #require(created.location?.components(separatedBy: "/").last?.components(separatedBy: "?").first)

            // Opening records the first stage and the first-response task (2 working days).
            let record = try #require(try await CaseRecord.find(UUID(uuidString: caseID), on: app.db))
            #expect(record.stage == .inquiry)
            #expect(try await CaseStageChange.query(on: app.db).count() == 1)
            let firstTask = try #require(try await CaseTask.query(on: app.db).first())
            #expect(firstTask.title == "First response to the patient")
            #expect(firstTask.dueAt == CaseWorkflow.addingWorkingDays(2, to: clock.now))

            // The patient cannot start record collection; a reason is needed to withdraw.
            let refused = try await patient.post("/cases/\(caseID)/stage", form: ["to": CaseStage.collectingRecords.rawValue])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("cannot make the step"))
            let noReason = try await patient.post("/cases/\(caseID)/stage", form: ["to": CaseStage.withdrawn.rawValue])
            #expect(noReason.text.contains("needs a reason"))

            // A navigator takes the inquiry from the dashboard; a second one cannot.
            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            let dashboard = try await navigator.get("/navigator")
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Mum&#39;s myeloma") || dashboard.text.contains("Mum's myeloma"))
            #expect(try await navigator.post("/navigator/cases/\(caseID)/take").status == .seeOther)
            let other = TestBrowser(app)
            _ = try await other.signIn("nav2@example.org")
            // Someone else's case: the same answer as a case that does not exist.
            #expect(try await other.post("/navigator/cases/\(caseID)/take").status == .notFound)
            #expect(try await other.post("/navigator/cases/\(UUID())/take").status == .notFound)
            #expect(try await other.get("/cases/\(caseID)").status == .notFound)

            // Moving on creates the stage's tasks and tells the patient (without health data).
            #expect(try await navigator.post("/cases/\(caseID)/stage", form: ["to": CaseStage.collectingRecords.rawValue]).status == .seeOther)
            #expect(try await CaseTask.query(on: app.db).filter(\.$stage == CaseStage.collectingRecords.rawValue).count() == 5)
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "pat@example.org").first())
            // Not even the stage: "now in treatment" is health data.
            #expect(mail.body.contains("Sign in to OncoNav") && !mail.body.contains("Collecting records") && !mail.body.contains("myeloma"), "\(mail.body)")
            for stage in CaseStage.allCases { #expect(!mail.body.contains(stage.title), "\(stage.title)") }

            // The patient sees the stage in plain words and only their own to-do items.
            let patientView = try await patient.get("/cases/\(caseID)")
            #expect(patientView.text.contains("We are gathering your medical records"))
            #expect(patientView.text.contains("Upload the records you already have"))
            #expect(!patientView.text.contains("Request the pathology report"))

            // Time passes: the first-response task is overdue on the dashboard.
            clock.advance(by: 3 * 86_400)
            _ = try await navigator.signIn("nav@example.org")
            _ = try await patient.signIn("pat@example.org")
            let later = try await navigator.get("/navigator")
            #expect(later.text.contains("First response to the patient"))
            #expect(later.text.contains("class=\"task overdue\""))

            // The patient says the records are complete; the history shows every move with who and why.
            #expect(try await patient.post("/cases/\(caseID)/stage", form: ["to": CaseStage.underReview.rawValue]).status == .seeOther)
            #expect(try await navigator.post("/cases/\(caseID)/stage", form: ["to": CaseStage.collectingRecords.rawValue, "reason": "The PET-CT report is missing"]).status == .seeOther)
            let page = try await navigator.get("/cases/\(caseID)")
            #expect(page.text.contains("The PET-CT report is missing"))
            #expect(page.text.contains("pat (Patient or family member)"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == "case-stage").count() == 3)
        }
    }

    @Test func messagesHaveUnreadCountsNotificationsAndAttachmentsFromTheCase() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            let documentID = try #require(try await CaseDocument.query(on: app.db).first()?.requireID())

            let sent = try await patient.post("/cases/\(caseID)/messages", form: ["body": "Here is the letter from Dr Rivera. <b>Thanks</b>", "attachments[]": documentID.uuidString])
            #expect(sent.status == .seeOther)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "nav@example.org").filter(\.$subject == "New message in your OncoNav case").count() == 1)

            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            #expect(try await navigator.get("/cases/\(caseID)").text.contains("1 new"))
            let thread = try await navigator.get("/cases/\(caseID)/messages")
            #expect(thread.text.contains("Here is the letter from Dr Rivera. &lt;b&gt;Thanks&lt;/b&gt;"))
            #expect(thread.text.contains("/cases/\(caseID)/documents/\(documentID)"))
            #expect(!(try await navigator.get("/cases/\(caseID)").text.contains("1 new")), "reading the thread clears the count")

            _ = try await makeUser(app, email: "stranger@example.org", role: .patient)
            let stranger = TestBrowser(app)
            _ = try await stranger.signIn("stranger@example.org")
            #expect(try await stranger.get("/cases/\(caseID)/messages").status == .notFound)
            #expect(try await stranger.post("/cases/\(caseID)/messages", form: ["body": "hi"]).status == .notFound)
            #expect(try await stranger.get("/navigator").status == .forbidden)
        }
    }
}
