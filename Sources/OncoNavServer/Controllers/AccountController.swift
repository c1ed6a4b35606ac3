import Fluent
import Vapor

/// The signed-in person's own account: API tokens, password, sessions.
enum AccountController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("account", use: show).access(.signedIn)
        routes.get("account", "developer", use: developer).access(.signedIn)
        routes.post("account", "tokens", use: createToken).access(.signedIn)
        routes.post("account", "tokens", ":tokenID", "revoke", use: revokeToken).access(.signedIn)
        routes.post("account", "password", use: changePassword).access(.signedIn)
        routes.post("account", "notifications", use: saveNotifications).access(.signedIn)
    }

    struct TokenRow: Encodable, Sendable {
        let id: String
        let name: String
        let prefix: String
        let created: String
        let lastUsed: String
    }

    struct AccountPage: Encodable, Sendable {
        var tokens: [TokenRow]
        var hasTokens: Bool
        var activeSessions: Int
        var newToken: String?
        var newTokenName: String?
        var form: FormState
        var organization: String?
        /// Whether the API-token section shows (staff and partners always; patients on the
        /// developer settings page).
        var developer: Bool
        /// Patients choose whether new trial information for their case is emailed (a
        /// sign-in prompt without health data); off until they turn it on.
        var offersTrialNews: Bool
        var trialNewsEmail: Bool
    }

    static func model(for req: Request, newToken: (String, String)? = nil, form: FormState = FormState(), developer: Bool = false) async throws -> AccountPage {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let userID = try user.requireID()
        let tokens = try await APIToken.query(on: req.db)
            .filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
        let sessions = try await UserSession.query(on: req.db).filter(\.$user.$id == userID).filter(\.$expiresAt > req.now).count()
        let organization = try await user.$organization.get(on: req.db)?.name
        return AccountPage(
            tokens: tokens.map {
                TokenRow(id: $0.id?.uuidString ?? "", name: $0.name, prefix: $0.prefix,
                         created: DisplayDate.string($0.createdAt), lastUsed: $0.lastUsedAt.map { DisplayDate.string($0) } ?? "never")
            },
            hasTokens: !tokens.isEmpty,
            activeSessions: sessions,
            newToken: newToken?.1,
            newTokenName: newToken?.0,
            form: form,
            organization: organization,
            developer: developer || user.role != .patient,
            offersTrialNews: user.role == .patient,
            trialNewsEmail: user.trialNewsEmail == true
        )
    }

    static func show(req: Request) async throws -> Response {
        try await req.page("account", title: "Your account", content: model(for: req))
    }

    static func developer(req: Request) async throws -> Response {
        try await req.page("account", title: "Developer settings", content: model(for: req, developer: true))
    }

    struct TokenForm: Content { var name: String }

    static func createToken(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let name = try req.content.decode(TokenForm.self).name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 80 else {
            return try await req.page("account", title: "Your account",
                                      content: model(for: req, form: FormState(errors: ["Give the token a name of 1 to 80 characters, such as the program that will use it."]), developer: true),
                                      status: .unprocessableEntity)
        }
        let (_, secret) = try await APITokens.create(for: user, name: name, on: req.db)
        // Shown on this response only; never stored or shown again.
        return try await req.page("account", title: "Your account", content: model(for: req, newToken: (name, secret), developer: true))
    }

    static func revokeToken(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        guard let id = req.parameters.get("tokenID").flatMap(UUID.init(uuidString:)),
              let token = try await APIToken.find(id, on: req.db), token.$user.id == user.id
        else { throw AppError.notFound }
        token.revokedAt = req.now
        try await token.save(on: req.db)
        return req.redirect(to: (user.role == .patient ? "/account/developer" : "/account") + "?notice=token-revoked")
    }

    struct NotificationsForm: Content {
        /// A checkbox: present ("on") when ticked, absent otherwise.
        var trialNewsEmail: String?
    }

    static func saveNotifications(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let form = try req.content.decode(NotificationsForm.self)
        user.trialNewsEmail = form.trialNewsEmail != nil
        try await user.save(on: req.db)
        return req.redirect(to: "/account?notice=notifications-saved")
    }

    struct PasswordForm: Content {
        var currentPassword: String
        var password: String
        var passwordConfirmation: String
    }

    static func changePassword(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let form = try req.content.decode(PasswordForm.self)
        var errors: [String] = []
        if try await !req.verifyPassword(form.currentPassword, created: user.passwordHash) {
            errors.append("Your current password is not right.")
        }
        errors += PasswordRules.problems(with: form.password, email: user.email)
        if form.password != form.passwordConfirmation { errors.append("The two new passwords do not match.") }
        guard errors.isEmpty else {
            return try await req.page("account", title: "Your account", content: model(for: req, form: FormState(errors: errors)), status: .unprocessableEntity)
        }
        user.passwordHash = try await req.hashPassword(form.password)
        try await user.save(on: req.db)
        // A reset link asked for before the change must not undo it.
        try await PasswordResetController.invalidateResetLinks(of: user, on: req.db, now: req.now)
        // Other devices are signed out; this one gets a fresh session.
        try await Sessions.endAll(userID: try user.requireID(), on: req.db)
        req.userSession = nil
        let response = req.redirect(to: "/account?notice=password-changed")
        try await Sessions.signIn(user, request: req, response: response)
        return response
    }
}

enum DisplayDate {
    static func string(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
