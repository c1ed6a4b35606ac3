import Fluent
import Foundation

/// One entry of the append-only audit log. The database refuses updates and deletes of
/// this table (see `CreateAuditEvents`).
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    public enum Action: String, Codable, Sendable, CaseIterable {
        case read, create, update, delete, share, export
    }

    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case allowed
        /// The policy refused the request (answered 404).
        case denied
    }

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "actor_id") public var actorID: UUID?
    /// The actor's email at the time, so the log reads well after an account is gone.
    @OptionalField(key: "actor_email") public var actorEmail: String?
    @OptionalField(key: "actor_role") public var actorRole: String?
    @Field(key: "action") public var action: String
    @Field(key: "object_type") public var objectType: String
    @OptionalField(key: "object_id") public var objectID: String?
    @OptionalField(key: "case_id") public var caseID: UUID?
    @Field(key: "outcome") public var outcome: String
    @OptionalField(key: "client_address") public var clientAddress: String?
    @Field(key: "occurred_at") public var occurredAt: Date

    public init() {}

    public init(
        actorID: UUID?, actorEmail: String?, actorRole: Role?, action: Action, objectType: String,
        objectID: String?, caseID: UUID?, outcome: Outcome, clientAddress: String?, occurredAt: Date
    ) {
        self.actorID = actorID
        self.actorEmail = actorEmail
        self.actorRole = actorRole?.rawValue
        self.action = action.rawValue
        self.objectType = objectType
        self.objectID = objectID
        self.caseID = caseID
        self.outcome = outcome.rawValue
        self.clientAddress = clientAddress
        self.occurredAt = occurredAt
    }
}
