import Fluent
import Foundation

/// A signed-in browser session. The cookie holds a random token; only its SHA-256 is stored,
/// so a copy of the database does not let anyone sign in.
public final class UserSession: Model, @unchecked Sendable {
    public static let schema = "user_sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "user_id") public var user: User
    @Field(key: "expires_at") public var expiresAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @OptionalField(key: "client_address") public var clientAddress: String?
    @OptionalField(key: "user_agent") public var userAgent: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(tokenHash: String, userID: UUID, expiresAt: Date, now: Date, clientAddress: String?, userAgent: String?) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.expiresAt = expiresAt
        self.lastSeenAt = now
        self.clientAddress = clientAddress
        self.userAgent = userAgent.map { String($0.prefix(200)) }
    }
}

/// A personal access token for the JSON API. Shown once at creation, stored hashed.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    /// The first characters of the token, shown in lists so people can tell tokens apart.
    @Field(key: "prefix") public var prefix: String
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(userID: UUID, name: String, tokenHash: String, prefix: String) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
        self.prefix = prefix
    }
}

/// One sign-in attempt, kept for throttling (per account and per client address).
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "account") public var account: String
    @Field(key: "client_address") public var clientAddress: String
    @Field(key: "succeeded") public var succeeded: Bool
    @Field(key: "attempted_at") public var attemptedAt: Date

    public init() {}

    public init(account: String, clientAddress: String, succeeded: Bool, attemptedAt: Date) {
        self.account = account
        self.clientAddress = clientAddress
        self.succeeded = succeeded
        self.attemptedAt = attemptedAt
    }
}

/// A single-use, expiring token: password reset or the first-admin setup link.
public final class OneTimeToken: Model, @unchecked Sendable {
    public static let schema = "one_time_tokens"

    public enum Purpose: String, Codable, Sendable {
        case passwordReset = "password-reset"
        case adminSetup = "admin-setup"
        /// The link that finishes a sign-up (the account is unusable until it is followed).
        case signUp = "sign-up"
    }

    @ID(key: .id) public var id: UUID?
    @Enum(key: "purpose") public var purpose: Purpose
    @Field(key: "token_hash") public var tokenHash: String
    @OptionalParent(key: "user_id") public var user: User?
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(purpose: Purpose, tokenHash: String, userID: UUID?, expiresAt: Date) {
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.expiresAt = expiresAt
    }
}

/// Every email the product sends, stored first. Delivery (SMTP) reads from here.
public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox_messages"

    @ID(key: .id) public var id: UUID?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @OptionalField(key: "attempts") public var attempts: Int?
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    /// A one-time link (password reset, invitation), sealed with a key derived from the
    /// master key and bound to this message's id; `body` holds `linkPlaceholder` in its
    /// place. It is opened only to deliver the email and erased once sent, so neither the
    /// outbox page nor a copy of the database shows a live link.
    @OptionalField(key: "sealed_link") public var sealedLink: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// What `body` shows instead of a one-time link.
    public static let linkPlaceholder = "[one-time link: only in the email delivered to the recipient]"

    public init() {}

    public init(recipient: String, subject: String, body: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.status = "queued"
    }
}
