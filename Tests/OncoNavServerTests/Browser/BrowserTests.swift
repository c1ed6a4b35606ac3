import Fluent
import Foundation
import Testing
import Vapor
@testable import OncoNavServer

/// The real server, driven by headless Chromium through WebDriver, at phone width.
@Suite(.serialized, .enabled(if: BrowserTools.available || BrowserTools.required, "needs chromium and chromium-driver"))
struct BrowserTests {
    /// Starts the app on a free port and a browser, and stops both afterwards.
    static func withServerAndBrowser(_ body: (Application, String, WebDriver) async throws -> Void) async throws {
        guard BrowserTools.available else {
            Issue.record("ONCONAV_REQUIRE_TOOLS=1 but chromium / chromium-driver are missing: apt-get install chromium chromium-driver")
            return
        }
        try await withTestApp { app in
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            try await app.asyncBoot()
            try app.server.start()
            let port = try #require(app.http.server.shared.localAddress?.port)
            let driver: WebDriver
            do {
                driver = try await WebDriver.start()
            } catch {
                await app.server.shutdown()
                throw error
            }
            do {
                try await body(app, "http://127.0.0.1:\(port)", driver)
            } catch {
                await driver.quit()
                await app.server.shutdown()
                throw error
            }
            await driver.quit()
            await app.server.shutdown()
        }
    }

    static func saveScreenshot(_ driver: WebDriver, name: String) async {
        guard let data = try? await driver.screenshot(), !data.isEmpty else { return }
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/screenshots").standardizedFileURL
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? data.write(to: directory.appendingPathComponent("\(name).png"))
    }

    static func expectNoConsoleErrors(_ driver: WebDriver, page: String) async throws {
        let severe = try await driver.consoleEntries().filter { $0.level == "SEVERE" }
        #expect(severe.isEmpty, "browser console errors on \(page): \(severe.map(\.message))")
    }

    @Test func signUpSignInSeeTheAccountAndCreateAnAPIToken() async throws {
        try await Self.withServerAndBrowser { app, base, driver in
            // Sign up.
            try await driver.open(base + "/")
            #expect(try await driver.pageSource.contains("does not give medical advice"))
            await Self.saveScreenshot(driver, name: "home-phone")
            try await Self.expectNoConsoleErrors(driver, page: "home")
            try await driver.click("a.nav-cta")
            try await driver.waitForURL(containing: "/signup")
            try await driver.type("browser.patient@example.org", into: "#email")
            try await driver.type("Browser Patient", into: "#displayName")
            try await driver.type("three quiet rivers", into: "#password")
            try await driver.type("three quiet rivers", into: "#passwordConfirmation")
            try await driver.click("form.stack-form button[type=submit]")
            // The same answer for a new or a taken address; the account is finished from the email.
            try await driver.waitForURL(containing: "notice=signup-check-email")
            #expect(try await driver.pageSource.contains("Check your email"))
            #expect(!(try await driver.overflowsHorizontally))
            try await driver.open(base + (try await signUpLink(app, for: "browser.patient@example.org")))
            try await driver.waitForText("Finish creating your account")
            #expect(!(try await driver.overflowsHorizontally))
            try await driver.click("form.stack-form button[type=submit]")
            try await driver.waitForURL(containing: "/cases")
            #expect(try await driver.pageSource.contains("Welcome to OncoNav"))
            try await Self.expectNoConsoleErrors(driver, page: "cases")

            // Sign out, then sign in again.
            try await driver.click("form[action='/signout'] button")
            try await driver.waitForURL(containing: "notice=signed-out")
            try await driver.open(base + "/signin")
            try await driver.type("browser.patient@example.org", into: "#email")
            try await driver.type("three quiet rivers", into: "#password")
            try await driver.click("form.stack-form button[type=submit]")
            try await driver.waitForURL(containing: "/cases")

            // The account page, and a token shown once.
            try await driver.open(base + "/account")
            #expect(try await driver.text(of: "h1") == "Your account")
            #expect(try await driver.pageSource.contains("browser.patient@example.org"))
            // A patient's account page has no API tokens or raw JSON links: they are under developer settings.
            #expect(!(try await driver.pageSource.contains("API tokens")))
            #expect(!(try await driver.pageSource.contains("/api/openapi.json")))
            try await driver.click("a[href='/account/developer']")
            try await driver.waitForURL(containing: "/account/developer")
            try await driver.type("browser test", into: "#token-name")
            try await driver.click("form[action='/account/tokens'] button")
            try await driver.waitForElement("#new-token")
            let token = try await driver.text(of: "#new-token")
            #expect(token.hasPrefix("onc_") && token.count == 47)
            await Self.saveScreenshot(driver, name: "account-phone")
            try await Self.expectNoConsoleErrors(driver, page: "account")

            // The knowledge pages render in the browser without console errors.
            for path in ["/learn", "/learn/compare", "/learn/cancers/dlbcl-nos", "/learn/products/yescarta", "/learn/car-t-journey", "/learn/glossary"] {
                try await driver.open(base + path)
                try await driver.waitForURL(containing: path)
                #expect(try await driver.pageSource.contains("Last reviewed"), "\(path)")
                try await Self.expectNoConsoleErrors(driver, page: path)
            }
            try await driver.open(base + "/trials?q=CAR-T")
            try await driver.waitForURL(containing: "/trials")
            #expect(try await driver.text(of: "h1") == "Find clinical trials")
            try await Self.expectNoConsoleErrors(driver, page: "/trials")
            try await driver.open(base + "/learn/car-t-journey")
            await Self.saveScreenshot(driver, name: "journey-phone")

            // The token works against the API.
            let me = try await APIClient(app: app, token: token).send(.GET, "/api/v1/me")
            #expect(me.status == .ok)
        }
    }

    @Test func patientUploadsRecordsAndFollowsAValueToItsSource() async throws {
        try await Self.withServerAndBrowser { app, base, driver in
            try await makeUser(app, email: "upload.patient@example.org", role: .patient)
            try await driver.open(base + "/signin")
            try await driver.type("upload.patient@example.org", into: "#email")
            try await driver.type("long enough secret phrase", into: "#password")
            try await driver.click("form.stack-form button[type=submit]")
            try await driver.waitForURL(containing: "/cases")
            try await driver.open(base + "/cases/new")
            try await driver.type("Dad's lymphoma", into: "#title")
            try await driver.click("form.stack-form button[type=submit]")
            try await driver.waitForURL(containing: "notice=case-created")
            #expect(try await driver.pageSource.contains("No values yet"))

            // Two files at once through the enhanced form (one request per file, per-file status).
            let letter = RecordFixtures.repositoryRoot.appendingPathComponent("Tests/OncoRecordsTests/Fixtures/referral-letter.txt").path
            let bundle = RecordFixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/fhir-mcode/mef_extended-patient-bundle.json").path
            try await driver.chooseFiles([letter, bundle], in: "#files")
            try await driver.click("form[data-upload] button[type=submit]")
            // The page reloads itself while the documents are read, then shows the summary.
            try await driver.waitForText("Treatment timeline", timeout: 240)
            let source = try await driver.pageSource
            #expect(source.contains("diffuse large B-cell lymphoma"))
            #expect(source.contains("status-ready"))
            await Self.saveScreenshot(driver, name: "case-summary-phone")
            try await Self.expectNoConsoleErrors(driver, page: "case page")

            // A value opens its document with the source words highlighted.
            let letterID = try #require(try await CaseDocument.query(on: app.db).filter(\.$fileName == "referral-letter.txt").first()?.requireID())
            let link = try #require(source.firstMatch(of: try Regex("href=\"(/cases/[^\"]+/documents/\(letterID.uuidString)\\?fact=[^\"#]+)")).flatMap { $0.output[1].substring.map(String.init) })
            try await driver.open(base + link)
            try await driver.waitForElement("mark#highlight")
            #expect(try await driver.text(of: "#source").contains("Source of"))
            await Self.saveScreenshot(driver, name: "document-source-phone")
            try await Self.expectNoConsoleErrors(driver, page: "document viewer")

            // Confirm a value on the review page.
            try await driver.open(base + (try await driver.currentURL).components(separatedBy: "/documents/")[0].replacingOccurrences(of: base, with: "") + "/review")
            try await driver.waitForText("Review the values")
            try await driver.click(".fact-row.pending form button[type=submit]")
            try await driver.waitForURL(containing: "notice=fact-reviewed")
            #expect(try await driver.pageSource.contains("Confirmed by"))
            try await Self.expectNoConsoleErrors(driver, page: "review")
        }
    }

    static func signIn(_ driver: WebDriver, base: String, email: String, landing: String = "/cases") async throws {
        try await driver.open(base + "/signin")
        try await driver.type(email, into: "#email")
        try await driver.type("long enough secret phrase", into: "#password")
        try await driver.click("form.stack-form button[type=submit]")
        try await driver.waitForURL(containing: landing)
    }

    static func signOut(_ driver: WebDriver) async throws {
        try await driver.click("form[action='/signout'] button")
        try await driver.waitForURL(containing: "notice=signed-out")
    }

    static func move(_ driver: WebDriver, to stage: CaseStage, reason: String? = nil) async throws {
        try await driver.click("#stage-to option[value='\(stage.rawValue)']")
        if let reason { try await driver.type(reason, into: "#stage-reason") }
        try await driver.click("form.stage-form button[type=submit]")
        try await driver.waitForURL(containing: "notice=stage-changed")
        #expect(try await driver.pageSource.contains("Where the case stands: \(stage.title)"))
    }

    /// The whole journey across roles: inquiry and upload, review and options, a consented
    /// referral, the partner's acceptance, travel checklist and follow-up; every step through
    /// the real pages, the policy and the audit log.
    @Test func theWholeJourneyAcrossRoles() async throws {
        try await Self.withServerAndBrowser { app, base, driver in
            try await makeUser(app, email: "journey.patient@example.org", role: .patient)
            try await makeUser(app, email: "journey.navigator@example.org", role: .navigator)
            try await makeUser(app, email: "journey.partner@example.org", role: .partner, organization: "Synthetic University Hospital")

            // Patient: inquiry and upload.
            try await Self.signIn(driver, base: base, email: "journey.patient@example.org")
            try await driver.open(base + "/cases/new")
            try await driver.type("Journey test case", into: "#title")
            try await driver.click("form.stack-form button[type=submit]")
            try await driver.waitForURL(containing: "notice=case-created")
            #expect(try await driver.pageSource.contains("Where the case stands: Inquiry"))
            let casePath = try await driver.currentURL.replacingOccurrences(of: base, with: "").components(separatedBy: "?")[0]
            let letter = RecordFixtures.repositoryRoot.appendingPathComponent("Tests/OncoRecordsTests/Fixtures/referral-letter.txt").path
            try await driver.chooseFiles([letter], in: "#files")
            try await driver.click("form[data-upload] button[type=submit]")
            try await driver.waitForText("Treatment timeline", timeout: 240)
            try await Self.expectNoConsoleErrors(driver, page: "patient case page")
            try await Self.signOut(driver)

            // Navigator: takes the inquiry, moves it through review, confirms a value.
            try await Self.signIn(driver, base: base, email: "journey.navigator@example.org")
            try await driver.open(base + "/navigator")
            try await driver.waitForText("Journey test case")
            try await driver.click("form[action$='/take'] button")
            try await driver.waitForURL(containing: "notice=case-updated")
            try await Self.move(driver, to: .collectingRecords)
            try await Self.move(driver, to: .underReview)
            try await driver.open(base + casePath + "/review")
            try await driver.click(".fact-row.pending form button[type=submit]")
            try await driver.waitForURL(containing: "notice=fact-reviewed")
            try await driver.open(base + casePath)
            try await Self.move(driver, to: .optionsReady)
            // The options: approved labels and trials, criterion by criterion.
            try await driver.open(base + casePath + "/options")
            try await driver.waitForText("Approved therapies (labels by country)")
            #expect(try await driver.pageSource.contains("class=\"criteria-table\""))
            await Self.saveScreenshot(driver, name: "options-phone")
            try await Self.expectNoConsoleErrors(driver, page: "options")
            try await driver.open(base + casePath)
            try await Self.move(driver, to: .eligibilityCoordination)
            // A referral packet for the partner, waiting for consent.
            try await driver.click("#referrals details summary")
            try await driver.type("NCT00000000 (synthetic example)", into: "#ref-option")
            try await driver.click("#referrals form button[type=submit]")
            try await driver.waitForURL(containing: "notice=referral-prepared")
            try await Self.expectNoConsoleErrors(driver, page: "navigator case page")
            await Self.saveScreenshot(driver, name: "navigator-case-phone")
            try await Self.signOut(driver)

            // Patient: gives consent.
            try await Self.signIn(driver, base: base, email: "journey.patient@example.org")
            try await driver.open(base + casePath)
            try await driver.waitForText("Do you agree that")
            try await driver.click("form[action$='/consent'] input[value='give'] ~ button")
            try await driver.waitForURL(containing: "notice=consent-saved")
            try await Self.signOut(driver)

            // Partner: sees only the packet, accepts for screening.
            try await Self.signIn(driver, base: base, email: "journey.partner@example.org", landing: "/partner")
            try await driver.waitForText("NCT00000000")
            try await driver.click("table a[href^='/partner/packets/']")
            try await driver.waitForText("Your answer")
            await Self.saveScreenshot(driver, name: "partner-packet-phone")
            try await driver.click("input[name=decision][value=accept]")
            try await driver.type("Screening visit possible next week.", into: "#reason")
            try await driver.click("form[action$='/respond'] button")
            try await driver.waitForURL(containing: "notice=response-saved")
            try await Self.expectNoConsoleErrors(driver, page: "partner packet")
            try await driver.open(base + casePath)
            #expect(try await driver.pageSource.contains("We could not find that page"), "the partner cannot open the case itself")
            _ = try await driver.consoleEntries() // the expected 404 is not a page error
            try await Self.signOut(driver)

            // Navigator: accepted; travel and admission with its checklist; infusion and follow-up.
            try await Self.signIn(driver, base: base, email: "journey.navigator@example.org")
            try await driver.open(base + casePath)
            #expect(try await driver.pageSource.contains("Where the case stands: Accepted for screening"))
            try await Self.move(driver, to: .travelAndAdmission)
            #expect(try await driver.pageSource.contains("Travel and admission checklist"))
            try await driver.click("#travel form button")
            try await driver.waitForURL(containing: "notice=task-saved")
            try await Self.move(driver, to: .inTreatment)
            try await driver.click("#follow-up details summary")
            try await driver.type("Synthetic example CAR-T", into: "#inf-therapy")
            try await driver.type("2026-12-01", into: "#inf-date")
            try await driver.click("#follow-up form button")
            try await driver.waitForURL(containing: "notice=task-saved")
            try await Self.move(driver, to: .followUp)
            try await driver.open(base + casePath + "/handoff")
            try await driver.waitForText("Hand-off summary for the home oncologist")
            try await Self.expectNoConsoleErrors(driver, page: "hand-off")

            // Every step was enforced and audited.
            let caseID = try #require(UUID(uuidString: casePath.components(separatedBy: "/").last ?? ""))
            let types = Set(try await AuditEvent.query(on: app.db).filter(\.$caseID == caseID).all().map(\.objectType))
            for type in ["case", "document", "fact", "options", "case-stage", "referral-packet", "referral-consent", "referral-response", "travel-item", "infusion", "handoff-summary"] {
                #expect(types.contains(type), "audited: \(type)")
            }
            #expect(try await CaseRecord.find(caseID, on: app.db)?.stage == .followUp)
        }
    }

    /// The trial search as a person fills it in, on a phone: optional boxes left empty,
    /// then a mistake in one, which comes back as a message on the form with the text kept.
    @Test func theTrialSearchFormAcceptsEmptyBoxesAndExplainsMistakes() async throws {
        try await Self.withServerAndBrowser { _, base, driver in
            try await driver.open(base + "/trials")
            #expect(try await driver.pageSource.contains("No trial registry is loaded yet"))
            try await driver.type("CAR-T", into: "#q")
            try await driver.click("form.trial-search button[type=submit]")
            try await driver.waitForURL(containing: "q=CAR-T")
            #expect(try await driver.text(of: "h1") == "Find clinical trials")
            #expect(!(try await driver.pageSource.contains("not of type")))
            #expect(!(try await driver.overflowsHorizontally))

            try await driver.type("Houston", into: "#near")
            try await driver.type("fifty", into: "#age")
            try await driver.click("form.trial-search button[type=submit]")
            try await driver.waitForURL(containing: "age=fifty")
            #expect(try await driver.text(of: "#form-errors").contains("Age: enter an age in years"))
            #expect(try await driver.execute("return document.getElementById('age').value") as? String == "fifty")
            #expect(try await driver.execute("return document.getElementById('near').value") as? String == "Houston")
            try await Self.expectNoConsoleErrors(driver, page: "/trials with a mistake")
        }
    }

    /// The pages of issue 15's later points, as a patient uses them on a phone: a lymphoma
    /// case reviewed a document at a time, its options filtered, a personalised answer that
    /// names the values it used, the learn pages and the picture; none wider than 390 px.
    @Test func theReviewOptionsAskAndLearnPagesWorkOnAPhone() async throws {
        try await Self.withServerAndBrowser { app, base, driver in
            try await makeUser(app, email: "phone.review@example.org", role: .patient)
            try await Self.signIn(driver, base: base, email: "phone.review@example.org")
            try await driver.open(base + "/cases/new")
            try await driver.type("Phone lymphoma case", into: "#title")
            try await driver.click("form.stack-form button[type=submit]")
            try await driver.waitForURL(containing: "notice=case-created")
            let casePath = try await driver.currentURL.replacingOccurrences(of: base, with: "").components(separatedBy: "?")[0]
            let letter = RecordFixtures.repositoryRoot.appendingPathComponent("Tests/OncoRecordsTests/Fixtures/referral-letter.txt").path
            try await driver.chooseFiles([letter], in: "#files")
            try await driver.click("form[data-upload] button[type=submit]")
            try await driver.waitForText("Treatment timeline", timeout: 240)
            var wide: [String] = []
            func check(_ page: String) async throws {
                if try await driver.overflowsHorizontally {
                    wide.append(page)
                    await Self.saveScreenshot(driver, name: "overflow-" + page.replacingOccurrences(of: "/", with: "_").prefix(60))
                }
                try await Self.expectNoConsoleErrors(driver, page: page)
            }

            // Review: method and confidence folded away for a patient; a whole document confirmed at once.
            try await driver.open(base + casePath + "/review")
            try await driver.waitForText("Review the values")
            #expect(try await driver.pageSource.contains("<summary>Details</summary>"))
            #expect(!(try await driver.execute("return [...document.querySelectorAll('.fact-row > p.small')].some(p => p.textContent.includes('confidence'))") as? Bool ?? true))
            try await check("review")
            await Self.saveScreenshot(driver, name: "review-phone")
            // The document viewer offers the same, as "confirm all from this document".
            let viewer = try #require(try await driver.execute("return document.querySelector('a[href*=\"/documents/\"]').getAttribute('href')") as? String)
            try await driver.open(base + viewer)
            try await driver.waitForText("Confirm all from this document")
            try await check("document viewer")
            try await driver.click("form[action$='/confirm-all'] button")
            try await driver.waitForURL(containing: "notice=facts-confirmed")
            #expect(try await driver.pageSource.contains("Confirmed by"))

            // Options: caveats on the card, the region filter says what it changed.
            try await driver.open(base + casePath + "/options")
            try await driver.waitForText("Approved therapies (labels by country)")
            try await check("options")
            try await driver.click("#opt-region option[value='jp']")
            try await driver.click("form.filter-form button[type=submit]")
            try await driver.waitForURL(containing: "region=jp")
            #expect(try await driver.text(of: ".filter-summary").contains("Approved labels in Japan (MHLW (PMDA)) only"))
            #expect(try await driver.pageSource.contains("<strong>Note:</strong>"))
            try await check("options?region=jp")
            await Self.saveScreenshot(driver, name: "options-japan-phone")

            // Ask from the case: the confirmed values it used, the case's cancer only.
            try await driver.open(base + casePath + "/ask?q=" + "Which CAR-T therapies could fit my case?".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            try await driver.waitForText("Based on your confirmed record:")
            let yourCase = try await driver.execute("return [...document.querySelectorAll('.answer-section')].filter(s => s.querySelector('h2').textContent == 'For your case').map(s => s.textContent).join(' ')") as? String ?? ""
            #expect(yourCase.contains("Based on your confirmed record:"))
            for brand in ["Abecma", "Carvykti", "Amtagvi", "Adstiladrin"] { #expect(!yourCase.contains(brand), "\(brand): \(yourCase)") }
            try await check("case ask")

            // Learn: the picture on the compare page, linked from an answer about the difference.
            try await driver.open(base + "/ask?q=" + "What is the difference between CAR-T and gene therapy?".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            try await driver.click("a[href='/learn/compare#therapy-diagram']")
            try await driver.waitForURL(containing: "/learn/compare")
            try await driver.waitForElement("svg.therapy-svg title")
            let svgWidth = try await driver.execute("return document.querySelector('svg.therapy-svg').getBoundingClientRect().right") as? Double ?? 0
            let viewport = try await driver.execute("return window.innerWidth") as? Double ?? 0
            #expect(svgWidth > 300 && svgWidth <= viewport, "the picture fits the screen: \(svgWidth) of \(viewport)")
            try await check("/learn/compare")
            await Self.saveScreenshot(driver, name: "compare-diagram-phone")
            for path in ["/learn/cancers/large-b-cell-lymphoma", "/learn/cancers/lung-cancer", "/learn/search?q=nsclc"] {
                try await driver.open(base + path)
                try await check(path)
            }
            try await driver.open(base + "/learn/cancers/lung-cancer")
            try await driver.click("a[href^='/trials?condition=']")
            try await driver.waitForURL(containing: "/trials?condition=")
            #expect(try await driver.execute("return document.getElementById('condition').value") as? String == "Lung cancer")
            try await check("/trials from a cancer page")
            #expect(wide.isEmpty, "pages wider than a 390 px phone: \(wide)")
        }
    }

    /// At 390 px (a phone) no page is wider than the screen.
    @Test func noPageScrollsSidewaysOnAPhone() async throws {
        try await Self.withServerAndBrowser { app, base, driver in
            let user = try await makeUser(app, email: "phone.patient@example.org", role: .patient)
            let record = CaseRecord(ownerID: try user.requireID(), navigatorID: nil, title: "Phone case")
            try await record.save(on: app.db)
            let caseID = try record.requireID()
            let ask = "/ask?q=" + "What is the difference between CAR-T and gene therapy?".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            var pages = ["/", "/signin", "/signup", "/password/forgot", "/learn", "/learn/compare", "/learn/cancers/dlbcl-nos",
                         "/learn/products/yescarta", "/learn/car-t-journey", "/learn/glossary", "/trials", "/trials?q=CAR-T", ask]
            var wide: [String] = []
            for path in pages {
                try await driver.open(base + path)
                if try await driver.overflowsHorizontally { wide.append(path) }
            }
            try await Self.signIn(driver, base: base, email: "phone.patient@example.org")
            pages = ["/cases", "/cases/new", "/cases/\(caseID)", "/cases/\(caseID)/messages", "/cases/\(caseID)/review", "/cases/\(caseID)/ask?q=What%20is%20CRS%3F", "/account", ask]
            for path in pages {
                try await driver.open(base + path)
                if try await driver.overflowsHorizontally {
                    wide.append(path)
                    await Self.saveScreenshot(driver, name: "overflow-" + path.replacingOccurrences(of: "/", with: "_").prefix(60))
                }
            }
            #expect(wide.isEmpty, "pages wider than a 390 px phone: \(wide)")
        }
    }
}
