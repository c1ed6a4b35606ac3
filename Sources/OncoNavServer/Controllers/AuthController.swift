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
        guard errors.isEmpty else {
            let state = FormState(values: ["email": String(email.prefix(254)), "displayName": String(name.prefix(100))], errors: errors)
            return try await req.page("signup", title: "Create your account", content: AuthPage(form: state), status: .unprocessableEntity)
        }
        // The same answer whether or not the address has an account (no enumeration).
        return try await SignUpController.accept(email: email, name: name, password: form.password, req: req)
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
        let outcome: SignInOutcome
        do {
            outcome = try await req.application.passwordWork.run { try await evaluate(email: email, password: form.password, request: req) }
        } catch let busy as PasswordWork.Busy {
            let state = FormState(values: ["email": String(email.prefix(254))], errors: [busy.reason])
            let response = try await req.page("signin", title: "Sign in", content: AuthPage(form: state, next: next), status: .serviceUnavailable)
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(PasswordWork.retryAfterSeconds)")
            return response
        }
        switch outcome {
        case .throttled(let message, let retryAfter):
            req.logger.notice("Sign-in throttled")
            let state = FormState(values: ["email": String(email.prefix(254))], errors: [message])
            let response = try await req.page("signin", title: "Sign in", content: AuthPage(form: state, next: next), status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(max(1, Int(retryAfter.rounded(.up))))")
            return response
        case .wrong:
            let state = FormState(values: ["email": String(email.prefix(254))], errors: ["The email address or password is not right. Check them and try again."])
            return try await req.page("signin", title: "Sign in", content: AuthPage(form: state, next: next), status: .unauthorized)
        case .valid(let user):
            // Partners work from referrals; everyone else from their cases.
            let response = req.redirect(to: next ?? (user.role == .partner ? "/partner" : "/cases"))
            try await Sessions.signIn(user, request: req, response: response)
            return response
        }
    }

    enum SignInOutcome: Sendable {
        case valid(User)
        case wrong
        case throttled(message: String, retryAfter: TimeInterval)
    }

    /// The throttled password check: the attempt is recorded before the password is looked at.
    private static func evaluate(email: String, password: String, request req: Request) async throws -> SignInOutcome {
        let throttle = LoginThrottle()
        let (attempt, verdict) = try await throttle.begin(account: email, address: req.clientAddress, now: req.now, on: req.db)
        if case let .locked(retryAfter, _) = verdict, let message = LoginThrottle.message(for: verdict) {
            return .throttled(message: message, retryAfter: retryAfter)
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let valid: Bool
        if let user, user.disabledAt == nil {
            valid = try await req.passwordHasher.verify(password, created: user.passwordHash)
        } else {
            // Spend the same time as a real check so response times do not reveal accounts.
            _ = try? await req.passwordHasher.verify(password, created: req.application.dummyPasswordHash)
            valid = false
        }
        guard valid, let user else { return .wrong }
        try await throttle.succeeded(attempt, on: req.db)
        return .valid(user)
    }

    static func signOut(req: Request) async throws -> Response {
        let response = req.redirect(to: "/?notice=signed-out")
        try await Sessions.signOut(request: req, response: response)
        return response
    }

    struct SignOutEverywhereForm: Content {
        /// Ticked to keep API tokens working; by default they are revoked with the sessions.
        var keepAPITokens: String?
    }

    static func signOutEverywhere(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let form = (try? req.content.decode(SignOutEverywhereForm.self)) ?? SignOutEverywhereForm()
        try await Sessions.endAll(userID: try user.requireID(), on: req.db)
        if form.keepAPITokens != "on" { try await APITokens.revokeAll(of: user, on: req.db, now: req.now) }
        req.userSession = nil
        let response = req.redirect(to: "/signin?notice=signed-out-everywhere")
        try await Sessions.signOut(request: req, response: response)
        return response
    }

    /// Characters a return path may contain: RFC 3986 unreserved characters, the
    /// delimiters a path and query use, and `%` for escapes. No spaces, control characters,
    /// backslashes or quotes — anything else is refused, not repaired.
    private static let returnPathCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?=&%+:,;")

    /// Only a relative path on this site is accepted as a place to return to after sign-in:
    /// it starts with one `/`, holds only safe characters (no CR/LF, which would split the
    /// `Location` header, no tab or backslash, which browsers drop or turn into `/` and so
    /// turn `/\t/evil.example` into `//evil.example`), and — decoded once more — still
    /// names a path on this origin.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.utf8.count < 500, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy(returnPathCharacters.contains) else { return nil }
        // A second decoding must not reveal what the first check refused (`%2F%2F`, `%5C`, `%09`).
        guard let decoded = next.removingPercentEncoding,
              !decoded.hasPrefix("//"),
              !decoded.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let origin = URL(string: "http://onconav.invalid/")!
        guard let resolved = URL(string: next, relativeTo: origin)?.absoluteURL,
              resolved.scheme == "http", resolved.host == "onconav.invalid", resolved.port == nil, resolved.user == nil
        else { return nil }
        return next
    }
}
