import Foundation

/// The checker's results for a run over a question set: pass counts per kind and in total,
/// and why each failing item failed.
public struct AnswerCheckReport: Codable, Sendable, Hashable {
    public var results: [AnswerCheckResult]

    public init(results: [AnswerCheckResult]) { self.results = results }

    public var passed: Int { results.filter(\.passed).count }

    /// Passed / total per question kind, in the order the kinds first appear.
    public var byKind: [(kind: String, passed: Int, total: Int)] {
        var order: [String] = []
        for result in results where !order.contains(result.kind) { order.append(result.kind) }
        return order.map { kind in
            let of = results.filter { $0.kind == kind }
            return (kind, of.filter(\.passed).count, of.count)
        }
    }

    /// A table a person reads in a terminal, then the reasons for every failing item.
    public var text: String {
        func row(_ name: String, _ of: [AnswerCheckResult]) -> String {
            let cells = [of.filter(\.passed).count, of.filter(\.factsPresent).count,
                         of.filter(\.nothingForbidden).count, of.filter(\.behaviourOK).count]
                .map { "\($0)/\(of.count)".padding(toLength: 10, withPad: " ", startingAt: 0) }
            return name.padding(toLength: 17, withPad: " ", startingAt: 0) + cells.joined()
        }
        var lines = ["kind".padding(toLength: 17, withPad: " ", startingAt: 0)
                     + ["passed", "facts", "no-errors", "behaviour"].map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined()]
        for (kind, _, _) in byKind { lines.append(row(kind, results.filter { $0.kind == kind })) }
        lines.append(row("total", results))
        let failing = results.filter { !$0.passed }
        if !failing.isEmpty {
            lines.append("")
            lines.append("FAILING")
            for result in failing {
                lines.append("\(result.id) [\(result.kind), \(result.expectedBehavior.rawValue)]")
                lines += result.reasons.map { "  - " + $0 }
            }
        }
        lines.append("")
        lines.append("questions \(passed)/\(results.count) passed")
        return lines.joined(separator: "\n")
    }
}

/// The result for one question.
public struct AnswerCheckResult: Codable, Sendable, Hashable {
    public struct ForbiddenHit: Codable, Sendable, Hashable {
        public var statement: String
        /// The answer's sentence that asserts it.
        public var sentence: String
    }

    public var id: String
    public var kind: String
    public var expectedBehavior: ExpectedBehavior
    public var missingFacts: [String]
    public var forbiddenHits: [ForbiddenHit]
    public var behaviourProblems: [String]
    /// All three grading rules hold (stored, so that the JSON report carries it).
    public private(set) var passed: Bool

    init(question: GradedQuestion, missingFacts: [String], forbiddenHits: [ForbiddenHit], behaviourProblems: [String]) {
        id = question.id
        kind = question.kind
        expectedBehavior = question.expectedBehavior
        self.missingFacts = missingFacts
        self.forbiddenHits = forbiddenHits
        self.behaviourProblems = behaviourProblems
        passed = missingFacts.isEmpty && forbiddenHits.isEmpty && behaviourProblems.isEmpty
    }

    public var factsPresent: Bool { missingFacts.isEmpty }
    public var nothingForbidden: Bool { forbiddenHits.isEmpty }
    public var behaviourOK: Bool { behaviourProblems.isEmpty }

    /// Every reason the item fails, one a line.
    public var reasons: [String] {
        missingFacts.map { "missing fact: \($0)" }
            + forbiddenHits.map { "asserts \"\($0.statement)\" in: \($0.sentence)" }
            + behaviourProblems.map { "behaviour (\(expectedBehavior.rawValue)): \($0)" }
    }
}
