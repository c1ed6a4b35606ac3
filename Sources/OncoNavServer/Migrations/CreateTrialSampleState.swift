import Fluent

/// Which stored studies are the bundled first-start sample (issue 16).
struct CreateTrialSampleState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrialSampleState.schema)
            .id()
            .field("nct_ids", .string, .required)
            .field("confirmed_ids", .string, .required)
            .field("retrieved", .string, .required)
            .field("loaded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrialSampleState.schema).delete()
    }
}
