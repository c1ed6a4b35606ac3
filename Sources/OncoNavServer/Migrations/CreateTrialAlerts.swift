import Fluent

/// What background re-matches found per case (`TrialAlert`, issue 16).
struct CreateTrialAlerts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrialAlert.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("source", .string, .required)
            .field("news", .string, .required)
            .field("lines", .string, .required)
            .field("task_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrialAlert.schema).delete()
    }
}
