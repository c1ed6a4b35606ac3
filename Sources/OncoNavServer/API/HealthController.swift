import Fluent
import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: the database answers and the trial index is
/// loaded (for load balancers: a server still building its index is alive but not ready).
enum HealthController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("healthz", use: health).access(.anyone)
        routes.get("readyz", use: ready).access(.anyone)
    }

    struct Status: Content {
        let status: String
        let database: String?
        /// The trial index: "ready", or what loading it is doing.
        var trials: String? = nil
    }

    static func health(req: Request) async throws -> Status {
        Status(status: "ok", database: nil)
    }

    static func ready(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
            try await sql.raw("SELECT 1").run()
        } catch {
            req.logger.warning("Readiness check failed: database unreachable")
            throw Abort(.serviceUnavailable, reason: "The database is not reachable.")
        }
        if let loading = req.application.trials.loadingMessage {
            let response = try await Status(status: "loading", database: "reachable", trials: loading).encodeResponse(status: .serviceUnavailable, for: req)
            response.headers.replaceOrAdd(name: .retryAfter, value: "5")
            return response
        }
        return try await Status(status: "ok", database: "reachable", trials: "ready").encodeResponse(for: req)
    }
}
