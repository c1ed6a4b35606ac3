import Fluent
import Vapor

/// Authenticates JSON API requests by `Authorization: Bearer onc_…` personal access token.
struct APITokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.hasPrefix(APITokens.prefix) else { return }
        guard let token = try await APIToken.query(on: request.db)
            .filter(\.$tokenHash == SecureToken.hash(bearer.token))
            .filter(\.$revokedAt == nil)
            .with(\.$user)
            .first(), token.user.disabledAt == nil
        else { return }
        let now = request.now
        if (token.lastUsedAt.map { now.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
        request.auth.login(token.user)
    }
}

enum APITokens {
    /// Recognisable prefix, so a leaked token can be found by secret scanners.
    static let prefix = "onc_"

    /// Creates a token for `user`; returns the secret, which is shown once and never stored.
    static func create(for user: User, name: String, on db: any Database) async throws -> (APIToken, String) {
        let secret = prefix + SecureToken.generate()
        let token = APIToken(userID: try user.requireID(), name: name, tokenHash: SecureToken.hash(secret), prefix: String(secret.prefix(10)))
        try await token.save(on: db)
        return (token, secret)
    }

    /// Revokes every live token of `user` (password reset, sign out everywhere).
    static func revokeAll(of user: User, on db: any Database, now: Date) async throws {
        try await APIToken.query(on: db)
            .filter(\.$user.$id == user.requireID())
            .filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now)
            .update()
    }
}
