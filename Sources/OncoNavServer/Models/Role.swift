/// What a signed-in person is to OncoNav. The access policy decides everything from this
/// and from the person's relation to a case.
public enum Role: String, Codable, Sendable, CaseIterable {
    case patient
    case navigator
    case partner
    case admin

    public var displayName: String {
        switch self {
        case .patient: "Patient or family member"
        case .navigator: "Navigator"
        case .partner: "Partner hospital staff"
        case .admin: "Administrator"
        }
    }
}
