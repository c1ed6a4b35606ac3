import Fluent

struct CreateDocumentJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DocumentJob.schema)
            .id()
            .field("document_id", .uuid, .required, .references(CaseDocument.schema, "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_after", .datetime, .required)
            .field("claimed_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DocumentJob.schema).delete()
    }
}
