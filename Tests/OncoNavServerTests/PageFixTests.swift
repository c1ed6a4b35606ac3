import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Pages a patient met in their first ten minutes (issue 15), over HTTP; the browser tests
/// submit the same forms in Chromium.
@Suite struct PageFixTests {
    @Test func theTrialFormWithEmptyOptionalBoxesIsNotA400() async throws {
        try await withTestApp { app in
            // Exactly what a browser sends when radius and age are left empty.
            let response = try await TestBrowser(app).get("/trials?q=CAR-T&condition=&modality=&near=&radius=&age=")
            #expect(response.status == .ok, "\(response.text.prefix(300))")
            #expect(!response.text.contains("not of type"))
            let api = try await app.testing().sendRequest(.GET, "/api/v1/trials?q=CAR-T&radius=&age=")
            #expect(api.status == .ok)
        }
    }

    @Test func aMistakeInANumberBoxIsShownOnTheFormWithTheInputKept() async throws {
        try await withTestApp { app in
            let response = try await TestBrowser(app).get("/trials?q=CAR-T&near=Houston&radius=far&age=200")
            #expect(response.status == .ok)
            #expect(response.text.contains("id=\"form-errors\""))
            #expect(response.text.contains("Within (km): enter a distance"))
            #expect(response.text.contains("Age: enter an age in years between 0 and 120"))
            #expect(response.text.contains("value=\"far\"") && response.text.contains("value=\"200\"") && response.text.contains("value=\"Houston\""))
        }
    }

    @Test func withNoRegistryTheSearchAndAskSayNoneIsLoaded() async throws {
        try await withTestApp { app in
            let search = try await TestBrowser(app).get("/trials?q=lymphoma")
            #expect(search.text.contains("No trial registry is loaded yet"))
            #expect(!search.text.contains("Try fewer words"))
            let ask = try await TestBrowser(app).get("/ask?q=" + "Are there CAR-T trials for myeloma?".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(ask.status == .ok)
            #expect(!ask.text.contains("no recruiting trial"), "an empty index is not 'no recruiting trials'")
            if ask.text.contains("Trials") { #expect(ask.text.contains("No trial registry is loaded")) }
        }
    }

    @Test func anOpenStatusUnconfirmedForTwoYearsIsFlagged() {
        let now = ISO8601DateFormatter().date(from: "2026-12-07T00:00:00Z")!
        #expect(TrialController.staleness(status: "RECRUITING", lastUpdate: "2019-03-02", now: now) == "status not verified since 2019-03-02")
        #expect(TrialController.staleness(status: "RECRUITING", lastUpdate: "2024-11", now: now) == "status not verified since 2024-11")
        #expect(TrialController.staleness(status: "RECRUITING", lastUpdate: "2026-01-15", now: now) == nil)
        #expect(TrialController.staleness(status: "COMPLETED", lastUpdate: "2010-01-01", now: now) == nil)
        #expect(TrialController.staleness(status: "RECRUITING", lastUpdate: nil, now: now) == nil)
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func staleRecruitingTrialsAreFlaggedInTheListAndOnTheirPage() async throws {
        // Ten years on, every "Recruiting" record in the sample is unconfirmed for more than two.
        let clock = MutableClock(Date().addingTimeInterval(10 * 365 * 86_400))
        try await withTestApp(clock: clock.appClock) { app in
            _ = try await TrialImporter.run(.file(TrialPageTests.oncologyStudies), on: app.db, reading: app.trials.reading, onStored: { app.trials.add($0) })
            let stale = try #require(try await TrialRecord.query(on: app.db).filter(\.$overallStatus == "RECRUITING").first())
            let page = try await TestBrowser(app).get("/trials/\(stale.nctID)")
            #expect(page.text.contains("status not verified since \(stale.lastUpdate ?? "?")"))
            let list = try await TestBrowser(app).get("/trials?q=CAR-T&recruiting=on")
            #expect(list.text.contains("status not verified since"))
        }
    }

    @Test func aBrowsersDefaultAcceptGetsTheUploadPageNotJSON() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            // What a form submitted without script sends.
            let boundary = "b\(UUID().uuidString)"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrfToken!)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\nECOG 1 on 2026-01-02.\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            headers.replaceOrAdd(name: .accept, value: "*/*")
            let response = try await browser.send(.POST, "/cases/\(caseID)/documents", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "html", "\(response.headers.contentType?.description ?? "")")
            // The page's script asks for JSON by name and gets it.
            headers.replaceOrAdd(name: .accept, value: "application/json")
            let json = try await browser.send(.POST, "/cases/\(caseID)/documents", headers: headers, body: ByteBuffer(string: body))
            #expect(json.headers.contentType?.subType == "json")
        }
    }

    @Test func patientsDoNotSeeAPITokensButStaffDo() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            try await makeUser(app, email: "nav@example.org", role: .navigator)
            let patient = TestBrowser(app)
            _ = try await patient.signIn("p@example.org")
            let account = try await patient.get("/account")
            #expect(!account.text.contains("API tokens") && !account.text.contains("/api/openapi.json"))
            #expect(account.text.contains("/account/developer"))
            #expect(!(try await patient.get("/cases").text.contains("/api/openapi.json")))
            #expect(try await patient.get("/account/developer").text.contains("API tokens"))
            let navigator = TestBrowser(app)
            _ = try await navigator.signIn("nav@example.org")
            let staff = try await navigator.get("/account")
            #expect(staff.text.contains("API tokens") && staff.text.contains("/api/openapi.json"))
        }
    }
}

@Suite struct CasePageFirstTests {
    @Test func theNextStepComesFirstAndManagingTheCaseLast() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientWithCase(app)
            var page = try await patient.get("/cases/\(caseID)").text
            let card = try #require(page.range(of: "id=\"next-steps\""))
            #expect(page.contains("Upload records"))
            // Withdrawing and deleting are under "Manage the case", after everything else.
            let manage = try #require(page.range(of: "id=\"manage\""))
            #expect(card.lowerBound < manage.lowerBound)
            if let stageForm = page.range(of: "action=\"/cases/\(caseID)/stage\"") { #expect(stageForm.lowerBound > manage.lowerBound) }
            #expect(try #require(page.range(of: "Delete this case")).lowerBound > manage.lowerBound)

            // Values read from an upload wait for review: the card says how many, the to-do list is not "Nothing to do".
            _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            let pending = try await CaseFact.query(on: app.db).filter(\.$reviewState == .pending).count()
            #expect(pending > 0)
            page = try await patient.get("/cases/\(caseID)").text
            #expect(page.contains("Review \(pending) value"))
            #expect(!page.contains("Nothing to do right now."))
        }
    }

    @Test func theConsentRequestShowsThePacketAndTheNoteBeforeIAgree() async throws {
        try await withTestApp { app in
            let s = try await ReferralTests.setUp(app)
            _ = try await s.navigator.post("/cases/\(s.caseID)/referrals", form: [
                "organizationID": s.organizationID.uuidString, "option": "NCT01234567 (synthetic example)", "includeSummary": "on",
                "documents[]": s.documentID.uuidString, "days": "30", "note": "Relapsed DLBCL after two lines.",
            ])
            let page = try await s.patient.get("/cases/\(s.caseID)").text
            let card = try #require(page.range(of: "id=\"next-steps\""))
            #expect(page.contains("Read the consent request"))
            let note = try #require(page.range(of: "Relapsed DLBCL after two lines."), "the patient reads the note the partner will get")
            let preview = try #require(page.range(of: "Exactly what University Hospital would see"))
            let agree = try #require(page.range(of: "I agree to share"))
            #expect(card.lowerBound < note.lowerBound && note.lowerBound < agree.lowerBound && preview.lowerBound < agree.lowerBound)
            #expect(preview.lowerBound < agree.lowerBound)
            if preview.lowerBound < agree.lowerBound {
                #expect(page[preview.lowerBound..<agree.lowerBound].contains("diffuse large B-cell lymphoma"), "the confirmed summary as the partner will see it")
            }
        }
    }
}
