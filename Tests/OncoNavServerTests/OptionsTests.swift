import Fluent
import Foundation
import OncoTrials
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The case against approved labels and real trials, in the browser, the API and FHIR.
@Suite struct OptionsTests {
    /// Real lymphoma studies from the shared registry sample, into the index.
    static func loadLymphomaTrials(_ app: Application, limit: Int = 25) throws {
        let url = TrialPageTests.oncologyStudies
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        var studies: [Study] = []
        try StudyImportReader(source: .file(url)).read { record in
            if case .study(let imported) = record, studies.count < limit,
               imported.study.conditions.contains(where: { $0.localizedCaseInsensitiveContains("lymphoma") }) {
                studies.append(imported.study)
            }
        }
        app.trials.add(studies)
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func aTrialOptionWhoseOpenStatusIsUnconfirmedForTwoYearsSaysSo() async throws {
        // Ten years on, every open trial of the sample was last updated more than two years ago.
        let clock = MutableClock(Date().addingTimeInterval(10 * 365 * 86_400))
        try await withTestApp(clock: clock.appClock) { app in
            try Self.loadLymphomaTrials(app)
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            let page = try await patient.get("/cases/\(caseID)/options")
            let trials = try #require(page.text.components(separatedBy: "id=\"trials-heading\"").last)
            #expect(trials.contains("/trials/NCT"), "the case has trial options")
            #expect(trials.contains("status not verified since"))
        }
    }

    @Test func theOptionsPageJudgesLabelsCriterionByCriterionWithEvidence() async throws {
        try await withTestApp { app in
            try Self.loadLymphomaTrials(app)
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()

            let page = try await patient.get("/cases/\(caseID)/options")
            #expect(page.status == .ok)
            #expect(page.text.contains("diffuse large B-cell lymphoma") || page.text.contains("Diffuse large B-cell lymphoma"))
            #expect(page.text.contains("Approved therapies (labels by country)"))
            #expect(page.text.contains("class=\"criteria-table\""))
            #expect(page.text.contains("badge verdict-met") || page.text.contains("badge verdict-unknown"))
            #expect(page.text.contains("/documents/") && page.text.contains("?fact="), "verdicts link to their evidence")
            #expect(page.text.contains("not medical advice"))
            let knowledge = app.knowledge
            let carTForLBCL = knowledge.products.filter { $0.modality == .carT }.contains { product in
                product.indications.contains { $0.cancers.contains { knowledge.isA("dlbcl-nos", $0) } }
            }
            if carTForLBCL { #expect(page.text.contains("Yescarta") || page.text.contains("Breyanzi") || page.text.contains("Kymriah")) }

            // The to-do list becomes tasks in one click (staff).
            if page.text.contains("To settle the unknowns") {
                let navigator = TestBrowser(app)
                _ = try await navigator.signIn("nav@example.org")
                #expect(try await navigator.post("/cases/\(caseID)/options/tasks").status == .seeOther)
                #expect(try await CaseTask.query(on: app.db).filter(\.$stage == nil).count() > 0)
            }

            // A changed profile: the next look says what changed.
            let lines = try await CaseFact.query(on: app.db).filter(\.$field == "treatment-line").all()
            for line in lines { _ = try await patient.post("/cases/\(caseID)/facts/\(try line.requireID())", form: ["action": "reject", "reason": "test"]) }
            let again = try await patient.get("/cases/\(caseID)/options")
            #expect(again.text.contains("What changed since the last look"))

            // The API gives the same report as JSON.
            let token = try await issueToken(app, browser: patient)
            let api = try await APIClient(app: app, token: token).send(.GET, "/api/v1/cases/\(caseID)/options")
            #expect(api.status == .ok)
            #expect(api.text.contains("\"options\"") && api.text.contains("\"verdicts\"") && api.text.contains("\"toDo\""))

            // Nobody else sees it.
            _ = try await makeUser(app, email: "other@example.org", role: .patient)
            let other = TestBrowser(app)
            _ = try await other.signIn("other@example.org")
            #expect(try await other.get("/cases/\(caseID)/options").status == .notFound)
        }
    }

    @Test func theFHIRMatchServiceAnswersWithASearchsetOfResearchStudies() async throws {
        try await withTestApp { app in
            try Self.loadLymphomaTrials(app, limit: 40)
            let (browser, _) = try await patientWithCase(app)
            let token = try await issueToken(app, browser: browser)
            let bundle = try RecordFixtures.shared("fhir-mcode/mef_extended-patient-bundle.json")
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "application/fhir+json")
            let anonymous = try await app.testing().sendRequest(.POST, "/fhir/ResearchStudy/$match", headers: headers, body: ByteBuffer(data: bundle))
            #expect(anonymous.status == .unauthorized)
            headers.bearerAuthorization = BearerAuthorization(token: token)
            let response = try await app.testing().sendRequest(.POST, "/fhir/ResearchStudy/$match", headers: headers, body: ByteBuffer(data: bundle))
            #expect(response.status == .ok, "\(response.text.prefix(300))")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(json["resourceType"] as? String == "Bundle")
            #expect(json["type"] as? String == "searchset")
            for entry in json["entry"] as? [[String: Any]] ?? [] {
                #expect((entry["resource"] as? [String: Any])?["resourceType"] as? String == "ResearchStudy")
                let score = (entry["search"] as? [String: Any])?["score"] as? Double
                #expect(score.map { (0...1).contains($0) } == true)
            }
            // Wrapped in Parameters, as the CodeX guide sends it.
            let subject = try JSONSerialization.jsonObject(with: bundle)
            let parameters = try JSONSerialization.data(withJSONObject: ["resourceType": "Parameters", "parameter": [["name": "subject", "resource": subject]]])
            let wrapped = try await app.testing().sendRequest(.POST, "/fhir/ResearchStudy/$match", headers: headers, body: ByteBuffer(data: parameters))
            #expect(wrapped.status == .ok)
            let broken = try await app.testing().sendRequest(.POST, "/fhir/ResearchStudy/$match", headers: headers, body: ByteBuffer(string: "{not json"))
            #expect(broken.status == .badRequest)
            #expect(broken.text.contains("OperationOutcome"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$objectType == "fhir-match").count() == 2)
        }
    }
}
