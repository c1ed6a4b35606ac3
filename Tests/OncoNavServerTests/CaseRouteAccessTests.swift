import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Every role × every route that touches a case, through HTTP, against the real database:
/// allowed requests succeed, refused ones answer 404 exactly like a missing case, and every
/// attempt is in the audit log.
@Suite struct CaseRouteAccessTests {
    enum Who: String, CaseIterable, Sendable {
        case owner, otherPatient, assignedNavigator, otherNavigator, sharedPartner, otherPartner, admin
        var email: String { "\(rawValue.lowercased())@example.org" }
    }

    enum CaseRoute: String, CaseIterable, Sendable {
        case pageShow, pageEdit, pageAssign, pageDelete, apiGet, apiPatch, apiDelete

        /// The action the route performs, to look up the expected answer in the policy.
        var action: CaseAction {
            switch self {
            case .pageShow, .apiGet: .read
            case .pageEdit, .apiPatch: .update
            case .pageAssign: .assign
            case .pageDelete, .apiDelete: .delete
            }
        }

        /// Roles that the route admits before case-level checks (`RouteAccess`).
        var admitsRole: (Role) -> Bool {
            switch self {
            case .pageAssign: { $0 == .navigator || $0 == .admin }
            default: { _ in true }
            }
        }
    }

    static let expected: [Who: Set<CaseAction>] = [
        .owner: [.read, .update, .delete],
        .otherPatient: [],
        .assignedNavigator: [.read, .update, .assign, .share],
        .otherNavigator: [],
        .sharedPartner: [],
        .otherPartner: [],
        .admin: Set(CaseAction.allCases),
    ]

    struct Fixture {
        var users: [Who: User] = [:]
        var browsers: [Who: TestBrowser] = [:]
        var tokens: [Who: String] = [:]
    }

    static func fixture(_ app: Application) async throws -> Fixture {
        var fixture = Fixture()
        for who in Who.allCases {
            let role: Role = switch who {
            case .owner, .otherPatient: .patient
            case .assignedNavigator, .otherNavigator: .navigator
            case .sharedPartner, .otherPartner: .partner
            case .admin: .admin
            }
            let organization = who == .sharedPartner ? "Shared Hospital" : who == .otherPartner ? "Other Hospital" : nil
            let user = try await makeUser(app, email: who.email, role: role, organization: organization)
            fixture.users[who] = user
            let browser = TestBrowser(app)
            let response = try await browser.signIn(who.email)
            #expect(response.status == .seeOther)
            fixture.browsers[who] = browser
            fixture.tokens[who] = try await APITokens.create(for: user, name: "test", on: app.db).1
        }
        return fixture
    }

    static func makeCase(_ app: Application, _ fixture: Fixture) async throws -> CaseRecord {
        let record = CaseRecord(ownerID: fixture.users[.owner]!.id, navigatorID: fixture.users[.assignedNavigator]!.id, title: "Synthetic test case")
        try await record.save(on: app.db)
        let sharedOrg = fixture.users[.sharedPartner]!.$organization.id!
        try await CaseShare(caseID: record.id!, organizationID: sharedOrg, expiresAt: Date().addingTimeInterval(3600)).save(on: app.db)
        return record
    }

    static func request(_ route: CaseRoute, caseID: UUID, who: Who, fixture: Fixture, app: Application) async throws -> HTTPStatus {
        let browser = fixture.browsers[who]!
        let api = APIClient(app: app, token: fixture.tokens[who])
        switch route {
        case .pageShow: return try await browser.get("/cases/\(caseID)").status
        case .pageEdit: return try await browser.post("/cases/\(caseID)/edit", form: ["title": "Renamed"]).status
        case .pageAssign: return try await browser.post("/cases/\(caseID)/assign", form: ["navigatorID": fixture.users[.assignedNavigator]!.id!.uuidString]).status
        case .pageDelete: return try await browser.post("/cases/\(caseID)/delete").status
        case .apiGet: return try await api.send(.GET, "/api/v1/cases/\(caseID)").status
        case .apiPatch: return try await api.send(.PATCH, "/api/v1/cases/\(caseID)", json: #"{"title":"Renamed"}"#).status
        case .apiDelete: return try await api.send(.DELETE, "/api/v1/cases/\(caseID)").status
        }
    }

    @Test(arguments: CaseRoute.allCases)
    func everyRoleGetsExactlyWhatThePolicyAllows(route: CaseRoute) async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            for who in Who.allCases {
                // A fresh case each time, so a permitted delete does not affect the next row.
                let record = try await Self.makeCase(app, fixture)
                let caseID = try record.requireID()
                let status = try await Self.request(route, caseID: caseID, who: who, fixture: fixture, app: app)
                let role = fixture.users[who]!.role
                let allowed = Self.expected[who]!.contains(route.action)
                if !route.admitsRole(role) {
                    #expect(status == .forbidden, "\(who) \(route): role refused before the case is looked at")
                } else if allowed {
                    #expect([.ok, .seeOther, .noContent].contains(status), "\(who) \(route) should be allowed, got \(status)")
                } else {
                    #expect(status == .notFound, "\(who) \(route) should look like a missing case, got \(status)")
                    let denied = try await AuditEvent.query(on: app.db)
                        .filter(\.$caseID == caseID).filter(\.$outcome == "denied").filter(\.$actorID == fixture.users[who]!.id).count()
                    #expect(denied == 1, "\(who) \(route): the refused attempt is audited")
                }
            }
        }
    }

    @Test func aMissingCaseAndAForbiddenCaseLookTheSame() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            let record = try await Self.makeCase(app, fixture)
            let stranger = fixture.browsers[.otherPatient]!
            let forbidden = try await stranger.get("/cases/\(record.id!)")
            let missing = try await stranger.get("/cases/\(UUID())")
            #expect(forbidden.status == .notFound && missing.status == .notFound)
            #expect(forbidden.text == missing.text, "the answer must not reveal that the case exists")
        }
    }

    @Test func caseListsShowOnlyReadableCases() async throws {
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            let shared = try await Self.makeCase(app, fixture)
            let unshared = CaseRecord(ownerID: fixture.users[.otherPatient]!.id, navigatorID: nil, title: "Another synthetic case")
            try await unshared.save(on: app.db)
            for who in Who.allCases {
                let response = try await APIClient(app: app, token: fixture.tokens[who]).send(.GET, "/api/v1/cases")
                #expect(response.status == .ok)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let ids = try decoder.decode(APIController.CaseListDTO.self, from: Data(response.text.utf8)).cases.map(\.id)
                let expectShared = Self.expected[who]!.contains(.read)
                #expect(ids.contains(shared.id!) == expectShared, "\(who) sees the shared case: \(expectShared)")
                #expect(ids.contains(unshared.id!) == (who == .admin || who == .otherPatient), "\(who) and the unshared case")
            }
        }
    }

    @Test func aShareNeverOpensTheWholeCaseToAPartner() async throws {
        // Partners see referral packets only (ReferralTests); even an old-style share of the
        // whole case gives them nothing.
        try await withTestApp { app in
            let fixture = try await Self.fixture(app)
            let record = try await Self.makeCase(app, fixture)
            let partner = fixture.browsers[.sharedPartner]!
            #expect(try await partner.get("/cases/\(record.id!)").status == .notFound)
        }
    }
}
