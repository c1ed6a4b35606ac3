import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct AuditTests {
    @Test func aPatientAskingForAnotherPatientsCaseGets404AndTheAttemptIsLogged() async throws {
        try await withTestApp { app in
            let alice = try await makeUser(app, email: "alice@example.org", role: .patient)
            try await makeUser(app, email: "bob@example.org", role: .patient)
            let record = CaseRecord(ownerID: alice.id, navigatorID: nil, title: "Alice's synthetic case")
            try await record.save(on: app.db)

            let bob = TestBrowser(app)
            _ = try await bob.signIn("bob@example.org")
            let response = try await bob.get("/cases/\(record.id!)")

            #expect(response.status == .notFound)
            #expect(!response.text.contains("Alice"))
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$caseID == record.id!).first())
            #expect(event.actorEmail == "bob@example.org")
            #expect(event.actorRole == "patient")
            #expect(event.action == "read" && event.outcome == "denied" && event.objectType == "case")
            #expect(event.clientAddress != nil)
        }
    }

    @Test func readsAndChangesAreLogged() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            let created = try await browser.post("/cases", form: ["title": "Synthetic"])
            let path = try #require(created.location?.split(separator: "?").first.map(String.init))
            _ = try await browser.get(path)
            _ = try await browser.post(path + "/edit", form: ["title": "Renamed"])
            _ = try await browser.post(path + "/delete")
            let actions = try await AuditEvent.query(on: app.db).filter(\.$objectType == "case").sort(\.$occurredAt).all().map(\.action)
            #expect(actions == ["create", "read", "update", "delete"])
        }
    }

    @Test func theDatabaseRefusesToRewriteTheLog() async throws {
        try await withTestApp { app in
            try await AuditEvent(actorID: nil, actorEmail: nil, actorRole: nil, action: .read, objectType: "case", objectID: nil, caseID: nil, outcome: .allowed, clientAddress: nil, occurredAt: Date())
                .create(on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_events SET outcome = 'denied'").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_events").run() }
            #expect(try await AuditEvent.query(on: app.db).count() == 1)
        }
    }

    @Test func adminsFilterAndExportTheLogAsCSV() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let patient = try await makeUser(app, email: "p@example.org", role: .patient)
            let record = CaseRecord(ownerID: patient.id, navigatorID: nil, title: "Synthetic")
            try await record.save(on: app.db)
            let stranger = TestBrowser(app)
            try await makeUser(app, email: "other@example.org", role: .patient)
            _ = try await stranger.signIn("other@example.org")
            _ = try await stranger.get("/cases/\(record.id!)")

            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            let page = try await admin.get("/admin/audit?outcome=denied")
            #expect(page.status == .ok)
            #expect(page.text.contains("other@example.org"))
            let csv = try await admin.get("/admin/audit.csv?caseID=\(record.id!)")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first == "time,actor,role,action,object_type,object_id,case_id,outcome,client_address")
            #expect(lines.count == 2 && lines[1].contains("denied"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "export").count() == 1, "the export is itself audited")
            #expect(try await admin.get("/admin/audit?caseID=not-a-uuid").status == .badRequest)
        }
    }

    @Test func nonAdminsCannotSeeTheLog() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "n@example.org", role: .navigator)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("n@example.org")
            #expect(try await browser.get("/admin/audit").status == .forbidden)
            #expect(try await browser.get("/admin/audit.csv").status == .forbidden)
        }
    }

    @Test func csvFieldsCannotInjectFormulas() {
        #expect(CSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
    }
}
