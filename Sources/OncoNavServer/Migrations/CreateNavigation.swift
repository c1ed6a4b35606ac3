import Fluent
import SQLKit

/// The workflow stage on cases, its history, tasks, and the message thread.
struct CreateNavigation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseRecord.schema)
            .field("stage", .string, .required, .sql(.default(CaseStage.inquiry.rawValue)))
            .update()
        try await database.schema(CaseStageChange.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("from_stage", .string)
            .field("to_stage", .string, .required)
            .field("reason", .string)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("changed_at", .datetime, .required)
            .create()
        try await database.schema(CaseTask.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("owner_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("due_at", .datetime, .required)
            .field("status", .string, .required)
            .field("stage", .string)
            .field("created_by", .uuid)
            .field("completed_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await database.schema(CaseMessage.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid)
            .field("author_name", .string, .required)
            .field("author_role", .string, .required)
            .field("body", .string, .required)
            .field("attachments", .string)
            .field("sent_at", .datetime, .required)
            .create()
        try await database.schema(MessageRead.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("read_at", .datetime, .required)
            .unique(on: "case_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MessageRead.schema).delete()
        try await database.schema(CaseMessage.schema).delete()
        try await database.schema(CaseTask.schema).delete()
        try await database.schema(CaseStageChange.schema).delete()
        try await database.schema(CaseRecord.schema).deleteField("stage").update()
    }
}
