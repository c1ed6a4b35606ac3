import Foundation

/// Measures the span tagger against labelled criterion lines in the Clinical-Trial-Parser
/// format (`start:end:label,…<TAB>text`, 1-based inclusive offsets, numbers written
/// `@NUMBER`), entity by entity: a predicted span is correct when it overlaps a gold span
/// of the same label; a gold span is found when some prediction of its label overlaps it.
public enum CriteriaLineEvaluation {
    public struct Line: Sendable, Hashable {
        public var text: String
        public var gold: [LabelledSpan]
    }

    public struct LabelScore: Sendable, Hashable {
        public var label: String
        public var gold = 0
        public var predicted = 0
        /// Predictions overlapping a gold span of the same label.
        public var correctPredictions = 0
        /// Gold spans overlapped by a prediction of the same label.
        public var foundGold = 0

        public var precision: Double { predicted == 0 ? 0 : Double(correctPredictions) / Double(predicted) }
        public var recall: Double { gold == 0 ? 0 : Double(foundGold) / Double(gold) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var lines: Int
        public var perLabel: [LabelScore]
        public var overall: LabelScore

        public var description: String {
            var out = "label               gold  pred      P       R      F1\n"
            for s in perLabel + [overall] {
                out += s.label.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(format: "%5d %5d  %5.1f%%  %5.1f%%  %5.1f%%\n", s.gold, s.predicted, s.precision * 100, s.recall * 100, s.f1 * 100)
            }
            return out + "(\(lines) lines)"
        }
    }

    /// The labels reported by default.
    public static let defaultLabels = ["clinical_variable", "lower_bound", "upper_bound", "age", "cancer"]

    /// Parses one line; nil for blank or malformed lines.
    public static func parse(line: String) -> Line? {
        guard let tab = line.firstIndex(of: "\t") else { return nil }
        let text = String(line[line.index(after: tab)...])
        var gold: [LabelledSpan] = []
        for part in line[..<tab].split(separator: ",") {
            let fields = part.split(separator: ":")
            guard fields.count == 3, let start = Int(fields[0]), let end = Int(fields[1]), start >= 1, end >= start else { continue }
            gold.append(LabelledSpan(label: String(fields[2]), range: (start - 1)..<end))
        }
        return Line(text: text, gold: gold)
    }

    public static func load(_ url: URL) throws -> [Line] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { parse(line: String($0)) }
    }

    public static func evaluate(_ lines: [Line], labels: [String] = defaultLabels,
                                tagger: (String) -> [LabelledSpan] = CriterionSpanTagger().tag) -> Report {
        var scores = Dictionary(uniqueKeysWithValues: labels.map { ($0, LabelScore(label: $0)) })
        for line in lines {
            let predicted = tagger(line.text)
            for label in labels {
                let g = line.gold.filter { $0.label == label }
                let p = predicted.filter { $0.label == label }
                scores[label]!.gold += g.count
                scores[label]!.predicted += p.count
                scores[label]!.correctPredictions += p.filter { pr in g.contains { $0.range.overlaps(pr.range) } }.count
                scores[label]!.foundGold += g.filter { gs in p.contains { $0.range.overlaps(gs.range) } }.count
            }
        }
        var overall = LabelScore(label: "overall")
        for s in scores.values {
            overall.gold += s.gold
            overall.predicted += s.predicted
            overall.correctPredictions += s.correctPredictions
            overall.foundGold += s.foundGold
        }
        return Report(lines: lines.count, perLabel: labels.compactMap { scores[$0] }, overall: overall)
    }
}
