import Fluent
import Foundation
import Vapor

/// A person who can sign in. Patients sign up themselves; staff roles are created by an admin.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    /// Lower-cased, trimmed; unique.
    @Field(key: "email") public var email: String
    @Field(key: "password_hash") public var passwordHash: String
    @Enum(key: "role") public var role: Role
    @Field(key: "display_name") public var displayName: String
    @OptionalParent(key: "organization_id") public var organization: Organization?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "disabled_at") public var disabledAt: Date?
    /// "Email me when there is new trial information for my case" (account page; off
    /// unless the person turns it on, so nil is off). The email names no health data.
    @OptionalField(key: "trial_news_email") public var trialNewsEmail: Bool?

    public init() {}

    public init(id: UUID? = nil, email: String, passwordHash: String, role: Role, displayName: String, organizationID: UUID? = nil) {
        self.id = id
        self.email = User.normalize(email: email)
        self.passwordHash = passwordHash
        self.role = role
        self.displayName = displayName
        self.$organization.id = organizationID
    }

    public static func normalize(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// A basic shape check; the real proof of an address is the reset email reaching it.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return email.count <= 254 && !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }
}

extension User: Authenticatable {}

extension User {
    func requireID() throws -> UUID {
        guard let id else { throw Abort(.internalServerError, reason: "User without an id") }
        return id
    }
}
