import Fluent
import Vapor

/// Writes the append-only audit log: every read and change of health data, allowed or not.
enum AuditLog {
    static func record(
        _ request: Request,
        action: AuditEvent.Action,
        objectType: String,
        objectID: String?,
        caseID: UUID?,
        outcome: AuditEvent.Outcome = .allowed
    ) async throws {
        let user = request.currentUser
        let event = AuditEvent(
            actorID: user?.id,
            actorEmail: user?.email,
            actorRole: user?.role,
            action: action,
            objectType: objectType,
            objectID: objectID,
            caseID: caseID,
            outcome: outcome,
            clientAddress: request.clientAddress,
            occurredAt: request.now
        )
        try await event.create(on: request.db)
    }
}
