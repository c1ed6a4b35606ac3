import Fluent
import Foundation

/// What a navigator shares with a partner organisation about one case: the summary, chosen
/// documents and the option in question, with the patient's consent (what, to whom, until
/// when). The partner sees only this, only while it is active, and answers it.
public final class ReferralPacket: Model, @unchecked Sendable {
    public static let schema = "referral_packets"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Prepared by the navigator; waiting for the patient's consent.
        case awaitingConsent = "awaiting-consent"
        /// Consent given; the partner can see it until it expires.
        case shared
        case accepted
        case needsInformation = "needs-information"
        case declined
        /// The patient refused consent, or withdrew it, or staff revoked the packet.
        case revoked
        case consentRefused = "consent-refused"

        public var title: String {
            switch self {
            case .awaitingConsent: "Waiting for the patient's consent"
            case .shared: "Shared, waiting for the partner's answer"
            case .accepted: "Accepted for screening"
            case .needsInformation: "The partner needs more information"
            case .declined: "Declined by the partner"
            case .revoked: "Revoked — no longer visible to the partner"
            case .consentRefused: "The patient did not consent"
            }
        }

        /// Whether the partner may see the packet (before the expiry date).
        public var isVisibleToPartner: Bool { [.shared, .accepted, .needsInformation, .declined].contains(self) }
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @Parent(key: "organization_id") public var organization: Organization
    @Enum(key: "status") public var status: Status
    @Field(key: "include_summary") public var includeSummary: Bool
    /// JSON array of the case's document ids included.
    @Field(key: "documents") public var documentsJSON: String
    /// The option the referral is about: "NCT01234567" or a product label ("Yescarta — US: …").
    @Field(key: "option") public var option: String
    @OptionalField(key: "note") public var note: String?
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @OptionalField(key: "consent_by") public var consentBy: String?
    @OptionalField(key: "consent_at") public var consentAt: Date?
    @OptionalField(key: "consent_withdrawn_at") public var consentWithdrawnAt: Date?
    @OptionalField(key: "response_reason") public var responseReason: String?
    /// JSON array of the items the partner asked for (needs more information).
    @OptionalField(key: "response_items") public var responseItemsJSON: String?
    @OptionalField(key: "responded_by") public var respondedBy: String?
    @OptionalField(key: "responded_at") public var respondedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(caseID: UUID, organizationID: UUID, includeSummary: Bool, documents: [UUID], option: String, note: String?, expiresAt: Date, createdBy: UUID?) {
        self.$caseRecord.id = caseID
        self.$organization.id = organizationID
        self.status = .awaitingConsent
        self.includeSummary = includeSummary
        self.documentsJSON = String(decoding: (try? JSONEncoder().encode(documents)) ?? Data("[]".utf8), as: UTF8.self)
        self.option = option
        self.note = note
        self.expiresAt = expiresAt
        self.createdBy = createdBy
    }

    public var documentIDs: [UUID] { (try? JSONDecoder().decode([UUID].self, from: Data(documentsJSON.utf8))) ?? [] }

    public var responseItems: [String] {
        guard let responseItemsJSON else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(responseItemsJSON.utf8))) ?? []
    }

    public func isActive(at now: Date) -> Bool { status.isVisibleToPartner && expiresAt > now && consentWithdrawnAt == nil }
}
