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
        /// Null in a few published pairs: such a pair is skipped with a warning.
        public var criterionText: String?
        public var expertEligibility: String
        public var trialID: String?

        enum CodingKeys: String, CodingKey {
            case note, criterionType = "criterion_type", criterionText = "criterion_text", expertEligibility = "expert_eligibility", trialID = "trial_id"
        }
    }

    public static let labels = ["included", "not included", "excluded", "not excluded", "not enough information", "not applicable"]

    public struct Report: Sendable, CustomStringConvertible {
        public var pairs = 0
        /// Pairs left out (no criterion text), with the reason, for a warning.
        public var skipped: [String] = []
        /// OncoMatch said *not mentioned* (an exclusion the note is silent on).
        public var notMentioned = 0
        public var notMentionedCorrect = 0
        /// The old reading: every undecided exclusion counted as "not excluded".
        public var lenientCorrect = 0
        /// gold label → predicted label → count
        public var confusion: [String: [String: Int]] = [:]
        /// The same predictions read with the annotators' convention: an exclusion the note
        /// does not mention counts as "not excluded" (OncoMatch itself keeps it unknown).
        public var conventionCorrect = 0
        /// Pairs where OncoMatch decided (met / not met) and how many of those matched the experts.
        public var decided = 0
        public var decidedCorrect = 0
        /// Undecided exclusions the experts called "not excluded": (criterion, reasons).
        public var undecidedExclusions: [(criterion: String, reasons: String)] = []
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
            func share(_ a: Int, _ b: Int) -> String { pct(b == 0 ? 0 : Double(a) / Double(b)) }
            let decidedAll = decided + notMentioned, decidedAllCorrect = decidedCorrect + notMentionedCorrect
            var out = """
            pairs: \(pairs)\(skipped.isEmpty ? "" : " (\(skipped.count) skipped: no criterion text)")
            strict accuracy (not mentioned = not enough information): \(pct(accuracy)) (\(correct)/\(pairs))
            accuracy with not mentioned → "not excluded" (the annotators' convention): \(pct(conventionAccuracy)) (\(conventionCorrect)/\(pairs))
            (old reading, every undecided exclusion → "not excluded": \(share(lenientCorrect, pairs)))
            decided (met / not met / not mentioned): \(decidedAll) of \(pairs) (\(share(decidedAll, pairs))); agreement when deciding \(decidedAllCorrect)/\(decidedAll) (\(share(decidedAllCorrect, decidedAll)))
              met / not met only: \(decided) (\(share(decided, pairs))), agreement \(decidedCorrect)/\(decided) (\(share(decidedCorrect, decided))); not mentioned: \(notMentioned), agreement \(notMentionedCorrect)/\(notMentioned) (\(share(notMentionedCorrect, notMentioned)))
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

    /// The verdict OncoMatch gives a pair (the note is both the profile's source and the text read).
    public static func predict(_ pair: Pair, extractor: ProfileExtractor, evaluator: CriterionEvaluator, parser: EligibilityParser, today: Day) -> Verdict {
        combine(verdicts(pair, extractor: extractor, evaluator: evaluator, parser: parser, today: today).map(\.verdict))
    }

    /// The verdicts (with reasons) of the criteria the parser read from a pair's text.
    public static func verdicts(_ pair: Pair, extractor: ProfileExtractor, evaluator: CriterionEvaluator, parser: EligibilityParser, today: Day) -> [CriterionVerdict] {
        let profile = PatientProfile(facts: extractor.extract(text: pair.note, documentID: "note"))
        let exclusion = pair.criterionType.lowercased().hasPrefix("ex")
        let text = (pair.criterionText ?? "").replacingOccurrences(of: "\n", with: " ")
        let criteria = parser.parse("\(exclusion ? "Exclusion" : "Inclusion") Criteria:\n- \(text)")
        return evaluator.evaluate(criteria, profile: profile, today: today, texts: [CaseDocumentText(documentID: "note", text: pair.note)])
    }

    /// One verdict for a criterion the parser may have cut in several: any not met fails it,
    /// all met (ignoring not applicable) meets it, all not applicable is not applicable.
    static func combine(_ verdicts: [Verdict]) -> Verdict {
        if verdicts.contains(.notMet) { return .notMet }
        let relevant = verdicts.filter { $0 != .notApplicable }
        if relevant.isEmpty { return verdicts.isEmpty ? .unknown : .notApplicable }
        if relevant.allSatisfy({ $0 == .met }) { return .met }
        // Every part either met or not mentioned (and at least one not mentioned): not mentioned.
        if relevant.allSatisfy({ $0 == .met || $0 == .notMentioned }) { return .notMentioned }
        return .unknown
    }

    /// The strict label: *not mentioned* is "not enough information" (silence is not absence).
    static func label(_ verdict: Verdict, exclusion: Bool) -> String {
        switch verdict {
        case .met: exclusion ? "not excluded" : "included"
        case .notMet: exclusion ? "excluded" : "not included"
        case .unknown, .notMentioned: "not enough information"
        case .notApplicable: "not applicable"
        }
    }

    /// Pairs of one half: `even` / `odd` positions in the file (the split for tuning and an untouched check).
    public static func half(_ pairs: [Pair], _ which: String) -> [Pair] {
        switch which {
        case "even": pairs.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        case "odd": pairs.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        default: pairs
        }
    }

    public static func run(_ pairs: [Pair], knowledge: KnowledgeBase, today: Day) -> Report {
        let extractor = ProfileExtractor(lexicon: ClinicalLexicon(knowledgeBase: knowledge))
        let evaluator = CriterionEvaluator(knowledge: knowledge)
        let parser = EligibilityParser()
        var report = Report()
        var goldCounts: [String: Int] = [:]
        for (index, pair) in pairs.enumerated() {
            guard let text = pair.criterionText, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                report.skipped.append("pair \(index)\(pair.trialID.map { " (\($0))" } ?? ""): no criterion text")
                continue
            }
            let gold = pair.expertEligibility.lowercased()
            let exclusion = pair.criterionType.lowercased().hasPrefix("ex")
            let parts = verdicts(pair, extractor: extractor, evaluator: evaluator, parser: parser, today: today)
            let verdict = combine(parts.map(\.verdict))
            if exclusion, verdict == .unknown, gold == "not excluded" {
                report.undecidedExclusions.append((text, parts.map { "[\($0.verdict.rawValue)] \($0.reason)" }.joined(separator: " | ")))
            }
            let predicted = label(verdict, exclusion: exclusion)
            report.pairs += 1
            report.confusion[gold, default: [:]][predicted, default: 0] += 1
            goldCounts[gold, default: 0] += 1
            let convention = verdict == .notMentioned && exclusion ? "not excluded" : predicted
            if convention == gold { report.conventionCorrect += 1 }
            let lenient = exclusion && (verdict == .unknown || verdict == .notMentioned) ? "not excluded" : predicted
            if lenient == gold { report.lenientCorrect += 1 }
            if verdict == .notMentioned && exclusion {
                report.notMentioned += 1
                if gold == "not excluded" { report.notMentionedCorrect += 1 } else { report.decidedErrors.append((gold, "not mentioned", text)) }
            }
            if ["included", "not included", "excluded", "not excluded"].contains(predicted) {
                report.decided += 1
                if predicted == gold { report.decidedCorrect += 1 } else { report.decidedErrors.append((gold, predicted, text)) }
            }
        }
        if let majority = goldCounts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            report.majorityLabel = majority.key
            report.majorityCount = majority.value
        }
        return report
    }
}
