import Fluent

/// Delivery bookkeeping for the outbox (attempts, last error, next try).
struct AddOutboxDelivery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        try await database.schema(OutboxMessage.schema).field("attempts", .int).update()
        try await database.schema(OutboxMessage.schema).field("last_error", .string).update()
        try await database.schema(OutboxMessage.schema).field("next_attempt_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["attempts", "last_error", "next_attempt_at"] {
            try await database.schema(OutboxMessage.schema).deleteField(.string(field)).update()
        }
    }
}

/// The sealed one-time link of an outbox message (see `OutboxMessage.sealedLink`).
/// Where a case's therapy is given, for the region's follow-up rules.
struct AddCaseTreatmentRegion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseRecord.schema).field("treatment_region", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseRecord.schema).deleteField("treatment_region").update()
    }
}

struct AddOutboxSealedLink: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).field("sealed_link", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).deleteField("sealed_link").update()
    }
}
