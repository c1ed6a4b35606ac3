import Fluent

struct CreateCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseRecord.schema)
            .id()
            .field("owner_id", .uuid, .references(User.schema, .id, onDelete: .restrict))
            .field("navigator_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("title", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseRecord.schema).delete()
    }
}
