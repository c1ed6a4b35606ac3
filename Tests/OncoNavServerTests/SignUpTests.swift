import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Sign-up does not reveal whether an address has an account (issue 15, security 7).
@Suite struct SignUpTests {
    static func form(_ email: String) -> [String: String] {
        ["email": email, "displayName": "Someone", "password": "seven blue herons", "passwordConfirmation": "seven blue herons"]
    }

    @Test func theAnswerIsTheSameWhetherOrNotTheAddressHasAnAccount() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "owner@example.org", role: .patient)
            let taken = try await TestBrowser(app).post("/signup", form: Self.form("owner@example.org"))
            let free = try await TestBrowser(app).post("/signup", form: Self.form("newcomer@example.org"))
            #expect(taken.status == free.status)
            #expect(taken.status == .seeOther)
            #expect(taken.location == free.location)
            #expect(taken.text == free.text)
            #expect(!taken.text.contains("already exists"))
            #expect(taken.headers[.setCookie].contains { $0.hasPrefix(SessionCookie.name) } == free.headers[.setCookie].contains { $0.hasPrefix(SessionCookie.name) })
            let page = try await TestBrowser(app).get(try #require(taken.location))
            #expect(page.text.contains("If the address already has an account, we have emailed its owner"))
        }
    }

    @Test func theExistingOwnerIsEmailedANoticeWithoutHealthDataAndTheAccountIsUnchanged() async throws {
        try await withTestApp { app in
            let owner = try await makeUser(app, email: "owner@example.org", role: .patient)
            let record = CaseRecord(ownerID: try owner.requireID(), navigatorID: nil, title: "Dad's myeloma")
            try await record.save(on: app.db)
            _ = try await TestBrowser(app).post("/signup", form: Self.form("owner@example.org"))
            let notices = try await OutboxMessage.query(on: app.db).filter(\.$recipient == "owner@example.org").all()
            #expect(notices.count == 1)
            let notice = try #require(notices.first)
            #expect(notice.subject == "Someone tried to sign up with your address")
            #expect(notice.body.contains("/password/forgot") && notice.body.contains("/signin"))
            #expect(!notice.body.contains("myeloma") && !notice.body.contains("Dad"), "no health data")
            #expect(notice.sealedLink == nil, "no live link in a notice")
            // The account keeps its password, and nobody was signed in to it.
            #expect(try await TestBrowser(app).signIn("owner@example.org").status == .seeOther)
            #expect(try await TestBrowser(app).signIn("owner@example.org", password: "seven blue herons").status == .unauthorized)
            #expect(try await UserSession.query(on: app.db).filter(\.$user.$id == owner.requireID()).count() == 1, "only the sign-in above")
        }
    }

    @Test func anUnfinishedSignUpCanBeAskedForAgainAndOnlyTheNewestLinkWorks() async throws {
        try await withTestApp { app in
            _ = try await TestBrowser(app).post("/signup", form: Self.form("newcomer@example.org"))
            let first = try await signUpLink(app, for: "newcomer@example.org")
            try await Task.sleep(nanoseconds: 5_000_000)
            _ = try await TestBrowser(app).post("/signup", form: Self.form("newcomer@example.org"))
            let second = try await signUpLink(app, for: "newcomer@example.org")
            #expect(first != second)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Someone tried to sign up with your address").count() == 0)
            #expect(try await TestBrowser(app).post(first).status == .badRequest)
            #expect(try await TestBrowser(app).post(second).status == .seeOther)
        }
    }
}
