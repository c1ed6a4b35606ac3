import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct AuthTests {
    @Test func aPatientSignsUpThroughTheEmailedLinkAndIsSignedIn() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let response = try await browser.post("/signup", form: ["email": "New.Patient@Example.org", "displayName": "New", "password": "seven blue herons", "passwordConfirmation": "seven blue herons"])
            #expect(response.status == .seeOther)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "new.patient@example.org").first())
            #expect(user.role == .patient)
            #expect(user.passwordHash.hasPrefix("$2"), "bcrypt hash")
            #expect(try await browser.get("/account").status != .ok, "not signed in before the link is followed")
            #expect(try await TestBrowser(app).signIn("new.patient@example.org", password: "seven blue herons").status == .unauthorized)
            let link = try await signUpLink(app, for: "new.patient@example.org")
            #expect(try await browser.get(link).status == .ok)
            #expect(try await browser.post(link).status == .seeOther)
            #expect(try await browser.get("/account").status == .ok)
            #expect(try await TestBrowser(app).post(link).status == .badRequest, "the link works once")
        }
    }

    @Test(arguments: ["short", "password123", "qwertyuiop", "1234567890"])
    func weakPasswordsAreRefusedWithAReason(password: String) async throws {
        try await withTestApp { app in
            let response = try await TestBrowser(app).post("/signup", form: ["email": "p@example.org", "password": password, "passwordConfirmation": password])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("Please check the form"))
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test func staffRolesCannotBeChosenAtSignUp() async throws {
        try await withTestApp { app in
            _ = try await TestBrowser(app).post("/signup", form: ["email": "p@example.org", "password": "seven blue herons", "passwordConfirmation": "seven blue herons", "role": "admin"])
            #expect(try await User.query(on: app.db).first()?.role == .patient)
        }
    }

    @Test func sessionCookiesAreHttpOnlyLaxAndRotateOnSignIn() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            let first = try #require(browser.sessionToken)
            let response = try await browser.signIn("p@example.org")
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(SessionCookie.name) })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "not configured for TLS in tests")
            #expect(browser.sessionToken != first, "signing in issues a new session id")
            let stored = try await UserSession.query(on: app.db).all().map(\.tokenHash)
            #expect(!stored.contains(SecureToken.hash(first)), "the old session is gone")
            #expect(!stored.contains(browser.sessionToken!), "only hashes are stored")
        }
    }

    @Test func wrongPasswordsAreRefusedWithoutSayingWhichPartWasWrong() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let wrongPassword = try await TestBrowser(app).signIn("p@example.org", password: "not the password")
            let noAccount = try await TestBrowser(app).signIn("nobody@example.org", password: "not the password")
            #expect(wrongPassword.status == .unauthorized && noAccount.status == .unauthorized)
            #expect(wrongPassword.text.contains("email address or password is not right"))
            #expect(noAccount.text.contains("email address or password is not right"))
        }
    }

    @Test func signOutEverywhereEndsEverySession() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let laptop = TestBrowser(app), phone = TestBrowser(app)
            _ = try await laptop.signIn("p@example.org")
            _ = try await phone.signIn("p@example.org")
            #expect(try await phone.get("/account").status == .ok)
            _ = try await laptop.post("/account/signout-everywhere")
            #expect(try await phone.get("/account").status == .seeOther, "redirected to sign in")
            #expect(try await laptop.get("/account").status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test func sessionsExpireWhenIdle() async throws {
        let start = Date()
        let clock = MutableClock(start)
        try await withTestApp(clock: clock.appClock) { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            #expect(try await browser.get("/account").status == .ok)
            clock.advance(by: SessionCookie.idleTimeout + 1)
            #expect(try await browser.get("/account").status == .seeOther)
        }
    }

    @Test func signOutIsAFormPostNotALink() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            #expect(try await browser.get("/signout").status == .notFound)
            #expect(try await browser.post("/signout").status == .seeOther)
            #expect(try await browser.get("/account").status == .seeOther)
        }
    }
}

/// A clock tests can move forward.
final class MutableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    func advance(by interval: TimeInterval) { lock.withLock { current += interval } }
    var now: Date { lock.withLock { current } }
    var appClock: AppClock { AppClock(now: { [self] in now }) }
}

/// The path of the sign-up link emailed to `email` (as the delivered email carries it).
func signUpLink(_ app: Application, for email: String) async throws -> String {
    let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).filter(\.$subject == "Finish creating your OncoNav account").sort(\.$createdAt, .descending).first())
    let match = try #require(message.deliverableBody(store: app.documentStore).firstMatch(of: /\/signup\/confirm\/[A-Za-z0-9_-]+/))
    return String(match.output)
}
