import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct CSRFTests {
    @Test func aFormWithoutTheTokenIsRefused() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            let response = try await browser.post("/cases", form: ["title": "Forged"], csrf: "")
            #expect(response.status == .forbidden)
            #expect(response.text.contains("expired or was sent from another site"))
            #expect(try await CaseRecord.query(on: app.db).count() == 0)
        }
    }

    @Test func aFormWithAnotherBrowsersTokenIsRefused() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let attacker = TestBrowser(app)
            _ = try await attacker.get("/")
            let victim = TestBrowser(app)
            _ = try await victim.signIn("p@example.org")
            let response = try await victim.post("/cases", form: ["title": "Forged"], csrf: attacker.csrfToken!)
            #expect(response.status == .forbidden)
            #expect(try await victim.post("/cases", form: ["title": "Real"]).status == .seeOther)
            #expect(try await CaseRecord.query(on: app.db).all().map(\.title) == ["Real"])
        }
    }

    @Test func signInItselfNeedsTheToken() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let response = try await TestBrowser(app).post("/signin", form: ["email": "p@example.org", "password": "long enough secret phrase"], csrf: "wrong")
            #expect(response.status == .forbidden)
        }
    }
}

@Suite struct ThrottleTests {
    @Test func fiveFailuresLockTheAccountEvenForTheRightPassword() async throws {
        // A stopped clock: the message names the minutes left, which must not depend on how
        // long a loaded machine takes to run the attempts.
        let clock = MutableClock(Date())
        try await withTestApp(clock: clock.appClock) { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            for _ in 0..<5 { #expect(try await browser.signIn("p@example.org", password: "wrong guess here").status == .unauthorized) }
            let locked = try await browser.signIn("p@example.org")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Too many failed sign-in attempts for this account"))
            #expect(locked.text.contains("15 minutes"))
        }
    }

    @Test func theLockLiftsAfterTheWindow() async throws {
        let clock = MutableClock(Date())
        try await withTestApp(clock: clock.appClock) { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            for _ in 0..<5 { _ = try await browser.signIn("p@example.org", password: "wrong guess here") }
            #expect(try await browser.signIn("p@example.org").status == .tooManyRequests)
            clock.advance(by: 15 * 60 + 1)
            #expect(try await browser.signIn("p@example.org").status == .seeOther)
        }
    }

    @Test func manyFailuresFromOneAddressLockEveryAccountFromThere() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "victim@example.org", role: .patient)
            let browser = TestBrowser(app)
            // Spread over accounts so that no single account reaches its own limit.
            for index in 0..<20 { _ = try await browser.signIn("guess\(index % 10)@example.org", password: "wrong guess here") }
            let locked = try await browser.signIn("victim@example.org")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("from your network"))
        }
    }
}

@Suite struct APITokenTests {
    @Test func aTokenCreatedOnTheAccountPageAuthenticatesTheAPI() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            let page = try await browser.post("/account/tokens", form: ["name": "my script"])
            #expect(page.status == .ok)
            let token = try #require(page.text.firstMatch(of: /onc_[A-Za-z0-9_-]{43}/).map { String($0.output) })
            let stored = try #require(try await APIToken.query(on: app.db).first())
            #expect(stored.tokenHash == SecureToken.hash(token) && !stored.tokenHash.contains(token))
            let me = try await APIClient(app: app, token: token).send(.GET, "/api/v1/me")
            #expect(me.status == .ok)
            #expect(me.text.contains("p@example.org"))
            // Shown once: the account page no longer has it.
            #expect(!(try await browser.get("/account").text.contains(token)))
        }
    }

    @Test func aRevokedTokenStopsWorking() async throws {
        try await withTestApp { app in
            let user = try await makeUser(app, email: "p@example.org", role: .patient)
            let (record, token) = try await APITokens.create(for: user, name: "t", on: app.db)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            #expect(try await browser.post("/account/tokens/\(record.id!)/revoke").status == .seeOther)
            let response = try await APIClient(app: app, token: token).send(.GET, "/api/v1/me")
            #expect(response.status == .unauthorized)
        }
    }

    @Test func theAPIAnswersProblemJSONAndIgnoresSessionCookies() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            let response = try await browser.get("/api/v1/me")
            #expect(response.status == .unauthorized, "cookies do not authenticate the API, so it needs no CSRF token")
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            let problem = try JSONDecoder().decode(OncoNavErrorMiddleware.Problem.self, from: Data(response.text.utf8))
            #expect(problem.status == 401 && !problem.detail.isEmpty)
            #expect(try await APIClient(app: app, token: "onc_forged").send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func invalidAPIInputGetsAClearProblem() async throws {
        try await withTestApp { app in
            let user = try await makeUser(app, email: "p@example.org", role: .patient)
            let token = try await APITokens.create(for: user, name: "t", on: app.db).1
            let api = APIClient(app: app, token: token)
            let empty = try await api.send(.POST, "/api/v1/cases", json: #"{"title":"   "}"#)
            #expect(empty.status == .badRequest && empty.text.contains("title"), "\(empty.text)")
            let broken = try await api.send(.POST, "/api/v1/cases", json: #"{"title": "#)
            #expect(broken.status == .badRequest)
            #expect(try await api.send(.POST, "/api/v1/cases", json: #"{"title":"Synthetic case"}"#).status == .created)
        }
    }
}
