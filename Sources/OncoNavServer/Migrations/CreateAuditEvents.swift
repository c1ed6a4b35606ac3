import Fluent
import SQLKit

/// The audit log table, plus triggers that make it append-only in the database itself, so
/// that not even a bug in OncoNav can rewrite history. The trigger syntax differs between
/// SQLite and PostgreSQL; this is the one place that knows both.
struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("actor_id", .uuid)
            .field("actor_email", .string)
            .field("actor_role", .string)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string)
            .field("case_id", .uuid)
            .field("outcome", .string, .required)
            .field("client_address", .string)
            .field("occurred_at", .datetime, .required)
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        switch sql.dialect.name {
        case "sqlite":
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                CREATE TRIGGER audit_events_no_\(unsafeRaw: operation.lowercased()) BEFORE \(unsafeRaw: operation) ON audit_events
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """).run()
            }
        case "postgresql":
            try await sql.raw("""
            CREATE OR REPLACE FUNCTION onconav_audit_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql
            """).run()
            try await sql.raw("""
            CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION onconav_audit_append_only()
            """).run()
        default:
            break
        }
        try await sql.raw("CREATE INDEX audit_events_case_id ON audit_events (case_id)").run()
        try await sql.raw("CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION IF EXISTS onconav_audit_append_only()").run()
        }
    }
}
