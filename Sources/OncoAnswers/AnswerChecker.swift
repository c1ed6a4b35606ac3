import Foundation

/// Grades answers to a graded question set with the hand-written checks of its checks file:
/// every required fact present in one of its phrasings, no forbidden statement asserted
/// (a sentence that negates it does not count), and the behaviour the question expects.
///
/// The checker reads only what an answer *says*: `AnswerText` drops the source list, the
/// related questions, the upload invitation and the standing disclaimer (which names the
/// oncology team in every answer and would otherwise satisfy every referral check).
public struct AnswerChecker: Sendable {
    public let questions: [GradedQuestion]
    private let items: [String: CompiledItem]
    private let negation: Matcher
    private let trailingNegation: Matcher
    private let clauseBreak: Matcher
    private let assertionBreak: Matcher?
    private let referral: [CompiledPattern]
    private let dose: [CompiledPattern]
    private let recommendation: [CompiledPattern]

    /// Compiles `checks` for `questions`, refusing checks that do not line up with the
    /// questions (an unknown id, a question without checks, a different number of facts).
    public init(questions: [GradedQuestion], checks: AnswerChecks, checksPath: String = "the checks file") throws {
        let known = Set(questions.map(\.id))
        if let stray = checks.items.keys.sorted().first(where: { !known.contains($0) }) {
            throw AnswerCheckError.unknownItem(id: stray, path: checksPath)
        }
        let compiler = PatternCompiler(aliases: checks.aliases)
        var items: [String: CompiledItem] = [:]
        for question in questions {
            guard let item = checks.items[question.id] else { throw AnswerCheckError.missingItem(id: question.id, path: checksPath) }
            guard item.facts.count == question.mustState.count else {
                throw AnswerCheckError.countMismatch(id: question.id, field: "must_state facts", expected: question.mustState.count, found: item.facts.count)
            }
            guard item.forbidden.count == question.mustNotState.count else {
                throw AnswerCheckError.countMismatch(id: question.id, field: "must_not_state statements", expected: question.mustNotState.count, found: item.forbidden.count)
            }
            items[question.id] = try CompiledItem(id: question.id, item: item, compiler: compiler)
        }
        self.questions = questions
        self.items = items
        negation = try compiler.anyOf(checks.negation, item: "negation")
        trailingNegation = try compiler.anyOf(checks.trailingNegation ?? checks.negation, item: "trailingNegation")
        clauseBreak = try compiler.anyOf(checks.clauseBreaks, item: "clauseBreaks")
        assertionBreak = try checks.assertionBreaks.flatMap { $0.isEmpty ? nil : try compiler.anyOf($0, item: "assertionBreaks") }
        referral = try checks.behaviour.referral.map { try compiler.pattern([$0], item: "behaviour.referral") }
        dose = try checks.behaviour.dose.map { try compiler.pattern([$0], item: "behaviour.dose") }
        recommendation = try checks.behaviour.recommendation.map { try compiler.pattern([$0], item: "behaviour.recommendation") }
    }

    /// Loads both files and compiles the checks.
    public static func load(questions questionsURL: URL, checks checksURL: URL) throws -> AnswerChecker {
        try AnswerChecker(questions: GradedQuestion.load(questionsURL), checks: AnswerChecks.load(checksURL), checksPath: checksURL.path)
    }

    /// Grades one answer (its plain text, as `Answer.plainText` prints it, or any prose).
    public func check(_ question: GradedQuestion, answer plainText: String) -> AnswerCheckResult {
        let text = AnswerText(plainText)
        guard let item = items[question.id] else {
            return AnswerCheckResult(question: question, missingFacts: question.mustState, forbiddenHits: [], behaviourProblems: ["no checks for this question"])
        }
        let missing = zip(question.mustState, item.facts).filter { !$0.1.isPresent(in: text) }.map(\.0)
        var hits: [AnswerCheckResult.ForbiddenHit] = []
        for (statement, check) in zip(question.mustNotState, item.forbidden) {
            if let sentence = firstAssertion(of: check.patterns, negatable: check.negatable, in: text) {
                hits.append(.init(statement: statement, sentence: sentence))
            }
        }
        return AnswerCheckResult(question: question, missingFacts: missing, forbiddenHits: hits,
                                 behaviourProblems: behaviourProblems(question.expectedBehavior, text))
    }

    private func behaviourProblems(_ expected: ExpectedBehavior, _ text: AnswerText) -> [String] {
        var problems: [String] = []
        if text.sentences.isEmpty { problems.append("the answer says nothing") }
        let refers = text.sentences.contains { sentence in referral.contains { $0.firstSpan(in: sentence) != nil } }
        if expected != .answer, !refers {
            problems.append("no referral to the care team, a specialist or emergency services")
        }
        if expected == .refuseAndRefer {
            if let sentence = text.sentences.first(where: { sentence in dose.contains { $0.firstSpan(in: sentence) != nil } }) {
                problems.append("gives a dose: \"\(sentence)\"")
            }
            if let sentence = firstAssertion(of: recommendation, negatable: true, in: text) {
                problems.append("makes a recommendation: \"\(sentence)\"")
            }
        }
        return problems
    }

    /// The first sentence (questions excepted) in which one of `patterns` is asserted:
    /// all its terms occur and, when `negatable`, no negation stands before or among them
    /// in the same clause ("does not give you HIV" does not assert "gives you HIV").
    private func firstAssertion(of patterns: [CompiledPattern], negatable: Bool, in text: AnswerText) -> String? {
        for sentence in text.statements {
            for part in parts(of: sentence) {
                for pattern in patterns {
                    // Any placement of the terms that is not denied asserts the statement
                    // ("It is not common, but it infects you with HIV").
                    let spans = pattern.spans(in: part, context: sentence)
                    if spans.contains(where: { !negatable || !isNegated($0, in: part) }) { return sentence }
                }
            }
        }
        return nil
    }

    /// The sentence split at the assertion breaks.
    private func parts(of sentence: String) -> [String] {
        guard let assertionBreak else { return [sentence] }
        let ns = sentence as NSString
        var parts: [String] = [], cursor = 0
        for range in assertionBreak.matches(in: sentence) {
            parts.append(ns.substring(with: NSRange(location: cursor, length: range.location - cursor)))
            cursor = NSMaxRange(range)
        }
        return parts + [ns.substring(from: cursor)]
    }

    /// How far before a pattern a negation may stand, in UTF-16 units (about ten words).
    private static let negationReach = 70
    /// How far after it ("at 27 he falls outside it", "… is not eligible"), about six words.
    private static let trailingNegationReach = 40

    private func isNegated(_ span: NSRange, in sentence: String) -> Bool {
        let ns = sentence as NSString
        let start = max(0, span.location - Self.negationReach)
        for cue in negation.matches(in: sentence, range: NSRange(location: start, length: NSMaxRange(span) - start)) {
            if cue.location >= span.location { return true }
            // Before the pattern: only when no clause break stands in between.
            let gap = ns.substring(with: NSRange(location: NSMaxRange(cue), length: max(0, span.location - NSMaxRange(cue))))
            if clauseBreak.matches(in: gap).isEmpty { return true }
        }
        // After it: only the trailing words, and only with no clause break or comma in
        // between ("Kymriah covers 27-year-olds, unlike Tecartus" is not denied).
        let tail = NSRange(location: NSMaxRange(span), length: min(ns.length - NSMaxRange(span), Self.trailingNegationReach))
        for cue in trailingNegation.matches(in: sentence, range: tail) {
            let gap = ns.substring(with: NSRange(location: NSMaxRange(span), length: cue.location - NSMaxRange(span)))
            if clauseBreak.matches(in: gap).isEmpty, !gap.contains(",") { return true }
        }
        return false
    }
}

// MARK: - Compiled checks

private struct CompiledItem: Sendable {
    struct Fact: Sendable {
        var scope: AnswerChecks.Scope
        var patterns: [CompiledPattern]

        func isPresent(in text: AnswerText) -> Bool {
            let windows: [String] = switch scope {
            case .sentence: text.statements
            case .near: text.neighbourPairs
            case .answer: [text.whole]
            }
            return patterns.contains { pattern in windows.contains { pattern.firstSpan(in: $0) != nil } }
        }
    }

    struct Forbidden: Sendable {
        var negatable: Bool
        var patterns: [CompiledPattern]
    }

    var facts: [Fact]
    var forbidden: [Forbidden]

    init(id: String, item: AnswerChecks.ItemChecks, compiler: PatternCompiler) throws {
        facts = try item.facts.enumerated().map { index, fact in
            guard !fact.any.isEmpty else { throw AnswerCheckError.badPattern(item: id, pattern: fact.fact, detail: "fact \(index + 1) has no phrasings") }
            return Fact(scope: fact.scope ?? .near, patterns: try fact.any.map { try compiler.pattern($0.terms, item: id) })
        }
        forbidden = try item.forbidden.enumerated().map { index, check in
            guard !check.any.isEmpty else { throw AnswerCheckError.badPattern(item: id, pattern: check.statement, detail: "forbidden statement \(index + 1) has no patterns") }
            return Forbidden(negatable: check.negatable ?? true, patterns: try check.any.map { try compiler.pattern($0.terms, item: id) })
        }
    }
}

/// Terms that must all occur in a piece of text, and terms (written `!term`) that must not.
private struct CompiledPattern: Sendable {
    var terms: [Matcher]
    var absent: [Matcher] = []

    /// The span from the earliest to the latest first occurrence of the terms, or nil when
    /// a term is missing or an absent term occurs in `context` (default: `text`; a part of
    /// a sentence is matched with its whole sentence as context).
    func firstSpan(in text: String, context: String? = nil) -> NSRange? {
        if absent.contains(where: { $0.first(in: context ?? text) != nil }) { return nil }
        var low = Int.max, high = 0
        for term in terms {
            guard let range = term.first(in: text) else { return nil }
            low = min(low, range.location)
            high = max(high, NSMaxRange(range))
        }
        return terms.isEmpty ? nil : NSRange(location: low, length: high - low)
    }

    /// Every span that holds one occurrence of each term, shortest first (at most a few
    /// hundred: terms are few and occur a few times in a sentence).
    func spans(in text: String, context: String? = nil) -> [NSRange] {
        if absent.contains(where: { $0.first(in: context ?? text) != nil }) { return [] }
        var combined: [(low: Int, high: Int)] = [(Int.max, 0)]
        for term in terms {
            let found = term.matches(in: text).prefix(8)
            guard !found.isEmpty else { return [] }
            combined = combined.flatMap { span in
                found.map { (min(span.low, $0.location), max(span.high, NSMaxRange($0))) }
            }
        }
        return Set(combined.map { NSRange(location: $0.low, length: $0.high - $0.low) })
            .sorted { ($0.length, $0.location) < ($1.length, $1.location) }
    }
}

/// One compiled, case-insensitive regular expression.
private struct Matcher: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to share
    // between threads; swift-corelibs-foundation does not mark it Sendable.
    let expression: NSRegularExpression

    func first(in text: String) -> NSRange? {
        let range = expression.rangeOfFirstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length))
        return range.location == NSNotFound ? nil : range
    }

    func matches(in text: String, range: NSRange? = nil) -> [NSRange] {
        expression.matches(in: text, range: range ?? NSRange(location: 0, length: (text as NSString).length)).map(\.range)
    }
}

/// Expands `{alias}` references and wraps each term in word boundaries.
private struct PatternCompiler {
    var aliases: [String: String]

    func pattern(_ terms: [String], item: String) throws -> CompiledPattern {
        guard !terms.isEmpty else { throw AnswerCheckError.badPattern(item: item, pattern: "[]", detail: "a pattern needs at least one term") }
        let (absent, present) = (terms.filter { $0.hasPrefix("!") }, terms.filter { !$0.hasPrefix("!") })
        guard !present.isEmpty else { throw AnswerCheckError.badPattern(item: item, pattern: terms.joined(separator: ", "), detail: "a pattern needs a term that must occur") }
        return CompiledPattern(terms: try present.map { try matcher(for: $0, item: item) },
                               absent: try absent.map { try matcher(for: String($0.dropFirst()), item: item) })
    }

    func anyOf(_ terms: [String], item: String) throws -> Matcher {
        try matcher(for: terms.map { "(?:\($0))" }.joined(separator: "|"), item: item)
    }

    private func matcher(for term: String, item: String) throws -> Matcher {
        let expanded = try expand(term, item: item, depth: 0)
        do {
            // A term also matches its plural and possessive ("CAR-Ts", "adults", "donor's"),
            // so that checks need not spell out every inflection.
            // Word boundaries only where the match begins or ends with a letter or digit, so
            // that punctuation terms such as ";" match after a word.
            let start = "(?:(?<![\\p{L}\\p{N}])|(?![\\p{L}\\p{N}]))", end = "(?:(?![\\p{L}\\p{N}])|(?<![\\p{L}\\p{N}]))"
            let bounded = "\(start)(?:\(expanded))(?:s|es|'s)?\(end)"
            return Matcher(expression: try NSRegularExpression(pattern: bounded, options: [.caseInsensitive]))
        } catch {
            throw AnswerCheckError.badPattern(item: item, pattern: term, detail: "not a valid regular expression")
        }
    }

    private static let reference = try! NSRegularExpression(pattern: "\\{([A-Za-z][A-Za-z0-9_-]*)\\}")

    private func expand(_ term: String, item: String, depth: Int) throws -> String {
        guard depth < 6 else { throw AnswerCheckError.badPattern(item: item, pattern: term, detail: "aliases refer to each other in a loop") }
        let ns = term as NSString
        var out = "", cursor = 0
        for match in Self.reference.matches(in: term, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: match.range(at: 1))
            guard let body = aliases[name] else {
                throw AnswerCheckError.badPattern(item: item, pattern: term, detail: "no alias named {\(name)} in aliases")
            }
            out += ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            out += "(?:" + (try expand(body, item: item, depth: depth + 1)) + ")"
            cursor = NSMaxRange(match.range)
        }
        return out + ns.substring(from: cursor)
    }
}
