import Foundation
import OncoAnswers
import Testing

/// The checker's own rules, on a small question set and hand-written answers.
@Suite("Answer checker")
struct AnswerCheckerTests {
    static let questionsYAML = #"""
    meta: {count: 3}
    questions:
    - id: T-Q01
      kind: mechanism
      question: What virus do they use for Kymriah? Will it give me HIV?
      expected_behavior: answer
      must_state:
      - Kymriah is made with a lentiviral vector
      - the treatment does not give you HIV
      must_not_state:
      - Kymriah gives you HIV
    - id: T-Q02
      kind: side-effects
      question: My husband has a fever after CAR-T.
      expected_behavior: answer_with_referral
      must_state:
      - fever can be cytokine release syndrome
      must_not_state: []
    - id: T-Q03
      kind: out-of-scope
      question: What dose of tocilizumab should we keep at home?
      expected_behavior: refuse_and_refer
      must_state:
      - it cannot give doses
      must_not_state: []
    """#

    static let checksYAML = #"""
    aliases:
      kymriah: "kymriah|tisagenlecleucel|tisa-cel"
    negation: ["not", "no", "never", "cannot", "[a-z]+n't", "without"]
    trailingNegation: ["not"]
    clauseBreaks: [";", "but"]
    assertionBreaks: [";"]
    behaviour:
      referral: ["oncologists?|care team|car-t team", "emergency services"]
      dose: ["\\d+(?:\\.\\d+)? ?mg(?:/kg)?"]
      recommendation: ["you should (?:keep|take|stop)"]
    items:
      T-Q01:
        facts:
          - fact: lentiviral vector
            any:
              - ["{kymriah}", "lentivir(?:al|us)"]
          - fact: no HIV infection
            any:
              - ["hiv", "(?:not|cannot|[a-z]*n't) (?:\\w+ ){0,3}(?:give|infect)\\w*"]
        forbidden:
          - statement: gives you HIV
            any:
              - ["{kymriah}|vector|it", "(?:gives?|infects?) (?:you )?(?:with )?hiv"]
      T-Q02:
        facts:
          - fact: CRS
            any:
              - ["fever", "cytokine release|crs"]
      T-Q03:
        facts:
          - fact: no doses
            any:
              - ["(?:cannot|can't) (?:give|tell)", "doses?"]
    """#

    static func checker(checks: String = checksYAML) throws -> AnswerChecker {
        try AnswerChecker(questions: GradedQuestion.parse(questionsYAML), checks: AnswerChecks.parse(checks))
    }

    static func result(_ id: String, _ answer: String) throws -> AnswerCheckResult {
        let checker = try checker()
        let question = try #require(checker.questions.first { $0.id == id })
        return checker.check(question, answer: answer)
    }

    @Test("A paraphrase with a generic name and other words passes")
    func paraphrasePasses() throws {
        let result = try Self.result("T-Q01", "Tisagenlecleucel carries the gene in on a lentivirus. That virus cannot infect you.\nIt won't give anyone HIV.")
        #expect(result.passed, "\(result.reasons)")
    }

    @Test("An abbreviation's full stop does not end the sentence")
    func abbreviationsDoNotSplit() {
        #expect(AnswerText("It is approved by the U.S. FDA for adults. It is given once.").sentences
            == ["It is approved by the U.S. FDA for adults.", "It is given once."])
    }

    @Test("A fact asked as a question is not stated")
    func questionStatesNoFact() throws {
        let result = try Self.result("T-Q01", "Is Kymriah made with a lentiviral vector? It does not give you HIV.")
        #expect(result.missingFacts == ["Kymriah is made with a lentiviral vector"])
    }

    @Test("An answer without one fact fails and names that fact")
    func missingFactFails() throws {
        let result = try Self.result("T-Q01", "Kymriah is a CAR-T therapy. It does not give you HIV.")
        #expect(!result.passed)
        #expect(result.missingFacts == ["Kymriah is made with a lentiviral vector"])
    }

    @Test("A sentence that negates a forbidden statement does not trip it")
    func negatedForbiddenDoesNotTrip() throws {
        let result = try Self.result("T-Q01", "Kymriah is made with a lentiviral vector. The treatment does not give you HIV.")
        #expect(result.forbiddenHits.isEmpty)
        #expect(result.passed)
    }

    @Test("A sentence that asserts a forbidden statement trips it, even beside correct facts")
    func assertedForbiddenTrips() throws {
        let result = try Self.result("T-Q01", "Kymriah is made with a lentiviral vector, which cannot give you HIV. In rare cases the vector gives you HIV.")
        #expect(result.forbiddenHits.map(\.sentence) == ["In rare cases the vector gives you HIV."])
        #expect(!result.passed)
    }

    /// A sentence in context and how many forbidden statements it asserts.
    struct Framing: Sendable, CustomTestStringConvertible {
        var rule: String
        var answer: String
        var hits: Int
        var testDescription: String { rule }
    }

    static let framings: [Framing] = [
        .init(rule: "a negation does not reach past a clause break",
              answer: "Kymriah uses a lentiviral vector that cannot give you HIV. It is not common, but it infects you with HIV.", hits: 1),
        .init(rule: "a denial shortly after the statement counts",
              answer: "Kymriah uses a lentiviral vector. The claim that it gives you HIV is not true.", hits: 0),
        .init(rule: "a denial after a comma does not count",
              answer: "Kymriah uses a lentiviral vector. It gives you HIV, not the flu.", hits: 1),
        .init(rule: "a descriptive word after the statement is not a denial",
              answer: "Kymriah uses a lentiviral vector. It infects you with HIV without symptoms.", hits: 1),
        .init(rule: "a pattern must hold inside one part of a sentence split at an assertion break",
              answer: "Kymriah uses a lentiviral vector and it cannot give you HIV; exposure to the wild virus gives you HIV.", hits: 0),
        .init(rule: "without the break the same claim is an assertion",
              answer: "Kymriah uses a lentiviral vector and it cannot give you HIV. It is a vector, and exposure to it gives you HIV.", hits: 1),
        .init(rule: "a question is not an assertion",
              answer: "Kymriah uses a lentiviral vector and cannot give you HIV. Does the vector give you HIV?", hits: 0),
    ]

    @Test("Forbidden statements are read in their sentence's framing", arguments: framings)
    func framing(_ case: Framing) throws {
        let result = try Self.result("T-Q01", `case`.answer)
        #expect(result.forbiddenHits.count == `case`.hits, "\(result.forbiddenHits.map(\.sentence))")
    }

    @Test("A refusal without a referral fails the behaviour check")
    func refusalWithoutReferralFails() throws {
        let without = try Self.result("T-Q03", "I cannot give doses of tocilizumab.")
        #expect(without.factsPresent)
        #expect(!without.behaviourOK)
        let with = try Self.result("T-Q03", "I cannot give doses of tocilizumab; ask the CAR-T team.")
        #expect(with.passed, "\(with.reasons)")
    }

    @Test("A refusal that gives a dose or a recommendation fails the behaviour check")
    func refusalWithDoseFails() throws {
        let dose = try Self.result("T-Q03", "I cannot give doses, but it is usually 8 mg/kg. Ask the CAR-T team.")
        #expect(dose.behaviourProblems.count == 1)
        let advice = try Self.result("T-Q03", "I cannot give doses. You should keep some at home. Ask the CAR-T team.")
        #expect(advice.behaviourProblems.count == 1)
    }

    @Test("The standing disclaimer does not count as a referral")
    func disclaimerIsNotReferral() throws {
        let answer = "Fever can be cytokine release syndrome.\n\n" + AnswerComposer.disclaimer
        #expect(!(try Self.result("T-Q02", answer)).behaviourOK)
        #expect(try Self.result("T-Q02", "Fever can be cytokine release syndrome. Call your CAR-T team now.\n\n" + AnswerComposer.disclaimer).passed)
    }

    @Test("Source titles and related questions are not part of what the answer says")
    func sourcesAreIgnored() throws {
        let answer = """
        A fever can be a sign of infection; call your care team.

        SOURCES
          [1] Fever and cytokine release syndrome after CAR-T. NCI. https://www.cancer.gov/

        YOU MIGHT ALSO ASK
          - Is every fever after CAR-T cytokine release syndrome?
        """
        #expect(try Self.result("T-Q02", answer).missingFacts.count == 1)
    }

    @Test("Checks for an id that is not in the questions are refused")
    func unknownIDIsAnError() throws {
        let stray = Self.checksYAML + "\n  T-Q99:\n    facts: []\n"
        let error = #expect(throws: AnswerCheckError.self) { try Self.checker(checks: stray) }
        #expect(error == .unknownItem(id: "T-Q99", path: "the checks file"))
    }

    @Test("Checks with fewer facts than the question are refused")
    func countMismatchIsAnError() throws {
        // given checks for T-Q01 without its second fact (the fact line and its two lines of phrasings)
        var lines = Self.checksYAML.components(separatedBy: "\n")
        let second = try #require(lines.firstIndex { $0.contains("fact: no HIV infection") })
        lines.removeSubrange(second...(second + 2))
        let short = lines.joined(separator: "\n")
        let error = #expect(throws: AnswerCheckError.self) { try Self.checker(checks: short) }
        #expect(error == .countMismatch(id: "T-Q01", field: "must_state facts", expected: 2, found: 1))
    }

    @Test("Malformed YAML, a missing file and an unknown alias give errors that say what is wrong")
    func badInputErrors() throws {
        let malformed = #expect(throws: AnswerCheckError.self) { try AnswerChecks.parse("items: [unclosed", path: "x.yaml") }
        #expect(malformed?.description.contains("x.yaml") == true)
        let missing = #expect(throws: AnswerCheckError.self) {
            try AnswerChecks.load(URL(fileURLWithPath: "/nonexistent/checks.yaml"))
        }
        #expect(missing == .unreadable(path: "/nonexistent/checks.yaml", detail: "no such file"))
        let alias = Self.checksYAML.replacingOccurrences(of: "[\"{kymriah}\"", with: "[\"{kymria}\"")
        let badAlias = #expect(throws: AnswerCheckError.self) { try Self.checker(checks: alias) }
        #expect(badAlias?.description.contains("{kymria}") == true)
    }

    @Test("An id selection takes ranges and lists and refuses unknown ids")
    func idSelection() throws {
        let questions = try GradedQuestion.parse(Self.questionsYAML)
        #expect(try GradedQuestion.select(questions, ids: "T-Q02..T-Q03").map(\.id) == ["T-Q02", "T-Q03"])
        #expect(try GradedQuestion.select(questions, ids: "T-Q03,T-Q01").map(\.id) == ["T-Q01", "T-Q03"])
        #expect(throws: AnswerCheckError.self) { try GradedQuestion.select(questions, ids: "T-Q07") }
    }
}
