import Fluent
import Foundation

/// One move of a case through the workflow, kept as the case's history.
public final class CaseStageChange: Model, @unchecked Sendable {
    public static let schema = "case_stage_changes"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @OptionalField(key: "from_stage") public var fromStage: String?
    @Field(key: "to_stage") public var toStage: String
    @OptionalField(key: "reason") public var reason: String?
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "changed_at") public var changedAt: Date

    public init() {}

    public init(caseID: UUID, from: CaseStage?, to: CaseStage, reason: String?, actorID: UUID?, actorName: String, at: Date) {
        self.$caseRecord.id = caseID
        self.fromStage = from?.rawValue
        self.toStage = to.rawValue
        self.reason = reason
        self.actorID = actorID
        self.actorName = actorName
        self.changedAt = at
    }
}

/// Work on a case: who, by when, done or not. Created by hand or automatically when the
/// case enters a stage.
public final class CaseTask: Model, @unchecked Sendable {
    public static let schema = "case_tasks"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case open
        case done
        case cancelled
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @Field(key: "title") public var title: String
    @OptionalParent(key: "owner_id") public var owner: User?
    @Field(key: "due_at") public var dueAt: Date
    @Enum(key: "status") public var status: Status
    /// The stage that created it (automatic tasks), for the service level.
    @OptionalField(key: "stage") public var stage: String?
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(caseID: UUID, title: String, ownerID: UUID?, dueAt: Date, stage: CaseStage?, createdBy: UUID?) {
        self.$caseRecord.id = caseID
        self.title = title
        self.$owner.id = ownerID
        self.dueAt = dueAt
        self.status = .open
        self.stage = stage?.rawValue
        self.createdBy = createdBy
    }

    public func isOverdue(at now: Date) -> Bool { status == .open && dueAt < now }
}

/// A message in a case's thread (patient, navigator, partner staff).
public final class CaseMessage: Model, @unchecked Sendable {
    public static let schema = "case_messages"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @OptionalField(key: "author_id") public var authorID: UUID?
    @Field(key: "author_name") public var authorName: String
    @Field(key: "author_role") public var authorRole: String
    @Field(key: "body") public var body: String
    /// JSON array of document ids of the case attached to the message.
    @OptionalField(key: "attachments") public var attachmentsJSON: String?
    @Field(key: "sent_at") public var sentAt: Date

    public init() {}

    public init(caseID: UUID, authorID: UUID?, authorName: String, authorRole: String, body: String, attachments: [UUID], at: Date) {
        self.$caseRecord.id = caseID
        self.authorID = authorID
        self.authorName = authorName
        self.authorRole = authorRole
        self.body = body
        self.attachmentsJSON = attachments.isEmpty ? nil : String(decoding: (try? JSONEncoder().encode(attachments)) ?? Data(), as: UTF8.self)
        self.sentAt = at
    }

    public var attachments: [UUID] {
        guard let attachmentsJSON else { return [] }
        return (try? JSONDecoder().decode([UUID].self, from: Data(attachmentsJSON.utf8))) ?? []
    }
}

/// How far a person has read a case's thread (for unread counts).
public final class MessageRead: Model, @unchecked Sendable {
    public static let schema = "message_reads"

    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "read_at") public var readAt: Date

    public init() {}

    public init(caseID: UUID, userID: UUID, readAt: Date) {
        self.caseID = caseID
        self.userID = userID
        self.readAt = readAt
    }
}
