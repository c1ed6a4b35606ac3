import Fluent
import Vapor

/// The first administrator. On a start with no admin account, OncoNav prints a one-time
/// link (valid 24 hours, replaced at each start) that lets whoever runs the server create it.
enum SetupController {
    static let lifetime: TimeInterval = 24 * 60 * 60

    static func register(_ routes: any RoutesBuilder) {
        routes.get("setup", ":token", use: setupPage).access(.anyone)
        routes.post("setup", ":token", use: setup).access(.anyone)
    }

    /// Returns the setup link if there is no admin yet, invalidating any earlier link.
    static func prepareSetupLink(app: Application) async throws -> URL? {
        let db = app.db
        let admins = try await User.query(on: db).filter(\.$role == .admin).count()
        guard admins == 0 else { return nil }
        try await OneTimeToken.query(on: db).filter(\.$purpose == .adminSetup).delete()
        let token = SecureToken.generate()
        try await OneTimeToken(purpose: .adminSetup, tokenHash: SecureToken.hash(token), userID: nil, expiresAt: app.clock.now().addingTimeInterval(lifetime))
            .save(on: db)
        return app.appConfig.publicBaseURL.appendingPathComponent("setup/\(token)")
    }

    static func validToken(_ raw: String?, on req: Request) async throws -> OneTimeToken? {
        guard let raw, raw.count < 100 else { return nil }
        guard try await User.query(on: req.db).filter(\.$role == .admin).count() == 0 else { return nil }
        guard let token = try await OneTimeToken.query(on: req.db)
            .filter(\.$tokenHash == SecureToken.hash(raw)).filter(\.$purpose == .adminSetup).first(),
            token.usedAt == nil, token.expiresAt > req.now
        else { return nil }
        return token
    }

    struct SetupPage: Encodable, Sendable {
        var form: FormState
        var token: String
    }

    static func setupPage(req: Request) async throws -> Response {
        let raw = req.parameters.get("token") ?? ""
        guard try await validToken(raw, on: req) != nil else { throw AppError.notFound }
        return try await req.page("setup", title: "Create the first administrator", content: SetupPage(form: FormState(), token: raw))
    }

    struct SetupForm: Content {
        var email: String
        var displayName: String
        var password: String
        var passwordConfirmation: String
    }

    static func setup(req: Request) async throws -> Response {
        let raw = req.parameters.get("token") ?? ""
        guard let token = try await validToken(raw, on: req) else { throw AppError.notFound }
        let form = try req.content.decode(SetupForm.self)
        let email = User.normalize(email: form.email)
        let name = form.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String] = []
        if !User.isPlausibleEmail(email) { errors.append("Enter an email address like name@example.org.") }
        if name.isEmpty || name.count > 100 { errors.append("Enter a name of 1 to 100 characters.") }
        errors += PasswordRules.problems(with: form.password, email: email)
        if form.password != form.passwordConfirmation { errors.append("The two passwords do not match.") }
        if errors.isEmpty, try await User.query(on: req.db).filter(\.$email == email).first() != nil {
            errors.append("An account with this email already exists.")
        }
        guard errors.isEmpty else {
            let state = FormState(values: ["email": String(email.prefix(254)), "displayName": String(name.prefix(100))], errors: errors)
            return try await req.page("setup", title: "Create the first administrator", content: SetupPage(form: state, token: raw), status: .unprocessableEntity)
        }
        let user = User(email: email, passwordHash: try await req.hashPassword(form.password), role: .admin, displayName: name)
        try await req.db.transaction { db in
            try await user.save(on: db)
            token.usedAt = req.now
            try await token.save(on: db)
        }
        let response = req.redirect(to: "/admin/users?notice=welcome")
        try await Sessions.signIn(user, request: req, response: response)
        return response
    }
}
