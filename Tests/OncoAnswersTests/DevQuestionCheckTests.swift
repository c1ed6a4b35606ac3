import Foundation
import OncoAnswers
import Testing

/// Where the DEV question set, its checks and the hand-written ideal answers are.
enum DevQuestionSet {
    static let questions = AnswersTestPaths.repoRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/questions-dev/questions.yaml")
    static let checks = AnswersTestPaths.repoRoot.appendingPathComponent("bench/questions-dev-checks.yaml")
    static let idealAnswers = AnswersTestPaths.here.appendingPathComponent("Fixtures/ideal-answers")

    static var availableOrRequired: Bool {
        ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1"
            || FileManager.default.fileExists(atPath: questions.path)
    }
}

/// The checks file `bench/questions-dev-checks.yaml` against the DEV question set at
/// `<repo>/../shared/data/questions-dev`: skipped when that set is missing, unless
/// ONCONAV_REQUIRE_TOOLS=1 makes its absence a failure.
@Suite("DEV question checks", .enabled(if: DevQuestionSet.availableOrRequired, "needs ../shared/data/questions-dev (or set ONCONAV_REQUIRE_TOOLS=1 to fail without it)"))
struct DevQuestionCheckTests {
    /// What D-Q01–D-Q40 (the tune half) scored with the composer when this floor was set;
    /// raise it as the answers improve.
    static let tuneHalfFloor = 16

    static func checker() throws -> AnswerChecker {
        try AnswerChecker.load(questions: DevQuestionSet.questions, checks: DevQuestionSet.checks)
    }

    @Test("Every one of the 80 questions has checks lined up with its facts and errors")
    func checksCoverTheSet() throws {
        let checker = try Self.checker()
        #expect(checker.questions.count == 80)
    }

    @Test("Hand-written ideal answers pass their items", arguments: ["D-Q02", "D-Q13", "D-Q37", "D-Q54", "D-Q75"])
    func idealAnswerPasses(_ id: String) throws {
        let checker = try Self.checker()
        let question = try #require(checker.questions.first { $0.id == id })
        let answer = try String(contentsOf: DevQuestionSet.idealAnswers.appendingPathComponent("\(id).txt"), encoding: .utf8)
        let result = checker.check(question, answer: answer)
        #expect(result.passed, "\(id): \(result.reasons.joined(separator: "; "))")
    }

    @Test("A trivial answer fails every item and misses every fact")
    func trivialAnswerFailsEverything() throws {
        let checker = try Self.checker()
        for question in checker.questions {
            let result = checker.check(question, answer: "I don't know.")
            #expect(!result.passed, "\(question.id) passed with \"I don't know.\"")
            #expect(result.missingFacts.count == question.mustState.count, "\(question.id): a fact matched \"I don't know.\"")
        }
    }

    @Test("An ideal answer given to another item does not pass it")
    func idealAnswersAreItemSpecific() throws {
        let checker = try Self.checker()
        let answer = try String(contentsOf: DevQuestionSet.idealAnswers.appendingPathComponent("D-Q02.txt"), encoding: .utf8)
        let others = checker.questions.filter { $0.id != "D-Q02" && $0.id != "D-Q44" }
        let passing = others.filter { checker.check($0, answer: answer).passed }.map(\.id)
        #expect(passing.isEmpty, "passed with D-Q02's answer: \(passing)")
    }

    @Test("OncoNav's answers to the tune half D-Q01–D-Q40 stay at or above the floor")
    func tuneHalfStaysAboveFloor() throws {
        let checker = try Self.checker()
        let tune = try GradedQuestion.select(checker.questions, ids: "D-Q01..D-Q40")
        let report = AnswerCheckReport(results: tune.map { checker.check($0, answer: RealComposer.shared.answer($0.question).plainText) })
        print("DEV questions D-Q01–D-Q40: \(report.passed)/\(tune.count) pass the checker")
        #expect(tune.count == 40)
        #expect(report.passed >= Self.tuneHalfFloor, "\(report.text)")
    }
}
