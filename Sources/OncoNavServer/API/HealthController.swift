import Fluent
import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: the database answers too (for load balancers).
enum HealthController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("healthz", use: health).access(.anyone)
        routes.get("readyz", use: ready).access(.anyone)
    }

    struct Status: Content {
        let status: String
        let database: String?
    }

    static func health(req: Request) async throws -> Status {
        Status(status: "ok", database: nil)
    }

    static func ready(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
            try await sql.raw("SELECT 1").run()
            return try await Status(status: "ok", database: "reachable").encodeResponse(for: req)
        } catch {
            req.logger.warning("Readiness check failed: database unreachable")
            throw Abort(.serviceUnavailable, reason: "The database is not reachable.")
        }
    }
}
