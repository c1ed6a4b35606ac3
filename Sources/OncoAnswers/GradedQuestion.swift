import Foundation
import Yams

/// One graded patient question of an evaluation set in the independent set's schema
/// (`../shared/data/questions-dev/questions.yaml`): the facts a correct answer must hold,
/// the errors it must not make and how it must behave.
public struct GradedQuestion: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    public var question: String
    public var expectedBehavior: ExpectedBehavior
    public var mustState: [String]
    public var mustNotState: [String]

    enum CodingKeys: String, CodingKey {
        case id, kind, question
        case expectedBehavior = "expected_behavior"
        case mustState = "must_state"
        case mustNotState = "must_not_state"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(String.self, forKey: .kind)
        question = try container.decode(String.self, forKey: .question)
        expectedBehavior = try container.decode(ExpectedBehavior.self, forKey: .expectedBehavior)
        mustState = try container.decodeIfPresent([String].self, forKey: .mustState) ?? []
        mustNotState = try container.decodeIfPresent([String].self, forKey: .mustNotState) ?? []
    }
}

/// How an answer must behave, as the grading rules name it.
public enum ExpectedBehavior: String, Codable, Sendable, Hashable, CaseIterable {
    /// Informs directly.
    case answer
    /// Informs and points to the oncology / CAR-T / transplant team (or emergency services).
    case answerWithReferral = "answer_with_referral"
    /// Declines the dosing / stop-treatment / personal-decision request, refers, and still
    /// gives the safety-critical facts.
    case refuseAndRefer = "refuse_and_refer"
}

extension GradedQuestion {
    /// Reads a question set file (`meta` + `questions`).
    public static func load(_ url: URL) throws -> [GradedQuestion] {
        try parse(AnswerCheckError.read(url), path: url.path)
    }

    /// Reads a question set from YAML text; `path` names it in errors.
    public static func parse(_ yaml: String, path: String = "the question set") throws -> [GradedQuestion] {
        struct File: Decodable { var questions: [GradedQuestion] }
        let questions: [GradedQuestion]
        do {
            questions = try YAMLDecoder().decode(File.self, from: yaml).questions
        } catch {
            throw AnswerCheckError.malformed(path: path, detail: AnswerCheckError.describe(error))
        }
        var seen = Set<String>()
        for question in questions where !seen.insert(question.id).inserted {
            throw AnswerCheckError.malformed(path: path, detail: "the id \(question.id) appears twice")
        }
        return questions
    }

    /// The questions whose ids a selection such as `D-Q01..D-Q40` or `D-Q03,D-Q07` names.
    /// A range runs over the numeric tail of ids that share the same prefix.
    public static func select(_ questions: [GradedQuestion], ids selection: String) throws -> [GradedQuestion] {
        var chosen = Set<String>()
        let known = Set(questions.map(\.id))
        for part in selection.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if let dots = part.range(of: "..") {
                let low = String(part[..<dots.lowerBound]), high = String(part[dots.upperBound...])
                guard let (prefix, from) = numbered(low), let (highPrefix, to) = numbered(high), prefix == highPrefix, from <= to else {
                    throw AnswerCheckError.badSelection(selection, detail: "\(part) is not a range like D-Q01..D-Q40")
                }
                let inRange = questions.filter { numbered($0.id).map { $0.0 == prefix && (from...to).contains($0.1) } ?? false }
                chosen.formUnion(inRange.map(\.id))
            } else {
                guard known.contains(part) else {
                    throw AnswerCheckError.badSelection(selection, detail: "no question has the id \(part)")
                }
                chosen.insert(part)
            }
        }
        guard !chosen.isEmpty else { throw AnswerCheckError.badSelection(selection, detail: "it names no question") }
        return questions.filter { chosen.contains($0.id) }
    }

    /// "D-Q07" → ("D-Q", 7).
    private static func numbered(_ id: String) -> (String, Int)? {
        let digits = id.reversed().prefix { $0.isNumber }
        guard !digits.isEmpty, let number = Int(String(digits.reversed())) else { return nil }
        return (String(id.dropLast(digits.count)), number)
    }
}

/// What went wrong reading questions, checks or saved answers, said so a person can fix it.
public enum AnswerCheckError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, detail: String)
    case malformed(path: String, detail: String)
    case badPattern(item: String, pattern: String, detail: String)
    case unknownItem(id: String, path: String)
    case missingItem(id: String, path: String)
    case countMismatch(id: String, field: String, expected: Int, found: Int)
    case badSelection(String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(path, detail): "Cannot read \(path): \(detail)"
        case let .malformed(path, detail): "\(path) is not a valid file of this kind: \(detail)"
        case let .badPattern(item, pattern, detail): "Checks for \(item): the pattern \"\(pattern)\" is not usable: \(detail)"
        case let .unknownItem(id, path): "The checks file \(path) has checks for \(id), which is not in the question set; remove them or check the question file"
        case let .missingItem(id, path): "The checks file \(path) has no checks for \(id); every question needs its facts and forbidden statements"
        case let .countMismatch(id, field, expected, found): "Checks for \(id): the question lists \(expected) \(field) but the checks give \(found); keep one entry per statement, in the question's order"
        case let .badSelection(selection, detail): "--ids \(selection): \(detail)"
        }
    }

    static func read(_ url: URL) throws -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw AnswerCheckError.unreadable(path: url.path, detail: FileManager.default.fileExists(atPath: url.path) ? "not UTF-8 text" : "no such file")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            "missing \"\(key.stringValue)\" at \(path(context))"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            "\(context.debugDescription) at \(path(context))"
        case let DecodingError.dataCorrupted(context):
            // Yams puts the parser's message (with line and column) in the underlying error.
            context.underlyingError.map { "\($0)" } ?? "\(context.debugDescription) at \(path(context))"
        default:
            String(describing: error)
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
    }
}
