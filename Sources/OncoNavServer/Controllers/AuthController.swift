import Fluent
import Vapor

/// Sign-up (patients), sign-in, sign-out.
enum AuthController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("signup", use: signUpPage).access(.anyone)
        routes.post("signup", use: signUp).access(.anyone)
        routes.get("signin", use: signInPage).access(.anyone)
        routes.post("signin", use: signIn).access(.anyone)
        routes.post("signout", use: signOut).access(.signedIn)
        routes.post("account", "signout-everywhere", use: signOutEverywhere).access(.signedIn)
    }

    struct SignUpForm: Content {
        var email: String
        var displayName: String?
        var password: String
        var passwordConfirmation: String
    }

    struct AuthPage: Encodable, Sendable {
        var form: FormState
        var next: String?
    }

    static func signUpPage(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/account") }
        return try await req.page("signup", title: "Create your account", content: AuthPage(form: FormState()))
    }

    static func signUp(req: Request) async throws -> Response {
        let form = try req.content.decode(SignUpForm.self)
        let email = User.normalize(email: form.email)
        let name = (form.displayName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String] = []
        if !User.isPlausibleEmail(email) { errors.append("Enter an email address like name@example.org.") }
        if name.count > 100 { errors.append("Use a name of at most 100 characters.") }
        errors += PasswordRules.problems(with: form.password, email: email)
        if form.password != form.passwordConfirmation { errors.append("The two passwords do not match.") }
        if errors.isEmpty, try await User.query(on: req.db).filter(\.$email == email).first() != nil {
            errors.append("An account with this email already exists. Sign in, or reset the password if you have forgotten it.")
        }
        guard errors.isEmpty else {
            let state = FormState(values: ["email": String(email.prefix(254)), "displayName": String(name.prefix(100))], errors: errors)
            return try await req.page("signup", title: "Create your account", content: AuthPage(form: state), status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(form.password)
        let user = User(email: email, passwordHash: hash, role: .patient, displayName: name.isEmpty ? email : name)
        try await user.save(on: req.db)
        let response = req.redirect(to: "/cases?notice=welcome")
        try await Sessions.signIn(user, request: req, response: response)
        return response
    }

    struct SignInForm: Content {
        var email: String
        var password: String
        var next: String?
    }

    static func signInPage(req: Request) async throws -> Response {
        let next = safeNext(try? req.query.get(String.self, at: "next"))
        if req.currentUser != nil { return req.redirect(to: next ?? "/cases") }
        return try await req.page("signin", title: "Sign in", content: AuthPage(form: FormState(), next: next))
    }

    static func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let email = User.normalize(email: form.email)
        let next = safeNext(form.next)
        let throttle = LoginThrottle()
        let now = req.now
        let verdict = try await throttle.check(account: email, address: req.clientAddress, now: now, on: req.db)
        if let message = LoginThrottle.message(for: verdict) {
            req.logger.notice("Sign-in throttled")
            let state = FormState(values: ["email": String(email.prefix(254))], errors: [message])
            return try await req.page("signin", title: "Sign in", content: AuthPage(form: state, next: next), status: .tooManyRequests)
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let valid: Bool
        if let user, user.disabledAt == nil {
            valid = try await req.password.async.verify(form.password, created: user.passwordHash)
        } else {
            // Spend the same time as a real check so response times do not reveal accounts.
            _ = try? await req.password.async.verify(form.password, created: req.application.dummyPasswordHash)
            valid = false
        }
        try await throttle.record(account: email, address: req.clientAddress, succeeded: valid, now: now, on: req.db)
        guard valid, let user else {
            let state = FormState(values: ["email": String(email.prefix(254))], errors: ["The email address or password is not right. Check them and try again."])
            return try await req.page("signin", title: "Sign in", content: AuthPage(form: state, next: next), status: .unauthorized)
        }
        // Partners work from referrals; everyone else from their cases.
        let response = req.redirect(to: next ?? (user.role == .partner ? "/partner" : "/cases"))
        try await Sessions.signIn(user, request: req, response: response)
        return response
    }

    static func signOut(req: Request) async throws -> Response {
        let response = req.redirect(to: "/?notice=signed-out")
        try await Sessions.signOut(request: req, response: response)
        return response
    }

    static func signOutEverywhere(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        try await Sessions.endAll(userID: try user.requireID(), on: req.db)
        req.userSession = nil
        let response = req.redirect(to: "/signin?notice=signed-out-everywhere")
        try await Sessions.signOut(request: req, response: response)
        return response
    }

    /// Only same-site paths are accepted as a place to return to after sign-in.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count < 500 else { return nil }
        return next
    }
}

