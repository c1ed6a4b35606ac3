import Foundation
import Testing
@testable import OncoNavServer

/// The policy as a table: every role, in every relation to a case, for every action.
@Suite struct CasePolicyTests {
    static let owner = UUID(), otherPatient = UUID(), navigator = UUID(), otherNavigator = UUID()
    static let admin = UUID(), partner = UUID(), sharedOrg = UUID(), otherOrg = UUID()
    static let facts = CaseAccessFacts(ownerID: owner, navigatorID: navigator, sharedWithOrganizations: [sharedOrg])

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let actor: Actor
        let allowed: Set<CaseAction>
        var testDescription: String { name }
    }

    static let table: [Row] = [
        Row(name: "owning patient", actor: Actor(userID: owner, role: .patient), allowed: [.read, .update, .delete, .message]),
        Row(name: "another patient", actor: Actor(userID: otherPatient, role: .patient), allowed: []),
        Row(name: "assigned navigator", actor: Actor(userID: navigator, role: .navigator), allowed: [.read, .update, .assign, .share, .message]),
        Row(name: "unassigned navigator", actor: Actor(userID: otherNavigator, role: .navigator), allowed: []),
        Row(name: "partner the case is shared with", actor: Actor(userID: partner, role: .partner, organizationID: sharedOrg), allowed: []),
        Row(name: "partner of another organisation", actor: Actor(userID: partner, role: .partner, organizationID: otherOrg), allowed: []),
        Row(name: "partner without organisation", actor: Actor(userID: partner, role: .partner), allowed: []),
        Row(name: "admin", actor: Actor(userID: admin, role: .admin), allowed: Set(CaseAction.allCases)),
        // Same id as the owner but another role: the role decides, not the id alone.
        Row(name: "navigator whose id equals the owner", actor: Actor(userID: owner, role: .navigator), allowed: []),
    ]

    @Test(arguments: table)
    func policyGrantsExactlyTheListedActions(row: Row) {
        for action in CaseAction.allCases {
            #expect(CasePolicy.permits(action, actor: row.actor, on: Self.facts) == row.allowed.contains(action), "\(row.name) / \(action)")
        }
    }

    @Test func anUnsharedCaseIsInvisibleToEveryPartner() {
        let unshared = CaseAccessFacts(ownerID: Self.owner, navigatorID: nil)
        let partner = Actor(userID: Self.partner, role: .partner, organizationID: Self.sharedOrg)
        #expect(!CasePolicy.permits(.read, actor: partner, on: unshared))
    }

    @Test func partnersCannotOpenCases() {
        #expect(!CasePolicy.mayCreateCase(.partner))
        #expect(CasePolicy.mayCreateCase(.patient) && CasePolicy.mayCreateCase(.navigator) && CasePolicy.mayCreateCase(.admin))
    }
}
