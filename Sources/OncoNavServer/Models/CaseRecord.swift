import Fluent
import Foundation

/// A patient's case: the unit of access control. Everything with health data hangs off a case.
///
/// Named `CaseRecord` because `case` is a Swift keyword.
public final class CaseRecord: Model, @unchecked Sendable {
    public static let schema = "cases"

    @ID(key: .id) public var id: UUID?
    /// The patient account the case belongs to; `nil` for an inquiry a navigator opened
    /// before the patient has an account.
    @OptionalParent(key: "owner_id") public var owner: User?
    @OptionalParent(key: "navigator_id") public var navigator: User?
    @Field(key: "title") public var title: String
    /// Where the case is in the workflow (`CaseStage`); changed only through `CaseNavigation`.
    @Enum(key: "stage") public var stage: CaseStage
    /// The cell or gene therapy given and when (set by the navigator), for the follow-up plan.
    @OptionalField(key: "infusion_date") public var infusionDate: Date?
    @OptionalField(key: "therapy") public var therapy: String?
    /// Where the therapy is given (a `Region` raw value): chooses the label rules (US
    /// prescribing information or EU SmPC) for staying near the centre and driving.
    @OptionalField(key: "treatment_region") public var treatmentRegion: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, ownerID: UUID?, navigatorID: UUID?, title: String) {
        self.id = id
        self.$owner.id = ownerID
        self.$navigator.id = navigatorID
        self.title = title
        self.stage = .inquiry
    }
}

/// A case shared with a partner organisation, until it expires or is revoked. The full
/// referral packet (consent, selected documents) arrives with the navigation workflow; the
/// access policy already honours shares.
public final class CaseShare: Model, @unchecked Sendable {
    public static let schema = "case_shares"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @Parent(key: "organization_id") public var organization: Organization
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, caseID: UUID, organizationID: UUID, expiresAt: Date) {
        self.id = id
        self.$caseRecord.id = caseID
        self.$organization.id = organizationID
        self.expiresAt = expiresAt
    }

    public func isActive(at now: Date) -> Bool {
        revokedAt == nil && expiresAt > now
    }
}
