import Fluent
import Vapor

/// "Forgot password": a single-use link, valid for one hour, delivered through the outbox.
enum PasswordResetController {
    static let lifetime: TimeInterval = 60 * 60

    static func register(_ routes: any RoutesBuilder) {
        routes.get("password", "forgot", use: forgotPage).access(.anyone)
        routes.post("password", "forgot", use: forgot).access(.anyone)
        routes.get("password", "reset", ":token", use: resetPage).access(.anyone)
        routes.post("password", "reset", ":token", use: reset).access(.anyone)
    }

    struct ResetPage: Encodable, Sendable {
        var form: FormState
        var token: String
    }

    static func forgotPage(req: Request) async throws -> Response {
        try await req.page("forgot", title: "Reset your password", content: FormState())
    }

    struct ForgotForm: Content { var email: String }

    static func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotForm.self)
        let email = User.normalize(email: form.email)
        // The answer is the same whether or not the account exists, so the form cannot be
        // used to find out who has an account.
        if let user = try await User.query(on: req.db).filter(\.$email == email).first(), user.disabledAt == nil {
            try await sendLink(to: user, purpose: "reset", request: req, lifetime: lifetime)
        }
        return req.redirect(to: "/signin?notice=reset-sent")
    }

    /// Creates a reset token for `user` and queues the email with the link.
    static func sendLink(to user: User, purpose: String, request: Request, lifetime: TimeInterval) async throws {
        let token = SecureToken.generate()
        // Only the newest link works: asking again retires the earlier ones.
        try await invalidateResetLinks(of: user, on: request.db, now: request.now)
        try await OneTimeToken(purpose: .passwordReset, tokenHash: SecureToken.hash(token), userID: try user.requireID(), expiresAt: request.now.addingTimeInterval(lifetime))
            .save(on: request.db)
        let link = request.application.appConfig.publicBaseURL.appendingPathComponent("password/reset/\(token)").absoluteString
        let hours = Int(lifetime / 3600)
        let subject: String
        let body: String
        if purpose == "invite" {
            subject = "Your OncoNav account"
            body = """
                Hello \(user.displayName),

                An OncoNav administrator has created an account for you (\(user.role.displayName)).
                Choose your password with this link. It works once and expires in \(hours) hours:

                \(OutboxMessage.linkPlaceholder)

                OncoNav informs and coordinates; it does not give medical advice.
                """
        } else {
            subject = "Reset your OncoNav password"
            body = """
                Hello,

                Someone asked to reset the password of the OncoNav account for this address.
                If it was you, choose a new password with this link. It works once and expires in \(hours) hour\(hours == 1 ? "" : "s"):

                \(OutboxMessage.linkPlaceholder)

                If it was not you, ignore this email; your password stays as it is.
                """
        }
        let message = try OutboxMessage.withOneTimeLink(recipient: user.email, subject: subject, body: body, link: link, store: request.application.documentStore)
        try await message.create(on: request.db)
    }

    /// Retires every unused reset or invitation link of `user` (a new link, a reset, a
    /// password change).
    static func invalidateResetLinks(of user: User, on db: any Database, now: Date) async throws {
        try await OneTimeToken.query(on: db)
            .filter(\.$user.$id == user.requireID())
            .filter(\.$purpose == .passwordReset)
            .filter(\.$usedAt == nil)
            .set(\.$usedAt, to: now)
            .update()
    }

    static func validToken(_ raw: String?, on req: Request) async throws -> OneTimeToken? {
        guard let raw, raw.count < 100 else { return nil }
        guard let token = try await OneTimeToken.query(on: req.db)
            .filter(\.$tokenHash == SecureToken.hash(raw))
            .filter(\.$purpose == .passwordReset)
            .with(\.$user)
            .first(),
            token.usedAt == nil, token.expiresAt > req.now, token.user != nil
        else { return nil }
        return token
    }

    static func resetPage(req: Request) async throws -> Response {
        let raw = req.parameters.get("token") ?? ""
        guard try await validToken(raw, on: req) != nil else {
            throw AppError.badRequest("This password link has expired or was already used. Ask for a new one from the sign-in page.")
        }
        return try await req.page("reset", title: "Choose a new password", content: ResetPage(form: FormState(), token: raw))
    }

    struct ResetForm: Content {
        var password: String
        var passwordConfirmation: String
        /// Ticked to keep API tokens working; by default a reset revokes them, since whoever
        /// knew the old password may have made one.
        var keepAPITokens: String?
    }

    static func reset(req: Request) async throws -> Response {
        let raw = req.parameters.get("token") ?? ""
        guard let token = try await validToken(raw, on: req), let user = token.user else {
            throw AppError.badRequest("This password link has expired or was already used. Ask for a new one from the sign-in page.")
        }
        let form = try req.content.decode(ResetForm.self)
        var errors = PasswordRules.problems(with: form.password, email: user.email)
        if form.password != form.passwordConfirmation { errors.append("The two passwords do not match.") }
        guard errors.isEmpty else {
            return try await req.page("reset", title: "Choose a new password", content: ResetPage(form: FormState(errors: errors), token: raw), status: .unprocessableEntity)
        }
        user.passwordHash = try await req.hashPassword(form.password)
        try await req.db.transaction { db in
            token.usedAt = req.now
            try await token.save(on: db)
            try await user.save(on: db)
            try await Sessions.endAll(userID: try user.requireID(), on: db)
            try await invalidateResetLinks(of: user, on: db, now: req.now)
            if form.keepAPITokens != "on" { try await APITokens.revokeAll(of: user, on: db, now: req.now) }
            try await LoginAttempt.query(on: db).filter(\.$account == user.email).delete()
        }
        return req.redirect(to: "/signin?notice=password-reset")
    }
}
