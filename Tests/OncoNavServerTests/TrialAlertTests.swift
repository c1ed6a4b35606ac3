import Fluent
import Foundation
import OncoTrials
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Alerts: a registry change re-matches open cases in the background; news becomes a
/// navigator task, a sign-in email without health data and a line under the options
/// page's "what changed".
@Suite struct TrialAlertTests {
    /// A made-up study (not a real registry record; the NCT ID is outside the real range)
    /// that the synthetic referral letter's case fits: DLBCL, adults, ECOG 0–1.
    static let nctID = "NCT99900001"
    static let title = "SYNTHETIC TEST STUDY: anti-CD19 CAR-T cells in relapsed diffuse large B-cell lymphoma"

    static func syntheticStudy(status: String, lastUpdate: String) throws -> String {
        let study: [String: Any] = ["protocolSection": [
            "identificationModule": ["nctId": nctID, "briefTitle": title],
            "statusModule": ["overallStatus": status, "lastUpdatePostDateStruct": ["date": lastUpdate]],
            "conditionsModule": ["conditions": ["Diffuse Large B-Cell Lymphoma"]],
            "designModule": ["studyType": "INTERVENTIONAL", "phases": ["PHASE2"]],
            "armsInterventionsModule": ["interventions": [["type": "BIOLOGICAL", "name": "Synthetic anti-CD19 CAR-T cells"]]],
            "eligibilityModule": [
                "eligibilityCriteria": "Inclusion Criteria:\n\n* Relapsed or refractory diffuse large B-cell lymphoma\n* ECOG performance status 0 or 1\n\nExclusion Criteria:\n\n* Active hepatitis B infection",
                "sex": "ALL", "minimumAge": "18 Years",
            ],
            "contactsLocationsModule": ["locations": [["facility": "Synthetic Test Hospital", "city": "Houston", "country": "United States", "status": "RECRUITING"]]],
        ]]
        return String(decoding: try JSONSerialization.data(withJSONObject: study, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Alerts on (as the server turns them on), a patient's case with the synthetic
    /// referral letter read, assigned to nav@example.org, whose options the navigator has
    /// looked at once (so there is a report to compare with); and a signed-in admin.
    struct Setup {
        let patient: TestBrowser
        let navigator: TestBrowser
        let admin: TestBrowser
        let caseID: UUID
    }

    static func setUp(_ app: Application) async throws -> Setup {
        try await OncoNavApp.startAlerts(app)
        await app.rematchRunner.wait()
        let (patient, caseID) = try await patientCaseWithNavigator(app)
        _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
        await app.documentWorker.runDue()
        let navigator = TestBrowser(app)
        _ = try await navigator.signIn("nav@example.org")
        let first = try await navigator.get("/cases/\(caseID)/options")
        #expect(first.status == .ok)
        #expect(!first.text.contains(nctID))
        try await makeUser(app, email: "admin@example.org", role: .admin)
        let admin = TestBrowser(app)
        _ = try await admin.signIn("admin@example.org")
        return Setup(patient: patient, navigator: navigator, admin: admin, caseID: caseID)
    }

    /// Uploads one study on the admin import page and waits for the import and the re-match;
    /// returns the import's status page.
    @discardableResult
    static func importStudy(_ app: Application, as admin: TestBrowser, status: String, lastUpdate: String) async throws -> String {
        _ = try await admin.get("/admin/trials/import")
        let boundary = "onconav-alert-test"
        let file = try syntheticStudy(status: status, lastUpdate: lastUpdate) + "\n"
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(admin.csrfToken ?? "")\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"studies.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await admin.send(.POST, "/admin/trials/import", headers: headers, body: ByteBuffer(string: body))
        #expect(response.status == .seeOther)
        let jobID = try #require(response.location.flatMap { UUID(uuidString: String($0.split(separator: "/").last ?? "")) })
        await app.trialImports.wait(jobID)
        await app.rematchRunner.wait()
        return try await admin.get("/admin/trials/import/\(jobID)").text
    }

    static func alertTasks(_ app: Application, caseID: UUID) async throws -> [CaseTask] {
        try await CaseTask.query(on: app.db).filter(\.$caseRecord.$id == caseID).all().filter { $0.title.hasPrefix("New trial information") }
    }

    static func mail(_ app: Application, to recipient: String, subject: String) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: app.db).filter(\.$recipient == recipient).filter(\.$subject == subject).all()
    }

    /// The options page's "what changed" section.
    static func whatChanged(_ page: TestingHTTPResponse) -> String {
        guard let start = page.text.range(of: "id=\"changes-heading\"") else { return "" }
        let rest = page.text[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    static func expectNoHealthData(_ message: OutboxMessage) {
        for word in [nctID, title, "lymphoma", "CAR-T", "CD19", "My lymphoma", "DLBCL"] {
            #expect(!message.body.localizedCaseInsensitiveContains(word), "the email names \(word)")
            #expect(!message.subject.localizedCaseInsensitiveContains(word), "the subject names \(word)")
        }
        #expect(message.body.contains("Sign in to OncoNav"))
    }

    @Test func anImportThatBringsAFittingTrialCreatesATaskAnEmailAndAWhatChangedLine() async throws {
        try await withTestApp { app in
            let setup = try await Self.setUp(app)
            let importPage = try await Self.importStudy(app, as: setup.admin, status: "RECRUITING", lastUpdate: "2026-11-02")
            #expect(importPage.contains("Open cases are re-matched against the new and updated studies in the background"))

            let tasks = try await Self.alertTasks(app, caseID: setup.caseID)
            #expect(tasks.map(\.title) == ["New trial information: 1 newly fitting (NCT99900001) — review options"], "\(testDatabaseName)")
            let navigatorID = try await User.query(on: app.db).filter(\.$email == "nav@example.org").first()?.id
            #expect(tasks.first?.$owner.id == navigatorID)

            let mails = try await Self.mail(app, to: "nav@example.org", subject: "New trial information for a case you follow")
            #expect(mails.count == 1)
            mails.forEach(Self.expectNoHealthData)
            // The patient did not opt in.
            #expect(try await Self.mail(app, to: "pat@example.org", subject: "New trial information in OncoNav").isEmpty)

            let changed = Self.whatChanged(try await setup.navigator.get("/cases/\(setup.caseID)/options"))
            #expect(changed.contains("Trial registry update (import"))
            #expect(changed.contains("Newly fitting trial: NCT99900001"), "\(changed)")
            // The patient sees it too, on their own options page.
            #expect(Self.whatChanged(try await setup.patient.get("/cases/\(setup.caseID)/options")).contains("NCT99900001"))
        }
    }

    @Test func aTrialThatClosesShowsAsClosedAndTheOptedInPatientIsToldToSignIn() async throws {
        try await withTestApp { app in
            let setup = try await Self.setUp(app)
            try await Self.importStudy(app, as: setup.admin, status: "RECRUITING", lastUpdate: "2026-11-02")
            #expect(try await Self.mail(app, to: "pat@example.org", subject: "New trial information in OncoNav").isEmpty)

            // The patient opts in on the account page (off by default).
            let account = try await setup.patient.get("/account")
            #expect(account.text.contains("Email me when there is new trial information for my case"))
            #expect(!account.text.contains("id=\"trial-news-email\" checked"))
            #expect(try await setup.patient.post("/account/notifications", form: ["trialNewsEmail": "on"]).status == .seeOther)
            #expect(try await setup.patient.get("/account").text.contains("id=\"trial-news-email\" checked"))

            try await Self.importStudy(app, as: setup.admin, status: "COMPLETED", lastUpdate: "2026-12-01")
            let titles = try await Self.alertTasks(app, caseID: setup.caseID).map(\.title)
            #expect(titles.contains("New trial information: 1 closed (NCT99900001) — review options"), "\(titles)")
            let changed = Self.whatChanged(try await setup.navigator.get("/cases/\(setup.caseID)/options"))
            #expect(changed.contains("Trial closed (completed): NCT99900001"), "\(changed)")

            let patientMails = try await Self.mail(app, to: "pat@example.org", subject: "New trial information in OncoNav")
            #expect(patientMails.count == 1)
            patientMails.forEach(Self.expectNoHealthData)

            // Turned off again: no more patient email.
            #expect(try await setup.patient.post("/account/notifications", form: [:]).status == .seeOther)
            #expect(try await User.query(on: app.db).filter(\.$email == "pat@example.org").first()?.trialNewsEmail == false)
        }
    }

    @Test func anIdenticalOpenAlertTaskIsNotOpenedAgain() async throws {
        try await withTestApp { app in
            let setup = try await Self.setUp(app)
            try await Self.importStudy(app, as: setup.admin, status: "RECRUITING", lastUpdate: "2026-11-02")
            try await Self.importStudy(app, as: setup.admin, status: "COMPLETED", lastUpdate: "2026-11-20")
            // Reopened: the same news as the first import, whose task is still open.
            try await Self.importStudy(app, as: setup.admin, status: "RECRUITING", lastUpdate: "2026-12-01")

            let titles = try await Self.alertTasks(app, caseID: setup.caseID).map(\.title)
            #expect(titles.filter { $0 == "New trial information: 1 newly fitting (NCT99900001) — review options" }.count == 1, "\(titles)")
            #expect(titles.count == 2)
            #expect(try await Self.mail(app, to: "nav@example.org", subject: "New trial information for a case you follow").count == 2)
            // "What changed" still says it reopened.
            #expect(try await TrialAlert.query(on: app.db).filter(\.$caseRecord.$id == setup.caseID).count() == 3)
        }
    }

    @Test func aBurstOfChangesIsCoalescedAndTheCallerDoesNotWait() async throws {
        try await withTestApp { app in
            try await OncoNavApp.startAlerts(app)
            await app.rematchRunner.wait()
            let before = app.rematchRunner.completedRuns
            _ = try await patientCaseWithNavigator(app)
            for page in 0..<5 { await TrialRegistryEvents.didChange(app: app, changedNCTIDs: ["NCT9990000\(page)"], source: "sync") }
            await app.rematchRunner.wait()
            let runs = app.rematchRunner.completedRuns - before
            #expect((1...2).contains(runs), "five changes made \(runs) runs")
            #expect(app.rematchRunner.lastOutcome?.cases == 1)
            #expect(app.rematchRunner.lastOutcome?.finished == true)
            #expect(try await RematchMarker.value(RematchMarker.registryChanged, on: app.db) == nil)
        }
    }

    @Test func aChangeMadeWithoutTheLiveIndexIsStoredAndCaughtUpAtTheNextStart() async throws {
        try await withTestApp { app in
            // Like `onconav trials import`: no live index, alerts not started.
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            _ = try await patient.get("/cases/\(caseID)/options")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("alert-study-\(UUID().uuidString).jsonl")
            try Data((try Self.syntheticStudy(status: "RECRUITING", lastUpdate: "2026-11-02") + "\n").utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let summary = try await OncoNavApp.importTrials(app, source: .file(file), progress: { _, _ in })
            #expect(summary.new == 1)
            #expect(try await RematchMarker.value(RematchMarker.registryChanged, on: app.db) == "import")
            #expect(app.rematchRunner.completedRuns == 0)
            #expect(try await Self.alertTasks(app, caseID: caseID).isEmpty)

            // Alerts on before the index is built: nothing is matched against an empty index.
            try await OncoNavApp.startAlerts(app)
            await app.rematchRunner.wait()
            #expect(app.rematchRunner.lastOutcome?.finished == false)
            #expect(try await RematchMarker.value(RematchMarker.registryChanged, on: app.db) != nil)
            #expect(try await Self.alertTasks(app, caseID: caseID).isEmpty)

            // The next server start: index from the database, then alerts.
            try await OncoNavApp.loadTrialIndex(app)
            try await OncoNavApp.startAlerts(app)
            await app.rematchRunner.wait()
            #expect(try await Self.alertTasks(app, caseID: caseID).map(\.title) == ["New trial information: 1 newly fitting (NCT99900001) — review options"])
            #expect(try await RematchMarker.value(RematchMarker.registryChanged, on: app.db) == nil)
        }
    }

    @Test func changedApprovalsInTheKnowledgeBaseReMatchOpenCasesAtStart() async throws {
        try await withTestApp { app in
            _ = try await patientCaseWithNavigator(app)
            // First start: nothing stored yet, so the cases are matched once and the fingerprint kept.
            try await OncoNavApp.startAlerts(app)
            await app.rematchRunner.wait()
            #expect(app.rematchRunner.completedRuns == 1)
            let fingerprint = RematchMarker.approvalsFingerprint(app.knowledge)
            #expect(try await RematchMarker.value(RematchMarker.knowledgeApprovals, on: app.db) == fingerprint)

            // A start with the same knowledge base re-matches nothing.
            try await OncoNavApp.startAlerts(app)
            await app.rematchRunner.wait()
            #expect(app.rematchRunner.completedRuns == 1)

            // Cases last matched against other approvals are re-matched.
            try await RematchMarker.set(RematchMarker.knowledgeApprovals, to: "approvals of an older knowledge base", at: Date(), on: app.db)
            try await OncoNavApp.startAlerts(app)
            await app.rematchRunner.wait()
            #expect(app.rematchRunner.completedRuns == 2)
            #expect(app.rematchRunner.lastOutcome?.source == "knowledge base")
            #expect(try await RematchMarker.value(RematchMarker.knowledgeApprovals, on: app.db) == fingerprint)
        }
    }
}
