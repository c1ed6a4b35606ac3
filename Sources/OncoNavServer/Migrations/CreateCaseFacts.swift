import Fluent

struct CreateCaseFacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseFact.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("document_id", .uuid, .references(CaseDocument.schema, "id", onDelete: .cascade))
            .field("field", .string, .required)
            .field("payload", .string, .required)
            .field("original_payload", .string, .required)
            .field("review_state", .string, .required)
            .field("reviewed_by", .string)
            .field("reviewed_at", .datetime)
            .field("review_note", .string)
            .field("corrects_id", .uuid)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseFact.schema).delete()
    }
}
