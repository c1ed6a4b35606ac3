import Fluent
import Vapor

/// Sign-up that does not tell anyone whether an address already has an account: every
/// valid request gets the same answer ("check your email"). A new address gets a link that
/// finishes the account (it works once, for a day, and only the mailbox owner sees it); an
/// address with an account gets a notice, without health data, telling its owner how to sign
/// in or reset the password.
enum SignUpController {
    static let linkLifetime: TimeInterval = 24 * 60 * 60

    static func register(_ routes: any RoutesBuilder) {
        routes.get("signup", "confirm", ":token", use: confirmPage).access(.anyone)
        routes.post("signup", "confirm", ":token", use: confirm).access(.anyone)
    }

    /// Handles a sign-up whose form is valid; the answer is the same whether or not the
    /// address has an account (the password is hashed either way, so the time is too).
    static func accept(email: String, name: String, password: String, req: Request) async throws -> Response {
        let hash = try await req.hashPassword(password)
        if let existing = try await User.query(on: req.db).filter(\.$email == email).first() {
            if try await pendingSignUp(of: existing, on: req.db) {
                // A sign-up nobody finished yet: the newest request replaces it (only the mailbox owner can finish it).
                existing.passwordHash = hash
                existing.displayName = name.isEmpty ? email : name
                try await existing.save(on: req.db)
                try await sendLink(to: existing, req: req)
            } else {
                try await notifyOwner(existing, req: req)
            }
        } else {
            let user = User(email: email, passwordHash: hash, role: .patient, displayName: name.isEmpty ? email : name)
            // Not usable until the emailed link is followed.
            user.disabledAt = req.now
            try await user.save(on: req.db)
            try await sendLink(to: user, req: req)
        }
        req.logger.info("Sign-up request handled")
        return req.redirect(to: "/signin?notice=signup-check-email")
    }

    /// An account created by sign-up whose link has not been followed.
    static func pendingSignUp(of user: User, on db: any Database) async throws -> Bool {
        guard user.disabledAt != nil else { return false }
        return try await OneTimeToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$purpose == .signUp).filter(\.$usedAt == nil).first() != nil
    }

    static func sendLink(to user: User, req: Request) async throws {
        try await OneTimeToken.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$purpose == .signUp).filter(\.$usedAt == nil)
            .set(\.$usedAt, to: req.now).update()
        let token = SecureToken.generate()
        try await OneTimeToken(purpose: .signUp, tokenHash: SecureToken.hash(token), userID: try user.requireID(), expiresAt: req.now.addingTimeInterval(linkLifetime))
            .save(on: req.db)
        let link = req.application.appConfig.publicBaseURL.appendingPathComponent("signup/confirm/\(token)").absoluteString
        let body = """
            Hello,

            Someone asked to create an OncoNav account with this address. If it was you, finish
            creating it with this link. It works once and expires in 24 hours:

            \(OutboxMessage.linkPlaceholder)

            If it was not you, ignore this email; no account is made.

            OncoNav informs and coordinates; it does not give medical advice.
            """
        try await OutboxMessage.withOneTimeLink(recipient: user.email, subject: "Finish creating your OncoNav account", body: body, link: link,
                                                store: req.application.documentStore).create(on: req.db)
    }

    /// Tells the owner of an existing account that someone tried to sign up with it.
    static func notifyOwner(_ user: User, req: Request) async throws {
        let base = req.application.appConfig.publicBaseURL
        let body = """
            Hello,

            Someone asked to create an OncoNav account with this address, but it already has one.
            If it was you, sign in at \(base.appendingPathComponent("signin").absoluteString)
            or, if you have forgotten the password, ask for a new one at
            \(base.appendingPathComponent("password/forgot").absoluteString).

            If it was not you, you need not do anything: your account has not changed.
            """
        try await OutboxMessage(recipient: user.email, subject: "Someone tried to sign up with your address", body: body).create(on: req.db)
    }

    static func validToken(_ raw: String?, on req: Request) async throws -> OneTimeToken? {
        guard let raw, raw.count < 100 else { return nil }
        guard let token = try await OneTimeToken.query(on: req.db).filter(\.$tokenHash == SecureToken.hash(raw)).filter(\.$purpose == .signUp).with(\.$user).first(),
              token.usedAt == nil, token.expiresAt > req.now, token.user != nil
        else { return nil }
        return token
    }

    static let expired = "This sign-up link has expired or was already used. Sign up again to get a new one, or sign in if your account is ready."

    struct ConfirmPage: Encodable, Sendable {
        let token: String
        let email: String
    }

    /// A page with a button: following the link alone (a mail scanner fetching it) changes nothing.
    static func confirmPage(req: Request) async throws -> Response {
        let raw = req.parameters.get("token") ?? ""
        guard let token = try await validToken(raw, on: req), let user = token.user else { throw AppError.badRequest(expired) }
        return try await req.page("signup-confirm", title: "Finish creating your account", content: ConfirmPage(token: raw, email: user.email))
    }

    static func confirm(req: Request) async throws -> Response {
        guard let token = try await validToken(req.parameters.get("token"), on: req), let user = token.user else { throw AppError.badRequest(expired) }
        token.usedAt = req.now
        user.disabledAt = nil
        try await req.db.transaction { db in
            try await token.save(on: db)
            try await user.save(on: db)
        }
        let response = req.redirect(to: "/cases?notice=welcome")
        try await Sessions.signIn(user, request: req, response: response)
        return response
    }
}
