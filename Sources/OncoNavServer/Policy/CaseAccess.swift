import Fluent
import Vapor

/// Loads a case for an action, applying `CasePolicy` and writing the audit log. A case the
/// caller may not see answers 404, exactly like a case that does not exist, so existence
/// does not leak; the denied attempt is still audited.
enum CaseAccess {
    static func load(_ request: Request, caseID rawID: String?, for action: CaseAction) async throws -> CaseRecord {
        guard let user = request.currentUser else { throw AppError.signInRequired }
        guard let rawID, let caseID = UUID(uuidString: rawID) else { throw AppError.notFound }
        let actor = try actor(for: user)
        let found = try await CaseRecord.find(caseID, on: request.db)
        var facts: CaseAccessFacts?
        if let found { facts = try await accessFacts(for: found, on: request.db, now: request.now) }
        guard let found, let facts, CasePolicy.permits(action, actor: actor, on: facts) else {
            try await AuditLog.record(request, action: action.auditAction, objectType: "case", objectID: caseID.uuidString, caseID: caseID, outcome: .denied)
            throw AppError.notFound
        }
        try await AuditLog.record(request, action: action.auditAction, objectType: "case", objectID: caseID.uuidString, caseID: caseID, outcome: .allowed)
        return found
    }

    static func actor(for user: User) throws -> Actor {
        Actor(userID: try user.requireID(), role: user.role, organizationID: user.$organization.id)
    }

    static func accessFacts(for record: CaseRecord, on db: any Database, now: Date) async throws -> CaseAccessFacts {
        let shares = try await CaseShare.query(on: db)
            .filter(\.$caseRecord.$id == record.requireID())
            .filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now)
            .all()
        return CaseAccessFacts(
            ownerID: record.$owner.id,
            navigatorID: record.$navigator.id,
            sharedWithOrganizations: Set(shares.map(\.$organization.id))
        )
    }

    /// The cases `user` may read, newest first. The query mirrors `CasePolicy` for `.read`;
    /// `CaseAccessTests` checks the two agree.
    static func readableCases(for user: User, on db: any Database, now: Date) async throws -> [CaseRecord] {
        let query = CaseRecord.query(on: db).sort(\.$createdAt, .descending)
        switch user.role {
        case .admin:
            break
        case .patient:
            query.filter(\.$owner.$id == (try user.requireID()))
        case .navigator:
            query.filter(\.$navigator.$id == (try user.requireID()))
        case .partner:
            // Partners work from referral packets, never from the case list.
            return []
        }
        return try await query.all()
    }
}
