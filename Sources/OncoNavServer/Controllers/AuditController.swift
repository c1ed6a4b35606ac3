import Fluent
import Vapor

/// The audit log for administrators: filters and a CSV export (itself audited).
enum AuditController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("admin", "audit", use: index).access(.admin)
        routes.get("admin", "audit.csv", use: csv).access(.admin)
    }

    struct Filters: Content, Sendable {
        var actor: String?
        var caseID: String?
        var action: String?
        var outcome: String?
        var from: String?
        var to: String?

        var queryString: String {
            var components = URLComponents()
            components.queryItems = [("actor", actor), ("caseID", caseID), ("action", action), ("outcome", outcome), ("from", from), ("to", to)]
                .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
            return components.percentEncodedQuery ?? ""
        }
    }

    /// The query, separate from the handlers so the page and the export agree.
    static func events(matching filters: Filters, limit: Int, on db: any Database) async throws -> [AuditEvent] {
        let query = AuditEvent.query(on: db).sort(\.$occurredAt, .descending)
        if let actor = filters.actor?.trimmingCharacters(in: .whitespaces).lowercased(), !actor.isEmpty {
            query.filter(\.$actorEmail == actor)
        }
        if let raw = filters.caseID?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else { throw AppError.badRequest("The case id filter must be a case id such as 3F2504E0-4F89-11D3-9A0C-0305E82C3301.") }
            query.filter(\.$caseID == id)
        }
        if let action = filters.action, !action.isEmpty {
            guard AuditEvent.Action(rawValue: action) != nil else { throw AppError.badRequest("Unknown action filter.") }
            query.filter(\.$action == action)
        }
        if let outcome = filters.outcome, !outcome.isEmpty {
            guard AuditEvent.Outcome(rawValue: outcome) != nil else { throw AppError.badRequest("Unknown outcome filter.") }
            query.filter(\.$outcome == outcome)
        }
        if let from = try day(filters.from, name: "from") { query.filter(\.$occurredAt >= from) }
        if let to = try day(filters.to, name: "to") { query.filter(\.$occurredAt < to.addingTimeInterval(24 * 60 * 60)) }
        return try await query.limit(limit).all()
    }

    static func day(_ raw: String?, name: String) throws -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: raw) else { throw AppError.badRequest("The '\(name)' date must look like 2026-01-31.") }
        return date
    }

    struct Row: Encodable, Sendable {
        let time: String
        let actor: String
        let role: String
        let action: String
        let objectType: String
        let objectID: String
        let caseID: String
        let outcome: String
        let denied: Bool
        let clientAddress: String
    }

    static func row(_ event: AuditEvent) -> Row {
        Row(time: ISO8601DateFormatter().string(from: event.occurredAt), actor: event.actorEmail ?? "(signed out)", role: event.actorRole ?? "",
            action: event.action, objectType: event.objectType, objectID: event.objectID ?? "", caseID: event.caseID?.uuidString ?? "",
            outcome: event.outcome, denied: event.outcome == AuditEvent.Outcome.denied.rawValue, clientAddress: event.clientAddress ?? "")
    }

    struct Page: Encodable, Sendable {
        let filters: Filters
        let rows: [Row]
        let actions: [String]
        let csvLink: String
        let limit: Int
    }

    static func index(req: Request) async throws -> Response {
        let filters = try req.query.decode(Filters.self)
        let limit = 500
        let events = try await events(matching: filters, limit: limit, on: req.db)
        return try await req.page("admin/audit", title: "Audit log", content: Page(
            filters: filters, rows: events.map(row), actions: AuditEvent.Action.allCases.map(\.rawValue),
            csvLink: "/admin/audit.csv?" + filters.queryString, limit: limit))
    }

    static func csv(req: Request) async throws -> Response {
        let filters = try req.query.decode(Filters.self)
        let events = try await events(matching: filters, limit: 100_000, on: req.db)
        try await AuditLog.record(req, action: .export, objectType: "audit-log", objectID: nil, caseID: nil)
        var text = "time,actor,role,action,object_type,object_id,case_id,outcome,client_address\r\n"
        for event in events.map(row) {
            text += [event.time, event.actor, event.role, event.action, event.objectType, event.objectID, event.caseID, event.outcome, event.clientAddress]
                .map(CSV.field).joined(separator: ",") + "\r\n"
        }
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "onconav-audit.csv")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

enum CSV {
    /// Quotes a field (RFC 4180) and defuses spreadsheet formulas (a cell starting with
    /// `=`, `+`, `-` or `@` would run when opened).
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
