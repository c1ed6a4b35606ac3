import Fluent

/// Named values for the re-match of open cases (`RematchMarker`, issue 16).
struct CreateRematchMarkers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RematchMarker.schema)
            .id()
            .field("name", .string, .required)
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RematchMarker.schema).delete()
    }
}
