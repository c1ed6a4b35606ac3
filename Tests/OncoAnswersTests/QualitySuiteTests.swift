import Foundation
import OncoAnswers
import OncoKnowledge
import Testing

/// The patient-question suite: every answer states its key facts (checked by hand against
/// the knowledge-base files and their FDA/EMA/NMPA sources) and none of the forbidden ones.
@Suite("Quality suite of patient questions")
struct QualitySuiteTests {
    @Test("Each question's answer states its key facts and nothing forbidden", arguments: QuestionCase.all)
    func answerMeetsExpectations(_ item: QuestionCase) {
        let answer = RealComposer.shared.answer(item.question)
        let problems = item.problems(in: answer)
        #expect(problems.isEmpty, "\(item.question): \(problems.joined(separator: "; "))")
    }

    @Test("The suite has at least 60 questions and reports its pass rate")
    func passRate() {
        let cases = QuestionCase.all
        let failed = cases.filter { !$0.problems(in: RealComposer.shared.answer($0.question)).isEmpty }
        let rate = Double(cases.count - failed.count) / Double(max(cases.count, 1))
        print("OncoAnswers quality suite: \(cases.count - failed.count)/\(cases.count) passed (\(String(format: "%.1f", rate * 100))%)")
        #expect(cases.count >= 60)
        #expect(rate >= 0.95, "failed: \(failed.map(\.question))")
    }
}
