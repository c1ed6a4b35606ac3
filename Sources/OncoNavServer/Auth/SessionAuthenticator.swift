import Fluent
import Vapor

/// Cookie names and lifetimes for browser sessions.
enum SessionCookie {
    static let name = "onconav_session"
    /// Sign out after this long without a request; health data warrants a short idle time.
    static let idleTimeout: TimeInterval = 2 * 60 * 60
    /// Sign out after this long whatever the activity.
    static let absoluteLifetime: TimeInterval = 12 * 60 * 60
}

extension Request {
    private struct CurrentSessionKey: StorageKey { typealias Value = UserSession }

    /// The browser session the request came with, if it is valid.
    var userSession: UserSession? {
        get { storage[CurrentSessionKey.self] }
        set { storage[CurrentSessionKey.self] = newValue }
    }

    /// The signed-in user, by session cookie or API token.
    var currentUser: User? { auth.get(User.self) }
}

/// Reads the session cookie, checks it against the database, and signs the user in for this
/// request. An unknown, expired or idle session is treated as signed out.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The JSON API authenticates by bearer token only; ignoring cookies there is what
        // makes it safe without CSRF tokens.
        var presentedInvalidSession = false
        if !request.url.path.hasPrefix("/api/"), !request.url.path.hasPrefix("/fhir/"), let token = request.cookies[SessionCookie.name]?.string, !token.isEmpty {
            presentedInvalidSession = true
            let now = request.now
            if let session = try await UserSession.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$user)
                .first()
            {
                let idle = now.timeIntervalSince(session.lastSeenAt) > SessionCookie.idleTimeout
                if session.expiresAt <= now || idle || session.user.disabledAt != nil {
                    try await session.delete(on: request.db)
                } else {
                    presentedInvalidSession = false
                    request.userSession = session
                    request.auth.login(session.user)
                    // Write the last-seen time at most once a minute, not on every request.
                    if now.timeIntervalSince(session.lastSeenAt) > 60 {
                        session.lastSeenAt = now
                        try await session.save(on: request.db)
                    }
                }
            }
        }
        let response = try await next.respond(to: request)
        // A cookie for a session that has ended is removed, so the browser's forms and the
        // server agree that it is signed out.
        if presentedInvalidSession, response.cookies[SessionCookie.name] == nil {
            response.cookies[SessionCookie.name] = Sessions.cookie("", request: request, maxAge: 0)
        }
        return response
    }
}

/// Creating and ending sessions.
enum Sessions {
    /// Signs `user` in with a brand-new session token (rotation: any token the browser had
    /// before is discarded, so a planted session id is useless) and sets the cookie.
    static func signIn(_ user: User, request: Request, response: Response) async throws {
        if let old = request.userSession { try await old.delete(on: request.db) }
        let token = SecureToken.generate()
        let now = request.now
        let session = UserSession(
            tokenHash: SecureToken.hash(token),
            userID: try user.requireID(),
            expiresAt: now.addingTimeInterval(SessionCookie.absoluteLifetime),
            now: now,
            clientAddress: request.clientAddress,
            userAgent: request.headers.first(name: .userAgent)
        )
        try await session.save(on: request.db)
        request.userSession = session
        request.auth.login(user)
        response.cookies[SessionCookie.name] = cookie(token, request: request, maxAge: Int(SessionCookie.absoluteLifetime))
        CSRF.rotate(request: request, response: response)
    }

    /// Ends the current session.
    static func signOut(request: Request, response: Response) async throws {
        if let session = request.userSession { try await session.delete(on: request.db) }
        request.auth.logout(User.self)
        response.cookies[SessionCookie.name] = cookie("", request: request, maxAge: 0)
        CSRF.rotate(request: request, response: response)
    }

    /// Ends every session of `userID` (sign out everywhere, password change or reset).
    static func endAll(userID: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
    }

    static func cookie(_ value: String, request: Request, maxAge: Int) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value,
            maxAge: maxAge,
            path: "/",
            isSecure: request.application.appConfig.secureCookies,
            isHTTPOnly: true,
            sameSite: .lax
        )
    }
}
