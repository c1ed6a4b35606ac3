import Fluent

/// The patient's opt-in to an email when their case has new trial information (issue 16).
struct AddUserTrialNewsEmail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("trial_news_email", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("trial_news_email").update()
    }
}
