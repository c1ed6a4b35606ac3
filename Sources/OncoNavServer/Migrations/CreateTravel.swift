import Fluent

/// The travel checklist, the infusion (date and therapy) on cases, and document translations.
struct CreateTravel: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TravelItem.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("detail", .string)
            .field("owner", .string, .required)
            .field("due_at", .datetime)
            .field("status", .string, .required)
            .field("note", .string)
            .create()
        // SQLite adds one column per ALTER TABLE.
        try await database.schema(CaseRecord.schema).field("infusion_date", .datetime).update()
        try await database.schema(CaseRecord.schema).field("therapy", .string).update()
        try await database.schema(DocumentTranslation.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("document_id", .uuid, .required, .references(CaseDocument.schema, "id", onDelete: .cascade))
            .field("language", .string, .required)
            .field("status", .string, .required)
            .field("translated_document_id", .uuid, .references(CaseDocument.schema, "id", onDelete: .setNull))
            .field("requested_by", .string, .required)
            .field("verified_by", .string)
            .field("verified_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DocumentTranslation.schema).delete()
        try await database.schema(CaseRecord.schema).deleteField("therapy").update()
        try await database.schema(CaseRecord.schema).deleteField("infusion_date").update()
        try await database.schema(TravelItem.schema).delete()
    }
}
