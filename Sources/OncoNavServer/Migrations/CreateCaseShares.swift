import Fluent

struct CreateCaseShares: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseShare.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, .id, onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references(Organization.schema, .id, onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseShare.schema).delete()
    }
}
