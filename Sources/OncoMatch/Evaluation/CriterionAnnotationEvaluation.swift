import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Measures the criterion evaluator on physician-labelled patient–criterion pairs
/// (TrialGPT's criterion annotations): note → `ProfileExtractor` facts → criterion text →
/// `EligibilityParser` → `CriterionEvaluator` → one of the six labels.
public enum CriterionAnnotationEvaluation {
    /// One labelled pair as published.
    public struct Pair: Codable, Sendable {
        public var note: String
        public var criterionType: String
        public var criterionText: String
        public var expertEligibility: String
        public var trialID: String?

        enum CodingKeys: String, CodingKey {
            case note, criterionType = "criterion_type", criterionText = "criterion_text", expertEligibility = "expert_eligibility", trialID = "trial_id"
        }
    }

    public static let labels = ["included", "not included", "excluded", "not excluded", "not enough information", "not applicable"]

    public struct Report: Sendable, CustomStringConvertible {
        public var pairs = 0
        /// gold label → predicted label → count
        public var confusion: [String: [String: Int]] = [:]
        /// The same predictions read with the annotators' convention: an exclusion the note
        /// does not mention counts as "not excluded" (OncoMatch itself keeps it unknown).
        public var conventionCorrect = 0
        /// Pairs where OncoMatch decided (met / not met) and how many of those matched the experts.
        public var decided = 0
        public var decidedCorrect = 0
        /// Decided pairs the experts labelled otherwise: (gold, predicted, criterion).
        public var decidedErrors: [(gold: String, predicted: String, criterion: String)] = []
        public var majorityLabel = ""
        public var majorityCount = 0

        public var correct: Int { labels.reduce(0) { $0 + (confusion[$1]?[$1] ?? 0) } }
        public var accuracy: Double { pairs == 0 ? 0 : Double(correct) / Double(pairs) }
        public var conventionAccuracy: Double { pairs == 0 ? 0 : Double(conventionCorrect) / Double(pairs) }
        public var majorityAccuracy: Double { pairs == 0 ? 0 : Double(majorityCount) / Double(pairs) }

        public var description: String {
            func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
            var out = """
            pairs: \(pairs)
            accuracy: \(pct(accuracy)) (\(correct)/\(pairs))
            accuracy with the annotators' convention (unmentioned exclusion = not excluded): \(pct(conventionAccuracy))
            when it decides (met / not met): \(decidedCorrect) of \(decided) agree with the experts (\(pct(decided == 0 ? 0 : Double(decidedCorrect) / Double(decided))))
            majority-label baseline ("\(majorityLabel)" always): \(pct(majorityAccuracy))
            references: TrialGPT (GPT-4) 87.3%; physicians 88.7–90.0%
            per label (gold → predicted):
            """
            for gold in labels {
                let row = confusion[gold] ?? [:]
                let total = row.values.reduce(0, +)
                guard total > 0 else { continue }
                let cells = labels.compactMap { predicted in row[predicted].map { "\(predicted) \($0)" } }.joined(separator: ", ")
                out += "\n  \(gold.padding(toLength: 24, withPad: " ", startingAt: 0)) n=\(total)  recall \(pct(Double(row[gold] ?? 0) / Double(total)))  → \(cells)"
            }
            return out
        }
    }

    public static func load(_ url: URL) throws -> [Pair] {
        try JSONDecoder().decode([Pair].self, from: Data(contentsOf: url))
    }

    /// The label OncoMatch gives a pair, and whether it was unknown for want of a mention.
    public static func predict(_ pair: Pair, extractor: ProfileExtractor, evaluator: CriterionEvaluator, parser: EligibilityParser, today: Day) -> String {
        let profile = PatientProfile(facts: extractor.extract(text: pair.note, documentID: "note"))
        let exclusion = pair.criterionType.lowercased().hasPrefix("ex")
        let criteria = parser.parse("\(exclusion ? "Exclusion" : "Inclusion") Criteria:\n- \(pair.criterionText.replacingOccurrences(of: "\n", with: " "))")
        let verdicts = criteria.map { evaluator.evaluate($0, profile: profile, today: today).verdict }
        return label(combine(verdicts), exclusion: exclusion)
    }

    /// One verdict for a criterion the parser may have cut in several: any not met fails it,
    /// all met (ignoring not applicable) meets it, all not applicable is not applicable.
    static func combine(_ verdicts: [Verdict]) -> Verdict {
        if verdicts.contains(.notMet) { return .notMet }
        let relevant = verdicts.filter { $0 != .notApplicable }
        if relevant.isEmpty { return verdicts.isEmpty ? .unknown : .notApplicable }
        return relevant.allSatisfy { $0 == .met } ? .met : .unknown
    }

    static func label(_ verdict: Verdict, exclusion: Bool) -> String {
        switch verdict {
        case .met: exclusion ? "not excluded" : "included"
        case .notMet: exclusion ? "excluded" : "not included"
        case .unknown: "not enough information"
        case .notApplicable: "not applicable"
        }
    }

    public static func run(_ pairs: [Pair], knowledge: KnowledgeBase, today: Day) -> Report {
        let extractor = ProfileExtractor(lexicon: ClinicalLexicon(knowledgeBase: knowledge))
        let evaluator = CriterionEvaluator(knowledge: knowledge)
        let parser = EligibilityParser()
        var report = Report()
        var goldCounts: [String: Int] = [:]
        for pair in pairs {
            let gold = pair.expertEligibility.lowercased()
            let predicted = predict(pair, extractor: extractor, evaluator: evaluator, parser: parser, today: today)
            report.pairs += 1
            report.confusion[gold, default: [:]][predicted, default: 0] += 1
            goldCounts[gold, default: 0] += 1
            let exclusion = pair.criterionType.lowercased().hasPrefix("ex")
            let convention = exclusion && predicted == "not enough information" ? "not excluded" : predicted
            if convention == gold { report.conventionCorrect += 1 }
            if ["included", "not included", "excluded", "not excluded"].contains(predicted) {
                report.decided += 1
                if predicted == gold { report.decidedCorrect += 1 } else { report.decidedErrors.append((gold, predicted, pair.criterionText)) }
            }
        }
        if let majority = goldCounts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            report.majorityLabel = majority.key
            report.majorityCount = majority.value
        }
        return report
    }
}
