import Fluent
import Foundation
import Vapor

/// Partner hospitals and trial sites: who they are, how to reach them, which languages they
/// work in, what they offer and whether they take international patients. Admins keep the
/// list; navigators choose from it when they prepare a referral.
enum OrganizationController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("admin", "organizations", use: list).access(.staff)
        routes.post("admin", "organizations", use: save).access(.admin)
    }

    struct Row: Encodable, Sendable {
        let id: String
        let name: String
        let kind: String
        let place: String
        let contact: String
        let languages: String
        let therapies: String
        let international: String
        let trials: [String]
        let trialCount: Int
    }

    struct Page: Encodable, Sendable {
        let organizations: [Row]
        let hasOrganizations: Bool
        let mayEdit: Bool
        let form: FormState
    }

    static func list(req: Request) async throws -> Response {
        try await render(req, form: FormState(), status: .ok)
    }

    static func render(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let organizations = try await Organization.query(on: req.db).sort(\.$name).all()
        let rows = organizations.map { org in
            Row(id: org.id?.uuidString ?? "", name: org.name, kind: org.kind == .hospital ? "Hospital" : "Trial site",
                place: [org.city, org.country].compactMap { $0 }.joined(separator: ", "),
                contact: [org.contactEmail, org.contactPhone].compactMap { $0 }.joined(separator: " · "),
                languages: org.languages ?? "", therapies: org.therapies ?? "",
                international: org.acceptsInternational.map { $0 ? "yes" : "no" } ?? "not known",
                trials: Array(req.application.trials.studies(atFacilityNamed: org.name).prefix(12)),
                trialCount: req.application.trials.studies(atFacilityNamed: org.name).count)
        }
        return try await req.page("admin/organizations", title: "Partner organisations",
                                  content: Page(organizations: rows, hasOrganizations: !rows.isEmpty, mayEdit: req.currentUser?.role == .admin, form: form), status: status)
    }

    struct Form: Content {
        var name: String
        var kind: String
        var city: String?
        var country: String?
        var contactEmail: String?
        var contactPhone: String?
        var languages: String?
        var therapies: String?
        var acceptsInternational: String?
    }

    static func save(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        func clean(_ value: String?, _ limit: Int = 200) -> String? {
            value?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit).description.nilIfEmpty
        }
        var errors: [String] = []
        let name = clean(form.name) ?? ""
        if name.isEmpty { errors.append("Give the organisation's name.") }
        let kind = Organization.Kind(rawValue: form.kind)
        if kind == nil { errors.append("Choose hospital or trial site.") }
        let email = clean(form.contactEmail, 254)
        if let email, !email.contains("@") { errors.append("The contact email does not look like an email address.") }
        if !name.isEmpty, try await Organization.query(on: req.db).filter(\.$name == name).first() != nil {
            errors.append("An organisation called \(name) already exists.")
        }
        guard errors.isEmpty, let kind else {
            let values = ["name": name, "city": clean(form.city) ?? "", "country": clean(form.country) ?? "", "contactEmail": email ?? "",
                          "contactPhone": clean(form.contactPhone) ?? "", "languages": clean(form.languages) ?? "", "therapies": clean(form.therapies) ?? ""]
            return try await render(req, form: FormState(values: values, errors: errors), status: .unprocessableEntity)
        }
        let organization = Organization(name: name, kind: kind)
        organization.city = clean(form.city)
        organization.country = clean(form.country)
        organization.contactEmail = email
        organization.contactPhone = clean(form.contactPhone, 60)
        organization.languages = clean(form.languages)
        organization.therapies = clean(form.therapies, 500)
        organization.acceptsInternational = form.acceptsInternational == "yes" ? true : form.acceptsInternational == "no" ? false : nil
        try await organization.save(on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "organization", objectID: organization.id?.uuidString, caseID: nil)
        return req.redirect(to: "/admin/organizations")
    }
}
