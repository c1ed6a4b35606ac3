import Foundation
import OncoKnowledge

/// The overall standing of one option.
public enum OptionStatus: Codable, Sendable, Hashable {
    /// Appears to meet every listed criterion.
    case eligibleAllMet
    /// No criterion is known to fail; `unknownCount` are not settled by the records.
    case mayBeEligible(unknownCount: Int)
    /// At least one criterion is known to fail; the first one is named.
    case notEligible(firstFailingCriterion: String)
    /// An approach to discuss (from the knowledge base); it has no criteria to check.
    case toDiscuss

    /// Plain words for a page.
    public var label: String {
        switch self {
        case .eligibleAllMet: "appears to meet every listed criterion"
        case .mayBeEligible(let n): "may be eligible: \(n) criteri\(n == 1 ? "on" : "a") to check"
        case .notEligible(let criterion): "does not appear to qualify: \(criterion)"
        case .toDiscuss: "an approach to discuss with the treating team (no criteria checked)"
        }
    }

    /// 0 best. Ties among "may be eligible" are not broken here (relevance decides).
    var rank: Int {
        switch self {
        case .eligibleAllMet: 0
        case .mayBeEligible, .toDiscuss: 1
        case .notEligible: 2
        }
    }

    /// The status the verdicts add up to.
    static func from(_ verdicts: [CriterionVerdict]) -> OptionStatus {
        if let failing = verdicts.first(where: { $0.verdict == .notMet }) { return .notEligible(firstFailingCriterion: failing.text) }
        // Exclusions the records do not mention are still to confirm: never "meets every criterion".
        let unknown = verdicts.filter { $0.verdict == .unknown || $0.verdict == .notMentioned }.count
        return unknown == 0 ? .eligibleAllMet : .mayBeEligible(unknownCount: unknown)
    }
}

public enum OptionKind: String, Codable, Sendable, Hashable {
    /// An approved product's label indication in one region.
    case approvedProduct = "approved-product"
    /// A clinical trial.
    case trial
    /// An approach from the knowledge base (shown when no approved CAR-T label fits).
    case approach
}

/// An approved product indication's regulatory facts.
public struct LabelDetails: Codable, Sendable, Hashable {
    public var productID: String
    public var brand: String
    public var generic: String
    public var indicationID: String
    public var region: Region
    public var regulator: String
    public var approvalDate: String?
    public var approvalType: String
    /// "Approved for this cancer by: FDA (US), NMPA (CN)" and, with a region chosen, where it is not.
    public var availability: String
    /// Regions where the product has an active indication covering the person's cancer.
    public var regionsCoveringCancer: [Region]
}

/// A trial's registry facts used in ranking and display.
public struct TrialDetails: Codable, Sendable, Hashable {
    public var nctID: String
    public var phases: [String]
    public var overallStatus: String?
    public var conditions: [String]
    public var modalities: [String]
    public var recruitingSites: Int
    public var distanceKm: Double?
    public var nearestSite: String?
    /// BM25 score of the candidate search.
    public var searchScore: Double
    /// The registry's last update ("2024-03-15" or "2024-03"), to tell a status nobody has
    /// confirmed in years.
    public var lastUpdate: String? = nil
}

/// One option for the person: an approved indication, a trial, or an approach.
public struct MatchOption: Codable, Sendable, Hashable, Identifiable {
    /// "label:<indication id>", "trial:<NCT ID>" or "approach:<id>".
    public var id: String
    public var kind: OptionKind
    public var title: String
    public var summary: String
    public var status: OptionStatus
    public var verdicts: [CriterionVerdict]
    /// Higher is more relevant (condition fit, modality, phase, sites, distance).
    public var relevance: Double
    /// Knowledge-base source ids (labels and approaches).
    public var sources: [String]
    public var label: LabelDetails?
    public var trial: TrialDetails?
    /// Approach options: how far the evidence has come ("approved", "phase 2" …).
    public var evidenceStage: String?

    public var unknownCount: Int { verdicts.filter { $0.verdict == .unknown }.count }
}

/// Everything matched for one profile on one day.
public struct MatchReport: Codable, Sendable, Hashable {
    public var caseID: String?
    public var today: Day
    public var region: Region?
    /// The person's cancer as the knowledge base names it (most specific first).
    public var cancers: [String]
    /// Ranked: status first, then relevance.
    public var options: [MatchOption]
    /// Unknowns across the top options grouped into actions, most useful first.
    public var toDo: [ToDoItem]
    /// Remarks about the match itself ("no trials were loaded").
    public var notes: [String]
    /// The standing disclaimer: information, not advice.
    public var disclaimer = "This compares records with published criteria. It is information for a conversation with the treating team, not medical advice; the trial team or treating doctor decides eligibility."
}

/// JSON as a flat object an API client can switch on:
/// `{"kind": "may-be-eligible", "unknownCount": 3, "label": "may be eligible: 3 criteria to check"}`.
extension OptionStatus {
    private enum CodingKeys: String, CodingKey { case kind, unknownCount, firstFailingCriterion, label }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "eligible-all-met": self = .eligibleAllMet
        case "may-be-eligible": self = .mayBeEligible(unknownCount: try container.decode(Int.self, forKey: .unknownCount))
        case "not-eligible": self = .notEligible(firstFailingCriterion: try container.decode(String.self, forKey: .firstFailingCriterion))
        case "to-discuss": self = .toDiscuss
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown option status \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .eligibleAllMet: try container.encode("eligible-all-met", forKey: .kind)
        case .mayBeEligible(let count):
            try container.encode("may-be-eligible", forKey: .kind)
            try container.encode(count, forKey: .unknownCount)
        case .notEligible(let criterion):
            try container.encode("not-eligible", forKey: .kind)
            try container.encode(criterion, forKey: .firstFailingCriterion)
        case .toDiscuss: try container.encode("to-discuss", forKey: .kind)
        }
        try container.encode(label, forKey: .label)
    }
}
