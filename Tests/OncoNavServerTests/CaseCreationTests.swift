import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct CaseCreationTests {
    @Test func aNavigatorOpensACaseForAPatientAccountAndIsAssigned() async throws {
        try await withTestApp { app in
            let patient = try await makeUser(app, email: "p@example.org", role: .patient)
            let navigator = try await makeUser(app, email: "n@example.org", role: .navigator)
            let token = try await APITokens.create(for: navigator, name: "t", on: app.db).1
            let response = try await APIClient(app: app, token: token).send(.POST, "/api/v1/cases", json: #"{"title":"Synthetic inquiry","patientEmail":"P@example.org"}"#)
            #expect(response.status == .created)
            let record = try #require(try await CaseRecord.query(on: app.db).first())
            #expect(record.$owner.id == patient.id && record.$navigator.id == navigator.id)
            let unknown = try await APIClient(app: app, token: token).send(.POST, "/api/v1/cases", json: #"{"title":"x","patientEmail":"nobody@example.org"}"#)
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func aPatientsCaseIsTheirsWhateverTheFormSays() async throws {
        try await withTestApp { app in
            let patient = try await makeUser(app, email: "p@example.org", role: .patient)
            try await makeUser(app, email: "other@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            #expect(try await browser.post("/cases", form: ["title": "Mine", "patientEmail": "other@example.org"]).status == .seeOther)
            #expect(try await CaseRecord.query(on: app.db).first()?.$owner.id == patient.id)
        }
    }

    @Test func partnersCannotOpenCases() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "partner@example.org", role: .partner, organization: "General Hospital")
            let browser = TestBrowser(app)
            _ = try await browser.signIn("partner@example.org")
            #expect(try await browser.post("/cases", form: ["title": "x"]).status == .forbidden)
        }
    }
}
