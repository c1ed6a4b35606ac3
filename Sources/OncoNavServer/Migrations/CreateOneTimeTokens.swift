import Fluent

struct CreateOneTimeTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OneTimeToken.schema)
            .id()
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .references(User.schema, .id, onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OneTimeToken.schema).delete()
    }
}
