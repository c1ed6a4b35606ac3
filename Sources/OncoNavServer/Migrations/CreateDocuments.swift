import Fluent

struct CreateDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseDocument.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("blob_address", .string, .required)
            .field("text_address", .string)
            .field("file_name", .string, .required)
            .field("declared_type", .string)
            .field("kind", .string, .required)
            .field("size_bytes", .int, .required)
            .field("page_count", .int)
            .field("category", .string)
            .field("document_date", .string)
            .field("status", .string, .required)
            .field("status_detail", .string)
            .field("warnings", .string)
            .field("used_ocr", .bool)
            .field("fact_count", .int)
            .field("uploaded_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "case_id", "blob_address")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseDocument.schema).delete()
    }
}
