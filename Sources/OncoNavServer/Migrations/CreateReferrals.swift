import Fluent

/// Partner organisation details and referral packets with consent.
struct CreateReferrals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        let columns: [(String, DatabaseSchema.DataType)] = [
            ("contact_email", .string), ("contact_phone", .string), ("city", .string), ("country", .string),
            ("languages", .string), ("therapies", .string), ("accepts_international", .bool),
        ]
        for (name, type) in columns {
            try await database.schema(Organization.schema).field(.string(name), type).update()
        }
        try await database.schema(ReferralPacket.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("include_summary", .bool, .required)
            .field("documents", .string, .required)
            .field("option", .string, .required)
            .field("note", .string)
            .field("expires_at", .datetime, .required)
            .field("created_by", .uuid)
            .field("consent_by", .string)
            .field("consent_at", .datetime)
            .field("consent_withdrawn_at", .datetime)
            .field("response_reason", .string)
            .field("response_items", .string)
            .field("responded_by", .string)
            .field("responded_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReferralPacket.schema).delete()
        for field in ["contact_email", "contact_phone", "city", "country", "languages", "therapies", "accepts_international"] {
            try await database.schema(Organization.schema).deleteField(.string(field)).update()
        }
    }
}
