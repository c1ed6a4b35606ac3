import Foundation
import Testing
@testable import OncoTrials

@Suite("Criteria line evaluation")
struct CriteriaLineEvaluationTests {
    @Test("the dev lines parse with 1-based inclusive offsets")
    func parsesFormat() throws {
        let line = CriteriaLineEvaluation.parse(line: "1:8:clinical_variable,12:25:lower_bound\themoglobin ≥ @NUMBER g / dl")
        #expect(line?.gold.count == 2)
        #expect(line?.gold.first?.range == 0..<8)
    }

    @Test("numeric labels reach the published grammar's figures on dev.tsv")
    func devFigures() throws {
        guard let url = SharedData.url("criteria-lines/dev.tsv") else { return }
        let lines = try CriteriaLineEvaluation.load(url)
        #expect(lines.count > 2000)
        let report = CriteriaLineEvaluation.evaluate(lines)
        print(report)
        if ProcessInfo.processInfo.environment["DUMP_ERRORS"] == "1" {
            let tagger = CriterionSpanTagger()
            for line in lines {
                let p = tagger.tag(line.text)
                for label in ["lower_bound", "upper_bound", "clinical_variable", "age", "cancer"] {
                    let g = line.gold.filter { $0.label == label }
                    let pr = p.filter { $0.label == label }
                    for x in pr where !g.contains(where: { $0.range.overlaps(x.range) }) {
                        print("FP \(label) [\(sub(line.text, x.range))] :: \(line.text)")
                    }
                    for x in g where !pr.contains(where: { $0.range.overlaps(x.range) }) {
                        print("FN \(label) [\(sub(line.text, x.range))] :: \(line.text)")
                    }
                }
            }
        }
        let byLabel = Dictionary(uniqueKeysWithValues: report.perLabel.map { ($0.label, $0) })
        for label in ["lower_bound", "upper_bound"] {
            #expect(byLabel[label]!.precision >= 0.85, "\(label) precision")
            #expect(byLabel[label]!.recall >= 0.80, "\(label) recall")
        }
    }

    func sub(_ text: String, _ r: Range<Int>) -> String {
        let scalars = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(scalars[min(r.lowerBound, scalars.count)..<min(r.upperBound, scalars.count)]))
    }
}
