/// How far an approach has come for a given cancer.
public enum EvidenceStage: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case preclinical
    case earlyPhase = "early-phase"
    case latePhase = "late-phase"
    case approved

    private var rank: Int {
        switch self {
        case .preclinical: 0
        case .earlyPhase: 1
        case .latePhase: 2
        case .approved: 3
        }
    }

    public static func < (lhs: EvidenceStage, rhs: EvidenceStage) -> Bool { lhs.rank < rhs.rank }

    public var displayName: String {
        switch self {
        case .preclinical: "Laboratory research only"
        case .earlyPhase: "Early-phase clinical trials"
        case .latePhase: "Late-phase (phase 3 or pivotal) trials"
        case .approved: "Approved by at least one regulator"
        }
    }
}

/// The evidence stage of an approach for a set of cancers (ids; descendants included).
public struct EvidenceStatement: Codable, Sendable, Hashable {
    public var stage: EvidenceStage
    public var cancers: [String]
    public var note: String?
    @ListDefault public var sources: [SourceID]
}

/// A plain-language explainer for a family of treatments.
public struct Approach: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var name: String
    public var modality: TherapyModality
    @ListDefault public var synonyms: [String]
    /// What it is and what it does.
    public var summary: String
    /// When it is the relevant conversation with the care team.
    public var relevantWhen: String
    @ListDefault public var evidence: [EvidenceStatement]
    @ListDefault public var risks: [String]
    /// Other approach ids worth reading alongside.
    @ListDefault public var related: [String]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}
