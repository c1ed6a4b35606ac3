import Fluent

struct CreateTrials: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrialRecord.schema)
            .id()
            .field("nct_id", .string, .required)
            .field("last_update", .string)
            .field("title", .string, .required)
            .field("overall_status", .string)
            .field("phases", .string, .required)
            .field("conditions", .string, .required)
            .field("modalities", .string, .required)
            .field("raw", .data, .required)
            .field("imported_at", .datetime)
            .unique(on: "nct_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrialRecord.schema).delete()
    }
}
