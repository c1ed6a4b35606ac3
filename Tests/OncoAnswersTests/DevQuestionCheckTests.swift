import Foundation
import OncoAnswers
import Testing

/// Where the DEV question set, its checks and the hand-written ideal answers are.
enum DevQuestionSet {
    static let questions = AnswersTestPaths.repoRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/questions-dev/questions.yaml")
    static let checks = AnswersTestPaths.repoRoot.appendingPathComponent("bench/questions-dev-checks.yaml")
    /// Hand-written answers, in wording of their own, that a careful reader would pass
    /// (`D-Q46-b.txt` is a second answer to D-Q46).
    static let idealAnswers = AnswersTestPaths.here.appendingPathComponent("Fixtures/ideal-answers")
    /// Hand-written correct sentences that deny an item's forbidden statements.
    static let denials = AnswersTestPaths.here.appendingPathComponent("Fixtures/denials")
    /// Hand-written sentences that assert every one of an item's forbidden statements.
    static let assertions = AnswersTestPaths.here.appendingPathComponent("Fixtures/assertions")

    /// The `.txt` files of a fixture folder, by name.
    static func files(_ folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    /// "D-Q46-b.txt" → "D-Q46".
    static func itemID(_ file: String) -> String {
        String(file.dropLast(4).split(separator: "-").prefix(2).joined(separator: "-"))
    }

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
    /// raise it as the answers improve. (Lowered from 35 to 32 on 2026-12-07: approvals in China,
    /// India and Korea that only news reports supported were removed from the knowledge base,
    /// and the items that expect them now get "not tracked there" instead.)
    static let tuneHalfFloor = 32

    /// Loaded once for all tests (the checker is immutable).
    static let loaded = Result { try AnswerChecker.load(questions: DevQuestionSet.questions, checks: DevQuestionSet.checks) }

    static func checker() throws -> AnswerChecker { try loaded.get() }

    @Test("Every one of the 80 questions has checks lined up with its facts and errors")
    func checksCoverTheSet() throws {
        let checker = try Self.checker()
        #expect(checker.questions.count == 80)
    }

    @Test("Hand-written ideal answers pass their items", arguments: DevQuestionSet.files(DevQuestionSet.idealAnswers))
    func idealAnswerPasses(_ file: String) throws {
        let (question, result) = try Self.check(file, in: DevQuestionSet.idealAnswers)
        #expect(result.passed, "\(question.id) (\(file)): \(result.reasons.joined(separator: "; "))")
    }

    @Test("Correct sentences that deny a forbidden statement trip nothing", arguments: DevQuestionSet.files(DevQuestionSet.denials))
    func denialsTripNothing(_ file: String) throws {
        let (question, result) = try Self.check(file, in: DevQuestionSet.denials)
        #expect(result.forbiddenHits.isEmpty, "\(question.id): \(result.forbiddenHits.map(\.sentence))")
    }

    @Test("Sentences that assert each forbidden statement trip it", arguments: DevQuestionSet.files(DevQuestionSet.assertions))
    func assertionsTrip(_ file: String) throws {
        let (question, result) = try Self.check(file, in: DevQuestionSet.assertions)
        let missed = Set(question.mustNotState).subtracting(result.forbiddenHits.map(\.statement))
        #expect(missed.isEmpty, "\(question.id): not detected: \(missed.sorted())")
    }

    static func check(_ file: String, in folder: URL) throws -> (GradedQuestion, AnswerCheckResult) {
        let checker = try checker()
        let question = try #require(checker.questions.first { $0.id == DevQuestionSet.itemID(file) })
        let answer = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        return (question, checker.check(question, answer: answer))
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

    /// Questions that ask nearly the same thing, so that one's answer may pass the other.
    static let overlapping: [String: Set<String>] = ["D-Q13": ["D-Q50"], "D-Q69": ["D-Q72"], "D-Q72": ["D-Q69"]]

    @Test("An ideal answer given to any other item does not pass it (checks are specific to their question)")
    func idealAnswersAreItemSpecific() throws {
        let checker = try Self.checker()
        for file in DevQuestionSet.files(DevQuestionSet.idealAnswers) {
            let own = DevQuestionSet.itemID(file)
            let answer = try String(contentsOf: DevQuestionSet.idealAnswers.appendingPathComponent(file), encoding: .utf8)
            let passing = checker.questions.filter { $0.id != own && checker.check($0, answer: answer).passed }.map(\.id)
            let unexpected = Set(passing).subtracting(Self.overlapping[own] ?? [])
            #expect(unexpected.isEmpty, "\(file) passes \(unexpected.sorted())")
        }
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
