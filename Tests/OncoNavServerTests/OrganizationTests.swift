import Fluent
import Foundation
import OncoTrials
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct OrganizationTests {
    @Test func partnerOrganisationsAreLinkedToRegistrySitesByName() async throws {
        try await withTestApp { app in
            try OptionsTests.loadLymphomaTrials(app, limit: 25)
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            // A facility of an imported study, as a partner organisation.
            var facility: (name: String, nct: String)?
            try StudyImportReader(source: .file(TrialPageTests.oncologyStudies)).read { record in
                if facility == nil, case .study(let imported) = record,
                   imported.study.conditions.contains(where: { $0.localizedCaseInsensitiveContains("lymphoma") }),
                   let name = imported.study.locations.compactMap(\.facility).first(where: { $0.count > 8 }) {
                    facility = (name, imported.study.nctID)
                }
            }
            let site = try #require(facility)
            let saved = try await admin.post("/admin/organizations", form: ["name": site.name, "kind": "hospital", "city": "Somewhere", "languages": "English, Spanish", "therapies": "CAR-T", "acceptsInternational": "yes"])
            #expect(saved.status == .seeOther)
            let page = try await admin.get("/admin/organizations")
            #expect(page.text.contains("/trials/\(site.nct)"))
            #expect(page.text.contains("English, Spanish"))
            let duplicate = try await admin.post("/admin/organizations", form: ["name": site.name, "kind": "hospital"])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.text.contains("already exists"))
        }
    }
}
