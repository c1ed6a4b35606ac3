import Foundation

/// What someone wants to do with a case.
public enum CaseAction: String, Sendable, CaseIterable {
    case read
    case update
    case delete
    /// Change the assigned navigator.
    case assign
    /// Share with a partner organisation.
    case share
    /// Write in the case's message thread.
    case message

    var auditAction: AuditEvent.Action {
        switch self {
        case .read: .read
        case .update, .assign: .update
        case .delete: .delete
        case .share: .share
        case .message: .create
        }
    }
}

/// The person asking, reduced to what the policy needs.
public struct Actor: Sendable, Equatable {
    public var userID: UUID
    public var role: Role
    public var organizationID: UUID?

    public init(userID: UUID, role: Role, organizationID: UUID? = nil) {
        self.userID = userID
        self.role = role
        self.organizationID = organizationID
    }
}

/// A case as the policy sees it: who owns it, who navigates it, with whom it is shared.
public struct CaseAccessFacts: Sendable {
    public var ownerID: UUID?
    public var navigatorID: UUID?
    /// Organisations with an active (unexpired, unrevoked) share.
    public var sharedWithOrganizations: Set<UUID>

    public init(ownerID: UUID?, navigatorID: UUID?, sharedWithOrganizations: Set<UUID> = []) {
        self.ownerID = ownerID
        self.navigatorID = navigatorID
        self.sharedWithOrganizations = sharedWithOrganizations
    }
}

/// The one access policy for cases and everything inside them. Deny by default: a rule
/// must grant the action, and nothing grants it implicitly.
public enum CasePolicy {
    public static func permits(_ action: CaseAction, actor: Actor, on facts: CaseAccessFacts) -> Bool {
        switch actor.role {
        case .admin:
            return true
        case .patient:
            guard facts.ownerID == actor.userID else { return false }
            return [.read, .update, .delete, .message].contains(action)
        case .navigator:
            guard facts.navigatorID == actor.userID else { return false }
            return [.read, .update, .assign, .share, .message].contains(action)
        case .partner:
            // Partner staff never open the case itself: they see referral packets, which
            // hold only what the patient consented to share (`ReferralAccess`).
            return false
        }
    }

    /// Whether the role may open a new case at all (a patient for themselves; a navigator
    /// or admin for an inquiry).
    public static func mayCreateCase(_ role: Role) -> Bool {
        role != .partner
    }
}
