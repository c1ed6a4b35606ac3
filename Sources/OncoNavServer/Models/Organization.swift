import Fluent
import Foundation

/// A partner hospital or trial site. Partner staff belong to one; cases are shared with it.
public final class Organization: Model, @unchecked Sendable {
    public static let schema = "organizations"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case hospital
        case trialSite = "trial-site"
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Enum(key: "kind") public var kind: Kind
    @OptionalField(key: "contact_email") public var contactEmail: String?
    @OptionalField(key: "contact_phone") public var contactPhone: String?
    @OptionalField(key: "city") public var city: String?
    @OptionalField(key: "country") public var country: String?
    /// Comma-separated languages the team works in.
    @OptionalField(key: "languages") public var languages: String?
    /// Comma-separated therapies offered (CAR-T, TIL, transplant …).
    @OptionalField(key: "therapies") public var therapies: String?
    @OptionalField(key: "accepts_international") public var acceptsInternational: Bool?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, name: String, kind: Kind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}
