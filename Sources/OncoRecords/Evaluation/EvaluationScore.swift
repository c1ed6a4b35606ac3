import Foundation

/// The groups of fields the extraction evaluation reports on.
public enum FieldGroup: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case demographics
    case diagnosis
    case stage
    case biomarkers
    case treatmentLines = "treatment-lines"
    case transplantsAndCellTherapy = "transplants-cell-therapy"
    case performanceStatus = "performance-status"
    case labs
    case lvef
    case cnsAndInfections = "cns-infections"
    /// Negated or hedged facts found with the right flag, and things the documents say
    /// about relatives or plans that must not become the patient's own.
    case negation

    public init(field: ProfileField) {
        switch field {
        case .birthDate, .age, .sex: self = .demographics
        case .primaryCancer, .secondaryCancer, .histology: self = .diagnosis
        case .stage: self = .stage
        case .biomarker: self = .biomarkers
        case .treatmentLine: self = .treatmentLines
        case .transplant, .priorCellTherapy: self = .transplantsAndCellTherapy
        case .performanceStatus: self = .performanceStatus
        case .lab: self = .labs
        case .lvef: self = .lvef
        case .cnsInvolvement, .infection, .pregnancy: self = .cnsAndInfections
        }
    }

    public static func < (lhs: FieldGroup, rhs: FieldGroup) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// True positives, false positives and false negatives, with precision and recall.
public struct Score: Codable, Sendable, Hashable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
    }

    /// 1 when nothing was produced (no claim made, none wrong).
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    /// 1 when nothing was expected.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    public static func + (lhs: Score, rhs: Score) -> Score {
        Score(truePositives: lhs.truePositives + rhs.truePositives, falsePositives: lhs.falsePositives + rhs.falsePositives,
              falseNegatives: lhs.falseNegatives + rhs.falseNegatives)
    }

    private enum CodingKeys: String, CodingKey { case truePositives, falsePositives, falseNegatives, precision, recall }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        truePositives = try container.decode(Int.self, forKey: .truePositives)
        falsePositives = try container.decode(Int.self, forKey: .falsePositives)
        falseNegatives = try container.decode(Int.self, forKey: .falseNegatives)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(truePositives, forKey: .truePositives)
        try container.encode(falsePositives, forKey: .falsePositives)
        try container.encode(falseNegatives, forKey: .falseNegatives)
        try container.encode((precision * 1000).rounded() / 1000, forKey: .precision)
        try container.encode((recall * 1000).rounded() / 1000, forKey: .recall)
    }
}

/// How one rendering of one document scored, with what was missed and what was wrong.
public struct DocumentEvaluation: Codable, Sendable, Hashable {
    public var patient: String
    public var document: String
    public var format: EvaluationFormat
    public var file: String
    public var scores: [FieldGroup: Score]
    /// Expected facts not produced.
    public var missed: [String]
    /// Produced facts that match no expectation (or break an `absent` rule).
    public var wrong: [String]
    /// Set when the document could not be processed (a missing tool, a damaged file).
    public var error: String?
    public var seconds: Double

    /// Scores the produced facts of one document against its expectations.
    static func score(produced: [ComparableFact], expected: [ComparableFact], absent: [ComparableFact])
        -> (scores: [FieldGroup: Score], missed: [ComparableFact], wrong: [ComparableFact]) {
        var scores: [FieldGroup: Score] = [:]
        var unmatched = produced
        var matchedClaims: Set<String> = []
        var missed: [ComparableFact] = []
        for fact in expected {
            let group = FieldGroup(field: fact.field)
            let isHedged = fact.negated || fact.uncertain
            if let index = unmatched.firstIndex(where: { $0.satisfies(fact) }) {
                matchedClaims.insert(unmatched.remove(at: index).claim)
                scores[group, default: Score()].truePositives += 1
                if isHedged { scores[.negation, default: Score()].truePositives += 1 }
            } else {
                missed.append(fact)
                scores[group, default: Score()].falseNegatives += 1
                if isHedged { scores[.negation, default: Score()].falseNegatives += 1 }
            }
        }
        // A repeated mention of a matched claim (the same lab quoted twice) is a duplicate, not an error.
        let wrong = unmatched.filter { !matchedClaims.contains($0.claim) }
        for fact in wrong {
            scores[FieldGroup(field: fact.field), default: Score()].falsePositives += 1
            if fact.negated || fact.uncertain { scores[.negation, default: Score()].falsePositives += 1 }
        }
        var violations: [ComparableFact] = []
        for rule in absent {
            if let violation = produced.first(where: { $0.field == rule.field && $0.value == rule.value && !$0.negated }) {
                violations.append(violation)
                scores[.negation, default: Score()].falsePositives += 1
                scores[.negation, default: Score()].falseNegatives += 1
            } else {
                scores[.negation, default: Score()].truePositives += 1
            }
        }
        return (scores, missed, wrong + violations)
    }
}

/// How a document was rendered for the evaluation.
public enum EvaluationFormat: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// Plain text (`.txt`).
    case text
    /// A PDF with a text layer (`.pdf`).
    case pdf
    /// A degraded scan read by OCR (`.scan.png`, `.scan.jpg`, `.scan.tif`, image-only `.scan.pdf`).
    case scan

    /// The format of a fixture file name, or nil when it is not a rendering.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.contains(".scan.") { self = .scan }
        else if lower.hasSuffix(".pdf") { self = .pdf }
        else if lower.hasSuffix(".txt") { self = .text }
        else { return nil }
    }

    public static func < (lhs: EvaluationFormat, rhs: EvaluationFormat) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
