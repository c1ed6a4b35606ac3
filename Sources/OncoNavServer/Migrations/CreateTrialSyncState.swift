import Fluent

/// The ClinicalTrials.gov sync cursor per scope (issue 16).
struct CreateTrialSyncState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrialSyncState.schema)
            .id()
            .field("scope", .string, .required)
            .field("watermark", .string)
            .field("run_since", .string)
            .field("page_token", .string)
            .field("run_day", .string)
            .field("pages", .int, .required)
            .field("fetched", .int, .required)
            .field("stored", .int, .required)
            .field("skipped", .int, .required)
            .field("failed", .int, .required)
            .field("faults", .int, .required)
            .field("total_count", .int)
            .field("failures", .string)
            .field("last_error", .string)
            .field("last_outcome", .string)
            .field("last_run_started", .datetime)
            .field("last_run_finished", .datetime)
            .field("last_completed", .datetime)
            .field("next_run", .datetime)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .unique(on: "scope")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrialSyncState.schema).delete()
    }
}
