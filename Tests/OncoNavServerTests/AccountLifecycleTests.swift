import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct PasswordResetTests {
    static func resetLink(in app: Application, to email: String) async throws -> String {
        let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).sort(\.$createdAt, .descending).first())
        // The link exists only in the email as delivered; the stored body has a placeholder.
        let match = try #require(message.deliverableBody(store: app.documentStore).firstMatch(of: /\/password\/reset\/[A-Za-z0-9_-]+/))
        return String(match.output)
    }

    @Test func theResetLinkGoesThroughTheOutboxAndWorksOnce() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            #expect(try await browser.post("/password/forgot", form: ["email": "p@example.org"]).location == "/signin?notice=reset-sent")
            let link = try await Self.resetLink(in: app, to: "p@example.org")
            #expect(try await browser.get(link).status == .ok)
            let done = try await browser.post(link, form: ["password": "a brand new phrase", "passwordConfirmation": "a brand new phrase"])
            #expect(done.location == "/signin?notice=password-reset")
            #expect(try await browser.signIn("p@example.org", password: "a brand new phrase").status == .seeOther)
            let again = try await TestBrowser(app).post(link, form: ["password": "another new phrase", "passwordConfirmation": "another new phrase"])
            #expect(again.status == .badRequest)
            #expect(again.text.contains("expired or was already used"))
        }
    }

    @Test func unknownAddressesGetTheSameAnswerAndNoEmail() async throws {
        try await withTestApp { app in
            let response = try await TestBrowser(app).post("/password/forgot", form: ["email": "nobody@example.org"])
            #expect(response.location == "/signin?notice=reset-sent")
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
        }
    }

    @Test func theLinkExpiresAfterAnHour() async throws {
        let clock = MutableClock(Date())
        try await withTestApp(clock: clock.appClock) { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            _ = try await TestBrowser(app).post("/password/forgot", form: ["email": "p@example.org"])
            let link = try await Self.resetLink(in: app, to: "p@example.org")
            clock.advance(by: 3601)
            #expect(try await TestBrowser(app).get(link).status == .badRequest)
        }
    }

    @Test func aResetSignsOutEveryDevice() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let phone = TestBrowser(app)
            _ = try await phone.signIn("p@example.org")
            _ = try await TestBrowser(app).post("/password/forgot", form: ["email": "p@example.org"])
            let link = try await Self.resetLink(in: app, to: "p@example.org")
            _ = try await TestBrowser(app).post(link, form: ["password": "a brand new phrase", "passwordConfirmation": "a brand new phrase"])
            #expect(try await phone.get("/account").status == .seeOther)
        }
    }
}

@Suite struct AdminSetupTests {
    @Test func theSetupLinkCreatesTheFirstAdminOnce() async throws {
        try await withTestApp { app in
            let link = try #require(try await SetupController.prepareSetupLink(app: app))
            let browser = TestBrowser(app)
            #expect(try await browser.get(link.path).status == .ok)
            let response = try await browser.post(link.path, form: ["email": "root@example.org", "displayName": "Root", "password": "admin phrase long", "passwordConfirmation": "admin phrase long"])
            #expect(response.status == .seeOther)
            #expect(try await User.query(on: app.db).filter(\.$role == .admin).count() == 1)
            #expect(try await TestBrowser(app).get(link.path).status == .notFound, "one-time")
            #expect(try await SetupController.prepareSetupLink(app: app) == nil, "no new link once an admin exists")
        }
    }

    @Test func aGuessedSetupTokenIsNotFound() async throws {
        try await withTestApp { app in
            _ = try await SetupController.prepareSetupLink(app: app)
            #expect(try await TestBrowser(app).get("/setup/guessed-token").status == .notFound)
        }
    }

    @Test func adminsInviteStaffWhoChooseTheirOwnPassword() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            let created = try await admin.post("/admin/users", form: ["email": "partner@hospital.example", "displayName": "Dr P", "role": "partner", "organization": "General Hospital"])
            #expect(created.status == .seeOther)
            let partner = try #require(try await User.query(on: app.db).filter(\.$email == "partner@hospital.example").with(\.$organization).first())
            #expect(partner.role == .partner && partner.organization?.name == "General Hospital")
            let outbox = try await admin.get("/admin/outbox")
            #expect(outbox.text.contains("partner@hospital.example"))
            let link = try await PasswordResetTests.resetLink(in: app, to: "partner@hospital.example")
            let browser = TestBrowser(app)
            _ = try await browser.post(link, form: ["password": "grey heron river", "passwordConfirmation": "grey heron river"])
            #expect(try await browser.signIn("partner@hospital.example", password: "grey heron river").status == .seeOther)
            let missingOrganization = try await admin.post("/admin/users", form: ["email": "p2@hospital.example", "displayName": "P2", "role": "partner"])
            #expect(missingOrganization.status == .unprocessableEntity)
            #expect(missingOrganization.text.contains("organisation"))
        }
    }
}
