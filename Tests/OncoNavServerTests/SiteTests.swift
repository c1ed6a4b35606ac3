import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

@Suite struct SiteTests {
    @Test func everyRouteHasAnAccessRule() async throws {
        try await withTestApp { app in
            let missing = app.routes.all.filter { $0.access == nil }.map(\.description)
            #expect(missing.isEmpty, "routes without an access rule: \(missing)")
        }
    }

    @Test func theHomePageSaysWhatOncoNavDoesAndCarriesTheDisclaimer() async throws {
        try await withTestApp { app in
            let home = try await TestBrowser(app).get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("does not give medical advice"))
            #expect(home.text.contains("Create a free account"))
            #expect(home.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test func errorPagesAreHTMLWithTheLayout() async throws {
        try await withTestApp { app in
            let missing = try await TestBrowser(app).get("/no-such-page")
            #expect(missing.status == .notFound)
            #expect(missing.headers.contentType == .html)
            #expect(missing.text.contains("Page not found") && missing.text.contains("does not give medical advice"))
            try await makeUser(app, email: "p@example.org", role: .patient)
            let patient = TestBrowser(app)
            _ = try await patient.signIn("p@example.org")
            let forbidden = try await patient.get("/admin/users")
            #expect(forbidden.status == .forbidden && forbidden.text.contains("Not allowed"))
        }
    }

    @Test func signedOutVisitorsAreSentToSignInAndBack() async throws {
        try await withTestApp { app in
            let response = try await TestBrowser(app).get("/cases")
            #expect(response.status == .seeOther)
            #expect(response.location == "/signin?next=%2Fcases")
        }
    }

    @Test func signInRefusesToRedirectOffSite() {
        #expect(AuthController.safeNext("//evil.example") == nil)
        #expect(AuthController.safeNext("https://evil.example") == nil)
        #expect(AuthController.safeNext("/cases") == "/cases")
    }

    @Test func hostileInputIsEscaped() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "p@example.org", role: .patient)
            let browser = TestBrowser(app)
            _ = try await browser.signIn("p@example.org")
            let created = try await browser.post("/cases", form: ["title": "<script>alert(1)</script>"])
            let page = try await browser.get(try #require(created.location))
            #expect(!page.text.contains("<script>alert(1)</script>"))
            #expect(page.text.contains("&lt;script&gt;"))
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withTestApp { app in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok && ready.text.contains("reachable"))
        }
    }

    @Test func theNavigationDependsOnTheRole() async throws {
        try await withTestApp { app in
            try await makeUser(app, email: "admin@example.org", role: .admin)
            try await makeUser(app, email: "p@example.org", role: .patient)
            let admin = TestBrowser(app), patient = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            _ = try await patient.signIn("p@example.org")
            #expect(try await admin.get("/account").text.contains("href=\"/admin/audit\""))
            #expect(!(try await patient.get("/account").text.contains("href=\"/admin/audit\"")))
        }
    }
}

@Suite struct OpenAPITests {
    /// `/api/v1/cases/:caseID` → `/api/v1/cases/{caseID}`
    static func template(_ route: Route) -> String {
        "/" + route.path.map { component in
            switch component {
            case .parameter(let name): "{\(name)}"
            default: component.description
            }
        }.joined(separator: "/")
    }

    @Test func everyAPIRouteIsDescribedAndNothingElse() async throws {
        try await withTestApp { app in
            let registered = Set(app.routes.all.filter { $0.path.first?.description == "api" && $0.path.dropFirst().first?.description == "v1" }
                .map { "\($0.method.rawValue.lowercased()) \(Self.template($0))" })
            let response = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
            #expect(json?["openapi"] as? String == "3.1.0")
            let paths = try #require(json?["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
            #expect(!registered.isEmpty)
        }
    }
}

@Suite struct ConfigurationTests {
    @Test func everyProblemIsListedAtOnce() {
        let environment = ["DATABASE_URL": "mysql://x", "ONCONAV_BCRYPT_COST": "99", "ONCONAV_SECURE_COOKIES": "maybe", "ONCONAV_MASTER_KEY": "short"]
        #expect {
            try AppConfig.fromEnvironment(environment)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.problems.count == 4 && error.description.contains("DATABASE_URL") && error.description.contains("ONCONAV_MASTER_KEY")
        }
    }

    @Test func defaultsSuitALaptop() throws {
        let config = try AppConfig.fromEnvironment([:])
        #expect(config.dataDirectory.lastPathComponent == "onconav-data")
        #expect(config.database == .sqliteFile(config.dataDirectory.appendingPathComponent("onconav.sqlite").path))
        #expect(config.secureCookies == false && config.bcryptCost == 12)
    }

    @Test func postgresURLsAndTLSAreRecognised() throws {
        let config = try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://u:p@db:5432/onconav", "ONCONAV_PUBLIC_URL": "https://onconav.example.org"])
        #expect(config.database == .postgres(URL(string: "postgres://u:p@db:5432/onconav")!))
        #expect(config.secureCookies)
    }
}
