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
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, name: String, kind: Kind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}
