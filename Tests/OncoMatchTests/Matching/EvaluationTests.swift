import Foundation
import OncoKnowledge
import Testing
@testable import OncoMatch

@Suite("Evaluation measures")
struct EvaluationTests {
    @Test func ndcgFollowsTheGradedDefinition() {
        let grades = ["A": 2, "B": 1]
        #expect(RankingEvaluation.ndcg(["A", "B"], grades, k: 10) == 1)
        // B first, then A: (1 + 2/log2(3)) / (2 + 1/log2(3))
        let expected = (1 + 2 / log2(3.0)) / (2 + 1 / log2(3.0))
        #expect(abs(RankingEvaluation.ndcg(["B", "A"], grades, k: 10) - expected) < 1e-12)
        #expect(RankingEvaluation.ndcg(["X", "Y"], grades, k: 10) == 0)
    }

    @Test func precisionAndRecallCountGradeOneAndAbove() {
        let grades = ["A": 2, "B": 1, "C": 0]
        #expect(RankingEvaluation.precision(["A", "C", "B"], grades, k: 10) == 0.2)
        #expect(RankingEvaluation.recall(["A", "C"], grades, k: 2) == 0.5)
    }

    @Test func verdictsMapToTheSixLabels() {
        #expect(CriterionAnnotationEvaluation.label(.met, exclusion: false) == "included")
        #expect(CriterionAnnotationEvaluation.label(.met, exclusion: true) == "not excluded")
        #expect(CriterionAnnotationEvaluation.label(.notMet, exclusion: true) == "excluded")
        #expect(CriterionAnnotationEvaluation.label(.unknown, exclusion: true) == "not enough information")
        #expect(CriterionAnnotationEvaluation.combine([.met, .notApplicable]) == .met)
        #expect(CriterionAnnotationEvaluation.combine([.met, .unknown]) == .unknown)
        #expect(CriterionAnnotationEvaluation.combine([.unknown, .notMet]) == .notMet)
    }

    @Test func criterionAnnotationsRunEndToEnd() throws {
        let url = try #require(MatchFixture.sharedFile("criterion-annotations/dev.json"), "shared data missing")
        let pairs = Array(try CriterionAnnotationEvaluation.load(url).prefix(40))
        let report = CriterionAnnotationEvaluation.run(pairs, knowledge: MatchFixture.knowledge, today: MatchFixture.today)
        #expect(report.pairs == 40)
        #expect(report.confusion.values.flatMap(\.values).reduce(0, +) == 40)
        #expect(report.majorityCount <= 40 && report.majorityCount > 0)
        #expect(report.decidedCorrect <= report.decided)
    }
}
