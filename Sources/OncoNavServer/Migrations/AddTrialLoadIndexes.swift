import Fluent
import SQLKit

/// Indexes that keep the registry fingerprint (latest write, count of current parses) and
/// the background re-read of stale parses cheap at 500,000 studies: without them each is a
/// full scan of a table holding every raw record (issue 16).
struct AddTrialLoadIndexes: AsyncMigration {
    static let indexes = [("trials_imported_at", "imported_at"), ("trials_parser_version", "parser_version")]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, column) in Self.indexes {
            try await sql.create(index: name).on(TrialRecord.schema).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, _) in Self.indexes.reversed() {
            try await sql.drop(index: name).run()
        }
    }
}
