import Fluent

/// Partner organisation details and referral packets with consent.
struct CreateReferrals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Organization.schema)
            .field("contact_email", .string)
            .field("contact_phone", .string)
            .field("city", .string)
            .field("country", .string)
            .field("languages", .string)
            .field("therapies", .string)
            .field("accepts_international", .bool)
            .update()
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
