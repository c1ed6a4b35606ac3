import Fluent

/// Parsed eligibility criteria stored with each study, with the hash of the text and the
/// parser version they came from, so nothing is parsed again at start (issue 16).
struct AddTrialParsedCriteria: AsyncMigration {
    static let fields: [(FieldKey, DatabaseSchema.DataType)] = [
        ("criteria_hash", .string), ("parser_version", .string), ("parsed_criteria", .data),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one change at a time.
        for (field, type) in Self.fields {
            try await database.schema(TrialRecord.schema).field(field, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (field, _) in Self.fields.reversed() {
            try await database.schema(TrialRecord.schema).deleteField(field).update()
        }
    }
}
