import Foundation
import OncoRecords

/// The judgement of one criterion against a profile.
public enum Verdict: String, Codable, Sendable, Hashable, CaseIterable {
    /// The records show the criterion is satisfied.
    case met
    /// The records show the criterion is not satisfied.
    case notMet = "not-met"
    /// The records do not say (or the criterion was not understood). Never silently met or not met.
    case unknown
    /// The criterion does not concern this person (e.g. a pregnancy test for a man).
    case notApplicable = "not-applicable"
    /// An exclusion the records are silent on: no sign of it in the records, to confirm.
    /// Not excluded for ranking; distinct from `unknown` (the records touch it but cannot settle it).
    case notMentioned = "not-mentioned"
}

/// Where a criterion comes from.
public enum CriterionOrigin: String, Codable, Sendable, Hashable {
    /// A trial's inclusion criterion.
    case inclusion
    /// A trial's exclusion criterion (its verdict says whether the person is *not* excluded).
    case exclusion
    /// A requirement of an approved product's label indication.
    case label
}

/// Something that would settle an unknown: a key shared by every unknown it settles
/// (so the to-do list can group them) and the action in plain words.
public struct InformationNeed: Codable, Sendable, Hashable {
    /// Stable grouping key, e.g. `biomarker:CD19`, `lvef`, `prior-lines`.
    public var key: String
    /// "Ask the pathologist whether the biopsy was tested for CD19".
    public var action: String

    public init(key: String, action: String) {
        self.key = key
        self.action = action
    }
}

/// One criterion judged: the verdict, a one-line descriptive reason, the facts used
/// (each with document and span provenance) and what would settle it when unknown.
public struct CriterionVerdict: Codable, Sendable, Hashable {
    /// The criterion as written (trial text) or the label requirement in words.
    public var text: String
    public var origin: CriterionOrigin
    public var verdict: Verdict
    /// Descriptive, never advice: "the label requires at least 2 prior lines; the records show 1".
    public var reason: String
    /// The profile facts the verdict rests on.
    public var evidence: [FactSummary]
    /// What would settle the criterion (empty when settled).
    public var needs: [InformationNeed]
    /// Knowledge-base source ids behind a label requirement.
    public var sources: [String]

    public init(text: String, origin: CriterionOrigin, verdict: Verdict, reason: String,
                evidence: [FactSummary] = [], needs: [InformationNeed] = [], sources: [String] = []) {
        self.text = text
        self.origin = origin
        self.verdict = verdict
        self.reason = reason
        self.evidence = evidence
        self.needs = verdict == .unknown || verdict == .notMentioned ? needs : []
        self.sources = sources
    }

    /// Ids of the facts used, for linking back to the record.
    public var factIDs: [UUID] { evidence.map(\.id) }
}

/// Three-valued truth of a condition ("the person has HIV", "ECOG ≤ 1") with its
/// grounds. Internal building block of the evaluators.
struct Finding: Sendable {
    var truth: Bool?
    var reason: String
    var evidence: [FactSummary] = []
    var needs: [InformationNeed] = []

    static func unknown(_ reason: String, _ needs: [InformationNeed] = [], evidence: [FactSummary] = []) -> Finding {
        Finding(truth: nil, reason: reason, evidence: evidence, needs: needs)
    }

    /// Kleene conjunction: false if any is false, true if all are true, else unknown.
    static func all(_ parts: [Finding]) -> Finding { combine(parts, decidingValue: false) }

    /// Kleene disjunction: true if any is true, false if all are false, else unknown.
    static func any(_ parts: [Finding]) -> Finding { combine(parts, decidingValue: true) }

    /// One part with `decidingValue` decides; all parts with the other value decide the other way.
    private static func combine(_ parts: [Finding], decidingValue: Bool) -> Finding {
        if let deciding = parts.first(where: { $0.truth == decidingValue }) { return deciding }
        if parts.allSatisfy({ $0.truth == !decidingValue }) {
            return Finding(truth: !decidingValue, reason: parts.map(\.reason).joined(separator: "; "), evidence: parts.flatMap(\.evidence))
        }
        let open = parts.filter { $0.truth == nil }
        return Finding(truth: nil, reason: open.map(\.reason).joined(separator: "; "),
                       evidence: parts.flatMap(\.evidence), needs: open.flatMap(\.needs))
    }
}

/// The to-do actions, worded once so every evaluator asks for the same thing the same way.
enum Needs {
    static let diagnosis = InformationNeed(key: "diagnosis", action: "The pathology report naming the exact cancer type (subtype)")
    static let diseaseStatus = InformationNeed(key: "disease-status", action: "Ask the treating team whether the cancer relapsed (came back) or was refractory (did not respond) after the last treatment")
    static let priorLines = InformationNeed(key: "prior-lines", action: "Confirm the number of prior lines of therapy")
    static let treatmentHistory = InformationNeed(key: "treatment-history", action: "A complete list of past cancer treatments with dates (regimens, transplants, cell therapies)")
    static let treatmentDates = InformationNeed(key: "treatment-dates", action: "The end date of each treatment and the date the cancer came back")
    static let birthDate = InformationNeed(key: "birth-date", action: "The date of birth")
    static let sex = InformationNeed(key: "sex", action: "The sex recorded for the person")
    static let performanceStatus = InformationNeed(key: "performance-status", action: "A recent performance status (ECOG) from the treating doctor")
    static let lvef = InformationNeed(key: "lvef", action: "A recent echocardiogram (LVEF)")
    static let cns = InformationNeed(key: "cns", action: "Ask whether the cancer has involved the brain or spinal cord (recent brain imaging)")
    static let stage = InformationNeed(key: "stage", action: "The current stage from the staging report")
    static let transplantEligibility = InformationNeed(key: "transplant-eligibility", action: "Ask the treating team whether a stem cell transplant is an option")
    static let pregnancy = InformationNeed(key: "pregnancy", action: "A pregnancy test result, where relevant")
    static let lifeExpectancy = InformationNeed(key: "life-expectancy", action: "Ask the treating team about expected life expectancy")
    static let trialTeam = InformationNeed(key: "trial-team", action: "Criteria the trial team needs to review with the records")

    static func biomarker(_ marker: String) -> InformationNeed {
        InformationNeed(key: "biomarker:\(marker.uppercased())", action: "Ask the pathologist whether the biopsy was tested for \(marker)")
    }
    static func lab(_ name: String) -> InformationNeed {
        InformationNeed(key: "lab:\(name.lowercased())", action: "A recent blood test result for \(name)")
    }
    static func infection(_ name: String) -> InformationNeed {
        InformationNeed(key: "infection:\(name.lowercased())", action: "A recent \(name) test result")
    }
    /// An exclusion the records do not mention, to confirm with the person or the team.
    static func confirm(_ text: String) -> InformationNeed {
        InformationNeed(key: "confirm:\(text.lowercased().prefix(120))", action: "Confirm there is no sign of: \(text.prefix(160))")
    }
    static func check(_ text: String) -> InformationNeed {
        InformationNeed(key: "check:\(text.lowercased())", action: "Check with the treating team: \(text)")
    }
}
